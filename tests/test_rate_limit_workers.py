"""Rate limits hold across gunicorn workers: two real workers share one count by default."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(opener, url: str, data: dict | None = None) -> int:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, body, timeout=120) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError):
        return 0  # not listening (yet)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``gunicorn -w 2`` on a temporary SQLite database, with the production defaults."""
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {
        **os.environ,
        "LMS_DATABASE_URL": f"sqlite:///{folder / 'tugi.sqlite3'}",
        "LMS_INSTANCE_PATH": str(folder),
        "LMS_SECRET_KEY": "rate-limit-test",
    }
    for name in ("LMS_RATELIMIT_STORAGE_URI", "LMS_RATELIMIT_LOGIN", "LMS_RATELIMIT_VERIFY"):
        env.pop(name, None)
    subprocess.run([BIN / "lms", "init"], env=env, check=True, capture_output=True, timeout=600)
    port = _free_port()
    process = subprocess.Popen(
        [BIN / "gunicorn", "-w", "2", "--preload", "-b", f"127.0.0.1:{port}", "lms:create_app()"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # until both workers can answer; bounded
            if process.poll() is not None:
                pytest.fail("gunicorn stopped")
            if _status(urllib.request.build_opener(), f"{base}/healthz") == 200:
                break
            time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer /healthz")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGINT)  # quick shutdown
        process.wait(timeout=120)


def _fire(count: int, attempt) -> list[int]:
    # Several at once, so that both workers answer some of them.
    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(lambda _: attempt(), range(count)))


def test_login_limit_holds_across_two_workers(server):
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(f"{server}/login", timeout=120) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    form = {"email": "nobody@example.org", "password": "wrong", "csrf_token": token}
    codes = _fire(30, lambda: _status(opener, f"{server}/login", form))
    assert codes.count(200) == 10 and codes.count(429) == 20, codes


def test_verification_limit_holds_across_two_workers(server):
    opener = urllib.request.build_opener()
    codes = _fire(45, lambda: _status(opener, f"{server}/verify"))
    assert codes.count(200) == 30 and codes.count(429) == 15, codes


def test_the_database_store_counts_every_concurrent_hit(app, database_url):
    """Many threads on their own connections: no count is lost, each sees its own number."""
    from lms.ratelimit import DatabaseStorage

    storage = DatabaseStorage("database://", url=database_url)
    key = f"test/{time.time()}"
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            counts = list(pool.map(lambda _: storage.incr(key, 60), range(40)))
        assert sorted(counts) == list(range(1, 41))
        assert storage.get(key) == 40 and storage.get_expiry(key) > time.time()
        storage.clear(key)
        assert storage.get(key) == 0 and storage.check()
    finally:
        storage.clear(key)
        storage.engine.dispose()
