"""A trainee logs in and sees their home page, at phone and desktop width."""

import pytest
from playwright.sync_api import Page, expect

from lms.demo import DEMO_PASSWORD
from tests.browser.conftest import open_menu

# These journeys build their own cohorts for the demo people, so they start from none.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize(("form_factor", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_trainee_logs_in_and_sees_home(page: Page, live_server, artifacts, form_factor, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/login?next=%2F")
    page.get_by_label("Email").fill("trainee@demo.tugi.ee")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Olena Kovalenko")
    open_menu(page)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.screenshot(path=str(artifacts / f"trainee-home-{form_factor}.png"), full_page=True)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to Tugi")


def test_wrong_password_keeps_the_email_and_says_why(page: Page, live_server, artifacts):
    page.goto(live_server.url + "/login")
    page.get_by_label("Email").fill("trainee@demo.tugi.ee")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("The email or password is not right.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("trainee@demo.tugi.ee")
    page.screenshot(path=str(artifacts / "login-error.png"))


def test_language_picker_switches_to_estonian(page: Page, live_server):
    page.goto(live_server.url + "/login")
    page.get_by_label("Language").select_option("et")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "et")
