"""iCalendar feeds, so that sessions appear in people's own calendar apps, and which sessions a
person's own feed holds."""

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.cohorts.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
    cohort_trainers,
)
from lms.cohorts.sessions import link_problem
from lms.i18n import local_today

if TYPE_CHECKING:
    import icalendar


def personal_sessions(
    session: Session, user: User, *, coordinated: bool = False, today: date | None = None
) -> list[tuple[Cohort, TrainingSession]]:
    """The sessions of ``user``'s own feed, each once: of the cohorts they take part in (an active
    enrolment) and of those they teach.

    With ``coordinated``, a coordinator also gets the cohorts they coordinate. Coordinators see
    and run every cohort, and a cohort names no coordinator of its own, so these are the cohorts
    still running or to come (ending ``today`` or later); a cohort that has ended is no longer
    coordinated. For anyone else ``coordinated`` changes nothing.
    """
    taking = sa.select(Enrolment.cohort_id).where(
        Enrolment.user_id == user.id, Enrolment.status == EnrolmentStatus.ACTIVE
    )
    teaching = sa.select(cohort_trainers.c.cohort_id).where(cohort_trainers.c.user_id == user.id)
    mine = Cohort.id.in_(taking) | Cohort.id.in_(teaching)
    if coordinated and user.has_role(Role.COORDINATOR):
        mine = mine | (Cohort.ends_on >= (today or local_today()))
    rows = session.execute(
        sa.select(Cohort, TrainingSession)
        .join(TrainingSession, TrainingSession.cohort_id == Cohort.id)
        .where(mine)
        .order_by(TrainingSession.starts_at, TrainingSession.id)
    ).all()
    return [(cohort, item) for cohort, item in rows]


def feed(name: str, sessions: list[tuple[Cohort, TrainingSession]]) -> bytes:
    """An RFC 5545 calendar of sessions; cancelled ones stay, marked as cancelled. A calendar
    must hold at least one component: one without sessions holds the UTC time zone, which every
    time in the feed is written in."""
    import icalendar  # here, not at start: only the calendar feeds pay for it

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tugi//Training sessions//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for cohort, item in sessions:
        try:
            event = _event(cohort, item, stamp)
            event.to_ical()  # fails here, not in the whole feed, if a value cannot be written
        except ValueError:  # one unreadable row must not take everyone's feed down
            current_app.logger.exception("calendar feed: session %s left out", item.id)
        else:
            cal.add_component(event)
    if not cal.subcomponents:
        cal.add_component(_utc_zone())
    return cal.to_ical()


def _utc_zone() -> "icalendar.Timezone":
    """A VTIMEZONE for UTC: harmless in any calendar app, and a component an empty feed can
    hold (RFC 5545 section 3.6 wants at least one)."""
    import icalendar

    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", timedelta(0))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "UTC")
    zone = icalendar.Timezone()
    zone.add("tzid", "UTC")
    zone.add_component(standard)
    return zone


def _event(cohort: Cohort, item: TrainingSession, stamp: datetime) -> "icalendar.Event":
    """One session as an event. A stored link that is not a safe address (rows older than the
    form's check) is left out and logged rather than written into the feed."""
    link = item.online_url
    if link and link_problem(link):
        current_app.logger.warning(
            "calendar feed: session %s has an unsafe online link; left out", item.id
        )
        link = None
    import icalendar

    event = icalendar.Event()
    event.add("uid", f"session-{item.id}@tugi")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.starts_at)
    event.add("dtend", item.ends_at)
    event.add("summary", f"{item.title} ({cohort.name})")
    location = item.place or link
    if location:
        event.add("location", location)
    if link:
        event.add("url", link)
    if item.cancelled:
        event.add("status", "CANCELLED")
        event.add("description", item.cancel_reason or "")
    else:
        event.add("status", "CONFIRMED")
    return event
