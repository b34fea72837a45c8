"""Register rules: marks and credited minutes, self check-in, and the audit of every change."""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms import audit
from lms.attendance.models import (
    MARKS,
    NO_CREDIT_MARKS,
    AttendanceRecord,
    CheckIn,
    Mark,
)
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus, TrainingSession

#: A code is valid for this many seconds, and the one before it is still accepted.
CODE_STEP_SECONDS = 60
#: A check-in this many minutes after the start still counts as on time.
LATE_GRACE_MINUTES = 10


class RegisterError(ValueError):
    """A register change was refused; the message says why."""


@dataclass
class RegisterRow:
    """A trainee's line in a session's register."""

    user: User
    status: str | None  # enrolment status in the session's cohort; None for a make-up guest
    record: AttendanceRecord | None = None
    check_in: CheckIn | None = None


@dataclass
class MarkChange:
    """What a trainer submitted for one trainee, with the values the page showed them."""

    user_id: int
    mark: str
    minutes: int | None
    note: str
    shown: tuple[str, int | None, str] = ("", None, "")

    @property
    def changed(self) -> bool:
        return (self.mark, self.minutes, self.note) != self.shown


@dataclass
class SaveResult:
    saved: int = 0
    overwritten: list[str] = field(default_factory=list)  # names changed by someone else meanwhile
    errors: dict[int, str] = field(default_factory=dict)  # user id -> message


def register_rows(session: Session, item: TrainingSession) -> list[RegisterRow]:
    """Everyone in the session's register: the cohort's trainees and any make-up guests."""
    marked = sa.select(AttendanceRecord.user_id).where(AttendanceRecord.session_id == item.id)
    people = session.execute(
        sa.select(User, Enrolment.status)
        .outerjoin(
            Enrolment, sa.and_(Enrolment.user_id == User.id, Enrolment.cohort_id == item.cohort_id)
        )
        .where(sa.or_(Enrolment.id.is_not(None), User.id.in_(marked)))
        .order_by(User.display_name, User.id)
        .options(so.raiseload(User.role_rows))  # not needed here; keeps the page's cost flat
    ).all()
    records = {
        record.user_id: record
        for record in session.scalars(
            sa.select(AttendanceRecord).where(AttendanceRecord.session_id == item.id)
        )
    }
    check_ins = {
        check_in.user_id: check_in
        for check_in in session.scalars(sa.select(CheckIn).where(CheckIn.session_id == item.id))
    }
    return [
        RegisterRow(user, status, records.get(user.id), check_ins.get(user.id))
        for user, status in people
    ]


def credit(mark: str, minutes: int | None, session_minutes: int) -> int:
    """Credited minutes for a mark: full for present, none for excused or absent."""
    if mark not in MARKS:
        raise RegisterError(_l("Choose a mark."))
    if mark == Mark.PRESENT:
        return session_minutes
    if mark in NO_CREDIT_MARKS:
        return 0
    if minutes is None:
        raise RegisterError(_l("Enter the minutes to credit for late or left early."))
    if not 0 <= minutes <= session_minutes:
        raise RegisterError(_l("Credited minutes must be between 0 and %(n)d.", n=session_minutes))
    return minutes


def _check_can_mark(item: TrainingSession, now: datetime) -> None:
    if item.cancelled:
        raise RegisterError(_l("The session is cancelled; its register can no longer change."))
    if now < item.starts_at:
        raise RegisterError(_l("The register opens when the session starts."))


def _lock_record(session: Session, session_id: int, user_id: int) -> AttendanceRecord | None:
    return session.scalar(
        sa.select(AttendanceRecord)
        .where(AttendanceRecord.session_id == session_id, AttendanceRecord.user_id == user_id)
        .with_for_update()
    )


