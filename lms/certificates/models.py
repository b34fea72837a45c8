"""Certificates, and the trainer's final sign-off that may precede them.

A certificate is never changed once issued, except to revoke it or to mark it superseded by a
renewal: a renewal is a new certificate, never a re-dated old one. The database keeps one
certificate per enrolment and one current certificate per person and programme, so two
simultaneous requests cannot both issue one.
"""

import re
import secrets
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from lms.db import UTCDateTime, partial_index, utcnow
from lms.extensions import db

if TYPE_CHECKING:  # the relationships' classes, for type checkers only
    from lms.auth.models import User
    from lms.cohorts.models import Cohort

#: no 0/O, 1/I/L or 2/Z: a code read aloud or typed from paper comes out right
CODE_ALPHABET = "3456789ABCDEFGHJKMNPQRSTUVWXY"
CODE_PREFIX = "TUGI"


class Status(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"  # never stored: a valid certificate past its expiry date
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


STORED_STATUSES = (Status.VALID.value, Status.REVOKED.value, Status.SUPERSEDED.value)
STATUS_LABELS = {
    Status.VALID.value: _l("valid"),
    Status.EXPIRED.value: _l("expired"),
    Status.REVOKED.value: _l("revoked"),
    Status.SUPERSEDED.value: _l("superseded"),
}


def new_code() -> str:
    """``TUGI-7K3M-Q9XD``: 8 random characters of 29, about 5 * 10^11 codes."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{CODE_PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_code(typed: str) -> str:
    """What a person typed, as a stored code: case, spaces and dashes do not matter; anything
    that cannot be a code becomes ''."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum())
    if text.startswith(CODE_PREFIX):
        text = text[len(CODE_PREFIX) :]
    if len(text) != 8 or any(ch not in CODE_ALPHABET for ch in text):
        return ""
    return f"{CODE_PREFIX}-{text[:4]}-{text[4:]}"


#: a code as it may be typed among others: the prefix optional, dashes or spaces anywhere
_TYPED_CODE = re.compile(r"(?:TUGI[\s-]*)?([A-Z0-9]{4})[\s-]*([A-Z0-9]{4})(?![A-Z0-9])")
#: the most codes one check takes: a person's certificates, not a list to search through
MOST_CODES_AT_ONCE = 10


def codes_in(typed: str) -> list[str]:
    """Every code in what a person typed (codes apart by spaces, commas or lines), as stored
    codes, each once, in the order typed."""
    codes = []
    for match in _TYPED_CODE.finditer(typed.upper()):
        code = normalise_code(match.group(1) + match.group(2))
        if code and code not in codes:
            codes.append(code)
    return codes


def hours_text(minutes: int, hour_minutes: int = 60) -> str:
    """Minutes as hours for the printed certificate and the credential: 630 -> "10.5"."""
    return f"{minutes / hour_minutes:.1f}".rstrip("0").rstrip(".")


def new_credential_id() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('" + "', '".join(STORED_STATUSES) + "')", name="status_known"
        ),
        sa.CheckConstraint("expires_on > issued_on", name="expires_after_issue"),
        partial_index(
            "uq_certificates_current",
            "user_id",
            "programme_slug",
            unique=True,
            where="status = 'valid'",
        ),
        # what the funder report counts, read from these indexes alone: certificates per
        # cohort in a period, and the distinct alumni of the covered cohorts
        sa.Index("ix_certificates_cohort_report", "cohort_id", "status", "issued_on"),
        sa.Index("ix_certificates_user_report", "user_id", "status", "cohort_id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(20), unique=True, default=new_code)
    credential_id: so.Mapped[str] = so.mapped_column(
        sa.String(60), unique=True, default=new_credential_id
    )
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    #: the enrolment that earned it; one certificate per enrolment
    enrolment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("enrolments.id"), unique=True)
    cohort_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cohorts.id"), index=True)
    #: the programme certified (for a renewal, the programme renewed)
    programme_slug: so.Mapped[str] = so.mapped_column(sa.String(80))
    #: the programme of the enrolment (for a renewal, the refresher)
    earned_in: so.Mapped[str] = so.mapped_column(sa.String(80))
    holder_name: so.Mapped[str] = so.mapped_column(sa.String(200))
    language: so.Mapped[str] = so.mapped_column(sa.String(8))
    #: [{"slug", "title", "titles", "minutes", "certified"}] per hour category: ``title`` in the
    #: holder's language (what is printed), ``titles`` in every interface language at issue
    hours: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    #: the programme's title in every interface language at issue, so that every reader sees
    #: it in their own language however the programme's file changes later
    programme_titles: so.Mapped[dict | None] = so.mapped_column(sa.JSON, default=dict)
    hour_minutes: so.Mapped[int] = so.mapped_column(default=60)
    practice_minutes: so.Mapped[int] = so.mapped_column(default=0)
    practice_clients: so.Mapped[int] = so.mapped_column(default=0)
    trainers: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    issued_on: so.Mapped[date] = so.mapped_column(sa.Date)
    expires_on: so.Mapped[date] = so.mapped_column(sa.Date)
    issued_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default=Status.VALID)
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    revoked_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    revoke_reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    #: the certificate this one renews
    renews_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("certificates.id"))
    #: when the holder was reminded by email that it expires soon
    reminded_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped["User"] = so.relationship("User", foreign_keys=[user_id])
    cohort: so.Mapped["Cohort"] = so.relationship("Cohort")
    renews: so.Mapped["Certificate | None"] = so.relationship(
        "Certificate", remote_side=[id], foreign_keys=[renews_id]
    )

    def status_on(self, day: date) -> str:
        """The status a reader sees: a valid certificate past its expiry date is expired."""
        if self.status == Status.VALID and day >= self.expires_on:
            return Status.EXPIRED.value
        return self.status

    def programme_title(self, language: str, programme=None) -> str:
        """The programme's title in ``language`` as recorded at issue; for a language added
        since, the programme's file (``programme``); failing both, the holder's."""
        titles = self.programme_titles or {}
        if language in titles:
            return titles[language]
        if programme is not None:
            return programme.title_for(language)
        return titles.get(self.language, self.programme_slug)

    def line_title(self, line: dict, language: str, earned_in=None) -> str:
        """An hour line's title in ``language`` as recorded at issue; for a certificate issued
        before every language was recorded, the programme it was earned in (``earned_in``);
        failing both, the printed title."""
        titles = line.get("titles") or {}
        if language in titles:
            return titles[language]
        category = earned_in.category(line["slug"]) if earned_in is not None else None
        return category.title_for(language) if category is not None else line["title"]

    @property
    def total_minutes(self) -> int:
        """Minutes attended, over every hour category."""
        return sum(line["minutes"] for line in self.hours)

    def certified_minutes(self, line: dict, earned_in=None) -> int:
        """The minutes an hour line certifies: the category's syllabus length, as recorded at
        issue. A certificate issued before that was recorded takes it from the programme it
        was earned in (``earned_in``), or failing that the minutes attended."""
        if "certified" in line:
            return line["certified"]
        category = earned_in.category(line["slug"]) if earned_in is not None else None
        return category.syllabus_minutes if category is not None else line["minutes"]

    def certified_total(self, earned_in=None) -> int:
        """The programme's hours as certified, in minutes: its syllabus, not the attendance."""
        return sum(self.certified_minutes(line, earned_in) for line in self.hours)


