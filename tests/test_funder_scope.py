"""The funder report over every cohort reads the tables without joining the cohorts: its figures
must be those of the same cohorts named by a filter."""

import dataclasses
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_cohort, make_practice, make_user
from tests.test_funder_report import report, world  # noqa: F401  (the fixture)


def _figures(funder_report) -> dict:
    figures = dataclasses.asdict(funder_report)
    del figures["chosen"]
    return figures


@pytest.mark.parametrize(
    "period",
    [
        {},
        {"date_from": date(2026, 9, 10), "date_to": date(2026, 10, 31)},
        {"date_to": date(2026, 9, 30)},
    ],
)
def test_every_cohort_gives_the_figures_of_a_filter_naming_them_all(app, session, world, period):  # noqa: F811
    # every cohort of the world is a support-person cohort
    assert _figures(report(app, session, **period)) == _figures(
        report(app, session, programme_slug="support-person", **period)
    )
    # with a cohort of another programme, everything is the sum of the two programmes
    trainer, trainee = world["trainer"], make_user(session, municipality="Tartu linn")
    other = make_cohort(
        session, "trainer-of-trainers", trainers=(trainer,), trainees=(trainee,),
        name="Other", starts_on=date(2026, 6, 1), ends_on=date(2026, 11, 30),
    )  # fmt: skip
    with app.app_context():
        make_practice(
            session, other, trainee, approve_by=trainer, client_code="X-1", minutes=45,
            practised_on=date(2026, 9, 20),
        )  # fmt: skip
    everything = report(app, session, **period)
    support = report(app, session, programme_slug="support-person", **period)
    others = report(app, session, programme_slug="trainer-of-trainers", **period)
    assert others.practice_minutes == 45
    assert everything.practice_minutes == support.practice_minutes + others.practice_minutes
    assert everything.clients == support.clients + others.clients
    assert everything.people_trained == support.people_trained + others.people_trained
    assert sorted(line.cohort.name for line in everything.cohorts) == sorted(
        line.cohort.name for line in support.cohorts + others.cohorts
    )
    for month in set(everything.months) | set(support.months) | set(others.months):
        assert everything.months.get(month, 0) == (
            support.months.get(month, 0) + others.months.get(month, 0)
        )


def test_a_client_under_two_groups_counts_once_in_each_and_once_in_all(app, session, world):  # noqa: F811
    from lms.practice.models import PracticeRevision
    from lms.reports.funder import OTHER_GROUPS

    a, t1, trainer = world["a"], world["t1"], world["trainer"]
    with app.app_context():
        # the child t1 and t2 support together (refugee-child), now also seen with the family
        make_practice(
            session, a, t1, approve_by=trainer, client_code="UA-CH-01", client_group="family",
            minutes=20,
        )  # fmt: skip
        # a client under two groups that no programme names any more
        for minutes in (10, 15):
            make_practice(session, a, t1, approve_by=trainer, client_code="Z-9", minutes=minutes)
    session.execute(
        sa.update(PracticeRevision)
        .where(PracticeRevision.client_key == "z-9", PracticeRevision.minutes == 10)
        .values(client_group="gone-one")
    )
    session.execute(
        sa.update(PracticeRevision)
        .where(PracticeRevision.client_key == "z-9", PracticeRevision.minutes == 15)
        .values(client_group="gone-two")
    )
    session.commit()
    figures = report(app, session)
    assert figures.clients == 5  # four as before, and Z-9
    assert figures.practice_minutes == 345 + 20 + 25
    assert (figures.refugee_clients, figures.child_clients, figures.refugee_child_clients) == (
        3,
        2,
        2,
    )
    groups = {line.slug: (line.clients, line.minutes) for line in figures.groups}
    assert groups == {
        "refugee-child": (2, 255),
        "refugee-adult": (1, 30),
        "family": (2, 80),
        OTHER_GROUPS: (1, 25),
    }
    line_a = next(line for line in figures.cohorts if line.cohort.name == "Group A")
    assert (line_a.clients, line_a.practice_minutes) == (4, 300 + 20 + 25)
