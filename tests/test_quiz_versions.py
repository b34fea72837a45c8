"""An attempt stays on the version of the quiz it started with: an edited or broken quiz file
never changes or breaks an attempt in progress; grading uses the attempt's version."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lms import filecache
from lms.quizzes import attempts, catalogue
from lms.quizzes.models import QuizAttempt, QuizVersion
from tests.conftest import make_app
from tests.factories import login, make_user

QUIZ = """// @title: Versioned quiz
// @shuffle: none

::First::Who decides about the client's life? {=The client ~The support person}

::Second::A support person keeps a client's story to themself. {TRUE}
"""
# The key of the second question is turned round and a third question is added.
EDITED = QUIZ.replace("{TRUE}", "{FALSE}") + "\n::Third::Is this new? {TRUE}\n"
BROKEN = QUIZ + "\n::Stray::A brace that never closes {=yes ~no\n"


@pytest.fixture
def content(tmp_path, database_url, monkeypatch):
    """An app reading its quizzes from a folder the test edits; files are looked at each time."""
    monkeypatch.setattr(filecache, "RELOAD_CHECK_SECONDS", 0)
    (tmp_path / "quizzes").mkdir()
    path = tmp_path / "quizzes" / "versioned.gift"
    path.write_text(QUIZ)
    return make_app(database_url, CONTENT_DIR=tmp_path), path


def _start(client) -> int:
    response = client.post("/quizzes/versioned/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _answer(client, attempt_id: int, position: int, value: str):
    return client.post(
        f"/quizzes/attempts/{attempt_id}/answer",
        data={"position": str(position), f"q-{position}": value},
    )


@pytest.mark.parametrize("change", [EDITED, BROKEN], ids=["edited", "broken"])
def test_an_attempt_keeps_its_version_when_the_file_changes(content, session, change):
    app, path = content
    client = app.test_client()
    trainee = make_user(session)
    login(client, trainee)
    attempt_id = _start(client)
    assert _answer(client, attempt_id, 0, "0").json["saved"]

    path.write_text(change)
    page = client.get(f"/quizzes/attempts/{attempt_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Is this new?" not in text and "A brace that never closes" not in text
    reply = _answer(client, attempt_id, 1, "0")  # "true": right by the key it started with
    assert reply.status_code == 200 and reply.json["saved"], reply.json
    assert client.post(f"/quizzes/attempts/{attempt_id}/save", data={"q-0": "0", "q-1": "0"})
    submitted = client.post(f"/quizzes/attempts/{attempt_id}/submit")
    assert submitted.headers["Location"].endswith(f"/attempts/{attempt_id}/result")
    assert client.get(f"/quizzes/attempts/{attempt_id}/result").status_code == 200

    attempt = session.get(QuizAttempt, attempt_id)
    session.refresh(attempt)
    assert attempt.score == 1.0  # graded with the version it started with
    version = session.get(QuizVersion, attempt.quiz_version_id)
    assert version.source == QUIZ and version.version == attempt.version
    assert "Question 2 of 2" in text  # counted in the attempt's version


def test_a_broken_quizs_page_leads_to_the_attempt_in_progress(content, session):
    app, path = content
    client = app.test_client()
    login(client, make_user(session))
    attempt_id = _start(client)
    path.write_text(BROKEN)
    response = client.get("/quizzes/versioned")
    assert response.headers["Location"].endswith(f"/quizzes/attempts/{attempt_id}")
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit").status_code == 302
    assert client.get("/quizzes/versioned").status_code == 404  # nothing left to go on with


def test_an_overdue_attempt_of_a_broken_quiz_is_still_finished(content, session):
    app, path = content
    path.write_text("// @time-limit: 5\n" + QUIZ)
    trainee = make_user(session)
    with app.app_context():
        quiz = catalogue.get_quiz(session, "versioned")
        start = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
        attempt = attempts.start_attempt(session, quiz, trainee, start)
        attempts.save_answer(session, quiz, attempt, "First", ["0"], now=start)
        path.write_text(BROKEN)
        assert catalogue.get_quiz(session, "versioned") is None
        assert attempts.finish_overdue(session, datetime(2026, 11, 24, 11, 0, tzinfo=UTC)) == 1
    assert attempt.auto_submitted and attempt.score == 0.5


def test_versions_are_stored_once_per_quiz_and_content(content, session):
    app, _ = content
    with app.app_context():
        quiz = catalogue.get_quiz(session, "versioned")
        first = attempts.start_attempt(session, quiz, make_user(session), datetime.now(UTC))
        second = attempts.start_attempt(session, quiz, make_user(session), datetime.now(UTC))
    assert first.quiz_version_id == second.quiz_version_id
    count = session.scalar(
        sa.select(sa.func.count(QuizVersion.id)).where(QuizVersion.quiz_slug == "versioned")
    )
    assert count == 1