class FinalSignOff(db.Model):
    """A trainer's confirmation that a trainee completed the programme."""

    __tablename__ = "final_sign_offs"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    enrolment_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("enrolments.id", ondelete="CASCADE"), unique=True
    )
    trainer_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    signed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    statement: so.Mapped[str] = so.mapped_column(sa.Text)

    trainer: so.Mapped["User | None"] = so.relationship("User")


class IssuerKey(db.Model):
    """A key the issuer signs Open Badges credentials with. The private half is encrypted with
    a key derived from the secret key, so every host that shares ``LMS_SECRET_KEY`` signs with
    it and nothing needs copying; the public half stays readable so that older credentials are
    checked against it after a rotation."""

    __tablename__ = "issuer_keys"
    __table_args__ = (sa.CheckConstraint("active = 1", name="active_is_one"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: RFC 7638 thumbprint of the public key: the last part of the address that serves it
    kid: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    public_pem: so.Mapped[str] = so.mapped_column(sa.Text)
    #: the PKCS#8 private key, Fernet-encrypted with a key derived from the secret key
    private_key: so.Mapped[str] = so.mapped_column(sa.Text)
    #: 1 for the key that signs, NULL for retired ones. A unique column allows any number of
    #: NULLs, so the database keeps one active key even when two hosts make one at once.
    active: so.Mapped[int | None] = so.mapped_column(unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    retired_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
