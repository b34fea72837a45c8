"""The trainer-of-trainers group running now: twelve alumni of the three support-person groups,
five weeks in and eight weeks to go, with Tiina Tamm.

A theory evening every week on the weekday the demo is loaded, so that one is on today at
16:00; five theory days; four field-practice days, each followed by a debriefing. Tõnis missed
a field-practice day, which the programme asks to be attended in full, so he is at risk. Two
trainees have already taken the course's final quiz, which the programme requires, and their
essays wait for Tiina.
"""

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from lms.cohorts import services as cohorts
from lms.cohorts import sessions
from lms.cohorts.models import Cohort, TrainingSession
from lms.courses.models import LessonCompletion
from lms.demo import quizzes
from lms.demo.people import COORDINATOR, OLENA, TIINA, demo_email
from lms.demo.texts import NOTES
from lms.demo.timeline import Demo
from lms.demo.training import REGION, fill_register
from lms.quizzes.api import get_quiz

PROGRAMME = "trainer-of-trainers"
NAME = "Koolitajate koolitus · Kagu-Eesti"
STARTED_DAYS_AGO = 35
LENGTH_DAYS = 91
PLACE = "Võru, Tugi koolitusruum"
FIELD_PLACE = "Omavalitsuste sotsiaalosakonnad"

TRAINEES = (OLENA, *map(demo_email, (
    "Iryna Tkachenko", "Наталія Мельник", "Tõnis Õunapuu", "Maarja Lepik", "Ülle Jõgi",
    "Piret Saar", "Evelin Paju", "Heli Laur", "Kätlin Raud", "Signe Ilves", "Riina Õispuu",
)))  # fmt: skip
AT_RISK = demo_email("Tõnis Õunapuu")
ESSAYS_WAITING = (demo_email("Iryna Tkachenko"), demo_email("Kätlin Raud"))
#: the final quiz of the trainer-of-trainers course, which the programme requires
FINAL_QUIZ = "trainer-of-trainers-final"

