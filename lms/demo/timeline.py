"""The demo's sense of time: every date is counted back (or on) from the day it is loaded, and
rows made along the way carry the simulated moment, not the moment of loading.

The services take ``now`` and ``today`` as arguments, so the demo passes its simulated time to
them. The audit trail and a few ``created_at``-style columns stamp themselves with the real
clock; ``Clock`` restamps the new rows of those tables when the session flushes, so that an
entry's history reads as the work happened.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.orm import Session

from lms.alumni.models import EmploymentFollowUp
from lms.attendance.models import AttendanceRecord
from lms.audit import AuditEvent
from lms.auth.models import User
from lms.certificates.models import FinalSignOff
from lms.cohorts.models import Cohort, Enrolment
from lms.cohorts.sessions import local_datetime, schedule
from lms.courses.models import LessonCompletion
from lms.programmes.definitions import ProgrammeSet

#: (model, column) stamped with the simulated moment; the audit's own stamp is always replaced,
#: the others only when the code that made the row left them to their default
STAMPED = (
    (User, "created_at"),
    (Cohort, "created_at"),
    (Enrolment, "enrolled_at"),
    (AttendanceRecord, "updated_at"),
    (LessonCompletion, "completed_at"),
    (FinalSignOff, "signed_at"),
    (EmploymentFollowUp, "recorded_at"),
)


class Clock:
    """The simulated moment new rows are stamped with."""

    def __init__(self, now: datetime):
        self.now = now

    def stamp(self, session: Session, *_args) -> None:
        for row in session.new:
            if isinstance(row, AuditEvent):
                row.at = self.now
                continue
            for model, column in STAMPED:
                if isinstance(row, model) and getattr(row, column) is None:
                    setattr(row, column, self.now)


@contextmanager
def running(session: Session, clock: Clock):
    """Stamp the rows this session makes with ``clock`` while the block runs."""
    sa.event.listen(session, "before_flush", clock.stamp)
    try:
        yield
    finally:
        sa.event.remove(session, "before_flush", clock.stamp)


@dataclass
class Demo:
    """What every part of the demo builder needs: the session, the day it is loaded on, the
    simulated clock, the programmes and lessons, and the people by email."""

    session: Session
    today: date
    now: datetime
    zone: str
    programmes: ProgrammeSet
    lesson_refs: set[str]
    people: dict
    clock: Clock = field(init=False)

    def __post_init__(self):
        self.clock = Clock(self.now)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def person(self, email: str) -> User:
        return self.people[email]

    def moment(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A local wall-clock time on ``day``, as an aware UTC datetime."""
        return local_datetime(day, time(hour, minute), self.zone)

    def tick(self, when: datetime) -> datetime:
        """Move the simulated clock, after stamping what was made before."""
        self.session.flush()
        self.clock.now = min(when, self.now)
        return self.clock.now

    def schedule(self, cohort: Cohort, programme, plan, trainer: User) -> list:
        """Schedule one session plan through the cohorts service, as the trainer would."""
        return schedule(
            self.session,
            cohort,
            programme,
            plan,
            zone=self.zone,
            lesson_refs=self.lesson_refs,
            actor=trainer,
        )

    def in_language(self, user: User, text) -> str:
        """A lazy text as ``user`` read it on their screen (attestations are signed as shown)."""
        with force_locale(user.language):
            return str(text)


def days_ago(today: date, days: int, weekday: int | None = None) -> date:
    """The day ``days`` before ``today``, moved back to the nearest ``weekday`` (0 = Monday)."""
    day = today - timedelta(days=days)
    if weekday is not None:
        day -= timedelta(days=(day.weekday() - weekday) % 7)
    return day
