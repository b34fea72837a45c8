"""Factories for test objects: each call makes a valid object with unique values."""

import itertools
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.auth import services as accounts
from lms.auth.logins import start_login
from lms.auth.models import Role, User
from lms.cohorts.models import Cohort, Enrolment, TrainingSession
from lms.db import utcnow

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(
    session: Session,
    *roles: Role,
    email: str | None = None,
    password: str | None = PASSWORD,
    active: bool = True,
    seen_notice: bool = True,
    **fields,
) -> User:
    """A person with ``roles`` (trainee when none are given) and the password ``PASSWORD``,
    who has seen the privacy notice unless ``seen_notice`` is False (so a login goes home)."""
    number = next(_numbers)
    user = accounts.create_user(
        session,
        email=email or f"person{number}@example.org",
        display_name=fields.pop("display_name", f"Person {number}"),
        roles=roles or (Role.TRAINEE,),
        password=password,
        password_method="pbkdf2:sha256:1000",
        **fields,
    )
    user.active = active
    user.privacy_notice_seen_at = utcnow() if seen_notice else None
    session.commit()
    return user


def login(client, user: User) -> None:
    """Log ``user`` in on ``client`` without going through the form (and its rate limit)."""
    session = sa.orm.object_session(user)
    start_login(session, user)
    session.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user.get_id()
        flask_session["_fresh"] = True


def make_cohort(
    session: Session,
    programme: str = "support-person",
    *,
    trainers: tuple[User, ...] = (),
    trainees: tuple[User, ...] = (),
    **fields,
) -> Cohort:
    """A cohort of ``programme`` with its trainers and active trainees."""
    number = next(_numbers)
    cohort = Cohort(
        programme_slug=programme,
        name=fields.pop("name", f"Cohort {number}"),
        starts_on=fields.pop("starts_on", date(2026, 9, 1)),
        ends_on=fields.pop("ends_on", date(2026, 12, 31)),
        **fields,
    )
    cohort.trainers = list(trainers)
    session.add(cohort)
    session.flush()
    for trainee in trainees:
        session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id))
    session.commit()
    return cohort


def make_session(
    session: Session,
    cohort: Cohort,
    *,
    category: str = "support-role",
    starts_at: datetime | None = None,
    minutes: int = 180,
    **fields,
) -> TrainingSession:
    """A session of ``cohort``; by default it started yesterday at 10:00 UTC."""
    starts_at = starts_at or datetime.now(UTC).replace(
        hour=10, minute=0, second=0, microsecond=0
    ) - timedelta(days=1)
    item = TrainingSession(
        cohort_id=cohort.id,
        title=fields.pop("title", f"Session {next(_numbers)}"),
        category=category,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        lessons=[],
        **fields,
    )
    session.add(item)
    session.commit()
    return item