SR, CP, TT = "support-role", "care-methodology", "trainer-of-trainers"
#: weekly theory evenings, 16:00-19:00: (title, lessons); the trainer-of-trainers course is taught,
#: and a basic lesson is linked where the evening practises teaching it
EVENINGS = (
    ("Teooria: täiskasvanu kui õppija", (f"{TT}/how-adults-learn",)),
    ("Teooria: koolituse kavandamine",
     (f"{TT}/how-adults-learn", f"{TT}/running-a-training-group")),
    ("Teooria: kuidas õpetada tugiisiku rolli",
     (f"{TT}/running-a-training-group", f"{SR}/what-a-support-person-does")),
    ("Teooria: piiride ja eetika arutelud",
     (f"{TT}/facilitation-and-feedback", f"{SR}/boundaries-and-ethics")),
    ("Teooria: juhtumiõpe ja rollimängud", (f"{TT}/facilitation-and-feedback",)),
    ("Teooria: CARe neli põhitegevust",
     (f"{TT}/supervising-practice-and-signing-it-off", f"{CP}/the-four-core-acts")),
    ("Teooria: isikliku profiili harjutused",
     (f"{TT}/supervising-practice-and-signing-it-off", f"{CP}/the-personal-profile")),
    ("Teooria: haavatavus ja kriisimärgid",
     (f"{TT}/keeping-volunteers", f"{CP}/vulnerability-and-crisis-signals")),
    ("Teooria: tagasiside andmine", (f"{TT}/facilitation-and-feedback",)),
    ("Teooria: supervisiooni alused",
     (f"{TT}/supervising-practice-and-signing-it-off", f"{TT}/keeping-volunteers")),
    ("Teooria: vabatahtlike kaasamine", (f"{TT}/recruiting-and-organising-volunteers",)),
    ("Teooria: töö peredega",
     (f"{TT}/supporting-people-back-into-work", f"{CP}/working-with-families")),
    ("Teooria: lõpuseminar ja oma koolituskava", (f"{TT}/running-a-cohort-in-tugi",)),
)  # fmt: skip
SATURDAY = 5
#: (day from the start, category, title, lessons, start hour, hours); a day on a weekend or a
#: public holiday moves to the working day after, and a debriefing follows its field practice
FIELD, DEBRIEF = (f"{TT}/designing-field-practice",), (f"{TT}/running-field-debriefing",)
DAYS = (
    (2, "theory", "Teooriapäev: CARe alused",
     (f"{TT}/how-adults-learn", f"{CP}/recovery-and-quality-of-life"), 10, 5),
    (10, "field-practice", "Välipraktika 1: koolitus omavalitsuses", FIELD, 9, 4),
    (None, "field-debriefing", "Välipraktika 1 analüüs", DEBRIEF, 10, 4),
    (16, "theory", "Teooriapäev: grupi juhtimine", (f"{TT}/running-a-training-group",), 10, 5),
    (24, "field-practice", "Välipraktika 2: vabatahtlike koolitus", FIELD, 9, 4),
    (None, "field-debriefing", "Välipraktika 2 analüüs", DEBRIEF, 10, 4),
    (30, "theory", "Teooriapäev: keelte ja kultuuride vahel",
     (f"{TT}/running-a-training-group", f"{SR}/communication-across-languages-and-cultures"),
     10, 5),
    (45, "field-practice", "Välipraktika 3: kooli töötajate koolitus", FIELD, 9, 4),
    (None, "field-debriefing", "Välipraktika 3 analüüs", DEBRIEF, 10, 4),
    (58, "theory", "Teooriapäev: koostöö omavalitsusega",
     (f"{TT}/community-work", f"{SR}/working-with-the-municipality"), 10, 5),
    (66, "field-practice", "Välipraktika 4: kogukonna koolitus", FIELD, 9, 4),
    (None, "field-debriefing", "Välipraktika 4 analüüs", DEBRIEF, 10, 4),
    (72, "theory", "Teooriapäev: kogukonnatöö", (f"{TT}/community-development",), 10, 5),
)  # fmt: skip
#: (trainee, session title) -> (mark, minutes missed, note)
LOSSES = {
    (AT_RISK, "Välipraktika 2: vabatahtlike koolitus"): ("absent", 240, ""),
    (AT_RISK, "Teooria: juhtumiõpe ja rollimängud"): ("excused", 180, NOTES["excused"][1]),
    (demo_email("Piret Saar"), "Teooria: koolituse kavandamine"): ("late", 20, NOTES["late"][1]),
    (demo_email("Heli Laur"), "Teooriapäev: grupi juhtimine"): ("left_early", 60, ""),
}


def run(demo: Demo) -> Cohort:
    """The cohort, its schedule, the register of the sessions held, lessons and essays."""
    programme = demo.programmes.get(PROGRAMME)
    trainer, coordinator = demo.person(TIINA), demo.person(COORDINATOR)
    starts = demo.today - timedelta(days=STARTED_DAYS_AGO)
    demo.tick(demo.moment(starts - timedelta(days=30), 10))
    cohort = cohorts.save_cohort(
        demo.session,
        None,
        programme=programme,
        name=NAME,
        starts_on=starts,
        ends_on=starts + timedelta(days=LENGTH_DAYS),
        region=REGION,
        capacity=15,
        trainer_ids=[trainer.id],
        actor=coordinator,
    )
    demo.tick(demo.moment(starts - timedelta(days=14), 11))
    users = [demo.person(email) for email in TRAINEES]
    for user in users:
        cohorts.enrol(demo.session, cohort, programme, user, coordinator)
    items = _schedule(demo, cohort, programme, trainer, starts)
    for item in items:
        if item.starts_at.astimezone(demo.tz).date() < demo.today:
            fill_register(demo, item, users, trainer, _loss)
    _read_more(demo, users, starts, items)
    quiz = get_quiz(demo.session, FINAL_QUIZ)
    for days, email in zip((3, 2), ESSAYS_WAITING, strict=True):
        rng = random.Random(f"tot:{email}")
        first = demo.moment(demo.today - timedelta(days=days), 19)
        quizzes.sit(demo, quiz, demo.person(email), [quizzes.Try(1, None)], first, trainer, rng)
    return cohort


