"""Demo data that tells the real story: a support-person programme run in South-East Estonia.

Three groups of 16 (refugees, the local community, school staff supporting refugee children)
trained and finished; 48 people from 11 municipalities; 513 hours of supervised practice with
42 clients, 22 of them refugees, mostly children; 45 certificates; 28 alumni now working as
support persons or in related roles. A trainer-of-trainers group of alumni is running now, with
a session today.

Every date is counted from the day the demo is loaded, so it always looks current. Loading is
idempotent: missing people are added, and the cohorts are built only if they are not there yet.

``lms.demo.people`` says who is who; ``training`` runs the support-person groups (with
``quizzes``, ``practice`` and ``outcomes``); ``tot`` runs the trainer-of-trainers group.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, scoped_session

from lms.cohorts.models import Cohort
from lms.cohorts.sessions import local_datetime
from lms.courses.services import get_catalog
from lms.demo import mentors, outcomes, tot, training
from lms.demo.people import (
    ANNE,
    COORDINATOR,
    DEMO_PASSWORD,
    MARI,
    OKSANA,
    OLENA,
    PRIIT,
    TIINA,
    all_people,
    create_people,
)
from lms.demo.timeline import Demo, running
from lms.organisation.models import ROW_ID, Organisation
from lms.programmes.services import get_programmes

__all__ = ["DEMO_PASSWORD", "DEMO_PEOPLE", "Login", "load_demo"]

#: (email, name, roles, language, municipality) of every demo person
DEMO_PEOPLE = [
    (person.email, person.name, list(person.roles), person.language, person.municipality)
    for person in all_people()
]
#: the demo organisation's contact, fictitious (example domains): the privacy notice and the
#: certificates print it, so the demo shows readers whom to write to
DEMO_ADDRESS = "Jüri 12, 65608 Võru, Estonia · info@example.org"
DEMO_WEBSITE = "https://www.example.org"
#: the people were made this long before the demo's day
PEOPLE_DAYS_AGO = 330


@dataclass(frozen=True)
class Login:
    """A demo login worth trying, and what its person shows."""

    role: str
    email: str
    name: str
    shows: str


LOGINS = (
    ("coordinator", COORDINATOR, "cohorts, certificates, funder report"),
    ("trainer", TIINA, "group 1; trainer of trainers, session today"),
    ("trainer", PRIIT, "group 2, the local community; adaptation mentors"),
    ("trainer", ANNE, "group 3, school staff"),
    ("trainee", OLENA, "certified, now training as a trainer"),
    ("trainee", OKSANA, "group 1, practice hours still missing"),
    ("trainee", MARI, "group 2 alumna, support person and adaptation mentor"),
)


def load_demo(
    session: Session,
    password_method: str,
    *,
    today: date | None = None,
    now: datetime | None = None,
    story: bool = True,
) -> list[Login]:
    """Create what is missing of the demo, as of ``today`` (default: the local date) and
    ``now`` (default: the current time, or noon of ``today`` when only that is given).
    Without ``story`` only the people are made, with no cohorts or history (for tests that
    need people with a clean slate).

    Only flushes; the caller commits."""
    if isinstance(session, scoped_session):
        session = session()  # the session's own events, not those of every session
    zone = current_app.config["TIMEZONE"]
    if now is None:
        now = datetime.now(UTC) if today is None else local_datetime(today, time(12), zone)
    if today is None:
        today = now.astimezone(ZoneInfo(zone)).date()
    catalog = get_catalog()
    demo = Demo(
        session,
        today=today,
        now=now,
        zone=zone,
        programmes=get_programmes(),
        lesson_refs={f"{c.slug}/{lesson.slug}" for c in catalog.courses for lesson in c.lessons},
        people={},
    )
    with running(session, demo.clock):
        demo.tick(demo.moment(today - timedelta(days=PEOPLE_DAYS_AGO), 9))
        demo.people = create_people(session, password_method)
        if story:
            _fill_contact(session)
        if story and not _built(session):
            _build(demo)
        session.flush()
    return [
        Login(role, email, demo.people[email].display_name, shows) for role, email, shows in LOGINS
    ]


def _fill_contact(session: Session) -> None:
    """Give the organisation the demo's address and website where it has none (a name set on
    the Organisation page is kept)."""
    row = session.get(Organisation, ROW_ID)
    if row is None:
        row = Organisation(id=ROW_ID, name=current_app.config["ISSUER_NAME"])
        session.add(row)
    row.address = row.address or DEMO_ADDRESS
    row.website = row.website or DEMO_WEBSITE


def _built(session: Session) -> bool:
    names = (*training.NAMES, tot.NAME, mentors.NAME)
    return session.scalar(sa.select(sa.exists().where(Cohort.name.in_(names))))


def _build(demo: Demo) -> None:
    for group in training.GROUPS:
        training.run_group(demo, group)
    outcomes.record_follow_ups(demo)
    tot.run(demo)
    mentors.run(demo)
