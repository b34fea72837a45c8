"""A trainee who has met every requirement is signed off by the trainer and gets a certificate;
they download the PDF and the Open Badges credential; a stranger checks it by scanning the
PDF's QR code and by typing the code; the coordinator revokes it and the stranger sees that."""

from datetime import date

import pypdfium2
import zxingcpp
from playwright.sync_api import Browser, expect

from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from tests.browser.conftest import log_in, open_menu
from tests.factories import complete_programme

# These journeys build their own cohorts for the demo people, so they start from none.
DEMO_STORY = False

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def ready_for_sign_off(live_server) -> int:
    """A cohort where the demo trainee has met everything but the trainer's final sign-off."""
    app = live_server.app
    with app.test_request_context():
        trainer = db.session.scalar(db.select(User).filter_by(email="trainer@demo.tugi.ee"))
        trainee = db.session.scalar(db.select(User).filter_by(email="trainee@demo.tugi.ee"))
        cohort = Cohort(
            programme_slug="support-person",
            name="Räpina autumn group",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 12, 20),
        )
        cohort.trainers.append(trainer)
        db.session.add(cohort)
        db.session.flush()
        enrolment = Enrolment(cohort_id=cohort.id, user_id=trainee.id)
        db.session.add(enrolment)
        db.session.commit()
        complete_programme(db.session, cohort, trainee, trainer)
        enrolment_id = enrolment.id
        db.session.remove()
    return enrolment_id


def test_a_certificate_is_earned_downloaded_verified_and_revoked(
    browser: Browser, live_server, artifacts
):
    enrolment_id = ready_for_sign_off(live_server)

    # The trainer (pages in Estonian) signs the trainee off; the certificate follows at once.
    desktop = browser.new_context(viewport=DESKTOP)
    staff = desktop.new_page()
    log_in(staff, live_server, "trainer@demo.tugi.ee")
    staff.goto(f"{live_server.url}/certificates/enrolments/{enrolment_id}")
    expect(staff.locator(".checklist li.unmet")).to_have_count(1)
    staff.screenshot(path=str(artifacts / "certificate-checklist-trainer.png"), full_page=True)
    staff.locator("form[action$='/sign-off'] input[type=checkbox]").check()
    staff.locator("form[action$='/sign-off'] button").click()
    expect(staff.locator(".flash")).to_contain_text("TUGI-")
    expect(staff.locator(".checklist li.unmet")).to_have_count(0)

    # The trainee, on a phone, finds the certificate and downloads the PDF and the credential.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    log_in(page, live_server, "trainee@demo.tugi.ee")
    open_menu(page)
    page.locator("nav.main-nav a[href='/certificates/']").click()
    expect(page.locator("h1")).to_have_text("Certificates")
    page.screenshot(path=str(artifacts / "certificate-list-phone.png"), full_page=True)
    page.get_by_role("link", name="Support-person training").click()
    code = page.locator("h1 .code").inner_text()
    expect(page.locator(".facts")).to_contain_text("Olena Kovalenko")
    page.screenshot(path=str(artifacts / "certificate-page-phone.png"), full_page=True)
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the PDF").click()
    pdf_path = artifacts / "certificate.pdf"
    pdf_download.value.save_as(pdf_path)
    with page.expect_download() as badge_download:
        page.get_by_role("link", name="Open Badge (credential)").click()
    assert badge_download.value.suggested_filename == f"{code}.jwt"

    # A stranger scans the QR code printed on the PDF.
    image = pypdfium2.PdfDocument(str(pdf_path))[0].render(scale=3).to_pil()
    image.save(artifacts / "certificate-pdf.png")
    scanned = [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    assert scanned == [f"{live_server.url}/verify/{code}"]
    stranger = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    stranger.goto(scanned[0])
    expect(stranger.locator(".flash-success")).to_have_text("This certificate is valid.")
    expect(stranger.locator(".facts")).to_contain_text("Olena Kovalenko")
    expect(stranger.locator("nav.main-nav")).to_have_count(0)
    stranger.screenshot(path=str(artifacts / "certificate-verified-phone.png"), full_page=True)

    # ... and another types the code from paper, in lower case with spaces.
    stranger.goto(live_server.url + "/verify")
    stranger.get_by_label("Certificate code").fill(code.lower().replace("-", " "))
    stranger.get_by_role("button", name="Check").click()
    expect(stranger).to_have_url(f"{live_server.url}/verify/{code}")
    stranger.goto(live_server.url + "/verify")
    stranger.get_by_label("Certificate code").fill("TUGI-3333-3333")
    stranger.get_by_role("button", name="Check").click()
    expect(stranger.locator(".flash-error")).to_contain_text("No certificate has this code")
    expect(stranger.get_by_label("Certificate code")).to_have_value("TUGI-3333-3333")

    # The coordinator (pages in Estonian) revokes it, with a reason, after a confirmation page.
    coordinator = desktop.new_page()
    desktop.clear_cookies()
    log_in(coordinator, live_server, "coordinator@demo.tugi.ee")
    coordinator.goto(live_server.url + "/certificates/")
    coordinator.get_by_role("link", name="Olena Kovalenko").click()
    coordinator.locator("a[href$='/revoke']").click()
    coordinator.locator("#reason").fill("Issued to the wrong cohort.")
    coordinator.screenshot(path=str(artifacts / "certificate-revoke-desktop.png"), full_page=True)
    coordinator.locator("form button.button-danger").click()
    expect(coordinator.locator(".flash")).to_contain_text(code)
    expect(coordinator.locator(".facts .tag-risk")).to_be_visible()
    coordinator.screenshot(path=str(artifacts / "certificate-revoked-desktop.png"), full_page=True)

    stranger.goto(scanned[0])
    expect(stranger.locator(".flash-error")).to_contain_text("was revoked")
    expect(stranger.locator(".flash-error")).to_contain_text("Issued to the wrong cohort.")
    stranger.screenshot(path=str(artifacts / "certificate-revoked-phone.png"), full_page=True)
