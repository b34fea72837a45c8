"""Trainers mark essays; every person's standing in each quiz."""

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit
from lms.auth.models import Role, User
from lms.cohorts.models import cohort_trainers
from lms.db import plain_rows
from lms.quizzes.attempts import finish_overdue, lock_attempt, totals
from lms.quizzes.catalogue import QuizError, attempt_quiz
from lms.quizzes.definitions import Quiz
from lms.quizzes.models import QuizAttempt, QuizResponse

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
    attempt = lock_attempt(session, response.attempt)
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


#: the attempts of the people ``user_ids`` at the quizzes ``slugs``, built once (every home
#: and checklist reads them)
_ATTEMPTS = sa.select(
    QuizAttempt.user_id,
    QuizAttempt.quiz_slug,
    QuizAttempt.started_at,
    QuizAttempt.submitted_at,
    QuizAttempt.score,
    QuizAttempt.awaiting_grading,
    QuizAttempt.deadline,
).where(
    QuizAttempt.user_id.in_(sa.bindparam("user_ids", expanding=True)),
    QuizAttempt.quiz_slug.in_(sa.bindparam("slugs", expanding=True)),
)


def results(
    session: Session,
    user_ids,
    quizzes: list[Quiz],
    since: dict[int, datetime] | None = None,
    *,
    now: datetime | None = None,
) -> dict[tuple[int, str], Result]:
    """(user id, quiz slug) -> Result. Attempts past their deadline are finished first, in the
    session only: a page that reads this commits nothing, and the next write (or ``lms quizzes
    finish-overdue`` on a schedule) keeps them. ``since`` (user id -> time) leaves out a
    person's attempts started before it."""
    user_ids = list(user_ids)
    by_slug = {quiz.slug: quiz for quiz in quizzes}
    table: dict[tuple[int, str], Result] = {}
    if not user_ids or not quizzes:
        return table
    moment = now or datetime.now(UTC)
    parameters = {"user_ids": user_ids, "slugs": list(by_slug)}
    rows = plain_rows(session, _ATTEMPTS, parameters)
    overdue = {row.user_id for row in rows if row.submitted_at is None and row.deadline
               and row.deadline <= moment}  # fmt: skip
    if overdue:  # time ran out unseen: finish those attempts in the session, then read again
        finish_overdue(session, moment, user_ids=sorted(overdue))
        rows = plain_rows(session, _ATTEMPTS, parameters)
    since = since or {}
    for user_id, slug, started_at, submitted_at, score, waiting, _deadline in rows:
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
