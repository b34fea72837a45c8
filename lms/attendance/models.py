"""The register: one mark per trainee and session, and self check-ins awaiting confirmation."""

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from lms import hooks
from lms.db import UTCDateTime, utcnow
from lms.extensions import db

if TYPE_CHECKING:  # the relationships' classes, for type checkers only
    from lms.auth.models import User


class Mark(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    EXCUSED = "excused"
    ABSENT = "absent"


MARKS = tuple(mark.value for mark in Mark)
#: Marks whose credited minutes the trainer sets; the others are full or none.
PARTIAL_MARKS = (Mark.LATE.value, Mark.LEFT_EARLY.value)
NO_CREDIT_MARKS = (Mark.EXCUSED.value, Mark.ABSENT.value)
MARK_LABELS = {
    Mark.PRESENT.value: _l("present"),
    Mark.LATE.value: _l("late"),
    Mark.LEFT_EARLY.value: _l("left early"),
    Mark.EXCUSED.value: _l("excused"),
    Mark.ABSENT.value: _l("absent"),
}


class AttendanceRecord(db.Model):
    """A trainee's mark for one session; the database keeps one per trainee and session."""

    __tablename__ = "attendance_records"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id"),
        sa.CheckConstraint("credited_minutes >= 0", name="credit_not_negative"),
        sa.CheckConstraint("mark IN ('" + "', '".join(MARKS) + "')", name="mark_known"),
        # a trainee's marks, read from the index alone when their ledgers are summed
        sa.Index("ix_attendance_records_user_marks", "user_id", "session_id", "credited_minutes"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    session_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    mark: so.Mapped[str] = so.mapped_column(sa.String(20))
    credited_minutes: so.Mapped[int] = so.mapped_column(default=0)
    note: so.Mapped[str] = so.mapped_column(sa.String(500), default="")
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Raised by one on every change. A register page carries the version it showed, and a save
    #: updates the row only if it still has that version (compare and set), so a trainer never
    #: overwrites, or half-overwrites, a change they have not seen.
    version: so.Mapped[int] = so.mapped_column(default=1, server_default="1")

    def snapshot(self) -> dict:
        return {"mark": self.mark, "minutes": self.credited_minutes, "note": self.note}


class CheckIn(db.Model):
    """A trainee checked in with the session's code; the trainer confirms it into the register."""

    __tablename__ = "check_ins"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    session_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    checked_in_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    confirmed_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    user: so.Mapped["User"] = so.relationship("User", lazy="joined", foreign_keys=[user_id])


# What cohorts asks of attendance (cohorts sits below it and cannot import it)


@hooks.answers("recorded_sessions")
def recorded_sessions(session: so.Session, session_ids: list[int]) -> set[int]:
    """The sessions among ``session_ids`` with any mark or check-in."""
    marks = sa.select(AttendanceRecord.session_id).where(
        AttendanceRecord.session_id.in_(session_ids)
    )
    checks = sa.select(CheckIn.session_id).where(CheckIn.session_id.in_(session_ids))
    return set(session.scalars(sa.union(marks, checks)))


@hooks.answers("longest_credit")
def longest_credit(session: so.Session, session_id: int) -> int | None:
    """The most minutes anybody is credited with for the session."""
    return session.scalar(
        sa.select(sa.func.max(AttendanceRecord.credited_minutes)).where(
            AttendanceRecord.session_id == session_id
        )
    )
