"""The schedule: links that cannot break a calendar feed, hours scheduled against the syllabus,
warnings that ask before saving, deleting unmarked sessions, and changing the rest of a series."""

import re
from datetime import UTC, date, datetime, timedelta
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
        "https://meet.example/\tx",  # (a NUL never gets here: lms.inputs strips it first)
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
    client.post("/cohorts/calendar")
    session.expire_all()
    feed = client.get(f"/cohorts/calendar/{trainee.calendar_token}.ics")
    assert feed.status_code == 200
    assert len(icalendar.Calendar.from_ical(feed.data).walk("VEVENT")) == 2


# --- Hours, warnings, deleting, series ---------------------------------------------------------


def confirm_token(page: str) -> str:
    """The digest of the warnings a form page shows, as *Save anyway* would post it."""
    return re.search(r'name="confirmed" type="hidden" value="(\w+)"', page).group(1)


def sessions_of(session, cohort):
    session.expire_all()
    return session.scalars(
        sa.select(TrainingSession)
        .where(TrainingSession.cohort_id == cohort.id)
        .order_by(TrainingSession.starts_at)
    ).all()


def test_the_schedule_shows_hours_scheduled_per_category_and_lesson_titles(
    client, session, staffed
):
    _, _, cohort = staffed
    first = make_session(session, cohort, minutes=180)
    first.lessons = ["support-role/boundaries-and-ethics"]
    session.commit()
    make_session(session, cohort, minutes=180, starts_at=datetime.now(UTC) + timedelta(days=2))
    make_session(session, cohort, minutes=120, starts_at=datetime.now(UTC) + timedelta(days=3),
                 cancelled_at=datetime.now(UTC), cancel_reason="Ill")  # fmt: skip
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "6 of 25 h scheduled" in page and "0 of 25 h scheduled" in page
    assert "Boundaries and ethics</a>" in page and ">boundaries-and-ethics<" not in page


def test_the_schedule_flags_a_category_scheduled_past_its_syllabus(client, session, staffed):
    """Saved past the warning, an overfull category must not look like a merely full one."""
    _, _, cohort = staffed
    for day in range(3):
        make_session(session, cohort, minutes=600,
                     starts_at=datetime.now(UTC) + timedelta(days=day + 1))  # fmt: skip
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "30 of 25 h scheduled" in page
    assert "5 h more than its syllabus" in page and "tag-risk" in page


def running_cohort(session, trainer, days_left=20):
    today = date.today()
    return make_cohort(session, trainers=(trainer,), starts_on=today - timedelta(days=10),
                       ends_on=today + timedelta(days=days_left))  # fmt: skip


def test_a_series_past_the_cohorts_end_asks_first_and_keeps_what_was_typed(
    client, session, staffed
):
    trainer, _, _ = staffed
    cohort = running_cohort(session, trainer)
    url = f"/cohorts/{cohort.id}/sessions/new"
    first_day = (date.today() + timedelta(days=7)).isoformat()
    data = session_form(day=first_day, repeat_weeks="5", lessons=[], place="Põlva hall")
    page = client.post(url, data=data).get_data(as_text=True)
    assert "3 sessions fall outside the cohort" in page
    assert 'value="Roles and boundaries"' in page and 'value="Põlva hall"' in page
    assert 'value="5"' in page and "Save anyway" in page
    assert sessions_of(session, cohort) == []
    token = confirm_token(page)
    # A changed form with the old confirmation asks again instead of saving.
    again = client.post(url, data={**data, "repeat_weeks": "6", "confirmed": token})
    assert "4 sessions fall outside" in again.get_data(as_text=True)
    assert sessions_of(session, cohort) == []
    assert client.post(url, data={**data, "confirmed": token}).status_code == 302
    assert len(sessions_of(session, cohort)) == 5


def test_more_hours_than_the_syllabus_ask_first(client, session, staffed):
    trainer, _, _ = staffed
    cohort = running_cohort(session, trainer, days_left=60)
    url = f"/cohorts/{cohort.id}/sessions/new"
    day = (date.today() + timedelta(days=3)).isoformat()
    data = session_form(day=day, start="08:00", end="18:00", repeat_weeks="3", lessons=[])
    page = client.post(url, data=data).get_data(as_text=True)
    assert "would have 30 h scheduled, more than the 25 h of its syllabus" in page
    assert "outside the cohort" not in page and "in the past" not in page
    client.post(url, data={**data, "confirmed": confirm_token(page)})
    assert len(sessions_of(session, cohort)) == 3
    # Correcting the title of one of them does not ask again: it adds no hours.
    item = sessions_of(session, cohort)[0]
    local = item.starts_at.astimezone(TALLINN)
    edit = session_form(title="Renamed", day=local.date().isoformat(), start="08:00", end="18:00",
                        lessons=[])  # fmt: skip
    assert client.post(f"/cohorts/sessions/{item.id}/edit", data=edit).status_code == 302


