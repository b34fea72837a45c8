"""How the support-person groups ended: the trainer's final sign-off (the certificate follows
at once, through ``lms.certificates.services``) and, months later, what the alumni do now, as
the coordinator recorded it (``lms.alumni.services``)."""

from datetime import timedelta

import sqlalchemy as sa

from lms.alumni.models import Employment
from lms.alumni.services import Answer, record_follow_up
from lms.auth.models import User
from lms.certificates import services as certificates
from lms.certificates.forms import SIGN_OFF_STATEMENT
from lms.cohorts.models import Cohort, Enrolment
from lms.demo.people import COORDINATOR, NOT_COMPLETED, TRAINEES, Trainee
from lms.demo.timeline import Demo
from lms.programmes.definitions import Programme

#: days after the cohort's end on which the trainer signs trainees off, in turn
SIGN_OFF_DAYS = (4, 4, 5, 5, 11)
#: the coordinator asked the alumni over these last weeks
ASKED_DAYS_AGO = range(45, 3, -1)


def sign_off_group(
    demo: Demo, cohort: Cohort, programme: Programme, trainer: User, trainees: list[Trainee]
) -> None:
    """The trainer signs off everyone who met every requirement; each certificate is issued
    with it. Those who did not complete are left for the checklist to explain."""
    statement = demo.in_language(trainer, SIGN_OFF_STATEMENT)
    enrolments = {
        enrolment.user_id: enrolment
        for enrolment in demo.session.scalars(
            sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id)
        )
    }
    done = [trainee for trainee in trainees if trainee.email not in NOT_COMPLETED]
    for number, trainee in enumerate(done):
        day = cohort.ends_on + timedelta(days=SIGN_OFF_DAYS[number % len(SIGN_OFF_DAYS)])
        now = demo.tick(demo.moment(day, 13, number))
        certificates.sign_off(
            demo.session,
            enrolments[demo.person(trainee.email).id],
            programme,
            demo.programmes,
            trainer,
            statement,
            now=now,
            today=day,
        )


def answer(follow_up: str, asked_on) -> Answer:
    """The demo's short form of a follow-up as the coordinator records it:
    "tugiisik @ Võru vald" (a support person), "sotsiaalpedagoog @ Põlva vald" (a related role),
    "muu töö" (other work) or "ei tööta" (not working)."""
    if "@" in follow_up:
        title, employer = (part.strip() for part in follow_up.split("@"))
        employment = Employment.SUPPORT_PERSON if title == "tugiisik" else Employment.RELATED_ROLE
        return Answer(employment.value, asked_on, title, employer)
    employment = {"muu töö": Employment.OTHER_WORK, "ei tööta": Employment.NOT_WORKING}
    return Answer(employment[follow_up].value, asked_on)


def record_follow_ups(demo: Demo) -> None:
    """The coordinator's answers from the alumni asked so far; a few are still to be asked."""
    coordinator = demo.person(COORDINATOR)
    asked = [trainee for trainee in TRAINEES if trainee.follow_up]
    for trainee, days in zip(asked, ASKED_DAYS_AGO, strict=False):
        asked_on = demo.today - timedelta(days=days)
        demo.tick(demo.moment(asked_on, 15))
        record_follow_up(
            demo.session,
            demo.person(trainee.email),
            answer(trainee.follow_up, asked_on),
            coordinator,
            demo.today,
        )
