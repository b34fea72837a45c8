"""The hours ledger: per trainee and hour category, what is credited, required and still possible.

Everything is computed from two queries over the cohort's attendance (make-up sessions in the
programme's other cohorts included), so a report's number of queries does not grow with its rows.
The marks are read as plain columns, not as ORM objects: a register of 200 trainees x 60 sessions
has 12,000 of them, and building an object (and its session) for each cost ten times the rest.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import NamedTuple, Protocol

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.attendance.models import AttendanceRecord
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus, TrainingSession
from lms.collation import by_name
from lms.db import plain_rows
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

    user: User | None  # None only in figures per cohort (``dashboard.ledgers``, unnamed)
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


class Cell(Protocol):
    """A trainee's mark in one session of the register: the row of its columns as read, not an
    ORM object (12,000 of those, and the garbage they leave, were most of a large report)."""

    mark: str
    credited_minutes: int
    note: str


class Held(NamedTuple):
    """What the ledger needs of a session someone has a mark in."""

    cohort_id: int
    category: str
    minutes: int
    starts_at: datetime
    cancelled: bool


@dataclass
class Matrix:
    """The cohort register: trainees by sessions, each cell the trainee's mark or None."""

    sessions: list[TrainingSession]
    ledgers: list[Ledger]
    cells: dict[int, dict[int, Cell]]  # user id -> session id -> the mark
    make_up: dict[int, int]  # user id -> minutes credited in other cohorts' sessions

    def cell(self, user_id: int, session_id: int) -> Cell | None:
        return self.cells.get(user_id, {}).get(session_id)

    def row(self, user_id: int) -> dict[int, Cell]:
        """A trainee's marks in the cohort's sessions, by session id."""
        return self.cells.get(user_id, {})


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


def _held(item) -> Held:
    """A session (an ORM object or a row of its columns) as the ledger needs it."""
    minutes = int((item.ends_at - item.starts_at).total_seconds() // 60)
    cancelled = item.cancelled_at is not None
    return Held(item.cohort_id, item.category, minutes, item.starts_at, cancelled)


#: every mark of the people ``user_ids`` in a session of the programme ``slug``, built once
_RECORDS = (
    sa.select(
        AttendanceRecord.user_id,
        AttendanceRecord.session_id,
        AttendanceRecord.mark,
        AttendanceRecord.credited_minutes,
        AttendanceRecord.note,
    )
    .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
    .where(
        TrainingSession.cohort_id.in_(
            sa.select(Cohort.id).where(Cohort.programme_slug == sa.bindparam("slug"))
        ),
        AttendanceRecord.user_id.in_(sa.bindparam("user_ids", expanding=True)),
    )
)
#: the sessions ``ids`` as the ledger needs them
_SESSIONS = sa.select(
    TrainingSession.id, TrainingSession.cohort_id, TrainingSession.category,
    TrainingSession.starts_at, TrainingSession.ends_at, TrainingSession.cancelled_at,
).where(TrainingSession.id.in_(sa.bindparam("ids", expanding=True)))  # fmt: skip


def _records(session: Session, cohort: Cohort, user_ids, sessions: list[TrainingSession]):
    """Every mark of these people in any session of the cohort's programme, as columns (user id,
    session id, mark, credited minutes, note), and those sessions (session id -> Held): the
    listed ``sessions`` as they are, any other (a make-up elsewhere) read in one more query."""
    parameters = {"slug": cohort.programme_slug, "user_ids": list(user_ids)}
    rows = plain_rows(session, _RECORDS, parameters)
    held = {item.id: _held(item) for item in sessions}
    others = {row.session_id for row in rows} - held.keys()
    if others:
        found = plain_rows(session, _SESSIONS, {"ids": sorted(others)})
        held.update((item.id, _held(item)) for item in found)
    return rows, held


def _tally(rows, held: dict[int, Held], cohort: Cohort, since: dict[int, datetime]):
    """The register cells of the cohort's own sessions, and per trainee the minutes credited
    (by category), held, and made up in other cohorts; cancelled sessions count for nothing."""
    cells: dict[int, dict[int, Cell]] = defaultdict(dict)
    credited: dict[tuple[int, str], int] = defaultdict(int)
    minutes_held: dict[int, int] = defaultdict(int)
    make_up: dict[int, int] = defaultdict(int)
    for row in rows:
        user_id, session_id, _mark, credit, _note = row
        item = held[session_id]
        if item.cancelled:
            continue
        start = since.get(user_id)
        if start is not None and item.starts_at < start:
            continue
        if item.cohort_id == cohort.id:
            cells[user_id][session_id] = row
        else:
            make_up[user_id] += credit
        credited[(user_id, item.category)] += credit
        minutes_held[user_id] += item.minutes
    return dict(cells), credited, minutes_held, make_up


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
    people: list | None = None,
) -> Matrix:
    """Ledgers and register cells for the cohort's trainees (or one of them).

    ``since`` (user id -> time) leaves out a person's marks in sessions that started before it:
    someone taking the programme again starts from nothing. ``today`` (the local date; by
    default that of ``now``) decides whether the cohort has started and can still schedule.
    ``people``: for one trainee (``user_id``) read already, [(their User, enrolment status)]."""
    now = now or datetime.now(UTC)
    today = today or now.date()
    if people is None:
        people = _people(session, cohort, user_id)
    else:
        assert user_id is not None and [user.id for user, _status in people] == [user_id]
    ids = [user.id for user, _status in people]  # everyone enrolled, or the one trainee
    rows, held = _records(session, cohort, ids, sessions) if people else ([], {})
    cells, credited, minutes_held, make_up = _tally(rows, held, cohort, since or {})
    # still achievable: the category's open sessions less those the trainee has a mark in
    open_minutes: dict[str, int] = defaultdict(int)
    listed: dict[int, tuple[str, int]] = {}
    for item in sessions:
        if not item.cancelled:
            listed[item.id] = (item.category, item.minutes)
            open_minutes[item.category] += item.minutes
    marked_minutes: dict[tuple[int, str], int] = defaultdict(int)
    for person, marks in cells.items():
        for session_id in marks.keys() & listed.keys():
            category, minutes = listed[session_id]
            marked_minutes[(person, category)] += minutes
    ledgers = []
    for user, status in people:
        lines = [
            CategoryLine(
                category,
                credited[(user.id, category.slug)],
                achievable=open_minutes[category.slug] - marked_minutes[(user.id, category.slug)],
                unscheduled=unscheduled_minutes(
                    category, open_minutes[category.slug], cohort, today
                ),
            )
            for category in programme.categories
        ]
        ledger = Ledger(
            user,
            status,
            lines,
            held_minutes=minutes_held[user.id],
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
