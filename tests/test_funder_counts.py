"""The funder report's people and alumni where a person is counted once across several rows:
people in two cohorts, alumni with two certificates, follow-ups of people outside the report."""

from datetime import date

import pytest
import sqlalchemy as sa

from lms.alumni import services as alumni
from lms.auth.models import Role
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.programmes.services import get_programmes
from lms.reports.funder import NOT_ASKED, ReportFilter, funder_report
from tests.factories import make_certificate, make_cohort, make_user

TODAY = date(2026, 10, 20)


def _status(session, cohort, user, status):
    session.execute(
        sa.update(Enrolment)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id)
        .values(status=status)
    )
    session.commit()


def report(app, session, **chosen):
    with app.app_context():
        return funder_report(session, ReportFilter(**chosen), list(get_programmes()), TODAY)


@pytest.fixture
def twice(app, session):
    return build_twice(app, session)


def build_twice(app, session):
    """North (2025, ended) and South (2026, ended): Kalle completed both, Liis completed North
    and withdrew from South, Mart withdrew from North and is still active in South, Nele took
    South only and never finished."""
    coordinator = make_user(session, Role.COORDINATOR)
    kalle = make_user(session, display_name="Kalle", municipality="Tartu linn")
    liis = make_user(session, display_name="Liis", municipality="tartu linn ")
    mart = make_user(session, display_name="Mart", municipality="Elva vald")
    nele = make_user(session, display_name="Nele", municipality="Elva vald")
    with app.app_context():
        north = make_cohort(
            session, trainees=(kalle, liis, mart), name="North", region="North",
            starts_on=date(2025, 2, 1), ends_on=date(2025, 6, 30),
        )  # fmt: skip
        south = make_cohort(
            session, trainees=(kalle, liis, mart, nele), name="South", region="South",
            starts_on=date(2026, 2, 1), ends_on=date(2026, 6, 30),
        )  # fmt: skip
        for cohort, person, status in (
            (north, kalle, EnrolmentStatus.COMPLETED),
            (north, liis, EnrolmentStatus.COMPLETED),
            (north, mart, EnrolmentStatus.WITHDRAWN),
            (south, kalle, EnrolmentStatus.COMPLETED),
            (south, liis, EnrolmentStatus.WITHDRAWN),
        ):
            _status(session, cohort, person, status)
        # Kalle's first certificate was superseded by the second: one alumnus, two certificates.
        make_certificate(session, north, kalle, issued_on=date(2025, 7, 7), status="superseded")
        make_certificate(session, south, kalle, issued_on=date(2026, 7, 7))
        make_certificate(session, north, liis, issued_on=date(2025, 7, 7))
        alumni.record_follow_up(
            session, kalle, alumni.Answer("support_person", date(2026, 9, 1), "tugiisik"),
            coordinator, TODAY,
        )  # fmt: skip
        session.commit()
    return {"north": north, "south": south, "liis": liis, "coordinator": coordinator}


def test_a_person_in_two_cohorts_counts_once_and_completed_if_either_was(app, session, twice):
    figures = report(app, session)
    # Kalle, Liis (completed North), Mart (active in South), Nele; "Tartu linn" and
    # "tartu linn " are one municipality
    assert figures.people_trained == 4
    assert figures.municipalities == {"Tartu linn": (2, 2), "Elva vald": (2, 0)}
    assert (figures.enrolled_in_ended, figures.completed_in_ended, figures.withdrawn) == (7, 3, 2)


@pytest.mark.parametrize(
    ("chosen", "municipalities"),
    [
        ({"region": "North"}, {"Tartu linn": (2, 2)}),  # Mart withdrew from North
        ({"region": "South"}, {"Tartu linn": (1, 1), "Elva vald": (2, 0)}),
        ({"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}, {"Tartu linn": (2, 2)}),
        ({"date_from": date(2026, 1, 1)}, {"Tartu linn": (1, 1), "Elva vald": (2, 0)}),
    ],
)
def test_people_follow_the_cohorts_chosen(app, session, twice, chosen, municipalities):
    figures = report(app, session, **chosen)
    assert figures.municipalities == municipalities
    assert figures.people_trained == sum(people for people, _ in municipalities.values())


def test_an_alumnus_with_two_certificates_counts_once(app, session, twice):
    figures = report(app, session)
    assert figures.alumni == 2  # Kalle (two certificates) and Liis
    assert figures.employment["support_person"] == 1
    assert figures.employment[NOT_ASKED] == 1  # Liis has no follow-up
    assert figures.roles == {("support_person", "tugiisik"): 1}


def test_follow_ups_of_alumni_outside_the_report_or_revoked_are_left_out(app, session, twice):
    with app.app_context():
        alumni.record_follow_up(
            session, twice["liis"], alumni.Answer("other_work", date(2026, 9, 1)),
            twice["coordinator"], TODAY,
        )  # fmt: skip
        session.commit()
    # South: Kalle only; Liis earned hers in North and is followed up, but not this report's
    south = report(app, session, region="South")
    assert south.alumni == 1
    assert (south.employment["support_person"], south.employment["other_work"]) == (1, 0)
    assert south.employment[NOT_ASKED] == 0
    # Liis's certificate revoked: her follow-up is no longer an alumnus's
    from lms.certificates.models import Certificate

    session.execute(
        sa.update(Certificate)
        .where(Certificate.user_id == twice["liis"].id)
        .values(status="revoked")
    )
    session.commit()
    figures = report(app, session)
    assert figures.alumni == 1
    assert figures.employment["other_work"] == 0 and figures.employment[NOT_ASKED] == 0
