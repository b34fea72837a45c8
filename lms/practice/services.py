"""Practice workflow: who may see and sign off an entry, and each step (what an entry may say is
checked in ``rules.py``, whose names this module also offers).

draft -> submitted -> approved, or -> returned -> resubmitted -> approved. A signed-off revision
is locked; a correction starts a new revision, and signing that one off supersedes the old one.
Every step is written to the audit trail, which is the entry's visible history.
"""

from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms import audit
from lms.auth.models import Role, User
from lms.cohorts.api import can_manage
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.practice import privacy
from lms.practice.models import (
    AWAITING,
    CORE_ACTS,
    EDITABLE,
    PracticeEntry,
    PracticeRevision,
    Status,
)
from lms.practice.rules import (  # noqa: F401  (offered here too)
    EntryData,
    PracticeError,
    check,
    problems,
)
from lms.programmes.api import Programme

SUBJECT = "practice_entry"
RETAINED = _l(
    "The retention period of this cohort's practice has ended and its reflections were removed: "
    "its entries can no longer be changed."
)


def can_view(user: User, entry: PracticeEntry) -> bool:
    """The trainee themself, the trainers of the entry's cohort, and coordinators."""
    return entry.user_id == user.id or can_manage(user, entry.cohort)


def can_sign_off(user: User, entry: PracticeEntry) -> bool:
    """Only a trainer of the cohort, and never for their own practice."""
    return (
        entry.user_id != user.id
        and user.has_role(Role.TRAINER)
        and entry.cohort.has_trainer(user.id)
    )


def logging_enrolments(session: Session, user: User, programmes) -> list[Enrolment]:
    """The person's enrolments whose programme keeps a practice log, newest cohort first."""
    enrolments = session.scalars(
        sa.select(Enrolment)
        .join(Cohort)
        .where(Enrolment.user_id == user.id, Enrolment.status != EnrolmentStatus.WITHDRAWN)
        .options(so.contains_eager(Enrolment.cohort))
        .order_by(Cohort.starts_on.desc())
    )
    result = []
    for enrolment in enrolments:
        programme = programmes.get(enrolment.cohort.programme_slug)
        if programme is not None and programme.practice_logged:
            result.append(enrolment)
    return result


def _fill(revision: PracticeRevision, data: EntryData) -> None:
    revision.practised_on = data.practised_on
    revision.minutes = data.minutes
    revision.client_code = data.client_code.strip()
    revision.client_key = privacy.client_key(data.client_code)
    revision.client_group = data.client_group
    revision.activity = data.activity
    revision.core_acts = [act for act in CORE_ACTS if act in data.core_acts]
    revision.reflection = data.reflection.strip()
    revision.debrief_session_id = data.debrief_session_id


def snapshot(revision: PracticeRevision) -> dict:
    """What a revision says, for the audit trail."""
    return {
        "revision": revision.number,
        "status": revision.status,
        "practised_on": revision.practised_on.isoformat(),
        "minutes": revision.minutes,
        "client_code": revision.client_code,
        "client_group": revision.client_group,
        "activity": revision.activity,
        "core_acts": list(revision.core_acts),
        "debrief_session_id": revision.debrief_session_id,
    }


def _record(session, actor: User, action: str, revision: PracticeRevision, before=None, **extra):
    audit.record(
        session,
        actor_id=actor.id,
        action=f"practice.{action}",
        subject_type=SUBJECT,
        subject_id=revision.entry_id,
        before=before,
        after={**snapshot(revision), **extra},
    )


def create_entry(
    session: Session, trainee: User, cohort: Cohort, programme: Programme, data: EntryData, *,
    today: date, now: datetime, submit: bool = False,
) -> PracticeEntry:  # fmt: skip
    """Log a new piece of practice as a draft, or submit it at once."""
    check(session, data, user_id=trainee.id, cohort=cohort, programme=programme, today=today)
    entry = PracticeEntry(user_id=trainee.id, cohort_id=cohort.id, created_at=now)
    revision = PracticeRevision(number=1, status=Status.DRAFT, created_at=now)
    _fill(revision, data)
    entry.revisions.append(revision)
    session.add(entry)
    session.flush()
    _record(session, trainee, "created", revision)
    if submit:
        submit_revision(session, revision, trainee, now)
    return entry


def _own_open_revision(
    revision: PracticeRevision, actor: User, states=EDITABLE, redacted_ok: bool = False
) -> None:
    if revision.entry.user_id != actor.id:
        raise PracticeError(_l("Only the trainee who logged this practice can change it."))
    if revision.status not in states:
        raise PracticeError(_l("This version is locked: it has been submitted or signed off."))
    if revision.redacted_at is not None and not redacted_ok:
        raise PracticeError(RETAINED)


