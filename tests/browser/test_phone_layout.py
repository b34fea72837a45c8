"""Every page people use, on the demo data, at a phone's 360 px and a desktop's 1280 px: nothing
scrolls sideways, and at 360 px the header (brand, language, menu button) takes two rows at
most. The screenshots are kept for people to look at."""

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.practice.models import PracticeEntry
from tests.browser.conftest import log_in, open_menu

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}

PAGES = {
    "coordinator": [
        ("home", "/"),
        ("cohorts", "/cohorts/"),
        ("cohort", "/cohorts/{group}/"),
        ("gradebook", "/quizzes/cohorts/{group}/gradebook"),
        ("quiz-dates", "/quizzes/cohorts/{group}/dates"),
        ("register-report", "/attendance/cohorts/{group}/matrix"),
        ("trainee-report", "/attendance/cohorts/{group}/trainees/{oksana}"),
        ("cohort-certificates", "/certificates/cohorts/{group}"),
        ("checklist", "/certificates/enrolments/{enrolment}"),
        ("certificates", "/certificates/"),
        ("certificate", "/certificates/{certificate}"),
        ("alumni", "/alumni/"),
        ("follow-up", "/alumni/{mari}/follow-up"),
        ("funder-report", "/reports/funder"),
        ("people", "/users/"),
        ("person", "/users/{mari}/edit"),
        ("new-cohort", "/cohorts/new"),
        ("new-session", "/cohorts/{group}/sessions/new"),
        ("programmes", "/programmes/"),
        ("practice-queue", "/practice/queue?status=all"),
        ("course", "/courses/support-role/"),
        ("people-import", "/users/import"),
        ("cohort-import", "/cohorts/{group}/import"),
        ("calendar", "/cohorts/calendar"),
    ],
    "trainer": [
        ("home", "/"),
        ("practice-queue", "/practice/queue"),
        ("practice-entry", "/practice/entries/{entry}"),
        ("logbook", "/practice/cohorts/{group}/people/{oksana}"),
        ("quizzes", "/quizzes/"),
        ("grading", "/quizzes/grading"),
        ("quiz-upload", "/quizzes/upload"),
    ],
    "oksana": [
        ("home", "/"),
        ("cohort", "/cohorts/{group}/"),
        ("checklist", "/certificates/enrolments/{enrolment}"),
        ("logbook", "/practice/cohorts/{group}/people/{oksana}"),
        ("practice-form", "/practice/cohorts/{group}/new"),
        ("courses", "/courses/"),
        ("lesson", "/courses/support-role/boundaries-and-ethics"),
        ("quiz", "/quizzes/support-role-final"),
        ("check-in", "/attendance/check-in"),
        ("password", "/account/password"),
    ],
}
EMAILS = {
    "coordinator": "coordinator@demo.tugi.ee",
    "trainer": "trainer@demo.tugi.ee",
    "oksana": "oksana@demo.tugi.ee",
}

# Rows the visible header items take: an item starts a row when it begins below the row so far.
HEADER_ROWS = """() => {
  const items = [...document.querySelectorAll(
    '.site-header .brand, .site-header .language-picker, .site-header .menu-button,'
    + ' .site-header .main-nav li')]
    .filter(item => item.getClientRects().length)
    .map(item => item.getBoundingClientRect())
    .sort((a, b) => a.top - b.top);
  let rows = 0, bottom = -Infinity;
  for (const box of items) {
    if (box.top >= bottom - 1) { rows += 1; bottom = box.bottom; }
    else bottom = Math.max(bottom, box.bottom);
  }
  return rows;
}"""
# Measured against the viewport asked for: on a phone the browser widens its window to the page.
SIDEWAYS = "width => document.documentElement.scrollWidth - width"


