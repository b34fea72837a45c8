"""Erasure of a person's data on their request (``erase_person``).

The person's row in ``users`` stays, so that enrolments, attendance, hours, sign-offs,
certificates and every figure built on them keep their foreign keys; what named the person goes:
their name becomes a pseudonym, their email an undeliverable address, and what they wrote
(reflections, quiz answers, client codes, follow-up details) and what was written about them
(review comments, essay comments, register notes) is removed, in the audit trail too.
Certificates keep the name printed on them, so that they can still be verified.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit
from lms.alumni.models import EmploymentFollowUp
from lms.attendance.models import AttendanceRecord
from lms.auth.models import LoginSession, PasswordLink, User
from lms.certificates.models import Certificate, FinalSignOff
from lms.cohorts.models import Enrolment
from lms.db import utcnow
from lms.errors import DomainError
from lms.practice.models import PracticeEntry, PracticeRevision
from lms.privacy.erasure_audit import scrub_audit_trail
from lms.quizzes.models import QuizAttempt, QuizResponse
from lms.ratelimit import RateLimitCounter
from lms.stand_ins import ERASED, StandIn

#: the domain of the addresses erased people get: ``.invalid`` is never delivered (RFC 2606)
ERASED_DOMAIN = "erased.invalid"
#: the audit action of an erasure; its event names nobody but by id
ACTION = "person.erased"


class ErasureError(DomainError):
    """An erasure the rules refuse."""


def _digest(*parts: object) -> bytes:
    """An HMAC-SHA256 of ``parts`` under the app's SECRET_KEY: stable, and not reversible
    without the key."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = "\x1f".join(str(part) for part in parts).encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def pseudonym(user_id: int) -> StandIn:
    """The name an erased person is shown by: "Person " and six letters and digits derived
    from their id, the same every time; "Person" is put in the reader's language when shown."""
    code = base64.b32encode(_digest("person", user_id)).decode()[:6]
    return StandIn(f"Person {code}")


def erased_email(user_id: int) -> str:
    """An address that is unique, never delivered and frees the person's own for a new account."""
    return f"erased-{user_id}@{ERASED_DOMAIN}"


def erased_client_key(cohort_id: int, key: str) -> str:
    """What stands for a client key once no trainee who is not erased uses it in the cohort:
    the same key in the same cohort gives the same value, so distinct clients still count
    right, and no value can be mistaken for a code as typed (it has a colon and 40 hex digits)."""
    return "erased:" + _digest("client", cohort_id, key).hex()[:40]


@dataclass(frozen=True)
class ErasureSummary:
    """What an erasure of one person removes and what it keeps, counted for the confirmation."""

    practice_entries: int
    practice_revisions: int
    quiz_attempts: int
    quiz_answers: int
    follow_up: bool
    register_notes: int
    enrolments: int
    attendance_records: int
    certificates: int
    sign_offs_given: int


def _count(session: Session, statement) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(statement.subquery())) or 0


def summary(session: Session, user: User) -> ErasureSummary:
    """Count what erasing ``user`` would remove and keep."""
    entries = sa.select(PracticeEntry.id).where(PracticeEntry.user_id == user.id)
    attempts = sa.select(QuizAttempt.id).where(QuizAttempt.user_id == user.id)
    given = sa.union_all(
        sa.select(PracticeRevision.id).where(PracticeRevision.reviewer_id == user.id),
        sa.select(FinalSignOff.id).where(FinalSignOff.trainer_id == user.id),
    )
    return ErasureSummary(
        practice_entries=_count(session, entries),
        practice_revisions=_count(
            session, sa.select(PracticeRevision.id).where(PracticeRevision.entry_id.in_(entries))
        ),
        quiz_attempts=_count(session, attempts),
        quiz_answers=_count(
            session, sa.select(QuizResponse.id).where(QuizResponse.attempt_id.in_(attempts))
        ),
        follow_up=bool(_count(session, _follow_up(user))),
        register_notes=_count(session, _notes(user)),
        enrolments=_count(session, sa.select(Enrolment.id).where(Enrolment.user_id == user.id)),
        attendance_records=_count(
            session, sa.select(AttendanceRecord.id).where(AttendanceRecord.user_id == user.id)
        ),
        certificates=_count(
            session, sa.select(Certificate.id).where(Certificate.user_id == user.id)
        ),
        sign_offs_given=_count(session, given),
    )


def _follow_up(user: User):
    return sa.select(EmploymentFollowUp).where(EmploymentFollowUp.user_id == user.id)


def _notes(user: User):
    return sa.select(AttendanceRecord).where(
        AttendanceRecord.user_id == user.id, AttendanceRecord.note != ""
    )


