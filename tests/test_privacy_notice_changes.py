"""A changed privacy notice is shown again: a coordinator marks the change on ``/privacy``
(after a confirmation), and everyone who read an earlier version is taken to the notice at their
next login, told that it changed, until they press *Continue*."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.audit import AuditEvent
from lms.auth.models import Role
from lms.organisation import api as organisation
from lms.organisation.models import ROW_ID, Organisation
from lms.privacy import notice
from tests.conftest import make_app
from tests.factories import PASSWORD, login, make_user

MARCH = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
APRIL = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)


def _log_in(client, email: str):
    return client.post("/login", data={"email": email, "password": PASSWORD})


def _seen(session, when: datetime, *roles: Role, email: str | None = None, **fields):
    """A person who read the notice at ``when``."""
    person = make_user(session, *roles, email=email, **fields)
    person.privacy_notice_seen_at = when
    session.commit()
    return person


# The rule, without HTTP


def test_a_person_who_read_the_old_notice_is_due_to_read_the_changed_one(session):
    coordinator = make_user(session, Role.COORDINATOR)
    reader = _seen(session, MARCH)
    assert notice.notice_due(session, reader) is False
    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    assert notice.notice_due(session, reader) is True
    assert notice.read_before_change(session, reader) == APRIL


def test_reading_the_changed_notice_is_recorded_once(session):
    coordinator = make_user(session, Role.COORDINATOR)
    reader = _seen(session, MARCH)
    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    later = APRIL + timedelta(days=1)
    assert notice.mark_notice_seen(session, reader, later) is True
    assert reader.privacy_notice_seen_at == later
    assert notice.notice_due(session, reader) is False
    assert notice.read_before_change(session, reader) is None
    assert notice.mark_notice_seen(session, reader, later + timedelta(days=1)) is False
    assert reader.privacy_notice_seen_at == later


def test_a_person_who_never_read_it_is_due_and_not_told_of_a_change(session):
    coordinator = make_user(session, Role.COORDINATOR)
    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    newcomer = make_user(session, seen_notice=False)
    assert notice.notice_due(session, newcomer) is True
    assert notice.read_before_change(session, newcomer) is None  # a first reading, not a change


def test_marking_keeps_the_organisation_and_records_the_change_in_the_audit_trail(session):
    coordinator = make_user(session, Role.COORDINATOR)
    assert organisation.notice_changed_at(session) is None
    organisation.mark_notice_changed(session, coordinator, default_name="Ühing Tugi", now=MARCH)
    row = session.get(Organisation, ROW_ID)
    assert row.name == "Ühing Tugi"  # the name pages showed until then
    organisation.mark_notice_changed(session, coordinator, default_name="Other", now=APRIL)
    assert row.name == "Ühing Tugi" and organisation.notice_changed_at(session) == APRIL
    events = session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "organisation.notice_changed")
        .order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_id, e.subject_type, e.subject_id) for e in events] == [
        (coordinator.id, "organisation", ROW_ID)
    ] * 2
    assert events[0].before == {"notice_changed_at": None}
    assert events[1].before == {"notice_changed_at": MARCH.isoformat()}
    assert events[1].after == {"notice_changed_at": APRIL.isoformat()}


def test_readers_counts_active_people_who_read_it_since_the_change(session):
    coordinator = make_user(session, Role.COORDINATOR)  # read it just now, in the factory
    _seen(session, MARCH)
    _seen(session, APRIL + timedelta(hours=1))
    _seen(session, APRIL + timedelta(hours=2), active=False)  # not counted at all
    make_user(session, seen_notice=False)
    before = notice.readers(session)
    assert (before.changed_at, before.read, before.active) == (None, 3, 4)
    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    after = notice.readers(session)
    assert (after.changed_at, after.read, after.active) == (APRIL, 2, 4)


# The login journey


def test_after_a_change_the_next_login_goes_by_the_notice_saying_it_changed(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    reader = _seen(session, MARCH, email="reader@example.org")
    assert _log_in(client, "reader@example.org").headers["Location"] == "/"
    client.post("/logout")

    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    session.commit()
    first = _log_in(client, "reader@example.org")
    assert first.headers["Location"] == "/privacy/first-login?next=/"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "The privacy notice has changed" in page
    assert "it was updated on Apr 2, 2026" in page  # Babel's date, in the reader's language
    assert "Before you start" not in page

    # skipping it: not on every page, but again at the next login
    assert client.get("/courses/").status_code == 200
    client.post("/logout")
    assert "/privacy/first-login" in _log_in(client, "reader@example.org").headers["Location"]

    assert client.post("/privacy/first-login?next=/").headers["Location"] == "/"
    session.refresh(reader)
    assert reader.privacy_notice_seen_at > APRIL
    client.post("/logout")
    assert _log_in(client, "reader@example.org").headers["Location"] == "/"


def test_the_date_of_the_change_is_in_the_readers_language(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    reader = _seen(session, MARCH, language="et")
    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    session.commit()
    login(client, reader)
    client.post("/language", data={"language": "et", "next": "/"})
    page = client.get("/privacy/first-login").get_data(as_text=True)
    assert "2. apr 2026" in page


def test_a_first_login_after_a_change_is_a_first_login(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    make_user(session, email="new@example.org", seen_notice=False)
    location = _log_in(client, "new@example.org").headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Before you start" in page and "has changed" not in page


# The coordinator's page and the confirmation


def test_the_coordinator_sees_when_it_changed_and_how_many_have_read_it(client, session):
    coordinator = _seen(session, MARCH, Role.COORDINATOR)
    _seen(session, MARCH)
    login(client, coordinator)
    response = client.get("/privacy")
    page = response.get_data(as_text=True)
    assert "Changes to the notice" in page and "Never" in page
    assert "2 of 2 active people" in page
    assert 'href="/privacy/changed"' in page
    assert "no-store" in response.headers["Cache-Control"]  # its figures are never kept

    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    session.commit()
    page = client.get("/privacy").get_data(as_text=True)
    assert "Have read it since then" in page and "0 of 2 active people" in page
    assert "Apr 2, 2026" in page


@pytest.mark.parametrize("role", [None, Role.TRAINEE, Role.TRAINER])
def test_others_see_no_figures_and_the_page_may_be_kept(client, session, role):
    if role:
        login(client, make_user(session, role))
    response = client.get("/privacy")
    assert "Changes to the notice" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, max-age=300"


def test_marking_asks_first_then_marks_and_is_audited(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    login(client, coordinator)
    page = client.get("/privacy/changed").get_data(as_text=True)
    assert (
        "Everyone who has read an earlier version will be shown the notice again at their "
        "next login" in page
    )
    assert "1 active person has read the notice" in page
    assert '<form method="post">' in page and ">Mark as changed</button>" in page
    assert organisation.notice_changed_at(session) is None  # a GET changes nothing

    response = client.post("/privacy/changed")
    assert response.status_code == 302 and response.headers["Location"] == "/privacy"
    session.expire_all()
    assert organisation.notice_changed_at(session) is not None
    action = AuditEvent.action == "organisation.notice_changed"
    marked = sa.select(AuditEvent.actor_id).where(action)
    assert session.scalar(marked) == coordinator.id
    page = client.get("/privacy").get_data(as_text=True)
    assert "The privacy notice has been marked as changed." in page
    assert "0 of 1 active person" in page


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_only_coordinators_may_mark_a_change(client, session, role):
    login(client, make_user(session, role))
    assert client.get("/privacy/changed").status_code == 403
    assert client.post("/privacy/changed").status_code == 403
    assert organisation.notice_changed_at(session) is None


def test_marking_needs_a_login(client):
    for response in (client.get("/privacy/changed"), client.post("/privacy/changed")):
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_marking_needs_the_forms_token(database_url, connection, session):
    client = make_app(database_url, WTF_CSRF_ENABLED=True).test_client()
    login(client, make_user(session, Role.COORDINATOR))
    assert client.post("/privacy/changed", data={}).status_code == 400
    assert organisation.notice_changed_at(session) is None
    page = client.get("/privacy/changed").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    assert client.post("/privacy/changed", data={"csrf_token": token}).status_code == 302
    session.expire_all()
    assert organisation.notice_changed_at(session) is not None


# My data stays true


def test_my_data_says_when_the_notice_read_is_an_earlier_version(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    reader = _seen(session, MARCH)
    login(client, reader)
    assert "an earlier version" not in client.get("/privacy/my-data").get_data(as_text=True)
    organisation.mark_notice_changed(session, coordinator, default_name="Tugi", now=APRIL)
    session.commit()
    page = client.get("/privacy/my-data").get_data(as_text=True)
    assert "an earlier version: the notice has changed since, on Apr 2, 2026" in page
    client.post("/privacy/first-login")
    page = client.get("/privacy/my-data").get_data(as_text=True)
    assert "an earlier version" not in page
    export = client.get("/privacy/my-data.json").get_json()
    session.refresh(reader)
    assert export["person"]["privacy_notice_seen_at"] == reader.privacy_notice_seen_at.isoformat()
