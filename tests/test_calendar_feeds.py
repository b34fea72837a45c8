"""A person's own calendar feed: the sessions they take part in, teach, and (for a coordinator who
asks) those of the cohorts they coordinate; every feed is valid iCalendar, even an empty one."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from lms.auth.models import Role
from lms.cohorts import calendar
from lms.cohorts.models import Enrolment, EnrolmentStatus
from tests.factories import login, make_cohort, make_session, make_user


def _person(session, token: str, *roles: Role):
    """A person who has made their calendar address ``token``."""
    user = make_user(session, *roles)
    user.calendar_token = token
    session.commit()
    return user


def _parse(data: bytes) -> icalendar.Calendar:
    """The feed as a calendar; RFC 5545 wants VERSION, PRODID and at least one component."""
    feed = icalendar.Calendar.from_ical(data)
    assert feed.name == "VCALENDAR"
    assert str(feed["version"]) == "2.0" and str(feed["prodid"])
    assert feed.subcomponents, "a VCALENDAR needs at least one component"
    return feed


def _titles(feed: icalendar.Calendar) -> set[str]:
    return {str(event["summary"]).split(" (")[0] for event in feed.walk("VEVENT")}


def _feed(client, user, query: str = "") -> icalendar.Calendar:
    response = client.get(f"/cohorts/calendar/{user.calendar_token}.ics{query}")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return _parse(response.data)


@pytest.fixture
def cohorts(session):
    """A trainer, a coordinator and a trainee; a running cohort, one that ended, another
    trainer's cohort; each with one session."""
    trainer = _person(session, "trainer-token", Role.TRAINER)
    coordinator = _person(session, "coordinator-token", Role.COORDINATOR)
    trainee = _person(session, "trainee-token")
    today, days = date.today(), timedelta(days=1)
    taught = make_cohort(
        session, trainers=(trainer,), trainees=(trainee,),
        starts_on=today - 30 * days, ends_on=today + 60 * days,
    )  # fmt: skip
    ended = make_cohort(
        session, trainers=(trainer,), starts_on=today - 400 * days, ends_on=today - 300 * days
    )
    other = make_cohort(
        session, trainers=(make_user(session, Role.TRAINER),),
        starts_on=today, ends_on=today + 90 * days,
    )  # fmt: skip
    make_session(session, taught, title="Taught session")
    make_session(session, ended, title="Ended session",
                 starts_at=datetime.now(UTC).replace(microsecond=0) - 330 * days)  # fmt: skip
    make_session(session, other, title="Other session")
    return trainer, coordinator, trainee


def test_an_empty_feed_is_valid_icalendar(app):
    with app.app_context():
        feed = _parse(calendar.feed("Tugi", []))
    assert feed.walk("VEVENT") == []


def test_a_trainers_feed_holds_the_sessions_they_teach(client, cohorts):
    trainer, _coordinator, _trainee = cohorts
    feed = _feed(client, trainer)
    assert {"Taught session", "Ended session"} <= _titles(feed)
    assert "Other session" not in _titles(feed)


def test_a_trainees_feed_holds_their_active_cohorts_only(client, session, cohorts):
    _trainer, _coordinator, trainee = cohorts
    assert "Taught session" in _titles(_feed(client, trainee))
    enrolment = session.query(Enrolment).filter_by(user_id=trainee.id).one()
    enrolment.status = EnrolmentStatus.WITHDRAWN
    session.commit()
    feed = _feed(client, trainee)
    assert feed.walk("VEVENT") == []


def test_a_coordinator_gets_the_cohorts_they_coordinate_when_they_ask(client, cohorts):
    _trainer, coordinator, trainee = cohorts
    assert _feed(client, coordinator).walk("VEVENT") == []  # valid, and empty
    titles = _titles(_feed(client, coordinator, "?coordinated=1"))
    assert {"Taught session", "Other session"} <= titles
    assert "Ended session" not in titles  # a cohort that has ended is no longer coordinated
    # Only coordinators: for anyone else the choice changes nothing.
    assert _titles(_feed(client, trainee, "?coordinated=1")) == _titles(_feed(client, trainee))


def test_a_session_shows_once_for_someone_with_two_roles(client, session):
    person = _person(session, "both-token", Role.TRAINER, Role.COORDINATOR)
    cohort = make_cohort(session, trainers=(person,), ends_on=date.today() + timedelta(days=9))
    item = make_session(session, cohort, title="Shared session")
    uids = [str(event["uid"]) for event in _feed(client, person, "?coordinated=1").walk("VEVENT")]
    assert uids == [f"session-{item.id}@tugi"]


def test_the_calendar_page_offers_coordinators_their_cohorts(client, session):
    coordinator = _person(session, "page-token", Role.COORDINATOR)
    trainee = _person(session, "page-token-2")
    login(client, coordinator)
    page = client.get("/cohorts/calendar").get_data(as_text=True)
    assert "/cohorts/calendar/page-token.ics?coordinated=1" in page
    login(client, trainee)
    page = client.get("/cohorts/calendar").get_data(as_text=True)
    assert "/cohorts/calendar/page-token-2.ics" in page and "coordinated=1" not in page
