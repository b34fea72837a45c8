"""Register rules: marks and credited minutes, and saving a register row by row, each row whole
or not at all, with the audit of every change.

Each row carries a version. A page shows rows at some version; a save updates a row only if it
still has that version (compare and set), and inserts a first mark only if nobody else has. A row
changed meanwhile is not written: it is reported as a conflict with its current value.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms import audit
from lms.attendance.models import MARKS, NO_CREDIT_MARKS, AttendanceRecord, CheckIn, Mark
from lms.auth.models import User
from lms.cohorts.models import Enrolment, EnrolmentStatus, TrainingSession
from lms.collation import by_name
from lms.errors import DomainError


class RegisterError(DomainError):
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
    """What a trainer submitted for one trainee, with the values and version the page showed."""

    user_id: int
    mark: str
    minutes: int | None
    note: str
    shown: tuple[str, int | None, str] = ("", None, "")
    version: int = 0  # the row's version on the page; 0: the page showed no mark

    @property
    def changed(self) -> bool:
        return (self.mark, self.minutes, self.note) != self.shown


@dataclass
class Conflict:
    """A row someone else changed after the page was shown: what it holds now."""

    mark: str
    minutes: int
    note: str
    version: int
    by: str  # who saved it
    at: datetime


@dataclass
class SaveResult:
    saved: int = 0
    errors: dict[int, str] = field(default_factory=dict)  # user id -> message
    conflicts: dict[int, Conflict] = field(default_factory=dict)  # user id -> the row now


def register_rows(session: Session, item: TrainingSession) -> list[RegisterRow]:
    """Everyone in the session's register: the cohort's trainees and any make-up guests."""
    marked = sa.select(AttendanceRecord.user_id).where(AttendanceRecord.session_id == item.id)
    people = session.execute(
        sa.select(User, Enrolment.status)
        .outerjoin(
            Enrolment, sa.and_(Enrolment.user_id == User.id, Enrolment.cohort_id == item.cohort_id)
        )
        .where(sa.or_(Enrolment.id.is_not(None), User.id.in_(marked)))
        .options(so.raiseload(User.role_rows))  # not needed here; keeps the page's cost flat
    ).all()
    people = by_name(people, lambda row: row[0].display_name, tie=lambda row: row[0].id)
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


def check_can_mark(item: TrainingSession, now: datetime) -> None:
    """Refuse any mark on a cancelled session, and marks other than excused before it starts."""
    if item.cancelled:
        raise RegisterError(_l("The session is cancelled; its register can no longer change."))
    if now < item.starts_at:
        raise RegisterError(_l("The register opens when the session starts."))


def check_can_excuse(item: TrainingSession) -> None:
    """An absence announced in advance may be recorded at any time, unless it is cancelled."""
    if item.cancelled:
        raise RegisterError(_l("The session is cancelled; its register can no longer change."))


def _current(session: Session, session_id: int, user_id: int) -> AttendanceRecord | None:
    """The row as it is in the database now, locked until the commit (PostgreSQL); the values
    in memory are replaced, since the page's request read them earlier."""
    return session.scalar(
        sa.select(AttendanceRecord)
        .where(AttendanceRecord.session_id == session_id, AttendanceRecord.user_id == user_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _conflict(session: Session, record: AttendanceRecord) -> Conflict:
    by = session.scalar(sa.select(User.display_name).where(User.id == record.updated_by_id))
    return Conflict(
        record.mark,
        record.credited_minutes,
        record.note,
        record.version,
        by or "",
        record.updated_at,
    )


def _audit(session, item, actor, user_id, before, after) -> None:
    audit.record(
        session,
        actor_id=actor.id,
        action="attendance.marked",
        subject_type="register",
        subject_id=item.id,
        before={"user_id": user_id, **before} if before is not None else None,
        after={"user_id": user_id, **after},
    )


def write_mark(
    session: Session,
    item: TrainingSession,
    user_id: int,
    values: dict,
    actor: User,
    version: int,
    now: datetime,
) -> Conflict | None:
    """Write one row whole if it still has ``version`` (0: if it has no mark yet), and audit the
    row as it was in the database and as it is now. Return the conflict when it had changed."""
    record = _current(session, item.id, user_id)
    if record is None and version == 0:
        try:
            with session.begin_nested():
                record = AttendanceRecord(
                    session_id=item.id, user_id=user_id, version=1, updated_at=now,
                    updated_by_id=actor.id, **values,
                )  # fmt: skip
                session.add(record)
        except IntegrityError:  # another trainer's first mark came in first
            return _conflict(session, _current(session, item.id, user_id))
        _audit(session, item, actor, user_id, None, record.snapshot())
        return None
    if record is None:  # the row was shown but is gone: nothing to compare with
        raise RegisterError(_l("A submitted trainee is not in this register."))
    wanted = {"mark": values["mark"], "minutes": values["credited_minutes"], "note": values["note"]}
    if record.version != version:
        # the same values saved twice are no conflict: the row already says what was meant
        return None if record.snapshot() == wanted else _conflict(session, record)
    before = record.snapshot()
    if before == wanted:
        return None
    updated = session.execute(
        sa.update(AttendanceRecord)
        .where(AttendanceRecord.id == record.id, AttendanceRecord.version == version)
        .values(**values, version=version + 1, updated_at=now, updated_by_id=actor.id)
    )
    if updated.rowcount != 1:  # only where the lock above is not held (SQLite serialises)
        return _conflict(session, _current(session, item.id, user_id))
    _audit(session, item, actor, user_id, before, record.snapshot())
    return None


def _planned(item: TrainingSession, change: MarkChange, before_start: bool) -> dict:
    """The row a change asks for, checked; raises RegisterError with the row's problem."""
    minutes = credit(change.mark, change.minutes, item.minutes)
    if before_start and change.mark != Mark.EXCUSED:
        raise RegisterError(
            _l("Before the session starts, only an absence announced in advance can be "
               "recorded: choose excused.")
        )  # fmt: skip
    note = change.note.strip()
    if len(note) > 500:
        raise RegisterError(_l("A note has at most 500 characters."))
    return {"mark": change.mark, "credited_minutes": minutes, "note": note}


def save_register(
    session: Session,
    item: TrainingSession,
    rows: list[RegisterRow],
    changes: list[MarkChange],
    actor: User,
    now: datetime | None = None,
) -> SaveResult:
    """Save the rows this trainer changed; rows they left alone keep what others saved.

    Every row is checked before anything is written, so a mistake saves nothing. Each row is
    then written whole, or, if someone else changed it since the page was shown, left as it is
    and reported in ``conflicts``. Before the session starts only excused can be recorded.
    """
    now = now or datetime.now(UTC)
    check_can_excuse(item)
    before_start = now < item.starts_at
    result = SaveResult()
    in_register = {row.user.id for row in rows}
    planned = []
    for change in changes:
        if change.user_id not in in_register:
            raise RegisterError(_l("A submitted trainee is not in this register."))
        if not change.changed:
            continue
        try:
            values = _planned(item, change, before_start)
        except RegisterError as error:
            result.errors[change.user_id] = str(error)
            continue
        shown_mark, shown_minutes, shown_note = change.shown
        if (values["mark"], values["credited_minutes"], values["note"]) != (
            shown_mark, shown_minutes, shown_note.strip()
        ):  # fmt: skip
            planned.append((change, values))
    if result.errors:
        return result
    for change, values in planned:
        conflict = write_mark(session, item, change.user_id, values, actor, change.version, now)
        if conflict is None:
            result.saved += 1
        else:
            result.conflicts[change.user_id] = conflict
    return result


def fill_unmarked(rows: list[RegisterRow], shown: dict) -> set[int]:
    """The active trainees whose row is still empty on the page (``shown``: user id -> the mark
    the page shows), to be filled in as present for the trainer to see and save."""
    return {
        row.user.id
        for row in rows
        if row.status == EnrolmentStatus.ACTIVE and not shown.get(row.user.id)
    }
