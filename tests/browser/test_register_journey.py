"""A trainer marks a register: one late and one absent typed, then *Mark all present*, then Save;
and the same register on a phone."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from lms.attendance.models import AttendanceRecord
from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment, TrainingSession
from lms.extensions import db
from tests.browser.conftest import log_in

DEMO_STORY = False  # this journey builds its own cohort for the demo people

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TRAINEES = ("trainee@demo.tugi.ee", "oksana@demo.tugi.ee", "mari@demo.tugi.ee")


def make_register(live_server, starts_in=timedelta(hours=-1)) -> tuple[int, dict[str, int]]:
    """A cohort of three demo trainees with a session that started an hour ago (by default)."""
    with live_server.app.app_context():
        trainer = db.session.scalar(sa.select(User).filter_by(email="trainer@demo.tugi.ee"))
        trainer.language = "en"  # the demo trainer reads Estonian; this test reads English
        people = {
            email: db.session.scalar(sa.select(User).filter_by(email=email)) for email in TRAINEES
        }
        cohort = Cohort(
            programme_slug="support-person",
            name="Võru register group",
            starts_on=date.today() - timedelta(days=30),
            ends_on=date.today() + timedelta(days=30),
        )
        cohort.trainers.append(trainer)
        db.session.add(cohort)
        db.session.flush()
        for person in people.values():
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=person.id))
        start = datetime.now(UTC).replace(second=0, microsecond=0) + starts_in
        item = TrainingSession(
            cohort_id=cohort.id,
            title="Boundaries in practice",
            category="support-role",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            place="Võru library, room 2",
            lessons=[],
        )
        db.session.add(item)
        db.session.commit()
        found = item.id, {email: person.id for email, person in people.items()}
        db.session.remove()
    return found


def saved(live_server, session_id: int) -> dict[int, tuple]:
    with live_server.app.app_context():
        rows = db.session.scalars(
            sa.select(AttendanceRecord).where(AttendanceRecord.session_id == session_id)
        ).all()
        found = {r.user_id: (r.mark, r.credited_minutes, r.note) for r in rows}
        db.session.remove()
    return found


def test_mark_all_present_keeps_the_late_and_the_absent_typed(page: Page, live_server, artifacts):
    session_id, ids = make_register(live_server)
    olena, oksana, mari = (ids[email] for email in TRAINEES)
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server, "trainer@demo.tugi.ee")
    page.goto(f"{live_server.url}/attendance/sessions/{session_id}")
    page.locator(f"#mark-{olena}").select_option("late")
    page.locator(f"#minutes-{olena}").fill("150")
    page.locator(f"#note-{olena}").fill("Train from Tartu was late")
    page.locator(f"#mark-{oksana}").select_option("absent")
    page.get_by_role("button", name="Mark all present").click()
    # The empty row is filled in where the trainer sees it; what was typed stays.
    expect(page.locator(f"#mark-{mari}")).to_have_value("present")
    expect(page.locator(f"#mark-{olena}")).to_have_value("late")
    expect(page.locator(f"#minutes-{olena}")).to_have_value("150")
    expect(page.locator(f"#mark-{oksana}")).to_have_value("absent")
    assert saved(live_server, session_id) == {}  # nothing saved before the trainer says so
    page.screenshot(path=str(artifacts / "register-filled-desktop.png"), full_page=True)
    page.get_by_role("button", name="Save the register").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(f"#mark-{olena}")).to_have_value("late")
    expect(page.locator(f"#mark-{oksana}")).to_have_value("absent")
    assert saved(live_server, session_id) == {
        olena: ("late", 150, "Train from Tartu was late"),
        oksana: ("absent", 0, ""),
        mari: ("present", 180, ""),
    }
    page.screenshot(path=str(artifacts / "register-saved-desktop.png"), full_page=True)

    # On a phone: no sideways scroll, and each trainee's name is shown once.
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("table.register")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for name in ("Olena Kovalenko", "Oksana Shevchenko", "Mari Mets"):
        visible = page.get_by_text(name, exact=False).filter(visible=True)
        expect(visible).to_have_count(1)
    page.screenshot(path=str(artifacts / "register-saved-phone.png"), full_page=True)


def test_a_second_tab_is_told_of_the_change_it_did_not_see(
    page: Page, browser: Browser, live_server, artifacts
):
    session_id, ids = make_register(live_server)
    mari = ids["mari@demo.tugi.ee"]
    url = f"{live_server.url}/attendance/sessions/{session_id}"
    log_in(page, live_server, "trainer@demo.tugi.ee")
    page.goto(url)
    other = page.context.new_page()  # the same trainer's second tab, opened on the same state
    other.goto(url)
    page.locator(f"#mark-{mari}").select_option("late")
    page.locator(f"#minutes-{mari}").fill("100")
    page.get_by_role("button", name="Save the register").click()
    expect(page.locator(".flash-success")).to_be_visible()
    other.locator(f"#mark-{mari}").select_option("absent")
    other.get_by_role("button", name="Save the register").click()
    expect(other.locator(f"#conflict-{mari}")).to_contain_text("late · 100 min")
    expect(other.locator(f"#mark-{mari}")).to_have_value("absent")  # what they typed is kept
    assert saved(live_server, session_id)[mari] == ("late", 100, "")
    other.set_viewport_size(DESKTOP)
    other.screenshot(path=str(artifacts / "register-conflict-desktop.png"), full_page=True)
    other.set_viewport_size(PHONE)
    assert other.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    other.screenshot(path=str(artifacts / "register-conflict-phone.png"), full_page=True)
    other.get_by_role("button", name="Save the register").click()  # having seen it: replace
    expect(other.locator(".flash-success")).to_be_visible()
    assert saved(live_server, session_id)[mari] == ("absent", 0, "")

    # The trainee, on a phone, is offered Check in on their home page while the session is on.
    trainee = browser.new_page(viewport=PHONE)
    log_in(trainee, live_server, "trainee@demo.tugi.ee")
    on_now = trainee.locator("section.on-now")
    expect(on_now).to_contain_text("Boundaries in practice")
    expect(on_now.get_by_role("link", name="Check in").first).to_be_visible()
    assert trainee.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    trainee.screenshot(path=str(artifacts / "home-on-now-phone.png"))
    trainee.set_viewport_size(DESKTOP)
    trainee.screenshot(path=str(artifacts / "home-on-now-desktop.png"))


def test_an_absence_announced_in_advance_is_recorded_before_the_session(
    page: Page, live_server, artifacts
):
    session_id, ids = make_register(live_server, starts_in=timedelta(days=1))
    oksana = ids["oksana@demo.tugi.ee"]
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "trainer@demo.tugi.ee")
    page.goto(f"{live_server.url}/attendance/sessions/{session_id}")
    expect(page.get_by_role("button", name="Mark all present")).to_have_count(0)
    options = page.locator(f"#mark-{oksana} option")
    expect(options).to_have_text(["not marked", "excused"])
    page.locator(f"#mark-{oksana}").select_option("excused")
    page.locator(f"#note-{oksana}").fill("Doctor's appointment, told us on Monday")
    page.get_by_role("button", name="Save the register").click()
    expect(page.locator(".flash-success")).to_be_visible()
    assert saved(live_server, session_id) == {
        oksana: ("excused", 0, "Doctor's appointment, told us on Monday")
    }
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "register-before-start-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(artifacts / "register-before-start-desktop.png"), full_page=True)
