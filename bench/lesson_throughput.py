"""Lesson page against a trivial route of the same app, served by gunicorn on 127.0.0.1.

Both are loaded for the same time by the same load generator, with the same logged-in session,
and the throughputs and their ratio are printed. Run: ``python -m bench.lesson_throughput``.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LESSON = "/courses/support-role/boundaries-and-ethics"
TRIVIAL = "/healthz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", TRIVIAL)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def log_in(port: int) -> str:
    """Log in as the demo trainee; return the Cookie header to send."""
    from lms.demo import DEMO_PASSWORD

    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    body = urllib.parse.urlencode(
        {"csrf_token": token, "email": "trainee@demo.tugi.ee", "password": DEMO_PASSWORD}
    )
    headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", "/login", body, headers)
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"login failed: {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


def load(port: int, path: str, cookie: str, seconds: float, concurrency: int) -> float:
    """Requests per second for ``path`` over ``seconds`` with ``concurrency`` keep-alive clients."""
    counts = [0] * concurrency
    errors = []
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors.append(response.status)
                return
            counts[index] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{path} answered {errors[0]}")
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="tugi-bench-")
    env = {**os.environ, "LMS_INSTANCE_PATH": instance, "LMS_RATELIMIT_LOGIN": "1000 per minute"}
    env.pop("LMS_DATABASE_URL", None)
    subprocess.run([BIN / "lms", "demo"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}", "lms:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(port)
        cookie = log_in(port)
        for path in (LESSON, TRIVIAL):  # warm up: catalog loaded in every worker
            load(port, path, cookie, 1.0, args.concurrency)
        lesson = load(port, LESSON, cookie, args.seconds, args.concurrency)
        trivial = load(port, TRIVIAL, cookie, args.seconds, args.concurrency)
    finally:
        server.terminate()
        server.wait(10)
    print(f"gunicorn workers={args.workers}, clients={args.concurrency}, {args.seconds:.0f} s each")
    print(f"lesson page  {LESSON}: {lesson:8.1f} requests/s")
    print(f"trivial route {TRIVIAL}: {trivial:8.1f} requests/s")
    print(f"ratio lesson/trivial: {lesson / trivial:.2f}")


if __name__ == "__main__":
    main()
