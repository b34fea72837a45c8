"""Browser tests: Debian's Chromium, driven by Playwright, against the app served on 127.0.0.1."""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from lms.auth.models import Role
from lms.auth.services import create_user
from lms.db import utcnow
from lms.demo import load_demo
from lms.extensions import db
from tests.conftest import empty_every_table, make_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Tests wait for states, never for times; on a loaded machine a state can take long to come, so
# every wait is generous: a failing test waits longer, a passing one no longer than it needs.
EXPECT_TIMEOUT_MS = 30_000  # expect(...) assertions (Playwright's default: 5 s)
ACTION_TIMEOUT_MS = 60_000  # clicks, fills, navigations, wait_for_* (Playwright's default: 30 s)
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    """Mark browser tests; skip them (or fail, in CI) when Chromium is not installed."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not os.path.exists(CHROMIUM) and not os.environ.get("LMS_REQUIRE_BROWSER"):
                item.add_marker(
                    pytest.mark.skip(
                        reason="Debian's chromium is not installed: apt-get install chromium"
                    )
                )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, browser_name):
    """Use the system's Chromium; Playwright's own browser download is not available here."""
    if browser_name == "chromium":
        return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}
    return browser_type_launch_args


class PatientBrowser:
    """The session's browser, whose new contexts and pages wait ``ACTION_TIMEOUT_MS``."""

    def __init__(self, browser):
        self._browser = browser

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
        return context

    def new_page(self, **options):
        page = self._browser.new_page(**options)
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
        return page


@pytest.fixture(scope="session")
def browser(browser):
    """pytest-playwright's browser, patient with a slow machine (also for its ``page`` fixture)."""
    return PatientBrowser(browser)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots are kept for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


#: The only account of a module that sets ``EMPTY_DATABASE = True``.
COORDINATOR_EMAIL = "coordinator@example.org"
COORDINATOR_PASSWORD = "first-coordinator-2026"


def log_in(page, live_server, email: str, password: str | None = None) -> None:
    """Log in through the form, as a person would (with the demo password unless given)."""
    from lms.demo import DEMO_PASSWORD

    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")


def pass_privacy_notice(page) -> None:
    """Continue past the privacy notice that a person is shown after their first login."""
    page.wait_for_url(re.compile(r"/privacy/first-login\?next="))
    page.locator("form[action^='/privacy/first-login'] button[type=submit]").click()


def open_menu(page) -> None:
    """Open the main menu where it is folded behind the Menu button (narrow screens)."""
    button = page.locator(".menu-button")
    if button.is_visible():
        button.click()
        expect(page.locator("nav.main-nav")).to_be_visible()


class LiveServer:
    """The app with the demo data, served by werkzeug in a thread."""

    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._thread.join(5)


@pytest.fixture(scope="module")
def live_server(app, database_url, request):
    """Serve the app on the test database with the demo loaded and CSRF on, as in production.

    A journey that builds its own cohorts for the demo people sets ``DEMO_STORY = False`` in its
    module: it gets the demo's people without their programme history. A journey that starts as
    a new organisation does sets ``EMPTY_DATABASE = True``: the only row is one coordinator
    (``COORDINATOR_EMAIL``, ``COORDINATOR_PASSWORD``); programmes and courses are files as ever.
    Its data is committed for real, so every row is deleted again after the module, before the
    rollback-per-test suites that expect an empty database.
    """
    content = getattr(request.module, "CONTENT_DIR", None)  # a journey's own content folder
    served = make_app(
        database_url, WTF_CSRF_ENABLED=True, **({"CONTENT_DIR": content} if content else {})
    )
    story = getattr(request.module, "DEMO_STORY", True)
    with served.app_context():
        if getattr(request.module, "EMPTY_DATABASE", False):
            create_user(
                db.session,
                email=COORDINATOR_EMAIL,
                display_name="Kadri Koordinaator",
                roles=[Role.COORDINATOR],
                password=COORDINATOR_PASSWORD,
                password_method=served.config["PASSWORD_HASH_METHOD"],
            ).privacy_notice_seen_at = utcnow()  # has read the notice: logging in goes home
        else:
            load_demo(db.session, served.config["PASSWORD_HASH_METHOD"], story=story)
        db.session.commit()
        db.session.remove()
    server = LiveServer(served)
    served.config["BASE_URL"] = server.url  # what LMS_BASE_URL says in production
    server.start()
    yield server
    server.stop()
    with served.app_context():
        empty_every_table(db.engine)
        db.session.remove()
        db.engine.dispose()


def make_cohort_with_demo_people(live_server, name: str) -> int:
    """A support-person cohort started a month ago, with the demo trainer and trainee."""
    from datetime import date, timedelta

    from lms.auth.models import User
    from lms.cohorts.models import Cohort, Enrolment

    with live_server.app.app_context():
        trainer = db.session.scalar(db.select(User).filter_by(email="trainer@demo.tugi.ee"))
        trainee = db.session.scalar(db.select(User).filter_by(email="trainee@demo.tugi.ee"))
        cohort = Cohort(
            programme_slug="support-person",
            name=name,
            starts_on=date.today() - timedelta(days=30),
            ends_on=date.today() + timedelta(days=30),
        )
        cohort.trainers.append(trainer)
        db.session.add(cohort)
        db.session.flush()
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()
        cohort_id = cohort.id
        db.session.remove()
    return cohort_id
