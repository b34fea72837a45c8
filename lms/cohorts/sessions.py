"""Sessions of a cohort: a plan checked and applied to one day, changed or cancelled; a cohort's
sessions in order. Warnings, series and deletion are in ``schedule``."""

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit, hooks
from lms.auth.models import User
from lms.cohorts.models import (
    Cohort,
    TrainingSession,
)
from lms.cohorts.services import CohortError
from lms.programmes.api import Programme

MAX_SESSION_HOURS = 12
MAX_REPEATS = 52
MAX_LINK_LENGTH = 500


# --- The schedule -----------------------------------------------------------------------------


@dataclass
class SessionPlan:
    """What a trainer types to schedule a session (or a weekly series of them)."""

    title: str
    category: str
    day: date
    start: time
    end: time
    place: str = ""
    online_url: str = ""
    lessons: list[str] = field(default_factory=list)
    repeat_weeks: int = 1


def link_problem(url: str):
    """Why ``url`` cannot be a session's online link, or None. Only one http(s) address with a
    host is taken, without spaces or control characters: the link goes into calendar feeds,
    where a line break would end the property and start another."""
    if len(url) > MAX_LINK_LENGTH or any(
        char.isspace() or unicodedata.category(char).startswith("C") for char in url
    ):
        return _l(
            "The online link must be one web address of at most %(n)d characters, without "
            "spaces or line breaks.",
            n=MAX_LINK_LENGTH,
        )
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return _l("The online link must start with https://.")
    return None


def local_datetime(day: date, clock: time, zone: str) -> datetime:
    """A wall-clock time in the app's time zone, as an aware UTC datetime."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def check_plan(plan: SessionPlan, programme: Programme, lesson_refs: set[str]) -> None:
    """Refuse a plan with a missing title, an unknown category or lesson, a bad link or times."""
    if not plan.title.strip() or len(plan.title) > 160:
        raise CohortError(_l("A session needs a title of at most 160 characters."))
    if programme.category(plan.category) is None:
        raise CohortError(_l("Choose one of the programme's hour categories."))
    if plan.end <= plan.start:
        raise CohortError(_l("A session must end after it starts."))
    if not 1 <= plan.repeat_weeks <= MAX_REPEATS:
        raise CohortError(_l("Repeat between 1 and %(n)d weeks.", n=MAX_REPEATS))
    url = plan.online_url.strip()
    if url and (problem := link_problem(url)):
        raise CohortError(problem)
    unknown = [ref for ref in plan.lessons if ref not in lesson_refs]
    if unknown:
        raise CohortError(_l("Unknown lesson: %(lesson)s.", lesson=unknown[0]))


def apply_plan(item: TrainingSession, plan: SessionPlan, day: date, zone: str) -> None:
    """Write the plan into ``item`` as a session on ``day`` (local date)."""
    item.title = plan.title.strip()
    item.category = plan.category
    item.starts_at = local_datetime(day, plan.start, zone)
    item.ends_at = local_datetime(day, plan.end, zone)
    if item.ends_at - item.starts_at > timedelta(hours=MAX_SESSION_HOURS):
        raise CohortError(_l("A session lasts at most %(n)d hours.", n=MAX_SESSION_HOURS))
    item.place = plan.place.strip() or None
    item.online_url = plan.online_url.strip() or None
    item.lessons = list(plan.lessons)


def schedule(
    session: Session,
    cohort: Cohort,
    programme: Programme,
    plan: SessionPlan,
    *,
    zone: str,
    lesson_refs: set[str],
    actor: User,
) -> list[TrainingSession]:
    """Add a session, or a series repeating weekly on the same weekday and time."""
    check_plan(plan, programme, lesson_refs)
    series_key = uuid.uuid4().hex if plan.repeat_weeks > 1 else None
    created = []
    for week in range(plan.repeat_weeks):
        item = TrainingSession(cohort_id=cohort.id, series_key=series_key)
        apply_plan(item, plan, plan.day + timedelta(weeks=week), zone)
        session.add(item)
        created.append(item)
    session.flush()
    for item in created:
        audit.record(
            session,
            actor_id=actor.id,
            action="session.scheduled",
            subject_type="session",
            subject_id=item.id,
            after=session_snapshot(item),
        )
    return created


def update_session(
    session: Session,
    item: TrainingSession,
    programme: Programme,
    plan: SessionPlan,
    *,
    zone: str,
    lesson_refs: set[str],
    actor: User,
) -> None:
    """Change one session; credited minutes may not exceed its new length."""
    plan.repeat_weeks = 1
    check_plan(plan, programme, lesson_refs)
    change_session(session, item, plan, plan.day, zone=zone, actor=actor)


def change_session(
    session: Session,
    item: TrainingSession,
    plan: SessionPlan,
    day: date,
    *,
    zone: str,
    actor: User,
) -> None:
    """Apply a checked plan to one session on ``day``, keep its credits within its length, and
    record the change."""
    before = session_snapshot(item)
    apply_plan(item, plan, day, zone)
    check_credits_fit(session, item)
    audit.record(
        session,
        actor_id=actor.id,
        action="session.changed",
        subject_type="session",
        subject_id=item.id,
        before=before,
        after=session_snapshot(item),
    )


def check_credits_fit(session: Session, item: TrainingSession) -> None:
    """Refuse a session made shorter than what somebody is already credited with for it."""
    longest = hooks.ask("longest_credit", session, item.id)
    if longest is not None and longest > item.minutes:
        raise CohortError(
            _l(
                "Somebody is already credited with %(n)d minutes; shorten their credit first.",
                n=longest,
            )
        )


def cancel_session(session: Session, item: TrainingSession, reason: str, actor: User) -> None:
    """Cancel a session; it stays in the schedule and its register stays in the history."""
    if item.cancelled:
        raise CohortError(_l("The session is already cancelled."))
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise CohortError(_l("Give a reason of at most 300 characters."))
    item.cancelled_at = datetime.now(UTC)
    item.cancel_reason = reason
    audit.record(
        session,
        actor_id=actor.id,
        action="session.cancelled",
        subject_type="session",
        subject_id=item.id,
        after={"reason": reason},
    )


def session_snapshot(item: TrainingSession) -> dict:
    return {
        "title": item.title,
        "category": item.category,
        "starts_at": item.starts_at.isoformat(),
        "ends_at": item.ends_at.isoformat(),
        "place": item.place,
        "online_url": item.online_url,
        "lessons": list(item.lessons or []),
    }


def cohort_sessions(session: Session, cohort_id: int) -> list[TrainingSession]:
    return list(
        session.scalars(
            sa.select(TrainingSession)
            .where(TrainingSession.cohort_id == cohort_id)
            .order_by(TrainingSession.starts_at, TrainingSession.id)
        )
    )
