"""A new coordinator's first weeks, from an empty database, through the pages only: people
imported with their links, a cohort made and enrolled from the same file (the links handed out
still work), a trainer's weekly series and a register, and the funder report by cohort, by
period and by both."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from lms.attendance.models import AttendanceRecord
from lms.auth.models import PasswordLink, User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from tests.browser.conftest import (
    COORDINATOR_EMAIL,
    COORDINATOR_PASSWORD,
    log_in,
    open_menu,
    pass_privacy_notice,
)

# The live server starts with one coordinator and nothing else, as a new organisation does.
EMPTY_DATABASE = True

PHONE, DESKTOP = {"width": 360, "height": 740}, {"width": 1280, "height": 900}
TALLINN = ZoneInfo("Europe/Tallinn")
TRAINEES = [
    ("olena.kovalenko", "Olena Kovalenko", "uk", "Võru"),
    ("oksana.shevchenko", "Oksana Shevchenko", "uk", "Põlva"),
    ("iryna.bondarenko", "Iryna Bondarenko", "uk", "Valga"),
    ("natalia.melnyk", "Natalia Melnyk", "uk", "Räpina"),
    ("mari.mets", "Mari Mets", "et", "Võru"),
    ("kertu.kask", "Kertu Kask", "et", "Antsla"),
    ("liis.lepik", "Liis Lepik", "et", "Setomaa"),
    ("anu.saar", "Anu Saar", "et", "Kanepi"),
    ("tetiana.boiko", "Tetiana Boiko", "uk", "Otepää"),
    ("svitlana.tkachenko", "Svitlana Tkachenko", "uk", "Tõrva"),
    ("maarja.rebane", "Maarja Rebane", "et", "Valga"),
    ("piret.org", "Piret Org", "et", "Põlva"),
    ("andrii.kravets", "Andrii Kravets", "uk", "Võru"),
    ("helen.kuusk", "Helen Kuusk", "en", "Rõuge"),
    ("yulia.savchenko", "Yulia Savchenko", "uk", "Antsla"),
    ("triin.ilves", "Triin Ilves", "et", "Räpina"),
]
TRAINER = ("tiina.tamm", "Tiina Tamm", "en", "Võru")
PEOPLE_CSV = "email,display_name,roles,language,municipality\n" + "".join(
    f"{login}@example.org,{name},{role},{language},{place}\n"
    for (login, name, language, place), role in [*((t, "trainee") for t in TRAINEES),
                                                  (TRAINER, "trainer")]
)  # fmt: skip
COHORT = "Võru autumn group"


def shoot(page: Page, artifacts, name: str) -> None:
    """Screenshots at both widths; on the phone nothing may scroll sideways."""
    page.set_viewport_size(PHONE)
    page.wait_for_function(f"document.documentElement.clientWidth <= {PHONE['width']}")
    page.screenshot(path=str(artifacts / f"coordinator-journey-{name}-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(artifacts / f"coordinator-journey-{name}-desktop.png"), full_page=True)


def upload(page: Page, text: str) -> None:
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "voru-group.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Check and import").click()


def set_password(page: Page, link: str, password: str) -> None:
    """Open a one-time link and choose a password, as the person it was given to."""
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Repeat the new password").fill(password)
    page.get_by_role("button", name="Save the password").click()


def figure(page: Page, title: str):
    """The value of one figure of the funder report's summary."""
    return page.locator(".figures > div", has_text=title).locator("dd").first


def in_db(live_server, read):
    with live_server.app.app_context():
        found = read(db.session)
        db.session.remove()
    return found


