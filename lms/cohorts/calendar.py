"""iCalendar feeds, so that sessions appear in people's own calendar apps."""

from datetime import UTC, datetime

import icalendar
from flask import current_app

from lms.cohorts.models import Cohort, TrainingSession
from lms.cohorts.sessions import link_problem


def feed(name: str, sessions: list[tuple[Cohort, TrainingSession]]) -> bytes:
    """An RFC 5545 calendar of sessions; cancelled ones stay, marked as cancelled."""
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
    return cal.to_ical()


def _event(cohort: Cohort, item: TrainingSession, stamp: datetime) -> icalendar.Event:
    """One session as an event. A stored link that is not a safe address (rows older than the
    form's check) is left out and logged rather than written into the feed."""
    link = item.online_url
    if link and link_problem(link):
        current_app.logger.warning(
            "calendar feed: session %s has an unsafe online link; left out", item.id
        )
        link = None
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