@pytest.fixture(scope="module")
def ids(live_server) -> dict:
    """The demo's group 1 (Oksana's), one of her entries and her enrolment, Mari, a certificate."""
    with live_server.app.app_context():
        session = db.session
        person = {
            email: session.scalar(sa.select(User.id).where(User.email == email))
            for email in ("oksana@demo.tugi.ee", "mari@demo.tugi.ee", "trainee@demo.tugi.ee")
        }
        oksana = person["oksana@demo.tugi.ee"]
        enrolment = session.scalars(
            sa.select(Enrolment).where(Enrolment.user_id == oksana).order_by(Enrolment.id)
        ).first()
        entry = session.scalar(
            sa.select(PracticeEntry.id).where(PracticeEntry.user_id == oksana).limit(1)
        )
        certificate = session.scalar(
            sa.select(Certificate.id).where(Certificate.user_id == person["trainee@demo.tugi.ee"])
        )
        found = {
            "group": enrolment.cohort_id,
            "enrolment": enrolment.id,
            "oksana": oksana,
            "mari": person["mari@demo.tugi.ee"],
            "entry": entry,
            "certificate": certificate,
        }
        db.session.remove()
    return found


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", PAGES)
def test_no_page_scrolls_sideways_and_the_header_stays_small(
    browser: Browser, live_server, artifacts, ids, role, size
):
    phone = size == "phone"
    context = browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone)
    page = context.new_page()
    log_in(page, live_server, EMAILS[role])
    problems = []
    for name, pattern in PAGES[role]:
        path = pattern.format(**ids)
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        expect(page.locator("main h1")).to_be_visible()
        page.screenshot(path=artifacts / f"layout-{role}-{name}-{size}.png", full_page=True)
        if (overflow := page.evaluate(SIDEWAYS, SIZES[size]["width"])) > 0:
            problems.append(f"{path} scrolls {overflow} px sideways")
        if phone and (rows := page.evaluate(HEADER_ROWS)) > 2:
            problems.append(f"{path}: the header takes {rows} rows")
    context.close()
    assert not problems, "\n".join(problems)


def test_the_menu_button_opens_and_closes_the_menu_on_a_phone(browser: Browser, live_server):
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "trainee@demo.tugi.ee")
    menu = page.get_by_role("button", name="Menu")
    courses = page.locator("nav.main-nav").get_by_role("link", name="Courses")
    expect(courses).to_be_hidden()
    expect(page.locator("#language-select")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(courses).to_be_visible()
    expect(page.locator("#language-select")).to_be_visible()
    page.keyboard.press("Escape")
    expect(courses).to_be_hidden()
    menu.click()
    courses.click()
    expect(page.locator("main h1")).to_have_text("Courses")
    context.close()


def test_the_menu_is_open_without_the_button_on_a_desktop(browser: Browser, live_server):
    context = browser.new_context(viewport=SIZES["desktop"])
    page = context.new_page()
    log_in(page, live_server, "trainee@demo.tugi.ee")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.locator("nav.main-nav").get_by_role("link", name="Courses")).to_be_visible()
    context.close()


def test_a_refused_form_lists_every_problem_at_the_top(
    browser: Browser, live_server, artifacts, ids
):
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "oksana@demo.tugi.ee")
    page.goto(live_server.url + f"/practice/cohorts/{ids['group']}/new")
    page.locator("#practised_on").fill("2099-01-01")
    page.locator("#minutes").fill("0")
    page.locator("#client_code").fill("Olena Shevchenko")
    page.locator("form.panel [name=send]").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    links = summary.locator("a")
    expect(links).to_have_count(3)
    for target in ("#practised_on", "#minutes", "#client_code"):
        expect(summary.locator(f"a[href='{target}']")).to_have_count(1)
    page.screenshot(path=artifacts / "form-error-summary-phone.png", full_page=True)
    summary.locator("a[href='#client_code']").click()
    expect(page.locator("#client_code")).to_be_focused()
    expect(page.locator("#client_code")).to_have_value("Olena Shevchenko")
    context.close()


# Words of a lesson's table cells that the browser split over two lines.
SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('.lesson-body td, .lesson-body th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/[^\\s\\u2013\\u2014-]+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map(box => Math.round(box.top)));
        if (lines.size > 1) split.push(word[0]);
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize(
    "lesson",
    ["support-role/what-a-support-person-does", "care-methodology/the-four-core-acts"],
)
def test_a_lesson_table_keeps_its_words_whole_on_a_phone(browser: Browser, live_server, lesson):
    """Oksana reads in Ukrainian, whose long words ("Розпоряджається") must not be cut between
    two letters to squeeze a table into the screen: the table scrolls in its own box instead."""
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "oksana@demo.tugi.ee")
    page.goto(f"{live_server.url}/courses/{lesson}")
    expect(page.locator(".lesson-body table").first).to_be_visible()
    assert page.evaluate(SPLIT_WORDS) == []
    assert page.evaluate(SIDEWAYS, SIZES["phone"]["width"]) <= 0
    context.close()


