"""What alumni do after the training: the employment follow-up a coordinator records.

Funders ask how many graduates now work as support persons or in related roles. A coordinator
asks each alumnus and records the answer; only the latest answer is kept here (earlier ones are
in the audit trail), so a report counts each alumnus once.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from lms.db import UTCDateTime, utcnow
from lms.extensions import db

if TYPE_CHECKING:  # the relationships' classes, for type checkers only
    from lms.auth.models import User


class Employment(StrEnum):
    SUPPORT_PERSON = "support_person"
    RELATED_ROLE = "related_role"
    OTHER_WORK = "other_work"
    NOT_WORKING = "not_working"


EMPLOYMENTS = tuple(item.value for item in Employment)
#: the answers a funder counts as "working in the field"
IN_FIELD = (Employment.SUPPORT_PERSON.value, Employment.RELATED_ROLE.value)

#: what a report or a filter says of an alumnus nobody has asked yet
NOT_ASKED = "not_asked"

EMPLOYMENT_LABELS = {
    Employment.SUPPORT_PERSON.value: _l("Works as a support person"),
    Employment.RELATED_ROLE.value: _l("Works in a related role"),
    Employment.OTHER_WORK.value: _l("Works outside the field"),
    Employment.NOT_WORKING.value: _l("Not working at present"),
}


def employment_label(value: str) -> str:
    """The answer in words; "not asked yet" for NOT_ASKED (or an unknown value)."""
    return str(EMPLOYMENT_LABELS.get(value, _l("Not asked yet")))


class EmploymentFollowUp(db.Model):
    """An alumnus's answer to "what do you do now?", as a coordinator last recorded it."""

    __tablename__ = "employment_follow_ups"
    __table_args__ = (
        sa.CheckConstraint(
            "employment IN ('" + "', '".join(EMPLOYMENTS) + "')", name="employment_known"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    employment: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: the job as the alumnus names it, e.g. "case manager" or "social educator"
    role_title: so.Mapped[str] = so.mapped_column(sa.String(120), default="")
    #: the employer or municipality, if the alumnus wants it recorded
    employer: so.Mapped[str] = so.mapped_column(sa.String(160), default="")
    #: the day the alumnus was asked
    asked_on: so.Mapped[date] = so.mapped_column(sa.Date)
    recorded_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    user: so.Mapped["User"] = so.relationship("User", foreign_keys=[user_id])
    recorded_by: so.Mapped["User | None"] = so.relationship("User", foreign_keys=[recorded_by_id])

    @property
    def in_field(self) -> bool:
        return self.employment in IN_FIELD

    def snapshot(self) -> dict:
        return {
            "employment": self.employment,
            "role_title": self.role_title,
            "employer": self.employer,
            "asked_on": self.asked_on.isoformat(),
        }
