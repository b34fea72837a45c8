"""Who opened a trainee's practice: the record, and what the trainee reads of it.

Opening an entry, a logbook or one of its exports is recorded when the person opening it is not
the trainee: who, when, and what. Listings that show only an entry's date, client code and hours
(the trainers' queue) are not recorded; what counts as "opening" is a page or file that shows a
trainee's practice as such: the entry with its reflection, the logbook, the CSV and the PDF.

The record is the one write a GET makes. The view calls ``record_access`` after the access check
and ``keep_record`` at once, before the page is made: the row is committed then, so a page that
fails later still leaves its mark (the entry was read from the database by then), and a refused
request leaves none.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.practice.models import PracticeAccess

#: what an entry's page records; the logbook page and the exports record these and their format
ENTRY = "entry"
LOGBOOK = "logbook"
#: entries of the record shown on one page of the logbook
PAGE_SIZE = 20
#: the newest openings of one entry shown on its page
ENTRY_LIMIT = 100
#: how a staff role reads after the name ("Tiina Tamm (trainer)")
ROLE_WORDS = {Role.COORDINATOR: _l("coordinator"), Role.TRAINER: _l("trainer")}
WHAT_WORDS = {
    ENTRY: _l("Entry"),
    LOGBOOK: _l("Logbook page"),
    "csv": _l("Logbook as CSV"),
    "pdf": _l("Logbook as PDF"),
    "data-page": _l("All their data, shown to a coordinator"),
    "data-json": _l("All their data, downloaded by a coordinator"),
}


def record_access(
    session: Session, viewer: User, trainee_id: int, entry_id: int | None = None, what: str = ENTRY
) -> PracticeAccess | None:
    """Note that ``viewer`` opened ``trainee_id``'s practice; nothing when it is their own.

    Call it only after the access check passed. ``what`` is "entry" (with ``entry_id``),
    "logbook", an export's format ("csv", "pdf"), or "data-page" / "data-json" for a
    coordinator's export of all the trainee's data (lms/privacy), which holds every entry.
    Only adds the row: the view commits it.
    """
    if viewer is None or not getattr(viewer, "id", None) or viewer.id == trainee_id:
        return None
    row = PracticeAccess(viewer_id=viewer.id, trainee_id=trainee_id, entry_id=entry_id, what=what)
    session.add(row)
    return row


def keep_record(session: Session) -> None:
    """Commit the request's access record before the page is made.

    Nothing but the record is pending (a GET writes nothing else), and what the view has read so
    far stays loaded: expiring it would only read the same rows again.
    """
    if isinstance(session, so.scoped_session):  # the request's session, as db.session gives it
        session = session()
    if not session.new:  # the trainee's own reading: nothing to keep
        return
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def can_see_record(person: User, trainee_id: int) -> bool:
    """The trainee sees who opened their practice, and so do coordinators, who answer for how
    the organisation handles personal data; a trainer does not see their colleagues' reading."""
    return person.id == trainee_id or person.has_role(Role.COORDINATOR)


@dataclass
class Opening:
    """One line of the record, ready to show."""

    at: datetime
    name: str | None
    roles: list
    what: str

    @property
    def what_label(self):
        return WHAT_WORDS.get(self.what, self.what)


def _opening(row: PracticeAccess) -> Opening:
    viewer = row.viewer
    roles = [str(word) for role, word in ROLE_WORDS.items() if viewer and role in viewer.roles]
    return Opening(row.at, viewer.display_name if viewer else None, roles, row.what)


def _rows(query):
    return query.options(so.joinedload(PracticeAccess.viewer)).order_by(
        PracticeAccess.at.desc(), PracticeAccess.id.desc()
    )


def accesses_for_entry(
    session: Session, entry_id: int, limit: int = ENTRY_LIMIT
) -> tuple[list[Opening], int]:
    """The newest openings of one entry (at most ``limit``), and how many there are in all.

    Three queries: the count, the rows with their viewers, and the viewers' roles.
    """
    where = PracticeAccess.entry_id == entry_id
    count = session.scalar(sa.select(sa.func.count()).select_from(PracticeAccess).where(where))
    if not count:
        return [], 0
    rows = session.scalars(_rows(sa.select(PracticeAccess).where(where)).limit(limit))
    return [_opening(row) for row in rows], count


def accesses_for_trainee(
    session: Session, trainee_id: int, page: int = 1, entries: bool = False
) -> tuple[list[Opening], int]:
    """One page of the openings of a trainee's logbook and exports, newest first, and how many
    there are in all; with ``entries``, the openings of single entries too.

    Three queries at most, however many rows there are.
    """
    where = [PracticeAccess.trainee_id == trainee_id]
    if not entries:
        where.append(PracticeAccess.entry_id.is_(None))
    count = session.scalar(sa.select(sa.func.count()).select_from(PracticeAccess).where(*where))
    if not count:
        return [], 0
    rows = session.scalars(
        _rows(sa.select(PracticeAccess).where(*where))
        .limit(PAGE_SIZE)
        .offset((max(page, 1) - 1) * PAGE_SIZE)
    )
    return [_opening(row) for row in rows], count
