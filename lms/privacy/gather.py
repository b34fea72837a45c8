"""The rows *My data* is made of: one query for each kind of record, whatever their number."""

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from lms.alumni.models import EmploymentFollowUp
from lms.attendance.models import AttendanceRecord, CheckIn
from lms.audit import AuditEvent
from lms.auth.models import LoginSession, PasswordLink, User, UserRole
from lms.certificates.models import Certificate, FinalSignOff
from lms.cohorts.models import Cohort, Enrolment, TrainingSession
from lms.courses.models import LessonCompletion
from lms.practice.models import PracticeAccess, PracticeEntry, PracticeRevision
from lms.quizzes import api as quizzes
from lms.quizzes.models import QuizAttempt, QuizResponse

#: audit events whose subject is a row of the person's own, by the table it is in
OWN_SUBJECTS = {
    "practice_entry": (PracticeEntry.id, PracticeEntry.user_id),
    "enrolment": (Enrolment.id, Enrolment.user_id),
    "certificate": (Certificate.id, Certificate.user_id),
    "quiz_attempt": (QuizAttempt.id, QuizAttempt.user_id),
}
#: audit events about a cohort or a session's register that name the person in their values
NAMING_SUBJECTS = ("cohort", "register")


def _all(session: Session, statement) -> list:
    return list(session.execute(statement).all())


def _owned(session: Session, model, user_id: int, when) -> list:
    """The person's rows of ``model`` (which has a ``user_id``), oldest first."""
    statement = sa.select(model).where(model.user_id == user_id).order_by(when, model.id)
    return list(session.scalars(statement))


def gather(session: Session, user_id: int) -> dict[str, list]:
    """Every row held about the person ``user_id``, by kind, each kind in one query."""
    return {
        "roles": list(
            session.scalars(
                sa.select(UserRole.role).where(UserRole.user_id == user_id).order_by(UserRole.role)
            )
        ),
        "logins": _all(
            session,
            sa.select(LoginSession.created_at, LoginSession.remember, LoginSession.revoked_at)
            .where(LoginSession.user_id == user_id)
            .order_by(LoginSession.created_at),
        ),
        "password_links": _all(
            session,
            sa.select(PasswordLink.created_at, PasswordLink.expires_at, PasswordLink.used_at)
            .where(PasswordLink.user_id == user_id)
            .order_by(PasswordLink.created_at, PasswordLink.id),
        ),
        "enrolments": _enrolments(session, user_id),
        "attendance": _attendance(session, user_id),
        "check_ins": _all(
            session,
            sa.select(CheckIn.session_id, TrainingSession.title, CheckIn.checked_in_at)
            .add_columns(CheckIn.confirmed_at)
            .join(TrainingSession, TrainingSession.id == CheckIn.session_id)
            .where(CheckIn.user_id == user_id)
            .order_by(CheckIn.checked_in_at, CheckIn.id),
        ),
        "lessons": _all(
            session,
            sa.select(
                LessonCompletion.course_slug,
                LessonCompletion.lesson_slug,
                LessonCompletion.completed_at,
            )
            .where(LessonCompletion.user_id == user_id)
            .order_by(LessonCompletion.completed_at, LessonCompletion.id),
        ),
        "quizzes": quizzes.all_quizzes(session),
        "attempts": _owned(session, QuizAttempt, user_id, QuizAttempt.started_at),
        "responses": list(
            session.scalars(
                sa.select(QuizResponse)
                .join(QuizAttempt, QuizAttempt.id == QuizResponse.attempt_id)
                .where(QuizAttempt.user_id == user_id)
                .order_by(QuizResponse.attempt_id, QuizResponse.id)
            )
        ),
        "entries": _all(
            session,
            sa.select(PracticeEntry.id, PracticeEntry.created_at, Cohort.name.label("cohort_name"))
            .join(Cohort, Cohort.id == PracticeEntry.cohort_id)
            .where(PracticeEntry.user_id == user_id)
            .order_by(PracticeEntry.created_at, PracticeEntry.id),
        ),
        "revisions": _revisions(session, user_id),
        "certificates": _owned(session, Certificate, user_id, Certificate.issued_at),
        "follow_ups": _owned(session, EmploymentFollowUp, user_id, EmploymentFollowUp.recorded_at),
        "events": _events(session, user_id),
        "access": _access(session, user_id),
    }


