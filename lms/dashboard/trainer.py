"""What waits for a trainer across every cohort they train: today's and the week's sessions,
practice entries to sign off, essays to grade and trainees at risk, in a fixed number of
statements however many cohorts, trainees and entries there are."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.attendance.api import Ledger
from lms.auth.models import User
from lms.cohorts.api import local_datetime
from lms.cohorts.models import Cohort, TrainingSession, cohort_trainers
from lms.dashboard.ledgers import cohort_ledgers
from lms.db import plain_rows
from lms.practice.models import AWAITING, PracticeEntry, PracticeRevision
from lms.programmes.api import Programme, ProgrammeSet
from lms.quizzes.models import QuizAttempt, QuizResponse

SESSIONS_SHOWN = 10
DAYS_AHEAD = 7
AT_RISK_SHOWN = 10


@dataclass
class AtRisk:
    """A trainee who may not finish, with the cohort and programme to explain why."""

    cohort: Cohort
    programme: Programme
    ledger: Ledger


@dataclass
class TrainerHome:
    today: list[TrainingSession] = field(default_factory=list)
    coming: list[TrainingSession] = field(default_factory=list)  # the next DAYS_AHEAD days
    practice: list[tuple[Cohort, int]] = field(default_factory=list)  # entries to sign off
    essays: int = 0
    at_risk: list[AtRisk] = field(default_factory=list)
    cohorts: int = 0  # how many cohorts the person trains

    @property
    def practice_total(self) -> int:
        return sum(count for _, count in self.practice)

    @property
    def at_risk_shown(self) -> list[AtRisk]:
        return self.at_risk[:AT_RISK_SHOWN]

    @property
    def at_risk_more(self) -> int:
        return max(0, len(self.at_risk) - AT_RISK_SHOWN)


#: The home's own reads, built once (building a statement costs more than running it): the
#: cohorts the person trains (not their trainers), and their sessions in a span of time.
_TRAINED = (
    sa.select(Cohort)
    .where(
        Cohort.id.in_(
            sa.select(cohort_trainers.c.cohort_id).where(
                cohort_trainers.c.user_id == sa.bindparam("user_id")
            )
        )
    )
    .order_by(Cohort.starts_on.desc(), Cohort.name)
    .options(so.lazyload(Cohort.trainers))
)
_SESSIONS = (
    sa.select(TrainingSession)
    .where(
        TrainingSession.cohort_id.in_(sa.bindparam("ids", expanding=True)),
        TrainingSession.cancelled_at.is_(None),
        TrainingSession.starts_at >= sa.bindparam("start"),
        TrainingSession.starts_at < sa.bindparam("end"),
    )
    .order_by(TrainingSession.starts_at, TrainingSession.id)
    .limit(SESSIONS_SHOWN)
)


def _sessions(session: Session, ids: list[int], today: date, zone: str):
    """Today's sessions (also those already over) and the next days', not cancelled."""
    start = local_datetime(today, time(0), zone)
    tomorrow = local_datetime(today + timedelta(days=1), time(0), zone)
    end = local_datetime(today + timedelta(days=DAYS_AHEAD + 1), time(0), zone)
    items = session.scalars(_SESSIONS, {"ids": ids, "start": start, "end": end}).all()
    today_items = [item for item in items if item.starts_at < tomorrow]
    return today_items, items[len(today_items) :]


#: submitted entries per cohort of ``ids``, but not ``user_id``'s own (built once)
_AWAITING_PRACTICE = (
    sa.select(PracticeEntry.cohort_id, sa.func.count(PracticeRevision.id))
    .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
    .where(
        PracticeEntry.cohort_id.in_(sa.bindparam("ids", expanding=True)),
        PracticeEntry.user_id != sa.bindparam("user_id"),
        PracticeRevision.status.in_(AWAITING),
    )
    .group_by(PracticeEntry.cohort_id)
)
#: essay answers waiting for a grade in the cohorts ``ids``, but not ``user_id``'s own
_AWAITING_ESSAYS = (
    sa.select(sa.func.count(QuizResponse.id))
    .join(QuizAttempt, QuizResponse.attempt_id == QuizAttempt.id)
    .where(
        QuizAttempt.cohort_id.in_(sa.bindparam("ids", expanding=True)),
        QuizAttempt.user_id != sa.bindparam("user_id"),
        QuizAttempt.submitted_at.is_not(None),
        QuizAttempt.awaiting_grading.is_(True),
        QuizResponse.fraction.is_(None),
    )
)


def _practice(session: Session, cohorts: dict[int, Cohort], user: User) -> list[tuple[Cohort, int]]:
    """Submitted entries per cohort; a trainer never signs off their own, so those are left out."""
    parameters = {"ids": list(cohorts), "user_id": user.id}
    counts = dict(plain_rows(session, _AWAITING_PRACTICE, parameters))
    return [(cohort, counts[cohort.id]) for cohort in cohorts.values() if counts.get(cohort.id)]


def _essays(session: Session, ids: list[int], user: User) -> int:
    """Essay answers waiting for a grade in these cohorts (as ``quizzes.grading_queue`` lists
    them), leaving out the person's own."""
    return plain_rows(session, _AWAITING_ESSAYS, {"ids": ids, "user_id": user.id})[0][0]


def trainer_home(
    session: Session, user: User, programmes: ProgrammeSet, *, today: date, zone: str
) -> TrainerHome:
    """Everything waiting for ``user`` in the cohorts they train; at-risk trainees are those of
    the cohorts running today, by cohort and name."""
    cohorts = {cohort.id: cohort for cohort in session.scalars(_TRAINED, {"user_id": user.id})}
    home = TrainerHome(cohorts=len(cohorts))
    if not cohorts:
        return home
    ids = list(cohorts)
    home.today, home.coming = _sessions(session, ids, today, zone)
    home.practice = _practice(session, cohorts, user)
    home.essays = _essays(session, ids, user)
    running = [
        (cohort, programme)
        for cohort in cohorts.values()
        if cohort.starts_on <= today <= cohort.ends_on
        and (programme := programmes.get(cohort.programme_slug)) is not None
    ]
    ledgers = cohort_ledgers(session, running, today=today)
    home.at_risk = [
        AtRisk(cohort, programme, ledger)
        for cohort, programme in running
        for ledger in ledgers[cohort.id]
        if ledger.at_risk
    ]
    return home
