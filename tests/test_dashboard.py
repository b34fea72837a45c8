"""The home page of each role: the figures each section shows (the domain functions and the
page), the batched ledgers against the register's, SQL counts that do not grow with the data,
one trainee never seeing another's figures, and the empty states."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from lms.attendance.ledger import build_matrix
from lms.attendance.models import AttendanceRecord
from lms.auth.models import Role
from lms.certificates.models import Status
from lms.cohorts.models import Enrolment, EnrolmentStatus
from lms.cohorts.sessions import cohort_sessions, local_datetime
from lms.config import REPOSITORY_ROOT
from lms.courses.loader import load_catalog
from lms.courses.models import LessonCompletion
from lms.courses.services import completed_lessons, get_catalog
from lms.dashboard.coordinator import coordinator_home
from lms.dashboard.ledgers import cohort_ledgers
from lms.dashboard.trainee import trainee_home
from lms.dashboard.trainer import trainer_home
from lms.i18n import local_today
from lms.programmes.services import get_programme, get_programmes
from lms.quizzes.models import QuizAttempt, QuizResponse
from tests.factories import (
    count_queries,
    login,
    make_certificate,
    make_cohort,
    make_practice,
    make_quiz,
    make_session,
    make_user,
)

ZONE = "Europe/Tallinn"


@pytest.fixture
def request_context(app):
    """For the domain functions (the page tests' client pushes its own)."""
    with app.test_request_context():
        yield


def mark(session, item, user, minutes, value="present"):
    session.add(
        AttendanceRecord(session_id=item.id, user_id=user.id, mark=value, credited_minutes=minutes)
    )
    session.commit()


def attempt(session, slug, user, cohort, score=1.0, essay=False):
    """A submitted attempt; with ``essay``, one essay answer waits for a grade."""
    number = 1 + session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(
            QuizAttempt.user_id == user.id, QuizAttempt.quiz_slug == slug
        )
    )
    moment = datetime.now(UTC) - timedelta(days=1)
    row = QuizAttempt(
        quiz_slug=slug,
        user_id=user.id,
        cohort_id=cohort.id,
        number=number,
        version="test",
        layout=[],
        started_at=moment,
        submitted_at=moment,
        score=score,
        awaiting_grading=essay,
    )
    session.add(row)
    session.flush()
    if essay:
        session.add(QuizResponse(attempt_id=row.id, question_key="essay", answer={"text": "…"}))
    session.commit()
    return row


def at(day: date, hour: int = 10) -> datetime:
    return local_datetime(day, time(hour), ZONE)


@pytest.fixture
def world(app, session):
    """Two running cohorts of one trainer, one of another trainer, one ended a month ago and
    one ended long ago; attendance, a make-up session, practice, quizzes and lessons."""
    with app.app_context():
        return build_world(session)


