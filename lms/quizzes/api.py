"""What other features may use of quizzes: the quizzes a programme asks for, each person's results,
a quiz in another language, and (for the demo) taking and marking an attempt. Everything else
stays inside the feature."""

from lms.quizzes.answer_text import answer_text, attempt_versions
from lms.quizzes.attempts import finish_overdue, start_attempt, submit, why_closed
from lms.quizzes.catalogue import (
    all_quizzes,
    get_quiz,
    init_app,
    localized,
    programme_quizzes,
    quizzes_named,
)
from lms.quizzes.marking import Result, grade_essay, results

__all__ = [
    "Result",
    "all_quizzes",
    "answer_text",
    "attempt_versions",
    "finish_overdue",
    "get_quiz",
    "grade_essay",
    "init_app",
    "localized",
    "programme_quizzes",
    "quizzes_named",
    "results",
    "start_attempt",
    "submit",
    "why_closed",
]

from lms.quizzes.definitions import Quiz  # noqa: F401
