"""Each role's home page on the demo data, at phone and desktop width, and the coordinator's
funder report with its figures and its workbook, as the funder would get them."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}

# The demo's figures, which are the figures of the real programme run it retells.
FIGURES = {"people": 48, "municipalities": 11, "hours": 513, "clients": 42, "refugees": 22,
           "alumni_in_field": 28}  # fmt: skip


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "role, email",
    [
        ("trainee", "trainee@demo.tugi.ee"),
        ("oksana", "oksana@demo.tugi.ee"),
        ("trainer", "trainer@demo.tugi.ee"),
        ("coordinator", "coordinator@demo.tugi.ee"),
    ],
)
def test_each_home_shows_where_its_person_stands(
    browser: Browser, live_server, artifacts, role, email, size
):
    context = browser.new_context(viewport=SIZES[size], is_mobile=size == "phone")
    page = context.new_page()
    log_in(page, live_server, email)
    page.screenshot(path=artifacts / f"home-{role}-{size}.png", full_page=True)
    assert _fits(page), f"the {role} home scrolls sideways at {size} width"
    main = page.locator("main")
    if role == "trainee":
        # Olena: an alumna of group 1, now in the trainer-of-trainers cohort
        expect(main).to_contain_text("Trainer-of-trainers programme")
        expect(main.locator("progress").first).to_be_visible()
        expect(main.locator("a[href*='/certificates/']").first).to_be_visible()
    elif role == "oksana":
        # group 1 has ended, her practice hours are short and entries wait for sign-off
        expect(main.locator("a[href*='/practice/']").first).to_be_visible()
        expect(main.locator("progress").first).to_be_visible()
    elif role == "trainer":
        expect(main.locator("a[href*='/attendance/']").first).to_be_visible()
        expect(main.locator("a[href*='/practice/queue']").first).to_be_visible()
    else:
        for group in ("1", "2", "3"):
            expect(main).to_contain_text(group)
        expect(main.locator("a[href*='/cohorts/']").first).to_be_visible()
    context.close()


def _figure(page, position: int) -> int:
    text = page.locator(".figures dd:not(.hint)").nth(position).inner_text()
    return int(text.replace("\u00a0", "").replace(" ", "").replace(",", ""))


def test_the_funder_report_tells_the_demo_story_and_exports_it(
    browser: Browser, live_server, artifacts
):
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    log_in(page, live_server, "coordinator@demo.tugi.ee")
    # the funder paid for the support-person training: its report, beside the other programmes'
    page.goto(live_server.url + "/reports/funder")
    page.get_by_label("Õppekava").select_option("support-person")
    page.locator("form.filters button[type=submit], main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"programme=support-person"))
    assert _figure(page, 0) == FIGURES["people"]
    assert _figure(page, 1) == FIGURES["municipalities"]
    assert _figure(page, 4) == FIGURES["hours"]
    assert _figure(page, 5) == FIGURES["clients"]
    assert _figure(page, 6) == FIGURES["alumni_in_field"]
    # the refugees are in the clients' note ("22 refugees, 21 children ...", in Estonian here)
    clients_note = page.locator(".figures > div").nth(5).locator(".hint")
    expect(clients_note).to_contain_text(re.compile(rf"\b{FIGURES['refugees']}\b"))
    assert page.locator("svg.chart").count() == 4
    page.screenshot(path=artifacts / "funder-report-desktop.png", full_page=True)

    with page.expect_download() as download:
        page.locator("a[href*='/reports/funder.xlsx']").click()
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    values = list(summary.values())
    assert values[0] == FIGURES["people"] and values[1] == FIGURES["municipalities"]
    assert (values[7], values[8], values[9]) == (
        FIGURES["hours"],
        FIGURES["clients"],
        FIGURES["refugees"],
    )
    assert values[13] == FIGURES["alumni_in_field"]
    assert len(book.sheetnames) == 7

    with page.expect_download() as download:
        page.locator("a[href*='/reports/funder/municipalities.csv']").click()
    lines = download.value.path().read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + FIGURES["municipalities"]
    context.close()

    phone = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    log_in(phone, live_server, "coordinator@demo.tugi.ee")
    phone.goto(live_server.url + "/reports/funder")
    phone.screenshot(path=artifacts / "funder-report-phone.png", full_page=True)
    assert _fits(phone)
