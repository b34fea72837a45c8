"""Layout a person can read on the demo data: the funder report's cards, charts and cohorts table
at 1280 px, the public certificate check at both widths, the check-in code screen that can be
paused, and a focus ring that can be seen on white panels and on the green header."""

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from playwright.sync_api import Browser, expect

from lms.extensions import db
from tests.browser.conftest import log_in

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def test_the_funder_report_uses_the_width_of_a_desktop(browser: Browser, live_server, artifacts):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server, "coordinator@demo.tugi.ee")
    page.goto(live_server.url + "/reports/funder")
    page.screenshot(path=artifacts / "funder-layout-desktop.png", full_page=True)
    # the figures of one row of cards start at the same height however their labels wrap
    tops = page.locator(".figures dd:not(.hint)").evaluate_all(
        "nodes => nodes.map(n => [Math.round(n.getBoundingClientRect().top),"
        " Math.round(n.parentElement.getBoundingClientRect().top)])"
    )
    rows: dict[int, set[int]] = {}
    for figure_top, card_top in tops:
        rows.setdefault(card_top, set()).add(figure_top)
    assert len(rows) < len(tops), "the cards are not side by side at 1280 px"
    assert all(len(figures) == 1 for figures in rows.values()), rows
    # each chart is as wide as its card's content
    widths = page.locator(".chart-panel").evaluate_all(
        "panels => panels.map(p => [p.querySelector('svg.chart').getBoundingClientRect().width,"
        " p.clientWidth - parseFloat(getComputedStyle(p).paddingLeft)"
        " - parseFloat(getComputedStyle(p).paddingRight)])"
    )
    assert len(widths) == 4
    assert all(abs(chart - room) <= 2 for chart, room in widths), widths
    # the cohorts table shows every column without scrolling
    wrap = page.locator("section[aria-labelledby='cohorts-title'] .table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the cohorts table is cut off"
    expect(wrap).not_to_have_attribute("tabindex", "0")  # nothing to scroll, no tab stop
    # on a phone the same table scrolls in its frame, which the keyboard can reach
    page.set_viewport_size(PHONE)
    expect(wrap).to_have_attribute("tabindex", "0")
    expect(wrap).to_have_attribute("role", "region")
    expect(wrap).to_have_attribute("aria-label", "Tabel: Rühmad")
    context.close()


def _certificate_code(live_server) -> str:
    from lms.certificates.models import Certificate

    with live_server.app.app_context():
        code = db.session.scalar(sa.select(Certificate.code).order_by(Certificate.id).limit(1))
        db.session.remove()
    return code


def test_the_certificate_check_gives_its_values_room(browser: Browser, live_server, artifacts):
    code = _certificate_code(live_server)
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=size)
        page = context.new_page()
        page.goto(f"{live_server.url}/verify/{code}")
        expect(page.locator(".flash-success")).to_be_visible()
        page.screenshot(path=artifacts / f"verify-{name}.png", full_page=True)
        facts = page.locator(".verify .facts")
        share = facts.evaluate(
            "dl => dl.querySelector('dd').getBoundingClientRect().width"
            " / dl.getBoundingClientRect().width"
        )
        # side by side, the values get more room than the labels; on a phone, the whole line
        assert share >= (0.55 if name == "desktop" else 0.95), (name, share)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        context.close()


def _open_session(live_server) -> int:
    """A session of the demo's running cohort whose check-in is open now."""
    from lms.cohorts.models import Cohort, TrainingSession

    with live_server.app.app_context():
        cohort = db.session.scalar(
            sa.select(Cohort).where(Cohort.programme_slug == "trainer-of-trainers")
        )
        now = datetime.now(UTC)
        item = TrainingSession(
            cohort_id=cohort.id, title="Evening session", category="theory",
            starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(hours=2),
        )  # fmt: skip
        db.session.add(item)
        db.session.commit()
        session_id = item.id
        db.session.remove()
    return session_id


def test_the_check_in_code_updates_itself_until_the_trainer_pauses_it(
    browser: Browser, live_server, artifacts
):
    session_id = _open_session(live_server)
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, "trainer@demo.tugi.ee")
    page.clock.install()
    address = f"{live_server.url}/attendance/sessions/{session_id}/code"
    page.goto(address)
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    live = page.locator("[data-refresh]")
    expect(page.locator(".check-in-code")).to_have_text(re.compile(r"^\w{3} \w{3}$"))
    expect(live).to_have_attribute("data-state", "waiting")
    page.screenshot(path=artifacts / "check-in-code-desktop.png", full_page=True)

    # when the code's minute is over, the page asks for the new code, without reloading itself
    page.evaluate("window.stillHere = true")
    with page.expect_request(address):
        page.clock.run_for(61_000)
    expect(live).to_have_attribute("data-state", "waiting")
    assert page.evaluate("window.stillHere") is True

    pause = page.locator("#pause-code")
    paused_label, resume_label = (
        pause.get_attribute("data-pause"),
        pause.get_attribute("data-resume"),
    )
    expect(pause).to_have_text(paused_label)
    pause.click()
    expect(pause).to_have_text(resume_label)
    expect(live).to_have_attribute("data-state", "paused")
    asked = []
    page.on(
        "request", lambda request: asked.append(request.url) if request.url == address else None
    )
    page.clock.run_for(180_000)
    expect(live).to_have_attribute("data-state", "paused")
    assert asked == []
    with page.expect_request(address):
        pause.click()
    expect(pause).to_have_text(paused_label)
    expect(live).to_have_attribute("data-state", "waiting")

    page.set_viewport_size(PHONE)
    page.screenshot(path=artifacts / "check-in-code-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    context.close()


CONTRAST = """el => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = el.parentElement;
  while (back && getComputedStyle(back).backgroundColor.match(/rgba\\(.*, 0\\)$|transparent/))
    back = back.parentElement;
  const ring = lum(rgb(getComputedStyle(el).outlineColor));
  const behind = lum(rgb(getComputedStyle(back || document.body).backgroundColor));
  return (Math.max(ring, behind) + 0.05) / (Math.min(ring, behind) + 0.05);
}"""


def test_the_focus_ring_stands_out_on_panels_and_on_the_header(browser: Browser, live_server):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    log_in(page, live_server, "coordinator@demo.tugi.ee")
    page.goto(live_server.url + "/reports/funder")
    checked = 0
    for selector in ("#language-select", ".main-nav a", "form.filters select", ".panel a.button"):
        element = page.locator(selector).first
        element.focus()
        page.keyboard.press("Shift+Tab")  # focus from the keyboard, so :focus-visible applies
        page.keyboard.press("Tab")
        expect(element).to_be_focused()
        assert element.evaluate("el => getComputedStyle(el).outlineStyle") != "none", selector
        ratio = element.evaluate(CONTRAST)
        assert ratio >= 3, f"the focus ring of {selector} has contrast {ratio:.2f}"
        checked += 1
    assert checked == 4
    context.close()
