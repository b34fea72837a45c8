"""Quiz rules: which quizzes exist, starting, saving and submitting attempts, dates per cohort,
time limits, versions, grading essays and results. Plain functions over a session."""

import functools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit, hooks
from lms.auth.models import Role, User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus, cohort_trainers
from lms.db import utcnow
from lms.filecache import FolderCache
from lms.programmes.definitions import Programme
from lms.programmes.services import get_programme
from lms.quizzes import grading, translations
from lms.quizzes.definitions import Quiz, QuizSet, read_quiz
from lms.quizzes.models import QuizAttempt, QuizResponse, QuizVersion, QuizWindow, UploadedQuiz

_random = random.SystemRandom()


class QuizError(ValueError):
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


@hooks.answers("quizzes")
def all_quizzes(session: Session) -> list[Quiz]:
    """Every quiz: shipped first, then uploaded, each by title."""
    shipped = sorted(shipped_quizzes().quizzes.values(), key=lambda q: q.slug)
    rows = session.execute(sa.select(UploadedQuiz.slug, UploadedQuiz.source)).all()
    uploaded = [quiz for slug, source in rows if (quiz := _read_uploaded(slug, source))]
    return shipped + sorted(uploaded, key=lambda q: q.title.lower())


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


# --- who takes what, when --------------------------------------------------------------------


def quiz_cohort(session: Session, quiz: Quiz, user_id: int) -> Cohort | None:
    """The person's active cohort whose programme includes the quiz, if any."""
    cohorts = session.scalars(
        sa.select(Cohort)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.user_id == user_id, Enrolment.status == EnrolmentStatus.ACTIVE.value)
        .order_by(Cohort.starts_on.desc())
    )
    for cohort in cohorts:
        programme = get_programme(cohort.programme_slug)
        if programme and any(q.slug == quiz.slug for q in programme_quizzes(programme, [quiz])):
            return cohort
    return None


def window_of(session: Session, cohort_id: int | None, slug: str) -> QuizWindow | None:
    if cohort_id is None:
        return None
    return session.scalar(
        sa.select(QuizWindow).where(QuizWindow.cohort_id == cohort_id, QuizWindow.quiz_slug == slug)
    )


def set_window(
    session: Session,
    cohort: Cohort,
    slug: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    actor: User,
) -> None:
    """Set (or clear, with two Nones) the dates between which a cohort may take a quiz."""
    if opens_at and closes_at and closes_at <= opens_at:
        raise QuizError(_l("A quiz must close after it opens."))
    window = window_of(session, cohort.id, slug)
    before = _window_snapshot(window)
    if window is None:
        window = QuizWindow(cohort_id=cohort.id, quiz_slug=slug)
        session.add(window)
    window.opens_at, window.closes_at = opens_at, closes_at
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="quiz.dates",
        subject_type="cohort",
        subject_id=cohort.id,
        before=before,
        after=_window_snapshot(window),
    )


def _window_snapshot(window: QuizWindow | None) -> dict | None:
    if window is None:
        return None
    return {
        "quiz": window.quiz_slug,
        "opens_at": window.opens_at.isoformat() if window.opens_at else None,
        "closes_at": window.closes_at.isoformat() if window.closes_at else None,
    }


def attempts_of(session: Session, slug: str, user_id: int) -> list[QuizAttempt]:
    return list(
        session.scalars(
            sa.select(QuizAttempt)
            .where(QuizAttempt.quiz_slug == slug, QuizAttempt.user_id == user_id)
            .order_by(QuizAttempt.number)
        )
    )


def why_closed(quiz: Quiz, window: QuizWindow | None, used: int, now: datetime) -> str | None:
    """Why a new attempt cannot start now, or None when it can."""
    if window and window.opens_at and now < window.opens_at:
        return _l("This quiz opens on %(when)s.", when=format_datetime(window.opens_at, "short"))
    if window and window.closes_at and now >= window.closes_at:
        return _l("This quiz closed on %(when)s.", when=format_datetime(window.closes_at, "short"))
    if quiz.attempts and used >= quiz.attempts:
        return _l("You have used all %(count)s attempts at this quiz.", count=quiz.attempts)
    return None


