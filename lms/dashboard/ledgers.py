"""The hours ledgers of many cohorts at once, summed by the database.

The same figures and at-risk rules as ``lms.attendance.ledger.build_matrix`` (make-up sessions in
the programme's other cohorts count, cancelled sessions do not, a category out of reach or
attendance below the minimum puts an active trainee at risk once the cohort has started; hours
not yet scheduled are not out of reach), but three statements serve every
listed cohort, however many trainees, sessions and marks they have. Like the register pages, it
counts every mark of the programme (``since``, the retake rule of the certificate checklist, is
the checklist's own).
"""

import functools
from collections import defaultdict
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.attendance.api import CategoryLine, Ledger, risks, unscheduled_minutes
from lms.attendance.models import AttendanceRecord
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, TrainingSession
from lms.collation import by_name
from lms.db import plain_rows
from lms.programmes.api import Programme


def _session_minutes(dialect: str):
    """A session's length in minutes, as an SQL expression of the database ``dialect``."""
    starts, ends = TrainingSession.starts_at, TrainingSession.ends_at
    if dialect == "postgresql":
        minutes = sa.extract("epoch", ends - starts) / 60
    else:
        minutes = (sa.func.julianday(ends) - sa.func.julianday(starts)) * 1440
    return sa.cast(minutes, sa.Float)


#: the listed cohorts' ids, bound at every run of a prebuilt statement
_IDS = sa.bindparam("ids", expanding=True)


@functools.cache
def _statements(dialect: str) -> tuple:
    """The marks and scheduled statements for ``dialect``, built once (building them took
    longer than running them): the cohorts come in as the ``ids`` parameter."""
    own, taught = so.aliased(Cohort), so.aliased(Cohort)
    marks = (
        sa.select(
            Enrolment.cohort_id,
            Enrolment.user_id,
            TrainingSession.cohort_id,
            TrainingSession.category,
            sa.func.sum(AttendanceRecord.credited_minutes),
            sa.func.sum(_session_minutes(dialect)),
        )
        .select_from(Enrolment)
        .join(own, own.id == Enrolment.cohort_id)
        .join(AttendanceRecord, AttendanceRecord.user_id == Enrolment.user_id)
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .join(
            taught,
            sa.and_(
                taught.id == TrainingSession.cohort_id, taught.programme_slug == own.programme_slug
            ),
        )
        .where(Enrolment.cohort_id.in_(_IDS), TrainingSession.cancelled_at.is_(None))
        .group_by(
            Enrolment.cohort_id,
            Enrolment.user_id,
            TrainingSession.cohort_id,
            TrainingSession.category,
        )
    )
    scheduled = (
        sa.select(
            TrainingSession.cohort_id,
            TrainingSession.category,
            sa.func.sum(_session_minutes(dialect)),
        )
        .where(TrainingSession.cohort_id.in_(_IDS), TrainingSession.cancelled_at.is_(None))
        .group_by(TrainingSession.cohort_id, TrainingSession.category)
    )
    return marks, scheduled


#: everyone enrolled in the listed cohorts, as ids only
_ENROLLED = sa.select(Enrolment.cohort_id, Enrolment.status, Enrolment.user_id).where(
    Enrolment.cohort_id.in_(_IDS)
)


#: everyone enrolled in the listed cohorts, with their person (not the person's roles)
_ENROLLED_PEOPLE = (
    sa.select(Enrolment.cohort_id, Enrolment.status, User)
    .join(User, User.id == Enrolment.user_id)
    .where(Enrolment.cohort_id.in_(_IDS))
    .options(so.raiseload(User.role_rows))
)


def _marks(session: Session, cohort_ids: list[int]):
    """(cohort, trainee, session's cohort, category) -> credited and held minutes."""
    marks, _ = _statements(session.get_bind().dialect.name)
    return plain_rows(session, marks, {"ids": cohort_ids})


def _scheduled(session: Session, cohort_ids: list[int]) -> dict[tuple[int, str], int]:
    """(cohort, category) -> minutes of the cohort's sessions that are not cancelled."""
    _, scheduled = _statements(session.get_bind().dialect.name)
    rows = plain_rows(session, scheduled, {"ids": cohort_ids})
    return {(cohort_id, category): round(minutes) for cohort_id, category, minutes in rows}


def _people(session: Session, ids: list[int], named: bool) -> list[tuple]:
    """(cohort id, enrolment status, User or None, user id) of everyone enrolled, by name when
    ``named``; otherwise the people are not read (nor sorted), only their ids."""
    if not named:
        return [
            (cohort_id, status, None, user_id)
            for cohort_id, status, user_id in plain_rows(session, _ENROLLED, {"ids": ids})
        ]
    people = session.execute(_ENROLLED_PEOPLE, {"ids": ids}).all()
    people = by_name(people, lambda row: row[2].display_name, tie=lambda row: row[2].id)
    return [(cohort_id, status, user, user.id) for cohort_id, status, user in people]


def cohort_ledgers(
    session: Session, cohorts: list[tuple[Cohort, Programme]], *, today: date, named: bool = True
) -> dict[int, list[Ledger]]:
    """cohort id -> the ledger of each enrolled person (withdrawn ones too, as the register
    shows them), by name; in three statements for all the cohorts. ``today`` is the local date.
    ``named=False``, for figures per cohort: the ledgers in no order, each ``user`` None."""
    programmes = {cohort.id: programme for cohort, programme in cohorts}
    ids = list(programmes)
    if not ids:
        return {}
    people = _people(session, ids, named)
    if not people:
        return {cohort_id: [] for cohort_id in ids}
    credited: dict[tuple[int, int, str], int] = defaultdict(int)
    marked: dict[tuple[int, int, str], int] = defaultdict(int)  # minutes of own sessions marked
    held: dict[tuple[int, int], float] = defaultdict(float)
    for cohort_id, user_id, taught_in, category, minutes, length in _marks(session, ids):
        credited[(cohort_id, user_id, category)] += minutes
        held[(cohort_id, user_id)] += length
        if taught_in == cohort_id:
            marked[(cohort_id, user_id, category)] += round(length)
    scheduled = _scheduled(session, ids)
    table: dict[int, list[Ledger]] = {cohort_id: [] for cohort_id in ids}
    by_id = {cohort.id: cohort for cohort, _ in cohorts}
    # per cohort and category, once: (category, minutes scheduled, minutes not yet scheduled)
    plan = {
        cohort.id: [
            (category, minutes, unscheduled_minutes(category, minutes, cohort, today))
            for category in programme.categories
            for minutes in [scheduled.get((cohort.id, category.slug), 0)]
        ]
        for cohort, programme in cohorts
    }
    for cohort_id, status, user, user_id in people:
        programme, cohort = programmes[cohort_id], by_id[cohort_id]
        lines = [
            CategoryLine(
                category,
                credited[(cohort_id, user_id, category.slug)],
                minutes - marked[(cohort_id, user_id, category.slug)],
                unscheduled,
            )
            for category, minutes, unscheduled in plan[cohort_id]
        ]
        ledger = Ledger(
            user,
            status,
            lines,
            held_minutes=round(held[(cohort_id, user_id)]),
            credited_minutes=sum(line.credited for line in lines),
            minimum_share=programme.attendance_minimum,
        )
        ledger.risks = risks(ledger, programme, cohort, today)
        table[cohort_id].append(ledger)
    return table
