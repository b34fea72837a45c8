"""The hours ledger: per trainee and hour category, what is credited, required and still possible.

Everything is computed from one query over the cohort's attendance (make-up sessions in the
programme's other cohorts included), so a report's cost does not grow with its rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.attendance.models import AttendanceRecord
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus, TrainingSession
from lms.collation import by_name
from lms.programmes.api import Category, Programme


@dataclass
class CategoryLine:
    """One hour category of one trainee's ledger, in minutes."""

    category: Category
    credited: int = 0
    achievable: int = 0  # minutes of the cohort's sessions not yet held or not yet marked
    #: syllabus minutes the cohort's schedule does not hold yet, while it can still add them
    unscheduled: int = 0

    @property
    def required(self) -> int:
        return self.category.required_minutes

    @property
    def remaining(self) -> int:
        return max(0, self.required - self.credited)

    @property
    def met(self) -> bool:
        return self.credited >= self.required

    @property
    def possible(self) -> bool:
        """Whether the sessions already scheduled are enough."""
        return self.credited + self.achievable >= self.required

    @property
    def reachable_minutes(self) -> int:
        """The most the trainee can still have: every session to come, scheduled or not yet."""
        return self.credited + self.achievable + self.unscheduled

    @property
    def state(self) -> str:
        """``met``; ``unreachable`` even if the whole syllabus were scheduled; ``unscheduled``
        when only the sessions not yet in the schedule stand between; else ``on_track``."""
        if self.met:
            return "met"
        if self.reachable_minutes < self.required:
            return "unreachable"
        return "on_track" if self.possible else "unscheduled"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.credited / self.required)) if self.required else 100


@dataclass
class Ledger:
    """A trainee's hours in a programme, with the reasons they are at risk, if any."""

    user: User
    status: str
    lines: list[CategoryLine]
    held_minutes: int = 0  # length of the marked sessions, the base of the attendance share
    credited_minutes: int = 0
    minimum_share: float = 1.0
    risks: list[str] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.credited_minutes / self.held_minutes if self.held_minutes else None

    @property
    def at_risk(self) -> bool:
        return bool(self.risks)

    @property
    def unreachable_lines(self) -> list[CategoryLine]:
        """The categories that put the trainee at risk."""
        return [line for line in self.lines if f"unreachable:{line.category.slug}" in self.risks]

    @property
    def complete(self) -> bool:
        return all(line.met for line in self.lines)


@dataclass
class Matrix:
    """The cohort register: trainees by sessions, each cell the trainee's record or None."""

    sessions: list[TrainingSession]
    ledgers: list[Ledger]
    cells: dict[tuple[int, int], AttendanceRecord]
    make_up: dict[int, int]  # user id -> minutes credited in other cohorts' sessions

    def cell(self, user_id: int, session_id: int) -> AttendanceRecord | None:
        return self.cells.get((user_id, session_id))


def _people(session: Session, cohort: Cohort, user_id: int | None = None):
    statement = (
        sa.select(User, Enrolment.status)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.cohort_id == cohort.id)
        .options(so.raiseload(User.role_rows))
    )
    if user_id is not None:
        statement = statement.where(User.id == user_id)
    rows = session.execute(statement).all()
    return by_name(rows, lambda row: row[0].display_name, tie=lambda row: row[0].id)


def _records(session: Session, cohort: Cohort, user_ids):
    """Every mark of these people in any session of the cohort's programme, with its session."""
    programme_cohorts = sa.select(Cohort.id).where(Cohort.programme_slug == cohort.programme_slug)
    return session.execute(
        sa.select(AttendanceRecord, TrainingSession)
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .where(
            TrainingSession.cohort_id.in_(programme_cohorts),
            AttendanceRecord.user_id.in_(user_ids),
        )
    ).all()


def build_matrix(
    session: Session,
    cohort: Cohort,
    programme: Programme,
    sessions: list[TrainingSession],
    *,
    user_id: int | None = None,
    now: datetime | None = None,
    since: dict[int, datetime] | None = None,
    today: date | None = None,
) -> Matrix:
    """Ledgers and register cells for the cohort's trainees (or one of them).

    ``since`` (user id -> time) leaves out a person's marks in sessions that started before it:
    someone taking the programme again starts from nothing. ``today`` (the local date; by
    default that of ``now``) decides whether the cohort has started and can still schedule."""
    now = now or datetime.now(UTC)
    today = today or now.date()
    people = _people(session, cohort, user_id)
    enrolled = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    ids = [user_id] if user_id is not None else enrolled
    rows = _records(session, cohort, ids) if people else []
    cells: dict[tuple[int, int], AttendanceRecord] = {}
    credited: dict[tuple[int, str], int] = defaultdict(int)
    held: dict[int, int] = defaultdict(int)
    make_up: dict[int, int] = defaultdict(int)
    since = since or {}
    for record, item in rows:
        if item.cancelled:
            continue
        start = since.get(record.user_id)
        if start is not None and item.starts_at < start:
            continue
        if item.cohort_id == cohort.id:
            cells[(record.user_id, item.id)] = record
        else:
            make_up[record.user_id] += record.credited_minutes
        credited[(record.user_id, item.category)] += record.credited_minutes
        held[record.user_id] += item.minutes
    scheduled: dict[str, int] = defaultdict(int)
    for item in sessions:
        if not item.cancelled:
            scheduled[item.category] += item.minutes
    ledgers = []
    for user, status in people:
        lines = []
        for category in programme.categories:
            line = CategoryLine(
                category,
                credited[(user.id, category.slug)],
                unscheduled=unscheduled_minutes(category, scheduled[category.slug], cohort, today),
            )
            line.achievable = sum(
                item.minutes
                for item in sessions
                if item.category == category.slug
                and not item.cancelled
                and (user.id, item.id) not in cells
            )
            lines.append(line)
        ledger = Ledger(
            user,
            status,
            lines,
            held_minutes=held[user.id],
            credited_minutes=sum(line.credited for line in lines),
            minimum_share=programme.attendance_minimum,
        )
        ledger.risks = risks(ledger, programme, cohort, today)
        ledgers.append(ledger)
    return Matrix(sessions, ledgers, cells, dict(make_up))


def unscheduled_minutes(category: Category, scheduled: int, cohort: Cohort, today: date) -> int:
    """Syllabus minutes of ``category`` not yet in the cohort's schedule (``scheduled`` minutes,
    cancelled sessions left out). Once the cohort has ended nothing more will be scheduled."""
    if today > cohort.ends_on:
        return 0
    return max(0, category.syllabus_minutes - scheduled)


def risks(ledger: Ledger, programme: Programme, cohort: Cohort, today: date) -> list[str]:
    """Why a trainee may not finish: a category out of reach even if the rest of the syllabus
    were scheduled, or attendance below the minimum. Nobody is at risk before the cohort starts,
    and hours merely not scheduled yet are the schedule's gap, not the trainee's risk."""
    if ledger.status != EnrolmentStatus.ACTIVE or today < cohort.starts_on:
        return []
    found = [
        f"unreachable:{line.category.slug}" for line in ledger.lines if line.state == "unreachable"
    ]
    if ledger.share is not None and ledger.share < programme.attendance_minimum:
        found.append("attendance")
    return found
