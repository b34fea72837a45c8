"""What a person answered, as plain text for a page or a file that is not the quiz itself (the
*My data* export), read on the version of the quiz the attempt was taken on."""

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import Session

from lms.quizzes.catalogue import _read_uploaded
from lms.quizzes.definitions import Quiz
from lms.quizzes.gift import Question
from lms.quizzes.grading import match_options
from lms.quizzes.models import QuizAttempt, QuizVersion


def _plain(text: str) -> str:
    """A question's text without its markup (the page escapes what is left)."""
    return Markup(text or "").striptags()


def _option(question: Question, index) -> str:
    try:
        return _plain(question.answers[int(index)].text)
    except (IndexError, TypeError, ValueError):
        return str(index)


def answer_text(question: Question, answer: dict | None) -> str | None:
    """The stored ``answer`` to ``question`` in words: the option chosen, the text written,
    or the pairs matched ("left → right; ..."); None without an answer."""
    if not answer:
        return None
    if question.kind == "truefalse" and "choice" in answer:
        return _("True") if answer["choice"] == 0 else _("False")
    if "choice" in answer:
        return _option(question, answer["choice"])
    if "choices" in answer:
        return "; ".join(_option(question, index) for index in answer["choices"])
    if "pairs" in answer:
        options = match_options(question)
        pairs = []
        for left, right in answer["pairs"].items():
            right_text = options[right] if 0 <= right < len(options) else str(right)
            pairs.append(f"{_option(question, left)} → {_plain(right_text)}")
        return "; ".join(pairs)
    return answer.get("text")


def attempt_versions(
    session: Session, attempts: list[QuizAttempt], current: list[Quiz]
) -> dict[int, Quiz | None]:
    """Attempt id -> the quiz as that attempt was taken (as ``catalogue.attempt_quiz``), for
    many attempts at once: ``current`` are the quizzes as served now, and the older versions
    are read in one query."""
    served = {quiz.slug: quiz for quiz in current}
    found: dict[int, Quiz | None] = {}
    older: dict[int, int] = {}
    for attempt in attempts:
        quiz = served.get(attempt.quiz_slug)
        if (quiz is not None and quiz.version == attempt.version) or not attempt.quiz_version_id:
            found[attempt.id] = quiz
        else:
            older[attempt.id] = attempt.quiz_version_id
    if older:
        query = sa.select(QuizVersion).where(QuizVersion.id.in_(set(older.values())))
        stored = {row.id: row for row in session.scalars(query)}
        for attempt_id, version_id in older.items():
            row = stored.get(version_id)
            found[attempt_id] = row and _read_uploaded(row.quiz_slug, row.source, row.origin)
    return found