def build_world(session):
    day, now = local_today(), datetime.now(UTC)
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    other_trainer = make_user(session, Role.TRAINER, display_name="Toomas Tali")
    coordinator = make_user(session, Role.COORDINATOR, display_name="Kadri Kask")
    ann, bert, xena, yuri, zoe = (
        make_user(session, display_name=name)
        for name in ("Ann Aru", "Bert Bork", "Xena Xu", "Yuri Yes", "Zoe Zorro")
    )
    end = day + timedelta(days=60)

    def group(name, trainers=(), trainees=(), starts_on=date(2026, 9, 1), ends_on=end):
        return make_cohort(session, name=name, trainers=trainers, trainees=trainees,
                           starts_on=starts_on, ends_on=ends_on)  # fmt: skip

    alpha = group("Alpha group", (trainer,), (ann, bert))
    beta = group("Beta group", (trainer,), (xena,))
    gamma = group("Gamma group", (other_trainer,), (yuri,))
    done = group(
        "Done group", (trainer,), (zoe,), day - timedelta(days=200), day - timedelta(days=30)
    )
    group("Old group", (), (), day - timedelta(days=600), day - timedelta(days=400))

    first = make_session(session, alpha, starts_at=now - timedelta(days=2), minutes=180)
    second = make_session(
        session, alpha, category="care-practice", starts_at=now - timedelta(days=3), minutes=180
    )
    soon = make_session(
        session,
        alpha,
        title="Boundaries in practice",
        place="Võru library",
        starts_at=at(day + timedelta(days=1)),
        minutes=180,
    )
    soon.lessons = ["support-role/boundaries-and-ethics", "care-methodology/the-personal-profile"]
    called_off = make_session(
        session,
        alpha,
        title="Called-off meeting",
        minutes=120,
        starts_at=at(day + timedelta(days=2)),
        cancelled_at=now,
        cancel_reason="The trainer is ill",
    )
    for number, category in enumerate(["care-practice", "support-role"] * 2):
        make_session(
            session,
            alpha,
            category=category,
            minutes=600,
            online_url="https://meet.example/x",
            starts_at=at(day + timedelta(days=10 + number)),
        )
    make_session(session, beta, title="Workshop today", starts_at=at(day, 12), minutes=60)
    # Xena missed six hours of part 1: even the whole syllabus can no longer make up for it
    missed = make_session(session, beta, starts_at=now - timedelta(days=5), minutes=360)
    make_up = make_session(session, gamma, starts_at=now - timedelta(days=4), minutes=90)
    mark(session, first, ann, 180)
    mark(session, second, ann, 180)
    mark(session, make_up, ann, 90)  # a make-up session in another cohort of the programme
    mark(session, called_off, ann, 120)  # a cancelled session's mark never counts
    mark(session, first, bert, 0, "absent")
    mark(session, missed, xena, 0, "absent")

    make_practice(session, alpha, ann, approve_by=trainer, minutes=120)
    make_practice(session, alpha, ann, minutes=60)
    make_practice(session, alpha, bert, minutes=90)
    make_practice(session, gamma, yuri, minutes=45)
    attempt(session, "support-role-final", ann, alpha)
    attempt(session, "care-methodology-final", bert, alpha, score=0.5, essay=True)
    attempt(session, "care-methodology-final", yuri, gamma, score=0.5, essay=True)
    session.add(
        LessonCompletion(
            user_id=ann.id, course_slug="support-role", lesson_slug="boundaries-and-ethics"
        )
    )
    session.execute(
        sa.update(Enrolment)
        .where(Enrolment.user_id == zoe.id)
        .values(status=EnrolmentStatus.COMPLETED)
    )
    session.commit()
    certificate = make_certificate(session, done, zoe, issued_on=day - timedelta(days=31))
    return {
        "trainer": trainer,
        "other_trainer": other_trainer,
        "coordinator": coordinator,
        "ann": ann,
        "bert": bert,
        "xena": xena,
        "yuri": yuri,
        "zoe": zoe,
        "alpha": alpha,
        "beta": beta,
        "gamma": gamma,
        "done": done,
        "soon": soon,
        "certificate": certificate,
    }


def home_of(session, user):
    catalog = get_catalog()
    return trainee_home(
        session,
        user.id,
        get_programmes(),
        catalog,
        completed_lessons(session, user.id),
        now=datetime.now(UTC),
        today=local_today(),
    )


def test_the_trainee_sees_where_they_stand(session, world, request_context):
    home = home_of(session, world["ann"])
    assert home.finished == [] and [item.cohort.name for item in home.active] == ["Alpha group"]
    item = home.active[0]
    lines = [(line.category.slug, line.credited, line.required) for line in item.check.ledger.lines]
    assert lines == [("support-role", 270, 1200), ("care-practice", 180, 1200)]
    assert [s.title for s in item.sessions] == [
        "Boundaries in practice",
        "Called-off meeting",
        item.sessions[2].title,
    ]
    assert item.sessions[1].cancelled and item.sessions[2].minutes == 600
    assert [(row.lesson.slug, row.before is not None) for row in item.lessons] == [
        ("the-personal-profile", True),  # for tomorrow's session; boundaries is read
        ("confidentiality-and-data-protection", False),
        ("vulnerability-and-crisis-signals", False),
    ]
    assert [(q.quiz.slug, q.in_progress, q.waiting) for q in item.quizzes] == [
        ("care-methodology-final", False, False)  # the other one is passed
    ]
    assert item.practice.totals.approved_minutes == 120
    assert item.practice.totals.pending_minutes == 60 and item.practice.remaining_minutes == 480
    assert (item.check.met_count, len(item.check.requirements)) == (4, 10)
    assert item.check.certificate is None


