"""What other features use of the organisation: who issues the certificates, the address of
its logo, and when the privacy notice was last marked as changed."""

from flask import current_app, url_for

from lms.extensions import db
from lms.organisation.services import Issuer, issuer, mark_notice_changed, notice_changed_at

__all__ = ["Issuer", "current_issuer", "logo_url", "mark_notice_changed", "notice_changed_at"]


def current_issuer() -> Issuer:
    """The organisation as a coordinator set it, or ``LMS_ISSUER_NAME`` alone."""
    return issuer(db.session, current_app.config["ISSUER_NAME"])


def logo_url(issuer: Issuer, external=None) -> str | None:
    """The logo's address, or None without a logo; ``external`` (such as ``public_url``)
    builds a full one. The version in the address changes with every save, so browsers may
    keep the logo for long."""
    if not issuer.logo:
        return None
    build = external or url_for
    return build("organisation.logo", v=issuer.version)
