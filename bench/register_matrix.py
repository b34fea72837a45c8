"""The cohort register report for 200 trainees x 60 sessions, on SQLite and on PostgreSQL.

Builds the cohort (12,000 marks), then times the matrix page and its XLSX export through the
app, against the same report for a 5 x 5 cohort, and prints the times and their ratios.
Run: ``python -m bench.register_matrix``. PostgreSQL is used when reachable (a scratch database
``tugi_bench`` is created and dropped; set LMS_BENCH_POSTGRES to another server URL).
"""

import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

SERVER = os.environ.get("LMS_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/")
#: the scratch database, made and dropped by each run (another name keeps parallel runs apart)
DATABASE = os.environ.get("LMS_BENCH_DATABASE", "tugi_bench")
SIZES = ((5, 5), (200, 60))
REPEAT = 7


def build(db, trainees: int, sessions: int, tag: str):
    from lms.attendance.models import AttendanceRecord
    from lms.auth.emails import look_alike_key
    from lms.auth.models import User, UserRole
    from lms.cohorts.models import Cohort, Enrolment, TrainingSession

    cohort = Cohort(programme_slug="support-person", name=f"Bench {tag}",
                    starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))  # fmt: skip
    db.session.add(cohort)
    db.session.flush()
    emails = [f"bench-{tag}-{n}@example.org" for n in range(trainees)]
    users = [{"email": email, "email_key": look_alike_key(email), "language": "en",
              "display_name": f"Trainee {n:03d}"} for n, email in enumerate(emails)]  # fmt: skip
    ids = db.session.scalars(sa.insert(User).returning(User.id), users).all()
    db.session.execute(sa.insert(UserRole), [{"user_id": i, "role": "trainee"} for i in ids])
    db.session.execute(sa.insert(Enrolment), [{"cohort_id": cohort.id, "user_id": i} for i in ids])
    start = datetime(2026, 2, 1, 8, tzinfo=UTC)
    rows = [{"cohort_id": cohort.id, "title": f"Session {n}", "lessons": [],
             "category": ("support-role", "care-practice")[n % 2],
             "starts_at": start + timedelta(days=n),
             "ends_at": start + timedelta(days=n, hours=3)} for n in range(sessions)]  # fmt: skip
    session_ids = db.session.scalars(sa.insert(TrainingSession).returning(TrainingSession.id), rows)
    marks = ("present", "present", "present", "late", "absent")
    db.session.execute(
        sa.insert(AttendanceRecord),
        [{"session_id": s, "user_id": u, "mark": marks[(s + u) % 5], "note": "",
          "credited_minutes": {"present": 180, "late": 120, "absent": 0}[marks[(s + u) % 5]]}
         for s in session_ids.all() for u in ids],
    )  # fmt: skip
    db.session.commit()
    return cohort.id


def app_with_coordinator(url: str):
    """The app on ``url`` with its schema, and a test client logged in as a coordinator."""
    from lms import create_app
    from lms.auth import services as accounts
    from lms.auth.logins import start_login
    from lms.auth.models import Role
    from lms.db import upgrade_schema as upgrade
    from lms.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        upgrade()
        coordinator = accounts.create_user(
            db.session, email="bench-coordinator@example.org", display_name="Bench",
            roles=[Role.COORDINATOR], password=None, language="en", municipality=None,
            password_method="pbkdf2:sha256:1000",
        )  # fmt: skip
        start_login(db.session, coordinator)  # its get_id() names a login the server knows
        db.session.commit()
        user_id = coordinator.get_id()
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user_id
    return app, client


def timed_rounds(client, paths: dict, repeat: int = REPEAT) -> dict:
    """The median time of each path, wall clock and this process's CPU, as (wall, cpu) seconds;
    the paths taken in turn in each round (a busy moment of the machine then slows every size
    alike). Each request is pushed its own app context, as a real one would be."""
    times = {key: ([], []) for key in paths}
    for _ in range(repeat):
        for key, path in paths.items():
            began, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times[key][0].append(time.perf_counter() - began)
            times[key][1].append(time.process_time() - cpu)
            assert response.status_code == 200, (path, response.status_code)
    return {key: tuple(map(statistics.median, pair)) for key, pair in times.items()}


def measure(url: str) -> dict:
    from lms.extensions import db

    app, client = app_with_coordinator(url)
    with app.app_context():
        cohorts = {size: build(db, *size, f"{size[0]}x{size[1]}") for size in SIZES}
        db.session.remove()
    paths = {(*size, kind): f"/attendance/cohorts/{cohort_id}/{path}"
             for size, cohort_id in cohorts.items()
             for kind, path in (("page", "matrix"), ("xlsx", "matrix.xlsx"))}  # fmt: skip
    results = timed_rounds(client, paths)
    with app.app_context():
        db.engine.dispose()
    return results


def postgres_url() -> str | None:
    engine = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE}"))
            connection.execute(sa.text(f"CREATE DATABASE {DATABASE}"))
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()
    return SERVER + DATABASE


def drop_postgres() -> None:
    engine = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE}"))
    engine.dispose()


def on_both_databases(measure) -> dict:
    """``measure(database_url)`` on a scratch SQLite file and, when it is reachable, on the scratch
    PostgreSQL database ``tugi_bench`` (dropped afterwards)."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("LMS_INSTANCE_PATH", folder)
        runs = {"SQLite": measure(f"sqlite:///{folder}/bench.sqlite3")}
        url = postgres_url()
        if url:
            try:
                runs["PostgreSQL"] = measure(url)
            finally:
                drop_postgres()
        else:
            print("PostgreSQL is not reachable; measuring SQLite only.")
    return runs


def main() -> None:
    runs = on_both_databases(measure)
    big, small = SIZES[1], SIZES[0]
    print(f"Register report (median of {REPEAT}, interleaved), {big[0]} trainees x {big[1]} "
          f"sessions against {small[0]} x {small[1]} ({big[0] * big[1] // (small[0] * small[1])}"
          "x the cells); wall clock, then the CPU time of this process:")  # fmt: skip
    for name, result in runs.items():
        for kind in ("page", "xlsx"):
            (wall, cpu), (tiny_wall, tiny_cpu) = result[(*big, kind)], result[(*small, kind)]
            print(f"  {name:<10} {kind:<4} {wall * 1000:7.1f} ms, {wall / tiny_wall:5.1f}x   "
                  f"CPU {cpu * 1000:7.1f} ms, {cpu / tiny_cpu:5.1f}x")  # fmt: skip
    if len(runs) == 2:
        ratio = runs["PostgreSQL"][(*big, "page")][0] / runs["SQLite"][(*big, "page")][0]
        print(f"  PostgreSQL / SQLite, page: {ratio:.2f}")


if __name__ == "__main__":
    main()
