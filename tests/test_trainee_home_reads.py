"""The trainee's home reads the enrolment, the cohort's sessions, the lessons read and the quiz
results once and hands them to the certificate checklist: the checklist it gets is the one the
checklist reads alone, someone taking a programme again still has every earlier attempt counted
for whether a quiz is open, and a check-in opens in a cohort whose programme file is missing."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lms.auth.models import Role
from lms.certificates.eligibility import cohort_eligibility
from lms.certificates.models import Certificate, Status
from lms.certificates.queries import expiring, expiring_among
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.i18n import local_today
from lms.programmes.services import get_programme
from tests.factories import (
    count_queries,
    login,
    make_certificate,
    make_cohort,
    make_session,
    make_user,
)
from tests.test_dashboard import attempt, build_world, home_of


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def _lines(check):
    return [
        (line.kind, str(line.label), line.met, line.done, line.needed, line.unit, line.detail)
        for line in check.requirements
    ]


def test_the_checklist_on_the_home_is_the_checklist_read_alone(app, session, request_context):
    world = build_world(session)
    compared = 0
    for name in ("ann", "bert", "yuri"):
        for item in home_of(session, world[name]).active:
            alone = cohort_eligibility(
                session, item.cohort, item.programme, user_id=world[name].id
            )[world[name].id]
            assert _lines(item.check) == _lines(alone)
            assert item.check.results == alone.results and item.check.since == alone.since
            assert [
                (line.category.slug, line.credited, line.achievable, line.unscheduled)
                for line in item.check.ledger.lines
            ] == [
                (line.category.slug, line.credited, line.achievable, line.unscheduled)
                for line in alone.ledger.lines
            ]
            assert item.check.ledger.risks == alone.ledger.risks
            compared += 1
    assert compared == 3


def test_taking_a_programme_again_counts_every_attempt_for_an_open_quiz(
    app, session, request_context
):
    """The checklist counts only the attempts since the earlier certificate; whether a new
    attempt may start counts them all (support-role-final allows three)."""
    day = local_today()
    person = make_user(session)
    earlier = make_cohort(
        session, trainees=(person,), starts_on=date(2025, 1, 1), ends_on=date(2025, 6, 30)
    )
    for _ in range(3):
        attempt(session, "support-role-final", person, earlier, score=0.9)
    session.execute(
        sa.update(Enrolment)
        .where(Enrolment.cohort_id == earlier.id)
        .values(status=EnrolmentStatus.COMPLETED)
    )
    make_certificate(session, earlier, person, issued_on=day)  # issued after the attempts
    again = make_cohort(
        session,
        trainees=(person,),
        starts_on=day - timedelta(days=10),
        ends_on=day + timedelta(days=60),
    )
    home = home_of(session, person)
    (item,) = home.active
    assert item.cohort.id == again.id
    assert item.check.since is not None and "support-role-final" not in item.check.results
    line = next(line for line in item.check.requirements if line.detail == "support-role-final")
    assert not line.met
    # all three attempts used: the quiz is not offered, although the checklist lacks it
    assert "support-role-final" not in [q.quiz.slug for q in item.quizzes]
    assert "care-methodology-final" in [q.quiz.slug for q in item.quizzes]


def test_a_check_in_opens_in_a_cohort_whose_programme_is_missing(app, client, session):
    person = make_user(session, Role.TRAINEE)
    with app.app_context():
        day, now = local_today(), datetime.now(UTC)
    running = make_cohort(
        session, trainees=(person,), starts_on=day - timedelta(days=5), ends_on=day
    )
    lost = make_cohort(session, trainees=(person,), starts_on=day - timedelta(days=5), ends_on=day)
    session.execute(sa.update(Cohort).where(Cohort.id == lost.id).values(programme_slug="gone"))
    session.commit()
    item = make_session(
        session, lost, title="Evening in the lost cohort", starts_at=now - timedelta(minutes=5)
    )
    make_session(
        session, running, title="Later in the running one", starts_at=now + timedelta(hours=5)
    )
    with app.test_request_context():
        home = home_of(session, person)
        assert [entry.cohort_id for entry in home.unavailable] == [lost.id]
        assert [entry.item.id for entry in home.on_now] == [item.id]
    login(client, person)
    assert "Evening in the lost cohort" in client.get("/").get_data(as_text=True)


def test_the_expiry_banner_from_the_certificates_read_is_the_one_read_alone(app, session):
    """``expiring_among`` over a person's certificates is ``expiring`` of that person: valid
    only, expiry after today and within the warning days, soonest first."""
    person, other = make_user(session), make_user(session)
    day = date(2029, 8, 1)
    ends = [day, day + timedelta(days=1), day + timedelta(days=30), day + timedelta(days=90),
            day + timedelta(days=91), day - timedelta(days=3)]  # fmt: skip
    for number, expires_on in enumerate(ends):
        for status in (Status.VALID, Status.REVOKED, Status.SUPERSEDED):
            for holder in (person, other):
                cohort = make_cohort(
                    session, trainees=(holder,), starts_on=date(2026, 1, 1 + number)
                )
                make_certificate(
                    session, cohort, holder, issued_on=date(2026, 7, 1), expires_on=expires_on,
                    status=status, programme_slug=f"programme-{number}",  # one valid of each
                )  # fmt: skip
    held = list(session.scalars(sa.select(Certificate).where(Certificate.user_id == person.id)))
    assert len(held) == 18
    for today in (day - timedelta(days=1), day, day + timedelta(days=1), day + timedelta(days=60)):
        for days in (0, 1, 30, 90):
            alone = expiring(session, today, days, person.id)
            assert expiring_among(held, today, days) == alone
    assert [c.expires_on for c in expiring(session, day, 90, person.id)] == ends[1:4]


def test_a_programme_without_practice_or_sign_off_reads_neither(app, session, connection):
    """The checklist of regional-thematic (no supervised practice, no final sign-off) does not
    read the practice log nor the sign-offs; support-person's reads both."""
    person = make_user(session)
    plain = make_cohort(session, "regional-thematic", trainees=(person,))
    full = make_cohort(session, "support-person", trainees=(person,))
    read = {}
    with app.test_request_context():
        for cohort in (plain, full):
            programme = get_programme(cohort.programme_slug)
            with count_queries(connection) as statements:
                check = cohort_eligibility(session, cohort, programme, user_id=person.id)[person.id]
            read[cohort.programme_slug] = " ".join(statements)
            kinds = {line.kind for line in check.requirements}
            assert ({"sign_off", "practice_hours"} <= kinds) == (cohort is full)
    assert "final_sign_offs" not in read["regional-thematic"]
    assert "practice_revisions" not in read["regional-thematic"]
    assert "final_sign_offs" in read["support-person"]
    assert "practice_revisions" in read["support-person"]