def _write(
    session: Session, item: TrainingSession, user_id: int, values: dict, actor: User
) -> AttendanceRecord:
    """Insert or update one mark, safe against another trainer saving the same row at once."""
    record = _lock_record(session, item.id, user_id)
    if record is None:
        try:
            with session.begin_nested():
                record = AttendanceRecord(session_id=item.id, user_id=user_id, **values)
                session.add(record)
        except IntegrityError:  # the other trainer inserted it first; update theirs
            record = _lock_record(session, item.id, user_id)
        else:
            audit.record(
                session,
                actor_id=actor.id,
                action="attendance.marked",
                subject_type="register",
                subject_id=item.id,
                after={"user_id": user_id, **record.snapshot()},
            )
            record.updated_by_id = actor.id
            return record
    before = record.snapshot()
    for key, value in values.items():
        setattr(record, key, value)
    if record.snapshot() != before:
        record.updated_at = datetime.now(UTC)
        record.updated_by_id = actor.id
        audit.record(
            session,
            actor_id=actor.id,
            action="attendance.marked",
            subject_type="register",
            subject_id=item.id,
            before={"user_id": user_id, **before},
            after={"user_id": user_id, **record.snapshot()},
        )
    return record


def save_register(
    session: Session,
    item: TrainingSession,
    rows: list[RegisterRow],
    changes: list[MarkChange],
    actor: User,
    now: datetime | None = None,
) -> SaveResult:
    """Save the rows this trainer changed; rows they left alone keep what others saved.

    Every row is checked before anything is written, so a mistake saves nothing.
    """
    _check_can_mark(item, now or datetime.now(UTC))
    result = SaveResult()
    by_user = {row.user.id: row for row in rows}
    planned = []
    for change in changes:
        row = by_user.get(change.user_id)
        if row is None:
            raise RegisterError(_l("A submitted trainee is not in this register."))
        if not change.changed:
            continue
        try:
            minutes = credit(change.mark, change.minutes, item.minutes)
        except RegisterError as error:
            result.errors[change.user_id] = str(error)
            continue
        note = change.note.strip()
        if len(note) > 500:
            result.errors[change.user_id] = str(_l("A note has at most 500 characters."))
            continue
        planned.append(
            (row, change, {"mark": change.mark, "credited_minutes": minutes, "note": note})
        )
    if result.errors:
        return result
    for row, change, values in planned:
        current = row.record
        shown_mark, shown_minutes, shown_note = change.shown
        if (
            current is not None
            and shown_mark
            and (
                (current.mark, current.credited_minutes, current.note)
                != (shown_mark, shown_minutes, shown_note)
            )
        ):
            result.overwritten.append(row.user.display_name)
        _write(session, item, row.user.id, values, actor)
        result.saved += 1
    return result


def mark_all_present(
    session: Session, item: TrainingSession, rows: list[RegisterRow], actor: User, now=None
) -> int:
    """Mark every active trainee who has no mark yet as present; marks already given stay."""
    _check_can_mark(item, now or datetime.now(UTC))
    count = 0
    for row in rows:
        if row.record is None and row.status == EnrolmentStatus.ACTIVE:
            values = {"mark": Mark.PRESENT.value, "credited_minutes": item.minutes, "note": ""}
            _write(session, item, row.user.id, values, actor)
            count += 1
    return count


def make_up_candidates(session: Session, item: TrainingSession, cohort: Cohort) -> list[User]:
    """Active trainees of the programme's other cohorts who could attend this session instead."""
    already = sa.select(AttendanceRecord.user_id).where(AttendanceRecord.session_id == item.id)
    own = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    return list(
        session.scalars(
            sa.select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .join(Cohort, Cohort.id == Enrolment.cohort_id)
            .where(
                Cohort.programme_slug == cohort.programme_slug,
                Cohort.id != cohort.id,
                Enrolment.status == EnrolmentStatus.ACTIVE,
                User.id.not_in(already),
                User.id.not_in(own),
            )
            .order_by(User.display_name)
            .distinct()
            .options(so.raiseload(User.role_rows))
        )
    )


