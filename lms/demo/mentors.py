"""A small group of another programme, so a visitor sees that Tugi runs more than one: six
alumni of the local-community group trained as volunteer adaptation mentors with Priit Pärn,
which ended a few days ago.

Each category's hours are taught in sessions of at most four hours, on Thursdays, the lessons of
its courses spread over them. Every trainee read the lessons, passed the programme's quizzes and
logged mentoring meetings with a newcomer of their own; five were signed off and got their
certificate at once. Svetlana's last meetings are still to be logged, so her checklist shows what
is missing. Mari, whose login shows it, holds two certificates now: the support person's and the
mentor's.
"""

import random
from datetime import date, time, timedelta

import sqlalchemy as sa

from lms.auth.models import User
from lms.certificates import services as certificates
from lms.certificates.forms import SIGN_OFF_STATEMENT
from lms.cohorts import services as cohorts
from lms.cohorts import sessions
from lms.cohorts.models import Cohort, Enrolment, TrainingSession
from lms.courses.api import get_catalog
from lms.courses.models import LessonCompletion
from lms.demo import quizzes
from lms.demo.people import COORDINATOR, MARI, PRIIT, demo_email
from lms.demo.timeline import Demo, days_ago
from lms.demo.training import REGION, fill_register
from lms.practice import services as practice
from lms.practice.forms import ATTESTATION
from lms.quizzes.api import get_quiz

PROGRAMME = "adaptation-mentor"
NAME = "Kohanemismentorid · Räpina"
PLACE = "Räpina raamatukogu"
ENDED_DAYS_AGO = 6
THURSDAY = 3
LONGEST_SESSION_MINUTES = 240
TRAINEES = (MARI, *map(demo_email, (
    "Ülle Jõgi", "Jaanus Kuusk", "Kadi Lõhmus", "Anu Põder", "Svetlana Ivanova",
)))  # fmt: skip
#: logged only half of her meetings so far
SHORT_OF_PRACTICE = demo_email("Svetlana Ivanova")
#: a mentor's notes on meetings, in the words of the Estonian-speaking volunteers
REFLECTIONS = (
    "Rääkisime, mida ta tahab kolme kuu pärast osata. Ta valis ise esimese sammu: minna "
    "keelekohvikusse. Mina küsisin ja kuulasin, nõu andsin ainult siis, kui ta palus.",
    "Käisime koos raamatukogus ja vaatasime, kust leida tööpakkumisi. Ta oli väsinud, nii et "
    "leppisime kokku väiksema eesmärgi järgmiseks korraks.",
    "Ta rääkis murest lapse kooli pärast. Ütlesin, et see on tugiisiku ja kooli teema, ja "
    "aitasin tal kirjutada küsimuse tugiisikule. Minu roll oli kuulata.",
    "Vaatasime tagasi kuule: ta käib nüüd ise poes ja bussiga linnas. Rõõm oli näha, kui "
    "palju ta on ise teinud.",
)


