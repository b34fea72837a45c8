"""Where a redirect may go: only to a path of this site."""

from urllib.parse import urlsplit

from flask import current_app, url_for


def safe_next(target: str | None, default_endpoint: str = "main.home") -> str:
    """Return ``target`` when it is a path on this site, else the default page.

    Browsers drop tabs and newlines from URLs and treat a backslash as a slash, so a path made of
    a slash, a tab and ``/evil.example`` would lead to another host: such targets are refused.
    """
    if target and target.startswith("/") and not any(c in target for c in "\\\t\r\n"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            return target
    return url_for(default_endpoint)


def absolute_url(endpoint: str, **values) -> str:
    """A full address for links that leave the site (PDFs, credentials, email): ``BASE_URL``
    when it is set, else the address of the current request."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


class PublicAddressMissing(RuntimeError):
    """``LMS_BASE_URL`` is not set, so no address can be written into a document that leaves
    the site."""


def public_url(endpoint: str, **values) -> str:
    """The address of ``endpoint`` under ``LMS_BASE_URL``, for what is signed or printed
    (credentials, certificate PDFs): from configuration only, since the request's ``Host`` and
    ``X-Forwarded-Host`` are whatever the client chose to send."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if not base:
        raise PublicAddressMissing(
            "LMS_BASE_URL is not set: certificate PDFs and credentials need the site's public "
            "address"
        )
    return base + url_for(endpoint, **values)


#: Stands for the row's id while a row address is built once: no row has an id this large.
_ROW_ID = 9_876_543_210_123_456_789


def row_url(endpoint: str, name: str, **values):
    """The address of ``endpoint`` for each row of a long table, as a function of the row's
    integer ``name`` (the other ``values`` the same in every row): routing builds it once, not
    once per row, and every row's address is what ``url_for`` would give it."""
    head, _, tail = url_for(endpoint, **{name: _ROW_ID}, **values).partition(str(_ROW_ID))
    return lambda value: f"{head}{int(value)}{tail}"
