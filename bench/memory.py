"""Start-up and memory: seconds from start to the first 200, and each worker's memory after 1,000
requests of the pages people open most, beside a five-line Flask app under the same gunicorn.

Each round starts the Flask app and then Tugi (``gunicorn -w 2``, sync workers, 127.0.0.1), times
each from the start of the process to its first 200 (``/`` and ``/healthz``), sends 1,000 requests
from four connections (Tugi: every page of ``bench.pages`` and, in turn, every lesson of every
course, as the trainee, trainer and coordinator of the demo), then reads each worker's resident
memory from /proc, and how much of it no other process shares. Medians and spread over the
rounds are printed.

``--tracemalloc`` instead serves the same 1,000 requests in this process and prints the 20 files
that hold the most memory allocated since before ``lms`` was imported.

Run: ``python -m bench.memory`` (SQLite), ``--database-url postgresql+psycopg://...`` for
PostgreSQL (the demo is loaded into it; use a scratch database), ``--preload`` for gunicorn's.
"""

import argparse
import http.client
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from bench.pages import BIN, PAGES, ROOT, demo_certificate, log_in, serve, worker_memory_mb

REQUESTS = 1000
CONNECTIONS = 4
LESSONS_PER_CYCLE = 4


def lesson_addresses() -> list[str]:
    """Every lesson of every shipped course, as its page's address."""
    from lms.courses.loader import load_catalog

    catalog = load_catalog(ROOT)
    return [f"/courses/{c.slug}/{lesson.slug}" for c in catalog.courses for lesson in c.lessons]


def request_plan(certificate: str, count: int = REQUESTS) -> list[tuple[str | None, str]]:
    """(who, address) of ``count`` requests: the pages of ``bench.pages`` in turn, each round
    followed by the next few lessons of the whole catalogue, read by the trainee."""
    pages = [(email, path.format(certificate=certificate)) for email, path in PAGES.values()]
    trainee = PAGES["lesson page"][0]
    lessons = itertools.cycle(lesson_addresses())
    plan: list[tuple[str | None, str]] = []
    while len(plan) < count:
        plan += pages + [(trainee, next(lessons)) for _ in range(LESSONS_PER_CYCLE)]
    return plan[:count]


