"""What people see when something breaks: a programme file broken while Tugi runs (its last good
version stays), one broken from start-up (its cohort says so), and a database outage."""

import shutil
import socket
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from lms.config import REPOSITORY_ROOT
from lms.demo import load_demo
from lms.extensions import db
from tests.browser.conftest import LiveServer, log_in
from tests.conftest import empty_every_table, make_app

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def _shoot(browser: Browser, live_server, email: str, path: str, name: str, artifacts) -> None:
    for label, size in (("360", PHONE), ("1280", DESKTOP)):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        log_in(page, live_server, email)
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{path} scrolls sideways at {label} px"
        page.screenshot(path=str(artifacts / f"{name}-{label}.png"), full_page=True)
        context.close()


@pytest.fixture(scope="module")
def broken_server(app, database_url, tmp_path_factory):
    """The demo's people on a copy of the content: one programme that never loaded, with a
    cohort, and the support-person programme, which breaks after start-up."""
    content = tmp_path_factory.mktemp("content")
    for folder in ("courses", "programmes", "quizzes"):
        shutil.copytree(REPOSITORY_ROOT / folder, content / folder)
    (content / "programmes" / "peer-support.yaml").write_text("title: [unclosed\n")
    served = make_app(database_url, WTF_CSRF_ENABLED=True, CONTENT_DIR=content)
    with served.app_context():
        from lms.auth.models import User
        from lms.cohorts.models import Cohort, Enrolment

        load_demo(db.session, served.config["PASSWORD_HASH_METHOD"], story=False)
        trainer = db.session.scalar(db.select(User).filter_by(email="trainer@demo.tugi.ee"))
        trainee = db.session.scalar(db.select(User).filter_by(email="trainee@demo.tugi.ee"))
        for slug, name in (("peer-support", "Räpina peer group"), ("support-person", "Võru")):
            cohort = Cohort(programme_slug=slug, name=name, starts_on=date.today(),
                            ends_on=date.today() + timedelta(days=60))  # fmt: skip
            cohort.trainers.append(trainer)
            db.session.add(cohort)
            db.session.flush()
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()
        db.session.remove()
    programme = content / "programmes" / "support-person.yaml"
    programme.write_text(programme.read_text() + "hours: [broken\n")
    server = LiveServer(served)
    server.start()
    with pytest.MonkeyPatch.context() as patch:
        # files are looked at on every request, so the break shows without waiting two seconds
        patch.setattr("lms.filecache.RELOAD_CHECK_SECONDS", 0)
        yield server
    server.stop()
    with served.app_context():
        empty_every_table(db.engine)
        db.session.remove()
        db.engine.dispose()


def test_broken_programmes_as_coordinator_and_trainee_see_them(
    page: Page, browser: Browser, broken_server, artifacts
):
    log_in(page, broken_server, "coordinator@demo.tugi.ee")
    page.goto(broken_server.url + "/programmes/")
    expect(page.locator(".error-summary")).to_contain_text("programmes/support-person.yaml")
    expect(page.locator(".error-summary")).to_contain_text("programmes/peer-support.yaml")
    expect(page.locator("#support-person")).to_be_visible()  # its last good version
    expect(page.locator("#trainer-of-trainers")).to_be_visible()  # and the one built on it
    page.goto(broken_server.url + "/cohorts/")
    page.get_by_role("link", name="Räpina peer group").click()
    expect(page.locator(".error-summary")).to_contain_text("peer-support.yaml")
    cohort_path = page.url.removeprefix(broken_server.url)
    _shoot(browser, broken_server, "coordinator@demo.tugi.ee", "/programmes/", "programmes-stale",
           artifacts)  # fmt: skip
    _shoot(browser, broken_server, "coordinator@demo.tugi.ee", cohort_path,
           "cohort-programme-unavailable", artifacts)  # fmt: skip
    _shoot(browser, broken_server, "trainee@demo.tugi.ee", "/", "trainee-home-unavailable",
           artifacts)  # fmt: skip
    trainee = browser.new_context().new_page()
    log_in(trainee, broken_server, "trainee@demo.tugi.ee")
    expect(trainee.locator("main")).to_contain_text("Räpina peer group")
    expect(trainee.locator("main")).not_to_contain_text("peer-support")
    trainee.context.close()


@pytest.fixture(scope="module")
def outage_server(database_url):
    """The app pointed at a database that refuses every connection."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = make_app(f"postgresql+psycopg://postgres@127.0.0.1:{port}/tugi?connect_timeout=2")
    server = LiveServer(served)
    server.start()
    yield server
    server.stop()


def test_a_database_outage_says_try_again_in_the_readers_language(browser: Browser, outage_server,
                                                                  artifacts):  # fmt: skip
    for label, size in (("360", PHONE), ("1280", DESKTOP)):
        context = browser.new_context(viewport=size, locale="et-EE")
        page = context.new_page()
        response = page.goto(outage_server.url + "/verify/TUGI-AAAA-BBBB")
        assert response.status == 503 and response.headers["retry-after"].isdigit()
        expect(page.locator("h1")).to_have_text("Tugi ei ole praegu saadaval")
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        page.screenshot(path=str(artifacts / f"outage-{label}.png"), full_page=True)
        context.close()
