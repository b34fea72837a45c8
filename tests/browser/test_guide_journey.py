"""A trainer opens the next session from the schedule, follows the link to the trainer's guide of
its lesson and reads the session plan on a phone; the trainee of the cohort finds no guide."""

import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from lms.extensions import db
from tests.browser.conftest import log_in, make_cohort_with_demo_people
from tests.test_guide_files import content_with_guides

DEMO_STORY = False  # this journey builds its own cohort for the demo people
#: the shipped content with the two example guides of tests/fixtures/guides
CONTENT_DIR = content_with_guides(Path(tempfile.mkdtemp(prefix="tugi-guides-")))

PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 900}
GUIDE = "/courses/support-role/boundaries-and-ethics/guide"


def session_on_boundaries(live_server, cohort_id: int) -> None:
    """Tomorrow's session of the cohort covers the lesson on boundaries."""
    from lms.cohorts.models import TrainingSession

    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    with live_server.app.app_context():
        db.session.add(
            TrainingSession(
                cohort_id=cohort_id, title="Boundaries", category="support-role",
                starts_at=start, ends_at=start + timedelta(hours=3), place="Võru library",
                lessons=["support-role/boundaries-and-ethics"],
            )
        )  # fmt: skip
        db.session.commit()
        db.session.remove()


def test_a_trainer_goes_from_the_schedule_to_the_guide(page: Page, live_server, artifacts):
    cohort_id = make_cohort_with_demo_people(live_server, "Võru guide group")
    session_on_boundaries(live_server, cohort_id)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "trainer@demo.tugi.ee")  # Tiina reads Estonian
    page.goto(f"{live_server.url}/cohorts/{cohort_id}/#schedule")
    row = page.locator("#schedule tr", has_text="Boundaries")
    # the link names its lesson to screen readers (a schedule row may cover several lessons)
    row.get_by_role("link", name=re.compile(r"^Koolitaja juhend\s*: Piirid ja eetika$")).click()
    page.wait_for_url(live_server.url + GUIDE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Koolitaja juhend: piirid ja eetika")
    plan = page.locator(".guide-body table").first
    expect(plan).to_contain_text("Rollimäng: uued sõnumiajad")
    expect(page.get_by_role("button", name="Prindi juhend")).to_be_visible()
    page.wait_for_function(f"document.documentElement.clientWidth <= {PHONE['width']}")
    page.screenshot(path=str(artifacts / "guide-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = plan.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(artifacts / "guide-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)  # on paper it is a table, whatever the screen was
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Prindi juhend")).to_be_hidden()
    assert plan.evaluate("table => getComputedStyle(table).display") == "table"
    assert plan.locator("tr").first.evaluate("row => getComputedStyle(row).display") == "table-row"
    page.set_viewport_size({"width": 720, "height": 1000})  # about an A4 page
    page.screenshot(path=str(artifacts / "guide-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.context.clear_cookies()
    log_in(page, live_server, "trainee@demo.tugi.ee")
    page.goto(f"{live_server.url}/cohorts/{cohort_id}/#schedule")
    expect(page.locator("#schedule tr", has_text="Boundaries")).to_be_visible()
    expect(page.locator(f'a[href="{GUIDE}"]')).to_have_count(0)
    assert page.goto(live_server.url + GUIDE).status == 404
