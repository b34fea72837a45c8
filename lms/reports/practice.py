"""The funder report's pass over signed-off practice: minutes and distinct clients per cohort,
per client group and per month.

A client is a cohort and a folded code. Without a period, the clients are read from
``practice_client_sets``: per cohort and set of client groups, the clients seen in exactly those
groups and their minutes, kept by database triggers on the revisions (no write can leave them
stale), so that the report reads thousands of rows instead of every signed-off revision; which
groups are refugees or children is applied to the sets as the programme files say now.
With a period, the revisions practised in it are counted: each keeps its entry's cohort, and a
partial index on signed-off revisions holds (cohort, client, group, minutes, day) in that order,
so the rows come grouped by cohort and client from the index alone: nothing is joined or sorted.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from lms.db import plain_rows
from lms.practice.models import (
    PracticeClientSet,
    PracticeGroupMinutes,
    PracticeMonthMinutes,
    PracticeRevision,
    Status,
)

#: the line of client groups that no programme names any more
OTHER_GROUPS = ""
#: client groups per bit mask column (a 64-bit integer; one bit spare)
GROUPS_PER_MASK = 62


@dataclass
class GroupLine:
    """Supervised practice with one client group."""

    slug: str
    minutes: int = 0
    clients: int = 0
    refugee: bool = False
    child: bool = False


def in_period(column, chosen) -> list:
    conditions = []
    if chosen.date_from:
        conditions.append(column >= chosen.date_from)
    if chosen.date_to:
        conditions.append(column <= chosen.date_to)
    return conditions


def approved(scope, chosen, *columns):
    """Signed-off practice in ``scope`` (cohort ids, or None for all) practised in the period."""
    return sa.select(*columns).where(
        *([] if scope is None else [PracticeRevision.cohort_id.in_(scope)]),
        PracticeRevision.status == Status.APPROVED,
        *in_period(PracticeRevision.practised_on, chosen),
    )


def _clients(scope, chosen, slugs: list[str], bit_or: bool):
    """One row per client: its cohort, minutes, which known groups it was seen in (a bit per
    group, in masks of GROUPS_PER_MASK groups) and whether in a group no programme names.
    With ``bit_or`` (PostgreSQL) the revisions' bits are or-ed as they come."""
    revision = PracticeRevision
    columns = (
        revision.cohort_id.label("cohort_id"),
        revision.client_key.label("key"),
        revision.client_group.label("client_group"),
    )
    if bit_or:
        per_group = approved(scope, chosen, *columns, revision.minutes.label("minutes"))
    else:
        # First each client's minutes per group, so that a client's groups are distinct rows
        # and adding their bits is the same as or-ing them (SQLite has no bit_or).
        per_group = approved(
            scope, chosen, *columns, sa.func.sum(revision.minutes).label("minutes")
        ).group_by(revision.cohort_id, revision.client_key, revision.client_group)
    per_group = per_group.subquery()
    combine = sa.func.bit_or if bit_or else sa.func.sum
    group = per_group.c.client_group
    masks = []
    for start in range(0, len(slugs), GROUPS_PER_MASK):
        chunk = slugs[start : start + GROUPS_PER_MASK]
        bits = sa.case({slug: 1 << n for n, slug in enumerate(chunk)}, value=group, else_=0)
        masks.append(sa.cast(combine(bits), sa.BigInteger).label(f"mask{len(masks)}"))
    other = group.not_in(slugs) if slugs else sa.true()
    return (
        sa.select(
            per_group.c.cohort_id,
            sa.func.sum(per_group.c.minutes).label("minutes"),
            sa.func.max(sa.case((other, 1), else_=0)).label("other"),
            *masks,
        )
        .group_by(per_group.c.cohort_id, per_group.c.key)
        .subquery()
    )


def _seen_in(clients, slugs: list[str], chosen: set[str]) -> sa.ColumnElement:
    """The condition that a client was seen in one of the ``chosen`` groups."""
    conditions = []
    for index, start in enumerate(range(0, len(slugs), GROUPS_PER_MASK)):
        chunk = slugs[start : start + GROUPS_PER_MASK]
        bits = sum(1 << n for n, slug in enumerate(chunk) if slug in chosen)
        if bits:
            conditions.append(clients.c[f"mask{index}"].op("&")(bits) != 0)
    return sa.or_(*conditions) if conditions else sa.false()