def update_revision(
    session: Session, revision: PracticeRevision, actor: User, programme: Programme,
    data: EntryData, *, today: date, submit: bool = False, now: datetime,
) -> None:  # fmt: skip
    """Change a draft or returned revision; signed-off ones are locked."""
    _lock(session, revision)
    _own_open_revision(revision, actor)
    entry = revision.entry
    check(
        session, data, user_id=entry.user_id, cohort=entry.cohort, programme=programme,
        today=today, entry_id=entry.id,
    )  # fmt: skip
    before, reflection = snapshot(revision), revision.reflection
    _fill(revision, data)
    session.flush()
    # The reflection's text stays out of the trail (it may be long and personal); that it
    # changed is recorded.
    changed = revision.reflection != reflection
    if snapshot(revision) != before or changed:
        _record(session, actor, "edited", revision, before=before, reflection_changed=changed)
    if submit:
        submit_revision(session, revision, actor, now)


def _lock(session: Session, revision: PracticeRevision) -> None:
    """Read the revision's row again under a lock, so two requests cannot both move it on."""
    session.execute(
        sa.select(PracticeRevision.id).where(PracticeRevision.id == revision.id).with_for_update()
    )
    session.refresh(revision)


def submit_revision(session: Session, revision: PracticeRevision, actor: User, now) -> None:
    """Send a draft, or a returned revision after changes, to the trainers."""
    _lock(session, revision)
    _own_open_revision(revision, actor)
    action = "resubmitted" if revision.status == Status.RETURNED else "submitted"
    revision.status = Status(action)
    revision.submitted_at = now
    session.flush()
    _record(session, actor, action, revision)


def _check_reviewer(revision: PracticeRevision, trainer: User) -> None:
    if not can_sign_off(trainer, revision.entry):
        raise PracticeError(_l("Only a trainer of this cohort can review it, never its trainee."))
    if revision.status not in AWAITING:
        raise PracticeError(_l("This entry is not waiting for review."))


def return_revision(
    session: Session, revision: PracticeRevision, trainer: User, comment: str, now: datetime
) -> None:
    """Send a revision back to its trainee with a comment saying what to change."""
    _lock(session, revision)
    _check_reviewer(revision, trainer)
    if not comment.strip():
        raise PracticeError(_l("Say what the trainee should change."), "comment")
    revision.status = Status.RETURNED
    revision.reviewer_id, revision.reviewed_at = trainer.id, now
    revision.review_comment = comment.strip()
    session.flush()
    _record(session, trainer, "returned", revision, comment=revision.review_comment)


def approve(
    session: Session, revisions: list[PracticeRevision], trainer: User, statement: str, now
) -> int:
    """Sign off revisions with the trainer's attestation; all or none. Returns how many."""
    if not statement.strip():
        raise PracticeError(_l("Confirm the attestation to sign off."), "attest")
    revisions = list(dict.fromkeys(revisions))  # a revision listed twice is signed off once
    for revision in revisions:
        _lock(session, revision)
        _check_reviewer(revision, trainer)
    for revision in revisions:
        earlier = session.scalar(
            sa.select(PracticeRevision)
            .where(
                PracticeRevision.entry_id == revision.entry_id,
                PracticeRevision.status == Status.APPROVED,
            )
            .with_for_update()
        )
        if earlier is not None:
            earlier.status = Status.SUPERSEDED
            session.flush()  # free the one-approved-per-entry index first
        revision.status = Status.APPROVED
        revision.reviewer_id, revision.reviewed_at = trainer.id, now
        revision.attestation = statement
        session.flush()
        extra = {"supersedes": earlier.number} if earlier is not None else {}
        _record(session, trainer, "approved", revision, attestation=statement, **extra)
    return len(revisions)


def start_correction(
    session: Session, entry: PracticeEntry, actor: User, now: datetime
) -> PracticeRevision:
    """Open a new revision of a signed-off entry; the signed-off one counts until it is replaced."""
    if entry.user_id != actor.id:
        raise PracticeError(_l("Only the trainee who logged this practice can correct it."))
    latest = entry.latest
    if latest.status != Status.APPROVED:
        raise PracticeError(_l("Only a signed-off entry needs a correction; edit this one."))
    if latest.redacted_at is not None:
        raise PracticeError(RETAINED)
    revision = PracticeRevision(number=latest.number + 1, status=Status.DRAFT, created_at=now)
    _fill(revision, EntryData(**{key: getattr(latest, key) for key in EntryData.__annotations__}))
    entry.revisions.append(revision)
    session.flush()
    _record(session, actor, "correction_started", revision)
    return revision


def discard_draft(session: Session, revision: PracticeRevision, actor: User) -> bool:
    """Delete a draft; an entry that was only ever a draft goes with it. True if it did."""
    _own_open_revision(revision, actor, states=(Status.DRAFT,), redacted_ok=True)
    entry = revision.entry
    _record(session, actor, "discarded", revision)
    if len(entry.revisions) == 1:
        session.delete(entry)
        session.flush()
        return True
    entry.revisions.remove(revision)
    session.flush()
    return False


def history(session: Session, entry: PracticeEntry) -> list[audit.AuditEvent]:
    """Every step of an entry, newest first."""
    return audit.events_for(session, (SUBJECT,), [entry.id])
