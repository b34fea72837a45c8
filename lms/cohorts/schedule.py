"""Schedule rules beyond a single session: hours scheduled against the syllabus, warnings that
ask before saving, deleting unmarked sessions, changing the rest of a series, and the make-up
sessions an at-risk trainee can attend."""

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit, hooks
from lms.auth.models import User
from lms.cohorts.models import Cohort, TrainingSession
from lms.cohorts.services import CohortError
from lms.cohorts.sessions import (
    SessionPlan,
    cancel_session,
    change_session,
    check_plan,
    local_datetime,
    session_snapshot,
)
from lms.programmes.api import Category, Programme

MAKE_UPS_SHOWN = 5


@dataclass
class CategoryHours:
    """How much of a category's syllabus the cohort's schedule holds (cancelled ones left out)."""

    category: Category
    scheduled: int  # minutes

    @property
    def syllabus(self) -> int:
        return self.category.syllabus_minutes


def scheduled_hours(programme: Programme, sessions: list[TrainingSession]) -> list[CategoryHours]:
    """Each category of the programme with the minutes the schedule holds for it."""
    minutes = {category.slug: 0 for category in programme.categories}
    for item in sessions:
        if not item.cancelled and item.category in minutes:
            minutes[item.category] += item.minutes
    return [CategoryHours(category, minutes[category.slug]) for category in programme.categories]


# --- Warnings that ask before saving -----------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """A session as it would be after saving: its local day, times, and category."""

    day: date
    starts_at: datetime
    ends_at: datetime
    category: str

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass(frozen=True)
class ScheduleWarning:
    """Something to confirm before saving: ``kind`` is ``dates`` (outside the cohort's dates),
    ``past`` or ``hours`` (more than the syllabus of ``category``, ``minutes`` in all)."""

    kind: str
    count: int = 0
    category: Category | None = None
    minutes: int = 0

    @property
    def key(self) -> str:
        return (
            f"{self.kind}:{self.category.slug if self.category else ''}:{self.count}:{self.minutes}"
        )


def planned_from(plan: SessionPlan, zone: str, days: list[date]) -> list[Planned]:
    """The sessions ``plan`` would make (or leave) on ``days``."""
    return [
        Planned(
            day,
            local_datetime(day, plan.start, zone),
            local_datetime(day, plan.end, zone),
            plan.category,
        )
        for day in days
    ]


def warnings_for(
    cohort: Cohort,
    programme: Programme,
    existing: list[TrainingSession],
    planned: list[Planned],
    *,
    now: datetime,
    replacing: frozenset[int] = frozenset(),
    moved: bool = True,
) -> list[ScheduleWarning]:
    """What to ask before saving ``planned`` in place of the sessions ``replacing``: sessions
    outside the cohort's dates or in the past (only when ``moved``, so that correcting a held
    session's title asks nothing), and a category given more hours than its syllabus holds
    (only when the change adds to it)."""
    found = []
    outside = sum(not cohort.starts_on <= item.day <= cohort.ends_on for item in planned)
    if moved and outside:
        found.append(ScheduleWarning("dates", outside))
    past = sum(item.starts_at < now for item in planned)
    if moved and past:
        found.append(ScheduleWarning("past", past))
    live = [item for item in existing if not item.cancelled]
    for category in programme.categories:
        slug = category.slug
        adding = sum(item.minutes for item in planned if item.category == slug)
        kept = sum(i.minutes for i in live if i.category == slug and i.id not in replacing)
        replaced = sum(i.minutes for i in live if i.category == slug and i.id in replacing)
        if adding > replaced and kept + adding > category.syllabus_minutes:
            found.append(ScheduleWarning("hours", category=category, minutes=kept + adding))
    return found


def fingerprint(warnings: list[ScheduleWarning]) -> str:
    """A digest of the warnings a form was shown: saving goes ahead only when the same ones are
    confirmed, so a changed field that raises a new warning asks again."""
    text = "|".join(sorted(warning.key for warning in warnings))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- Deleting, and the rest of a series --------------------------------------------------------


def marked_sessions(session: Session, session_ids: list[int]) -> set[int]:
    """The sessions among ``session_ids`` with any mark or check-in: those can only be cancelled."""
    return hooks.ask("recorded_sessions", session, session_ids) if session_ids else set()


def delete_session(session: Session, item: TrainingSession, actor: User) -> None:
    """Delete a session nobody has a mark or check-in for; the audit trail keeps what it was."""
    if marked_sessions(session, [item.id]):
        raise CohortError(_l("This session has marks, so it can only be cancelled."))
    audit.record(
        session,
        actor_id=actor.id,
        action="session.deleted",
        subject_type="session",
        subject_id=item.id,
        before=session_snapshot(item),
    )
    session.delete(item)
    session.flush()


def series_rest(session: Session, item: TrainingSession) -> list[TrainingSession]:
    """This session and the following ones of its series that are not cancelled."""
    if item.series_key is None:
        return [item]
    return list(
        session.scalars(
            sa.select(TrainingSession)
            .where(
                TrainingSession.cohort_id == item.cohort_id,
                TrainingSession.series_key == item.series_key,
                TrainingSession.starts_at >= item.starts_at,
                TrainingSession.cancelled_at.is_(None),
            )
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    )


def local_day(item: TrainingSession, zone: str) -> date:
    """The session's date where it takes place."""
    return item.starts_at.astimezone(ZoneInfo(zone)).date()


def update_series(
    session: Session,
    rest: list[TrainingSession],
    programme: Programme,
    plan: SessionPlan,
    *,
    zone: str,
    actor: User,
) -> None:
    """Give every session of ``rest`` the plan's title, category, times, place and link; each
    keeps its own date and lessons."""
    check_plan(dataclasses.replace(plan, lessons=[], repeat_weeks=1), programme, set())
    for item in rest:
        own = dataclasses.replace(plan, lessons=list(item.lessons or []))
        change_session(session, item, own, local_day(item, zone), zone=zone, actor=actor)


def cancel_series(session: Session, rest: list[TrainingSession], reason: str, actor: User) -> None:
    """Cancel every session of ``rest`` with one reason."""
    for item in rest:
        cancel_session(session, item, reason, actor)


# --- What an at-risk trainee can do ------------------------------------------------------------


@dataclass
class RiskHelp:
    """Coming make-up sessions in the programme's other cohorts, and whom to ask."""

    make_ups: list[tuple[Cohort, TrainingSession]]
    trainers: list[User]


def risk_help(session: Session, cohort: Cohort, categories: list[str], now: datetime) -> RiskHelp:
    """The next sessions of the programme's other cohorts in ``categories`` (any category when
    empty), soonest first, and the cohort's trainers to arrange attending one."""
    statement = (
        sa.select(Cohort, TrainingSession)
        .join(TrainingSession, TrainingSession.cohort_id == Cohort.id)
        .where(
            Cohort.programme_slug == cohort.programme_slug,
            Cohort.id != cohort.id,
            TrainingSession.starts_at > now,
            TrainingSession.cancelled_at.is_(None),
        )
        .order_by(TrainingSession.starts_at, TrainingSession.id)
        .limit(MAKE_UPS_SHOWN)
    )
    if categories:
        statement = statement.where(TrainingSession.category.in_(categories))
    make_ups = [(other, item) for other, item in session.execute(statement)]
    return RiskHelp(make_ups, list(cohort.trainers))
