"""Every page people open most, as a ratio to a five-line Flask app under the same server.

Both apps run under the same gunicorn (``-w 2``, sync workers) on 127.0.0.1 in the same run. The
pages and the bare app are loaded in interleaved rounds (bare, page, bare, page, ...) by the same
client, several processes of keep-alive connections, so that a busy moment of the machine falls on
both; each page's ratio is taken against the bare app's figure of the same round, and the median and
the spread of the rounds are printed. Then the time from start to the first 200 of each server, and
each worker's memory once every page has been served.

Run: ``python -m bench.pages`` (SQLite), ``--database-url postgresql+psycopg://...`` for PostgreSQL
(the demo is loaded into it; use a scratch database).
"""

import argparse
import http.client
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

#: page -> (who is logged in, address); the verify address is filled in from the demo
PAGES = {
    "lesson page": ("trainee@demo.tugi.ee", "/courses/support-role/boundaries-and-ethics"),
    "trainee home": ("trainee@demo.tugi.ee", "/"),
    "trainer home": ("trainer@demo.tugi.ee", "/"),
    "coordinator home": ("coordinator@demo.tugi.ee", "/"),
    "/verify": (None, "/verify/{certificate}"),
    "funder report": ("coordinator@demo.tugi.ee", "/reports/funder"),
}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def first_ok(port: int, path: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.02)
    raise SystemExit(f"the server on {port} did not answer {path}")


def as_deployed() -> None:
    """Write Tugi's bytecode, as installing the wheel does, so that a server started here does not
    compile every module each start (it would, where ``PYTHONDONTWRITEBYTECODE`` is set)."""
    import compileall

    compileall.compile_dir(ROOT / "lms", quiet=1)


@contextmanager
def serve(app: str, env: dict, workers: int, probe: str):
    """A gunicorn serving ``app``; yields (port, seconds from start to the first 200, pid)."""
    as_deployed()
    port = free_port()
    log = tempfile.TemporaryFile()
    started = time.monotonic()
    server = subprocess.Popen(
        [BIN / "gunicorn", "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}", app],
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        try:
            first_ok(port, probe)
        except SystemExit:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
            raise
        yield port, time.monotonic() - started, server.pid
    finally:
        server.terminate()
        server.wait(20)


def log_in(port: int, email: str) -> str:
    """Log in as a demo person; return the Cookie header to send."""
    from lms.demo import DEMO_PASSWORD

    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/login", body, headers)
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"login of {email} failed: {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


def _client_process(port: int, path: str, cookie: str, seconds: float, threads: int) -> int:
    """Requests answered in ``seconds`` by ``threads`` keep-alive connections of one process."""
    counts = [0] * threads
    failures = []
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < stop_at:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(response.status)
                return
            counts[index] += 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if failures:
        raise SystemExit(f"{path} answered {failures[0]}")
    return sum(counts)


def throughput(pool, port: int, path: str, cookie: str, seconds: float, clients: int) -> float:
    processes = pool._processes  # noqa: SLF001  (the pool's size is the number of client processes)
    per_process = max(1, clients // processes)
    started = time.monotonic()
    counts = pool.starmap(_client_process, [(port, path, cookie, seconds, per_process)] * processes)
    return sum(counts) / (time.monotonic() - started)


def worker_memory_mb(master_pid: int) -> list[float]:
    """Resident memory of each worker of a gunicorn master (Linux /proc)."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def demo_certificate(env: dict) -> str:
    """The verification code of a certificate of the demo."""
    script = (
        "import sqlalchemy as sa\n"
        "from lms import create_app\n"
        "from lms.certificates.models import Certificate\n"
        "from lms.extensions import db\n"
        "with create_app().app_context():\n"
        "    print(db.session.scalar(sa.select(Certificate.code).limit(1)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="per page and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="tugi-bench-")
    env = {
        **os.environ,
        "LMS_INSTANCE_PATH": instance,
        "LMS_RATELIMIT_LOGIN": "1000 per minute",
        # counted as in production (a write per request), but never reached by the load
        "LMS_RATELIMIT_VERIFY": "10000000 per minute",
    }
    env.pop("LMS_DATABASE_URL", None)
    if args.database_url:
        env["LMS_DATABASE_URL"] = args.database_url
    subprocess.run([BIN / "lms", "demo"], env=env, check=True, capture_output=True)
    certificate = demo_certificate(env)

    results: dict[str, list[float]] = {name: [] for name in PAGES}
    bare_rates: list[float] = []
    pool = multiprocessing.get_context("fork").Pool(2)
    try:
        with (
            serve("bench.bare_app:app", env, args.workers, "/") as (
                bare_port,
                bare_start,
                bare_pid,
            ),
            serve("lms:create_app()", env, args.workers, "/healthz") as (port, start, pid),
        ):
            cookies = {None: ""}
            for email, _path in PAGES.values():
                if email not in cookies:
                    cookies[email] = log_in(port, email)
            addresses = {
                name: path.format(certificate=certificate) for name, (_e, path) in PAGES.items()
            }
            for name, (email, _path) in PAGES.items():  # warm up every worker's caches
                throughput(pool, port, addresses[name], cookies[email], 0.5, args.clients)
            throughput(pool, bare_port, "/", "", 0.5, args.clients)
            for _round in range(args.rounds):
                for name, (email, _path) in PAGES.items():
                    bare = throughput(pool, bare_port, "/", "", args.seconds, args.clients)
                    page = throughput(
                        pool, port, addresses[name], cookies[email], args.seconds, args.clients
                    )
                    bare_rates.append(bare)
                    results[name].append(page / bare)
            tugi_memory = worker_memory_mb(pid)
            bare_memory = worker_memory_mb(bare_pid)
    finally:
        pool.close()
        pool.join()

    database = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"gunicorn -w {args.workers} (sync) on 127.0.0.1, {database}, {args.clients} clients in 2"
        f" processes, {args.rounds} rounds of {args.seconds:.0f} s, {os.cpu_count()} cores"
    )
    print(f"five-line Flask app: median {statistics.median(bare_rates):,.0f} requests/s")
    print(f"{'page':<18} {'ratio (median)':>14} {'spread':>15}")
    for name, ratios in results.items():
        print(
            f"{name:<18} {statistics.median(ratios):>14.3f} {min(ratios):>7.3f}-{max(ratios):.3f}"
        )
    print(f"start to the first 200: Tugi /healthz {start:.1f} s, Flask app {bare_start:.1f} s")
    print(
        "memory per worker: Tugi "
        + ", ".join(f"{mb:.0f}" for mb in tugi_memory)
        + " MB; Flask app "
        + ", ".join(f"{mb:.0f}" for mb in bare_memory)
        + " MB"
    )


if __name__ == "__main__":
    main()
