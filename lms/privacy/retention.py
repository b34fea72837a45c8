"""Retention: the reflections and review comments of practice are removed a programme's
``reflection_retention_months`` after the cohort ends (the date rule is practice's own,
``reflections_removed_on``). Hours, client group, activity, core acts, client code, dates,
statuses and sign-offs stay, so progress, eligibility and the funder report do not change.

Both functions are set-based: the queries they send do not grow with the number of entries.
The audit trail is otherwise only ever added to; removing these texts from it is the one
change made to it, because keeping them there would defeat the retention period.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.audit import AuditEvent
from lms.cohorts.models import Cohort
from lms.db import UTCDateTime, utcnow
from lms.practice.api import SUBJECT, reflections_due, reflections_removed_on
from lms.practice.models import PracticeEntry, PracticeRevision
from lms.programmes.api import get_programmes

#: keys of the practice events' before and after values that may hold a reflection or comment
SCRUBBED_KEYS = ("reflection", "comment", "review_comment")


@dataclass
class DueCohort:
    """A cohort whose reflections are due for removal, and how many revisions still hold text."""

    cohort: Cohort
    removed_on: date
    revisions: int = 0


@dataclass
class Summary:
    """What a purge removed (or, on a dry run, would remove)."""

    cohorts: list[DueCohort] = field(default_factory=list)
    #: programme slugs whose file never loaded: their cohorts are left until it loads
    unknown_programmes: list[str] = field(default_factory=list)
    revisions: int = 0
    #: audit events about those entries holding a reflection or comment
    events: int = 0


def _entries_of(cohort_ids: list[int]):
    return sa.select(PracticeEntry.id).where(PracticeEntry.cohort_id.in_(cohort_ids))


def _holds_text():
    """Revisions still holding a reflection or comment, or never marked by retention."""
    return sa.or_(
        PracticeRevision.redacted_at.is_(None),
        PracticeRevision.reflection != "",
        PracticeRevision.review_comment.is_not(None),
    )


def _due_cohorts(session: Session, today: date, programmes) -> tuple[list[DueCohort], list[str]]:
    programmes = programmes if programmes is not None else get_programmes()
    due, unknown = [], set()
    for cohort in session.scalars(
        sa.select(Cohort).where(Cohort.ends_on < today).order_by(Cohort.ends_on, Cohort.id)
    ):
        programme = programmes.get(cohort.programme_slug)
        if programme is None:
            unknown.add(cohort.programme_slug)
        elif reflections_due(cohort, programme, today):
            due.append(DueCohort(cohort, reflections_removed_on(cohort, programme)))
    return due, sorted(unknown)


def due_for_redaction(session: Session, today: date, programmes=None) -> Summary:
    """The cohorts whose retention period ended by ``today`` and the revisions of their
    practice still to redact; nothing is changed. ``programmes``: the app's, unless given."""
    due, unknown = _due_cohorts(session, today, programmes)
    summary = Summary(cohorts=due, unknown_programmes=unknown)
    if due:
        counts = dict(
            session.execute(
                sa.select(PracticeEntry.cohort_id, sa.func.count(PracticeRevision.id))
                .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
                .where(PracticeEntry.cohort_id.in_([d.cohort.id for d in due]), _holds_text())
                .group_by(PracticeEntry.cohort_id)
            ).all()
        )
        for item in due:
            item.revisions = counts.get(item.cohort.id, 0)
        summary.revisions = sum(counts.values())
        summary.events = session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(
                *_events_about(_entries_of([d.cohort.id for d in due])),
                sa.or_(_holding(AuditEvent.before), _holding(AuditEvent.after)),
            )
        )
    return summary


def _without_keys(column, dialect: str):
    """The JSON value of ``column`` without the scrubbed keys, in the database's own SQL."""
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        keys = sa.literal(list(SCRUBBED_KEYS), postgresql.ARRAY(sa.Text))
        return sa.cast(sa.cast(column, postgresql.JSONB).op("-")(keys), sa.JSON)
    return sa.func.json_remove(column, *(f"$.{key}" for key in SCRUBBED_KEYS))


def _events_about(entries) -> tuple:
    return (AuditEvent.subject_type == SUBJECT, AuditEvent.subject_id.in_(entries))


def _holding(column):
    """The event's ``before`` or ``after`` holds one of the scrubbed keys."""
    return sa.or_(*(column[key].as_string().is_not(None) for key in SCRUBBED_KEYS))


def _scrub_events(session: Session, entries) -> None:
    """Remove reflections and comments from the practice events about ``entries``."""
    dialect = session.get_bind().dialect.name
    for column in (AuditEvent.before, AuditEvent.after):
        session.execute(
            sa.update(AuditEvent)
            .where(*_events_about(entries), _holding(column))
            .values({column.key: _without_keys(column, dialect)})
            .execution_options(synchronize_session=False)
        )


def purge(
    session: Session, today: date, *, now: datetime | None = None, programmes=None
) -> Summary:
    """Redact every revision of the practice of cohorts whose retention period has ended:
    reflection emptied, review comment removed, ``redacted_at`` set (once; a later run keeps
    the first date), and the same texts taken out of the entries' audit events. Running it
    again changes nothing. Only flushes; the caller commits."""
    session.flush()
    summary = due_for_redaction(session, today, programmes)
    if not summary.cohorts:
        return summary
    entries = _entries_of([d.cohort.id for d in summary.cohorts])
    session.execute(
        sa.update(PracticeRevision)
        .where(PracticeRevision.entry_id.in_(entries), _holds_text())
        .values(
            reflection="",
            review_comment=None,
            redacted_at=sa.func.coalesce(
                PracticeRevision.redacted_at, sa.literal(now or utcnow(), UTCDateTime())
            ),
        )
        .execution_options(synchronize_session=False)
    )
    _scrub_events(session, entries)
    session.expire_all()
    return summary
