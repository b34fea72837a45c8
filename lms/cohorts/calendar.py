"""iCalendar feeds, so that sessions appear in people's own calendar apps."""

from datetime import UTC, datetime

import icalendar

from lms.cohorts.models import Cohort, TrainingSession


def feed(name: str, sessions: list[tuple[Cohort, TrainingSession]]) -> bytes:
    """An RFC 5545 calendar of sessions; cancelled ones stay, marked as cancelled."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tugi//Training sessions//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for cohort, item in sessions:
        event = icalendar.Event()
        event.add("uid", f"session-{item.id}@tugi")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at)
        event.add("summary", f"{item.title} ({cohort.name})")
        location = item.place or item.online_url
        if location:
            event.add("location", location)
        if item.online_url:
            event.add("url", item.online_url)
        if item.cancelled:
            event.add("status", "CANCELLED")
            event.add("description", item.cancel_reason or "")
        else:
            event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
