"""A load test: many people at once on one Tugi, and a count of every write it made.

Simulated people, each on its own keep-alive connection with its own login, pausing between steps
as a person does: trainees read lessons, open their home page and autosave quiz answers; trainers
mark a register and save it; a coordinator opens the funder report. The run is bounded in time and
in requests and talks to 127.0.0.1 only. Afterwards every write the server confirmed is looked up in
the database: an answer or a mark the server said it saved and that is not there is a lost write.
People arrive over the first ``--arrival`` seconds (5 by default), each at a random moment, as a
class opening its quiz does; ``--arrival 0`` starts all of them in the same instant, the worst case.

Run: ``python -m bench.load`` (PostgreSQL: a scratch database ``tugi_load`` is created and dropped;
LMS_BENCH_POSTGRES names another server), ``--users``, ``--seconds``, ``--workers``.
"""

import argparse
import http.client
import os
import random
import re
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa

from bench.pages import BIN, serve

SERVER = os.environ.get("LMS_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/")
DATABASE = "tugi_load"
LESSONS = (
    "/courses/support-role/boundaries-and-ethics",
    "/courses/support-role",
    "/courses/care-methodology",
)
QUIZ = "support-role-01"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Client:
    """One person's browser: a keep-alive connection to 127.0.0.1 and its cookies."""

    def __init__(self, port: int, timings: dict, errors: list):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.timings = timings
        self.errors = errors

    def request(self, kind: str, method: str, path: str, form: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"{kind}: {error!r}")
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return None, ""
        self.timings[kind].append(time.monotonic() - started)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.status >= 400:
            self.errors.append(f"{kind}: {method} {path} answered {response.status}")
        return response, text

    def log_in(self, email: str, password: str) -> None:
        _response, page = self.request("login", "GET", "/login")
        token = CSRF.search(page)[1]
        form = {"csrf_token": token, "email": email, "password": password}
        response, _page = self.request("login", "POST", "/login", form)
        if response is None or response.status != 302:
            raise SystemExit(f"login of {email} failed")


@dataclass
class Ledger:
    """What the server said it saved: the last value of each answer and each mark."""

    answers: dict = field(default_factory=dict)  # (attempt id, question key) -> choice
    marks: dict = field(default_factory=dict)  # (session id, user id) -> mark
    confirmed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def arrive(after: float, person, *steps) -> None:
    time.sleep(after)
    person(*steps)


def trainee(client: Client, ledger: Ledger, stop_at: float, budget, pause) -> None:
    response, _page = client.request("quiz", "POST", f"/quizzes/{QUIZ}/start", {
        "csrf_token": CSRF.search(client.request("quiz", "GET", f"/quizzes/{QUIZ}")[1])[1],
    })  # fmt: skip
    location = response.getheader("Location", "") if response else ""
    match = re.search(r"/quizzes/attempts/(\d+)", location)
    attempt_id = int(match[1]) if match else None
    choices: dict[int, list[str]] = {}
    token = ""
    if attempt_id:
        _response, page = client.request("quiz", "GET", f"/quizzes/attempts/{attempt_id}")
        token = CSRF.search(page)[1]
        for position, value in re.findall(r'type="radio" name="q-(\d+)" value="(\d+)"', page):
            choices.setdefault(int(position), []).append(value)
    while time.monotonic() < stop_at and budget():
        step = random.random()
        if step < 0.5:
            client.request("lesson", "GET", random.choice(LESSONS))
        elif step < 0.7 or not choices:
            client.request("home", "GET", "/")
        else:
            position = random.choice(list(choices))
            value = random.choice(choices[position])
            form = {"csrf_token": token, "position": position, f"q-{position}": value}
            response, text = client.request(
                "autosave", "POST", f"/quizzes/attempts/{attempt_id}/answer", form
            )
            if response is not None and response.status == 200 and '"saved":true' in text:
                with ledger.lock:
                    ledger.answers[(attempt_id, position)] = int(value)
                    ledger.confirmed += 1
        pause()


