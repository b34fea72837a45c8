"""Friendly error pages in the reader's language; no stack trace ever reaches a user."""

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.extensions import db

MESSAGES = {
    400: (
        _l("Something was wrong with the request"),
        _l("The form may have expired. Go back, reload the page and try again."),
    ),
    403: (
        _l("You cannot open this page"),
        _l(
            "Your account does not give access to this page. If you think it should, ask your "
            "coordinator."
        ),
    ),
    404: (_l("Page not found"), _l("The page may have moved, or the address may be mistyped.")),
    405: (_l("This action is not possible here"), _l("Go back and use the buttons on the page.")),
    413: (_l("The file is too large"), _l("Files up to 5 MB can be uploaded.")),
    429: (_l("Too many attempts"), _l("Please wait a minute before you try again.")),
    503: (
        _l("This part of Tugi is not available"),
        _l(
            "The programme of this cohort cannot be loaded. A coordinator can see why on the "
            "programmes page."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been recorded. Please try again in a moment."),
    ),
}


def _render(code: int):
    title, explanation = MESSAGES.get(code) or MESSAGES[400 if code < 500 else 500]
    if request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(title)), code
    return render_template("errors/error.html", code=code, title=title, text=explanation), code


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error on %s", request.path, exc_info=error)
        db.session.rollback()
        return _render(InternalServerError.code)
