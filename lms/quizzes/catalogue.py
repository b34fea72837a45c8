"""Which quizzes exist: the shipped files, uploads and their versions, in the reader's language."""

import functools
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit, hooks
from lms.auth.models import User
from lms.db import LIKE_ESCAPE, contains_pattern, plain_rows, utcnow
from lms.errors import DomainError
from lms.filecache import FolderCache, kept_content
from lms.programmes.api import Programme
from lms.quizzes import translations
from lms.quizzes.definitions import Quiz, QuizSet, read_quiz
from lms.quizzes.models import QuizAttempt, QuizVersion, UploadedQuiz


class QuizError(DomainError):
    """A request the quiz rules refuse; the message says why."""


# --- the quizzes -----------------------------------------------------------------------------


def quiz_title(quiz: Quiz, language: str | None = None) -> str:
    """The quiz's title in ``language`` (by default the reader's): the one place where a
    quiz's name for people is chosen, so that a translated title shows wherever it is named.
    A quiz already shown in one language (``localized``) keeps that language's title."""
    return quiz.title_for(language or str(get_locale()))


def _lessons(app: Flask) -> set[tuple[str, str]]:
    catalog = app.extensions["tugi_catalog"].get()
    return {(c.slug, lesson.slug) for c in catalog.courses for lesson in c.lessons}


def init_app(app: Flask) -> None:
    """Load the shipped quizzes now, so that a broken file is logged when the app starts."""
    content_dir = Path(app.config["CONTENT_DIR"])
    languages = tuple(app.config["LANGUAGES"])
    cache = FolderCache(
        content_dir / "quizzes",
        lambda _: translations.load_all(content_dir, _lessons(app), languages),
        keep_as=kept_content(app.instance_path, "quizzes"),
        depends_on=lambda: (tuple(sorted(_lessons(app))), languages),
    )
    app.extensions["tugi_quizzes"] = cache
    for problem in cache.get().problems:
        app.logger.error("quiz file problem: %s", problem)


def shipped_quizzes() -> QuizSet:
    return current_app.extensions["tugi_quizzes"].get()


def localized(quiz: Quiz, language: str) -> Quiz | None:
    """This version of the quiz in ``language``, when a translation that fits it is served."""
    return translations.localize(shipped_quizzes(), quiz, language)


def quiz_languages(quiz: Quiz) -> list[str]:
    """The languages this version of the quiz can be read in, the source's first."""
    return translations.languages_of(shipped_quizzes(), quiz)


def alternates(quiz: Quiz) -> dict[str, list]:
    """Question key -> the same question in every served language (for short answers)."""
    versions = translations.versions(shipped_quizzes(), quiz)
    return {key: [version.question(key) for version in versions] for key in quiz.keys}


@functools.lru_cache(maxsize=256)
def _read_uploaded(slug: str, source: str, origin: str = "upload") -> Quiz | None:
    quiz, _ = read_quiz(slug, source, f"{slug}.gift", origin=origin)
    return quiz


def get_quiz(session: Session, slug: str) -> Quiz | None:
    """A shipped or uploaded quiz by slug; None when unknown."""
    quiz = shipped_quizzes().get(slug)
    if quiz is not None:
        return quiz
    source = session.scalar(sa.select(UploadedQuiz.source).where(UploadedQuiz.slug == slug))
    return _read_uploaded(slug, source) if source is not None else None


def stored_version(session: Session, quiz: Quiz) -> QuizVersion:
    """The stored copy of this version of the quiz, stored on first use."""
    query = sa.select(QuizVersion).where(
        QuizVersion.quiz_slug == quiz.slug, QuizVersion.version == quiz.version
    )
    row = session.scalar(query)
    if row is None:
        row = QuizVersion(
            quiz_slug=quiz.slug, version=quiz.version, origin=quiz.origin, source=quiz.source
        )
        try:
            with session.begin_nested():
                session.add(row)
        except sa.exc.IntegrityError:  # another attempt stored it at the same moment
            row = session.scalar(query)
    return row


def attempt_quiz(session: Session, attempt: QuizAttempt) -> Quiz | None:
    """The quiz as the attempt is taken and graded: the version it started with (or was last
    regraded with), whether the file has since been edited, broken or removed."""
    current = get_quiz(session, attempt.quiz_slug)
    if current is not None and current.version == attempt.version:
        return current
    if attempt.quiz_version_id is None:  # started before versions were kept
        return current
    row = session.get(QuizVersion, attempt.quiz_version_id)
    return _read_uploaded(row.quiz_slug, row.source, row.origin)


def pin_version(session: Session, attempt: QuizAttempt, quiz: Quiz) -> None:
    """Put the attempt on this version of the quiz (stored on first use)."""
    attempt.version = quiz.version
    attempt.quiz_version_id = stored_version(session, quiz).id


