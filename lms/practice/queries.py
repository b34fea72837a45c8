"""Reading the practice log: per-trainee totals, a trainee's entries, and the trainers' queue.

Each function makes a fixed number of queries, however many entries it reads.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.auth.models import Role, User
from lms.cohorts.models import Cohort, cohort_trainers
from lms.db import plain_rows
from lms.practice.models import AWAITING, PracticeEntry, PracticeRevision, Status
from lms.programmes.api import Programme

PAGE_SIZE = 50


@dataclass
class Totals:
    """One trainee's signed-off practice in a cohort, and what waits for sign-off."""

    approved_minutes: int = 0
    pending_minutes: int = 0
    entries: int = 0
    clients: set = field(default_factory=set)
    minutes_by_group: dict = field(default_factory=lambda: defaultdict(int))
    clients_by_group: dict = field(default_factory=lambda: defaultdict(set))

    @property
    def approved_hours(self) -> float:
        return self.approved_minutes / 60

    @property
    def pending_hours(self) -> float:
        return self.pending_minutes / 60

    @property
    def client_count(self) -> int:
        return len(self.clients)


@dataclass
class Progress:
    """How far a trainee's signed-off practice is from the programme's requirement."""

    totals: Totals
    required_minutes: int
    required_clients: int

    @property
    def remaining_minutes(self) -> int:
        return max(0, self.required_minutes - self.totals.approved_minutes)

    @property
    def remaining_clients(self) -> int:
        return max(0, self.required_clients - self.totals.client_count)

    @property
    def met(self) -> bool:
        return self.remaining_minutes == 0 and self.remaining_clients == 0


#: signed-off and pending practice revisions of the cohorts ``cohort_ids``, built once
_TOTALS = (
    sa.select(
        PracticeEntry.cohort_id,
        PracticeEntry.user_id,
        PracticeRevision.status,
        PracticeRevision.minutes,
        PracticeRevision.client_key,
        PracticeRevision.client_group,
    )
    .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
    .where(
        PracticeEntry.cohort_id.in_(sa.bindparam("cohort_ids", expanding=True)),
        PracticeRevision.status.in_((Status.APPROVED, *AWAITING)),
    )
)
#: the same, of the people ``user_ids`` only
_TOTALS_OF = _TOTALS.where(PracticeEntry.user_id.in_(sa.bindparam("user_ids", expanding=True)))


def totals(session: Session, cohort_ids, user_ids=None) -> dict[tuple[int, int], Totals]:
    """Signed-off and pending practice per (cohort, trainee), in one query; a pair with no
    practice is missing, so read it with ``.get(key, Totals())``."""
    cohort_ids = list(cohort_ids)
    result: dict[tuple[int, int], Totals] = defaultdict(Totals)
    if not cohort_ids:
        return result
    if user_ids is None:
        rows = plain_rows(session, _TOTALS, {"cohort_ids": cohort_ids})
    else:
        parameters = {"cohort_ids": cohort_ids, "user_ids": list(user_ids)}
        rows = plain_rows(session, _TOTALS_OF, parameters)
    for cohort_id, user_id, status, minutes, client, group in rows:
        line = result[(cohort_id, user_id)]
        if status == Status.APPROVED:
            line.approved_minutes += minutes
            line.entries += 1
            line.clients.add(client)
            line.minutes_by_group[group] += minutes
            line.clients_by_group[group].add(client)
        else:
            line.pending_minutes += minutes
    return result


def trainee_totals(session: Session, cohort_id: int, user_id: int) -> Totals:
    return totals(session, [cohort_id], [user_id]).get((cohort_id, user_id), Totals())


def progress(programme: Programme, line: Totals) -> Progress:
    return Progress(line, round(programme.practice_hours * 60), programme.practice_clients)


def entries_of(session: Session, cohort_id: int, user_id: int, page: int = 1):
    """A trainee's entries in a cohort, newest practice first, with every revision loaded;
    and the number of entries in all."""
    newest_day = (
        sa.select(sa.func.max(PracticeRevision.practised_on))
        .where(PracticeRevision.entry_id == PracticeEntry.id)
        .scalar_subquery()
    )
    where = (PracticeEntry.cohort_id == cohort_id, PracticeEntry.user_id == user_id)
    count = session.scalar(sa.select(sa.func.count()).select_from(PracticeEntry).where(*where))
    entries = session.scalars(
        sa.select(PracticeEntry)
        .where(*where)
        .options(so.selectinload(PracticeEntry.revisions).joinedload(PracticeRevision.reviewer))
        .order_by(newest_day.desc(), PracticeEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return list(entries), count


def signed_off(session: Session, cohort_id: int, user_id: int) -> list[PracticeRevision]:
    """The revisions that count, in date order: the logbook."""
    return list(
        session.scalars(
            sa.select(PracticeRevision)
            .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
            .where(
                PracticeEntry.cohort_id == cohort_id,
                PracticeEntry.user_id == user_id,
                PracticeRevision.status == Status.APPROVED,
            )
            .options(so.joinedload(PracticeRevision.reviewer))
            .order_by(PracticeRevision.practised_on, PracticeRevision.id)
        )
    )


@dataclass
class QueueFilter:
    cohort_id: int | None = None
    user_id: int | None = None
    status: str = "awaiting"
    date_from: date | None = None
    date_to: date | None = None


QUEUE_STATUSES = {
    "awaiting": AWAITING,
    "returned": (Status.RETURNED,),
    "approved": (Status.APPROVED,),
    "all": (*AWAITING, Status.RETURNED, Status.APPROVED),
}


def reviewable_cohorts(session: Session, user: User) -> list[Cohort]:
    """Cohorts whose practice a person sees: all for coordinators, their own for trainers."""
    statement = sa.select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name)
    if not user.has_role(Role.COORDINATOR):
        own = sa.select(cohort_trainers.c.cohort_id).where(cohort_trainers.c.user_id == user.id)
        statement = statement.where(Cohort.id.in_(own))
    return list(session.scalars(statement))


def queue(session: Session, cohort_ids, chosen: QueueFilter, page: int = 1):
    """Revisions of the given cohorts matching the filter, oldest submission first, with the
    number matching in all. Drafts are the trainee's own and never listed."""
    conditions = [
        PracticeEntry.cohort_id.in_(list(cohort_ids)),
        PracticeRevision.status.in_(QUEUE_STATUSES.get(chosen.status, AWAITING)),
    ]
    if chosen.cohort_id is not None:
        conditions.append(PracticeEntry.cohort_id == chosen.cohort_id)
    if chosen.user_id is not None:
        conditions.append(PracticeEntry.user_id == chosen.user_id)
    if chosen.date_from is not None:
        conditions.append(PracticeRevision.practised_on >= chosen.date_from)
    if chosen.date_to is not None:
        conditions.append(PracticeRevision.practised_on <= chosen.date_to)
    base = sa.select(PracticeRevision).join(
        PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id
    )
    count = session.scalar(
        sa.select(sa.func.count()).select_from(base.where(*conditions).subquery())
    )
    revisions = session.scalars(
        base.where(*conditions)
        .options(
            so.joinedload(PracticeRevision.entry).joinedload(PracticeEntry.user),
            so.joinedload(PracticeRevision.entry).joinedload(PracticeEntry.cohort),
        )
        .order_by(PracticeRevision.submitted_at, PracticeRevision.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return list(revisions), count