def test_a_session_without_marks_can_be_deleted_one_with_marks_only_cancelled(
    client, session, staffed
):
    from lms.attendance.models import AttendanceRecord, CheckIn
    from lms.audit import AuditEvent

    _, trainee, cohort = staffed
    empty = make_session(session, cohort, title="Entered by mistake")
    empty_id = empty.id
    held = make_session(session, cohort, title="Held one",
                        starts_at=empty.starts_at - timedelta(days=7))  # fmt: skip
    session.add(AttendanceRecord(session_id=held.id, user_id=trainee.id, mark="present",
                                 credited_minutes=180))  # fmt: skip
    session.commit()
    schedule_page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert f"/cohorts/sessions/{empty.id}/delete" in schedule_page
    assert f"/cohorts/sessions/{held.id}/delete" not in schedule_page
    page = client.get(f"/cohorts/sessions/{held.id}/delete").get_data(as_text=True)
    assert "cannot be deleted" in page and "<form" not in page.split("</header>")[-1]
    client.post(f"/cohorts/sessions/{held.id}/delete")
    assert [item.title for item in sessions_of(session, cohort)] == [
        "Held one",
        "Entered by mistake",
    ]
    page = client.get(f"/cohorts/sessions/{empty.id}/delete").get_data(as_text=True)
    assert "Delete “Entered by mistake”?" in page
    assert client.post(f"/cohorts/sessions/{empty.id}/delete").status_code == 302
    assert [item.title for item in sessions_of(session, cohort)] == ["Held one"]
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "session.deleted"))
    assert event.subject_id == empty_id and event.before["title"] == "Entered by mistake"
    # A check-in is attendance too: that session can only be cancelled.
    checked = make_session(session, cohort, title="Checked in")
    session.add(CheckIn(session_id=checked.id, user_id=trainee.id))
    session.commit()
    client.post(f"/cohorts/sessions/{checked.id}/delete")
    assert "Checked in" in [item.title for item in sessions_of(session, cohort)]


def test_the_rest_of_a_series_is_changed_or_cancelled_in_one_step(client, session, staffed):
    trainer, _, _ = staffed
    cohort = running_cohort(session, trainer, days_left=60)
    first = date.today() + timedelta(days=2)
    client.post(f"/cohorts/{cohort.id}/sessions/new",
                data=session_form(day=first.isoformat(), repeat_weeks="4"))  # fmt: skip
    items = sessions_of(session, cohort)
    assert len(items) == 4
    third_lessons = ["support-role/confidentiality-and-data-protection"]
    local = items[2].starts_at.astimezone(TALLINN)
    client.post(f"/cohorts/sessions/{items[2].id}/edit",
                data=session_form(day=local.date().isoformat(), lessons=third_lessons))  # fmt: skip
    edit_page = client.get(f"/cohorts/sessions/{items[1].id}/edit").get_data(as_text=True)
    assert f"/cohorts/sessions/{items[1].id}/series" in edit_page
    page = client.get(f"/cohorts/sessions/{items[1].id}/series").get_data(as_text=True)
    assert "applies to 3 sessions" in page
    response = client.post(
        f"/cohorts/sessions/{items[1].id}/series",
        data={"title": "Practice circle", "category": "support-role", "start": "14:00",
              "end": "16:00", "place": "Räpina school", "online_url": ""},
    )  # fmt: skip
    assert response.status_code == 302
    items = sessions_of(session, cohort)
    assert [item.title for item in items] == ["Roles and boundaries"] + ["Practice circle"] * 3
    local = [item.starts_at.astimezone(TALLINN) for item in items]
    assert [t.date() for t in local] == [first + timedelta(weeks=n) for n in range(4)]
    assert [(t.hour, item.minutes) for t, item in zip(local, items, strict=True)][1:] == [
        (14, 120)
    ] * 3
    assert items[0].place == "Võru library" and items[3].place == "Räpina school"
    assert items[2].lessons == third_lessons  # each keeps its own lessons
    assert items[3].lessons == ["support-role/boundaries-and-ethics"]

    page = client.get(f"/cohorts/sessions/{items[2].id}/cancel").get_data(as_text=True)
    assert "This and the following sessions of the series (2 in all" in page
    client.post(f"/cohorts/sessions/{items[2].id}/cancel",
                data={"reason": "Room closed", "scope": "rest"})  # fmt: skip
    items = sessions_of(session, cohort)
    assert [item.cancelled for item in items] == [False, False, True, True]
    assert items[3].cancel_reason == "Room closed"
