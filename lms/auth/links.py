"""One-time password links as addresses: made, emailed, and listed on a sheet to hand out."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

from flask import current_app, url_for
from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from lms.auth import services
from lms.auth.models import User
from lms.db import utcnow
from lms.exports import csv_text
from lms.extensions import db
from lms.mail import mail_configured, send_mail


@dataclass
class HandedLink:
    """A password link shown once: whose it is, its address, until when, whether emailed."""

    person: User
    url: str
    expires_at: datetime
    emailed: bool = False


def link_url(token: str) -> str:
    """The address of a password link, on ``LMS_BASE_URL`` when that is set."""
    base = current_app.config["BASE_URL"].rstrip("/")
    path = url_for("auth.set_password", token=token, _external=not base)
    return base + path if base else path


def make_link(user: User, created_by: User | None, *, retire_others: bool = True) -> HandedLink:
    """Create a one-time password link for ``user`` (not yet committed)."""
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    token = services.create_password_link(
        db.session, user, created_by, hours, retire_others=retire_others
    )
    return HandedLink(user, link_url(token), utcnow() + timedelta(hours=hours))


def email_link(link: HandedLink) -> bool:
    """Email a committed link when mail is configured; record and return whether it was sent.

    Called after the commit: a slow mail server never holds a transaction open, and nobody
    gets a link that a failed commit made worthless.
    """
    if not mail_configured():
        link.emailed = False
        return False
    with force_locale(link.person.language or "en"):  # the reader's language, not the sender's
        subject = _("Your Tugi password link")
        body = _(
            "Open this link to set your Tugi password. It works once, for %(hours)d hours:\n\n"
            "%(url)s",
            hours=current_app.config["PASSWORD_RESET_HOURS"],
            url=link.url,
        )
    link.emailed = send_mail(link.person.email, subject, body)
    return link.emailed


def sheet_csv(links: list[HandedLink]) -> str:
    """The links as a CSV file (UTF-8 with a byte-order mark, so Excel reads it), in the
    reader's separators."""
    header = [_("Name"), _("Email"), _("Password link"), _("Valid until")]
    rows = [
        [link.person.display_name, link.person.email, link.url,
         format_datetime(link.expires_at, "short")]
        for link in links
    ]  # fmt: skip
    return csv_text(header, rows)


def sheet_csv_address(links: list[HandedLink]) -> str:
    """The CSV as a ``data:`` address: the links are never stored, so there is nothing to fetch
    later; the page carries its own download."""
    return "data:text/csv;charset=utf-8," + quote(sheet_csv(links))
