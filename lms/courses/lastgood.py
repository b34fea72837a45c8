"""Keep serving the last good version of a course, lesson, guide or translation whose file broke.

A half-saved edit or a typo in front matter would otherwise take a lesson out from under the
trainees reading it. The problem is still listed for coordinators (and by ``lms content
check``, which loads afresh), while the version that loaded before stays in the catalog.
"""

from pathlib import PurePath

from lms.courses.content import GUIDE_FILE, LESSON_FILE, Catalog
from lms.rendering import lesson_slug


def _broken_files(catalog: Catalog):
    """Courses with any problem, and (course, lesson slug, language) of broken lesson files and
    of broken guide files."""
    courses, lessons, guides = set(), set(), set()
    for problem in catalog.problems:
        parts = PurePath(problem.path).parts
        if len(parts) < 3 or parts[0] != "courses":
            continue
        courses.add(parts[1])
        if match := LESSON_FILE.match(parts[-1]):
            lessons.add((parts[1], lesson_slug(match["stem"]), match["lang"]))
        elif match := GUIDE_FILE.match(parts[-1]):
            guides.add((parts[1], lesson_slug(match["stem"]), match["lang"]))
    return courses, lessons, guides


def _keep_guide(old, current, broken: set) -> None:
    """Put back the previous guide (or guide translation) of a lesson whose guide file broke."""
    if old.guide is None:
        return
    if current.guide is None:
        if (current.course_slug, current.slug, None) in broken:
            current.guide = old.guide
        return
    for language, text in old.guide.translations.items():
        if (current.course_slug, current.slug, language) in broken:
            current.guide.translations.setdefault(language, text)


def keep_last_good(fresh: Catalog, previous: Catalog) -> Catalog:
    """``fresh`` with the previous version of whatever its problems left out put back."""
    broken_courses, broken_lessons, broken_guides = _broken_files(fresh)
    for old in previous.courses:
        course = fresh.course(old.slug)
        if course is None:
            if old.slug in broken_courses:
                fresh.courses.append(old)
            continue
        for lesson in old.lessons:
            current = course.lesson(lesson.slug)
            if current is None:
                if (old.slug, lesson.slug, None) in broken_lessons:
                    course.lessons.append(lesson)
                continue
            for language, text in lesson.translations.items():
                if (old.slug, lesson.slug, language) in broken_lessons:
                    current.translations.setdefault(language, text)
            _keep_guide(lesson, current, broken_guides)
        course.lessons.sort(key=lambda lesson: lesson.order)
    fresh.courses.sort(key=lambda course: course.order)
    return fresh
