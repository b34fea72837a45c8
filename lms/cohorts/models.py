"""Cohorts of a programme, their trainers and trainees, and their scheduled sessions."""

import secrets
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


class EnrolmentStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"


ENROLMENT_STATUSES = tuple(status.value for status in EnrolmentStatus)
STATUS_LABELS = {
    EnrolmentStatus.ACTIVE.value: _l("active"),
    EnrolmentStatus.WITHDRAWN.value: _l("withdrawn"),
    EnrolmentStatus.COMPLETED.value: _l("completed"),
}


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


cohort_trainers = sa.Table(
    "cohort_trainers",
    db.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(db.Model):
    """A group of trainees taking one programme together.

    Programmes live in files, so a cohort refers to its programme by slug.
    """

    __tablename__ = "cohorts"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    programme_slug: so.Mapped[str] = so.mapped_column(sa.String(80), index=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    starts_on: so.Mapped[date] = so.mapped_column(sa.Date)
    ends_on: so.Mapped[date] = so.mapped_column(sa.Date)
    region: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    capacity: so.Mapped[int | None] = so.mapped_column()
    calendar_token: so.Mapped[str] = so.mapped_column(
        sa.String(64), unique=True, default=new_calendar_token
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    trainers: so.Mapped[list["User"]] = so.relationship(
        "User", secondary=cohort_trainers, lazy="selectin", order_by="User.display_name"
    )

    def has_trainer(self, user_id: int) -> bool:
        return any(trainer.id == user_id for trainer in self.trainers)


class Enrolment(db.Model):
    """A trainee's place in a cohort."""

    __tablename__ = "enrolments"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "user_id"),
        sa.CheckConstraint(
            "status IN ('" + "', '".join(ENROLMENT_STATUSES) + "')", name="status_known"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    cohort_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default=EnrolmentStatus.ACTIVE)
    enrolled_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    cohort: so.Mapped[Cohort] = so.relationship(Cohort)
    user: so.Mapped["User"] = so.relationship("User")


class TrainingSession(db.Model):
    """A scheduled meeting of a cohort that counts towards one hour category.

    A cancelled session is kept, with its register, so that its history stays visible.
    """

    __tablename__ = "training_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_training_sessions_cohort_starts", "cohort_id", "starts_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    cohort_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    title: so.Mapped[str] = so.mapped_column(sa.String(160))
    category: so.Mapped[str] = so.mapped_column(sa.String(80))
    starts_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    ends_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    place: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    online_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    lessons: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    series_key: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    cancelled_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    cancel_reason: so.Mapped[str | None] = so.mapped_column(sa.String(300))

    cohort: so.Mapped[Cohort] = so.relationship(Cohort)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None
