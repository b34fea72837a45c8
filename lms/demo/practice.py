"""Supervised practice: each trainee's work with their client, logged, submitted and signed off
through ``lms.practice.services``, so every entry meets the rules a trainee's would.

Practice starts two weeks into the cohort and ends a few days before it does. People who
support one client together share the client's code and meet the client on the same days.
Oksana's log is the one still in progress: some entries signed off, two waiting for her trainer,
one sent back to her.
"""

import random
from datetime import date, timedelta

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.demo import texts
from lms.demo.people import CORRECTS_AN_ENTRY, SHORT_OF_PRACTICE, Trainee, client_group
from lms.demo.timeline import Demo
from lms.practice import services
from lms.practice.forms import ATTESTATION
from lms.practice.models import PracticeEntry
from lms.programmes.definitions import Programme

FIRST_DAY = 14  # days after the cohort's start
LAST_DAY = 96
#: Oksana's entries beyond the signed-off ones: (minutes, days before the demo's day it was
#: submitted); and the one returned to her
WAITING = ((150, 12), (120, 9))
RETURNED = 90
#: Mari's first version of her second entry was this much too short
CORRECTED_BY = 30


def split(total: int, rng: random.Random) -> list[int]:
    """Minutes of the visits that make up ``total``: a few of one to three hours each, in
    quarter hours."""
    count = max(3, round(total / 135))
    parts = [total // count // 15 * 15] * count
    for index in range((total - sum(parts)) // 15):
        parts[index % count] += 15
    for index in range(0, count - 1, 2):
        shift = rng.choice((0, 15, 30, 45))
        if parts[index + 1] - shift >= 45:
            parts[index] += shift
            parts[index + 1] -= shift
    return parts


def visit_days(client: str, starts: date, count: int) -> list[date]:
    """The days of a client's visits, spread over the practice period; the same for everyone
    who supports the client."""
    rng = random.Random(f"visits:{client}")
    step = (LAST_DAY - FIRST_DAY) // count
    return [
        starts + timedelta(days=FIRST_DAY + number * step + rng.randint(0, step - 2))
        for number in range(count)
    ]


def _data(trainee: Trainee, day: date, minutes: int, number: int) -> services.EntryData:
    group = client_group(trainee.client)
    activities = texts.ACTIVITIES[group]
    rng = random.Random(f"visit:{trainee.client}:{number}")
    activity = activities[number % len(activities)]
    reflections = texts.REFLECTIONS[trainee.language][activity]
    return services.EntryData(
        practised_on=day,
        minutes=minutes,
        client_code=trainee.client,
        client_group=group,
        activity=activity,
        core_acts=list(texts.CORE_ACTS[activity]),
        reflection=reflections[rng.randrange(len(reflections))],
    )


def log(
    demo: Demo, cohort: Cohort, programme: Programme, trainee: Trainee, user: User, trainer: User
) -> list[PracticeEntry]:
    """The trainee's practice, signed off by ``trainer`` a few days after each visit."""
    rng = random.Random(f"practice:{trainee.email}")
    parts = split(trainee.practice, rng)
    extra = len(WAITING) + 1 if trainee.email == SHORT_OF_PRACTICE else 0
    days = visit_days(trainee.client, cohort.starts_on, len(parts) + extra)
    statement = demo.in_language(trainer, ATTESTATION)
    entries = []
    for number, (day, minutes) in enumerate(zip(days, parts, strict=False)):
        correcting = trainee.email == CORRECTS_AN_ENTRY and number == 1
        data = _data(trainee, day, minutes - CORRECTED_BY if correcting else minutes, number)
        entry = _submit(demo, cohort, programme, user, data)
        reviewed = demo.tick(demo.moment(day + timedelta(days=rng.randint(2, 6)), 12))
        services.approve(demo.session, [entry.latest], trainer, statement, reviewed)
        if correcting:
            _correct(demo, entry, programme, user, trainer, statement, minutes, day)
        entries.append(entry)
    if extra:
        entries += _still_open(demo, cohort, programme, trainee, user, trainer, days[len(parts) :])
    return entries


def _submit(demo: Demo, cohort, programme, user: User, data: services.EntryData, submit=True):
    now = demo.tick(demo.moment(data.practised_on, 19))
    return services.create_entry(
        demo.session,
        user,
        cohort,
        programme,
        data,
        today=data.practised_on,
        now=now,
        submit=submit,
    )


def _correct(demo, entry, programme, user, trainer, statement, minutes, day) -> None:
    """The trainee finds the visit was longer than logged; the trainer signs the correction off
    and the first version is superseded."""
    now = demo.tick(demo.moment(day + timedelta(days=9), 18))
    revision = services.start_correction(demo.session, entry, user, now)
    data = services.EntryData(
        practised_on=revision.practised_on,
        minutes=minutes,
        client_code=revision.client_code,
        client_group=revision.client_group,
        activity=revision.activity,
        core_acts=list(revision.core_acts),
        reflection=texts.CORRECTION,
    )
    services.update_revision(
        demo.session, revision, user, programme, data, today=now.date(), submit=True, now=now
    )
    reviewed = demo.tick(demo.moment(day + timedelta(days=12), 12))
    services.approve(demo.session, [revision], trainer, statement, reviewed)


def _still_open(demo, cohort, programme, trainee, user, trainer, days) -> list[PracticeEntry]:
    """Oksana logged her last visits late: two wait for sign-off, one came back to her."""
    entries = []
    for day, (minutes, submitted_ago) in zip(days, WAITING, strict=False):
        entry = _submit(demo, cohort, programme, user, _data(trainee, day, minutes, 9), False)
        now = demo.tick(demo.moment(demo.today - timedelta(days=submitted_ago), 21))
        services.submit_revision(demo.session, entry.latest, user, now)
        entries.append(entry)
    data = _data(trainee, days[-1], RETURNED, 10)
    data.reflection = texts.RETURNED_REFLECTION
    entry = _submit(demo, cohort, programme, user, data)
    now = demo.tick(demo.moment(days[-1] + timedelta(days=3), 12))
    services.return_revision(demo.session, entry.latest, trainer, texts.RETURN_COMMENT, now)
    return [*entries, entry]
