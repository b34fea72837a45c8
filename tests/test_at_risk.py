"""Who is at risk, and what they are told: nobody before their cohort starts, hours not yet
scheduled are not hours out of reach, and an at-risk trainee learns what they can do.

The register's ledger (``build_matrix``) and the home pages' batched one (``cohort_ledgers``)
must agree on every case."""

from datetime import UTC, date, datetime, timedelta

import pytest

from lms.attendance.ledger import build_matrix
from lms.attendance.models import AttendanceRecord
from lms.auth.models import Role
from lms.config import REPOSITORY_ROOT
from lms.dashboard.ledgers import cohort_ledgers
from lms.programmes.loader import load_programmes
from tests.factories import login, make_cohort, make_session, make_user

BASIC = load_programmes(REPOSITORY_ROOT).get("support-person")
TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def both_ledgers(session, cohort, today=TODAY):
    """The trainee ledgers from the register's builder and from the batched one, which agree."""
    from lms.cohorts.sessions import cohort_sessions

    matrix = build_matrix(
        session, cohort, BASIC, cohort_sessions(session, cohort.id), now=NOW, today=today
    )
    batched = cohort_ledgers(session, [(cohort, BASIC)], today=today)[cohort.id]
    figures = [
        [(line.credited, line.achievable, line.unscheduled, line.state) for line in ledger.lines]
        + [ledger.risks]
        for ledger in matrix.ledgers
    ]
    assert figures == [
        [(line.credited, line.achievable, line.unscheduled, line.state) for line in ledger.lines]
        + [ledger.risks]
        for ledger in batched
    ]
    return matrix.ledgers


def test_nobody_is_at_risk_before_the_cohort_starts(session):
    trainee = make_user(session)
    coming = make_cohort(
        session, trainees=(trainee,), starts_on=date(2026, 12, 7), ends_on=date(2027, 3, 1)
    )
    (ledger,) = both_ledgers(session, coming)
    assert ledger.risks == [] and not ledger.at_risk
    assert [line.state for line in ledger.lines] == ["unscheduled", "unscheduled"]
    # Even with a few sessions already in its schedule, still nobody is at risk.
    make_session(session, coming, starts_at=datetime(2026, 12, 8, 8, tzinfo=UTC), minutes=180)
    (ledger,) = both_ledgers(session, coming)
    assert ledger.risks == []


def test_hours_not_yet_scheduled_are_not_out_of_reach(session):
    trainee = make_user(session)
    running = make_cohort(
        session, trainees=(trainee,), starts_on=date(2026, 11, 2), ends_on=date(2027, 2, 1)
    )
    (ledger,) = both_ledgers(session, running)  # started, and no session at all yet
    assert ledger.risks == []
    part_one = ledger.lines[0]
    assert part_one.state == "unscheduled" and part_one.unscheduled == 1500
    make_session(session, running, starts_at=NOW + timedelta(days=3), minutes=600)
    (ledger,) = both_ledgers(session, running)
    assert ledger.lines[0].unscheduled == 900 and ledger.lines[0].state == "unscheduled"
    assert ledger.risks == []


def test_missed_hours_put_a_trainee_at_risk_once_no_schedule_can_make_up(session):
    trainee = make_user(session)
    running = make_cohort(
        session, trainees=(trainee,), starts_on=date(2026, 11, 2), ends_on=date(2027, 2, 1)
    )
    missed = make_session(session, running, starts_at=NOW - timedelta(days=7), minutes=240)
    session.add(AttendanceRecord(session_id=missed.id, user_id=trainee.id, mark="absent",
                                 credited_minutes=0))  # fmt: skip
    session.commit()
    # 240 of the 1500 syllabus minutes missed: 1260 are still open, 1200 are needed.
    (ledger,) = both_ledgers(session, running)
    assert ledger.lines[0].state == "unscheduled" and "unreachable:support-role" not in ledger.risks
    more = make_session(session, running, starts_at=NOW - timedelta(days=6), minutes=120)
    session.add(AttendanceRecord(session_id=more.id, user_id=trainee.id, mark="absent",
                                 credited_minutes=0))  # fmt: skip
    session.commit()
    # 360 missed: at most 1140 of the 1200 minutes needed can still be reached.
    (ledger,) = both_ledgers(session, running)
    assert ledger.lines[0].state == "unreachable"
    assert ledger.lines[0].reachable_minutes == 1140
    assert "unreachable:support-role" in ledger.risks
    # After the cohort's end nothing more can be scheduled: what is missing is out of reach.
    (ledger,) = both_ledgers(session, running, today=date(2027, 2, 2))
    assert ledger.lines[1].state == "unreachable"


@pytest.fixture
def coming_cohort(session):
    """A trainee in a cohort starting next month with nothing scheduled yet."""
    trainee = make_user(session, display_name="Olena Koval")
    cohort = make_cohort(
        session,
        trainees=(trainee,),
        starts_on=date.today() + timedelta(days=30),
        ends_on=date.today() + timedelta(days=120),
    )
    return trainee, cohort


def test_a_trainee_of_a_coming_cohort_sees_no_alarm(client, coming_cohort):
    trainee, cohort = coming_cohort
    login(client, trainee)
    for url in (
        "/",
        f"/cohorts/{cohort.id}/",
        f"/attendance/cohorts/{cohort.id}/trainees/{trainee.id}",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "cannot be reached" not in page and "at risk" not in page.lower(), url
        assert "tag-risk" not in page, url
        assert "25 h not yet scheduled" in page, url


def test_an_at_risk_trainee_is_told_what_they_can_do(client, session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm", email="tiina@example.org")
    other_trainer = make_user(session, Role.TRAINER, display_name="Priit Pärn")
    trainee = make_user(session, display_name="Olena Koval")
    now = datetime.now(UTC)
    cohort = make_cohort(
        session,
        name="Group 1",
        trainers=(trainer,),
        trainees=(trainee,),
        starts_on=date.today() - timedelta(days=30),
        ends_on=date.today() + timedelta(days=60),
    )
    missed = make_session(session, cohort, starts_at=now - timedelta(days=3), minutes=400)
    session.add(AttendanceRecord(session_id=missed.id, user_id=trainee.id, mark="absent",
                                 credited_minutes=0))  # fmt: skip
    other = make_cohort(session, name="Group 2", trainers=(other_trainer,))
    make_session(session, other, title="Make-up: roles", starts_at=now + timedelta(days=5))
    make_session(session, other, title="Already held", starts_at=now - timedelta(days=5))
    make_session(session, other, title="Called off", starts_at=now + timedelta(days=6),
                 cancelled_at=now, cancel_reason="Ill")  # fmt: skip
    make_session(session, other, title="Other part", category="care-practice",
                 starts_at=now + timedelta(days=7))  # fmt: skip
    foreign = make_cohort(session, "regional-thematic", name="Elsewhere")
    make_session(session, foreign, title="Another programme", category="addiction",
                 starts_at=now + timedelta(days=5))  # fmt: skip
    login(client, trainee)
    for url in (
        "/",
        f"/cohorts/{cohort.id}/",
        f"/attendance/cohorts/{cohort.id}/trainees/{trainee.id}",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "Make-up: roles" in page and "Group 2" in page, url
        for absent in ("Already held", "Called off", "Other part", "Another programme"):
            assert absent not in page, (url, absent)
        assert "Tiina Tamm" in page and "mailto:tiina@example.org" in page, url
