"""*My data*: everything held about a person, as JSON and as a page; who may export whose;
the command; no secrets; nobody else's data; a fixed number of queries."""

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from lms.alumni import services as alumni
from lms.attendance import services as register
from lms.attendance.models import CheckIn
from lms.audit import AuditEvent
from lms.auth.models import Role
from lms.auth.services import create_password_link
from lms.cohorts import services as cohorts
from lms.cohorts.models import Enrolment
from lms.courses.models import LessonCompletion
from lms.practice import services as practice
from lms.practice.models import PracticeAccess
from lms.privacy.export import EXPORTED, FORMAT, person_data
from lms.quizzes import attempts
from tests.factories import (
    count_queries,
    login,
    make_attempt,
    make_certificate,
    make_cohort,
    make_practice,
    make_quiz,
    make_session,
    make_user,
)

NOW = datetime(2026, 10, 21, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def request_context(app):
    """Programmes and lessons are read through the app."""
    with app.test_request_context():
        yield


def fill(session, trainee, trainer, tag: str, certificate: str = "valid"):
    """Give ``trainee`` one record of every kind, in a cohort of their own, each naming ``tag``
    (one valid certificate per programme: later ones are ``certificate="superseded"``)."""
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,), name=f"Cohort {tag}")
    item = make_session(session, cohort, title=f"Session {tag}")
    register.write_mark(
        session,
        item,
        trainee.id,
        {"mark": "present", "credited_minutes": 180, "note": f"note {tag}"},
        trainer,
        0,
        NOW,
    )
    session.add(CheckIn(session_id=item.id, user_id=trainee.id, checked_in_at=NOW))
    session.add(LessonCompletion(user_id=trainee.id, course_slug="course", lesson_slug=tag))
    quiz = make_quiz(session)
    attempt = make_attempt(session, quiz, trainee, {"Choice": "0"}, now=NOW)
    attempts.submit(session, quiz, attempt, now=NOW)
    entry = make_practice(
        session, cohort, trainee, approve_by=trainer, reflection=f"reflection {tag}"
    )
    correction = practice.start_correction(session, entry, trainee, NOW)
    practice.submit_revision(session, correction, trainee, NOW)
    practice.return_revision(session, correction, trainer, f"comment {tag}", NOW)
    session.add(
        PracticeAccess(viewer_id=trainer.id, trainee_id=trainee.id, entry_id=entry.id, what="entry")
    )
    make_certificate(session, cohort, trainee, status=certificate)
    enrolment = session.scalar(
        sa.select(Enrolment).where(
            Enrolment.cohort_id == cohort.id, Enrolment.user_id == trainee.id
        )
    )
    cohorts.set_status(session, enrolment, "completed", trainer)
    alumni.record_follow_up(
        session,
        trainee,
        alumni.Answer("related_role", date(2026, 10, 20), role_title=f"role {tag}"),
        trainer,
        date(2026, 10, 21),
    )
    session.commit()
    return cohort


@pytest.fixture
def people(session):
    trainer = make_user(session, Role.TRAINER)
    coordinator = make_user(session, Role.COORDINATOR)
    olena = make_user(session, display_name="Olena Koval", language="uk", municipality="Tartu")
    other = make_user(session, display_name="Someone Else")
    olena.calendar_token = "calendar-secret-token-olena"
    session.commit()
    fill(session, olena, trainer, "olena-1")
    fill(session, other, trainer, "other-1")
    return olena, other, trainer, coordinator


def test_the_export_holds_every_kind_of_record(session, people):
    olena, _other, trainer, _ = people
    data = person_data(session, olena, now=NOW)
    assert data["format"] == FORMAT and data["exported_at"] == NOW.isoformat()
    assert list(data)[:3] == ["format", "exported_at", "person"]
    person = data["person"]
    assert (person["email"], person["name"], person["language"]) == (
        olena.email,
        "Olena Koval",
        "uk",
    )
    assert person["municipality"] == "Tartu" and person["roles"] == ["trainee"]
    assert person["created_at"] and "privacy_notice_seen_at" in person
    (enrolment,) = data["enrolments"]
    assert enrolment["cohort"] == "Cohort olena-1" and enrolment["status"] == "completed"
    assert enrolment["programme_title"] != enrolment["programme"]  # a title, in Ukrainian
    (mark,) = data["attendance"]
    assert (mark["session"], mark["mark"], mark["credited_minutes"]) == (
        "Session olena-1",
        "present",
        180,
    )
    assert mark["note"] == "note olena-1" and data["check_ins"][0]["session"] == "Session olena-1"
    assert data["lessons_read"][0]["lesson"] == "course/olena-1"
    (attempt,) = data["quiz_attempts"]
    assert attempt["score"] is not None and attempt["submitted_at"]
    assert [a["question"] for a in attempt["answers"]] == ["Choice"]
    assert attempt["answers"][0]["score"] is not None
    (entry,) = data["practice"]
    first, second = entry["revisions"]
    assert first["status"] == "approved" and first["reviewer"] == trainer.display_name
    assert first["reflection"] == "reflection olena-1" and first["attestation"]
    assert second["status"] == "returned" and second["review_comment"] == "comment olena-1"
    assert first["client_code"] and first["core_acts"] == ["connecting"]
    assert first["client_group_title"] != first["client_group"]
    (certificate,) = data["certificates"]
    assert certificate["number"].startswith("TUGI-") and certificate["status"] == "valid"
    assert certificate["issued_on"] == "2026-10-20"
    assert data["alumni_follow_ups"][0]["role_title"] == "role olena-1"
    assert data["practice_access"][0]["viewer"] == trainer.display_name
    actions = {event["action"] for event in data["audit_events"]}
    assert {"attendance.marked", "enrolment.status", "alumnus.follow_up"} <= actions
    assert {"practice.approved", "practice.returned", "practice.correction_started"} <= actions
    by_her = [event for event in data["audit_events"] if event["by_you"]]
    assert by_her and all(event["about_you"] for event in by_her)
    json.dumps(data)  # JSON-ready as it is


