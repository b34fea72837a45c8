"""Cohort rules: who may see and run a cohort, and enrolment (enrolling many at once, from CSV
or a list of people, is in ``lms.cohorts.enrolment``; a cohort's sessions are in ``sessions``)."""

from datetime import date

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit, hooks
from lms.auth.models import Role, User, UserRole
from lms.cohorts.models import (
    ENROLMENT_STATUSES,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
    cohort_trainers,
)
from lms.collation import by_name
from lms.errors import DomainError
from lms.i18n import local_today
from lms.programmes.api import Programme, get_programme, programme_title


class CohortError(DomainError):
    """A cohort change was refused; the message says why, in the reader's language."""


def can_manage(user: User, cohort: Cohort) -> bool:
    """Coordinators run every cohort; a trainer runs the cohorts they are a trainer of."""
    return user.has_role(Role.COORDINATOR) or (
        user.has_role(Role.TRAINER) and cohort.has_trainer(user.id)
    )


@hooks.answers("teaches_course")
def teaches_course(session: Session, user: User, course_slug: str) -> bool:
    """Whether ``user`` may read the trainer's guides of a course: coordinators may, and trainers
    of a cohort whose programme includes the course."""
    if user.has_role(Role.COORDINATOR):
        return True
    if not user.has_role(Role.TRAINER):
        return False
    programmes = session.scalars(
        sa.select(Cohort.programme_slug)
        .join(cohort_trainers, cohort_trainers.c.cohort_id == Cohort.id)
        .where(cohort_trainers.c.user_id == user.id)
        .distinct()
    )
    return any(
        course_slug in category.courses
        for programme in filter(None, map(get_programme, programmes))
        for category in programme.categories
    )


def enrolment_of(session: Session, cohort_id: int, user_id: int) -> Enrolment | None:
    return session.scalar(
        sa.select(Enrolment).where(Enrolment.cohort_id == cohort_id, Enrolment.user_id == user_id)
    )


def visible_cohorts(session: Session, user: User) -> list[tuple[Cohort, int]]:
    """The cohorts a person may open, newest first, each with its number of active trainees."""
    active = (
        sa.select(Enrolment.cohort_id, sa.func.count().label("size"))
        .where(Enrolment.status != EnrolmentStatus.WITHDRAWN)
        .group_by(Enrolment.cohort_id)
        .subquery()
    )
    statement = (
        sa.select(Cohort, sa.func.coalesce(active.c.size, 0))
        .outerjoin(active, active.c.cohort_id == Cohort.id)
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    if not user.has_role(Role.COORDINATOR):
        trains = sa.select(cohort_trainers.c.cohort_id).where(cohort_trainers.c.user_id == user.id)
        enrolled = sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id)
        statement = statement.where(sa.or_(Cohort.id.in_(trains), Cohort.id.in_(enrolled)))
    return [(cohort, size) for cohort, size in session.execute(statement)]


def trainer_choices(session: Session) -> list[User]:
    trainers = session.scalars(
        sa.select(User).where(User.active, User.role_rows.any(UserRole.role == Role.TRAINER))
    )
    return by_name(trainers, lambda user: user.display_name, tie=lambda user: user.id)


def save_cohort(
    session: Session,
    cohort: Cohort | None,
    *,
    programme: Programme | None,
    name: str,
    starts_on: date,
    ends_on: date,
    region: str | None,
    capacity: int | None,
    trainer_ids: list[int],
    actor: User,
) -> Cohort:
    """Create a cohort (``cohort`` None) or change one, after checking every field."""
    if programme is None:
        raise CohortError(_l("Choose a programme."))
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise CohortError(_l("A cohort needs a name of at most 120 characters."))
    if ends_on < starts_on:
        raise CohortError(_l("A cohort cannot end before it starts."))
    if capacity is not None and capacity < 1:
        raise CohortError(_l("Capacity must be at least 1, or left empty."))
    trainers = [user for user in trainer_choices(session) if user.id in set(trainer_ids)]
    if len(trainers) != len(set(trainer_ids)):
        raise CohortError(_l("Only active trainers can be given a cohort."))
    before = _cohort_snapshot(cohort) if cohort else None
    if cohort is None:
        cohort = Cohort(programme_slug=programme.slug)
        session.add(cohort)
    elif cohort.programme_slug != programme.slug and _has_sessions(session, cohort):
        raise CohortError(_l("The programme cannot change once sessions are scheduled."))
    cohort.programme_slug = programme.slug
    cohort.name = name
    cohort.starts_on, cohort.ends_on = starts_on, ends_on
    cohort.region = (region or "").strip() or None
    cohort.capacity = capacity
    cohort.trainers = trainers
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="cohort.saved",
        subject_type="cohort",
        subject_id=cohort.id,
        before=before,
        after=_cohort_snapshot(cohort),
    )
    return cohort