# Labels of a card's values (a cell's data-label, drawn by ::before) wider than the label column:
# they run into the value beside them. Each label is measured in a hidden copy with its styles.
LABELS_TOO_WIDE = """() => {
  const tooWide = new Set();
  const cells = document.querySelectorAll(
    'table.cards td[data-label], table.cards tbody th[data-label]');
  for (const cell of cells) {
    if (!cell.getClientRects().length) continue;
    const column = parseFloat(getComputedStyle(cell).gridTemplateColumns.split(' ')[0]);
    const label = getComputedStyle(cell, '::before');
    const probe = document.createElement('span');
    for (const name of ['font-family', 'font-size', 'font-weight', 'letter-spacing',
                        'white-space', 'overflow-wrap', 'word-break']) {
      probe.style.setProperty(name, label.getPropertyValue(name));
    }
    Object.assign(probe.style, {display: 'block', position: 'absolute', visibility: 'hidden',
                                width: column + 'px'});
    probe.textContent = cell.dataset.label;
    cell.appendChild(probe);
    if (probe.scrollWidth > column + 1) tooWide.add(cell.dataset.label);
    probe.remove();
  }
  return [...tooWide];
}"""


@pytest.mark.parametrize("language", ["et", "uk"])
def test_a_card_label_never_runs_into_its_value_on_a_phone(
    browser: Browser, live_server, artifacts, language
):
    """Tiina's trainer-of-trainers group on a phone: the roster's long hour categories
    ("Välipraktika analüüs", "Обговорення польової практики") wrap inside their label column
    instead of being drawn over the hours beside them."""
    with live_server.app.app_context():
        cohort = db.session.scalar(
            sa.select(Cohort.id).where(Cohort.programme_slug == "trainer-of-trainers")
        )
        db.session.remove()
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "trainer@demo.tugi.ee")
    open_menu(page)
    page.locator("#language-select").select_option(language)
    page.locator(".language-picker [type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(f"{live_server.url}/cohorts/{cohort}/")
    expect(page.locator("table.cards").last).to_be_visible()
    page.screenshot(path=artifacts / f"layout-trainer-tot-cohort-{language}.png", full_page=True)
    too_wide = page.evaluate(LABELS_TOO_WIDE)
    open_menu(page)  # Tiina reads Estonian: leave her account as it was
    page.locator("#language-select").select_option("et")
    page.locator(".language-picker [type=submit]").click()
    context.close()
    assert too_wide == []


def test_the_grade_button_of_each_waiting_essay_is_in_view_on_a_phone(
    browser: Browser, live_server
):
    """The essay queue on a trainer's phone: each essay is a card whose Grade button is on the
    screen, not at the far end of a table that has to be scrolled sideways to find it."""
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "trainer@demo.tugi.ee")
    page.goto(f"{live_server.url}/quizzes/grading")
    buttons = page.locator("main a[href*='/quizzes/grading/']")
    expect(buttons.first).to_be_visible()
    for button in buttons.all():
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= SIZES["phone"]["width"]
    context.close()


def test_the_certificate_button_stands_apart_from_the_panel_below_it(
    browser: Browser, live_server, ids
):
    """Oksana's cohort page: "Requirements for the certificate" sits between two panels with
    room above the next one, not with its border on the panel's."""
    context = browser.new_context(viewport=SIZES["phone"], is_mobile=True, has_touch=True)
    page = context.new_page()
    log_in(page, live_server, "oksana@demo.tugi.ee")
    page.goto(f"{live_server.url}/cohorts/{ids['group']}/")
    button = page.locator("main > p.actions a[href*='/certificates/enrolments/']")
    expect(button).to_be_visible()
    gap = page.evaluate(
        """button => {
          const paragraph = button.closest('p');
          const next = paragraph.nextElementSibling;
          return next.getBoundingClientRect().top - button.getBoundingClientRect().bottom;
        }""",
        button.element_handle(),
    )
    context.close()
    assert gap >= 8, f"{gap} px between the button and the panel below"
