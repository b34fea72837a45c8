"""A new trainee's first login on a phone: the privacy notice, then where they were going; the
next login goes straight there, and the notice stays a footer link away. After a coordinator
marks the notice as changed, a trainee who read it before is shown it again, once."""

import re
from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from lms.auth.services import create_user
from lms.extensions import db
from tests.browser.conftest import log_in, pass_privacy_notice

# The journey needs only the demo's people (for the app), not their programme history.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
EMAIL, PASSWORD = "new.trainee@example.org", "new-trainee-password-2026"


def _new_trainee(live_server, email: str = EMAIL, seen: datetime | None = None) -> None:
    with live_server.app.app_context():
        person = create_user(
            db.session,
            email=email,
            display_name="Halyna Moroz",
            password=PASSWORD,
            password_method=live_server.app.config["PASSWORD_HASH_METHOD"],
        )
        person.privacy_notice_seen_at = seen
        db.session.commit()
        db.session.remove()


def _log_in(page: Page, live_server, path: str, email: str = EMAIL) -> None:
    page.goto(live_server.url + path)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_the_notice_at_first_login_on_a_phone(page: Page, live_server, artifacts):
    _new_trainee(live_server)
    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "/courses/")  # a lesson list asked for before logging in
    expect(page).to_have_url(re.compile(r"/privacy/first-login\?next=/courses/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before you start: how Tugi uses your data"
    )
    expect(page.get_by_role("heading", name="Who is responsible")).to_be_visible()
    expect(page.get_by_text("Coordinator: check this")).to_have_count(0)  # for coordinators only
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "privacy-first-login-phone.png"), full_page=True)

    pass_privacy_notice(page)
    expect(page).to_have_url(live_server.url + "/courses/")

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server, "/login")
    expect(page).to_have_url(live_server.url + "/")  # seen once: never again

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(page).to_have_url(live_server.url + "/privacy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_changed_notice_is_shown_again_once(browser, page: Page, live_server):
    reader = "earlier.reader@example.org"
    _new_trainee(live_server, reader, seen=datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    context = browser.new_context()
    coordinator = context.new_page()
    log_in(coordinator, live_server, "coordinator@demo.tugi.ee")
    coordinator.goto(live_server.url + "/privacy")
    # the demo coordinator reads in Estonian
    changes = coordinator.get_by_role("region", name="Teate muudatused")
    expect(changes).to_contain_text("Mitte kunagi")
    changes.get_by_role("link", name="Märgi teade muudetuks…").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(
        "Kas märkida privaatsusteade muudetuks?"
    )
    coordinator.get_by_role("button", name="Märgi muudetuks").click()
    expect(coordinator).to_have_url(live_server.url + "/privacy")
    expect(coordinator.get_by_text("Privaatsusteade on märgitud muudetuks")).to_be_visible()
    expect(changes).to_contain_text("On seda pärast seda lugenud")
    context.close()

    page.set_viewport_size(PHONE)
    _log_in(page, live_server, "/login", reader)
    expect(page).to_have_url(re.compile(r"/privacy/first-login\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The privacy notice has changed")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pass_privacy_notice(page)
    expect(page).to_have_url(live_server.url + "/")

    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Log out").click()
    _log_in(page, live_server, "/login", reader)
    expect(page).to_have_url(live_server.url + "/")  # read since the change: not again