def _cohort_snapshot(cohort: Cohort) -> dict:
    return {
        "programme": cohort.programme_slug,
        "name": cohort.name,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat(),
        "region": cohort.region,
        "capacity": cohort.capacity,
        "trainers": sorted(trainer.id for trainer in cohort.trainers),
    }


def _has_sessions(session: Session, cohort: Cohort) -> bool:
    return bool(
        session.scalar(sa.select(sa.exists().where(TrainingSession.cohort_id == cohort.id)))
    )


def cohort_size(session: Session, cohort: Cohort) -> int:
    return session.scalar(
        sa.select(sa.func.count()).where(
            Enrolment.cohort_id == cohort.id, Enrolment.status != EnrolmentStatus.WITHDRAWN
        )
    )


def check_prerequisite(
    session: Session, user: User, programme: Programme, today: date | None = None
) -> None:
    """A programme that requires another one's certificate admits only people holding a valid
    one (issued, not expired, revoked or superseded)."""
    needed = programme.requires_certificate
    if not needed:
        return
    today = today or local_today()
    if not hooks.ask("holds_certificate", session, user.id, needed, today):
        raise CohortError(
            _l(
                "%(name)s holds no valid certificate of the programme this one requires "
                "(%(needed)s).",
                name=user.display_name,
                needed=programme_title(needed, str(get_locale())),
            )
        )


def enrol(
    session: Session, cohort: Cohort, programme: Programme, user: User, actor: User
) -> Enrolment:
    """Add a trainee to a cohort, within its capacity and the programme's prerequisite."""
    if user.erased_at is not None:
        raise CohortError(
            _l("%(name)s's data has been erased: they cannot be enrolled.", name=user.display_name)
        )
    if not user.active:
        raise CohortError(_l("%(name)s's account is deactivated.", name=user.display_name))
    if not user.has_role(Role.TRAINEE):
        raise CohortError(_l("%(name)s is not a trainee.", name=user.display_name))
    if enrolment_of(session, cohort.id, user.id):
        raise CohortError(_l("%(name)s is already in this cohort.", name=user.display_name))
    if cohort.capacity is not None and cohort_size(session, cohort) >= cohort.capacity:
        raise CohortError(_l("The cohort is full (%(capacity)d places).", capacity=cohort.capacity))
    check_prerequisite(session, user, programme)
    enrolment = Enrolment(cohort_id=cohort.id, user_id=user.id, status=EnrolmentStatus.ACTIVE)
    session.add(enrolment)
    session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        action="enrolment.created",
        subject_type="cohort",
        subject_id=cohort.id,
        after={"user_id": user.id, "status": enrolment.status},
    )
    return enrolment


def set_status(session: Session, enrolment: Enrolment, status: str, actor: User) -> None:
    if status not in ENROLMENT_STATUSES:
        raise CohortError(_l("Unknown status."))
    if status == enrolment.status:
        return
    audit.record(
        session,
        actor_id=actor.id,
        action="enrolment.status",
        subject_type="cohort",
        subject_id=enrolment.cohort_id,
        before={"user_id": enrolment.user_id, "status": enrolment.status},
        after={"user_id": enrolment.user_id, "status": status},
    )
    enrolment.status = status
