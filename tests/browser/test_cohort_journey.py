"""A cohort from schedule to final ledger: a coordinator sets it up, a trainer runs it, a trainee
checks in with the code shown in the room."""

import csv
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, open_menu

# These journeys build their own cohorts for the demo people, so they start from none.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
TALLINN = ZoneInfo("Europe/Tallinn")


def fill_session(page: Page, title: str, category: str, day, start: str, end: str, repeat="1"):
    page.locator("#title").fill(title)
    page.locator("#category").select_option(category)
    page.locator("#day").fill(day.isoformat())
    page.locator("#start").fill(start)
    page.locator("#end").fill(end)
    page.locator("#place").fill("Põlva community centre")
    page.locator("#repeat_weeks").fill(repeat)
    page.locator("form[method=post] [type=submit]").last.click()
    # Sessions in the past are asked about first; what was typed is kept for *Save anyway*.
    expect(page.locator("#warnings")).to_be_visible()
    expect(page.locator("#title")).to_have_value(title)
    page.locator("form[method=post] [type=submit]").last.click()


def test_a_trainer_runs_a_cohort_from_schedule_to_final_ledger(
    page: Page, browser: Browser, live_server, artifacts
):
    today = datetime.now(TALLINN).date()
    # The coordinator sets up the cohort, its trainer and its trainees.
    log_in(page, live_server, "coordinator@demo.tugi.ee")
    open_menu(page)
    page.locator("nav.main-nav a[href='/cohorts/']").click()
    page.locator("a[href='/cohorts/new']").click()
    page.locator("#programme").select_option("support-person")
    page.locator("#name").fill("Põlva spring group")
    page.locator("#starts_on").fill((today - timedelta(days=30)).isoformat())
    page.locator("#ends_on").fill((today + timedelta(days=60)).isoformat())
    page.locator("#region").fill("Põlva")
    page.locator("#capacity").fill("16")
    page.get_by_label("Tiina Tamm").check()  # the coordinator's pages are in Estonian
    page.locator("form [type=submit]").last.click()
    expect(page.locator("h1")).to_have_text("Põlva spring group")
    for email in ("trainee@demo.tugi.ee", "oksana@demo.tugi.ee"):
        page.locator("#email").fill(email)
        page.locator("form.filters [type=submit]").click()
        expect(page.locator(".flash-success")).to_be_visible()
    page.locator("a[href$='/import']").click()
    page.locator("#file").set_input_files(
        {"name": "group.csv", "mimeType": "text/csv",
         "buffer": "email,display_name,language,municipality\n"
                   "new.trainee@example.org,Õie Täht-Kovalenko,et,Räpina\n".encode()}
    )  # fmt: skip
    page.locator("form [type=submit]").last.click()
    expect(page.locator("table")).to_contain_text("Õie Täht-Kovalenko")
    cohort_url = page.locator("a.button").last.get_attribute("href").split("#")[0]

    # The trainer schedules two past sessions of part 1 and one of part 2 that is on now.
    trainer = browser.new_page()
    log_in(trainer, live_server, "trainer@demo.tugi.ee")
    trainer.goto(live_server.url + cohort_url)
    trainer.locator("a[href$='/sessions/new']").click()
    fill_session(trainer, "Role and boundaries", "support-role", today - timedelta(days=14),
                 "10:00", "13:00", repeat="2")  # fmt: skip
    expect(trainer.locator("#schedule tbody tr")).to_have_count(2)
    now = datetime.now(TALLINN)
    start = max(now - timedelta(minutes=5), now.replace(hour=0, minute=0))
    end = min(now + timedelta(hours=2), now.replace(hour=23, minute=59))
    trainer.locator("a[href$='/sessions/new']").click()
    fill_session(trainer, "CARe: connecting", "care-practice", today,
                 start.strftime("%H:%M"), end.strftime("%H:%M"))  # fmt: skip
    expect(trainer.locator("#schedule tbody tr")).to_have_count(3)
    trainer.screenshot(path=str(artifacts / "cohort-trainer-desktop.png"), full_page=True)

    # The first register: everyone present in one click, then one correction, then one save.
    trainer.locator("#schedule a[href*='/attendance/sessions/']").first.click()
    trainer.locator("[data-fill-present]").click()
    for select in trainer.locator("table.register select").all():
        expect(select).to_have_value("present")
    row = trainer.locator("tr", has_text="Oksana")
    row.locator("select").select_option("late")
    row.locator("input.minutes").fill("120")
    row.locator("input[name^=note]").fill("Bus from Värska was late")
    trainer.locator("form.register-form [type=submit]").last.click()
    expect(trainer.locator(".flash-success")).to_be_visible()
    expect(row.locator("select")).to_have_value("late")
    expect(row.locator("input.minutes")).to_have_value("120")
    trainer.set_viewport_size(PHONE)
    trainer.screenshot(path=str(artifacts / "register-phone.png"), full_page=True)
    trainer.set_viewport_size({"width": 1280, "height": 900})

    # The session on now: the trainer shows the code, the trainee checks in on a phone.
    trainer.goto(live_server.url + cohort_url)
    trainer.locator("#schedule a[href*='/attendance/sessions/']:not([href$='.pdf'])").last.click()
    trainer.locator("a[href$='/code']").click()
    code = trainer.locator(".check-in-code").inner_text().replace(" ", "")
    trainer.screenshot(path=str(artifacts / "check-in-code-desktop.png"))
    assert trainer.locator(".qr svg").count() == 1

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "trainee@demo.tugi.ee")
    page.goto(live_server.url + "/attendance/check-in")
    page.locator("#code").fill("999999" if code != "999999" else "111111")
    page.locator("form [type=submit]").last.click()
    expect(page.locator(".errors")).to_be_visible()
    page.locator("#code").fill(code)
    page.locator("form [type=submit]").last.click()
    expect(page.locator(".flash-success")).to_contain_text("CARe: connecting")
    page.screenshot(path=str(artifacts / "trainee-cohort-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    trainer.go_back()
    trainer.reload()
    trainer.locator("form[action$='/check-ins'] [type=submit]").click()
    expect(trainer.locator(".flash-success")).to_be_visible()
    expect(trainer.locator("tr", has_text="Olena").locator("select")).to_have_value("present")

    # The final ledger: the matrix report and its export.
    trainer.goto(live_server.url + cohort_url)
    trainer.locator("a[href$='/matrix']").click()
    expect(trainer.locator("table.matrix tbody tr")).to_have_count(3)
    expect(trainer.locator("td.mark-late")).to_have_count(1)
    trainer.screenshot(path=str(artifacts / "register-report-desktop.png"), full_page=True)
    with trainer.expect_download() as download:
        trainer.locator("a[href$='matrix.csv']").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    # The trainer reads Estonian: the export is in Estonian, with ; and decimal commas for Excel
    rows = {row[0]: row for row in csv.reader(io.StringIO(text), delimiter=";")}
    assert "hilines 120" in rows["Oksana Shevchenko"]
    olena = rows["Olena Kovalenko"]
    assert olena.count("kohal 180") == 1  # the second past session is not marked yet
    assert olena[olena.index("kohal 180") + 1] == ""
    assert "3,0" in olena

    trainer.locator("table.matrix a", has_text="Olena").click()
    expect(trainer.locator(".ledger li").first).to_contain_text(re.compile(r"\b3\b.*\b20\b"))
    trainer.screenshot(path=str(artifacts / "trainee-ledger-desktop.png"), full_page=True)