def test_a_new_coordinator_from_an_empty_database_to_the_funder_report(
    page: Page, browser: Browser, live_server, artifacts
):
    today = datetime.now(TALLINN).date()
    assert in_db(live_server, lambda s: s.scalar(sa.select(sa.func.count(User.id)))) == 1

    # 1. People → Import CSV: the group and its trainer, each with a one-time link.
    log_in(page, live_server, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Import CSV").click()
    upload(page, PEOPLE_CSV)
    expect(page.get_by_role("heading", level=1)).to_have_text("17 people imported")
    rows = page.locator(".links-table tbody tr")
    expect(rows).to_have_count(17)
    links = dict(
        rows.evaluate_all("rows => rows.map(r => [r.cells[0].textContent.trim(), "
                          "r.querySelector('input').value])")
    )  # fmt: skip
    assert len(links) == 17 and all("/password/" in url for url in links.values())
    shoot(page, artifacts, "links")

    # 2. A support-person cohort with its dates, region and trainer.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name="New cohort").click()
    page.get_by_label("Programme").select_option(label="Support-person training")
    page.get_by_label("Name").fill(COHORT)
    page.get_by_label("Starts on").fill((today - timedelta(days=21)).isoformat())
    page.get_by_label("Ends on").fill((today + timedelta(days=60)).isoformat())
    page.get_by_label("Municipality or region").fill("Võru county")
    page.get_by_label("Capacity").fill("16")
    page.get_by_label("Tiina Tamm").check()
    shoot(page, artifacts, "cohort-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COHORT)
    cohort_url = page.url.split("#")[0]

    # 3. The same file enrols the same 16: no new accounts, no new links, the trainer left out.
    page.get_by_role("link", name="Enrol many from a CSV file").click()
    upload(page, PEOPLE_CSV)
    expect(page.get_by_role("heading", level=1)).to_have_text("16 trainees enrolled")
    expect(page.get_by_text("16 people already had an account")).to_be_visible()
    expect(page.get_by_text("Line 18: Tiina Tamm trains this cohort")).to_be_visible()
    expect(page.locator(".links-table")).to_have_count(0)
    shoot(page, artifacts, "enrolled")
    assert in_db(live_server, lambda s: s.scalar(sa.select(sa.func.count(PasswordLink.id)))) == 17

    # The first links still work: Olena sets her password on her phone and is logged in; the
    # privacy notice comes first, in her language, once.
    olena = browser.new_context(viewport=PHONE).new_page()
    set_password(olena, links["Olena Kovalenko"], "olena-password-2026")
    expect(olena.locator(".flash-success")).to_be_visible()
    expect(olena.locator(".privacy-notice")).to_have_attribute("lang", "uk")
    pass_privacy_notice(olena)
    olena.wait_for_url(live_server.url + "/")
    expect(olena.locator("html")).to_have_attribute("lang", "uk")  # her language from the file
    open_menu(olena)  # a phone folds the menu behind its button
    expect(olena.locator("nav.main-nav a[href='/account']")).to_be_visible()
    olena.screenshot(path=str(artifacts / "coordinator-journey-first-login-phone.png"))
    olena.context.close()

    # 4. The trainer, through her link, schedules a weekly series from two weeks ago.
    trainer = browser.new_context(viewport=DESKTOP).new_page()
    set_password(trainer, links["Tiina Tamm"], "tiina-password-2026")
    expect(trainer.locator(".flash-success")).to_be_visible()
    pass_privacy_notice(trainer)
    trainer.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    trainer.get_by_role("link", name=COHORT).click()
    trainer.get_by_role("link", name="Schedule sessions").click()
    trainer.get_by_label("Title").fill("The support person's role")
    trainer.get_by_label("Hour category").select_option(label="Part 1: the support person's role")
    trainer.get_by_label("Date").fill((today - timedelta(days=14)).isoformat())
    trainer.get_by_label("Starts at").fill("10:00")
    trainer.get_by_label("Ends at").fill("13:00")
    trainer.get_by_label("Place").fill("Võru library, room 2")
    trainer.get_by_label("Repeat weekly, number of sessions").fill("4")
    trainer.get_by_role("button", name="Save").click()
    # Sessions in the past are asked about first, with everything typed kept.
    expect(trainer.locator("#warnings")).to_contain_text("in the past")
    expect(trainer.get_by_label("Repeat weekly, number of sessions")).to_have_value("4")
    shoot(trainer, artifacts, "schedule-warnings")
    trainer.get_by_role("button", name="Save anyway").click()
    schedule = trainer.locator("#schedule tbody tr")
    expect(schedule).to_have_count(4)
    expect(trainer.locator(".scheduled-hours li").first).to_contain_text("12 of 25 h scheduled")
    shoot(trainer, artifacts, "schedule")
    # Each row's links sit in a cell as tall as the row, so the row lines meet.
    cells = schedule.evaluate_all(
        "rows => rows.map(r => [r.offsetHeight, r.querySelector('td.cell-actions').offsetHeight])"
    )
    assert all(row == cell for row, cell in cells), cells

    # 5. The register of the first session: one late, one absent, then Mark all present.
    schedule.first.get_by_role("link", name="Register").click()
    trainer.get_by_role("combobox", name="Oksana Shevchenko Mark").select_option("late")
    trainer.get_by_role("spinbutton", name="Oksana Shevchenko Credited minutes").fill("150")
    trainer.get_by_role("combobox", name="Andrii Kravets Mark").select_option("absent")
    trainer.get_by_role("button", name="Mark all present").click()
    marks = trainer.locator("table.register select")
    expect(marks).to_have_count(16)
    expect(trainer.get_by_role("combobox", name="Olena Kovalenko Mark")).to_have_value("present")
    expect(trainer.get_by_role("combobox", name="Oksana Shevchenko Mark")).to_have_value("late")
    expect(trainer.get_by_role("combobox", name="Andrii Kravets Mark")).to_have_value("absent")
    shoot(trainer, artifacts, "register-filled")
    trainer.get_by_role("button", name="Save the register").click()
    expect(trainer.locator(".flash-success")).to_be_visible()
    values = [select.input_value() for select in marks.all()]
    assert sorted(values) == sorted(["present"] * 14 + ["late", "absent"])
    minutes = trainer.get_by_role("spinbutton", name="Oksana Shevchenko Credited minutes")
    expect(minutes).to_have_value("150")
    shoot(trainer, artifacts, "register-saved")

    def saved_marks(session) -> dict[str, tuple[str, int]]:
        rows = session.execute(
            sa.select(User.display_name, AttendanceRecord.mark, AttendanceRecord.credited_minutes)
            .join(User, User.id == AttendanceRecord.user_id)
        ).all()  # fmt: skip
        return {name: (mark, minutes) for name, mark, minutes in rows}

    saved = in_db(live_server, saved_marks)
    assert saved.pop("Oksana Shevchenko") == ("late", 150)
    assert saved.pop("Andrii Kravets") == ("absent", 0)
    assert set(saved) == {name for _login, name, _language, _place in TRAINEES} - {
        "Oksana Shevchenko",
        "Andrii Kravets",
    }
    assert set(saved.values()) == {("present", 180)}
    trainer.context.close()

    # 6. The funder report: only the cohort, only a period, then both.
    page.goto(cohort_url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_label("Cohort", exact=True).select_option(label=COHORT)
    page.get_by_role("button", name="Show").click()
    expect(figure(page, "People trained")).to_have_text("16")
    expect(figure(page, "Municipalities")).to_have_text(str(len({t[3] for t in TRAINEES})))
    expect(page.get_by_text("Not a valid choice")).to_have_count(0)
    expect(page.get_by_role("heading", name="Summary of 1 cohort")).to_be_visible()
    shoot(page, artifacts, "report-cohort")

    page.get_by_role("link", name="Clear the filters").click()
    page.get_by_label("From", exact=True).fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(figure(page, "People trained")).to_have_text("16")
    expect(page.get_by_text("Not a valid choice")).to_have_count(0)
    shoot(page, artifacts, "report-period")

    page.get_by_label("Cohort", exact=True).select_option(label=COHORT)
    page.get_by_role("button", name="Show").click()
    expect(figure(page, "People trained")).to_have_text("16")
    expect(page.get_by_label("Cohort", exact=True)).to_have_value(str(cohort_id(live_server)))
    expect(page.get_by_label("From", exact=True)).to_have_value(
        (today - timedelta(days=30)).isoformat()
    )
    expect(page.get_by_text("Not a valid choice")).to_have_count(0)
    shoot(page, artifacts, "report-cohort-and-period")

    # A period the cohort did not run in: the same form answers that no cohort matches.
    page.get_by_label("From", exact=True).fill((today + timedelta(days=100)).isoformat())
    page.get_by_label("To", exact=True).fill((today + timedelta(days=200)).isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No cohort matches these filters.")).to_be_visible()
    enrolled = in_db(live_server, lambda s: s.scalar(sa.select(sa.func.count(Enrolment.id))))
    assert enrolled == 16


def cohort_id(live_server) -> int:
    return in_db(live_server, lambda s: s.scalar(sa.select(Cohort.id).filter_by(name=COHORT)))
