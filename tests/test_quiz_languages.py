"""Taking a quiz in several languages: an attempt started in Ukrainian and continued in Estonian
is graded as the same answers in English; a short answer counts in any language; regrading
after the source changes still works with translations."""

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lms import filecache
from lms.auth.models import Role
from lms.extensions import db
from lms.quizzes import catalogue, grading, translations
from lms.quizzes.models import QuizAttempt
from tests.conftest import make_app
from tests.factories import login, make_user

FIXTURES = Path(__file__).parent / "fixtures" / "translated"
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
# Position -> form values, the same in every language: positions and choices are the source's.
ANSWERS = {0: {"q-0": "0"}, 1: {"q-1": "1"}, 3: {"q-3": "25"}, 4: {"q-4-0": "0", "q-4-1": "1"},
           5: {"q-5": ["0", "2"]}}  # fmt: skip


@pytest.fixture
def served(app, tmp_path, database_url, monkeypatch):
    """An app reading the fixture quiz and its translations from a folder a test may edit."""
    monkeypatch.setattr(filecache, "RELOAD_CHECK_SECONDS", 0)
    shutil.copytree(FIXTURES / "quizzes", tmp_path / "quizzes")
    return make_app(database_url, CONTENT_DIR=tmp_path)


def start(client) -> int:
    response = client.post("/quizzes/helping/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def answer(client, attempt_id, position, fields):
    reply = client.post(
        f"/quizzes/attempts/{attempt_id}/answer", data={"position": str(position), **fields}
    )
    assert reply.status_code == 200 and reply.json["saved"], reply.json


def take(served, session, language, short_answer, *, switch_to=None) -> QuizAttempt:
    """A trainee with ``language`` answers everything (the short answer as given), switching
    to ``switch_to`` half way; returns the submitted attempt."""
    trainee = make_user(session, language=language)
    client = served.test_client()
    login(client, trainee)
    attempt_id = start(client)
    positions = sorted(ANSWERS)
    for position in positions[:2]:
        answer(client, attempt_id, position, ANSWERS[position])
    if switch_to:
        page = client.get(f"/quizzes/attempts/{attempt_id}?lang={switch_to}")
        text = page.get_data(as_text=True)
        assert {"et": "Kes otsustab kliendi elu üle?", "uk": "Хто вирішує"}[switch_to] in text
        assert 'name="q-0" value="0" checked' in text and 'name="q-1" value="1" checked' in text
    for position in positions[2:]:
        answer(client, attempt_id, position, ANSWERS[position])
    answer(client, attempt_id, 2, {"q-2": short_answer})
    assert client.post(f"/quizzes/attempts/{attempt_id}/submit").status_code == 302
    attempt = session.get(QuizAttempt, attempt_id)
    session.refresh(attempt)
    return attempt


def test_an_attempt_begun_in_ukrainian_and_ended_in_estonian_is_graded_as_in_english(
    served, session
):
    english = take(served, session, "en", "carer")
    switched = take(served, session, "uk", "доглядач", switch_to="et")
    assert switched.submitted_at is not None and english.score == switched.score
    assert [r.fraction for r in sorted(english.responses, key=lambda r: r.question_key)] == [
        r.fraction for r in sorted(switched.responses, key=lambda r: r.question_key)
    ]
    assert switched.score == pytest.approx(5 / 6)  # the multiple answers: 50% - 100% -> 0


def test_the_page_follows_the_reader_and_says_when_a_translation_is_missing(served, session):
    client = served.test_client()
    login(client, make_user(session, language="uk"))
    page = client.get("/quizzes/helping").get_data(as_text=True)
    assert "<h1>Допомагати добре</h1>" in page and "not yet translated" not in page
    assert 'href="/quizzes/helping?lang=en"' in page and 'href="/quizzes/helping?lang=et"' in page
    assert "<h1>Hästi aidata</h1>" in client.get("/quizzes/helping?lang=et").get_data(as_text=True)
    ignored = client.get("/quizzes/helping?lang=xx").get_data(as_text=True)
    assert "<h1>Допомагати добре</h1>" in ignored  # only the site's languages are asked for
    (Path(served.config["CONTENT_DIR"]) / "quizzes" / "helping.uk.gift").unlink()
    fallback = client.get("/quizzes/helping").get_data(as_text=True)
    assert "<h1>Helping well</h1>" in fallback
    assert "Цей тест ще не перекладено" in fallback  # the note, in the reader's language


def test_a_short_answer_typed_in_ukrainian_on_an_estonian_page_is_accepted(served, session):
    attempt = take(served, session, "et", "Доглядачка")
    assert attempt.response(attempt.layout[2]["key"]).fraction == 1.0
    assert attempt.score == pytest.approx(5 / 6)


def held(app):
    """The shipped quiz 'helping' and its translations, as the app holds them now."""
    with app.app_context():
        loaded = catalogue.shipped_quizzes()
    return loaded.get("helping"), list(loaded.translations["helping"].values())


def test_only_the_quizzes_people_open_are_held_parsed(
    app, tmp_path, database_url, monkeypatch, session
):
    # Translated quizzes made by earlier tests of this fixture would hide the ones loading makes.
    monkeypatch.setattr(translations, "_applied", {})
    shutil.copytree(FIXTURES / "quizzes", tmp_path / "quizzes")
    served = make_app(database_url, CONTENT_DIR=tmp_path)
    quiz, translated = held(served)
    assert quiz.parsed_questions is None and quiz.graded_count == 6
    assert quiz.titles == {"et": "Hästi aidata", "uk": "Допомагати добре"}
    assert [t.parsed for t in translated] == [None, None] and not translations._applied
    client = served.test_client()
    login(client, make_user(session, language="uk"))
    assert "Допомагати добре" in client.get("/quizzes/").get_data(as_text=True)
    assert held(served)[0].parsed_questions is None  # a list names a quiz, with its count
    assert "<h1>Допомагати добре</h1>" in client.get("/quizzes/helping").get_data(as_text=True)
    quiz, translated = held(served)
    assert [q.title for q in quiz.parsed_questions][:2] == ["Who decides", "Sharing"]
    assert sorted(local.language for local, _ in translations._applied.values()) == ["et", "uk"]
    assert [t.parsed for t in translated] == [None, None]  # the translated quizzes hold them


def test_the_best_weight_of_any_language_counts(served, session):
    with served.app_context():
        quiz = catalogue.get_quiz(db.session, "helping")
        question = quiz.questions[2]
        same = catalogue.alternates(quiz)[quiz.keys[2]]
        assert grading.grade(question, {"text": "nurse"}, same) == 0.5
        assert grading.grade(question, {"text": "ДОГЛЯДАЧ"}, same) == 1.0
        assert grading.grade(question, {"text": "hooldaja"}, same) == 1.0
        assert grading.grade(question, {"text": "nobody"}, same) == 0.0


def test_regrading_after_the_source_changes_keeps_every_languages_answers(served, session):
    uk = take(served, session, "uk", "доглядач")
    en = take(served, session, "en", "caregiver")
    assert uk.response(uk.layout[2]["key"]).fraction == 1.0
    assert en.response(en.layout[2]["key"]).fraction == 0.0
    version = en.version
    source = Path(served.config["CONTENT_DIR"]) / "quizzes" / "helping.gift"
    source.write_text(source.read_text().replace("=%50%nurse#Nearly.", "=caregiver#Right."))
    client = served.test_client()
    login(client, make_user(session, Role.COORDINATOR))
    page = client.get("/quizzes/helping").get_data(as_text=True)
    assert "2 attempts were graded with an earlier version" in page
    assert 'href="/quizzes/helping?lang=uk"' in page  # the translation still fits the source
    reply = client.post("/quizzes/helping/regrade", follow_redirects=True)
    assert "2 attempts regraded; 1 scores changed." in reply.get_data(as_text=True)
    session.refresh(uk), session.refresh(en)
    assert uk.score == en.score == pytest.approx(5 / 6)
    assert uk.version == en.version != version
