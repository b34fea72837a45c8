"""Practice: the trainers' queue and the logbook PDF.

Times (median of several runs) on SQLite: the queue page ("all" entries, with per-trainee totals)
for a cohort of 200 trainees with 20 entries each next to one of 5 trainees; one trainee's
logbook page and PDF with 40 signed-off entries next to ``/healthz``. Run:
``python -m bench.practice``.
"""

import tempfile
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from bench.quizzes import bench_person, enrolled_cohort, sqlite_app, timed

SIZES = (5, 200)
ENTRIES = 20
FIRST_DAY = date(2026, 2, 1)


def build_cohort(db, trainer_id: int, trainees: int, tag: str, entries: int = ENTRIES) -> int:
    """A cohort whose trainees each have ``entries`` entries, every other one signed off."""
    from lms.cohorts.models import cohort_trainers
    from lms.practice.models import PracticeEntry, PracticeRevision

    cohort, ids = enrolled_cohort(db, trainees, f"p-{tag}")
    db.session.execute(sa.insert(cohort_trainers), {"cohort_id": cohort.id, "user_id": trainer_id})
    now = datetime.now(UTC)
    entry_ids = db.session.scalars(
        sa.insert(PracticeEntry).returning(PracticeEntry.id),
        [{"user_id": user, "cohort_id": cohort.id, "created_at": now}
         for user in ids for _ in range(entries)],
    ).all()  # fmt: skip
    db.session.execute(
        sa.insert(PracticeRevision),
        [{"entry_id": entry, "cohort_id": cohort.id, "number": 1,
          "practised_on": FIRST_DAY + timedelta(days=n % 200),
          "minutes": 60 + n % 90, "client_code": f"C-{n % 7}", "client_key": f"c-{n % 7}",
          "client_group": "refugee-child" if n % 3 else "family", "activity": "home-visit",
          "core_acts": ["connecting"], "reflection": "Reflection text " * 20,
          "status": "approved" if n % 2 else "submitted", "submitted_at": now, "created_at": now,
          "reviewer_id": trainer_id if n % 2 else None, "reviewed_at": now if n % 2 else None,
          "attestation": "I attest." if n % 2 else None}
         for n, entry in enumerate(entry_ids)],
    )  # fmt: skip
    db.session.commit()
    return cohort.id, ids[0]


def main() -> None:
    from lms.auth.models import Role
    from lms.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = sqlite_app(folder)
        with app.app_context():
            trainer = bench_person(db, Role.TRAINER)
            trainer_id, trainer_get_id = trainer.id, trainer.get_id()
            cohorts = {size: build_cohort(db, trainer_id, size, str(size)) for size in SIZES}
            logbook_cohort, logbook_user = build_cohort(db, trainer_id, 1, "logbook", 80)
            db.session.remove()
        client = app.test_client()
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = trainer_get_id
        assert client.get("/healthz").status_code == 200
        health = timed(lambda: client.get("/healthz"), repeat=50)
        queues = {
            size: timed(lambda c=cohort: client.get(f"/practice/queue?status=all&cohort={c}"))
            for size, (cohort, _) in cohorts.items()
        }
        base = f"/practice/cohorts/{logbook_cohort}/people/{logbook_user}"
        first = client.get(base + "/logbook.pdf")
        assert first.status_code == 200, (first.status_code, first.get_data(as_text=True)[:300])
        page = timed(lambda: client.get(base))
        pdf = timed(lambda: client.get(base + "/logbook.pdf"), repeat=15)
        with app.app_context():
            db.engine.dispose()
    small, big = SIZES
    print("Practice (median times, SQLite):")
    print(f"  queue, {big} trainees x {ENTRIES} entries: {queues[big] * 1000:7.1f} ms "
          f"({queues[big] / queues[small]:.1f}x the {small}-trainee queue; it shows 50 entries "
          f"a page and totals for {big // small}x the trainees)")  # fmt: skip
    print(f"  logbook page, 80 entries:  {page * 1000:7.1f} ms ({page / health:.1f}x /healthz)")
    print(f"  logbook PDF, 40 signed off: {pdf * 1000:7.1f} ms ({pdf / health:.1f}x /healthz)")


if __name__ == "__main__":
    main()
