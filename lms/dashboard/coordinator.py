"""Cohorts at a glance for coordinators: every running, coming or recently ended cohort with its
size, average progress in hours, trainees at risk and certificates issued, in a fixed number of
statements (the ledgers of all listed cohorts are summed at once, never one register at a time)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.attendance.api import Ledger
from lms.certificates.models import Certificate, Status
from lms.cohorts.models import Cohort, EnrolmentStatus
from lms.dashboard.ledgers import cohort_ledgers
from lms.db import plain_rows
from lms.programmes.api import Programme, ProgrammeSet

RECENT_DAYS = 365  # a cohort that ended within a year is still shown: funders report by year
SHOWN = 12


@dataclass
class CohortGlance:
    cohort: Cohort
    programme: Programme | None
    phase: str  # "running", "coming" or "ended"
    size: int = 0  # trainees not withdrawn
    progress: float | None = None  # average share of the required hours credited, 0 to 1
    at_risk: int = 0
    certificates: int = 0  # issued and not revoked

    @property
    def percent(self) -> int | None:
        return None if self.progress is None else round(100 * self.progress)


@dataclass
class CoordinatorHome:
    cohorts: list[CohortGlance] = field(default_factory=list)
    total: int = 0  # running, coming and recent cohorts in all; the first SHOWN are listed
    recent_days: int = RECENT_DAYS


def average_progress(ledgers: list[Ledger]) -> float | None:
    """The share of the required hours credited, each trainee and category capped at what it
    requires, over the trainees who have not withdrawn; None without trainees or requirements."""
    required = credited = 0
    for ledger in ledgers:
        if ledger.status == EnrolmentStatus.WITHDRAWN:
            continue
        for line in ledger.lines:  # one pass, each line's requirement read once
            need = line.required
            required += need
            credited += min(line.credited, need)
    return credited / required if required else None


def _phase(cohort: Cohort, today: date) -> str:
    if cohort.ends_on < today:
        return "ended"
    return "coming" if cohort.starts_on > today else "running"


#: certificates not revoked per cohort of ``ids`` (built once)
_ISSUED = (
    sa.select(Certificate.cohort_id, sa.func.count(Certificate.id))
    .where(
        Certificate.cohort_id.in_(sa.bindparam("ids", expanding=True)),
        Certificate.status != Status.REVOKED,
    )
    .group_by(Certificate.cohort_id)
)


def _certificates(session: Session, ids: list[int]) -> dict[int, int]:
    return dict(plain_rows(session, _ISSUED, {"ids": ids}))


#: the bounds of a request, bound at every run of the prebuilt statements below
_TODAY, _RECENT_FROM = sa.bindparam("today", type_=sa.Date), sa.bindparam("since", type_=sa.Date)
_RECENT = Cohort.ends_on >= _RECENT_FROM
_COMING = Cohort.starts_on > _TODAY
#: running, coming and recent cohorts in all (built once)
_TOTAL = sa.select(sa.func.count(Cohort.id)).where(_RECENT)
#: running cohorts first (newest first), then the coming ones (soonest first), then the ended
_LISTED = (
    sa.select(Cohort)
    .where(_RECENT)
    .order_by(
        sa.case((Cohort.ends_on < _TODAY, 2), (_COMING, 1), else_=0),
        sa.case((_COMING, Cohort.starts_on), else_=None),
        Cohort.starts_on.desc(),
        Cohort.id.desc(),
    )
    .options(so.lazyload(Cohort.trainers))
)


def coordinator_home(
    session: Session, programmes: ProgrammeSet, *, today: date, limit: int = SHOWN
) -> CoordinatorHome:
    """Running cohorts first (newest first), then the coming ones (soonest first), then those
    ended in the last RECENT_DAYS days; at most ``limit`` of them."""
    bounds = {"today": today, "since": today - timedelta(days=RECENT_DAYS)}
    total = plain_rows(session, _TOTAL, bounds)[0][0]
    cohorts = session.scalars(_LISTED.limit(limit), bounds).all()
    home = CoordinatorHome(total=total)
    if not cohorts:
        return home
    known = [
        (cohort, programme)
        for cohort in cohorts
        if (programme := programmes.get(cohort.programme_slug)) is not None
    ]
    ledgers = cohort_ledgers(session, known, today=today, named=False)  # figures only
    issued = _certificates(session, [cohort.id for cohort in cohorts])
    for cohort in cohorts:
        people = ledgers.get(cohort.id, [])
        home.cohorts.append(
            CohortGlance(
                cohort,
                programmes.get(cohort.programme_slug),
                _phase(cohort, today),
                size=sum(ledger.status != EnrolmentStatus.WITHDRAWN for ledger in people),
                progress=average_progress(people),
                at_risk=sum(ledger.at_risk for ledger in people),
                certificates=issued.get(cohort.id, 0),
            )
        )
    return home
