"""The funder report over 100,000 trainees on PostgreSQL.

Generates, with set-based SQL, 100,000 trainees in 6,250 support-person cohorts of 16 over five
years in 79 municipalities and 4 regions, 17 three-hour sessions per cohort with a mark for every
trainee (1.7 million marks), three signed-off practice entries per trainee plus one waiting
(380,000 revisions), certificates for nine in ten, and employment follow-ups for 40,000.
Then times the report through the app (page, one table's CSV, the whole workbook), unfiltered and
for one region and one year, next to the report for one cohort.
Run: ``python -m bench.funder`` (needs PostgreSQL: a scratch database ``tugi_bench`` is created and
dropped; LMS_BENCH_POSTGRES names another server, LMS_BENCH_DATABASE another database,
LMS_BENCH_TRAINEES another size).
"""

import os
import statistics
import tempfile
import time

import sqlalchemy as sa

from bench.quizzes import bench_person, timed
from bench.register_matrix import drop_postgres, postgres_url

TRAINEES = int(os.environ.get("LMS_BENCH_TRAINEES", "100000"))
COHORT_SIZE = 16
SESSIONS = 17
REPEAT = 7

GENERATE = [
    # trainees, ids from 1001 so that the bench's own staff keep the low ids
    # an ASCII address in lower case is its own look-alike key
    """INSERT INTO users (id, email, email_key, display_name, language, municipality, active,
                          session_version, created_at)
       SELECT 1000 + n, 'trainee-' || n || '@bench.example.org',
              'trainee-' || n || '@bench.example.org', 'Trainee ' || n, 'et',
              'Vald ' || (n % 79), true, 1, now()
       FROM generate_series(1, :trainees) AS n""",
    "INSERT INTO user_roles (user_id, role) SELECT 1000 + n, 'trainee' "
    "FROM generate_series(1, :trainees) AS n",
    # cohorts over five years, the last ones still running
    """INSERT INTO cohorts (id, programme_slug, name, starts_on, ends_on, region, calendar_token,
                            created_at)
       SELECT c, 'support-person', 'Cohort ' || c,
              DATE '2022-01-01' + (c * 1826 / :cohorts)::int,
              DATE '2022-01-01' + (c * 1826 / :cohorts)::int + 90,
              'Region ' || (c % 4), 'bench-' || c, now()
       FROM generate_series(1, :cohorts) AS c""",
    """INSERT INTO enrolments (id, cohort_id, user_id, status, enrolled_at)
       SELECT n, 1 + (n - 1) / 16, 1000 + n,
              CASE WHEN n % 20 = 0 THEN 'withdrawn'
                   WHEN n % 10 = 0 THEN 'active' ELSE 'completed' END, now()
       FROM generate_series(1, :trainees) AS n""",
    """INSERT INTO training_sessions (cohort_id, title, category, starts_at, ends_at, lessons)
       SELECT c.id, 'Session ' || s,
              CASE WHEN s % 2 = 0 THEN 'support-role' ELSE 'care-practice' END,
              c.starts_on + s * 4 + TIME '09:00', c.starts_on + s * 4 + TIME '12:00', '[]'
       FROM cohorts c, generate_series(1, 17) AS s""",
    """INSERT INTO attendance_records (session_id, user_id, mark, credited_minutes, note,
                                       updated_at)
       SELECT t.id, e.user_id,
              CASE WHEN (t.id + e.user_id) % 9 = 0 THEN 'absent' ELSE 'present' END,
              CASE WHEN (t.id + e.user_id) % 9 = 0 THEN 0 ELSE 180 END, '', now()
       FROM enrolments e JOIN training_sessions t ON t.cohort_id = e.cohort_id""",
    """INSERT INTO practice_entries (id, user_id, cohort_id, created_at)
       SELECT (e.id - 1) * 4 + k, e.user_id, e.cohort_id, now()
       FROM enrolments e, generate_series(1, 4) AS k WHERE e.status <> 'withdrawn'""",
    # three signed off and one waiting per trainee; pairs of trainees share a client
    """INSERT INTO practice_revisions (entry_id, cohort_id, number, status, practised_on,
           minutes, client_code, client_key, client_group, activity, core_acts, reflection,
           created_at, submitted_at, reviewer_id, reviewed_at, attestation)
       SELECT p.id, p.cohort_id, 1, CASE WHEN p.id % 4 = 0 THEN 'submitted' ELSE 'approved' END,
              c.starts_on + 30 + (p.id % 60), 60 + (p.id % 4) * 45,
              'CL-' || ((p.user_id / 2) % 1000) || '-' || (p.id % 4),
              'cl-' || ((p.user_id / 2) % 1000) || '-' || (p.id % 4),
              (ARRAY['refugee-child', 'refugee-adult', 'refugee-family', 'child',
                     'vulnerable-adult', 'family'])[1 + (p.user_id / 2) % 6],
              'home-visit', '["connecting"]', 'A short reflection.', now(), now(),
              CASE WHEN p.id % 4 = 0 THEN NULL ELSE 1 END,
              CASE WHEN p.id % 4 = 0 THEN NULL ELSE now() END,
              CASE WHEN p.id % 4 = 0 THEN NULL ELSE 'I attest.' END
       FROM practice_entries p JOIN cohorts c ON c.id = p.cohort_id""",
    """INSERT INTO certificates (code, credential_id, user_id, enrolment_id, cohort_id,
           programme_slug, earned_in, holder_name, language, hours, hour_minutes, practice_minutes,
           practice_clients, trainers, issued_on, expires_on, issued_at, status)
       SELECT 'B-' || e.id, 'urn:bench:' || e.id, e.user_id, e.id, e.cohort_id, 'support-person',
              'support-person', 'Trainee ' || e.user_id, 'et', '[]', 60, 600, 1, '[]',
              c.ends_on + 7, c.ends_on + 7 + 1095, now(), 'valid'
       FROM enrolments e JOIN cohorts c ON c.id = e.cohort_id WHERE e.status = 'completed'""",
    """INSERT INTO employment_follow_ups (user_id, employment, role_title, employer, asked_on,
                                          recorded_at)
       SELECT e.user_id,
              (ARRAY['support_person', 'related_role', 'other_work', 'not_working'])
                  [1 + e.user_id % 4],
              CASE WHEN e.user_id % 4 = 1 THEN 'sotsiaaltöötaja' ELSE '' END, '', DATE '2026-11-01',
              now()
       FROM enrolments e WHERE e.status = 'completed' AND e.user_id % 2 = 0""",
    "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))",
    "SELECT setval(pg_get_serial_sequence('cohorts', 'id'), (SELECT max(id) FROM cohorts))",
    "SELECT setval(pg_get_serial_sequence('enrolments', 'id'), (SELECT max(id) FROM enrolments))",
    "SELECT setval(pg_get_serial_sequence('practice_entries', 'id'), "
    "(SELECT max(id) FROM practice_entries))",
]


