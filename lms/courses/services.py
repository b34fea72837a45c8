"""Course rules: the catalog an app serves, lesson completion and progress, search."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import Session

from lms.courses.content import Catalog, Course, Lesson
from lms.courses.lastgood import keep_last_good
from lms.courses.loader import load_catalog
from lms.courses.models import LessonCompletion
from lms.db import plain_rows
from lms.filecache import FolderCache, kept_content


def init_app(app: Flask) -> None:
    """Give the app its catalog cache, loaded now so that a broken file is logged at start.

    Loading checks every file and renders nothing: a lesson's Markdown is rendered when it is
    first read (``LessonText.body``)."""
    content_dir = Path(app.config["CONTENT_DIR"])

    def load(previous: Catalog | None) -> Catalog:
        catalog = load_catalog(content_dir)
        return keep_last_good(catalog, previous) if previous else catalog

    cache = FolderCache(
        content_dir / "courses", load, keep_as=kept_content(app.instance_path, "courses")
    )
    app.extensions["tugi_catalog"] = cache
    for problem in cache.get().problems:
        app.logger.error("course file problem: %s", problem)


def get_catalog() -> Catalog:
    """The current app's course catalog."""
    return current_app.extensions["tugi_catalog"].get()


def lesson_title(ref: str, language: str) -> str:
    """The title of the lesson ``course/lesson`` in ``language``; the reference itself only when
    no such lesson is served (its file was removed or has a problem)."""
    course_slug, _, lesson_slug = ref.partition("/")
    course = get_catalog().course(course_slug)
    lesson = course.lesson(lesson_slug) if course else None
    return lesson.text_for(language).title if lesson else ref


def has_guide(ref: str) -> bool:
    """Whether the lesson ``course/lesson`` is served with a trainer's guide."""
    course_slug, _, lesson_slug = ref.partition("/")
    course = get_catalog().course(course_slug)
    lesson = course.lesson(lesson_slug) if course else None
    return bool(lesson and lesson.guide)


#: Built once: every course page and the trainee's home run it.
_COMPLETED = sa.select(LessonCompletion.course_slug, LessonCompletion.lesson_slug).where(
    LessonCompletion.user_id == sa.bindparam("user_id")
)


def completed_lessons(session: Session, user_id: int) -> set[tuple[str, str]]:
    """(course slug, lesson slug) of every lesson the person has completed."""
    rows = plain_rows(session, _COMPLETED, {"user_id": user_id})
    return {(course, lesson) for course, lesson in rows}


def set_completed(session: Session, user_id: int, lesson: Lesson, completed: bool) -> None:
    """Mark a lesson as completed or not; marking twice (a double click) changes nothing."""
    where = (
        LessonCompletion.user_id == user_id,
        LessonCompletion.course_slug == lesson.course_slug,
        LessonCompletion.lesson_slug == lesson.slug,
    )
    if not completed:
        session.execute(sa.delete(LessonCompletion).where(*where))
        return
    if session.scalar(sa.select(LessonCompletion.id).where(*where)) is not None:
        return
    try:
        with session.begin_nested():
            session.add(
                LessonCompletion(
                    user_id=user_id, course_slug=lesson.course_slug, lesson_slug=lesson.slug
                )
            )
    except sa.exc.IntegrityError:
        pass  # a simultaneous request stored it first


@dataclass(frozen=True)
class Progress:
    """How far a person is in a course."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent done."""
        return round(100 * self.done / self.total) if self.total else 0


def course_progress(course: Course, completed: Iterable[tuple[str, str]]) -> Progress:
    """Progress in ``course`` given the person's completed lessons."""
    done = completed if isinstance(completed, set | frozenset) else set(completed)
    slug = course.slug
    return Progress(
        sum((slug, lesson.slug) in done for lesson in course.lessons), len(course.lessons)
    )


def courses_with_progress(
    catalog: Catalog, completed: Iterable[tuple[str, str]]
) -> list[tuple[Course, Progress]]:
    """Every course of the catalog with the person's progress in it."""
    done = set(completed)
    return [(course, course_progress(course, done)) for course in catalog.courses]


@dataclass(frozen=True)
class SearchHit:
    """A lesson that matches a search, with a snippet around the first match."""

    course: Course
    lesson: Lesson
    title: str
    snippet: str
    score: int
    #: the language the title and snippet are in (the source's when the lesson is not translated)
    language: str = ""


def search_lessons(
    catalog: Catalog, query: str, language: str, staff: bool = False, limit: int = 50
) -> list[SearchHit]:
    """Lessons (in the reader's language) containing every word of ``query``, best first; the
    ``check`` callouts are searched only for ``staff`` (trainers and coordinators)."""
    words = [word for word in re.findall(r"\w+", query.lower()) if len(word) > 1]
    if not words:
        return []
    hits = []
    for course in catalog.courses:
        for lesson in course.lessons:
            text = lesson.text_for(language)
            body = text.body.for_reader(staff)
            haystack = f"{text.title} {text.summary} {body.text}".lower()
            if not all(word in haystack for word in words):
                continue
            score = sum(haystack.count(word) for word in words) + 10 * sum(
                word in text.title.lower() for word in words
            )
            position = body.text.lower().find(words[0])
            start = max(position - 80, 0)
            snippet = body.text[start : start + 220] if position >= 0 else text.summary
            prefix = "…" if start > 0 else ""
            hits.append(
                SearchHit(course, lesson, text.title, prefix + snippet + "…", score, text.language)
            )
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]
