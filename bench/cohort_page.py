"""The cohort page for 10 times the trainees and 10 times the sessions, on SQLite and PostgreSQL.

Builds a cohort of 20 trainees x 6 sessions and one of 200 x 60 (every trainee marked in every
session), then times the page a coordinator sees (schedule, every trainee's ledger, a status form
per trainee) in interleaved rounds and prints the medians and their ratio.
Run: ``python -m bench.cohort_page`` (PostgreSQL as in ``bench.register_matrix``).
"""

from bench.register_matrix import (
    app_with_coordinator,
    build,
    on_both_databases,
    timed_rounds,
)

SIZES = ((20, 6), (200, 60))
REPEAT = 7


def measure(url: str) -> dict:
    from lms.extensions import db

    app, client = app_with_coordinator(url)
    with app.app_context():
        cohorts = {size: build(db, *size, f"cohort-{size[0]}x{size[1]}") for size in SIZES}
        db.session.remove()
    paths = {size: f"/cohorts/{cohort_id}/" for size, cohort_id in cohorts.items()}
    results = timed_rounds(client, paths, REPEAT)
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> None:
    runs = on_both_databases(measure)
    (small_t, small_s), (big_t, big_s) = SIZES
    print(f"Cohort page (median of {REPEAT}, interleaved), {small_t} x {small_s} and "
          f"{big_t} x {big_s} (trainees x sessions); wall clock, then the CPU time of this "
          "process:")  # fmt: skip
    for name, result in runs.items():
        (small, small_cpu), (big, big_cpu) = result[SIZES[0]], result[SIZES[1]]
        print(f"  {name:<10} {small * 1000:6.1f} and {big * 1000:6.1f} ms, {big / small:4.1f}x   "
              f"CPU {small_cpu * 1000:6.1f} and {big_cpu * 1000:6.1f} ms, "
              f"{big_cpu / small_cpu:4.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
