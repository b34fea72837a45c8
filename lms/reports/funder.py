"""The funder report: what a programme, a cohort, a region or a period achieved.

Every figure is an aggregate computed in the database, in a fixed number of queries whatever the
number of cohorts, trainees or practice entries.

What is counted, in words (the README repeats it for coordinators):
- the report covers the cohorts that match the filters and ran at some time in the period;
- *people trained*: distinct people with an enrolment in those cohorts that was not withdrawn;
- *completion rate*: completed enrolments out of all enrolments (withdrawn ones included) in those
  of the cohorts that have ended;
- *certificates issued*: certificates earned in those cohorts and issued in the period;
- *supervised client support*: signed-off practice in those cohorts, practised in the period;
- *distinct clients*: a client code is a pseudonym, the same within one cohort (trainees who
  support one client together use one code), so a client is a cohort and a folded code;
- *alumni working in the field*: people who completed one of those cohorts and whose latest
  employment follow-up says they work as a support person or in a related role.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.alumni.models import EMPLOYMENTS, IN_FIELD, NOT_ASKED, EmploymentFollowUp
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.certificates.models import Status as CertificateStatus
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.db import plain_rows, rows_alongside
from lms.practice.models import PracticeRevision
from lms.programmes.api import Programme

# OTHER_GROUPS and GroupLine are part of the report that tables and tests read from here
from lms.reports.practice import OTHER_GROUPS, GroupLine, approved, in_period, practice_pass  # noqa: F401

NO_MUNICIPALITY = ""
#: marks the row of all alumni among the follow-up counts (no employment is empty)
ALUMNI_ROW = ""


@dataclass(frozen=True)
class ReportFilter:
    """Which part of the work to report on; every field is optional."""

    programme_slug: str | None = None
    cohort_id: int | None = None
    region: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class CohortLine:
    #: a row with the cohort's id, name, programme_slug, region, starts_on and ends_on
    cohort: sa.Row
    enrolled: int = 0  # withdrawn included
    trained: int = 0
    completed: int = 0
    withdrawn: int = 0
    certificates: int = 0
    practice_minutes: int = 0
    clients: int = 0
    ended: bool = False


@dataclass
class FunderReport:
    chosen: ReportFilter
    cohorts: list[CohortLine]
    #: municipality -> (people trained, people who completed)
    municipalities: dict[str, tuple[int, int]]
    people_trained: int = 0
    enrolled_in_ended: int = 0
    completed_in_ended: int = 0
    withdrawn: int = 0
    certificates: int = 0
    practice_minutes: int = 0
    clients: int = 0
    refugee_clients: int = 0
    child_clients: int = 0
    refugee_child_clients: int = 0
    groups: list[GroupLine] = field(default_factory=list)
    #: first day of a month -> signed-off practice minutes that month
    months: dict[date, int] = field(default_factory=dict)
    #: employment (or NOT_ASKED) -> alumni
    employment: dict[str, int] = field(default_factory=dict)
    #: (employment, role title) -> alumni, for those working in the field
    roles: dict[tuple[str, str], int] = field(default_factory=dict)
    alumni: int = 0

    @property
    def municipality_count(self) -> int:
        return sum(1 for name in self.municipalities if name != NO_MUNICIPALITY)

    @property
    def completion_rate(self) -> float | None:
        if not self.enrolled_in_ended:
            return None
        return self.completed_in_ended / self.enrolled_in_ended

    @property
    def alumni_in_field(self) -> int:
        return sum(self.employment.get(value, 0) for value in IN_FIELD)

    @property
    def practice_hours(self) -> float:
        return self.practice_minutes / 60


def _scope(chosen: ReportFilter, *, in_period: bool = True):
    """The ids of the cohorts that match the filters and, with ``in_period``, ran in the period;
    None when that is every cohort, so that the queries need not join the cohorts at all."""
    conditions = []
    if chosen.programme_slug:
        conditions.append(Cohort.programme_slug == chosen.programme_slug)
    if chosen.cohort_id:
        conditions.append(Cohort.id == chosen.cohort_id)
    if chosen.region:
        conditions.append(Cohort.region == chosen.region)
    if in_period and chosen.date_from:
        conditions.append(Cohort.ends_on >= chosen.date_from)
    if in_period and chosen.date_to:
        conditions.append(Cohort.starts_on <= chosen.date_to)
    if not conditions:
        return None
    return sa.select(Cohort.id).where(*conditions)


def _within(column, scope) -> list:
    """The condition that ``column`` (a cohort id, never null) names a cohort in ``scope``."""
    return [] if scope is None else [column.in_(scope)]


def _listed(chosen: ReportFilter, ran, matching):
    """The cohorts the report lists: those that ran in the period, and those whose certificates
    or signed-off practice fall in it (a group's certificates follow its last session)."""
    if not (chosen.date_from or chosen.date_to):
        return ran
    return sa.union(
        ran,
        sa.select(Certificate.cohort_id).where(
            *_within(Certificate.cohort_id, matching),
            Certificate.status != CertificateStatus.REVOKED,
            *in_period(Certificate.issued_on, chosen),
        ),
        approved(matching, chosen, PracticeRevision.cohort_id),
    )


def client_groups(programmes: list[Programme]) -> tuple[list[str], set[str], set[str]]:
    """Every client-group slug of these programmes, and those flagged refugee and child."""
    slugs, refugee, child = [], set(), set()
    for programme in programmes:
        for group in programme.client_groups:
            if group.slug not in slugs:
                slugs.append(group.slug)
            if group.refugee:
                refugee.add(group.slug)
            if group.child:
                child.add(group.slug)
    return slugs, refugee, child


def funder_report(
    session: Session, chosen: ReportFilter, programmes: list[Programme], today: date
) -> FunderReport:
    """The report for ``chosen``; ``programmes`` tells which client groups are refugees or
    children, and ``today`` which cohorts have ended."""
    ran = _scope(chosen)
    matching = _scope(chosen, in_period=False)
    # Plain rows: a report over thousands of cohorts needs their names and dates, not entities;
    # every statement runs on the session's connection, without the ORM's work per row.
    cohorts = plain_rows(
        session,
        sa.select(
            Cohort.id,
            Cohort.name,
            Cohort.programme_slug,
            Cohort.region,
            Cohort.starts_on,
            Cohort.ends_on,
        )
        .where(*_within(Cohort.id, _listed(chosen, ran, matching)))
        .order_by(Cohort.starts_on, Cohort.name),
    )
    lines = {cohort.id: CohortLine(cohort, ended=cohort.ends_on < today) for cohort in cohorts}
    report = FunderReport(chosen, list(lines.values()), {})
    if not cohorts:
        return report
    # People and completion belong to the cohorts that ran in the period; certificates and
    # practice count by their own dates. Distinct people, the costliest count, is taken beside
    # the others where the database allows (about a third of the report's time over 100,000
    # trainees).
    people = rows_alongside(session, _people(ran))
    _enrolments(session, ran, lines, report)
    _certificates(session, matching, chosen, lines, report)
    practice_pass(session, matching, chosen, lines, report, *client_groups(programmes))
    _alumni(session, ran, report)
    _count_people(people(), report)
    return report


def _enrolments(session, scope, lines: dict[int, CohortLine], report: FunderReport) -> None:
    def having(status) -> sa.ColumnElement:
        return sa.func.count().filter(Enrolment.status == status)

    rows = plain_rows(
        session,
        sa.select(
            Enrolment.cohort_id,
            sa.func.count(),
            having(EnrolmentStatus.WITHDRAWN),
            having(EnrolmentStatus.COMPLETED),
        )
        .where(*_within(Enrolment.cohort_id, scope))
        .group_by(Enrolment.cohort_id),
    )
    for cohort_id, enrolled, withdrawn, completed in rows:
        line = lines[cohort_id]
        line.enrolled += enrolled
        line.withdrawn += withdrawn
        line.trained += enrolled - withdrawn
        line.completed += completed
        report.withdrawn += withdrawn
        if line.ended:
            report.enrolled_in_ended += enrolled
            report.completed_in_ended += completed


def _people(scope) -> sa.Select:
    """Distinct people per municipality: a person counts once however many cohorts they took.
    Each person is looked up in the sets of trained and completed people (semi-joins), which
    costs the database less than grouping every enrolment by person first."""

    def enrolled(*conditions) -> sa.Select:
        return sa.select(Enrolment.user_id).where(*_within(Enrolment.cohort_id, scope), *conditions)

    has_completed = User.id.in_(enrolled(Enrolment.status == EnrolmentStatus.COMPLETED))
    # Counted per spelling first, so that only the few spellings are trimmed and folded:
    # "Võru vald" and "võru vald " are one municipality, shown in one of its spellings.
    spelled = (
        sa.select(
            User.municipality.label("spelled"),
            sa.func.count().label("people"),
            sa.func.count().filter(has_completed).label("completed"),
        )
        .where(User.id.in_(enrolled(Enrolment.status != EnrolmentStatus.WITHDRAWN)))
        .group_by(User.municipality)
        .subquery()
    )
    municipality = sa.func.coalesce(sa.func.lower(sa.func.trim(spelled.c.spelled)), "")
    shown = sa.func.min(sa.func.coalesce(sa.func.trim(spelled.c.spelled), NO_MUNICIPALITY))
    return sa.select(
        shown, sa.func.sum(spelled.c.people), sa.func.sum(spelled.c.completed)
    ).group_by(municipality)


def _count_people(rows, report: FunderReport) -> None:
    for name, people, completed in rows:
        people = int(people)
        before = report.municipalities.get(name, (0, 0))
        report.municipalities[name] = (before[0] + people, before[1] + int(completed or 0))
        report.people_trained += people


def _certificates(session, scope, chosen, lines, report: FunderReport) -> None:
    rows = plain_rows(
        session,
        sa.select(Certificate.cohort_id, sa.func.count())
        .where(
            *_within(Certificate.cohort_id, scope),
            Certificate.status != CertificateStatus.REVOKED,
            *in_period(Certificate.issued_on, chosen),
        )
        .group_by(Certificate.cohort_id),
    )
    for cohort_id, count in rows:
        lines[cohort_id].certificates = count
        report.certificates += count


def _alumni(session, scope, report: FunderReport) -> None:
    """Alumni of the covered cohorts (who earned a certificate there that was not revoked: the
    people the alumni page lists for follow-up) by their latest employment follow-up. The alumni
    and the follow-ups among them are counted apart, in one statement (one snapshot, so that
    "not asked" is never off), rather than by an outer join of every alumnus to the follow-ups
    (about half the database time over 90,000 alumni)."""
    certified = [
        *_within(Certificate.cohort_id, scope),
        Certificate.status != CertificateStatus.REVOKED,
    ]
    followed = EmploymentFollowUp
    everyone = sa.select(
        sa.literal(ALUMNI_ROW).label("employment"),
        sa.literal("").label("role_title"),
        sa.func.count(sa.distinct(Certificate.user_id)),
    ).where(*certified)
    asked = (
        sa.select(followed.employment, followed.role_title, sa.func.count())
        .where(followed.user_id.in_(sa.select(Certificate.user_id).where(*certified)))
        .group_by(followed.employment, followed.role_title)
    )
    report.employment = {value: 0 for value in (*EMPLOYMENTS, NOT_ASKED)}
    answered = 0
    for value, title, count in plain_rows(session, sa.union_all(everyone, asked)):
        if value == ALUMNI_ROW:
            report.alumni = count
            continue
        report.employment[value] = report.employment.get(value, 0) + count
        answered += count
        if value in IN_FIELD:
            key = (value, title or "")
            report.roles[key] = report.roles.get(key, 0) + count
    report.employment[NOT_ASKED] = report.alumni - answered
