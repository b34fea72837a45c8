"""A trainee studies a lesson on a phone and on a desktop, and their progress is kept."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, open_menu

# These journeys build their own cohorts for the demo people, so they start from none.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize(("form_factor", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_trainee_reads_a_lesson_and_marks_it_completed(
    page: Page, live_server, artifacts, form_factor, viewport
):
    page.set_viewport_size(viewport)
    email = "trainee@demo.tugi.ee" if form_factor == "phone" else "mari@demo.tugi.ee"
    log_in(page, live_server, email)
    open_menu(page)
    page.locator("nav.main-nav a[href='/courses/']").click()
    page.screenshot(path=str(artifacts / f"courses-{form_factor}.png"), full_page=True)
    if form_factor == "desktop":  # Mari reads in Estonian: the course title is translated
        page.get_by_role("link", name="Tugiisiku roll ja vastutus").click()
    else:
        page.get_by_role("link", name="The role and responsibilities of a support person").click()
    page.locator("a.button").first.click()
    expect(page.locator("nav.toc")).to_be_attached()
    first_title = page.get_by_role("heading", level=1).inner_text()
    page.screenshot(path=str(artifacts / f"lesson-{form_factor}.png"), full_page=False)
    page.locator(".lesson-footer").get_by_role("button").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(first_title)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    page.locator("nav.breadcrumbs a").nth(1).click()
    expect(page.locator(".progress-text").first).to_contain_text("1")
    page.screenshot(path=str(artifacts / f"course-overview-{form_factor}.png"), full_page=True)


def test_a_lesson_prints_as_a_clean_handout(page: Page, live_server, artifacts):
    log_in(page, live_server, "trainee@demo.tugi.ee")
    page.goto(live_server.url + "/courses/care-methodology/the-four-core-acts")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".toc")).to_be_hidden()
    pdf = page.pdf(format="A4")
    (artifacts / "lesson-handout.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