def trainer(client: Client, ledger: Ledger, stop_at: float, budget, pause, session_id: int):
    marks = ("present", "absent")
    while time.monotonic() < stop_at and budget():
        _response, page = client.request("register", "GET", f"/attendance/sessions/{session_id}")
        uids = re.findall(r'name="version-(\d+)" value="(\d*)"', page)
        if not uids:
            client.errors.append(f"register {session_id}: no rows")
            return
        uid, version = random.choice(uids)

        def shown(name: str, uid=uid, page=page) -> str:
            found = re.search(rf'name="shown-{name}-{uid}" value="([^"]*)"', page)
            return found[1] if found else ""

        mark = marks[1] if shown("mark") == marks[0] else marks[0]
        form = {
            "csrf_token": CSRF.search(page)[1],
            f"mark-{uid}": mark,
            f"minutes-{uid}": "",
            f"note-{uid}": shown("note"),
            f"shown-mark-{uid}": shown("mark"),
            f"shown-minutes-{uid}": shown("minutes"),
            f"shown-note-{uid}": shown("note"),
            f"version-{uid}": version,
        }
        response, _text = client.request(
            "register save", "POST", f"/attendance/sessions/{session_id}", form
        )
        if response is not None and response.status == 302:
            with ledger.lock:
                ledger.marks[(session_id, int(uid))] = mark
                ledger.confirmed += 1
        pause()


def coordinator(client: Client, ledger: Ledger, stop_at: float, budget, pause) -> None:
    while time.monotonic() < stop_at and budget():
        client.request("funder report", "GET", "/reports/funder")
        pause()


