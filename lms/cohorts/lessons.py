"""The lessons a session can cover, named in the reader's language."""

from flask_login import current_user

from lms.courses.api import get_catalog


def _lessons(course_slugs: set[str] | None = None):
    """(course, lesson) of every lesson in the catalogue (or in ``course_slugs``), in order."""
    for course in get_catalog().courses:
        if course_slugs is None or course.slug in course_slugs:
            for lesson in course.lessons:
                yield course, lesson


def _label(course, lesson, language: str) -> str:
    return f"{course.title_for(language)}: {lesson.text_for(language).title}"


def lesson_choices(programme, item_lessons=()) -> list[tuple[str, str]]:
    """(course/lesson, "Course: Lesson") for the programme's courses, in the reader's language.
    A lesson the session already covers stays a choice, so that saving does not lose it: named
    from its own course when that is another programme's, by its reference when it is gone."""
    language = current_user.language
    courses = {slug for category in programme.categories for slug in category.courses}
    choices = [
        (f"{course.slug}/{lesson.slug}", _label(course, lesson, language))
        for course, lesson in _lessons(courses)
    ]
    known = {value for value, _label in choices}
    others = {
        f"{course.slug}/{lesson.slug}": _label(course, lesson, language)
        for course, lesson in _lessons()
    }
    return choices + [(ref, others.get(ref, ref)) for ref in item_lessons if ref not in known]