#: Estonia's public holidays on fixed dates (month, day), on which the group does not meet;
#: Good Friday moves with Easter and is not among them
HOLIDAYS = {(1, 1), (2, 24), (5, 1), (6, 23), (6, 24), (8, 20), (12, 24), (12, 25), (12, 26)}


def open_day(day: date, weekends: bool = False) -> date:
    """The day itself, or the first day after it that is not a public holiday (the group takes
    Christmas off) nor, unless ``weekends``, a Saturday or a Sunday."""
    while (day.month, day.day) in HOLIDAYS or (not weekends and day.weekday() >= SATURDAY):
        day += timedelta(days=1)
    return day


def dates(starts: date) -> list[tuple[date, str, str, tuple, int, int]]:
    """(date, category, title, lessons, start hour, hours) of every session: the evenings on
    the weekday the group started (on the next working day when that is a holiday), the other
    days on working days, each debriefing on the working day after its field practice."""
    today = STARTED_DAYS_AGO // 7  # the week whose evening is today, kept on today
    weekends = starts.weekday() >= SATURDAY  # a group that started on a weekend meets on them
    plans = [
        (day if week == today else open_day(day, weekends), "theory", title, lessons, 16, 3)
        for week, (title, lessons) in enumerate(EVENINGS)
        for day in [starts + timedelta(weeks=week)]
    ]
    field_day = starts
    for offset, category, *rest in DAYS:
        if category == "field-debriefing":
            day = open_day(field_day + timedelta(days=1))
        else:
            day = open_day(starts + timedelta(days=offset))
        field_day = day if category == "field-practice" else field_day
        plans.append((day, category, *rest))
    return sorted(plans)


def _schedule(demo, cohort, programme, trainer, starts: date) -> list[TrainingSession]:
    demo.tick(demo.moment(starts - timedelta(days=20), 9))
    items = []
    for day, category, title, lessons, hour, hours in dates(starts):
        plan = sessions.SessionPlan(
            title=title,
            category=category,
            day=day,
            start=time(hour),
            end=time(hour + hours),
            place=FIELD_PLACE if category == "field-practice" else PLACE,
            lessons=list(lessons),
        )
        items += demo.schedule(cohort, programme, plan, trainer)
    return items


def _loss(user, item: TrainingSession):
    return LOSSES.get((user.email, item.title))


def _read_more(demo: Demo, users, starts: date, items: list[TrainingSession]) -> None:
    """The basic lessons the alumni had left unread, read now that they prepare to teach them,
    and each lesson of their own course read after the first session that took it up (by most
    of them: two in three read each one). Olena, whose login shows the trainee's side, reads
    every lesson of the course: those the sessions have not taken up yet, ahead of them."""
    read = set(
        demo.session.execute(
            sa.select(
                LessonCompletion.user_id, LessonCompletion.course_slug, LessonCompletion.lesson_slug
            ).where(LessonCompletion.user_id.in_([user.id for user in users]))
        ).all()
    )
    taken_up: dict[str, datetime] = {}
    for item in sorted(items, key=lambda item: item.starts_at):
        if item.starts_at.astimezone(demo.tz).date() < demo.today:
            for ref in item.lessons or []:
                taken_up.setdefault(ref, item.ends_at)
    for user in users:
        rng = random.Random(f"tot-lessons:{user.email}")
        for ref in sorted(demo.lesson_refs):
            course, lesson = ref.split("/")
            if (user.id, course, lesson) in read or course not in (SR, CP, TT):
                continue
            if course != TT:
                read_at = demo.moment(starts + timedelta(days=rng.randint(1, 30)), 21)
            elif ref in taken_up and (user.email == OLENA or rng.random() < 2 / 3):
                read_at = taken_up[ref] + timedelta(hours=rng.randint(2, 48))
            elif user.email == OLENA:
                read_at = demo.moment(demo.today - timedelta(days=rng.randint(1, 6)), 21)
            else:
                continue
            demo.session.add(
                LessonCompletion(
                    user_id=user.id,
                    course_slug=course,
                    lesson_slug=lesson,
                    completed_at=min(read_at, demo.now),
                )
            )
    demo.session.flush()
