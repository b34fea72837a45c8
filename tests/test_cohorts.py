"""Cohorts: creation, enrolment and its import, the schedule, cancellations and calendar feeds."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa

from lms.audit import AuditEvent
from lms.auth.models import Role, User
from lms.cohorts.models import Cohort, Enrolment, TrainingSession
from tests.factories import login, make_certificate, make_cohort, make_session, make_user

TALLINN = ZoneInfo("Europe/Tallinn")


@pytest.fixture
def coordinator(client, session):
    user = make_user(session, Role.COORDINATOR)
    login(client, user)
    return user


def cohort_form(**changes):
    data = {
        "programme": "support-person",
        "name": "Võru group 1",
        "starts_on": "2026-09-01",
        "ends_on": "2026-12-15",
        "region": "Võru",
        "capacity": "16",
    }
    data.update(changes)
    return data


def test_coordinator_creates_a_cohort_with_trainers(client, session, coordinator):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Trainer")
    response = client.post("/cohorts/new", data={**cohort_form(), "trainers": [trainer.id]})
    assert response.status_code == 302
    cohort = session.scalar(sa.select(Cohort).where(Cohort.name == "Võru group 1"))
    assert cohort.trainers == [trainer] and cohort.capacity == 16
    assert session.scalar(sa.select(AuditEvent.action).where(AuditEvent.subject_id == cohort.id))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tiina Trainer" in page and "No sessions are scheduled yet." in page


def test_a_cohort_that_ends_before_it_starts_is_refused_and_the_form_keeps_its_values(
    client, session, coordinator
):
    response = client.post("/cohorts/new", data=cohort_form(ends_on="2026-08-01"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A cohort cannot end before it starts." in page
    assert 'value="Võru group 1"' in page and 'value="2026-08-01"' in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 0


def test_the_database_refuses_a_cohort_that_ends_before_it_starts(session):
    session.add(
        Cohort(programme_slug="x", name="x", starts_on=date(2026, 2, 1), ends_on=date(2026, 1, 1))
    )
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()


def test_enrolment_respects_role_capacity_duplicates_and_prerequisites(
    client, session, coordinator
):
    cohort = make_cohort(session, capacity=1)
    first, second = make_user(session), make_user(session)
    trainer_only = make_user(session, Role.TRAINER)

    def enrol(user):
        client.post(f"/cohorts/{cohort.id}/enrol", data={"email": user.email})
        return client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)

    assert "is not a trainee" in enrol(trainer_only)
    assert "has been enrolled" in enrol(first)
    assert "is already in this cohort" in enrol(first)
    assert "The cohort is full (1 places)." in enrol(second)

    advanced = make_cohort(session, "trainer-of-trainers")
    response = client.post(f"/cohorts/{advanced.id}/enrol", data={"email": second.email})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "this one requires (Support-person training)" in page
    past = make_cohort(session, trainees=(second,))
    make_certificate(session, past, second, issued_on=date(2020, 1, 1))  # expired since 2023
    client.post(f"/cohorts/{advanced.id}/enrol", data={"email": second.email})
    make_certificate(session, cohort, first, issued_on=date.today())
    client.post(f"/cohorts/{advanced.id}/enrol", data={"email": first.email})
    assert session.scalar(
        sa.select(Enrolment).where(
            Enrolment.cohort_id == advanced.id, Enrolment.user_id == first.id
        )
    )
    assert not session.scalar(
        sa.select(Enrolment).where(
            Enrolment.cohort_id == advanced.id, Enrolment.user_id == second.id
        )
    )


def upload(client, cohort, text: str):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "people.csv")}
    return client.post(
        f"/cohorts/{cohort.id}/import", data=data, content_type="multipart/form-data"
    )


def test_csv_import_is_all_or_nothing_with_a_report_by_line(client, session, coordinator):
    cohort = make_cohort(session)
    known = make_user(session, email="known@example.org")
    text = (
        "email;display_name;language;municipality\n"
        "known@example.org;;;\n"
        "new.person@example.org;Õie Täht;et;Räpina\n"
        "not-an-email;Nobody;en;\n"
        "known@example.org;;;\n"
        "third@example.org;Third;fi;\n"
    )
    page = upload(client, cohort, text).get_data(as_text=True)
    assert "3 problems; nobody was enrolled" in page
    for line in ("<td>4</td>", "<td>5</td>", "<td>6</td>"):
        assert line in page
    assert "The same email is already on line 2." in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Enrolment)) == 0
    assert session.scalar(sa.select(User).where(User.email == "new.person@example.org")) is None

    good = "\ufeffemail,display_name,language,municipality\nknown@example.org,,,\n" \
           "new.person@example.org,Õie Täht,et,Räpina\n"  # fmt: skip
    page = upload(client, cohort, good).get_data(as_text=True)
    assert "2 trainees enrolled" in page
    assert "Õie Täht" in page and "/password/" in page  # the new person gets a password link
    new = session.scalar(sa.select(User).where(User.email == "new.person@example.org"))
    assert new.roles == {Role.TRAINEE} and new.municipality == "Räpina"
    enrolled = set(
        session.scalars(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id))
    )
    assert enrolled == {known.id, new.id}


def test_csv_import_refuses_text_that_is_not_utf8(client, session, coordinator):
    cohort = make_cohort(session)
    data = {"file": (io.BytesIO("email\nõ@example.org\n".encode("latin-1")), "people.csv")}
    page = client.post(
        f"/cohorts/{cohort.id}/import", data=data, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "The file must be saved as UTF-8 text." in page


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


def test_a_trainer_schedules_a_weekly_series_in_local_time(client, session):
    trainer = make_user(session, Role.TRAINER)
    cohort = make_cohort(session, trainers=(trainer,))
    login(client, trainer)
    url, data = f"/cohorts/{cohort.id}/sessions/new", session_form(repeat_weeks="3")
    asked = client.post(url, data=data).get_data(as_text=True)
    assert "3 sessions are in the past." in asked  # the dates are; saving asks first
    confirmed = re.search(r'name="confirmed" type="hidden" value="(\w+)"', asked).group(1)
    response = client.post(url, data={**data, "confirmed": confirmed})
    assert response.status_code == 302
    items = session.scalars(sa.select(TrainingSession).order_by(TrainingSession.starts_at)).all()
    assert len(items) == 3 and len({item.series_key for item in items}) == 1
    local = [item.starts_at.astimezone(TALLINN) for item in items]
    # 10:00 in Tallinn every week, across the end of summer time on 25 October
    assert [(t.date(), t.hour) for t in local] == [
        (date(2026, 10, 20), 10),
        (date(2026, 10, 27), 10),
        (date(2026, 11, 3), 10),
    ]
    assert items[0].starts_at.hour == 7 and items[1].starts_at.hour == 8  # UTC+3, then UTC+2
    assert items[0].minutes == 180 and items[0].lessons == ["support-role/boundaries-and-ethics"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": "09:00"}, "A session must end after it starts."),
        ({"category": "theory"}, "Not a valid choice"),
        ({"online_url": "javascript:alert(1)"}, "The online link must start with https://."),
        ({"lessons": ["care-methodology/nope"]}, "is not a valid choice"),
    ],
)
def test_a_bad_session_is_refused_and_the_form_keeps_what_was_typed(
    client, session, changes, message
):
    trainer = make_user(session, Role.TRAINER)
    cohort = make_cohort(session, trainers=(trainer,))
    login(client, trainer)
    response = client.post(f"/cohorts/{cohort.id}/sessions/new", data=session_form(**changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert 'value="Roles and boundaries"' in page and 'value="Võru library"' in page
    assert session.scalar(sa.select(sa.func.count()).select_from(TrainingSession)) == 0


def test_editing_a_session_cannot_shorten_it_below_credited_minutes(client, session):
    from lms.attendance.models import AttendanceRecord

    trainer, trainee = make_user(session, Role.TRAINER), make_user(session)
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    item = make_session(session, cohort, minutes=180)
    session.add(AttendanceRecord(session_id=item.id, user_id=trainee.id, mark="present",
                                 credited_minutes=180))  # fmt: skip
    session.commit()
    login(client, trainer)
    day = item.starts_at.astimezone(TALLINN)
    end = (day + timedelta(minutes=60)).strftime("%H:%M")
    data = session_form(day=day.date().isoformat(), start=day.strftime("%H:%M"), end=end,
                        lessons=[])  # fmt: skip
    page = client.post(f"/cohorts/sessions/{item.id}/edit", data=data).get_data(as_text=True)
    assert "already credited with 180 minutes" in page
    session.expire_all()
    assert item.minutes == 180


def test_cancelling_asks_first_and_keeps_the_session(client, session):
    trainer = make_user(session, Role.TRAINER)
    cohort = make_cohort(session, trainers=(trainer,))
    item = make_session(session, cohort)
    login(client, trainer)
    page = client.get(f"/cohorts/sessions/{item.id}/cancel").get_data(as_text=True)
    assert "This cannot be undone." in page
    assert (
        client.post(f"/cohorts/sessions/{item.id}/cancel", data={"reason": ""}).status_code == 200
    )
    client.post(f"/cohorts/sessions/{item.id}/cancel", data={"reason": "Trainer ill"})
    session.expire_all()
    assert item.cancelled and item.cancel_reason == "Trainer ill"
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "cancelled" in page and "Trainer ill" in page


def test_calendar_feeds_need_their_secret_address(client, session):
    trainee = make_user(session)
    cohort = make_cohort(session, trainees=(trainee,))
    kept = make_session(session, cohort, title="Kept session")
    gone = make_session(session, cohort, title="Gone session",
                        starts_at=kept.starts_at + timedelta(days=7))  # fmt: skip
    gone.cancelled_at, gone.cancel_reason = datetime.now(UTC), "Storm"
    session.commit()
    assert client.get(f"/cohorts/{cohort.id}/calendar/wrong.ics").status_code == 404
    response = client.get(f"/cohorts/{cohort.id}/calendar/{cohort.calendar_token}.ics")
    assert response.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    by_title = {str(event["summary"]).split(" (")[0]: event for event in events}
    assert by_title["Kept session"]["dtstart"].dt == kept.starts_at
    assert str(by_title["Gone session"]["status"]) == "CANCELLED"

    login(client, trainee)
    assert "Make my calendar address" in client.get("/cohorts/calendar").get_data(as_text=True)
    page = client.post("/cohorts/calendar", follow_redirects=True).get_data(as_text=True)
    session.expire_all()
    token = trainee.calendar_token
    assert token and token in page
    feed = client.get(f"/cohorts/calendar/{token}.ics")
    assert b"Kept session" in feed.data
    client.post("/cohorts/calendar")  # a new address; the old one stops working
    assert client.get(f"/cohorts/calendar/{token}.ics").status_code == 404
    other = make_user(session)
    assert other.calendar_token is None  # nobody has a feed until they ask for one


def test_who_sees_a_cohort(client, session):
    trainer, stranger_trainer = make_user(session, Role.TRAINER), make_user(session, Role.TRAINER)
    trainee, outsider = make_user(session), make_user(session)
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    item = make_session(session, cohort)
    urls = [f"/cohorts/{cohort.id}/", f"/attendance/sessions/{item.id}",
            f"/attendance/cohorts/{cohort.id}/matrix", f"/cohorts/sessions/{item.id}/edit",
            f"/attendance/cohorts/{cohort.id}/trainees/{trainee.id}"]  # fmt: skip
    login(client, stranger_trainer)
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    login(client, outsider)
    assert client.get(urls[0]).status_code == 404
    assert client.get(urls[-1]).status_code == 404  # another trainee's report
    login(client, trainee)
    page = client.get(urls[0]).get_data(as_text=True)
    assert "My hours" in page and "Trainees" not in page
    assert client.get(urls[-1]).status_code == 200
    login(client, trainer)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)
    listed = client.get("/cohorts/").get_data(as_text=True)
    assert cohort.name in listed
    login(client, stranger_trainer)
    assert cohort.name not in client.get("/cohorts/").get_data(as_text=True)
