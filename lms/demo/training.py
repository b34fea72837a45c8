"""The three support-person groups, run from start to finish: the cohort and its schedule, the
register of every session, the lessons read, the final quizzes, the supervised practice and the
trainer's final sign-off with the certificate that follows.

Each group meets on Tuesdays and Thursdays for five weeks (five sessions of five hours in each
of the two parts), then works with clients under supervision until the cohort ends.
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from lms.attendance import services as register
from lms.attendance.models import PARTIAL_MARKS
from lms.auth.models import User
from lms.cohorts import services as cohorts
from lms.cohorts import sessions
from lms.cohorts.models import Cohort, TrainingSession
from lms.courses.models import LessonCompletion
from lms.demo import outcomes, practice, quizzes
from lms.demo.people import (
    ANNE,
    COORDINATOR,
    FAILED_QUIZ,
    PRIIT,
    RETAKES,
    SHORT_OF_ATTENDANCE,
    TIINA,
    TRAINEES,
)
from lms.demo.texts import NOTES
from lms.demo.timeline import Demo, days_ago
from lms.programmes.definitions import Programme
from lms.quizzes.api import get_quiz

PROGRAMME = "support-person"
REGION = "Kagu-Eesti"
TUESDAY = 1
#: from the first session to the end of the cohort, supervised practice included
LENGTH_DAYS = 100


@dataclass(frozen=True)
class Group:
    """One support-person group: its name, trainer, when it began and where it meets."""

    number: int
    name: str
    trainer: str
    days_ago: int  # the first session was this long before the demo's day (on a Tuesday)
    place: str


GROUPS = (
    Group(1, "Tugiisikud · rühm 1 (pagulased)", TIINA, 290, "Võru, Tugi koolitusruum"),
    Group(2, "Tugiisikud · rühm 2 (kohalik kogukond)", PRIIT, 225, "Põlva, raamatukogu saal"),
    Group(
        3, "Tugiisikud · rühm 3 (koolitöötajad, pagulaslapsed)", ANNE, 165, "Valga, kultuurimaja"
    ),
)
NAMES = tuple(group.name for group in GROUPS)

SR, CP = "support-role", "care-practice"
#: (day from the start, hour category, title, lessons covered); every session is 10:00-15:00
SESSIONS = (
    (0, SR, "1. osa: tugiisiku roll ja piirid",
     ("support-role/what-a-support-person-does", "support-role/boundaries-and-ethics")),
    (2, CP, "2. osa: taastumine ja neli põhitegevust",
     ("care-methodology/recovery-and-quality-of-life", "care-methodology/the-four-core-acts")),
    (7, SR, "1. osa: konfidentsiaalsus ja koostöö omavalitsusega",
     ("support-role/confidentiality-and-data-protection",
      "support-role/working-with-the-municipality")),
    (9, CP, "2. osa: suhe ja isiklik profiil",
     ("care-methodology/building-the-relationship", "care-methodology/the-personal-profile")),
    (14, SR, "1. osa: pagulaste toetamine", ("support-role/supporting-refugees",)),
    (16, CP, "2. osa: soovid, eesmärgid ja haavatavus",
     ("care-methodology/wishes-goals-and-the-plan",
      "care-methodology/vulnerability-and-crisis-signals")),
    (21, SR, "1. osa: suhtlus ja dokumenteerimine",
     ("support-role/communication-across-languages-and-cultures",
      "support-role/documenting-the-work")),
    (23, CP, "2. osa: võrgustik ja metoodiline töö",
     ("care-methodology/the-social-network-and-community",
      "care-methodology/methodical-work-over-time")),
    (28, SR, "1. osa: enesehoid ja supervisioon", ("support-role/self-care-and-supervision",)),
    (30, CP, "2. osa: töö peredega", ("care-methodology/working-with-families",)),
)  # fmt: skip


def run_group(demo: Demo, group: Group) -> Cohort:
    """A whole support-person group, from its creation to its certificates."""
    programme = demo.programmes.get(PROGRAMME)
    trainer = demo.person(group.trainer)
    starts = days_ago(demo.today, group.days_ago, TUESDAY)
    trainees = [t for t in TRAINEES if t.group == group.number]
    users = [demo.person(t.email) for t in trainees]
    cohort = _open(demo, group, programme, starts, users)
    items = _schedule(demo, cohort, programme, group, trainer, starts)
    _hold(demo, items, users, trainer)
    _read_lessons(demo, users, items, programme)
    _final_quizzes(demo, users, trainer, starts)
    for trainee, user in zip(trainees, users, strict=True):
        practice.log(demo, cohort, programme, trainee, user, trainer)
    outcomes.sign_off_group(demo, cohort, programme, trainer, trainees)
    return cohort


def _open(demo: Demo, group: Group, programme: Programme, starts: date, users) -> Cohort:
    coordinator = demo.person(COORDINATOR)
    demo.tick(demo.moment(starts - timedelta(days=35), 10))
    cohort = cohorts.save_cohort(
        demo.session,
        None,
        programme=programme,
        name=group.name,
        starts_on=starts,
        ends_on=starts + timedelta(days=LENGTH_DAYS),
        region=REGION,
        capacity=16,
        trainer_ids=[demo.person(group.trainer).id],
        actor=coordinator,
    )
    demo.tick(demo.moment(starts - timedelta(days=14), 11))
    for user in users:
        cohorts.enrol(demo.session, cohort, programme, user, coordinator)
    return cohort


def _schedule(demo, cohort, programme, group, trainer, starts) -> list[TrainingSession]:
    demo.tick(demo.moment(starts - timedelta(days=21), 9))
    items = []
    for day, category, title, lessons in SESSIONS:
        plan = sessions.SessionPlan(
            title=title,
            category=category,
            day=starts + timedelta(days=day),
            start=time(10),
            end=time(15),
            place=group.place,
            lessons=list(lessons),
        )
        items += demo.schedule(cohort, programme, plan, trainer)
    return items


LOSS_KINDS = ("none",) * 11 + ("late",) * 3 + ("left_early",) * 2 + ("excused",) * 3 + ("absent",)


def _losses(email: str, items: list[TrainingSession]) -> dict[int, tuple[str, int, str]]:
    """session id -> (mark, minutes missed, note) for the sessions a trainee did not attend in
    full. Most attend everything; the others miss at most one session's worth of each part, so
    the 80 % the programme asks for stays within reach."""
    rng = random.Random(f"attendance:{email}")
    part_one = [item for item in items if item.category == SR]
    part_two = [item for item in items if item.category == CP]
    if email == SHORT_OF_ATTENDANCE:
        return {
            part_one[1].id: ("late", 30, NOTES["late"][0]),
            part_two[1].id: ("absent", 300, ""),
            part_two[3].id: ("excused", 300, NOTES["excused"][2]),
            part_two[4].id: ("left_early", 150, NOTES["left_early"][1]),
        }
    losses = {}
    for part in (part_one, part_two):
        kind = rng.choice(LOSS_KINDS)
        if kind == "none":
            continue
        item = rng.choice(part)
        missed = {"late": rng.choice((15, 20, 30, 45)), "left_early": rng.choice((45, 60, 90))}
        losses[item.id] = (kind, missed.get(kind, item.minutes), rng.choice(NOTES[kind]))
    return losses


def _hold(demo: Demo, items: list[TrainingSession], users: list[User], trainer: User) -> None:
    losses = {user.id: _losses(user.email, items) for user in users}

    def loss_of(user: User, item: TrainingSession):
        return losses[user.id].get(item.id)

    for item in items:
        fill_register(demo, item, users, trainer, loss_of)


def fill_register(demo: Demo, item: TrainingSession, users, trainer: User, loss_of) -> None:
    """The trainer fills in the register right after the session: present, unless
    ``loss_of(user, item)`` gives (mark, minutes missed, note)."""
    now = demo.tick(item.ends_at + timedelta(minutes=10))
    changes = []
    for user in users:
        mark, missed, note = loss_of(user, item) or ("present", 0, "")
        minutes = item.minutes - missed if mark in PARTIAL_MARKS else None
        changes.append(register.MarkChange(user.id, mark, minutes, note))
    rows = register.register_rows(demo.session, item)
    register.save_register(demo.session, item, rows, changes, trainer, now=now)


def _read_lessons(
    demo: Demo, users: list[User], items: list[TrainingSession], programme: Programme
) -> None:
    """Trainees read a session's lessons in the days after it: every required lesson and most
    of the others."""
    covered = {ref: item.ends_at for item in items for ref in item.lessons}
    for user in users:
        rng = random.Random(f"lessons:{user.email}")
        for ref, after in covered.items():
            if ref not in programme.required_lessons and rng.random() < 0.2:
                continue
            course, lesson = ref.split("/")
            read_at = after + timedelta(days=rng.randint(0, 4), hours=rng.randint(3, 6))
            demo.session.add(
                LessonCompletion(
                    user_id=user.id, course_slug=course, lesson_slug=lesson, completed_at=read_at
                )
            )
    demo.session.flush()


def _final_quizzes(demo: Demo, users: list[User], trainer: User, starts: date) -> None:
    """Each part's final quiz in the days after its last session; a few fail at first and pass
    a week later, one fails and does not try again. The trainer grades the essays."""
    for slug, day, hour in (("support-role-final", 29, 19), ("care-methodology-final", 31, 20)):
        quiz = get_quiz(demo.session, slug)
        for user in users:
            rng = random.Random(f"{slug}:{user.email}")
            tries = [quizzes.passing_try(rng)]
            if RETAKES.get(user.email) == slug:
                tries = [quizzes.FAIL, *tries]
            elif user.email == FAILED_QUIZ and slug == "care-methodology-final":
                tries = [quizzes.FAIL]
            first = demo.moment(starts + timedelta(days=day + rng.randint(0, 4)), hour)
            quizzes.sit(demo, quiz, user, tries, first, trainer, rng)
