"""Ways into a register besides the trainer's marks: make-up attendees from another cohort of the
programme, and self check-in with the code shown in the room, confirmed by the trainer."""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.attendance.models import AttendanceRecord, CheckIn, Mark
from lms.attendance.services import RegisterError, RegisterRow, check_can_mark, write_mark
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus, TrainingSession
from lms.collation import by_name

#: A code is valid for this many seconds, and the one before it is still accepted.
CODE_STEP_SECONDS = 60
#: A check-in this many minutes after the start still counts as on time.
LATE_GRACE_MINUTES = 10


def make_up_candidates(session: Session, item: TrainingSession, cohort: Cohort) -> list[User]:
    """Active trainees of the programme's other cohorts who could attend this session instead."""
    already = sa.select(AttendanceRecord.user_id).where(AttendanceRecord.session_id == item.id)
    own = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    found = session.scalars(
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
        .distinct()
        .options(so.raiseload(User.role_rows))
    )
    return by_name(found, lambda user: user.display_name, tie=lambda user: user.id)


def add_make_up(
    session: Session, item: TrainingSession, cohort: Cohort, user_id: int, actor: User, now=None
) -> None:
    """Put a trainee of another cohort of the same programme in this register as present."""
    now = now or datetime.now(UTC)
    check_can_mark(item, now)
    if user_id not in {user.id for user in make_up_candidates(session, item, cohort)}:
        raise RegisterError(
            _l("Only active trainees of another cohort of this programme can make up a session.")
        )
    values = {"mark": Mark.PRESENT.value, "credited_minutes": item.minutes, "note": ""}
    if write_mark(session, item, user_id, values, actor, 0, now) is not None:
        raise RegisterError(_l("Someone else has just marked this trainee in this register."))


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


def open_sessions_for(session: Session, user_id: int, now: datetime, early_minutes: int):
    """Sessions of the person's active cohorts whose check-in window is open now."""
    candidates = session.scalars(
        sa.select(TrainingSession)
        .join(Enrolment, Enrolment.cohort_id == TrainingSession.cohort_id)
        .where(
            Enrolment.user_id == user_id,
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
    for item in open_sessions_for(session, user.id, now, early_minutes):
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
    """Turn pending check-ins into marks: present, or late with the minutes from check-in.
    A trainee already marked keeps the mark (a trainer's mark is never overwritten)."""
    now = now or datetime.now(UTC)
    check_can_mark(item, now)
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
            write_mark(session, item, row.user.id, {**values, "note": ""}, actor, 0, now)
        pending.confirmed_at = now
        pending.confirmed_by_id = actor.id
        count += 1
    return count


@dataclass
class OpenSession:
    """A session of the trainee's that is open for check-in now, and their check-in if any."""

    item: TrainingSession
    check_in: CheckIn | None


def open_for(
    session: Session, user_id: int, now: datetime, early_minutes: int
) -> list[OpenSession]:
    """The person's sessions open for check-in now, each with their check-in (one statement, and
    one more while a session is open)."""
    return checked_in(session, user_id, open_sessions_for(session, user_id, now, early_minutes))


def open_among(
    session: Session, user_id: int, sessions, now: datetime, early_minutes: int
) -> list[OpenSession]:
    """``open_for`` when the sessions of the person's active cohorts are read already: those
    open for check-in now, each with the person's check-in (one statement, only while one is
    open)."""
    return checked_in(
        session, user_id, [item for item in sessions if in_window(item, now, early_minutes)]
    )


def checked_in(session: Session, user_id: int, items: list[TrainingSession]) -> list[OpenSession]:
    """The open sessions ``items``, each with the person's check-in if they made one."""
    if not items:
        return []
    done = {
        check_in.session_id: check_in
        for check_in in session.scalars(
            sa.select(CheckIn).where(
                CheckIn.user_id == user_id, CheckIn.session_id.in_([i.id for i in items])
            )
        )
    }
    return [OpenSession(item, done.get(item.id)) for item in items]