def add_make_up(
    session: Session, item: TrainingSession, cohort: Cohort, user_id: int, actor: User, now=None
) -> None:
    """Put a trainee of another cohort of the same programme in this register as present."""
    _check_can_mark(item, now or datetime.now(UTC))
    if user_id not in {user.id for user in make_up_candidates(session, item, cohort)}:
        raise RegisterError(
            _l("Only active trainees of another cohort of this programme can make up a session.")
        )
    values = {"mark": Mark.PRESENT.value, "credited_minutes": item.minutes, "note": ""}
    _write(session, item, user_id, values, actor)


# --- Self check-in ----------------------------------------------------------------------------


def check_in_code(secret: str, session_id: int, step: int) -> str:
    """The six-digit code of a session for one time step; it means nothing for another session."""
    digest = hmac.new(
        secret.encode(), f"check-in:{session_id}:{step}".encode(), hashlib.sha256
    ).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def current_code(secret: str, session_id: int, now: datetime) -> tuple[str, int]:
    """The code to show now and the seconds until it changes."""
    seconds = int(now.timestamp())
    step = seconds // CODE_STEP_SECONDS
    return check_in_code(secret, session_id, step), CODE_STEP_SECONDS - seconds % CODE_STEP_SECONDS


def in_window(item: TrainingSession, now: datetime, early_minutes: int) -> bool:
    """Check-in is open from a little before the start until the end."""
    return (
        not item.cancelled
        and item.starts_at - timedelta(minutes=early_minutes) <= now <= item.ends_at
    )


def open_sessions_for(session: Session, user: User, now: datetime, early_minutes: int):
    """Sessions of the person's active cohorts whose check-in window is open now."""
    candidates = session.scalars(
        sa.select(TrainingSession)
        .join(Enrolment, Enrolment.cohort_id == TrainingSession.cohort_id)
        .where(
            Enrolment.user_id == user.id,
            Enrolment.status == EnrolmentStatus.ACTIVE,
            TrainingSession.cancelled_at.is_(None),
            TrainingSession.starts_at <= now + timedelta(minutes=early_minutes),
            TrainingSession.ends_at >= now,
        )
    )
    return [item for item in candidates if in_window(item, now, early_minutes)]


def check_in(
    session: Session, user: User, code: str, *, secret: str, now: datetime, early_minutes: int
) -> TrainingSession:
    """Check a trainee in with the code shown in the room; return the session it opened."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    step = int(now.timestamp()) // CODE_STEP_SECONDS
    for item in open_sessions_for(session, user, now, early_minutes):
        valid = {check_in_code(secret, item.id, s) for s in (step, step - 1)}
        if any(hmac.compare_digest(code, candidate) for candidate in valid):
            exists = session.scalar(
                sa.select(CheckIn).where(CheckIn.session_id == item.id, CheckIn.user_id == user.id)
            )
            if exists is None:
                try:
                    with session.begin_nested():
                        session.add(CheckIn(session_id=item.id, user_id=user.id, checked_in_at=now))
                except IntegrityError:
                    pass  # a double tap: the first one counts
            return item
    raise RegisterError(
        _l(
            "The code is not valid for any of your sessions that are open now. Check the code "
            "on the screen; it changes every minute."
        )
    )


def confirm_check_ins(
    session: Session, item: TrainingSession, rows: list[RegisterRow], actor: User, now=None
) -> int:
    """Turn pending check-ins into marks: present, or late with the minutes from check-in."""
    _check_can_mark(item, now or datetime.now(UTC))
    count = 0
    for row in rows:
        pending = row.check_in
        if pending is None or pending.confirmed_at is not None:
            continue
        if row.record is None:
            late_by = (pending.checked_in_at - item.starts_at).total_seconds() / 60
            if late_by <= LATE_GRACE_MINUTES:
                values = {"mark": Mark.PRESENT.value, "credited_minutes": item.minutes}
            else:
                left = max(0, int((item.ends_at - pending.checked_in_at).total_seconds() // 60))
                values = {"mark": Mark.LATE.value, "credited_minutes": min(left, item.minutes)}
            _write(session, item, row.user.id, {**values, "note": ""}, actor)
        pending.confirmed_at = datetime.now(UTC)
        pending.confirmed_by_id = actor.id
        count += 1
    return count
