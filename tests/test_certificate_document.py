"""The certificate as a document: the issuing organisation (set by a coordinator on the
Organisation page) on the PDF, on the verification page and in the Open Badges profile; the
programme's hours as certified; a real bold face; the trainers' signature lines."""

import io
import re
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader

from lms.auth.models import Role
from lms.organisation.models import Organisation
from tests.factories import login, make_certificate, make_cohort, make_user

NAME = "Võru Maavalitsuse Tugikeskus"


def png(width=240, height=80, colour=(31, 92, 78)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def people(session):
    coordinator = make_user(session, Role.COORDINATOR)
    trainer = make_user(session, Role.TRAINER)
    trainee = make_user(session, display_name="Olena Kovalenko")
    cohort = make_cohort(session, trainees=(trainee,))
    return {"coordinator": coordinator, "trainer": trainer, "trainee": trainee, "cohort": cohort}


def set_organisation(client, coordinator, **fields):
    login(client, coordinator)
    data = {"name": NAME, "address": "Jüri 12, 65620 Võru", "website": "https://tugi.example.ee"}
    data.update(fields)
    return client.post("/organisation/", data=data, content_type="multipart/form-data")


def pdf_of(client, user, certificate) -> PdfReader:
    login(client, user)
    response = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.data))


def test_only_coordinators_set_the_organisation(client, people):
    for who, status in (("trainee", 403), ("trainer", 403), ("coordinator", 200)):
        login(client, people[who])
        assert client.get("/organisation/").status_code == status, who
    client.get("/logout")
    assert client.post("/organisation/", data={"name": "x"}).status_code in (302, 401, 403)


def test_the_organisation_name_and_logo_appear_on_the_pdf_verify_page_and_profile(
    client, session, people
):
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    page = pdf_of(client, people["trainee"], certificate).pages[0]
    assert "TUGI" in page.extract_text()  # LMS_ISSUER_NAME while nothing is set
    assert client.get("/issuer").get_json()["name"] == "Tugi"

    response = set_organisation(client, people["coordinator"], logo=(io.BytesIO(png()), "l.png"))
    assert response.status_code == 302
    stored = session.get(Organisation, 1)
    session.refresh(stored)
    assert stored.name == NAME and stored.logo_type == "image/png"

    page = pdf_of(client, people["trainee"], certificate).pages[0]
    text = page.extract_text()
    assert NAME in text and "Jüri 12, 65620 Võru" in text
    images = [
        item.get_object()
        for item in page["/Resources"]["/XObject"].values()
        if item.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1 and images[0]["/Width"] == 240

    client.get("/logout")
    verify = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert NAME in verify
    logo_src = re.search(r'<img class="issuer-logo" src="([^"]+)"', verify).group(1)
    logo = client.get(logo_src)
    assert logo.mimetype == "image/png" and Image.open(io.BytesIO(logo.data)).size == (240, 80)
    profile = client.get("/issuer").get_json()
    assert profile["name"] == NAME and profile["url"] == "https://tugi.example.ee"
    assert profile["image"]["id"].startswith("http://localhost/organisation/logo")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "PNG or JPEG"),
        (b"not an image at all", "PNG or JPEG"),
        (png()[:60], "PNG or JPEG"),  # cut short
        (b"\x89PNG" + b"0" * (1024 * 1024 + 1), "1 MB"),
    ],
)
def test_a_bad_logo_is_refused_with_a_message_and_the_form_kept(
    client, session, people, upload, message
):
    response = set_organisation(
        client, people["coordinator"], name="Kept Name", logo=(io.BytesIO(upload), "logo.png")
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and 'value="Kept Name"' in page
    assert session.get(Organisation, 1) is None


def test_the_total_certified_is_the_programmes_hours(client, session, people):
    certificate = make_certificate(
        session,
        people["cohort"],
        people["trainee"],
        hours=[  # 27.5 + 25.3 = 52.8 hours attended in a 50-hour programme
            {"slug": "support-role", "title": "Part 1", "minutes": 1650},
            {"slug": "care-practice", "title": "Part 2", "minutes": 1518},
        ],
    )
    text = pdf_of(client, people["trainee"], certificate).pages[0].extract_text()
    total = next(line for line in text.splitlines() if line.startswith("Total"))
    assert re.match(r"Total\s+50\b", total), total
    assert not re.match(r"Total\s+52[.,]8", total)


def test_headings_use_a_real_bold_font_and_trainers_sign(client, session, people):
    certificate = make_certificate(
        session, people["cohort"], people["trainee"], trainers=["Tiina Tamm", "Priit Pärn"]
    )
    reader = pdf_of(client, people["trainee"], certificate)
    page = reader.pages[0]
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any(name.endswith("NotoSansBold") for name in fonts), fonts
    assert any(name.endswith("NotoSans") for name in fonts), fonts
    content = page.get_contents().get_data().decode("latin-1")
    assert not re.search(r"\b2 Tr\b", content)  # no outlined (faux bold) text
    text = page.extract_text()
    assert "Tiina Tamm" in text and "Priit Pärn" in text


def test_the_bold_face_is_made_once_and_kept_on_disk(app, monkeypatch):
    from lms import pdf

    with app.app_context():
        first = pdf.bold_font_file()
        assert first.exists() and first.stat().st_size > 100_000
        pdf._font_files.clear()  # a new process: the files on disk are used, not made again
        monkeypatch.setattr(pdf, "_make_static", lambda *args: pytest.fail("made twice"))
        assert pdf.bold_font_file() == first


def test_a_second_language_is_printed_beneath_the_holders_when_asked_for(client, session, people):
    certificate = make_certificate(session, people["cohort"], people["trainee"])  # English
    text = pdf_of(client, people["trainee"], certificate).pages[0].extract_text()
    assert "Certificate" in text and "Tunnistus" not in text
    set_organisation(client, people["coordinator"], second_language="et")
    text = pdf_of(client, people["trainee"], certificate).pages[0].extract_text()
    assert "Certificate" in text and "Tunnistus" in text
    assert "Total / Kokku" in text and "Trainer / Koolitaja" in text
    login(client, people["coordinator"])
    page = client.get("/organisation/").get_data(as_text=True)
    assert '<option selected value="et">' in page or 'value="et" selected' in page


def test_a_russian_certificate_prints_in_russian_with_estonian_beneath(client, session, people):
    holder = make_user(session, display_name="Ольга Кузнецова", language="ru")
    cohort = make_cohort(session, trainees=(holder,))
    certificate = make_certificate(session, cohort, holder, issued_on=date(2026, 11, 30))
    set_organisation(client, people["coordinator"], second_language="et")
    text = pdf_of(client, holder, certificate).pages[0].extract_text()
    assert "Ольга Кузнецова" in text and "Сертификат" in text and "Tunnistus" in text
    assert "Обучение опорных лиц" in text  # the programme's Russian title
    words = " ".join(text.split())  # Babel puts a no-break space before "г."
    assert "30 ноября 2026 г." in words and "Всего / Kokku" in words  # Russian dates and labels
