"""The quizzes blueprint and what its pages share: look-ups that answer 404, the quiz in the
reader's language, and the helpers every template may use."""

from flask import (
    Blueprint,
    abort,
)
from flask_login import current_user

from lms.access import ensure_visible
from lms.extensions import db
from lms.i18n import content_language, template_globals
from lms.quizzes import catalogue
from lms.quizzes.models import QuizAttempt
from lms.rendering import render_text

bp = Blueprint("quizzes", __name__)


def get_quiz(slug: str):
    return catalogue.get_quiz(db.session, slug) or abort(404)


def quiz_of(attempt: QuizAttempt):
    """The version of the quiz the attempt is taken and graded on."""
    return catalogue.attempt_quiz(db.session, attempt) or abort(404)


def own_attempt(attempt_id: int) -> QuizAttempt:
    """The current person's attempt; anybody else's is a 404."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    ensure_visible(attempt is not None and attempt.user_id == current_user.id)
    return attempt


def shown(quiz) -> dict:
    """What a page needs to show the quiz in the reader's language (``?lang=`` for another it
    exists in): ``quiz`` in that language, the ``languages`` and whether the reader's was
    missing (``fell_back``). Services always get the source quiz."""
    languages = catalogue.quiz_languages(quiz)
    language, fell_back = content_language(languages)
    local = catalogue.localized(quiz, language) or quiz
    return {"quiz": local, "languages": languages, "fell_back": fell_back}


def shown_question(quiz, key: str):
    """The question ``key`` of ``quiz`` in the reader's language (as ``shown``), or None when
    this version of the quiz has no such question. Services always get the source's."""
    return shown(quiz)["quiz"].question(key) or quiz.question(key)


#: ``quiz_title(quiz)`` for any page that names a quiz (looked up at each call, the one helper)
template_globals(bp, {"quiz_title": lambda *quiz: catalogue.quiz_title(*quiz)})


@bp.app_template_filter("quiz_text")
def quiz_text(text: str, text_format: str = "moodle", inline: bool = False):
    return render_text(text, text_format, inline=inline)
