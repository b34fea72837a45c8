"""Interface language and local time: which language a request is served in, the picker that
changes it, and today's date where the programme runs."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (it is translated where shown)."""
    return message


def local_today() -> date:
    """Today in ``LMS_TIMEZONE``: the date a certificate is issued on or expires by."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def select_locale() -> str:
    """The person's saved language, else the one picked in this browser, else the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands speak English
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    picked = session.get("language")
    if picked in languages:
        return picked
    return request.accept_languages.best_match(list(languages)) or "en"


def content_language(available: list[str]) -> tuple[str, bool]:
    """The language to show a lesson or quiz in, of those it exists in (the source first), and
    whether the one wanted was missing. ``?lang=`` asks for a language for this content only
    (the interface keeps its own); anything but a language the site offers is ignored."""
    asked = request.args.get("lang", "")
    wanted = asked if asked in current_app.config["LANGUAGES"] else str(get_locale())
    return (wanted, False) if wanted in available else (available[0], True)


def init_app(app: Flask) -> None:
    """Offer the language list to every template."""

    from flask_babel import format_decimal

    from lms.attendance.models import MARK_LABELS
    from lms.auth.models import ROLE_LABELS
    from lms.cohorts.models import STATUS_LABELS

    @app.template_filter("hours")
    def hours(minutes, hour_minutes: int = 60) -> str:
        """Minutes as hours (of ``hour_minutes``) in the reader's number format: 90 -> "1.5"."""
        return format_decimal(round((minutes or 0) / hour_minutes, 2), format="#,##0.##")

    @app.template_filter("number")
    def number(value) -> str:
        """A count or a number of hours in the reader's number format: 12.5 -> "12,5" in et."""
        return format_decimal(round(value or 0, 2), format="#,##0.##")

    @app.context_processor
    def languages():
        return {
            "LANGUAGES": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "role_label": lambda role: ROLE_LABELS.get(str(role), role),
            "mark_label": lambda mark: MARK_LABELS.get(str(mark), mark),
            "status_label": lambda status: STATUS_LABELS.get(str(status), status),
        }
