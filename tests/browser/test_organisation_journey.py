"""A coordinator names the issuing organisation and uploads its logo on a phone, a wrong file
is refused with the form kept, and a stranger checking a certificate sees the organisation."""

from datetime import date

from PIL import Image, ImageDraw
from playwright.sync_api import Browser, expect

from lms.auth.models import User
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from tests.browser.conftest import log_in
from tests.factories import make_certificate

DEMO_STORY = False
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
NAME = "Võru Maakonna Tugiisikute Keskus"


def a_certificate(live_server) -> str:
    app = live_server.app
    with app.test_request_context():
        trainee = db.session.scalar(db.select(User).filter_by(email="trainee@demo.tugi.ee"))
        cohort = Cohort(programme_slug="support-person", name="Võru spring group",
                        starts_on=date(2026, 3, 1),
                        ends_on=date(2026, 6, 1))  # fmt: skip
        db.session.add(cohort)
        db.session.flush()
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id))
        db.session.commit()
        code = make_certificate(db.session, cohort, trainee).code
        db.session.remove()
    return code


def logo_file(tmp_path):
    image = Image.new("RGBA", (480, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 152, 152), fill=(31, 92, 78))
    draw.rectangle((180, 55, 470, 105), fill=(200, 120, 30))
    path = tmp_path / "logo.png"
    image.save(path)
    return path


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_organisation_is_set_and_shown_where_certificates_are_checked(
    browser: Browser, live_server, artifacts, tmp_path
):
    code = a_certificate(live_server)
    phone = browser.new_context(viewport=PHONE).new_page()
    log_in(phone, live_server, "coordinator@demo.tugi.ee")
    phone.goto(live_server.url + "/certificates/")
    # the demo coordinator reads Estonian
    phone.get_by_role("link", name="Organisatsioon").click()
    expect(phone.get_by_role("heading", name="Organisatsioon")).to_be_visible()

    # a file that is no picture is refused, and what was typed stays
    bad = tmp_path / "logo.svg"
    bad.write_text("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    phone.get_by_label("Organisatsiooni nimi").fill(NAME)
    phone.get_by_label("Aadress").fill("Jüri 12, 65620 Võru")
    phone.get_by_label("Veebisait").fill("https://tugi.example.ee")
    phone.get_by_label("Logo", exact=True).set_input_files(str(bad))
    phone.get_by_role("button", name="Salvesta").click()
    expect(
        phone.locator("#logo-errors").get_by_text("Logo peab olema PNG- või JPEG-pilt.")
    ).to_be_visible()
    expect(phone.locator(".error-summary a[href='#logo']")).to_be_visible()
    expect(phone.get_by_label("Organisatsiooni nimi")).to_have_value(NAME)
    phone.screenshot(path=str(artifacts / "organisation-refused-360.png"), full_page=True)

    phone.get_by_label("Logo", exact=True).set_input_files(str(logo_file(tmp_path)))
    phone.get_by_role("button", name="Salvesta").click()
    expect(phone.get_by_text("Organisatsiooni andmed on salvestatud.")).to_be_visible()
    expect(phone.get_by_alt_text("Praegune logo")).to_be_visible()
    no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts / "organisation-360.png"), full_page=True)

    desktop = browser.new_context(viewport=DESKTOP).new_page()
    log_in(desktop, live_server, "coordinator@demo.tugi.ee")
    desktop.goto(live_server.url + "/organisation/")
    desktop.screenshot(path=str(artifacts / "organisation-1280.png"), full_page=True)

    for name, viewport in (("360", PHONE), ("1280", DESKTOP)):
        stranger = browser.new_context(viewport=viewport).new_page()
        stranger.goto(f"{live_server.url}/verify/{code}")
        expect(stranger.get_by_text(f"Issued by {NAME}")).to_be_visible()
        logo = stranger.locator("img.issuer-logo")
        expect(logo).to_be_visible()
        assert logo.evaluate("image => image.complete && image.naturalWidth > 0")
        no_sideways_scroll(stranger)
        stranger.screenshot(path=str(artifacts / f"verify-organisation-{name}.png"), full_page=True)
