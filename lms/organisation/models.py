"""The organisation that issues the certificates: its name, logo, address and website, as a
coordinator sets them. One row at most; without it, ``LMS_ISSUER_NAME`` names the issuer."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db

#: the one row's id
ROW_ID = 1


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (
        sa.CheckConstraint(f"id = {ROW_ID}", name="one_row"),
        sa.CheckConstraint(
            "logo_type IS NULL OR logo_type IN ('image/png', 'image/jpeg')", name="logo_type_known"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: one line, as printed under the name: street, postcode, town
    address: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    website: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    #: a language printed beneath the holder's on each certificate ("" for none), so that an
    #: Estonian employer reads a Ukrainian holder's certificate too
    second_language: so.Mapped[str] = so.mapped_column(sa.String(8), default="")
    #: the logo as re-encoded on upload (PNG or JPEG, at most ``LOGO_MAX_SIDE`` pixels a side)
    logo: so.Mapped[bytes | None] = so.mapped_column(sa.LargeBinary)
    logo_type: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    #: when a coordinator last marked the privacy notice as changed (None: never): whoever read
    #: it before then is shown it again at their next login
    notice_changed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