def test_an_essay_waiting_and_a_completed_enrolment_with_its_certificate(
    session, world, request_context
):
    bert = home_of(session, world["bert"]).active[0]
    assert [(q.quiz.slug, q.waiting) for q in bert.quizzes] == [
        ("support-role-final", False),
        ("care-methodology-final", True),
    ]
    assert bert.practice.totals.approved_minutes == 0 and bert.practice.totals.pending_minutes == 90
    zoe = home_of(session, world["zoe"])
    assert zoe.active == [] and zoe.enrolled
    assert [(f.enrolment.cohort.name, f.certificate.code) for f in zoe.finished] == [
        ("Done group", world["certificate"].code)
    ]


def test_the_trainer_sees_what_waits_in_their_own_cohorts(session, world, request_context):
    home = trainer_home(session, world["trainer"], get_programmes(), today=local_today(), zone=ZONE)
    assert home.cohorts == 3
    assert [s.title for s in home.today] == ["Workshop today"]
    assert [s.title for s in home.coming] == ["Boundaries in practice"]  # not the cancelled one
    assert [(cohort.name, count) for cohort, count in home.practice] == [("Alpha group", 2)]
    assert home.essays == 1  # Yuri's essay is another trainer's
    assert [
        (row.cohort.name, row.ledger.user.display_name, row.ledger.risks) for row in home.at_risk
    ] == [
        ("Alpha group", "Bert Bork", ["attendance"]),
        ("Beta group", "Xena Xu", ["unreachable:support-role", "attendance"]),
    ]


def test_the_coordinator_sees_cohorts_at_a_glance(session, world, request_context):
    home = coordinator_home(session, get_programmes(), today=local_today())
    rows = [
        (r.cohort.name, r.phase, r.size, r.percent, r.at_risk, r.certificates) for r in home.cohorts
    ]
    assert home.total == 4  # the old group ended too long ago
    assert rows == [
        ("Gamma group", "running", 1, 0, 0, 0),  # Yuri's hours are not yet scheduled
        ("Beta group", "running", 1, 0, 1, 0),
        ("Alpha group", "running", 2, 9, 1, 0),  # (270 + 180) of 4 x 1200 minutes
        ("Done group", "ended", 1, 0, 0, 1),
    ]
    shorter = coordinator_home(session, get_programmes(), today=local_today(), limit=2)
    assert len(shorter.cohorts) == 2 and shorter.total == 4


def test_batched_ledgers_match_the_register(session, world, request_context):
    cohorts = [world[name] for name in ("alpha", "beta", "gamma", "done")]
    batched = cohort_ledgers(
        session, [(c, get_programme(c.programme_slug)) for c in cohorts], today=local_today()
    )

    def figures(ledgers):
        return [
            (
                ledger.user.id,
                ledger.status,
                ledger.held_minutes,
                ledger.credited_minutes,
                [(line.credited, line.achievable, line.unscheduled) for line in ledger.lines],
                ledger.risks,
            )
            for ledger in ledgers
        ]

    for cohort in cohorts:
        programme = get_programme(cohort.programme_slug)
        sessions = cohort_sessions(session, cohort.id)
        matrix = build_matrix(session, cohort, programme, sessions, today=local_today())
        assert figures(batched[cohort.id]) == figures(matrix.ledgers), cohort.name
    # for figures per cohort (the coordinator's home) the people are not read: the same
    # ledgers, each without its person
    unnamed = cohort_ledgers(
        session,
        [(c, get_programme(c.programme_slug)) for c in cohorts],
        today=local_today(),
        named=False,
    )
    for cohort in cohorts:
        assert {ledger.user for ledger in unnamed[cohort.id]} == {None}
        assert sorted(row[1:] for row in figures(batched[cohort.id])) == sorted(
            (
                ledger.status,
                ledger.held_minutes,
                ledger.credited_minutes,
                [(line.credited, line.achievable, line.unscheduled) for line in ledger.lines],
                ledger.risks,
            )
            for ledger in unnamed[cohort.id]
        ), cohort.name


