"""Friendly error pages in the reader's language; no stack trace ever reaches a user.

Error pages never need the database: when it is down (or the error came from loading the
person), the page is rendered for an anonymous visitor, and a database outage answers 503
"try again in a moment" with ``Retry-After``.
"""

import sqlalchemy as sa
from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.extensions import db, login_manager

#: Seconds a client is asked to wait before trying again during a database outage.
RETRY_AFTER_SECONDS = 30

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
        _l("Tugi is not available just now"),
        _l("Try again in a moment. Nothing you saved before has been lost."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been recorded. Please try again in a moment."),
    ),
}

#: A short machine-readable reason for JSON callers (the quiz script shows ``error``).
REASONS = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
    500: "internal_error",
    503: "database_unavailable",
}

#: The page of last resort, when even the error template cannot be rendered.
BARE_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tugi</title></head>'
    "<body><h1>Tugi is not available just now</h1><p>Try again in a moment.</p></body></html>"
)


def is_database_outage(error: BaseException) -> bool:
    """Whether ``error`` means the database cannot be reached (down, refused, pool exhausted)."""
    if isinstance(error, sa.exc.TimeoutError | sa.exc.OperationalError):
        return True
    return isinstance(error, sa.exc.DBAPIError) and error.connection_invalidated


def wants_json() -> bool:
    """Whether the caller reads JSON: the quiz script's saves, the health check, .json routes."""
    return (
        request.path.startswith("/healthz")
        or request.path.endswith(".json")
        or request.accept_mimetypes.best == "application/json"
    )


def _without_database() -> None:
    """Draw the page for an anonymous visitor, so that it reads nothing from the database."""
    g._login_user = login_manager.anonymous_user()


def _render(code: int):
    title, explanation = MESSAGES.get(code) or MESSAGES[400 if code < 500 else 500]
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if code == 503 else {}
    if wants_json():
        reason = REASONS.get(code, "error")
        return jsonify(error=str(title), reason=reason), code, headers
    try:
        page = render_template("errors/error.html", code=code, title=title, text=explanation)
    except Exception:  # e.g. the person could not be loaded: draw it without them
        _without_database()
        try:
            page = render_template("errors/error.html", code=code, title=title, text=explanation)
        except Exception:
            page = BARE_PAGE
    return page, code, headers


def _rollback() -> None:
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:  # the connection is gone; nothing to roll back
        pass


def register(app: Flask) -> None:
    """Install the handlers."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return _render(error.code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        _rollback()
        if is_database_outage(error):
            app.logger.error("database unreachable on %s: %s", request.path, error)
            _without_database()
            return _render(503)
        app.logger.exception("unhandled error on %s", request.path, exc_info=error)
        return _render(InternalServerError.code)
