"""Erasure of a person's data: what goes, what stays, the page, the command and who may."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from lms import audit
from lms.alumni import services as alumni
from lms.attendance.models import AttendanceRecord
from lms.auth import services as accounts
from lms.auth.models import PasswordLink, Role, User
from lms.certificates.models import Certificate
from lms.cohorts import services as cohorts
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.extensions import db
from lms.practice import services as practice
from lms.practice.models import PracticeEntry, PracticeRevision
from lms.privacy import erasure
from lms.programmes.services import get_programme, get_programmes
from lms.quizzes.models import QuizResponse
from lms.reports.funder import ReportFilter, funder_report
from tests.factories import (
    PASSWORD,
    login,
    make_attempt,
    make_certificate,
    make_cohort,
    make_practice,
    make_quiz,
    make_session,
    make_user,
)

TODAY = date(2026, 10, 20)
NOW = datetime(2026, 10, 20, 12, tzinfo=UTC)
EMAIL = "olena.private@example.org"
NAME = "Olena Erasmusdottir"
REFLECTION = "Her son Bohdan was afraid of the dentist"
CODE = "ZZ-SECRET-77"
COMMENT = "Say more about Bohdan's school"
ESSAY = "I never give my home address to Bohdan"
NOTE = "Olena came late: the bus from Kuressaare"
EMPLOYER = "Kuressaare Family Centre"


@pytest.fixture
def world(app, session):
    """A cohort where Olena (to be erased) shares one client with Mari and has one of her own,
    holds a certificate, answered a quiz, has a register note and a follow-up."""
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    coordinator = make_user(session, Role.COORDINATOR, display_name="Kadri Koordinaator")
    olena = make_user(session, email=EMAIL, display_name=NAME, municipality="Võru linn")
    mari = make_user(session, display_name="Mari", municipality="Võru linn")
    a = make_cohort(session, trainers=(trainer,), trainees=(olena, mari), name="Group A")
    b = make_cohort(session, trainers=(trainer,), trainees=(olena,), name="Group B")
    with app.app_context():
        make_practice(session, a, olena, approve_by=trainer, client_code="UA-CH-01", minutes=90)
        make_practice(session, a, mari, approve_by=trainer, client_code="ua-ch-01", minutes=60)
        make_practice(
            session, a, olena, approve_by=trainer, client_code=CODE, reflection=REFLECTION,
            client_group="family", minutes=45,
        )  # fmt: skip
        make_practice(session, b, olena, approve_by=trainer, client_code="UA-CH-01", minutes=30)
        returned = make_practice(session, a, olena, client_code=CODE, minutes=20)
        practice.return_revision(session, returned.latest, trainer, COMMENT, NOW)
        enrolment = session.scalar(
            sa.select(Enrolment).where(Enrolment.cohort_id == a.id, Enrolment.user_id == olena.id)
        )
        enrolment.status = EnrolmentStatus.COMPLETED
        certificate = make_certificate(session, a, olena)
        audit.record(
            session, actor_id=None, action="certificate.issued", subject_type="certificate",
            subject_id=certificate.id, after={"code": certificate.code, "holder": NAME},
        )  # fmt: skip
        quiz = make_quiz(session)
        make_attempt(session, quiz, olena, {"Essay": ESSAY})
        item = make_session(session, a)
        session.add(
            AttendanceRecord(session_id=item.id, user_id=olena.id, mark="present", note=NOTE)
        )
        alumni.record_follow_up(
            session, olena, alumni.Answer("support_person", TODAY, "tugiisik", EMPLOYER),
            coordinator, TODAY,
        )  # fmt: skip
        accounts.create_password_link(session, olena, coordinator, 24)
        session.commit()
    return {
        "a": a, "b": b, "trainer": trainer, "coordinator": coordinator, "olena": olena,
        "mari": mari, "certificate": certificate,
    }  # fmt: skip


def _report(app, session):
    with app.app_context():
        return funder_report(session, ReportFilter(), list(get_programmes()), TODAY)


def _erase(app, session, user, actor=None):
    with app.test_request_context():
        name = erasure.erase_person(session, user, actor)
        session.commit()
    return name


def _every_row_as_text(session) -> str:
    """Every row of every table, as text; the certificate keeps the name printed on it."""
    lines = []
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if (table.name, c.name) != ("certificates", "holder_name")
        ]
        for row in session.execute(sa.select(*columns)):
            lines.append(f"{table.name}: {tuple(row)}")
    return "\n".join(lines)


def test_the_funder_report_is_the_same_after_an_erasure(app, session, world):
    before = _report(app, session)
    assert before.clients == 3 and before.practice_minutes == 225  # the shared client counts once
    _erase(app, session, world["olena"], world["coordinator"])
    session.expire_all()
    assert _report(app, session) == before


def test_no_trace_of_the_person_is_left_in_any_table(app, session, world):
    text = _every_row_as_text(session)
    for secret in (EMAIL, NAME, REFLECTION, CODE, COMMENT, ESSAY, NOTE, EMPLOYER):
        assert secret in text, secret  # the search would find it
    name = _erase(app, session, world["olena"], world["coordinator"])
    text = _every_row_as_text(session)
    for secret in (EMAIL, NAME, REFLECTION, CODE, COMMENT, ESSAY, NOTE, EMPLOYER, "Bohdan"):
        assert secret not in text, secret
    assert name in text and name.startswith("Person ")
    assert (
        session.scalar(sa.select(PasswordLink).where(PasswordLink.user_id == world["olena"].id))
        is None
    )


def test_the_pseudonym_is_stable_and_the_row_stays(app, session, world):
    olena = world["olena"]
    with app.app_context():
        expected = erasure.pseudonym(olena.id)
        assert erasure.pseudonym(olena.id) == expected != erasure.pseudonym(world["mari"].id)
    assert _erase(app, session, olena) == expected
    assert (olena.display_name, olena.email) == (expected, f"erased-{olena.id}@erased.invalid")
    assert olena.erased_at is not None and not olena.active and olena.password_hash is None
    assert olena.calendar_token is None
    events = session.scalars(
        sa.select(audit.AuditEvent).where(audit.AuditEvent.action == erasure.ACTION)
    ).all()
    assert [(e.subject_id, e.after) for e in events] == [(olena.id, {"erased": True})]


def test_client_keys_shared_with_others_stay_and_the_rest_are_replaced(app, session, world):
    olena = world["olena"]
    _erase(app, session, olena)
    keys = {
        (entry.cohort_id, revision.client_key)
        for entry in session.scalars(
            sa.select(PracticeEntry).where(PracticeEntry.user_id == olena.id)
        )
        for revision in entry.revisions
    }
    a, b = world["a"].id, world["b"].id
    assert (a, "ua-ch-01") in keys  # Mari, not erased, supports the same client in A
    assert all(
        key.startswith("erased:") for cohort, key in keys if (cohort, key) != (a, "ua-ch-01")
    )
    assert len({key for cohort, key in keys if cohort == b}) == 1
    revisions = session.scalars(
        sa.select(PracticeRevision).join(PracticeEntry).where(PracticeEntry.user_id == olena.id)
    ).all()
    assert all(
        r.redacted_at and r.reflection == "" and r.client_code == "[erased]" for r in revisions
    )


def test_erasing_the_second_holder_of_a_shared_key_keeps_the_count(app, session, world):
    before = _report(app, session)
    _erase(app, session, world["olena"])
    _erase(app, session, world["mari"])
    session.expire_all()
    assert _report(app, session) == before


def test_quiz_scores_and_certificates_stay(app, client, session, world):
    certificate = world["certificate"]
    _erase(app, session, world["olena"])
    response = session.scalar(sa.select(QuizResponse).where(QuizResponse.question_key == "Essay"))
    assert response.answer is None
    assert session.get(Certificate, certificate.id).holder_name == NAME
    page = client.get(f"/verify/{certificate.code}")
    assert page.status_code == 200 and NAME in page.get_data(as_text=True)


def test_an_erased_person_cannot_log_in_and_their_email_is_free(app, client, session, world):
    olena = world["olena"]
    with app.test_request_context():
        token = accounts.create_password_link(session, olena, None, 24)
        session.commit()
    look_alike = EMAIL.replace("o", "\u043e", 1)  # a Cyrillic o
    with pytest.raises(accounts.AccountError):
        accounts.check_email_free(session, look_alike)
    _erase(app, session, olena)
    answer = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert answer.status_code == 200  # the form again, not the way in
    assert client.get("/account").status_code != 200
    assert client.get(f"/password/{token}").status_code == 404
    accounts.check_email_free(session, look_alike)
    new = make_user(session, email=EMAIL, display_name="Olena again")
    assert new.id != olena.id and new.email == EMAIL


def test_a_session_open_before_the_erasure_ends(app, client, session, world):
    olena = world["olena"]
    login(client, olena)
    assert client.get("/account").status_code == 200
    _erase(app, session, olena)
    assert client.get("/account").status_code in (302, 401)


def test_erasing_twice_is_refused(app, session, world):
    _erase(app, session, world["olena"])
    with (
        app.test_request_context(),
        pytest.raises(erasure.ErasureError, match="already been erased"),
    ):
        erasure.erase_person(session, world["olena"], None)


def test_an_erased_person_is_neither_edited_nor_enrolled(app, session, world):
    olena = world["olena"]
    _erase(app, session, olena)
    from lms.users import services as users

    with app.test_request_context():
        with pytest.raises(accounts.AccountError, match="erased"):
            users.update_user(
                session, olena, email="x@example.org", display_name="X", language="en",
                municipality=None, roles=["trainee"],
            )  # fmt: skip
        with pytest.raises(accounts.AccountError, match="erased"):
            users.set_active(olena, True, world["coordinator"])
        other = make_cohort(session, name="Group C")
        with pytest.raises(cohorts.CohortError, match="erased"):
            cohorts.enrol(
                session, other, get_programme(other.programme_slug), olena, world["coordinator"]
            )


def test_a_trainers_sign_offs_stay_under_the_pseudonym(app, session, world):
    trainer = world["trainer"]
    name = _erase(app, session, trainer, world["coordinator"])
    signed = session.scalars(
        sa.select(PracticeRevision).where(PracticeRevision.reviewer_id == trainer.id)
    ).all()
    assert signed and all(r.status in ("approved", "returned") for r in signed)
    assert signed[0].reviewer.display_name == name


def test_the_page_lists_what_goes_and_erases_on_confirmation(app, client, session, world):
    olena = world["olena"]
    login(client, world["coordinator"])
    page = client.get(f"/privacy/erase/{olena.id}").get_data(as_text=True)
    assert "4 practice entries" in page and "1 certificate" in page and EMAIL in page
    refused = client.post(
        f"/privacy/erase/{olena.id}", data={"understood": "y", "email": "x@y.org"}
    )
    assert refused.status_code == 200 and "not the person" in refused.get_data(as_text=True)
    assert session.get(User, olena.id).erased_at is None
    unticked = client.post(f"/privacy/erase/{olena.id}", data={"email": EMAIL})
    assert "Tick the box" in unticked.get_data(as_text=True)
    done = client.post(
        f"/privacy/erase/{olena.id}", data={"understood": "y", "email": EMAIL.upper()}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/users/{olena.id}/edit")
    session.expire_all()
    assert session.get(User, olena.id).erased_at is not None
    with app.app_context():
        name = erasure.pseudonym(olena.id)
    flashed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert f"now shown under the pseudonym {name}" in flashed  # the name stays as written
    listing = client.get("/users/").get_data(as_text=True)
    assert name in listing and "erased" in listing and NAME not in listing
    again = client.get(f"/privacy/erase/{olena.id}").get_data(as_text=True)
    assert "already been erased" in again and 'name="email"' not in again
    assert "Erase the data of" not in again  # only the status, no question above it
    cohort = client.get(f"/cohorts/{world['a'].id}/").get_data(as_text=True)
    row = cohort.split(f">{name}</a>")[1].split("</th>")[0]
    assert '<span class="tag tag-muted">erased</span>' in row  # as in the people list
    edit = client.post(f"/users/{olena.id}/edit", data={"display_name": "Back"})
    assert edit.status_code == 302
    assert session.get(User, olena.id).display_name == name


def test_coordinators_only_and_never_on_themselves(app, client, session, world):
    coordinator, olena = world["coordinator"], world["olena"]
    login(client, world["trainer"])
    assert client.get(f"/privacy/erase/{olena.id}").status_code in (403, 404)
    assert client.post(
        f"/privacy/erase/{olena.id}", data={"understood": "y", "email": EMAIL}
    ).status_code in (403, 404)
    login(client, coordinator)
    page = client.get(f"/privacy/erase/{coordinator.id}").get_data(as_text=True)
    assert "cannot erase your own data" in page
    client.post(
        f"/privacy/erase/{coordinator.id}", data={"understood": "y", "email": coordinator.email}
    )
    assert session.get(User, coordinator.id).erased_at is None
    assert client.get("/privacy/erase/999999").status_code == 404


def test_the_command_says_what_would_go_and_erases_only_with_yes(app, runner, session, world):
    olena = world["olena"]
    dry = runner.invoke(args=["people", "erase", EMAIL])
    assert dry.exit_code == 0, "a preview is not an error"
    assert "Nothing was erased. Run again with --yes to erase." in dry.output
    assert "Error" not in dry.output and "4 practice" in dry.output
    session.expire_all()
    assert session.get(User, olena.id).erased_at is None
    done = runner.invoke(args=["people", "erase", EMAIL, "--yes"])
    assert done.exit_code == 0, done.output
    session.expire_all()
    assert session.get(User, olena.id).erased_at is not None
    assert "Person " in done.output
    again = runner.invoke(args=["people", "erase", f"erased-{olena.id}@erased.invalid", "--yes"])
    assert again.exit_code != 0 and "already been erased" in again.output
    unknown = runner.invoke(args=["people", "erase", EMAIL, "--yes"])
    assert unknown.exit_code != 0 and f"Nobody has the address {EMAIL} now" in unknown.output
    assert "address is no longer kept" in unknown.output  # twice looks like a typo: say so


def test_regrading_leaves_an_erased_persons_scores_alone(app, session, world):
    from lms.quizzes import attempts, catalogue, regrading
    from lms.quizzes.models import UploadedQuiz

    olena, mari = world["olena"], world["mari"]
    with app.app_context():
        quiz = make_quiz(session, "erasure-quiz")
        submitted = {}
        for person in (olena, mari):
            attempt = make_attempt(session, quiz, person, {"Choice": "1"})  # wrong by this key
            attempts.submit(session, quiz, attempt, now=NOW)
            submitted[person.id] = attempt
        session.commit()
    _erase(app, session, olena)
    row = session.scalar(sa.select(UploadedQuiz).where(UploadedQuiz.slug == "erasure-quiz"))
    row.source = row.source.replace(
        "{=The client#Yes ~The support person#No}", "{~The client#Yes =The support person#No}"
    )
    session.commit()
    with app.app_context():
        corrected = catalogue.get_quiz(session, "erasure-quiz")
        assert regrading.outdated_attempts(session, corrected) == 1  # Mari's only
        assert regrading.regrade(session, corrected, world["coordinator"]) == (1, 1)
    assert submitted[olena.id].score == 0
    assert submitted[mari.id].score > 0


def test_no_expiry_reminder_goes_to_an_erased_holder(app, session, world, monkeypatch):
    from lms.certificates import services as certificates

    world["certificate"].expires_on = TODAY.replace(month=11)
    session.commit()
    _erase(app, session, world["olena"])
    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr("lms.mail.send_mail", lambda *args: sent.append(args) or True)
    with app.test_request_context():
        count = certificates.send_expiry_reminders(
            session, list(get_programmes()), today=TODAY, days=60, now=NOW,
            verify_url=lambda certificate: "https://example.org",
        )  # fmt: skip
    assert (count, sent) == (0, [])
