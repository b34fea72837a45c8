"""The schedule on a phone and a desktop: a series that runs past the cohort's end is asked
about first, the rest of a series is changed and cancelled in one step, an unmarked session is
deleted, and an at-risk trainee sees what they can do."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from lms.extensions import db
from tests.browser.conftest import log_in, make_cohort_with_demo_people

DEMO_STORY = False  # this journey builds its own cohorts for the demo people

PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 900}
TALLINN = ZoneInfo("Europe/Tallinn")


def shoot(page: Page, artifacts, name: str) -> None:
    """Screenshots at both widths; on the phone nothing may scroll sideways."""
    page.set_viewport_size(PHONE)
    page.wait_for_function(f"document.documentElement.clientWidth <= {PHONE['width']}")
    page.screenshot(path=str(artifacts / f"{name}-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(artifacts / f"{name}-desktop.png"), full_page=True)


def trainee_at_risk(live_server, cohort_id: int) -> None:
    """Olena missed a long session, and another group of the programme meets next week."""
    from lms.attendance.models import AttendanceRecord
    from lms.auth.models import User
    from lms.cohorts.models import Cohort, TrainingSession

    now = datetime.now(UTC).replace(microsecond=0)
    with live_server.app.app_context():
        olena = db.session.scalar(db.select(User).filter_by(email="trainee@demo.tugi.ee"))
        cohort = db.session.get(Cohort, cohort_id)
        held = now - timedelta(days=3)
        missed = TrainingSession(cohort_id=cohort_id, title="Roles and boundaries",
                                 category="support-role", starts_at=held,
                                 ends_at=held + timedelta(hours=7), lessons=[])  # fmt: skip
        other = Cohort(programme_slug="support-person", name="Räpina autumn group",
                       starts_on=cohort.starts_on, ends_on=cohort.ends_on)  # fmt: skip
        db.session.add_all([missed, other])
        db.session.flush()
        start = now + timedelta(days=6)
        db.session.add(TrainingSession(cohort_id=other.id, title="Boundaries, make-up welcome",
                                       category="support-role", starts_at=start,
                                       ends_at=start + timedelta(hours=3), place="Räpina library",
                                       lessons=[]))  # fmt: skip
        db.session.add(AttendanceRecord(session_id=missed.id, user_id=olena.id, mark="absent",
                                        credited_minutes=0))  # fmt: skip
        db.session.commit()
        db.session.remove()


def test_a_trainer_keeps_the_schedule_in_order(page: Page, live_server, artifacts):
    cohort_id = make_cohort_with_demo_people(live_server, "Võru schedule group")
    trainee_at_risk(live_server, cohort_id)
    cohort_url = f"{live_server.url}/cohorts/{cohort_id}/"
    log_in(page, live_server, "trainer@demo.tugi.ee")
    page.goto(cohort_url)
    page.locator("a[href$='/sessions/new']").click()

    # Six weekly sessions from next week run past the cohort's end: asked first, nothing lost.
    first = datetime.now(TALLINN).date() + timedelta(days=7)
    page.locator("#title").fill("CARe practice circle")
    page.locator("#category").select_option("care-practice")
    page.locator("#day").fill(first.isoformat())
    page.locator("#start").fill("17:00")
    page.locator("#end").fill("20:00")
    page.locator("#place").fill("Võru library, room 2")
    page.locator("#repeat_weeks").fill("6")
    page.locator("form[method=post] [type=submit]").last.click()
    expect(page.locator("#warnings li")).to_have_count(1)
    expect(page.locator("#title")).to_have_value("CARe practice circle")
    expect(page.locator("#repeat_weeks")).to_have_value("6")
    shoot(page, artifacts, "schedule-warnings")
    page.locator("form[method=post] [type=submit]").last.click()
    expect(page.locator("#schedule tbody tr")).to_have_count(7)
    expect(page.locator(".scheduled-hours li").nth(1)).to_contain_text("18")
    shoot(page, artifacts, "schedule-cohort")

    # The rest of the series from the second session: a new room for four sessions.
    page.locator("#schedule a[href$='/edit']").nth(2).click()
    page.locator("a[href$='/series']").click()
    expect(page.locator(".series-dates li")).to_have_count(5)
    page.locator("#place").fill("Võru cultural centre")
    shoot(page, artifacts, "schedule-series")
    page.locator("main form[method=post] [type=submit]").click()
    expect(page.locator("#schedule")).to_contain_text("Võru cultural centre")
    expect(page.locator("#schedule td", has_text="Võru library, room 2")).to_have_count(1)

    # The last session was entered by mistake: nobody is marked, so it can be deleted.
    page.locator("#schedule a[href$='/delete']").last.click()
    shoot(page, artifacts, "schedule-delete")
    page.locator("main form[method=post] [type=submit]").click()
    expect(page.locator("#schedule tbody tr")).to_have_count(6)

    # The room closes for the last two: cancelled in one step.
    page.locator("#schedule a[href$='/cancel']").nth(4).click()
    page.locator("input[name=scope][value=rest]").check()
    page.locator("#reason").fill("The room is being renovated")
    shoot(page, artifacts, "schedule-cancel")
    page.locator("main form[method=post] [type=submit]").click()
    expect(page.locator("#schedule tr.cancelled")).to_have_count(2)

    # Olena missed seven hours of part 1: she is told where to make them up and whom to ask.
    page.context.clear_cookies()
    log_in(page, live_server, "trainee@demo.tugi.ee")
    expect(page.locator(".risk-advice")).to_contain_text("Boundaries, make-up welcome")
    expect(page.locator(".risk-advice")).to_contain_text("Tiina Tamm")
    page.goto(cohort_url)
    expect(page.locator(".risk-advice")).to_contain_text("Räpina autumn group")
    expect(page.locator(".ledger .tag-muted")).to_contain_text("not yet scheduled")
    shoot(page, artifacts, "schedule-trainee-at-risk")
