"""The fixed cost of a page: CPU time of Tugi's pages against a 5-line Flask app, in one process.

Each request goes through the test client with no application context held outside it, so Flask
pushes a fresh application and request context every time and the person is loaded from the
database on every request, as in a real worker. The pages and the bare app are timed in
interleaved rounds (``time.process_time`` around a batch of requests); the figures are the
medians over the rounds, per request, and their ratio to the bare app (its requests per CPU
second divided by the page's). Then it starts gunicorn with two workers, with and without
``--preload``, and times the start to the first 200 from each worker's ``/healthz``. Run:
``python -m bench.fixed_cost [--rounds 15 --batch 10]``.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import tempfile
import time

import sqlalchemy as sa
from flask import Flask

LESSON = "/courses/support-role/boundaries-and-ethics"


def bare_app() -> Flask:
    """The yardstick: a Flask app with one route that says hello."""
    app = Flask("bare")
    app.add_url_rule("/", "hello", lambda: "Hello")
    return app


def demo_app(folder: str):
    """The demo on a fresh SQLite file; the login cookies' identities of the people timed."""
    from bench.quizzes import sqlite_app
    from lms.auth.logins import start_login
    from lms.auth.models import User
    from lms.demo import load_demo
    from lms.demo.people import OKSANA, OLENA, TIINA
    from lms.extensions import db

    app = sqlite_app(folder)
    with app.app_context():
        load_demo(db.session, "pbkdf2:sha256:1000")
        identities = {}
        for key, email in (
            ("trainee", OKSANA),
            ("certified", OLENA),
            ("trainer", TIINA),
            ("coordinator", "coordinator@demo.tugi.ee"),
        ):
            user = db.session.scalar(sa.select(User).where(User.email == email))
            start_login(db.session, user)
            identities[key] = user.get_id()
        db.session.commit()
    return app, identities


def statements(app) -> list:
    """A list that every SQL statement the app's engine runs is appended to."""
    from lms.extensions import db

    seen = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def initialised_instance() -> dict:
    """The environment of a fresh instance folder with its SQLite database made (``lms init``)."""
    from bench.pages import BIN

    env = {**os.environ, "LMS_INSTANCE_PATH": tempfile.mkdtemp(prefix="tugi-bench-")}
    env.pop("LMS_DATABASE_URL", None)
    subprocess.run([BIN / "lms", "init"], env=env, check=True, capture_output=True)
    return env


def start_to_first_answers(env: dict, preload: bool, workers: int = 2) -> float:
    """Seconds from starting gunicorn to ``workers`` answers of 200 on ``/healthz`` (each a new
    connection, so that the workers answer in turn once they are up)."""
    from bench.pages import BIN, ROOT, as_deployed, free_port

    as_deployed()
    port = free_port()
    command = [BIN / "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    began = time.perf_counter()
    server = subprocess.Popen(
        [*command, *(["--preload"] if preload else []), "lms:create_app()"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        answered = 0
        while answered < workers:
            if time.perf_counter() - began > 120:
                raise SystemExit("gunicorn did not answer")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", "/healthz")
                answered += connection.getresponse().status == 200
                connection.close()
            except OSError:
                time.sleep(0.05)
        return time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=10, help="requests of each page a round")
    parser.add_argument("--starts", type=int, default=3, help="gunicorn starts of each kind")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        app, identities = demo_app(folder)
        clients = {}
        for key, identity in identities.items():
            clients[key] = app.test_client()
            with clients[key].session_transaction() as flask_session:
                flask_session["_user_id"] = identity
        anonymous = app.test_client()
        bare = bare_app().test_client()
        pages = {
            "5-line Flask app": (bare, "/"),
            "/healthz": (anonymous, "/healthz"),
            "lesson page (trainee)": (clients["trainee"], LESSON),
            "trainee home": (clients["trainee"], "/"),
            "trainee home (certified)": (clients["certified"], "/"),
            "trainer home": (clients["trainer"], "/"),
            "coordinator home": (clients["coordinator"], "/"),
        }
        seen = statements(app)
        queries = {}
        for name, (client, path) in pages.items():  # warm up, check, count statements
            seen.clear()
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
            queries[name] = len(seen) if client is not bare else 0
        times = {name: [] for name in pages}
        for _ in range(args.rounds):
            for name, (client, path) in pages.items():
                began = time.process_time()
                for _ in range(args.batch):
                    client.get(path)
                times[name].append((time.process_time() - began) / args.batch)
        with app.app_context():
            from lms.extensions import db

            db.engine.dispose()
    medians = {name: statistics.median(values) for name, values in times.items()}
    yardstick = medians["5-line Flask app"]
    print(f"CPU per request, medians of {args.rounds} interleaved rounds of {args.batch} (SQLite):")
    print(f"  {'page':28} {'ms':>7} {'ratio':>7} {'spread':>7} {'SQL':>4}")
    for name, median in medians.items():
        spread = (max(times[name]) - min(times[name])) / median
        print(
            f"  {name:28} {median * 1000:7.2f} {yardstick / median:7.3f} "
            f"{spread:7.0%} {queries[name]:4d}"
        )
    starts = {preload: [] for preload in (False, True)}
    env = initialised_instance()
    for _ in range(args.starts):
        for preload in starts:
            starts[preload].append(start_to_first_answers(env, preload))
    print(f"Start of gunicorn -w 2 to two answers from /healthz, median of {args.starts}:")
    for preload, seconds in starts.items():
        print(
            f"  {'with' if preload else 'without'} --preload: {statistics.median(seconds):5.1f} s"
        )


if __name__ == "__main__":
    main()