def practice_pass(session, scope, chosen, lines, report, slugs, refugee, child) -> None:
    """Per cohort its minutes and clients; in all, the clients who are refugees, children or
    both and each group's clients and minutes (a client seen in two groups counts once in
    each), and the minutes per month. Without a period, from the sets of client groups the
    triggers keep per cohort; with one, from the revisions practised in it."""
    groups = {slug: GroupLine(slug, refugee=slug in refugee, child=slug in child) for slug in slugs}
    groups[OTHER_GROUPS] = GroupLine(OTHER_GROUPS)
    if chosen.date_from or chosen.date_to:
        _live_clients(session, scope, chosen, lines, report, slugs, refugee, child, groups)
        revision = PracticeRevision
        by_day = approved(scope, chosen, revision.practised_on, sa.func.sum(revision.minutes))
        by_group = approved(scope, chosen, revision.client_group, sa.func.sum(revision.minutes))
        by_day, by_group = (
            by_day.group_by(revision.practised_on),
            by_group.group_by(revision.client_group),
        )
    else:
        _kept_clients(session, scope, lines, report, refugee, child, groups)
        months, minutes = PracticeMonthMinutes, PracticeGroupMinutes
        by_day = sa.select(months.month, sa.func.sum(months.minutes)).group_by(months.month)
        by_group = sa.select(minutes.client_group, sa.func.sum(minutes.minutes)).group_by(
            minutes.client_group
        )
        if scope is not None:
            by_day = by_day.where(months.cohort_id.in_(scope))
            by_group = by_group.where(minutes.cohort_id.in_(scope))
    # Grouped by day (or kept by month) and bucketed here: month arithmetic differs between
    # SQLite and PostgreSQL.
    totals: dict[date, int] = defaultdict(int)
    for day, total in plain_rows(session, by_day):
        totals[day.replace(day=1)] += int(total)
    report.months = dict(sorted(totals.items()))
    for slug, total in plain_rows(session, by_group):
        groups[slug if slug in groups else OTHER_GROUPS].minutes += int(total)
    report.groups = sorted(
        (line for line in groups.values() if line.clients),
        key=lambda line: (-line.clients, -line.minutes, line.slug),
    )


def _kept_clients(session, scope, lines, report, refugee, child, groups) -> None:
    """The clients from the kept sets: per cohort, and per set of groups for the totals."""
    kept = PracticeClientSet
    within = [] if scope is None else [kept.cohort_id.in_(scope)]
    for cohort_id, total, count in plain_rows(
        session,
        sa.select(kept.cohort_id, sa.func.sum(kept.minutes), sa.func.sum(kept.clients))
        .where(*within)
        .group_by(kept.cohort_id),
    ):
        lines[cohort_id].practice_minutes = int(total)
        lines[cohort_id].clients = int(count)
        report.practice_minutes += int(total)
        report.clients += int(count)
    both = refugee & child
    for client_groups, count in plain_rows(
        session,
        sa.select(kept.client_groups, sa.func.sum(kept.clients))
        .where(*within)
        .group_by(kept.client_groups),
    ):
        count = int(count)
        seen = set(client_groups.split(" "))
        report.refugee_clients += count if seen & refugee else 0
        report.child_clients += count if seen & child else 0
        report.refugee_child_clients += count if seen & both else 0
        for slug in seen & groups.keys():
            groups[slug].clients += count
        if seen - groups.keys():
            groups[OTHER_GROUPS].clients += count


def _live_clients(session, scope, chosen, lines, report, slugs, refugee, child, groups) -> None:
    """The clients from the revisions practised in the period."""
    clients = _clients(scope, chosen, slugs, session.get_bind().dialect.name == "postgresql")

    def counted(condition) -> sa.ColumnElement:
        return sa.func.count().filter(condition)

    statement = sa.select(
        clients.c.cohort_id,
        sa.func.sum(clients.c.minutes),
        sa.func.count(),
        counted(_seen_in(clients, slugs, refugee)),
        counted(_seen_in(clients, slugs, child)),
        counted(_seen_in(clients, slugs, refugee & child)),
        counted(clients.c.other == 1),
        *(counted(_seen_in(clients, slugs, {slug})) for slug in slugs),
    ).group_by(clients.c.cohort_id)
    rows = plain_rows(session, statement)
    for cohort_id, total, count, *_ in rows:
        lines[cohort_id].practice_minutes = int(total)
        lines[cohort_id].clients = count
    if not rows:
        return
    # summed by column, not cell by cell: thousands of cohorts times tens of groups
    _, total, count, refugees, children, refugee_children, others, *in_groups = (
        sum(column) for column in zip(*rows, strict=True)
    )
    report.practice_minutes += int(total)
    report.clients += count
    report.refugee_clients += refugees
    report.child_clients += children
    report.refugee_child_clients += refugee_children
    groups[OTHER_GROUPS].clients += others
    for slug, in_group in zip(slugs, in_groups, strict=True):
        groups[slug].clients += in_group
