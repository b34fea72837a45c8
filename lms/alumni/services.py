"""Recording an alumnus's employment follow-up."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit
from lms.alumni.models import EMPLOYMENTS, EmploymentFollowUp
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.errors import DomainError


class FollowUpError(DomainError):
    """The answer cannot be recorded; the message says why."""


@dataclass
class Answer:
    employment: str
    asked_on: date
    role_title: str = ""
    employer: str = ""


def is_alumnus(session: Session, user_id: int) -> bool:
    """Whether the person holds, or has held, any certificate."""
    return (
        session.scalar(
            sa.select(sa.func.count(Certificate.id)).where(Certificate.user_id == user_id)
        )
        > 0
    )


def follow_up_of(session: Session, user_id: int) -> EmploymentFollowUp | None:
    return session.scalar(
        sa.select(EmploymentFollowUp).where(EmploymentFollowUp.user_id == user_id)
    )


def record_follow_up(
    session: Session, alumnus: User, answer: Answer, actor: User | None, today: date
) -> EmploymentFollowUp:
    """Keep the alumnus's latest answer, with the earlier one in the audit trail."""
    if answer.employment not in EMPLOYMENTS:
        raise FollowUpError(_l("Choose what the alumnus does now."))
    if answer.asked_on > today:
        raise FollowUpError(_l("The day asked cannot be in the future."))
    if not is_alumnus(session, alumnus.id):
        raise FollowUpError(_l("Only people who hold or held a certificate are followed up."))
    follow_up = follow_up_of(session, alumnus.id)
    before = follow_up.snapshot() if follow_up else None
    if follow_up is None:
        follow_up = EmploymentFollowUp(user_id=alumnus.id)
        session.add(follow_up)
    follow_up.employment = answer.employment
    follow_up.role_title = answer.role_title.strip()
    follow_up.employer = answer.employer.strip()
    follow_up.asked_on = answer.asked_on
    follow_up.recorded_by_id = actor.id if actor else None
    session.flush()
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        action="alumnus.follow_up",
        subject_type="user",
        subject_id=alumnus.id,
        before=before,
        after=follow_up.snapshot(),
    )
    return follow_up
