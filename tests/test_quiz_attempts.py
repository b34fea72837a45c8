"""Taking a quiz: answers saved one by one, restored on reload, refused when they do not belong;
time limits, attempt limits, dates, shuffling and submitting once."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.auth.models import Role
from lms.quizzes import attempts, catalogue
from lms.quizzes.models import QuizAttempt
from tests.factories import GIFT_SAMPLE, login, make_attempt, make_cohort, make_quiz, make_user

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
KEYS = ["Choice", "TF", "Short", "Number", "Match", "Several", "Essay"]


@pytest.fixture
def trainee(session):
    return make_user(session, display_name="Olena")


@pytest.fixture
def quiz(app, session):
    with app.app_context():
        return make_quiz(session, "sample", "// @shuffle: none\n" + GIFT_SAMPLE)


def start(client, slug="sample") -> int:
    response = client.post(f"/quizzes/{slug}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def test_every_answer_is_saved_as_given_and_restored_on_another_device(
    app, client, session, quiz, trainee
):
    login(client, trainee)
    attempt_id = start(client)
    answers = {
        "0": {"q-0": "0"},
        "1": {"q-1": "1"},
        "2": {"q-2": "116 111"},
        "3": {"q-3": "25,5"},
        "4": {"q-4-0": "0", "q-4-1": "1"},
        "5": {"q-5": ["0", "1"]},
        "6": {"q-6": "A boundary I keep: no gifts."},
    }
    for position, fields in answers.items():
        reply = client.post(
            f"/quizzes/attempts/{attempt_id}/answer", data={"position": position, **fields}
        )
        assert reply.status_code == 200 and reply.json["saved"], reply.json
    assert reply.json["unanswered"] == 0

    other_device = app.test_client()
    login(other_device, trainee)
    page = other_device.get(f"/quizzes/attempts/{attempt_id}").get_data(as_text=True)
    assert 'name="q-0" value="0" checked' in page
    assert 'name="q-1" value="1" checked' in page
    assert 'value="116 111"' in page and 'value="25,5"' in page
    assert page.count("checked") == 4  # one radio each for q-0 and q-1, two boxes for q-5
    assert '<option value="1" selected>' in page
    assert "A boundary I keep: no gifts.</textarea>" in page

    assert other_device.get("/quizzes/sample").status_code == 200
    assert "Continue the attempt" in other_device.get("/quizzes/sample").get_data(as_text=True)


def test_clearing_an_answer_and_the_save_button_without_script(client, session, quiz, trainee):
    login(client, trainee)
    attempt_id = start(client)
    client.post(f"/quizzes/attempts/{attempt_id}/answer", data={"position": "2", "q-2": "x"})
    response = client.post(
        f"/quizzes/attempts/{attempt_id}/save", data={"q-0": "0", "q-2": "", "q-5": ["0", "1"]}
    )
    assert response.status_code == 302
    attempt = session.get(QuizAttempt, attempt_id)
    session.refresh(attempt)
    saved = {r.question_key: r.answer for r in attempt.responses}
    assert saved["Choice"] == {"choice": 0} and saved["Several"] == {"choices": [0, 1]}
    assert saved.get("Short") is None


def test_answers_that_do_not_belong_are_refused_and_change_nothing(client, session, quiz, trainee):
    login(client, trainee)
    attempt_id = start(client)
    url = f"/quizzes/attempts/{attempt_id}/answer"
    for data, message in [
        ({"position": "7", "q-7": "0"}, "not part of this attempt"),
        ({"position": "x"}, "not part of this attempt"),
        ({"position": "0", "q-0": "5"}, "not one of this question's choices"),
        ({"position": "0", "q-0": "0 OR 1=1"}, "not one of this question's choices"),
        ({"position": "4", "q-4-2": "0"}, "not one of this question's items"),
        ({"position": "5", "q-5": ["0", "42"]}, "not one of this question's choices"),
    ]:
        reply = client.post(url, data=data)
        assert reply.status_code == 400 and message in reply.json["error"], (data, reply.json)
    assert session.get(QuizAttempt, attempt_id).responses == []

    intruder = make_user(session)
    login(client, intruder)
    assert client.post(url, data={"position": "0", "q-0": "0"}).status_code == 404
    assert client.get(f"/quizzes/attempts/{attempt_id}").status_code == 404
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit").status_code == 404
    assert session.get(QuizAttempt, attempt_id).responses == []


def test_submitting_twice_grades_once(client, session, quiz, trainee):
    login(client, trainee)
    attempt_id = start(client)
    client.post(f"/quizzes/attempts/{attempt_id}/answer", data={"position": "0", "q-0": "0"})
    first = client.post(f"/quizzes/attempts/{attempt_id}/submit")
    assert first.headers["Location"].endswith(f"/quizzes/attempts/{attempt_id}/result")
    attempt = session.get(QuizAttempt, attempt_id)
    session.refresh(attempt)
    submitted_at, score = attempt.submitted_at, attempt.score
    assert score == pytest.approx(1 / 7)
    second = client.post(f"/quizzes/attempts/{attempt_id}/submit", follow_redirects=True)
    assert "already submitted" in second.get_data(as_text=True)
    late = client.post(f"/quizzes/attempts/{attempt_id}/answer", data={"position": "1", "q-1": "1"})
    assert late.status_code == 409 and late.json["closed"]
    session.refresh(attempt)
    assert (attempt.submitted_at, attempt.score) == (submitted_at, score)
    assert len(attempt.responses) == 1


def test_the_time_limit_is_kept_on_the_server(app, session, trainee):
    with app.app_context():
        quiz = make_quiz(session, "timed", "// @time-limit: 10\n" + GIFT_SAMPLE)
        attempt = make_attempt(session, quiz, trainee, {"Choice": "0"}, now=NOW)
        assert attempt.deadline == NOW + timedelta(minutes=10)
        with pytest.raises(catalogue.QuizError, match="time is up"):
            attempts.save_answer(
                session, quiz, attempt, "TF", ["1"], now=NOW + timedelta(minutes=11)
            )
        assert attempts.finish_overdue(session, NOW + timedelta(minutes=11)) == 1
    assert attempt.submitted_at == attempt.deadline and attempt.auto_submitted
    assert attempt.score == pytest.approx(1 / 7)  # what was saved before the deadline counts


def test_an_overdue_attempt_is_submitted_when_its_page_is_opened(app, client, session, trainee):
    """Its pages show it submitted at once; reading writes nothing, the scheduled command (or the
    person's next write) keeps it so."""
    with app.app_context():
        quiz = make_quiz(session, "timed", "// @time-limit: 5\n" + GIFT_SAMPLE)
        attempt = make_attempt(session, quiz, trainee, {"TF": "1"}, now=NOW - timedelta(hours=1))
    session.commit()
    login(client, trainee)
    response = client.get(f"/quizzes/attempts/{attempt.id}")
    assert response.headers["Location"].endswith(f"/attempts/{attempt.id}/result")
    page = client.get(f"/quizzes/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "the time was up" in page
    session.refresh(attempt)
    assert attempt.submitted_at is None  # shown, not yet written
    result = app.test_cli_runner().invoke(args=["quizzes", "finish-overdue"])
    assert "1 attempts submitted." in result.output
    session.refresh(attempt)
    assert attempt.submitted_at == NOW - timedelta(minutes=55) and attempt.auto_submitted


def test_attempt_limit_and_one_open_attempt_at_a_time(app, session, trainee):
    with app.app_context():
        quiz = make_quiz(session, "once", "// @attempts: 1\n" + GIFT_SAMPLE)
        first = attempts.start_attempt(session, quiz, trainee, NOW)
        assert attempts.start_attempt(session, quiz, trainee, NOW) is first  # a second click
        attempts.submit(session, quiz, first, now=NOW)
        with pytest.raises(catalogue.QuizError, match="used all 1 attempts"):
            attempts.start_attempt(session, quiz, trainee, NOW)


def test_the_database_allows_one_open_attempt_per_person_and_quiz(session, trainee):
    fields = {"quiz_slug": "x", "user_id": trainee.id, "version": "v", "layout": []}
    session.add(QuizAttempt(number=1, **fields))
    session.flush()
    with pytest.raises(sa.exc.IntegrityError), session.begin_nested():
        session.add(QuizAttempt(number=2, **fields))
        session.flush()


def test_shuffling_changes_the_order_but_not_the_meaning(app, session):
    with app.app_context():
        quiz = make_quiz(session, "mixed", "// @shuffle: questions answers\n" + GIFT_SAMPLE)
        orders = set()
        for _ in range(6):
            attempt = attempts.start_attempt(session, quiz, make_user(session), NOW)
            assert sorted(item["key"] for item in attempt.layout) == sorted(KEYS)
            orders.add(tuple(item["key"] for item in attempt.layout))
            choice = next(item for item in attempt.layout if item["key"] == "Choice")
            assert sorted(choice["order"]) == [0, 1]
            attempts.save_answer(session, quiz, attempt, "Choice", ["0"], now=NOW)
            attempts.submit(session, quiz, attempt, now=NOW)
            assert attempt.score == pytest.approx(1 / 7)  # choice 0 is right however it is shown
    assert len(orders) > 1


def test_cohort_dates_open_and_close_a_quiz(app, session, trainee):
    staff = make_user(session, Role.COORDINATOR)
    cohort = make_cohort(session, trainees=(trainee,))
    with app.app_context():
        quiz = catalogue.get_quiz(session, "support-role-final")
        attempts.set_window(session, cohort, quiz.slug, NOW + timedelta(days=1), None, staff)
        with pytest.raises(catalogue.QuizError, match="opens on"):
            attempts.start_attempt(session, quiz, trainee, NOW)
        attempts.set_window(session, cohort, quiz.slug, None, NOW - timedelta(hours=1), staff)
        with pytest.raises(catalogue.QuizError, match="closed on"):
            attempts.start_attempt(session, quiz, trainee, NOW)
        closes = NOW + timedelta(minutes=5)
        attempts.set_window(session, cohort, quiz.slug, NOW - timedelta(days=1), closes, staff)
        attempt = attempts.start_attempt(session, quiz, trainee, NOW)
        assert attempt.cohort_id == cohort.id
        assert attempt.deadline == closes  # sooner than the 30-minute time limit
        with pytest.raises(catalogue.QuizError, match="close after it opens"):
            attempts.set_window(session, cohort, quiz.slug, NOW, NOW, staff)


def test_cohort_dates_page_saves_local_times(client, session):
    trainer = make_user(session, Role.TRAINER)
    cohort = make_cohort(session, trainers=(trainer,))
    login(client, trainer)
    response = client.post(
        f"/quizzes/cohorts/{cohort.id}/dates",
        data={"quiz": "support-role-final", "opens_at": "2026-12-01T09:00", "closes_at": ""},
    )
    assert response.status_code == 302
    window = attempts.window_of(session, cohort.id, "support-role-final")
    assert window.opens_at == datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # Tallinn is UTC+2
    other = make_user(session, Role.TRAINER)
    login(client, other)
    assert client.get(f"/quizzes/cohorts/{cohort.id}/dates").status_code == 404


def test_the_result_page_follows_the_review_options(app, client, session, trainee):
    with app.app_context():
        quiz = make_quiz(session, "terse", "// @review: score\n" + GIFT_SAMPLE)
        attempt = make_attempt(session, quiz, trainee, {"Choice": "1"})
        attempts.submit(session, quiz, attempt, now=datetime.now(UTC))
    session.commit()
    login(client, trainee)
    page = client.get(f"/quizzes/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Score: 0%" in page
    assert "Right answer" not in page and ">No<" not in page
    coordinator = make_user(session, Role.COORDINATOR)
    login(client, coordinator)
    staff_page = client.get(f"/quizzes/attempts/{attempt.id}/result").get_data(as_text=True)
    assert "Right answer" in staff_page and "No" in staff_page
