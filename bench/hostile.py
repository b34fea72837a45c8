"""Hostile input: how long each parser of user text takes at its size limit.

Every path that parses text a person typed or uploaded (Markdown in reflections, comments and
essays; GIFT quiz files; CSV imports) is fed the worst inputs known for it, at the largest size
the forms accept, next to ordinary text of the same size. Run: ``python -m bench.hostile``.
Prints the CPU time of each case and its ratio to the ordinary text.
"""

import time

from lms.quizzes.forms import MAX_GIFT_BYTES

#: The longest Markdown a person can send (reflections and essays).
MARKDOWN_LIMIT = 20_000
#: The largest CSV upload the app reads (``MAX_CONTENT_LENGTH``, less the form around it).
CSV_LIMIT = 4_900_000

_PROSE = (
    "We met the class teacher together and agreed on **two** steps; the mother asked "
    "about [the school meal](https://example.org/meals) and _homework_ help.\n\n"
)


def repeat(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]


def markdown_cases(size: int = MARKDOWN_LIMIT) -> dict[str, str]:
    """Inputs that made Python-Markdown slow or crash, and ordinary prose, all ``size`` long."""
    units = [
        "[", "[a](", "![", "[^", "[[", "*[", "[a](b\"", "](", "(", "<http://a", "<a",
        "a\n=\n", "-\n", "=\n", "a|b\n-\n", "|a|\n|-|\n", "- ", "1. ", "> ", ">", "*", "_",
        "`", "\\", "*_", "<!--", "```\n",
    ]  # fmt: skip
    cases = {f"{unit!r} repeated": repeat(unit, size) for unit in units}
    cases["nested lists"] = repeat("".join("  " * i + "- x\n" for i in range(200)), size)
    cases["ordinary prose"] = repeat(_PROSE, size)
    return cases


def gift_cases(size: int = MAX_GIFT_BYTES) -> dict[str, str]:
    """GIFT text at the upload limit: a huge bank, broken blocks, and an ordinary file."""
    header = "// @title: Hostile\n\n"
    units = ["Q{T}", "Q{T}\n\n", "Q{\n\n", "::a::b{=c~d}\n\n", "{", "~", "::", "\\", "{#1:1}\n\n"]
    cases = {f"{unit!r} repeated": header + repeat(unit, size - len(header)) for unit in units}
    ordinary = "::Q{n}:: Which core act comes first? {=connecting ~ensuring ~strengthening}\n\n"
    bank = "".join(ordinary.replace("{n}", str(n)) for n in range(1000))
    cases["1,000 ordinary questions"] = header + bank[: size - len(header)]
    return cases


def people_csv(rows: int, size: int | None = None) -> str:
    """A people file of ``rows`` rows, or of as many as fit in ``size`` characters."""
    header = "email,display_name,roles,language,municipality\n"
    row = "person{n}@example.org,Person Number {n},trainee,et,Võru\n"
    if size is not None:
        rows = (size - len(header)) // len(row.format(n=10_000))
    return header + "".join(row.format(n=n) for n in range(rows))


def csv_cases(size: int = CSV_LIMIT) -> dict[str, str]:
    """A people file at the upload limit (about 80,000 rows) and one of the most a file holds."""
    from lms.users.people_csv import MAX_ROWS

    return {
        f"{size:,} characters": people_csv(0, size),
        f"{MAX_ROWS} people": people_csv(MAX_ROWS),
    }


def cpu_seconds(function, *args) -> float:
    """CPU time of one call: what a busy machine's other processes do not change much."""
    started = time.process_time()
    function(*args)
    return time.process_time() - started


def render_uncached(text: str) -> None:
    """Render as the practice pages do, without the cache (each case is new text anyway)."""
    from lms.rendering import _render

    _render(text, None)


def check_gift(text: str) -> None:
    """Read a quiz as an upload is read: parse and check."""
    from lms.quizzes.definitions import read_quiz

    read_quiz("hostile", text, "", origin="upload")


def guard(text: str) -> None:
    """The check every reflection passes before it is saved."""
    from lms.practice.privacy import reflection_problem

    reflection_problem(text)


def report(title: str, function, cases: dict[str, str], ordinary: str) -> None:
    function(cases[ordinary])  # imports and caches warmed once
    baseline = cpu_seconds(function, cases[ordinary])
    print(f"\n{title} (ordinary text: {baseline * 1000:.0f} ms CPU)")
    for name, text in cases.items():
        seconds = cpu_seconds(function, text)
        ratio = seconds / baseline
        print(f"  {name:<28} {len(text):>8} chars {seconds * 1000:>7.0f} ms {ratio:>6.1f}x")


