"""A trainee logs practice on a phone, is stopped by the privacy guard, fixes the code and
submits; the trainer reviews it in the queue, signs it off, and the trainee's progress moves."""

from datetime import date, timedelta

from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in, make_cohort_with_demo_people, open_menu

# These journeys build their own cohorts for the demo people, so they start from none.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def test_a_trainee_logs_practice_and_the_trainer_signs_it_off(
    browser: Browser, live_server, artifacts
):
    make_cohort_with_demo_people(live_server, "Põlva spring group")
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server, "trainee@demo.tugi.ee")
    open_menu(page)
    page.locator("nav.main-nav a[href='/practice/']").click()
    expect(page.locator("h1")).to_have_text("My practice logbook")
    page.screenshot(path=str(artifacts / "practice-empty-phone.png"), full_page=True)
    page.get_by_role("link", name="Log practice").click()

    yesterday = date.today() - timedelta(days=1)
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Duration in minutes").fill("150")
    page.get_by_label("Client code").fill("Olena Shevchenko")
    page.get_by_label("Client group").select_option("refugee-family")
    page.get_by_label("Activity").select_option("documents")
    page.get_by_label("Connecting").check()
    page.get_by_label("Ensuring").check()
    page.get_by_label("Reflection").fill("We filled in the *housing benefit* form together.")
    page.get_by_role("button", name="Submit for sign-off").click()

    # The privacy guard refuses a name and keeps everything else that was typed.
    expect(page.locator("#client_code-errors")).to_contain_text("looks like a person's name")
    expect(page.get_by_label("Reflection")).to_have_value(
        "We filled in the *housing benefit* form together."
    )
    expect(page.get_by_label("Ensuring")).to_be_checked()
    page.screenshot(path=str(artifacts / "practice-privacy-guard-phone.png"), full_page=True)
    page.get_by_label("Client code").fill("F-02")
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.locator(".flash")).to_contain_text("Submitted for sign-off.")
    expect(page.locator(".revision .tag").first).to_have_text("submitted")
    expect(page.locator(".reflection em")).to_have_text("housing benefit")
    page.screenshot(path=str(artifacts / "practice-entry-phone.png"), full_page=True)

    # The trainer (pages in Estonian) finds it in the queue and signs it off.
    desktop = browser.new_context(viewport=DESKTOP)
    staff = desktop.new_page()
    log_in(staff, live_server, "trainer@demo.tugi.ee")
    staff.goto(live_server.url + "/practice/queue")
    row = staff.locator("main table tbody tr").filter(has_text="F-02")
    expect(row).to_contain_text("Olena Kovalenko")
    expect(staff.locator("main")).to_contain_text("2,5")  # 150 min in Estonian number format
    staff.screenshot(path=str(artifacts / "practice-queue-desktop.png"), full_page=True)
    row.locator("a").first.click()
    staff.locator("#attest").check()
    staff.locator("form[action$='/review'] [name=approve]").click()
    expect(staff.locator(".revision .tag").first).to_have_class("tag tag-ok")
    expect(staff.locator("blockquote.attestation")).to_be_visible()
    staff.screenshot(path=str(artifacts / "practice-signed-off-desktop.png"), full_page=True)

    # The trainee sees the hours counted, and the entry locked for corrections only.
    page.goto(live_server.url + "/practice/")
    expect(page.locator(".ledger progress").first).to_have_attribute("value", "150")
    expect(page.locator("main")).to_contain_text("2.5 of 10 h")
    page.screenshot(path=str(artifacts / "practice-progress-phone.png"), full_page=True)
    page.locator("main table a").first.click()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    expect(page.get_by_role("button", name="Correct this entry")).to_be_visible()
    with page.expect_download() as download:
        page.goto(live_server.url + "/practice/")
        page.get_by_role("link", name="Signed-off summary (PDF)").click()
    download.value.save_as(str(artifacts / "practice-logbook.pdf"))
    phone.close()
    desktop.close()