def people(url: str) -> tuple[list[str], list[tuple[str, int]], str]:
    """Trainee emails, (trainer email, a session of theirs to mark) pairs, the coordinator."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        trainees = connection.execute(sa.text(
            "SELECT DISTINCT u.email FROM users u JOIN enrolments e ON e.user_id = u.id"
            " WHERE u.email LIKE '%@demo.tugi.ee' ORDER BY u.email"
        )).scalars().all()  # fmt: skip
        sessions = connection.execute(sa.text(
            "SELECT DISTINCT u.email, s.id FROM training_sessions s"
            " JOIN cohort_trainers t ON t.cohort_id = s.cohort_id JOIN users u ON u.id = t.user_id"
            " WHERE s.starts_at < now() AND s.cancelled_at IS NULL ORDER BY s.id DESC"
        )).all()  # fmt: skip
    engine.dispose()
    return list(trainees), [(email, sid) for email, sid in sessions], "coordinator@demo.tugi.ee"


def lost_writes(url: str, ledger: Ledger) -> list[str]:
    engine = sa.create_engine(url)
    lost = []
    with engine.connect() as connection:
        for (attempt_id, position), choice in ledger.answers.items():
            layout = connection.execute(
                sa.text("SELECT layout FROM quiz_attempts WHERE id = :id"), {"id": attempt_id}
            ).scalar_one()
            key = layout[position]["key"]
            answer = connection.execute(
                sa.text(
                    "SELECT answer FROM quiz_responses WHERE attempt_id = :a AND question_key = :k"
                ),
                {"a": attempt_id, "k": key},
            ).scalar()
            if not answer or answer.get("choice") != choice:
                lost.append(f"answer {attempt_id}/{key}: saved {choice}, found {answer}")
        for (session_id, user_id), mark in ledger.marks.items():
            found = connection.execute(
                sa.text(
                    "SELECT mark FROM attendance_records WHERE session_id = :s AND user_id = :u"
                ),
                {"s": session_id, "u": user_id},
            ).scalar()
            if found != mark:
                lost.append(f"mark {session_id}/{user_id}: saved {mark}, found {found}")
    engine.dispose()
    return lost


def scratch_database() -> str:
    engine = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        connection.execute(sa.text(f"CREATE DATABASE {DATABASE}"))
    engine.dispose()
    return SERVER + DATABASE


def drop_database() -> None:
    engine = sa.create_engine(SERVER + "postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
    engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--pause", type=float, default=1.0, help="mean seconds between steps")
    parser.add_argument(
        "--arrival", type=float, default=5.0, help="seconds over which people arrive"
    )
    args = parser.parse_args()

    from lms.demo import DEMO_PASSWORD

    url = scratch_database()
    instance = tempfile.mkdtemp(prefix="tugi-load-")
    env = {
        **os.environ,
        "LMS_INSTANCE_PATH": instance,
        "LMS_DATABASE_URL": url,
        "LMS_RATELIMIT_LOGIN": "10000 per minute",
        "LMS_RATELIMIT_LOGIN_ADDRESS": "10000 per minute",
    }
    subprocess.run([BIN / "lms", "demo"], env=env, check=True, capture_output=True)
    trainees, sessions, coordinator_email = people(url)
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    ledger = Ledger()
    sent = [0]
    sent_lock = threading.Lock()

    def budget() -> bool:
        with sent_lock:
            sent[0] += 1
            return sent[0] <= args.max_requests

    def pause() -> None:
        time.sleep(random.uniform(0, 2 * args.pause))

    try:
        with serve("lms:create_app()", env, args.workers, "/healthz") as (port, _start, _pid):
            trainers = max(1, args.users // 8)
            plan = []  # (role, email, extra)
            plan.append(("coordinator", coordinator_email, None))
            used = set()
            for email, session_id in sessions:
                if len([p for p in plan if p[0] == "trainer"]) >= trainers:
                    break
                if session_id not in used:
                    used.add(session_id)
                    plan.append(("trainer", email, session_id))
            for index in range(args.users - len(plan)):
                plan.append(("trainee", trainees[index % len(trainees)], None))
            clients = []
            for role, email, extra in plan:
                client = Client(port, timings, errors)
                client.log_in(email, DEMO_PASSWORD)
                clients.append((role, client, extra))
            timings.pop("login", None)
            stop_at = time.monotonic() + args.seconds
            started = time.monotonic()
            threads = []
            for role, client, extra in clients:
                if role == "trainee":
                    target, more = trainee, ()
                elif role == "trainer":
                    target, more = trainer, (extra,)
                else:
                    target, more = coordinator, ()
                thread = threading.Thread(
                    target=arrive,
                    args=(random.uniform(0, args.arrival), target,
                          client, ledger, stop_at, budget, pause, *more),
                )  # fmt: skip
                threads.append(thread)
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        lost = lost_writes(url, ledger)
    finally:
        drop_database()

    every = [t for values in timings.values() for t in values]
    print(
        f"{args.users} simulated people for {args.seconds:.0f} s,"
        f" gunicorn -w {args.workers} (sync), PostgreSQL, {os.cpu_count()} cores, 127.0.0.1,"
        f" arriving over {args.arrival:g} s"
    )
    print(f"{len(every):,} requests, {len(every) / elapsed:.1f} requests/s")
    print(f"{'kind':<15} {'requests':>9} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in sorted(timings.items()):
        print(
            f"{kind:<15} {len(values):>9} {statistics.median(values) * 1000:>10.0f}"
            f" {percentile(values, 0.95) * 1000:>8.0f} {max(values) * 1000:>8.0f}"
        )
    print(f"{'all':<15} {len(every):>9} {statistics.median(every) * 1000:>10.0f}"
          f" {percentile(every, 0.95) * 1000:>8.0f} {max(every) * 1000:>8.0f}")  # fmt: skip
    print(f"errors: {len(errors)}" + "".join(f"\n  {error}" for error in errors[:10]))
    print(f"writes confirmed by the server: {ledger.confirmed}; lost: {len(lost)}")
    for line in lost[:10]:
        print(f"  {line}")


if __name__ == "__main__":
    main()
