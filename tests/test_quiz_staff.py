"""Trainers' side of quizzes: the essay queue and grading, regrading after a key correction,
the gradebook and its export, uploading GIFT files, and who may see what."""

import csv
import io
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lms.audit import AuditEvent
from lms.auth.models import Role
from lms.quizzes import attempts, catalogue, marking
from lms.quizzes.models import QuizAttempt, UploadedQuiz
from tests.factories import (
    GIFT_SAMPLE,
    count_queries,
    login,
    make_attempt,
    make_cohort,
    make_quiz,
    make_user,
)

COURSE_QUIZ = "// @course: support-role\n// @shuffle: none\n" + GIFT_SAMPLE


@pytest.fixture
def people(session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina")
    other_trainer = make_user(session, Role.TRAINER, display_name="Other")
    trainee = make_user(session, display_name="Olena")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    make_cohort(session, trainers=(other_trainer,))
    return trainer, other_trainer, trainee, cohort


def submitted_essay(app, session, trainee, answers=None):
    with app.app_context():
        quiz = make_quiz(session, "course-quiz", COURSE_QUIZ)
        attempt = make_attempt(
            session, quiz, trainee, answers or {"Choice": "0", "Essay": "I never accept gifts."}
        )
        attempts.submit(session, quiz, attempt, now=datetime.now(UTC))
    session.commit()
    return quiz, attempt


def test_an_essay_waits_for_the_cohorts_trainer_and_the_grade_makes_the_score_final(
    app, client, session, people
):
    trainer, other_trainer, trainee, cohort = people
    quiz, attempt = submitted_essay(app, session, trainee)
    assert attempt.cohort_id == cohort.id and attempt.awaiting_grading
    assert attempt.score == pytest.approx(1 / 7)  # provisional: the essay counts 0 until graded
    response = attempt.response("Essay")

    login(client, other_trainer)
    assert "Olena" not in client.get("/quizzes/grading").get_data(as_text=True)
    assert client.get(f"/quizzes/grading/{response.id}").status_code == 404
    assert client.get(f"/quizzes/attempts/{attempt.id}/result").status_code == 404

    login(client, trainee)
    assert client.get(f"/quizzes/attempts/{attempt.id}/result").status_code == 200
    assert "provisional" in client.get(f"/quizzes/attempts/{attempt.id}/result").get_data(
        as_text=True
    )

    login(client, trainer)
    queue = client.get("/quizzes/grading").get_data(as_text=True)
    assert "Olena" in queue and f"/quizzes/grading/{response.id}" in queue
    page = client.get(f"/quizzes/grading/{response.id}").get_data(as_text=True)
    assert "I never accept gifts." in page
    refused = client.post(f"/quizzes/grading/{response.id}", data={"score": "120", "comment": ""})
    assert refused.status_code == 200 and "between 0 and 100" in refused.get_data(as_text=True)
    saved = client.post(
        f"/quizzes/grading/{response.id}",
        data={"score": "80", "comment": "**Good** boundary.<script>alert(1)</script>"},
    )
    assert saved.status_code == 302
    session.refresh(attempt)
    assert not attempt.awaiting_grading and attempt.score == pytest.approx(1.8 / 7)
    assert "Olena" not in client.get("/quizzes/grading").get_data(as_text=True)
    event = session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "quiz.essay_graded", AuditEvent.subject_id == attempt.id
        )
    )
    assert event.actor_id == trainer.id and event.after["fraction"] == 0.8

    login(client, trainee)
    result = client.get(f"/quizzes/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "<strong>Good</strong> boundary." in result and "<script>" not in result
    assert "Trainer&#39;s grade: 80%" in result or "Trainer's grade: 80%" in result


def test_the_queue_and_the_grading_page_name_the_question_in_the_trainers_language(
    app, client, session
):
    """Tiina reads Ukrainian: the trainer-of-trainers essay is named by its Ukrainian title in
    the queue and asked in Ukrainian on the grading page, not by the English title it is kept
    under. The grade still goes to the same answer."""
    trainer = make_user(session, Role.TRAINER, display_name="Tiina", language="uk")
    trainee = make_user(session, display_name="Olena", language="en")
    make_cohort(session, "trainer-of-trainers", trainers=(trainer,), trainees=(trainee,))
    key = "Feedback on a practice entry"
    with app.app_context():
        quiz = catalogue.get_quiz(session, "trainer-of-trainers-final")
        attempt = make_attempt(session, quiz, trainee, {key: "I would return the entry."})
        attempts.submit(session, quiz, attempt, now=datetime.now(UTC))
    session.commit()
    response = attempt.response(key)
    login(client, trainer)
    queue = client.get("/quizzes/grading").get_data(as_text=True)
    assert f"/quizzes/grading/{response.id}" in queue
    assert "Зворотний зв’язок на запис практики" in queue and key not in queue
    page = client.get(f"/quizzes/grading/{response.id}").get_data(as_text=True)
    assert "Ви здійснюєте супервізію" in page and "You supervise the practice" not in page
    assert "I would return the entry." in page
    saved = client.post(f"/quizzes/grading/{response.id}", data={"score": "75", "comment": ""})
    assert saved.status_code == 302
    session.refresh(response)
    assert response.fraction == pytest.approx(0.75)


def test_nobody_grades_their_own_essay(app, client, session):
    both = make_user(session, Role.TRAINER, Role.TRAINEE)
    make_cohort(session, trainers=(both,), trainees=(both,))
    _, attempt = submitted_essay(app, session, both)
    login(client, both)
    response = attempt.response("Essay")
    assert client.get(f"/quizzes/grading/{response.id}").status_code == 404
    with app.app_context(), pytest.raises(catalogue.QuizError, match="their own"):
        marking.grade_essay(
            session,
            catalogue.get_quiz(session, "course-quiz"),
            response,
            fraction=1,
            comment="",
            grader=both,
            now=datetime.now(UTC),
        )


def test_correcting_the_key_and_regrading_on_request(app, client, session, people):
    trainer, _, trainee, _ = people
    _, attempt = submitted_essay(app, session, trainee, {"Choice": "1"})  # wrong by the old key
    assert attempt.score == 0
    row = session.scalar(sa.select(UploadedQuiz).where(UploadedQuiz.slug == "course-quiz"))
    corrected = row.source.replace(
        "{=The client#Yes ~The support person#No}", "{~The client#Yes =The support person#No}"
    )
    login(client, trainer)
    form = client.get("/quizzes/course-quiz/edit").get_data(as_text=True)
    assert "The support person" in form
    response = client.post(
        "/quizzes/course-quiz/edit",
        data={
            "source": corrected.split("\n", 2)[2],
            "title": "Sample quiz",
            "link": "support-role",
            "pass_mark": "60",
            "attempts": "0",
            "time_limit": "0",
            "review": ["score", "feedback", "answers"],
            "save": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get("/quizzes/course-quiz").get_data(as_text=True)
    assert "1 attempt was graded with an earlier version" in page
    session.refresh(attempt)
    assert attempt.score == 0  # nothing changes until somebody asks
    assert client.post("/quizzes/course-quiz/regrade").status_code == 302
    session.refresh(attempt)
    assert attempt.score == pytest.approx(1 / 7)
    event = session.scalar(
        sa.select(AuditEvent).where(
            AuditEvent.action == "quiz.regraded", AuditEvent.subject_id == attempt.id
        )
    )
    assert event.before["score"] == 0 and event.after["score"] == pytest.approx(1 / 7)
    assert event.actor_id == trainer.id
    assert "earlier version" not in client.get("/quizzes/course-quiz").get_data(as_text=True)


def test_gradebook_page_export_and_constant_queries(app, client, session, connection, people):
    trainer, _, trainee, cohort = people
    with app.app_context():
        final = catalogue.get_quiz(session, "support-role-final")
        attempt = make_attempt(session, final, trainee)
        for item in attempt.layout:
            question = final.question(item["key"])
            if question.kind == "multichoice":
                right = next(i for i, a in enumerate(question.answers) if a.fraction == 1)
                attempts.save_answer(
                    session, final, attempt, item["key"], [str(right)], now=datetime.now(UTC)
                )
        attempts.submit(session, final, attempt, now=datetime.now(UTC))
    session.commit()
    login(client, trainer)
    page = client.get(f"/quizzes/cohorts/{cohort.id}/gradebook").get_data(as_text=True)
    assert "Olena" in page and "1 attempt" in page
    body = client.get(f"/quizzes/cohorts/{cohort.id}/gradebook.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    header, olena = rows[0], rows[1]
    column = header.index(f"{final.title}: best %")
    assert olena[0] == "Olena" and float(olena[column]) == round(attempt.score * 100, 1)
    assert olena[column + 1] == "1"
    xlsx = client.get(f"/quizzes/cohorts/{cohort.id}/gradebook.xlsx")
    assert xlsx.data[:2] == b"PK"

    with count_queries(connection) as few:
        client.get(f"/quizzes/cohorts/{cohort.id}/gradebook")
    with app.app_context():
        for number in range(5):
            person = make_user(session, display_name=f"More {number}")
            make_cohort_member(session, cohort, person)
            attempts.submit(
                session, final, make_attempt(session, final, person), now=datetime.now(UTC)
            )
    session.commit()
    with count_queries(connection) as more:
        assert "More 4" in client.get(f"/quizzes/cohorts/{cohort.id}/gradebook").get_data(
            as_text=True
        )
    assert len(few) == len(more), (few, more)

    other = make_user(session, Role.TRAINER)
    login(client, other)
    assert client.get(f"/quizzes/cohorts/{cohort.id}/gradebook").status_code == 404
    login(client, trainee)
    assert client.get(f"/quizzes/cohorts/{cohort.id}/gradebook.csv").status_code == 404


def make_cohort_member(session, cohort, person):
    from lms.cohorts.models import Enrolment

    session.add(Enrolment(cohort_id=cohort.id, user_id=person.id))
    session.flush()


def test_the_cohort_page_shows_the_trainee_the_required_quizzes(app, client, session, people):
    _, _, trainee, cohort = people
    login(client, trainee)
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    assert "Required quizzes" in page and "0 of 2 passed" in page
    assert "/quizzes/support-role-final" in page and "/quizzes/care-methodology-final" in page


def test_upload_preview_shows_problems_by_line_and_saves_only_when_clean(client, session):
    trainer = make_user(session, Role.TRAINER)
    login(client, trainer)
    broken = "::A::Fine {T}\n\n::B::Stray } brace {T}\n\n::C::[latex]x {T}\n\n::D::n {#abc}\n"
    fields = {"slug": "from-moodle", "title": "From Moodle", "link": "", "pass_mark": "70",
              "attempts": "0", "time_limit": "0", "review": ["score"]}  # fmt: skip
    page = client.post(
        "/quizzes/upload",
        data={**fields, "file": (io.BytesIO(broken.encode()), "bank.gift"), "save": "1"},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "3 problems" in page
    assert (
        "Line 3:</strong> a &#39;}&#39; with no &#39;{&#39;" in page or "Line 3:</strong>" in page
    )
    assert "Line 5:</strong> unknown format [latex]" in page
    assert "Line 7:</strong> &#39;abc&#39; is not a number" in page
    assert "::A::Fine {T}" in page  # the text is kept for correcting in place
    assert session.scalar(sa.select(UploadedQuiz).where(UploadedQuiz.slug == "from-moodle")) is None

    bad_bytes = client.post(
        "/quizzes/upload",
        data={**fields, "file": (io.BytesIO(b"Q {T}\n\xff"), "bank.gift"), "preview": "1"},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Line 2: the file is not UTF-8 text" in bad_bytes

    good = "// question: 1 name: exported by Moodle\n::A::Fine {T}\n\n::B::Pick {=a ~b}\n"
    preview = client.post(
        "/quizzes/upload",
        data={**fields, "file": (io.BytesIO(good.encode()), "bank.gift"), "preview": "1"},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "No problems found in 2 questions" in preview and 'name="save"' in preview
    saved = client.post("/quizzes/upload", data={**fields, "source": good, "save": "1"})
    assert saved.headers["Location"].endswith("/quizzes/from-moodle")
    row = session.scalar(sa.select(UploadedQuiz).where(UploadedQuiz.slug == "from-moodle"))
    assert row.source.startswith("// @title: From Moodle\n") and row.uploaded_by_id == trainer.id
    download = client.get("/quizzes/from-moodle.gift")
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"  # one charset
    exported = download.get_data(as_text=True)
    assert "// @review: score" in exported and "::B::Pick {" in exported

    again = client.post("/quizzes/upload", data={**fields, "source": good, "save": "1"})
    assert "already exists" in again.get_data(as_text=True)
    shipped = client.post(
        "/quizzes/upload", data={**fields, "slug": "support-role-01", "source": good, "save": "1"}
    )
    assert "shipped with Tugi" in shipped.get_data(as_text=True)
    trainee = make_user(session)
    login(client, trainee)
    assert client.get("/quizzes/upload").status_code == 403
    assert client.get("/quizzes/from-moodle.gift").status_code == 403


def test_a_quiz_page_lists_attempts_and_closed_reasons(app, client, session):
    trainee = make_user(session)
    with app.app_context():
        quiz = make_quiz(session, "once", "// @attempts: 1\n" + GIFT_SAMPLE)
        attempts.submit(session, quiz, make_attempt(session, quiz, trainee), now=datetime.now(UTC))
    session.commit()
    login(client, trainee)
    page = client.get("/quizzes/once").get_data(as_text=True)
    assert "You have used all 1 attempts" in page and "/quizzes/once/start" not in page
    response = client.post("/quizzes/once/start", follow_redirects=True)
    assert "You have used all 1 attempts" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 1


def test_only_staff_of_the_quizs_cohorts_may_regrade(app, client, session, people):
    trainer, other_trainer, trainee, _ = people
    submitted_essay(app, session, trainee, {"Choice": "1"})
    outsider = make_user(session, Role.TRAINER)  # trains a programme without this quiz
    make_cohort(session, "regional-thematic", trainers=(outsider,))
    coordinator = make_user(session, Role.COORDINATOR)
    for person, allowed in [
        (outsider, False),
        (make_user(session, Role.TRAINER), False),  # trains no cohort at all
        (trainer, True),
        (other_trainer, True),  # another cohort of a programme with this quiz
        (coordinator, True),
    ]:
        login(client, person)
        expected = 200 if allowed else 404
        assert client.get("/quizzes/course-quiz/regrade").status_code == expected, person
        assert client.post("/quizzes/course-quiz/regrade").status_code in (
            (302,) if allowed else (404,)
        )
        page = client.get("/quizzes/course-quiz").get_data(as_text=True)
        assert ("/quizzes/course-quiz/regrade" in page) is allowed


def test_a_regrade_that_changes_nothing_writes_no_audit_event(app, client, session, people):
    trainer, _, trainee, _ = people
    _, attempt = submitted_essay(app, session, trainee, {"Choice": "1"})
    login(client, trainer)
    reply = client.post("/quizzes/course-quiz/regrade", follow_redirects=True)
    assert "1 attempts regraded; 0 scores changed." in reply.get_data(as_text=True)
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "quiz.regraded"))
    assert list(events) == []