@contextmanager
def count_queries(connection):
    """Count the SQL statements sent through the test's connection."""
    statements = []

    def record(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    sa.event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(connection, "before_cursor_execute", record)


GIFT_SAMPLE = """// @title: Sample quiz
// @pass-mark: 60

::Choice::Who decides about the client's life? {=The client#Yes ~The support person#No}

::TF::A support person may share a client's story with friends. {FALSE#Never.#Right.}

::Short::Which number is the child helpline? {=116111 =%50%116 111#almost}

::Number::How many hours long is part one? {#25:1}

::Match::Match the words. {=CARe -> a methodology =GDPR -> data protection =-> a distractor}

::Several::Which are core acts? {~%50%Making contact ~%50%Supporting the plan
~%-100%Deciding for them}

::Essay::Describe one boundary you keep. {####Names a boundary and why.}
"""


def make_quiz(session: Session, slug: str | None = None, source: str = GIFT_SAMPLE, uploader=None):
    """An uploaded quiz (default: one question of each kind); returns the parsed ``Quiz``."""
    from lms.quizzes import catalogue
    from lms.quizzes.models import UploadedQuiz

    slug = slug or f"sample-{next(_numbers)}"
    session.add(UploadedQuiz(slug=slug, source=source, uploaded_by_id=uploader and uploader.id))
    session.flush()
    return catalogue.get_quiz(session, slug)


def make_attempt(session: Session, quiz, user: User, answers: dict | None = None, now=None):
    """An attempt at ``quiz`` with ``answers`` ({question key: form values}) saved."""
    from lms.quizzes import attempts

    now = now or datetime.now(UTC)
    attempt = attempts.start_attempt(session, quiz, user, now)
    for key, values in (answers or {}).items():
        pairs = values if isinstance(values, dict) else None
        values = [] if pairs else [values] if isinstance(values, str) else list(values)
        attempts.save_answer(session, quiz, attempt, key, values, pairs, now=now)
    session.flush()
    return attempt


def practice_data(**fields):
    """What a trainee writes about one piece of practice; any field can be given."""
    from lms.practice.services import EntryData

    values = {
        "practised_on": date(2026, 10, 5),
        "minutes": 90,
        "client_code": f"UA-CH-{next(_numbers):02d}",
        "client_group": "refugee-child",
        "activity": "school-contact",
        "core_acts": ["connecting"],
        "reflection": "We met the class teacher together.",
    }
    values.update(fields)
    return EntryData(**values)


def make_practice(
    session: Session,
    cohort: Cohort,
    trainee: User,
    *,
    submit: bool = True,
    approve_by: User | None = None,
    **fields,
):
    """A practice entry logged through the service: a draft, submitted, or signed off by
    ``approve_by``. Needs an app context (the programmes are read from files)."""
    from lms.practice import services
    from lms.programmes.services import get_programme

    now = datetime(2026, 10, 20, 12, tzinfo=UTC)
    entry = services.create_entry(
        session,
        trainee,
        cohort,
        get_programme(cohort.programme_slug),
        practice_data(**fields),
        today=date(2026, 10, 20),
        now=now,
        submit=submit or approve_by is not None,
    )
    if approve_by is not None:
        services.approve(session, [entry.latest], approve_by, "I attest.", now)
    session.commit()
    return entry


def complete_programme(
    session: Session,
    cohort: Cohort,
    trainee: User,
    trainer: User,
    *,
    skip: str = "",
    start: datetime | None = None,
) -> None:
    """Give ``trainee`` everything the cohort's programme requires short of the final sign-off:
    attendance of every category, the required lessons, passed quizzes and signed-off practice.
    ``skip`` names one requirement to leave unmet ("hours", "lessons", "quiz", "practice")."""
    from lms.attendance.models import AttendanceRecord
    from lms.courses.models import LessonCompletion
    from lms.programmes.services import get_programme
    from lms.quizzes.models import QuizAttempt

    programme = get_programme(cohort.programme_slug)
    start = start or datetime(2026, 10, 1, 8, tzinfo=UTC)
    for number, category in enumerate(programme.categories):
        item = make_session(
            session,
            cohort,
            category=category.slug,
            starts_at=start + timedelta(days=number),
            minutes=category.syllabus_minutes,
        )
        minutes = item.minutes // 2 if skip == "hours" and number == 0 else item.minutes
        session.add(
            AttendanceRecord(
                session_id=item.id, user_id=trainee.id, mark="present", credited_minutes=minutes
            )
        )
    read = set(
        session.execute(
            sa.select(LessonCompletion.course_slug, LessonCompletion.lesson_slug).where(
                LessonCompletion.user_id == trainee.id
            )
        ).all()
    )
    for ref in programme.required_lessons[: -1 if skip == "lessons" else None]:
        course, lesson = ref.split("/")
        if (course, lesson) not in read:
            session.add(
                LessonCompletion(user_id=trainee.id, course_slug=course, lesson_slug=lesson)
            )
    for slug in programme.quizzes[: -1 if skip == "quiz" else None]:
        session.add(
            QuizAttempt(
                quiz_slug=slug,
                user_id=trainee.id,
                cohort_id=cohort.id,
                number=1
                + session.scalar(
                    sa.select(sa.func.count(QuizAttempt.id)).where(
                        QuizAttempt.user_id == trainee.id, QuizAttempt.quiz_slug == slug
                    )
                ),
                version="test",
                layout=[],
                started_at=start,
                submitted_at=start,
                score=1.0,
            )
        )
    session.commit()
    if programme.practice_hours and skip != "practice":
        make_practice(
            session,
            cohort,
            trainee,
            approve_by=trainer,
            minutes=round(programme.practice_hours * 60),
            practised_on=max(date(2026, 10, 5), cohort.starts_on),
        )


def make_certificate(session: Session, cohort: Cohort, holder: User, **fields):
    """A certificate of the cohort's programme for ``holder``, written directly (the rules that
    lead to one are tested through the services); ``holder`` must be enrolled."""
    from lms.certificates.models import Certificate

    enrolment_id = session.scalar(
        sa.select(Enrolment.id).where(
            Enrolment.cohort_id == cohort.id, Enrolment.user_id == holder.id
        )
    )
    issued_on = fields.pop("issued_on", date(2026, 10, 20))
    certificate = Certificate(
        user_id=holder.id,
        enrolment_id=enrolment_id,
        cohort_id=cohort.id,
        programme_slug=fields.pop("programme_slug", cohort.programme_slug),
        earned_in=cohort.programme_slug,
        holder_name=holder.display_name,
        language=holder.language,
        hours=fields.pop(
            "hours",
            [
                {"slug": "support-role", "title": "Part 1", "minutes": 1500},
                {"slug": "care-practice", "title": "Part 2", "minutes": 1440},
            ],
        ),
        practice_minutes=fields.pop("practice_minutes", 630),
        practice_clients=fields.pop("practice_clients", 2),
        trainers=fields.pop("trainers", ["Tiina Tamm"]),
        issued_on=issued_on,
        expires_on=fields.pop("expires_on", date(issued_on.year + 3, issued_on.month, 1)),
        **fields,
    )
    session.add(certificate)
    session.commit()
    return certificate
