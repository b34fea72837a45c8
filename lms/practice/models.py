"""Practice entries and their revisions.

An entry is one piece of client work; what it says lives in its revisions. A revision is edited
while it is a draft or returned, then submitted, and a trainer signs it off or returns it. A
signed-off revision is never changed: a correction is a new revision, and when that one is signed
off the old one becomes ``superseded``. The database allows at most one approved and one open
revision per entry, so an entry's hours can never be counted twice.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from lms.db import UTCDateTime, partial_index, utcnow
from lms.extensions import db
from lms.stand_ins import MayStandIn

if TYPE_CHECKING:  # the relationships' classes, for type checkers only
    from lms.auth.models import User
    from lms.cohorts.models import Cohort, TrainingSession

MAX_ENTRY_MINUTES = 12 * 60
DAY_MINUTES = 24 * 60


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    RETURNED = "returned"
    APPROVED = "approved"
    SUPERSEDED = "superseded"


STATUSES = tuple(status.value for status in Status)
#: a trainer is waiting to review these
AWAITING = (Status.SUBMITTED.value, Status.RESUBMITTED.value)
#: the trainee may still edit these
EDITABLE = (Status.DRAFT.value, Status.RETURNED.value)
#: revisions still on their way to sign-off (the database allows one per entry)
OPEN = (*EDITABLE, *AWAITING)
STATUS_LABELS = {
    Status.DRAFT.value: _l("draft"),
    Status.SUBMITTED.value: _l("submitted"),
    Status.RESUBMITTED.value: _l("resubmitted"),
    Status.RETURNED.value: _l("returned"),
    Status.APPROVED.value: _l("signed off"),
    Status.SUPERSEDED.value: _l("superseded"),
}

#: the four core acts of the CARe methodology
CORE_ACTS = {
    "connecting": _l("Connecting"),
    "understanding": _l("Understanding"),
    "ensuring": _l("Ensuring"),
    "strengthening": _l("Strengthening"),
}


def _in(values) -> str:
    return "('" + "', '".join(values) + "')"


class PracticeEntry(db.Model):
    """One piece of supervised client work, logged by a trainee in one cohort."""

    __tablename__ = "practice_entries"
    # the key its revisions name with their cohort, so that a revision's cohort is its entry's
    __table_args__ = (sa.Index("ix_practice_entries_id_cohort", "id", "cohort_id", unique=True),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    cohort_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    user: so.Mapped["User"] = so.relationship("User")
    cohort: so.Mapped["Cohort"] = so.relationship("Cohort")
    revisions: so.Mapped[list["PracticeRevision"]] = so.relationship(
        back_populates="entry",
        order_by="PracticeRevision.number",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def latest(self) -> "PracticeRevision":
        return self.revisions[-1]

    @property
    def approved(self) -> "PracticeRevision | None":
        return next((r for r in self.revisions if r.status == Status.APPROVED), None)


class PracticeRevision(db.Model):
    """What an entry said at one stage, with its review."""

    __tablename__ = "practice_revisions"
    __table_args__ = (
        sa.UniqueConstraint("entry_id", "number"),
        # the entry's cohort, kept on each revision for the funder report; the key holds it to
        # the entry's (an entry never changes cohort), and the relationship fills it in
        sa.ForeignKeyConstraint(
            ["entry_id", "cohort_id"],
            ["practice_entries.id", "practice_entries.cohort_id"],
            ondelete="CASCADE",
        ),
        sa.CheckConstraint(f"status IN {_in(STATUSES)}", name="status_known"),
        sa.CheckConstraint(f"minutes > 0 AND minutes <= {MAX_ENTRY_MINUTES}", name="minutes_range"),
        sa.CheckConstraint(
            "status NOT IN ('approved', 'superseded') OR "
            "(reviewer_id IS NOT NULL AND reviewed_at IS NOT NULL AND attestation IS NOT NULL)",
            name="signed_off_by_someone",
        ),
        partial_index(
            "ix_practice_revisions_one_approved",
            "entry_id",
            unique=True,
            where="status = 'approved'",
        ),
        partial_index(
            "ix_practice_revisions_one_open",
            "entry_id",
            unique=True,
            where=f"status IN {_in(OPEN)}",
        ),
        # everything the funder report sums, in the order it groups them, so that it reads no
        # table row and sorts nothing: by cohort and client, by day and by client group
        partial_index(
            "ix_practice_revisions_approved_cohort",
            "cohort_id",
            "client_key",
            "client_group",
            "minutes",
            "practised_on",
            where="status = 'approved'",
        ),
        partial_index(
            "ix_practice_revisions_approved_day",
            "practised_on",
            "minutes",
            where="status = 'approved'",
        ),
        partial_index(
            "ix_practice_revisions_approved_group",
            "client_group",
            "practised_on",
            "minutes",
            where="status = 'approved'",
        ),
        sa.Index("ix_practice_revisions_status_date", "status", "practised_on"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    entry_id: so.Mapped[int] = so.mapped_column()
    cohort_id: so.Mapped[int] = so.mapped_column()
    number: so.Mapped[int] = so.mapped_column()
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default=Status.DRAFT)
    practised_on: so.Mapped[date] = so.mapped_column(sa.Date)
    minutes: so.Mapped[int] = so.mapped_column()
    #: the trainee's own pseudonym for the client, as typed; once erased, ``[erased]`` in the
    #: reader's language (``lms.stand_ins``)
    client_code: so.Mapped[str] = so.mapped_column(MayStandIn(24))
    #: the code folded for counting distinct clients ("ua-07" and "UA-07" are one client)
    client_key: so.Mapped[str] = so.mapped_column(sa.String(80))  # folding can lengthen it
    client_group: so.Mapped[str] = so.mapped_column(sa.String(40))
    activity: so.Mapped[str] = so.mapped_column(sa.String(40))
    core_acts: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    #: Markdown, rendered through lms.rendering
    reflection: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    debrief_session_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    submitted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    #: the trainer who last returned or signed off this revision, and when
    reviewer_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="RESTRICT")
    )
    reviewed_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    #: the trainer's comment when returning (the earlier ones are in the audit trail)
    review_comment: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: the statement the trainer signed, word for word as it was shown
    attestation: so.Mapped[str | None] = so.mapped_column(sa.Text)
    #: when the reflection and the review comment were removed, by the programme's retention
    #: period or the trainee's erasure; hours, group, activity and sign-off stay
    redacted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    entry: so.Mapped[PracticeEntry] = so.relationship(back_populates="revisions")
    reviewer: so.Mapped["User | None"] = so.relationship("User", foreign_keys=[reviewer_id])
    debrief_session: so.Mapped["TrainingSession | None"] = so.relationship("TrainingSession")

    @property
    def locked(self) -> bool:
        """Signed off or waiting for review, or redacted once its retention period ended."""
        return self.status not in EDITABLE or self.redacted_at is not None


class PracticeClientSet(db.Model):
    """Signed-off practice of one cohort's clients who were seen in one set of client groups.

    Kept by database triggers on ``practice_revisions`` (migration ``b7d4e2a1c9f3``), which
    recount a cohort from its live revisions at every write that touches its signed-off ones:
    nothing in Python writes these rows, nor those of the two tables below. The funder report
    without a period reads them instead of every revision, and works out from each set which
    clients were refugees or children.
    """

    __tablename__ = "practice_client_sets"

    cohort_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    #: the slugs of the groups the clients were seen in, sorted and joined by a space
    client_groups: so.Mapped[str] = so.mapped_column(sa.Text, primary_key=True)
    #: clients of the cohort seen in exactly these groups
    clients: so.Mapped[int] = so.mapped_column()
    #: their signed-off minutes, in every group
    minutes: so.Mapped[int] = so.mapped_column()


class PracticeGroupMinutes(db.Model):
    """A cohort's signed-off minutes with one client group; kept like ``PracticeClientSet``."""

    __tablename__ = "practice_group_minutes"

    cohort_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    client_group: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    minutes: so.Mapped[int] = so.mapped_column()


class PracticeMonthMinutes(db.Model):
    """A cohort's signed-off minutes practised in one month (its first day); kept like
    ``PracticeClientSet``."""

    __tablename__ = "practice_month_minutes"

    cohort_id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    month: so.Mapped[date] = so.mapped_column(sa.Date, primary_key=True)
    minutes: so.Mapped[int] = so.mapped_column()


class PracticeAccess(db.Model):
    """Someone other than the trainee opened their practice: an entry, the logbook or an export.

    Rows are only ever added; the trainee sees them on the entry and the logbook.
    """

    __tablename__ = "practice_access"
    __table_args__ = (sa.Index("ix_practice_access_trainee_at", "trainee_id", "at"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    #: who opened it (kept, under a pseudonym, if that person's data is erased)
    viewer_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    #: whose practice it is
    trainee_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    #: the entry opened; None for the logbook and its exports
    entry_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("practice_entries.id", ondelete="CASCADE"), index=True
    )
    #: what was opened: "entry", "logbook", or the export's format ("pdf", "csv", ...)
    what: so.Mapped[str] = so.mapped_column(sa.String(20))

    viewer: so.Mapped["User | None"] = so.relationship("User", foreign_keys=[viewer_id])
