"""The issuing organisation: reading it (with ``LMS_ISSUER_NAME`` as the name when nothing is
set), checking an uploaded logo, and saving a coordinator's changes."""

import io
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit
from lms.auth.models import User
from lms.errors import DomainError
from lms.organisation.models import ROW_ID, Organisation

#: an upload larger than this is refused before it is opened
LOGO_MAX_BYTES = 1024 * 1024
#: a logo is scaled down to this many pixels on its longer side: enough for print at 5 cm
LOGO_MAX_SIDE = 1000
#: more pixels than this is not a logo but a decompression bomb
LOGO_MAX_PIXELS = 40_000_000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class OrganisationError(DomainError):
    """A change was refused; the message says why, in the reader's language."""


@dataclass(frozen=True)
class Issuer:
    """Who issues the certificates, as printed and published."""

    name: str
    address: str = ""
    website: str = ""
    logo: bytes | None = None
    logo_type: str | None = None
    version: int = 0  # changes whenever the organisation is saved: a cache key for its logo
    #: the language printed beneath the holder's on certificates; "" for none
    second_language: str = ""


def issuer(session: Session, default_name: str) -> Issuer:
    """The organisation as a coordinator set it, or just ``default_name`` (``LMS_ISSUER_NAME``)."""
    row = session.get(Organisation, ROW_ID)
    if row is None:
        return Issuer(default_name)
    return Issuer(
        row.name,
        row.address,
        row.website,
        row.logo,
        row.logo_type,
        int(row.updated_at.timestamp()),
        row.second_language,
    )


def read_logo(data: bytes) -> tuple[bytes, str]:
    """An uploaded logo, checked and re-encoded (at most ``LOGO_MAX_SIDE`` pixels a side, no
    metadata) as (bytes, media type). Only PNG and JPEG: an SVG may carry script."""
    from PIL import Image, UnidentifiedImageError  # here, not at start: only an upload needs it

    if len(data) > LOGO_MAX_BYTES:
        raise OrganisationError(_l("The logo may be at most 1 MB."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in FORMATS:
            raise UnidentifiedImageError(kind)
        image = Image.open(io.BytesIO(data))
        too_large = image.width * image.height > LOGO_MAX_PIXELS
        if not too_large:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise OrganisationError(_l("The logo must be a PNG or JPEG image.")) from None
    if too_large:
        raise OrganisationError(_l("The logo has too many pixels; use a smaller image."))
    image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if kind == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        image = image.convert("RGBA")
    out = io.BytesIO()
    image.save(out, format=kind, **({"quality": 90} if kind == "JPEG" else {"optimize": True}))
    return out.getvalue(), FORMATS[kind]


def _snapshot(row: Organisation | None) -> dict | None:
    if row is None:
        return None
    return {
        "name": row.name,
        "address": row.address,
        "website": row.website,
        "second_language": row.second_language,
        "logo": f"{row.logo_type}, {len(row.logo)} bytes" if row.logo else None,
    }


def save(
    session: Session,
    actor: User,
    *,
    name: str,
    address: str,
    website: str,
    second_language: str,
    logo: tuple[bytes, str] | None,
    remove_logo: bool,
    now: datetime,
) -> Organisation:
    """Set the organisation's details; ``logo`` replaces the logo, ``remove_logo`` drops it.
    Audited. Flushes only."""
    row = session.get(Organisation, ROW_ID)
    before = _snapshot(row)
    if row is None:
        row = Organisation(id=ROW_ID)
        session.add(row)
    row.name, row.address, row.website = name.strip(), address.strip(), website.strip()
    row.second_language = second_language
    if logo is not None:
        row.logo, row.logo_type = logo
    elif remove_logo:
        row.logo = row.logo_type = None
    row.updated_at, row.updated_by_id = now, actor.id
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="organisation.updated",
        subject_type="organisation",
        subject_id=ROW_ID,
        before=before,
        after=_snapshot(row),
    )
    return row


def notice_changed_at(session: Session) -> datetime | None:
    """When a coordinator last marked the privacy notice as changed; None when never."""
    row = session.get(Organisation, ROW_ID)
    return row.notice_changed_at if row is not None else None


def mark_notice_changed(
    session: Session, actor: User, *, default_name: str, now: datetime
) -> Organisation:
    """Record that the privacy notice changed at ``now``, so that everyone who read it before is
    shown it again. Without a saved organisation, one is saved under ``default_name``
    (``LMS_ISSUER_NAME``), the name pages show until then. Audited. Flushes only."""
    row = session.get(Organisation, ROW_ID)
    before = row.notice_changed_at if row is not None else None
    if row is None:
        row = Organisation(id=ROW_ID, name=default_name, updated_by_id=actor.id)
        session.add(row)
    row.notice_changed_at = now
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="organisation.notice_changed",
        subject_type="organisation",
        subject_id=ROW_ID,
        before={"notice_changed_at": before.isoformat() if before else None},
        after={"notice_changed_at": now.isoformat()},
    )
    return row