def test_no_secret_and_nobody_elses_data(session, people):
    olena, other, _, _ = people
    token = create_password_link(session, olena, None, 24)
    session.commit()
    text = json.dumps(person_data(session, olena), ensure_ascii=False)
    secrets = [olena.password_hash, olena.calendar_token, token]
    secrets += list(session.scalars(sa.text("SELECT id FROM login_sessions")))
    secrets += list(session.scalars(sa.text("SELECT token_hash FROM password_links")))
    assert secrets and not [secret for secret in secrets if secret and secret in text]
    assert "password_links" in text  # the link itself is there, its hash is not
    for theirs in ("other-1", other.email, other.display_name):
        assert theirs not in text


def test_a_trainers_own_events_name_the_change_but_not_the_trainees_values(session, people):
    olena, _, trainer, _ = people
    data = person_data(session, trainer)
    events = data["audit_events"]
    assert events and all(e["by_you"] and not e["about_you"] for e in events)
    assert all(e["before"] is None and e["after"] is None for e in events)
    text = json.dumps(data, ensure_ascii=False)
    assert "reflection olena-1" not in text and "note olena-1" not in text


def test_the_number_of_queries_does_not_grow_with_the_rows(session, connection, people):
    olena, _, trainer, _ = people
    session.refresh(olena)  # loaded before counting, as after the fill below
    with count_queries(connection) as statements:
        person_data(session, olena)
    once = len(statements)
    for number in range(2, 5):
        fill(session, olena, trainer, f"olena-{number}", "superseded")
    session.refresh(olena)
    with count_queries(connection) as statements:
        data = person_data(session, olena)
    assert len(data["practice"]) == 4 and len(data["attendance"]) == 4
    assert len(statements) == once


def test_a_trainee_reads_and_downloads_their_own_data(client, session, people):
    olena, *_ = people
    login(client, olena)
    page = client.get("/privacy/my-data")
    assert page.status_code == 200
    assert "reflection olena-1" in page.get_data(as_text=True)
    download = client.get("/privacy/my-data.json")
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"] == "no-store"
    assert download.get_json()["person"]["email"] == olena.email
    assert "privacy/my-data" in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("language", ["en", "et", "uk"])
def test_the_page_reads_in_each_language(client, session, people, language):
    from tests.reader_text import problems, visible_text

    olena, *_ = people
    olena.language = language
    session.commit()
    login(client, olena)
    html = client.get("/privacy/my-data").get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    text = visible_text(html, language)
    assert "Session olena-1" in text and "comment olena-1" in text
    assert language == "en" or not problems(text, language=language)


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER])
def test_only_coordinators_export_someone_else(client, session, people, role):
    olena, *_ = people
    login(client, make_user(session, role))
    assert client.get(f"/privacy/people/{olena.id}/data").status_code == 403
    assert client.post(f"/privacy/people/{olena.id}/data").status_code == 403
    assert client.post(f"/privacy/people/{olena.id}/data.json").status_code == 403


def test_a_coordinators_export_is_recorded(client, session, people):
    olena, _, _, coordinator = people
    login(client, coordinator)
    assert f"/privacy/people/{olena.id}/data" in client.get(f"/users/{olena.id}/edit").text
    offer = client.get(f"/privacy/people/{olena.id}/data")
    assert offer.status_code == 200 and "reflection olena-1" not in offer.text
    exported = sa.select(AuditEvent).where(
        AuditEvent.action == EXPORTED, AuditEvent.subject_id == olena.id
    )
    assert session.scalars(exported).all() == []  # looking at the offer is no export
    session.commit()  # end the test session's savepoint before the next request writes
    download = client.post(f"/privacy/people/{olena.id}/data.json")
    assert download.status_code == 200 and download.get_json()["person"]["email"] == olena.email
    assert download.headers["Cache-Control"] == "no-store"
    page = client.post(f"/privacy/people/{olena.id}/data")
    assert page.status_code == 200 and "reflection olena-1" in page.text
    events = session.scalars(exported).all()
    assert [(e.actor_id, e.after["shape"]) for e in events] == [
        (coordinator.id, "json"),
        (coordinator.id, "page"),
    ]
    assert client.post("/privacy/people/999999/data.json").status_code == 404


def test_the_command_prints_the_json(runner, session, people):
    olena, *_ = people
    result = runner.invoke(args=["people", "export", olena.email.upper()])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["person"]["email"] == olena.email
    assert (
        session.scalar(
            sa.select(AuditEvent.actor_id).where(
                AuditEvent.action == EXPORTED, AuditEvent.subject_id == olena.id
            )
        )
        is None
    )  # recorded, by nobody in particular: the command line
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == EXPORTED)) == 1
    unknown = runner.invoke(args=["people", "export", "nobody@example.org"])
    assert unknown.exit_code == 1 and "nobody@example.org" in unknown.stderr
