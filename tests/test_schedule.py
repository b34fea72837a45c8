"""The schedule: links that cannot break a calendar feed, hours scheduled against the syllabus,
warnings that ask before saving, deleting unmarked sessions, and changing the rest of a series."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa

from lms.auth.models import Role
from lms.cohorts.models import TrainingSession
from tests.factories import login, make_cohort, make_session, make_user

TALLINN = ZoneInfo("Europe/Tallinn")


def session_form(**changes):
    data = {
        "title": "Roles and boundaries",
        "category": "support-role",
        "day": "2026-10-20",
        "start": "10:00",
        "end": "13:00",
        "place": "Võru library",
        "online_url": "",
        "lessons": ["support-role/boundaries-and-ethics"],
        "repeat_weeks": "1",
    }
    data.update(changes)
    return data


@pytest.fixture
def staffed(client, session):
    """A trainer, logged in, and their cohort of one trainee."""
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    trainee = make_user(session, display_name="Olena Koval")
    cohort = make_cohort(
        session,
        name="Võru group",
        trainers=(trainer,),
        trainees=(trainee,),
        starts_on=date(2026, 9, 1),
        ends_on=date(2026, 12, 31),
    )
    login(client, trainer)
    return trainer, trainee, cohort


# --- Calendar feeds -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "https://meet.example/x\r\nATTENDEE:mailto:evil@example.org",
        "https://meet.example/x\nBEGIN:VEVENT",
        "https://meet.example/\x00x",
        "https://meet.example/" + "x" * 600,
        "ftp://meet.example/x",
        "https:///nohost",
    ],
)
def test_a_link_with_control_characters_or_no_sense_is_refused(client, session, staffed, link):
    _, _, cohort = staffed
    response = client.post(f"/cohorts/{cohort.id}/sessions/new", data=session_form(online_url=link))
    assert response.status_code == 200
    assert "online link" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)) == 0


def test_a_bad_link_already_stored_does_not_break_the_feeds(client, session, staffed, caplog):
    _, trainee, cohort = staffed
    good = make_session(session, cohort, title="Good one", online_url="https://meet.example/ok")
    bad = make_session(
        session,
        cohort,
        title="Bad one",
        starts_at=good.starts_at + timedelta(days=7),
        online_url="https://meet.example/x\r\nATTENDEE:mailto:evil@example.org",
    )
    response = client.get(f"/cohorts/{cohort.id}/calendar/{cohort.calendar_token}.ics")
    assert response.status_code == 200
    events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    by_title = {str(event["summary"]).split(" (")[0]: event for event in events}
    assert set(by_title) == {"Good one", "Bad one"}  # the session stays, its link does not
    assert str(by_title["Good one"]["url"]) == "https://meet.example/ok"
    assert "url" not in by_title["Bad one"] and b"evil@example.org" not in response.data
    assert f"session {bad.id}" in caplog.text
    login(client, trainee)
    client.get("/cohorts/calendar")
    session.expire_all()
    feed = client.get(f"/cohorts/calendar/{trainee.calendar_token}.ics")
    assert feed.status_code == 200
    assert len(icalendar.Calendar.from_ical(feed.data).walk("VEVENT")) == 2
