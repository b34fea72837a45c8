"""A coordinator imports people, hands out their links (copied, downloaded, printed), enrols
them by picking them from a list; a person logs out everywhere from their account page."""

import csv
import io

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, make_cohort_with_demo_people, open_menu

# These journeys build their own cohorts for the demo people, so they start from none.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def _fits(page: Page, viewport: dict) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize(("form_factor", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_links_sheet_copy_download_print_and_pick(
    page: Page, live_server, artifacts, form_factor, viewport
):
    page.set_viewport_size(viewport)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    log_in(page, live_server, "coordinator@demo.tugi.ee")
    open_menu(page)  # on a phone the language picker is in the folded menu
    page.locator("#language-select").select_option("en")  # the demo coordinator reads Estonian
    page.locator(".language-picker [type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    people = (
        "email,display_name,roles,language,municipality,phone\n"
        f"iryna.{form_factor}@example.org,Iryna Bondarenko,trainee,uk,Võru,555\n"
        f"peeter.{form_factor}@example.org,Peeter Saar-Kuusk,trainee,et,Põlva,556\n"
    )
    page.goto(live_server.url + "/users/import")
    page.locator("#file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": people.encode()}]
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2 people imported")
    expect(page.get_by_text("Unknown column ignored: phone")).to_be_visible()
    _fits(page, viewport)
    page.screenshot(path=str(artifacts / f"people-links-{form_factor}.png"), full_page=True)

    page.get_by_role("button", name="Copy all links").click()
    expect(page.get_by_text("Copied: paste them")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.count("/password/") == 2 and "Iryna Bondarenko" in copied

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    assert rows[0] == ["Name", "Email", "Password link", "Valid until"]
    assert {row[0] for row in rows[1:]} == {"Iryna Bondarenko", "Peeter Saar-Kuusk"}

    expect(page.get_by_role("button", name="Print a sheet")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".links-table .print-only").first).to_be_visible()
    expect(page.locator(".links-table input").first).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    page.screenshot(path=str(artifacts / f"people-links-print-{form_factor}.png"), full_page=True)
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/users/?q={form_factor}")
    expect(page.get_by_text("Not set yet")).to_have_count(2)
    _fits(page, viewport)
    page.screenshot(path=str(artifacts / f"people-list-{form_factor}.png"), full_page=True)

    cohort_id = make_cohort_with_demo_people(live_server, f"Pick group {form_factor}")
    page.goto(f"{live_server.url}/cohorts/{cohort_id}/pick?q=trainee@demo")
    expect(page.get_by_text("already enrolled")).to_be_visible()  # the demo trainee
    expect(page.get_by_label("Olena Kovalenko")).to_be_disabled()
    page.get_by_label("Search by name or email").fill(form_factor)
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Iryna Bondarenko").check()
    page.get_by_label("Peeter Saar-Kuusk").check()
    _fits(page, viewport)
    page.screenshot(path=str(artifacts / f"cohort-pick-{form_factor}.png"), full_page=True)
    page.get_by_role("button", name="Enrol the people ticked").click()
    expect(page.get_by_text("2 trainees enrolled")).to_be_visible()
    expect(page.locator("#trainees")).to_contain_text("Iryna Bondarenko")


def test_log_out_everywhere_from_the_account_page(page: Page, browser, live_server, artifacts):
    other = browser.new_context().new_page()
    log_in(other, live_server, "trainee@demo.tugi.ee")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "trainee@demo.tugi.ee")
    page.goto(live_server.url + "/account")
    expect(page.get_by_text("this device")).to_be_visible()
    _fits(page, PHONE)
    page.screenshot(path=str(artifacts / "account-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(artifacts / "account-desktop.png"), full_page=True)
    page.get_by_role("button", name="Log out everywhere").click()
    expect(page.get_by_text("You have logged out on every device.")).to_be_visible()
    other.goto(live_server.url + "/")
    expect(other.get_by_role("heading", level=1)).to_have_text("Log in to Tugi")
    other.context.close()
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_text("Ask your coordinator")).to_be_visible()
    page.screenshot(path=str(artifacts / "forgot-password-desktop.png"), full_page=True)