def generate(db, trainees: int) -> None:
    values = {"trainees": trainees, "cohorts": -(-trainees // COHORT_SIZE)}
    for statement in GENERATE:
        used = {name: value for name, value in values.items() if f":{name}" in statement}
        db.session.execute(sa.text(statement), used)
        db.session.commit()
    # What autovacuum does to a live database in time: statistics, and the visibility map that
    # lets the report read signed-off practice from its index alone.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))


def measure(url: str, trainees: int) -> dict:
    from lms import create_app
    from lms.db import upgrade_schema as upgrade
    from lms.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False})  # fmt: skip
    with app.app_context():
        upgrade()
        # the generated reviewer id 1 is the bench's trainer
        bench_person(db, "trainer")
        coordinator = bench_person(db, "coordinator")
        began = time.perf_counter()
        generate(db, trainees)
        built = time.perf_counter() - began
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = coordinator.get_id()

        def get(path: str):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            return response

        page = get("/reports/funder").get_data(as_text=True)
        assert "People trained" in page
        paths = {
            "page": "/reports/funder",
            "one region, one year": "/reports/funder?region=Region+1&date_from=2025-01-01"
            "&date_to=2025-12-31",
            "table CSV": "/reports/funder/municipalities.csv",
            "workbook XLSX": "/reports/funder.xlsx",
            "one cohort": "/reports/funder?cohort=100",
        }
        # Interleaved rounds, every report once per round: a busy machine slows them alike.
        times: dict[str, list[float]] = {name: [] for name in paths}
        for _ in range(REPEAT):
            for name, path in paths.items():
                times[name].append(timed(lambda path=path: get(path), 1))
        results = {"built": built}
        results.update((name, statistics.median(took)) for name, took in times.items())
        db.session.remove()
        db.engine.dispose()
    return results


def main() -> None:
    url = postgres_url()
    if url is None:
        print("PostgreSQL is not reachable: the funder report benchmark needs it.")
        return
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("LMS_INSTANCE_PATH", folder)
        try:
            results = measure(url, TRAINEES)
        finally:
            drop_postgres()
    small = results["one cohort"]
    print(f"Funder report on PostgreSQL, {TRAINEES:,} trainees (medians of {REPEAT} interleaved "
          f"rounds; data generated in {results['built']:.0f} s):")  # fmt: skip
    for name in ("page", "one region, one year", "table CSV", "workbook XLSX", "one cohort"):
        took = results[name]
        print(
            f"  {name:<22} {took * 1000:8.1f} ms   ({took / small:6.1f}x the report for one cohort)"
        )


if __name__ == "__main__":
    main()