def pages() -> None:
    """Whole requests: a trainer's upload preview and a practice entry with hostile text."""
    import tempfile
    from datetime import UTC, date, datetime, timedelta

    from bench.quizzes import bench_person, sqlite_app
    from lms.auth.models import Role
    from lms.cohorts.models import Cohort, Enrolment
    from lms.extensions import db
    from lms.practice import services as practice
    from lms.programmes.services import get_programme

    with tempfile.TemporaryDirectory() as folder:
        app = sqlite_app(folder)
        with app.app_context():
            trainer = bench_person(db, Role.TRAINER)
            trainee = bench_person(db, Role.TRAINEE)
            cohort = Cohort(programme_slug="support-person", name="Hostile",
                            starts_on=date(2026, 9, 1), ends_on=date(2027, 3, 1))  # fmt: skip
            cohort.trainers.append(trainer)
            db.session.add(cohort)
            db.session.flush()
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id))
            entries, checked = {}, {}
            for name, text in markdown_cases().items():
                data = practice.EntryData(
                    practised_on=date(2026, 9, 1) + timedelta(days=len(entries)),
                    minutes=60, client_code="UA-01",
                    client_group="refugee-child", activity="school-contact",
                    core_acts=["connecting"], reflection=text,
                )  # fmt: skip
                started = time.process_time()
                try:
                    entry = practice.create_entry(
                        db.session, trainee, cohort, get_programme("support-person"), data,
                        today=date(2026, 10, 20), now=datetime.now(UTC), submit=True,
                    )  # fmt: skip
                except practice.PracticeError:
                    entries[name] = None  # the privacy guard refused it: nothing to show
                else:
                    entries[name] = entry.id
                checked[name] = time.process_time() - started
            db.session.commit()
            trainer_id = trainer.get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = trainer_id
        print("\nWhole requests as the trainer (wall time of the first, uncached view)")
        for name, entry_id in entries.items():
            check = f"checked and saved in {checked[name] * 1000:>4.0f} ms CPU"
            if entry_id is None:
                print(f"  reflection {name:<24} {check}, refused (looks identifying)")
                continue
            seconds = wall(client.get, f"/practice/entries/{entry_id}")
            print(f"  reflection {name:<24} {check}, entry page {seconds * 1000:>5.0f} ms")
        for name, text in gift_cases().items():
            form = {"slug": "hostile", "title": "Hostile", "source": text, "preview": "1",
                    "pass_mark": "70", "attempts": "0", "time_limit": "0", "link": ""}  # fmt: skip
            seconds = wall(client.post, "/quizzes/upload", form)
            print(f"  quiz upload preview, {name:<28} {seconds * 1000:>7.0f} ms")


def wall(function, *args) -> float:
    """Wall time of one call that answers 200."""
    started = time.perf_counter()
    response = function(*args) if len(args) == 1 else function(args[0], data=args[1])
    assert response.status_code == 200, (args[0], response.status_code)
    return time.perf_counter() - started


def import_csv_once(text: str) -> tuple[float, str]:
    """Import a people file on a fresh database, as *People → Import* does."""
    import tempfile

    from bench.quizzes import sqlite_app
    from lms.extensions import db
    from lms.users.services import import_users

    with tempfile.TemporaryDirectory() as folder:
        app = sqlite_app(folder)
        with app.app_context():
            started = time.process_time()
            result = import_users(db.session, text, "pbkdf2:sha256:1000")
            seconds = time.process_time() - started
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
    outcome = f"{len(result.created)} created" if result.created else result.problems[0].message
    return seconds, outcome


def main() -> None:
    report("Markdown at 20,000 characters", render_uncached, markdown_cases(), "ordinary prose")
    report("Privacy guard on the same text", guard, markdown_cases(), "ordinary prose")
    report("GIFT at 512 KiB", check_gift, gift_cases(), "1,000 ordinary questions")
    print("\nPeople CSV import (CPU time of the import itself)")
    for name, text in csv_cases().items():
        seconds, outcome = import_csv_once(text)
        print(f"  {name:<24} {seconds * 1000:>7.0f} ms  {outcome}")
    pages()


if __name__ == "__main__":
    main()