def check_can_erase(user: User, actor: User | None, *, self_allowed: bool = False) -> None:
    """Refuse erasing twice, and (on the page) erasing oneself."""
    if user.erased_at is not None:
        raise ErasureError(_l("This person's data has already been erased."))
    if not self_allowed and actor is not None and actor.id == user.id:
        raise ErasureError(_l("You cannot erase your own data here. Ask another coordinator."))


def erase_person(
    session: Session,
    user: User,
    actor: User | None,
    *,
    now: datetime | None = None,
    self_allowed: bool = False,
) -> str:
    """Erase ``user``'s personal data; returns the pseudonym they are shown by from now on.

    ``actor`` is the coordinator who confirmed it (None from the command line). Only flushes.
    """
    check_can_erase(user, actor, self_allowed=self_allowed)
    now = now or utcnow()
    email, name, name_pseudonym = user.email, user.display_name, pseudonym(user.id)
    codes = _erase_practice(session, user, now)
    _erase_quiz_answers(session, user)
    for follow_up in session.scalars(_follow_up(user)):
        # The job title stays: the funder report counts alumni by it; the employer goes.
        follow_up.employer = ""
    for record in session.scalars(_notes(user)):
        record.note = ""
    scrub_audit_trail(
        session,
        user.id,
        texts=[email, name],
        codes=codes,
        replacement=name_pseudonym,
        marker=ERASED,
    )
    _close_account(session, user, now)
    session.execute(
        sa.delete(RateLimitCounter)
        .where(RateLimitCounter.key.contains(email, autoescape=True))
        .execution_options(synchronize_session=False)
    )
    user.display_name = name_pseudonym
    user.email = erased_email(user.id)
    user.erased_at = now
    session.flush()
    audit.record(
        session,
        actor_id=actor.id if actor else None,
        action=ACTION,
        subject_type="user",
        subject_id=user.id,
        after={"erased": True},
    )
    return name_pseudonym


def _close_account(session: Session, user: User, now: datetime) -> None:
    user.password_hash = None
    user.active = False
    user.calendar_token = None
    # The municipality stays: the funder report counts people trained per municipality, and
    # its figures must not change. Without name and email it points at nobody.
    user.session_version = (user.session_version or 0) + 1
    session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        sa.delete(PasswordLink)
        .where(PasswordLink.user_id == user.id)
        .execution_options(synchronize_session=False)
    )


def _erase_practice(session: Session, user: User, now: datetime) -> list[str]:
    """Remove reflections, review comments and client codes; returns the codes as typed."""
    revisions = session.scalars(
        sa.select(PracticeRevision)
        .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
        .where(PracticeEntry.user_id == user.id)
    ).all()
    codes = sorted({revision.client_code for revision in revisions} - {ERASED})
    keys = {(revision.entry.cohort_id, revision.client_key) for revision in revisions}
    for revision in revisions:
        revision.reflection = ""
        revision.review_comment = None
        revision.client_code = ERASED
        revision.redacted_at = revision.redacted_at or now
    session.flush()
    for cohort_id, key in keys:
        _replace_client_key(session, user, cohort_id, key)
    return codes


def _replace_client_key(session: Session, user: User, cohort_id: int, key: str) -> None:
    """Keep a client key another trainee of the cohort, not erased, still uses; otherwise put
    the same stand-in on every erased trainee's revisions with that key in the cohort, so the
    cohort's count of distinct clients stays exactly what it was."""
    if key.startswith("erased:"):
        return
    same_key = (
        sa.select(PracticeRevision.id)
        .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
        .join(User, User.id == PracticeEntry.user_id)
        .where(PracticeEntry.cohort_id == cohort_id, PracticeRevision.client_key == key)
    )
    still_used = session.scalar(
        same_key.where(User.id != user.id, User.erased_at.is_(None)).limit(1)
    )
    if still_used is not None:
        return
    erased = session.scalars(
        same_key.where(sa.or_(User.id == user.id, User.erased_at.is_not(None)))
    ).all()
    session.execute(
        sa.update(PracticeRevision)
        .where(PracticeRevision.id.in_(erased))
        .values(client_key=erased_client_key(cohort_id, key))
        .execution_options(synchronize_session=False)
    )
    for revision in list(session.identity_map.values()):
        if isinstance(revision, PracticeRevision):
            session.expire(revision, ["client_key"])


def _erase_quiz_answers(session: Session, user: User) -> None:
    """Remove what the person answered and what graders wrote about it; marks stay."""
    attempts = sa.select(QuizAttempt.id).where(QuizAttempt.user_id == user.id)
    session.execute(
        sa.update(QuizResponse)
        .where(QuizResponse.attempt_id.in_(attempts.scalar_subquery()))
        .values(answer=None, comment=None)
        .execution_options(synchronize_session=False)
    )
    for response in list(session.identity_map.values()):
        if isinstance(response, QuizResponse):
            session.expire(response, ["answer", "comment"])
