"""Regrading: after a quiz's answer key is corrected, its submitted attempts are graded again
with the current version on request, by coordinators or the trainers of cohorts taking the quiz."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms import audit
from lms.auth.models import Role, User
from lms.cohorts.models import Cohort
from lms.programmes.api import get_programme
from lms.quizzes.attempts import grade_responses, totals
from lms.quizzes.catalogue import pin_version, programme_quizzes
from lms.quizzes.definitions import Quiz
from lms.quizzes.marking import trainer_cohort_ids
from lms.quizzes.models import QuizAttempt

#: the attempts of people whose data was erased keep their scores: their answers are gone,
#: so grading them again would only lose the marks
_NOT_ERASED = QuizAttempt.user_id.not_in(sa.select(User.id).where(User.erased_at.is_not(None)))


def outdated_attempts(session: Session, quiz: Quiz) -> int:
    """Submitted attempts graded under another version of the quiz."""
    return session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(
            QuizAttempt.quiz_slug == quiz.slug,
            QuizAttempt.submitted_at.is_not(None),
            QuizAttempt.version != quiz.version,
            _NOT_ERASED,
        )
    )


def can_regrade(session: Session, user: User, quiz: Quiz) -> bool:
    """Coordinators, and trainers of a cohort whose programme includes the quiz or one of
    whose trainees has taken it: regrading changes scores in those cohorts."""
    if user.has_role(Role.COORDINATOR):
        return True
    cohort_ids = trainer_cohort_ids(session, user)
    if not user.has_role(Role.TRAINER) or not cohort_ids:
        return False
    taken = session.scalar(
        sa.select(QuizAttempt.id)
        .where(QuizAttempt.quiz_slug == quiz.slug, QuizAttempt.cohort_id.in_(cohort_ids))
        .limit(1)
    )
    if taken is not None:
        return True
    cohorts = session.scalars(sa.select(Cohort).where(Cohort.id.in_(cohort_ids)))
    return any(
        (programme := get_programme(cohort.programme_slug)) is not None
        and programme_quizzes(programme, [quiz])
        for cohort in cohorts
    )


def _marks(attempt: QuizAttempt) -> dict[str, float | None]:
    return {response.question_key: response.fraction for response in attempt.responses}


def regrade(session: Session, quiz: Quiz, actor: User) -> tuple[int, int]:
    """Grade every submitted attempt again with the current answer key (trainers' essay grades
    stand) and put it on the current version. Each changed score goes to the audit trail; an
    attempt whose score stays as it was leaves none. Returns (attempts, scores changed)."""
    attempts = session.scalars(
        sa.select(QuizAttempt)
        .where(
            QuizAttempt.quiz_slug == quiz.slug, QuizAttempt.submitted_at.is_not(None), _NOT_ERASED
        )
        .with_for_update()
    ).all()
    changed = 0
    for attempt in attempts:
        before = {
            "score": attempt.score,
            "awaiting_grading": attempt.awaiting_grading,
            "version": attempt.version,
        }
        marks = _marks(attempt)
        grade_responses(quiz, attempt)
        attempt.score, attempt.awaiting_grading = totals(quiz, attempt)
        pin_version(session, attempt, quiz)
        unchanged = (attempt.score, attempt.awaiting_grading) == (
            before["score"],
            before["awaiting_grading"],
        )
        if unchanged and _marks(attempt) == marks:
            continue
        changed += 1
        audit.record(
            session,
            actor_id=actor.id,
            action="quiz.regraded",
            subject_type="quiz_attempt",
            subject_id=attempt.id,
            before=before,
            after={
                "score": attempt.score,
                "awaiting_grading": attempt.awaiting_grading,
                "version": attempt.version,
            },
        )
    return len(attempts), changed