def run(demo: Demo) -> Cohort | None:
    """The group from its creation to its certificates; nothing when the programme is absent."""
    programme = demo.programmes.get(PROGRAMME)
    if programme is None:
        return None
    trainer, coordinator = demo.person(PRIIT), demo.person(COORDINATOR)
    items_plan = _plan(programme)
    weeks = len({week for week, *_ in items_plan})
    ends = days_ago(demo.today, ENDED_DAYS_AGO, THURSDAY)
    starts = ends - timedelta(weeks=weeks - 1)
    demo.tick(demo.moment(starts - timedelta(days=30), 10))
    cohort = cohorts.save_cohort(
        demo.session,
        None,
        programme=programme,
        name=NAME,
        starts_on=starts,
        ends_on=ends,
        region=REGION,
        capacity=8,
        trainer_ids=[trainer.id],
        actor=coordinator,
    )
    users = [demo.person(email) for email in TRAINEES]
    demo.tick(demo.moment(starts - timedelta(days=14), 11))
    for user in users:
        cohorts.enrol(demo.session, cohort, programme, user, coordinator)
    demo.tick(demo.moment(starts - timedelta(days=10), 9))
    items = []
    for week, category, title, lessons, minutes in items_plan:
        plan = sessions.SessionPlan(
            title=title,
            category=category,
            day=starts + timedelta(weeks=week),
            start=time(10),
            end=time(10 + minutes // 60, minutes % 60),
            place=PLACE,
            lessons=list(lessons),
        )
        items += demo.schedule(cohort, programme, plan, trainer)
    for item in items:
        fill_register(demo, item, users, trainer, lambda user, item: None)
    _read_and_sit(demo, programme, users, items, trainer)
    for user in users:
        _log_meetings(demo, cohort, programme, user, trainer, starts, ends)
    _sign_off(demo, cohort, programme, users, trainer, ends)
    return cohort


def _plan(programme) -> list[tuple[int, str, str, tuple[str, ...], int]]:
    """(week, category, title, lessons, minutes) of each session, one a week: a lesson's session
    as its trainer's guide plans it when the guides plan the category's hours; otherwise the
    hours in sessions of at most four, the lessons shared out."""
    catalog, plans = get_catalog(), []
    for category in programme.categories:
        lessons = [
            (slug, lesson)
            for slug in category.courses
            if (course := catalog.course(slug))
            for lesson in course.lessons
        ]
        guided = [lesson.guide.session_minutes for _, lesson in lessons if lesson.guide]
        if lessons and len(guided) == len(lessons) and sum(guided) == category.syllabus_minutes:
            for (slug, lesson), minutes in zip(lessons, guided, strict=True):
                title = lesson.text_for("et").title
                plans.append(
                    (len(plans), category.slug, title, (f"{slug}/{lesson.slug}",), minutes)
                )
            continue
        refs = [f"{slug}/{lesson.slug}" for slug, lesson in lessons]
        left, count = (
            category.syllabus_minutes,
            -(-category.syllabus_minutes // LONGEST_SESSION_MINUTES),
        )
        for number in range(count):
            minutes = min(LONGEST_SESSION_MINUTES, left)
            share = tuple(refs[number * len(refs) // count : (number + 1) * len(refs) // count])
            title = category.title_for("et") + (f" {number + 1}" if count > 1 else "")
            plans.append((len(plans), category.slug, title, share, minutes))
            left -= minutes
    return plans


def _read_and_sit(demo: Demo, programme, users: list[User], items: list[TrainingSession], trainer):
    """Each session's lessons read in the days after it; each quiz passed after its lesson."""
    read_after = {ref: item.ends_at for item in items for ref in item.lessons}
    for user in users:
        rng = random.Random(f"mentor:{user.email}")
        for ref, after in read_after.items():
            course, lesson = ref.split("/")
            demo.session.add(
                LessonCompletion(
                    user_id=user.id,
                    course_slug=course,
                    lesson_slug=lesson,
                    completed_at=after + timedelta(days=rng.randint(0, 3), hours=3),
                )
            )
        demo.session.flush()
        last = max(read_after.values(), default=demo.now - timedelta(days=20))
        for number, slug in enumerate(programme.quizzes):
            quiz = get_quiz(demo.session, slug)
            if quiz is None:
                continue
            first = last + timedelta(days=1 + number, hours=rng.randint(2, 8))
            essay = any(question.kind == "essay" for question in quiz.questions)
            tries = [quizzes.Try(rng.choice((0, 0, 1)), 0.9 if essay else None)]
            quizzes.sit(demo, quiz, user, tries, first, trainer, rng)


def _log_meetings(demo: Demo, cohort, programme, user: User, trainer, starts: date, ends: date):
    """Meetings with a newcomer through the course, each signed off a few days later; the one
    short of practice logged half of them."""
    rng = random.Random(f"mentor-meetings:{user.email}")
    needed = round(programme.practice_hours * 60)
    count = max(3, needed // 90)
    parts = [needed // count // 15 * 15] * count
    parts[-1] += needed - sum(parts)
    if user.email == SHORT_OF_PRACTICE:
        parts = parts[: count // 2]
    code = f"M-{TRAINEES.index(user.email) + 1:02d}"
    group = programme.client_groups[0].slug
    activities = [activity.slug for activity in programme.activities]
    statement = demo.in_language(trainer, ATTESTATION)
    span = max(1, (ends - starts).days - 3)
    for number, minutes in enumerate(parts):
        day = min(
            ends, starts + timedelta(days=3 + number * span // len(parts) + rng.randint(0, 2))
        )
        data = practice.EntryData(
            practised_on=day,
            minutes=minutes,
            client_code=code,
            client_group=group,
            activity=activities[number % len(activities)],
            reflection=REFLECTIONS[number % len(REFLECTIONS)],
        )
        now = demo.tick(demo.moment(day, 19))
        entry = practice.create_entry(
            demo.session, user, cohort, programme, data, today=day, now=now, submit=True
        )
        reviewed = demo.tick(demo.moment(day + timedelta(days=rng.randint(1, 3)), 12))
        practice.approve(demo.session, [entry.latest], trainer, statement, reviewed)


def _sign_off(demo: Demo, cohort, programme, users: list[User], trainer, ends: date) -> None:
    """Priit signs off everyone who met every requirement two days after the last session; the
    coordinator issues the certificates the next day, unless they followed the sign-off."""
    statement = demo.in_language(trainer, SIGN_OFF_STATEMENT)
    day = min(ends + timedelta(days=2), demo.today)
    for number, user in enumerate(users):
        if user.email == SHORT_OF_PRACTICE or not programme.final_sign_off:
            continue
        enrolment = demo.session.scalars(
            sa.select(Enrolment).filter_by(cohort_id=cohort.id, user_id=user.id)
        ).one()
        now = demo.tick(demo.moment(day, 14, number))
        certificates.sign_off(
            demo.session, enrolment, programme, demo.programmes, trainer, statement,
            now=now, today=day,
        )  # fmt: skip
    if programme.certifies and not programme.auto_issue:
        day = min(day + timedelta(days=1), demo.today)
        now = demo.tick(demo.moment(day, 10))
        certificates.issue_all(
            demo.session, cohort, programme, demo.programmes, demo.person(COORDINATOR),
            now=now, today=day,
        )  # fmt: skip
