"""Quizzes: parsing the shipped GIFT files, saving one answer, and the cohort gradebook.

Times (median of several runs) on SQLite: parsing every file in ``quizzes/``; one answer saved
through the app next to ``/healthz``; the gradebook of 200 trainees with two attempts at each of
the programme's 19 quizzes next to that of 5 trainees. Run: ``python -m bench.quizzes``.
"""

import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime

import sqlalchemy as sa

REPEAT = 7
SIZES = (5, 200)


def timed(action, repeat: int = REPEAT) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def enrolled_cohort(db, trainees: int, tag: str):
    """A support-person cohort for 2026 with ``trainees`` new trainees; the cohort and their ids."""
    from lms.auth.models import User, UserRole
    from lms.cohorts.models import Cohort, Enrolment

    cohort = Cohort(programme_slug="support-person", name=f"Bench {tag}",
                    starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))  # fmt: skip
    db.session.add(cohort)
    db.session.flush()
    from lms.auth.emails import look_alike_key

    emails = [f"{tag}-{n}@example.org" for n in range(trainees)]
    # A bulk insert skips the model's validator, which fills the look-alike key.
    people = [{"email": email, "email_key": look_alike_key(email), "language": "en",
               "display_name": f"Trainee {n:03d}"} for n, email in enumerate(emails)]  # fmt: skip
    ids = db.session.scalars(sa.insert(User).returning(User.id), people).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": i, "role": "trainee"} for i in ids])
    db.session.execute(sa.insert(Enrolment), [{"cohort_id": cohort.id, "user_id": i} for i in ids])
    return cohort, ids


def sqlite_app(folder: str):
    """The app on a fresh SQLite file in ``folder``, migrated, with CSRF and rate limits off."""
    from lms import create_app
    from lms.db import upgrade_schema as upgrade

    os.environ.setdefault("LMS_INSTANCE_PATH", folder)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        upgrade()
    return app


def bench_person(db, role):
    """A person with one role and no password, committed."""
    from lms.auth import services as accounts
    from lms.auth.logins import start_login

    person = accounts.create_user(
        db.session, email=f"bench-{role}@example.org", display_name=f"Bench {role}",
        roles=[role], password=None, language="en", municipality=None,
        password_method="pbkdf2:sha256:1000",
    )  # fmt: skip
    start_login(db.session, person)  # its get_id() names a login the server knows
    db.session.commit()
    return person


def build_cohort(db, quizzes, trainees: int, tag: str) -> int:
    from lms.quizzes.models import QuizAttempt

    cohort, ids = enrolled_cohort(db, trainees, f"q-{tag}")
    now = datetime.now(UTC)
    db.session.execute(
        sa.insert(QuizAttempt),
        [{"quiz_slug": quiz.slug, "user_id": user, "cohort_id": cohort.id, "number": number,
          "version": quiz.version, "layout": [], "started_at": now, "submitted_at": now,
          "score": ((user + number) % 10) / 10, "awaiting_grading": False}
         for quiz in quizzes for user in ids for number in (1, 2)],
    )  # fmt: skip
    db.session.commit()
    return cohort.id


def main() -> None:
    from lms.auth.models import Role
    from lms.config import REPOSITORY_ROOT
    from lms.extensions import db
    from lms.programmes.services import get_programme
    from lms.quizzes import attempts, catalogue
    from lms.quizzes.definitions import load_quizzes

    parse = timed(lambda: load_quizzes(REPOSITORY_ROOT))
    loaded = load_quizzes(REPOSITORY_ROOT)
    questions = sum(len(quiz.questions) for quiz in loaded.quizzes.values())
    with tempfile.TemporaryDirectory() as folder:
        app = sqlite_app(folder)
        with app.app_context():
            people = [bench_person(db, role) for role in (Role.TRAINEE, Role.COORDINATOR)]
            trainee_id, coordinator_id = (person.get_id() for person in people)
            quiz = catalogue.get_quiz(db.session, "support-role-final")
            attempt = attempts.start_attempt(db.session, quiz, people[0], datetime.now(UTC))
            db.session.commit()
            attempt_id = attempt.id
            programme = get_programme("support-person")
            quizzes = catalogue.programme_quizzes(programme, catalogue.all_quizzes(db.session))
            cohorts = {size: build_cohort(db, quizzes, size, str(size)) for size in SIZES}
            db.session.remove()
        trainee, coordinator = app.test_client(), app.test_client()
        for client, user_id in ((trainee, trainee_id), (coordinator, coordinator_id)):
            with client.session_transaction() as flask_session:
                flask_session["_user_id"] = user_id
        answer = timed(
            lambda: trainee.post(
                f"/quizzes/attempts/{attempt_id}/answer", data={"position": "0", "q-0": "0"}
            ),
            repeat=50,
        )
        health = timed(lambda: trainee.get("/healthz"), repeat=50)
        books = {
            size: timed(lambda c=cohort: coordinator.get(f"/quizzes/cohorts/{c}/gradebook"))
            for size, cohort in cohorts.items()
        }
        with app.app_context():
            db.engine.dispose()
    small, big = SIZES
    print("Quizzes (median times, SQLite):")
    print(f"  parse every shipped quiz: {parse * 1000:7.1f} ms for {len(loaded.quizzes)} files, "
          f"{questions} questions ({parse / questions * 1e6:.0f} us per question)")  # fmt: skip
    print(f"  save one answer:          {answer * 1000:7.1f} ms ({answer / health:.1f}x /healthz)")
    print(f"  gradebook, {big} trainees x {len(quizzes)} quizzes: {books[big] * 1000:7.1f} ms "
          f"({books[big] / books[small]:.1f}x the {small}-trainee gradebook, "
          f"{big // small}x the rows)")  # fmt: skip


if __name__ == "__main__":
    main()