def _enrolments(session: Session, user_id: int) -> list:
    return _all(
        session,
        sa.select(
            Enrolment.cohort_id,
            Enrolment.status,
            Enrolment.enrolled_at,
            Cohort.name.label("cohort_name"),
            Cohort.programme_slug,
            FinalSignOff.signed_at,
            FinalSignOff.statement,
        )
        .join(Cohort, Cohort.id == Enrolment.cohort_id)
        .outerjoin(FinalSignOff, FinalSignOff.enrolment_id == Enrolment.id)
        .where(Enrolment.user_id == user_id)
        .order_by(Enrolment.enrolled_at, Enrolment.id),
    )


def _attendance(session: Session, user_id: int) -> list:
    return _all(
        session,
        sa.select(
            AttendanceRecord.session_id,
            AttendanceRecord.mark,
            AttendanceRecord.credited_minutes,
            AttendanceRecord.note,
            AttendanceRecord.updated_at,
            TrainingSession.title,
            TrainingSession.starts_at,
            TrainingSession.ends_at,
            TrainingSession.cancelled_at,
            Cohort.name.label("cohort_name"),
        )
        .join(TrainingSession, TrainingSession.id == AttendanceRecord.session_id)
        .join(Cohort, Cohort.id == TrainingSession.cohort_id)
        .where(AttendanceRecord.user_id == user_id)
        .order_by(TrainingSession.starts_at, AttendanceRecord.id),
    )


def _revisions(session: Session, user_id: int) -> list:
    reviewer = aliased(User)
    return _all(
        session,
        sa.select(PracticeRevision, Cohort.programme_slug, reviewer.display_name.label("reviewer"))
        .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
        .join(Cohort, Cohort.id == PracticeEntry.cohort_id)
        .outerjoin(reviewer, reviewer.id == PracticeRevision.reviewer_id)
        .where(PracticeEntry.user_id == user_id)
        .order_by(PracticeRevision.entry_id, PracticeRevision.number),
    )


def _about(user_id: int):
    """The condition "this audit event is about the person"."""
    own = [
        sa.and_(
            AuditEvent.subject_type == kind,
            AuditEvent.subject_id.in_(sa.select(key).where(owner == user_id).scalar_subquery()),
        )
        for kind, (key, owner) in OWN_SUBJECTS.items()
    ]
    own.append(
        sa.and_(
            AuditEvent.subject_type == "practice_revision",
            AuditEvent.subject_id.in_(
                sa.select(PracticeRevision.id)
                .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
                .where(PracticeEntry.user_id == user_id)
                .scalar_subquery()
            ),
        )
    )
    named = sa.and_(
        AuditEvent.subject_type.in_(NAMING_SUBJECTS),
        sa.or_(
            AuditEvent.after["user_id"].as_integer() == user_id,
            AuditEvent.before["user_id"].as_integer() == user_id,
        ),
    )
    return sa.or_(
        sa.and_(AuditEvent.subject_type == "user", AuditEvent.subject_id == user_id),
        named,
        *own,
    )


def _events(session: Session, user_id: int) -> list:
    about = _about(user_id)
    return _all(
        session,
        sa.select(AuditEvent, sa.case((about, True), else_=False).label("about"))
        .where(sa.or_(about, AuditEvent.actor_id == user_id))
        .order_by(AuditEvent.at, AuditEvent.id),
    )


def _access(session: Session, user_id: int) -> list:
    viewer = aliased(User)
    return _all(
        session,
        sa.select(
            PracticeAccess.at,
            PracticeAccess.entry_id,
            PracticeAccess.what,
            viewer.display_name.label("viewer"),
        )
        .outerjoin(viewer, viewer.id == PracticeAccess.viewer_id)
        .where(PracticeAccess.trainee_id == user_id)
        .order_by(PracticeAccess.at, PracticeAccess.id),
    )