def _layout(quiz: Quiz) -> list[dict]:
    positions = list(range(len(quiz.questions)))
    if quiz.shuffle_questions:
        movable = [i for i in positions if quiz.questions[i].kind != "description"]
        shuffled = _random.sample(movable, len(movable))
        replace = dict(zip(movable, shuffled, strict=True))
        positions = [replace.get(i, i) for i in positions]
    layout = []
    for index in positions:
        question = quiz.questions[index]
        item: dict = {"key": quiz.keys[index]}
        if question.kind in ("multichoice", "multiresponse"):
            item["order"] = list(range(len(question.answers)))
        elif question.kind == "matching":
            item["order"] = grading.match_items(question)
            item["options"] = list(range(len(grading.match_options(question))))
            _random.shuffle(item["options"])  # Moodle always shuffles the right-hand side
        if quiz.shuffle_answers and "order" in item:
            _random.shuffle(item["order"])
        layout.append(item)
    return layout


def start_attempt(session: Session, quiz: Quiz, user: User, now: datetime) -> QuizAttempt:
    """Resume the open attempt, or start a new one if the dates and attempt limit allow."""
    finish_overdue(session, now, slug=quiz.slug, user_id=user.id)
    previous = attempts_of(session, quiz.slug, user.id)
    open_attempt = next((a for a in previous if a.is_open), None)
    if open_attempt:
        return open_attempt
    cohort = quiz_cohort(session, quiz, user.id)
    window = window_of(session, cohort.id if cohort else None, quiz.slug)
    reason = why_closed(quiz, window, len(previous), now)
    if reason:
        raise QuizError(reason)
    deadlines = [now + timedelta(minutes=quiz.time_limit)] if quiz.time_limit else []
    deadlines += [window.closes_at] if window and window.closes_at else []
    attempt = QuizAttempt(
        quiz_slug=quiz.slug,
        user_id=user.id,
        cohort_id=cohort.id if cohort else None,
        number=len(previous) + 1,
        version=quiz.version,
        quiz_version_id=stored_version(session, quiz).id,
        layout=_layout(quiz),
        started_at=now,
        deadline=min(deadlines) if deadlines else None,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
    except sa.exc.IntegrityError:  # a second click or tab started one at the same moment
        again = next((a for a in attempts_of(session, quiz.slug, user.id) if a.is_open), None)
        if again is None:
            raise QuizError(_l("The attempt could not start; please try again.")) from None
        return again
    return attempt


def _locked(session: Session, attempt: QuizAttempt) -> QuizAttempt:
    return session.scalar(
        sa.select(QuizAttempt)
        .where(QuizAttempt.id == attempt.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.is_open and attempt.deadline is not None and now >= attempt.deadline


def save_answer(
    session: Session,
    quiz: Quiz,
    attempt: QuizAttempt,
    key: str,
    values: list[str],
    pairs: dict[str, str] | None = None,
    *,
    now: datetime,
) -> None:
    """Save (or clear) the answer to one question of an open attempt, before its deadline."""
    attempt = _locked(session, attempt)
    if not attempt.is_open:
        raise QuizError(_l("This attempt was submitted; its answers can no longer change."))
    if is_overdue(attempt, now):
        raise QuizError(_l("The time is up; answers given after the deadline are not saved."))
    if key not in {item["key"] for item in attempt.layout}:
        raise QuizError(_l("That question is not part of this attempt."))
    question = quiz.question(key)
    if question is None or not question.graded:
        raise QuizError(_l("That question is not part of this attempt."))
    try:
        answer = grading.read_answer(question, values, pairs or {})
    except grading.AnswerError as error:
        raise QuizError(str(error)) from None
    response = attempt.response(key)
    if response is None:
        if answer is None:
            return
        try:
            with session.begin_nested():
                session.add(
                    QuizResponse(
                        attempt_id=attempt.id, question_key=key, answer=answer, saved_at=now
                    )
                )
            return
        except sa.exc.IntegrityError:  # saved from another tab at the same moment
            session.expire(attempt, ["responses"])
            response = attempt.response(key)
    response.answer, response.saved_at = answer, now


def attempt_questions(quiz: Quiz, attempt: QuizAttempt) -> list[tuple[dict, object]]:
    """(layout item, question) in the order shown; questions since removed are left out."""
    return [(item, question) for item in attempt.layout if (question := quiz.question(item["key"]))]


def totals(quiz: Quiz, attempt: QuizAttempt) -> tuple[float, bool]:
    """The attempt's score (0 to 1) and whether an essay still waits for a trainer."""
    graded = [(item, q) for item, q in attempt_questions(quiz, attempt) if q.graded]
    if not graded:
        return 0.0, False
    total, waiting = 0.0, False
    for item, _ in graded:
        response = attempt.response(item["key"])
        if response is None:
            continue
        if response.fraction is None:
            waiting = True
        else:
            total += response.fraction
    return min(max(total / len(graded), 0.0), 1.0), waiting


def grade_responses(quiz: Quiz, attempt: QuizAttempt) -> None:
    """Mark every saved answer with this version of the quiz; a trainer's essay grade stands.
    A short answer counts when it matches an accepted answer of any served language."""
    same = alternates(quiz)
    for response in attempt.responses:
        question = quiz.question(response.question_key)
        if question is None or response.graded_at is not None:
            continue  # a trainer's grade stands
        response.fraction = grading.grade(question, response.answer, same[response.question_key])


def submit(
    session: Session, quiz: Quiz, attempt: QuizAttempt, *, now: datetime, auto: bool = False
) -> QuizAttempt:
    """Submit and grade an attempt. An overdue attempt counts as submitted at its deadline."""
    attempt = _locked(session, attempt)
    if not attempt.is_open:
        raise QuizError(_l("This attempt was already submitted."))
    overdue = is_overdue(attempt, now)
    attempt.submitted_at = attempt.deadline if overdue else now
    attempt.auto_submitted = auto or overdue
    pin_version(session, attempt, quiz)
    grade_responses(quiz, attempt)
    attempt.score, attempt.awaiting_grading = totals(quiz, attempt)
    return attempt


def finish_overdue(
    session: Session,
    now: datetime,
    *,
    slug: str | None = None,
    user_id: int | None = None,
    user_ids=None,
) -> int:
    """Submit every open attempt past its deadline with what was saved; returns how many."""
    query = sa.select(QuizAttempt).where(
        QuizAttempt.submitted_at.is_(None), QuizAttempt.deadline <= now
    )
    if slug is not None:
        query = query.where(QuizAttempt.quiz_slug == slug)
    if user_id is not None:
        query = query.where(QuizAttempt.user_id == user_id)
    if user_ids is not None:
        query = query.where(QuizAttempt.user_id.in_(user_ids))
    finished = 0
    for attempt in session.scalars(query).all():
        quiz = attempt_quiz(session, attempt)
        if quiz is not None:
            submit(session, quiz, attempt, now=now, auto=True)
            finished += 1
    return finished


# --- trainers: access and essays (regrading is in regrading.py) ---------------------------


def trainer_cohort_ids(session: Session, user: User) -> set[int]:
    rows = session.scalars(
        sa.select(cohort_trainers.c.cohort_id).where(cohort_trainers.c.user_id == user.id)
    )
    return set(rows)


def can_review(session: Session, user: User, attempt: QuizAttempt) -> bool:
    """The trainee themself, a trainer of the attempt's cohort, or a coordinator."""
    if attempt.user_id == user.id or user.has_role(Role.COORDINATOR):
        return True
    return (
        user.has_role(Role.TRAINER)
        and attempt.cohort_id is not None
        and attempt.cohort_id in trainer_cohort_ids(session, user)
    )


@dataclass
class Waiting:
    response: QuizResponse
    attempt: QuizAttempt
    trainee: User
    quiz: Quiz | None


def grading_queue(session: Session, user: User) -> list[Waiting]:
    """Submitted essays waiting for a grade that this person may grade, oldest first."""
    query = (
        sa.select(QuizResponse, QuizAttempt, User)
        .join(QuizAttempt, QuizResponse.attempt_id == QuizAttempt.id)
        .join(User, User.id == QuizAttempt.user_id)
        .where(
            QuizAttempt.submitted_at.is_not(None),
            QuizAttempt.awaiting_grading.is_(True),
            QuizResponse.fraction.is_(None),
        )
        .order_by(QuizAttempt.submitted_at, QuizResponse.id)
    )
    if not user.has_role(Role.COORDINATOR):
        query = query.where(
            QuizAttempt.cohort_id.in_(
                sa.select(cohort_trainers.c.cohort_id).where(cohort_trainers.c.user_id == user.id)
            )
        )
    quizzes: dict[tuple[str, str], Quiz | None] = {}
    rows = []
    for response, attempt, trainee in session.execute(query):
        version = (attempt.quiz_slug, attempt.version)
        if version not in quizzes:
            quizzes[version] = attempt_quiz(session, attempt)
        rows.append(Waiting(response, attempt, trainee, quizzes[version]))
    return rows


def grade_essay(
    session: Session,
    quiz: Quiz,
    response: QuizResponse,
    *,
    fraction: float,
    comment: str,
    grader: User,
    now: datetime,
) -> QuizAttempt:
    """Grade an essay answer; the attempt's score is final once no essay waits."""
    attempt = _locked(session, response.attempt)
    if attempt.is_open:
        raise QuizError(_l("The attempt is still in progress."))
    if attempt.user_id == grader.id:
        raise QuizError(_l("Nobody grades their own answers."))
    if not 0 <= fraction <= 1:
        raise QuizError(_l("A grade is between 0 and 100 %."))
    before = {"fraction": response.fraction, "comment": response.comment}
    response.fraction, response.comment = fraction, comment.strip() or None
    response.graded_by_id, response.graded_at = grader.id, now
    score_before = attempt.score
    attempt.score, attempt.awaiting_grading = totals(quiz, attempt)
    audit.record(
        session,
        actor_id=grader.id,
        action="quiz.essay_graded",
        subject_type="quiz_attempt",
        subject_id=attempt.id,
        before=before | {"score": score_before, "question": response.question_key},
        after={"fraction": fraction, "comment": response.comment, "score": attempt.score},
    )
    return attempt


# --- results ---------------------------------------------------------------------------------


@dataclass
class Result:
    """A person's standing in one quiz."""

    attempts: int = 0
    best: float | None = None  # the best final score
    waiting: bool = False  # an attempt waits for a trainer
    passed: bool = False
    open: bool = False


def results(
    session: Session, user_ids, quizzes: list[Quiz], since: dict[int, datetime] | None = None
) -> dict[tuple[int, str], Result]:
    """(user id, quiz slug) -> Result, from one query. Call ``finish_overdue`` first (and
    commit when it finished any) so that attempts past their deadline count. ``since`` (user id
    -> time) leaves out a person's attempts started before it."""
    user_ids = list(user_ids)
    by_slug = {quiz.slug: quiz for quiz in quizzes}
    table: dict[tuple[int, str], Result] = {}
    if not user_ids or not quizzes:
        return table
    rows = session.execute(
        sa.select(
            QuizAttempt.user_id,
            QuizAttempt.quiz_slug,
            QuizAttempt.started_at,
            QuizAttempt.submitted_at,
            QuizAttempt.score,
            QuizAttempt.awaiting_grading,
        ).where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.quiz_slug.in_(list(by_slug)))
    )
    since = since or {}
    for user_id, slug, started_at, submitted_at, score, waiting in rows:
        if user_id in since and started_at < since[user_id]:
            continue
        result = table.setdefault((user_id, slug), Result())
        if submitted_at is None:
            result.open = True
            continue
        result.attempts += 1
        if waiting:
            result.waiting = True
        elif score is not None and (result.best is None or score > result.best):
            result.best = score
    for (_, slug), result in table.items():
        quiz = by_slug[slug]
        result.passed = result.best is not None and result.best * 100 >= quiz.pass_mark - 1e-9
    return table


def passed(quiz: Quiz, attempt: QuizAttempt) -> bool:
    return attempt.is_final and (attempt.score or 0) * 100 >= quiz.pass_mark - 1e-9