def page(client, user) -> str:
    login(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_trainee_page(client, world):
    text = page(client, world["ann"])
    assert "Alpha group" in text and "4.5 of 20 h" in text and "3 of 20 h" in text
    assert "Boundaries in practice" in text and "Võru library" in text
    assert "Called-off meeting" in text and "The trainer is ill" in text
    assert "/courses/care-methodology/the-personal-profile" in text
    assert "/quizzes/care-methodology-final" in text and "/quizzes/support-role-final" not in text
    assert "2 of 10 h" in text and "1 h more are waiting for a trainer" in text
    assert "4 of 10 requirements met" in text and "Final sign-off by a trainer" in text
    courses = load_catalog(REPOSITORY_ROOT).courses
    support_role = next(c for c in courses if c.slug == "support-role")
    assert f"1 of {len(support_role.lessons)} lessons" in text  # the courses, smaller, below
    assert "Your teaching" not in text and "Cohorts at a glance" not in text


def test_the_trainer_page(client, world):
    text = page(client, world["trainer"])
    soon = world["soon"]
    assert "Workshop today" in text and f"/attendance/sessions/{soon.id}" in text
    assert f'/practice/queue?cohort={world["alpha"].id}">2 entries wait' in text
    assert "1 essay waits for a grade" in text and "/quizzes/grading" in text
    assert "Bert Bork" in text and "attended 0% of the hours held, below the minimum of 80%" in text
    assert "Xena Xu" in text and "Part 1: the support person&#39;s role can no longer be" in text
    assert "Yuri" not in text and "Your training" not in text


def test_the_coordinator_page(client, world):
    text = page(client, world["coordinator"])
    assert "Cohorts at a glance" in text and "People and roles" in text
    assert text.index("Gamma group") < text.index("Alpha group") < text.index("Done group")
    assert 'value="9"' in text and "9%" in text
    assert f'/certificates/cohorts/{world["done"].id}">1</a>' in text
    assert "Old group" not in text


def test_a_trainee_never_sees_another_trainees_data(client, world):
    text = page(client, world["ann"])
    for other in ("Bert", "Xena", "Yuri", "Zoe", world["certificate"].code, "Trainees at risk"):
        assert other not in text, other
    text = page(client, world["bert"])
    assert "4.5 of 20 h" not in text and "Ann Aru" not in text and "2 of 10 h" not in text
    assert "0 of 10 h" in text and "1.5 h more are waiting" in text
    text = page(client, world["zoe"])
    assert world["certificate"].code in text and "Completed" in text and "Alpha" not in text


def test_sections_follow_the_roles_a_person_holds(client, session, world):
    everyone = make_user(session, Role.TRAINEE, Role.TRAINER, Role.COORDINATOR)
    session.add(Enrolment(cohort_id=world["gamma"].id, user_id=everyone.id))
    session.commit()
    text = page(client, everyone)
    assert text.index("Your training") < text.index("Your teaching") < text.index("Coordination")
    not_enrolled = make_user(session, Role.TRAINEE, Role.TRAINER)
    text = page(client, not_enrolled)
    assert text.index("Your teaching") < text.index("Your training")
    assert "You are not in any cohort yet" in text


def test_empty_states(app, client, session):
    text = page(client, make_user(session))
    assert "You are not in any cohort yet" in text and "Your courses" in text
    trainer = make_user(session, Role.TRAINER)
    text = page(client, trainer)
    assert "You do not train any cohort yet" in text
    assert "Your training" not in text and "Your courses" not in text
    with app.app_context():
        day = local_today()
    make_cohort(
        session,
        trainers=(trainer,),
        trainees=(make_user(session),),
        starts_on=day + timedelta(days=30),
        ends_on=day + timedelta(days=90),
    )
    text = page(client, trainer)
    assert text.count("Nothing waiting.") == 2
    assert "No sessions today or in the next 7 days." in text
    assert "Nobody is at risk in your running cohorts." in text
    text = page(client, make_user(session, Role.COORDINATOR))
    assert "Cohorts at a glance" in text and "People and roles" in text
    assert "0 / " not in text and "Every cohort" in text


def populate(session, trainer, cohorts: int, trainees: int, scale: int):
    """``cohorts`` running cohorts of ``trainer`` with ``trainees`` each: marks in ``3 * scale``
    held sessions, two sessions this week, ``scale`` practice entries signed off and as many
    waiting, quizzes passed and an essay waiting."""
    day, now = local_today(), datetime.now(UTC)
    people = []
    categories = ("support-role", "care-practice", "support-role") * scale
    for number in range(cohorts):
        group = [make_user(session) for _ in range(trainees)]
        people += group
        cohort = make_cohort(
            session,
            trainers=(trainer,),
            trainees=tuple(group),
            starts_on=date(2026, 9, 1),
            ends_on=day + timedelta(days=60),
        )
        held = [
            make_session(
                session,
                cohort,
                category=category,
                minutes=120,
                starts_at=now - timedelta(days=number + 2, hours=hour),
            )
            for hour, category in enumerate(categories)
        ]
        for offset in (0, 3):
            make_session(session, cohort, starts_at=at(day + timedelta(days=offset), 18))
        for person in group:
            for item in held:
                session.add(
                    AttendanceRecord(
                        session_id=item.id, user_id=person.id, mark="present", credited_minutes=120
                    )
                )
            session.commit()
            for _ in range(scale):
                make_practice(session, cohort, person, approve_by=trainer, minutes=60)
                make_practice(session, cohort, person, minutes=30)
                attempt(session, "support-role-final", person, cohort, score=0.5)
            attempt(session, "care-methodology-final", person, cohort, score=0.4, essay=True)
    return people


def finished_enrolments(session, trainee, count: int) -> None:
    """``count`` completed enrolments of ``trainee``, each with its certificate."""
    for number in range(count):
        cohort = make_cohort(
            session,
            trainees=(trainee,),
            starts_on=date(2025, 1, 1 + number),
            ends_on=date(2025, 6, 30),
        )
        session.execute(
            sa.update(Enrolment)
            .where(Enrolment.cohort_id == cohort.id)
            .values(status=EnrolmentStatus.COMPLETED)
        )
        make_certificate(
            session,
            cohort,
            trainee,
            issued_on=date(2025, 7, 1 + number),
            status=Status.VALID if number == count - 1 else Status.SUPERSEDED,
        )


def test_home_pages_make_the_same_number_of_statements_for_more_data(
    app, client, connection, session
):
    trainer = make_user(session, Role.TRAINER)
    coordinator = make_user(session, Role.COORDINATOR)
    counts = []
    for cohorts, trainees, scale in ((1, 2, 1), (4, 8, 3)):
        with app.app_context():
            trainee = populate(session, trainer, cohorts, trainees, scale)[0]
            for _ in range(scale - 1):  # uploaded quizzes are not read for the checklist
                make_quiz(session)
        finished_enrolments(session, trainee, scale)
        row = []
        for person in (trainee, trainer, coordinator):
            login(client, person)
            client.get("/")  # anything done once per process is done
            with count_queries(connection) as statements:
                assert client.get("/").status_code == 200
            row.append(len(statements))
        counts.append(row)
    print("SQL statements (trainee, trainer, coordinator):", counts)
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 12 and counts[0][1] <= 9 and counts[0][2] <= 8, counts


def test_the_cohort_that_meets_next_comes_first(session, request_context):
    """A person taking two programmes sees first the cohort whose next session is soonest,
    whichever they joined last; a cohort with nothing scheduled comes after."""
    person = make_user(session)
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    meets_next = make_cohort(session, "language-partner", name="Meets next", trainees=(person,))
    make_session(session, meets_next, starts_at=soon - timedelta(days=9), title="Held")
    make_session(session, meets_next, starts_at=soon, title="Next")
    meets_later = make_cohort(session, "adaptation-mentor", name="Meets later", trainees=(person,))
    make_session(session, meets_later, starts_at=soon + timedelta(days=5))
    called_off = make_session(session, meets_later, starts_at=soon - timedelta(hours=1))
    called_off.cancelled_at = datetime.now(UTC)  # no reason to come first
    make_cohort(session, "peer-counsellor", name="Nothing yet", trainees=(person,))
    session.commit()
    home = home_of(session, person)
    shown = [item.cohort.name for item in home.active]
    assert shown == ["Meets next", "Meets later", "Nothing yet"]
