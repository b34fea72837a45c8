"""What the interoperability feature does with the rest of Tugi: a course's cartridge.

It sits above courses and quizzes (``tests/test_layers.py``) because a cartridge joins both: the
course's lessons (``lms.courses.api``) and its quizzes (``lms.quizzes.api``). Courses cannot
import quizzes, and asking upwards through ``lms.hooks`` for whole quizzes in a language would
put an export's needs into the course feature; a small feature on top keeps both untouched.
"""

from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.courses.api import get_catalog
from lms.errors import DomainError
from lms.interop.cartridge import VERSIONS, Cartridge, build_cartridge
from lms.quizzes.api import all_quizzes, localized


class ExportError(DomainError):
    """An export the rules refuse; the message says why."""


def course_cartridge(
    session: Session, course_slug: str, language: str, version: str = "1.3"
) -> Cartridge:
    """The course ``course_slug`` and its quizzes as a Common Cartridge ``version`` (1.3, or
    1.1 for Moodle's course restore) in ``language``."""
    course = get_catalog().course(course_slug)
    if course is None:
        raise ExportError(_l("There is no course '%(slug)s'.", slug=course_slug))
    if language not in current_app.config["LANGUAGES"]:
        raise ExportError(_l("Tugi has no language '%(language)s'.", language=language))
    if version not in VERSIONS:
        raise ExportError(_l("Common Cartridge %(version)s is not offered.", version=version))
    quizzes = [
        localized(quiz, language) or quiz
        for quiz in all_quizzes(session)
        if quiz.course == course.slug
    ]
    media = Path(current_app.config["CONTENT_DIR"]) / "courses" / course.slug
    with force_locale(language):
        return build_cartridge(course, quizzes, language, media, VERSIONS[version])
