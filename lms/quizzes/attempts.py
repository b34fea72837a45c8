"""Taking a quiz: the windows a cohort opens; starting, saving and submitting attempts in time."""

import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.programmes.api import get_programme
from lms.quizzes import grading
from lms.quizzes.catalogue import (
    QuizError,
    alternates,
    attempt_quiz,
    pin_version,
    programme_quizzes,
    stored_version,
)
from lms.quizzes.definitions import Quiz
from lms.quizzes.models import QuizAttempt, QuizResponse, QuizWindow

_random = random.SystemRandom()


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


def lock_attempt(session: Session, attempt: QuizAttempt) -> QuizAttempt:
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
    attempt = lock_attempt(session, attempt)
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
    attempt = lock_attempt(session, attempt)
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