#: Built once: a lesson page runs the second (building a statement costs more than running it).
_UPLOADED = sa.select(UploadedQuiz.slug, UploadedQuiz.source)
_UPLOADED_MENTIONING = _UPLOADED.where(
    UploadedQuiz.source.like(sa.bindparam("pattern"), escape=LIKE_ESCAPE)
)
_UPLOADED_NAMED = _UPLOADED.where(UploadedQuiz.slug.in_(sa.bindparam("slugs", expanding=True)))


#: the shipped quizzes by slug, sorted once for each set loaded (every lesson page lists them)
_SORTED: list = [None, []]


def _in_order(shipped: QuizSet) -> list[Quiz]:
    kept, in_order = _SORTED
    if kept is not shipped:
        in_order = sorted(shipped.quizzes.values(), key=lambda q: q.slug)
        _SORTED[:] = [shipped, in_order]
    return in_order


@hooks.answers("quizzes")
def all_quizzes(session: Session, mentioning: str | None = None) -> list[Quiz]:
    """Every quiz: shipped first, then uploaded, each by title.

    With ``mentioning`` (a course or lesson slug a page filters the quizzes by), only the
    uploaded quizzes whose source contains it are read: a quiz's ``@course``/``@lesson`` is
    written in its source as the slug itself, so none the page shows is left out, and a lesson
    page does not parse every uploaded quiz to find none.
    """
    shipped = _in_order(shipped_quizzes())
    if mentioning is None:
        rows = plain_rows(session, _UPLOADED)
    else:
        rows = plain_rows(session, _UPLOADED_MENTIONING, {"pattern": contains_pattern(mentioning)})
    uploaded = [quiz for slug, source in rows if (quiz := _read_uploaded(slug, source))]
    return [*shipped, *sorted(uploaded, key=lambda q: q.title.lower())]


def quizzes_named(session: Session, slugs) -> list[Quiz]:
    """The quizzes of these slugs that exist, in the order given: shipped ones from memory,
    uploaded ones in one statement, and none when every slug is a shipped quiz (a programme's
    checklist does not read and parse every uploaded quiz to find its two)."""
    shipped = shipped_quizzes()
    found = {slug: quiz for slug in slugs if (quiz := shipped.get(slug)) is not None}
    others = [slug for slug in slugs if slug not in found]
    if others:
        rows = plain_rows(session, _UPLOADED_NAMED, {"slugs": others})
        found.update(
            (slug, quiz) for slug, source in rows if (quiz := _read_uploaded(slug, source))
        )
    return [found[slug] for slug in dict.fromkeys(slugs) if slug in found]


def programme_quizzes(programme: Programme, quizzes: list[Quiz]) -> list[Quiz]:
    """The quizzes a programme's trainees take: the required ones, then those of its courses."""
    courses = {course for category in programme.categories for course in category.courses}
    by_slug = {quiz.slug: quiz for quiz in quizzes}
    required = [by_slug[slug] for slug in programme.quizzes if slug in by_slug]
    others = [q for q in quizzes if q.course in courses and q.slug not in programme.quizzes]
    return required + others


def name_problems(session: Session, slug: str, *, replacing: bool) -> list[str]:
    """Why an uploaded quiz cannot take this name (empty when it can)."""
    problems = []
    if shipped_quizzes().get(slug) is not None:
        problems.append(
            _l("'%(slug)s' is a quiz shipped with Tugi; choose another name.", slug=slug)
        )
    exists = session.scalar(sa.select(UploadedQuiz.id).where(UploadedQuiz.slug == slug))
    if exists and not replacing:
        problems.append(_l("A quiz named '%(slug)s' already exists.", slug=slug))
    return [str(problem) for problem in problems]


def save_upload(session: Session, slug: str, source: str, actor: User) -> UploadedQuiz:
    """Save an uploaded quiz, or a new version of one; refused while it has problems."""
    row = session.scalar(sa.select(UploadedQuiz).where(UploadedQuiz.slug == slug))
    _, problems = read_quiz(slug, source, f"{slug}.gift", lessons=_lessons(current_app))
    if problems or name_problems(session, slug, replacing=row is not None):
        raise QuizError(_l("The quiz has problems; correct them and upload it again."))
    before = {"version": _read_uploaded(slug, row.source).version} if row else None
    if row is None:
        row = UploadedQuiz(slug=slug, source=source, uploaded_by_id=actor.id)
        session.add(row)
    else:
        row.source, row.updated_at = source, utcnow()
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="quiz.replaced" if before else "quiz.uploaded",
        subject_type="quiz",
        subject_id=row.id,
        before=before,
        after={"slug": slug, "version": _read_uploaded(slug, source).version},
    )
    return row
