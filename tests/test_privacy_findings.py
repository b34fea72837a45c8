"""What a tester found in *My data* (issue 21): the audit trail reads in words, and quiz answers
show what the person answered, on the version of the quiz they took."""

import re

from lms.config import REPOSITORY_ROOT
from lms.privacy.audit_labels import AUDIT_LABELS, audit_label
from lms.privacy.export import person_data
from lms.quizzes import attempts
from lms.quizzes.models import UploadedQuiz
from tests import test_privacy_export as export_tests
from tests.factories import GIFT_SAMPLE, login, make_attempt, make_quiz
from tests.test_privacy_export import NOW

#: Olena, someone else, a trainer and a coordinator, each with a record of every kind
people = export_tests.people
request_context = export_tests.request_context

LMS = REPOSITORY_ROOT / "lms"


def _recorded_actions() -> set[str]:
    """Every action the code records: literal ones, and those its helpers prefix."""
    found = set()
    for path in LMS.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r'action=(?:f?)"([a-z_]+\.[a-z_]+)"', text))
        found |= set(re.findall(r'^[A-Z_]+ = "([a-z]+\.[a-z_]+)"$', text, re.MULTILINE))
    practice = (LMS / "practice" / "services.py").read_text(encoding="utf-8")
    found |= {f"practice.{a}" for a in re.findall(r'_record\(session, \w+, "(\w+)"', practice)}
    found |= {"certificate.issued", "certificate.renewed", "practice.submitted"}
    found |= {"practice.resubmitted", "practice.approved"}
    return {action for action in found if not action.startswith("erased.")}


def test_every_recorded_action_has_a_label():
    actions = _recorded_actions()
    assert {"attendance.marked", "quiz.essay_graded", "practice.approved"} <= actions
    assert actions - set(AUDIT_LABELS) == set()
    assert audit_label("something.new") == "something.new"  # an unknown code is shown as is


def test_the_audit_trail_reads_in_words_and_the_file_keeps_the_codes(client, session, people):
    olena, *_ = people
    login(client, olena)
    page = client.get("/privacy/my-data").get_data(as_text=True)
    assert 'lang="uk"' in page  # Olena reads Ukrainian: the actions are words in her language
    assert "запис практики: підтверджено" in page and "відвідування: відмічено" in page
    assert "<code>practice.approved</code>" not in page
    actions = {e["action"] for e in client.get("/privacy/my-data.json").get_json()["audit_events"]}
    assert "practice.approved" in actions


def _answered(data, key):
    return next(a for a in data["quiz_attempts"][0]["answers"] if a["question"] == key)


def test_quiz_answers_are_shown_as_what_was_answered(client, session, people):
    olena, *_ = people
    quiz = make_quiz(session)
    answers = {
        "Choice": "0",
        "TF": "1",
        "Short": "116111",
        "Several": ["0", "1"],
        "Match": {"0": "1", "1": "0"},
        "Essay": "I do not lend money.",
    }
    attempt = make_attempt(session, quiz, olena, answers, now=NOW)
    attempts.submit(session, quiz, attempt, now=NOW)
    session.commit()
    login(client, olena)
    page = client.get("/privacy/my-data").get_data(as_text=True)
    assert "Choice: «The client»" in page
    assert "Several: «Making contact; Supporting the plan»" in page
    data = person_data(session, olena, language="en", now=NOW)  # Olena reads Ukrainian
    data["quiz_attempts"] = [a for a in data["quiz_attempts"] if a["quiz"] == quiz.slug]
    assert _answered(data, "Choice")["answer_text"] == "The client"
    assert _answered(data, "Choice")["answer"] == {"choice": 0}  # the stored answer stays
    assert _answered(data, "Choice")["question_title"] == "Choice"
    assert _answered(data, "TF")["answer_text"] == "False"
    assert _answered(data, "Short")["answer_text"] == "116111"
    assert _answered(data, "Several")["answer_text"] == "Making contact; Supporting the plan"
    match = _answered(data, "Match")["answer_text"]
    assert match == "CARe → data protection; GDPR → a methodology"
    assert _answered(data, "Essay")["answer_text"] == "I do not lend money."


def test_answers_are_read_on_the_version_the_attempt_was_taken_on(session, people):
    olena, *_ = people
    quiz = make_quiz(session)
    attempt = make_attempt(session, quiz, olena, {"Choice": "1"}, now=NOW)
    attempts.submit(session, quiz, attempt, now=NOW)
    row = session.query(UploadedQuiz).filter_by(slug=quiz.slug).one()
    row.source = GIFT_SAMPLE.replace("The support person#No", "Their family#No")
    session.commit()
    data = person_data(session, olena, now=NOW)
    (taken,) = [a for a in data["quiz_attempts"] if a["quiz"] == quiz.slug]
    choice = next(a for a in taken["answers"] if a["question"] == "Choice")
    assert choice["answer_text"] == "The support person"


def test_scores_are_rounded(session, people):
    olena, *_ = people
    quiz = make_quiz(session)
    attempt = make_attempt(session, quiz, olena, {"Choice": "0"}, now=NOW)
    attempts.submit(session, quiz, attempt, now=NOW)
    attempt.score = 0.8999999916666667
    attempt.responses[0].fraction = 1 / 3
    session.commit()
    data = person_data(session, olena, now=NOW)
    (taken,) = [a for a in data["quiz_attempts"] if a["quiz"] == quiz.slug]
    assert taken["score"] == 0.9
    assert taken["answers"][0]["score"] == 0.3333


def test_question_titles_and_answers_read_in_the_readers_language(session, people):
    from lms.quizzes.catalogue import get_quiz

    olena, *_ = people
    quiz = get_quiz(session, "care-methodology-01")
    attempt = make_attempt(session, quiz, olena, {"What CARe stands for": "0"}, now=NOW)
    attempts.submit(session, quiz, attempt, now=NOW)
    session.commit()
    for language, title in (("uk", "Що означає CARe"), ("en", "What CARe stands for")):
        data = person_data(session, olena, language=language, now=NOW)
        (taken,) = [a for a in data["quiz_attempts"] if a["quiz"] == quiz.slug]
        (answer,) = [a for a in taken["answers"] if a["question"] == "What CARe stands for"]
        assert answer["question_title"] == title
        assert answer["answer_text"] and answer["answer"] == {"choice": 0}