def send(port: int, plan: list[tuple[str, str]]) -> None:
    """Send ``plan`` (cookie, address) over ``CONNECTIONS`` connections; every answer a 200."""
    failures = []

    def client(part: list[tuple[str, str]]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for cookie, path in part:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path} answered {response.status}")

    threads = [
        threading.Thread(target=client, args=(plan[i::CONNECTIONS],)) for i in range(CONNECTIONS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(failures[0])


def environment(database_url: str) -> dict:
    """The environment of the servers: a scratch instance folder with the demo loaded."""
    env = {
        **os.environ,
        "LMS_INSTANCE_PATH": tempfile.mkdtemp(prefix="tugi-bench-"),
        "LMS_RATELIMIT_LOGIN": "1000 per minute",
        "LMS_RATELIMIT_VERIFY": "10000000 per minute",
    }
    env.pop("LMS_DATABASE_URL", None)
    if database_url:
        env["LMS_DATABASE_URL"] = database_url
    subprocess.run([BIN / "lms", "demo"], env=env, check=True, capture_output=True)
    return env


def worker_own_memory_mb(master_pid: int) -> list[float]:
    """Memory of each worker of a gunicorn master that no other process shares (Linux /proc):
    with ``--preload``, a page of the app built before the fork counts once the worker writes
    to it."""
    sizes = []
    for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = dict(
            line.split(":")
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
        )
        sizes.append(
            sum(int(fields[k].split()[0]) for k in ("Private_Clean", "Private_Dirty")) / 1024
        )
    return sizes


def one_round(env: dict, certificate: str, workers: int, preload: bool):
    """(Tugi's start, Flask app's start, Tugi's worker memory, Flask app's worker memory, Tugi's
    workers' own memory)."""
    extra = ["--preload"] if preload else []
    with serve(
        "bench.bare_app:app", {**env, "GUNICORN_CMD_ARGS": " ".join(extra)}, workers, "/"
    ) as (
        bare_port,
        bare_start,
        bare_pid,
    ):
        send(bare_port, [("", "/")] * REQUESTS)
        bare_memory = worker_memory_mb(bare_pid)
    with serve(
        "lms:create_app()", {**env, "GUNICORN_CMD_ARGS": " ".join(extra)}, workers, "/healthz"
    ) as (
        port,
        start,
        pid,
    ):
        plan = request_plan(certificate)
        cookies = {email: log_in(port, email) for email in {e for e, _ in plan if e}}
        send(port, [(cookies.get(email, ""), path) for email, path in plan])
        memory, own = worker_memory_mb(pid), worker_own_memory_mb(pid)
    return start, bare_start, memory, bare_memory, own


def spread(values: list[float], unit: str, digits: int = 1) -> str:
    return (
        f"median {statistics.median(values):.{digits}f} {unit} "
        f"({min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def measure(args) -> None:
    env = environment(args.database_url)
    certificate = demo_certificate(env)
    starts, bare_starts, memory, bare_memory, own = [], [], [], [], []
    for _round in range(args.rounds):
        start, bare_start, mb, bare_mb, own_mb = one_round(
            env, certificate, args.workers, args.preload
        )
        starts.append(start)
        bare_starts.append(bare_start)
        memory += mb
        bare_memory += bare_mb
        own += own_mb
    database = "PostgreSQL" if args.database_url else "SQLite"
    preload = " --preload" if args.preload else ""
    print(
        f"gunicorn -w {args.workers}{preload} (sync) on 127.0.0.1, {database}, {args.rounds}"
        f" rounds, {os.cpu_count()} cores"
    )
    print(f"start to the first 200: Tugi /healthz {spread(starts, 's')}, "
          f"Flask app {spread(bare_starts, 's')}")  # fmt: skip
    print(f"memory per worker after {REQUESTS:,} requests: Tugi {spread(memory, 'MB', 0)}, "
          f"Flask app {spread(bare_memory, 'MB', 0)}")  # fmt: skip
    print(f"of which shared with no other process: Tugi {spread(own, 'MB', 0)}")


def _log_in_here(client, email: str) -> None:
    from lms.demo import DEMO_PASSWORD

    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    data = {"csrf_token": token, "email": email, "password": DEMO_PASSWORD}
    if client.post("/login", data=data).status_code != 302:
        raise SystemExit(f"login of {email} failed")


def trace(args) -> None:
    """The 1,000 requests in this process, and the files holding the memory they left."""
    import tracemalloc

    env = environment(args.database_url)
    certificate = demo_certificate(env)
    os.environ.update(env)
    tracemalloc.start()
    from lms import create_app

    app = create_app()
    started = tracemalloc.take_snapshot()
    plan = request_plan(certificate)
    clients = {}
    for email in {e for e, _ in plan}:
        clients[email] = app.test_client()
        if email:
            _log_in_here(clients[email], email)
    for email, path in plan:
        response = clients[email].get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    finished = tracemalloc.take_snapshot()
    rss = [line for line in Path("/proc/self/status").read_text().splitlines() if "VmRSS" in line]
    print(f"{rss[0]}; traced: {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB")
    print("after create_app(), the 20 files holding most:")
    for stat in started.statistics("filename")[:20]:
        print(f"  {stat.size / 2**20:7.2f} MB  {stat.traceback[0].filename}")
    print(f"grown over {REQUESTS:,} requests, the 20 files holding most:")
    for stat in finished.compare_to(started, "filename")[:20]:
        print(f"  {stat.size_diff / 2**20:+7.2f} MB  {stat.traceback[0].filename}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--preload", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()
    (trace if args.tracemalloc else measure)(args)


if __name__ == "__main__":
    sys.exit(main())
