"""Certificate pages: who sees a checklist or a certificate, signing off and issuing through
the pages (never for a trainee who misses a requirement), revocation, the public verification
pages, the PDF's letters and QR code, the signed credential, and query counts."""

import csv
import io
import re
from datetime import date, timedelta

import jwt
import pypdfium2
import pytest
import sqlalchemy as sa
import zxingcpp
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet
from pypdf import PdfReader

from lms.auth.models import Role
from lms.certificates.models import Certificate, Status
from lms.cohorts.models import Enrolment
from tests.factories import (
    complete_programme,
    count_queries,
    login,
    make_certificate,
    make_cohort,
    make_user,
)


@pytest.fixture
def people(session):
    trainer = make_user(session, Role.TRAINER, display_name="Tiina Tamm")
    trainee = make_user(session, display_name="Õie Täht-Kovalenko", language="et")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,), name="Võru 2026")
    other_trainer = make_user(session, Role.TRAINER)
    other_trainee = make_user(session)
    make_cohort(session, trainers=(other_trainer,), trainees=(other_trainee,))
    coordinator = make_user(session, Role.COORDINATOR)
    enrolment = session.scalar(sa.select(Enrolment).where(Enrolment.user_id == trainee.id))
    return {
        "trainer": trainer, "trainee": trainee, "cohort": cohort, "other_trainer": other_trainer,
        "other_trainee": other_trainee, "coordinator": coordinator, "enrolment": enrolment,
    }  # fmt: skip


def test_the_checklist_is_seen_by_the_trainee_and_their_staff_only(client, session, people):
    url = f"/certificates/enrolments/{people['enrolment'].id}"
    for who in ("trainee", "trainer", "coordinator"):
        login(client, people[who])
        page = client.get(url).get_data(as_text=True)
        assert client.get(url).status_code == 200, who
    assert "Supervised practice signed off" in page and "0 of 10 h" in page
    for who in ("other_trainee", "other_trainer"):
        login(client, people[who])
        assert client.get(url).status_code == 404, who


def test_a_trainee_missing_one_requirement_gets_no_certificate_by_any_route(
    app, client, session, people
):
    with app.test_request_context():
        complete_programme(
            session, people["cohort"], people["trainee"], people["trainer"], skip="quiz"
        )
    enrolment = people["enrolment"]
    login(client, people["trainer"])
    page = client.get(f"/certificates/enrolments/{enrolment.id}").get_data(as_text=True)
    assert "You can sign off once every other requirement is met." in page
    client.post(f"/certificates/enrolments/{enrolment.id}/sign-off", data={"attest": "y"})
    login(client, people["coordinator"])
    client.post(f"/certificates/enrolments/{enrolment.id}/issue")
    client.post(f"/certificates/cohorts/{people['cohort'].id}/issue")
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    page = client.get(f"/certificates/enrolments/{enrolment.id}", follow_redirects=True)
    assert "Every requirement must be met first." in page.get_data(as_text=True)


def test_sign_off_issues_and_the_holder_downloads_the_pdf_and_credential(
    app, client, session, people
):
    with app.test_request_context():
        complete_programme(session, people["cohort"], people["trainee"], people["trainer"])
    enrolment = people["enrolment"]
    login(client, people["trainer"])
    refused = client.post(f"/certificates/enrolments/{enrolment.id}/sign-off", data={})
    assert refused.status_code == 400 and b'<a href="#attest">Tick the statement' in refused.data
    assert session.scalar(sa.select(sa.func.count(Certificate.id))) == 0
    client.post(f"/certificates/enrolments/{enrolment.id}/sign-off", data={"attest": "y"})
    certificate = session.scalars(sa.select(Certificate)).one()
    assert certificate.holder_name == "Õie Täht-Kovalenko"

    login(client, people["trainee"])
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert certificate.code in page and "certificate.pdf" in page
    # the whole public address to hand on, not a path only this site understands
    assert f">http://localhost/verify/{certificate.code}</a>" in page
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Õie Täht-Kovalenko" in text and "Tunnistus" in text  # in the holder's Estonian
    assert "Tiina Tamm" in text and certificate.code in text
    token = client.get(f"/certificates/{certificate.id}/credential.jwt").get_data(as_text=True)
    assert token.count(".") == 2
    for who in ("other_trainee", "other_trainer"):
        login(client, people[who])
        for suffix in ("", "/certificate.pdf", "/credential.jwt"):
            assert client.get(f"/certificates/{certificate.id}{suffix}").status_code == 404


@pytest.mark.parametrize("name", ["Õie Täht-Kovalenko", "Олена Шевченко", "Őrsi Éva"])
def test_the_pdf_has_every_letter_of_the_holders_name(client, session, people, name):
    holder = make_user(session, display_name=name, language="uk")
    make_cohort(session, trainees=(holder,))
    cohort = session.scalar(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == holder.id))
    from lms.cohorts.models import Cohort

    certificate = make_certificate(session, session.get(Cohort, cohort), holder)
    login(client, holder)
    data = client.get(f"/certificates/{certificate.id}/certificate.pdf").data
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert name in text
    assert "Сертифікат" in text  # the Ukrainian holder's certificate is in Ukrainian


def test_a_missing_glyph_fails_instead_of_drawing_a_box(app):
    from lms.pdf import Document, MissingGlyphError

    with app.app_context():
        document = Document("t")
        document.paragraph("Õie 名")  # Noto Sans has no CJK glyphs
        with pytest.raises(MissingGlyphError, match="名"):
            document.to_bytes()


def test_the_pdfs_qr_code_opens_the_verification_page(client, session, people):
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    login(client, people["trainee"])
    data = client.get(f"/certificates/{certificate.id}/certificate.pdf").data
    page = pypdfium2.PdfDocument(data)[0]
    image = page.render(scale=3).to_pil()
    codes = zxingcpp.read_barcodes(image)
    assert [code.text for code in codes] == [f"http://localhost/verify/{certificate.code}"]


def test_anyone_verifies_by_code_and_an_unknown_code_reveals_nothing(client, session, people):
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate is valid." in page and "Õie Täht-Kovalenko" in page
    typed = client.get("/verify", query_string={"code": certificate.code.lower().replace("-", " ")})
    assert typed.headers["Location"].endswith(f"/verify/{certificate.code}")
    unknown = client.get("/verify/TUGI-3333-3333")
    not_a_code = client.get("/verify/whatever")
    assert unknown.status_code == not_a_code.status_code == 404

    def without_token(response):
        """The page without the parts that differ per request: the token and the own path."""
        page = re.sub(r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True))
        return re.sub(r'name="next" value="[^"]*"', "", page)

    assert without_token(unknown) == without_token(not_a_code)
    typed_unknown = client.get("/verify", query_string={"code": "TUGI-3333-3333"})
    assert typed_unknown.status_code == 404
    assert "No certificate has this code" in typed_unknown.get_data(as_text=True)


def test_the_parts_of_the_programme_are_named_in_the_readers_language(client, session, people):
    """The hours lines were stored in the holder's language; a reader in another one saw them
    beside a programme name in their own."""
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    client.post("/language", data={"language": "uk", "next": "/"})
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "Частина 1: роль особи підтримки" in page and "<dt>Part 1</dt>" not in page
    login(client, people["coordinator"])
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Part 1: the support person&#39;s role" in page and "<dt>Part 1</dt>" not in page


def test_revocation_and_expiry_show_on_the_verification_page(client, session, people):
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    login(client, people["coordinator"])
    page = client.get(f"/certificates/{certificate.id}/revoke").get_data(as_text=True)
    assert "This cannot be undone" in page
    kept = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": ""})
    assert kept.status_code == 200 and certificate.status == Status.VALID
    client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "Forged practice log."})
    client.get("/logout")
    page = client.get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert "This certificate was revoked" in page and "Forged practice log." in page
    revoked = client.get("/issuer/revocations.json").get_json()
    assert revoked["revokedCredentials"] == [
        {"id": certificate.credential_id, "revocationReason": "Forged practice log."}
    ]

    old = make_certificate(
        session,
        make_cohort(session, trainees=(people["other_trainee"],)),
        people["other_trainee"],
        issued_on=date(2020, 3, 1),
    )
    page = client.get(f"/verify/{old.code}").get_data(as_text=True)
    assert "This certificate expired on" in page


def test_verification_is_rate_limited(database_url, connection, session, people):
    from tests.conftest import make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_VERIFY="3 per minute")
    client = app.test_client()
    codes = [client.get("/verify/TUGI-3333-3333").status_code for _ in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_the_credential_verifies_with_an_independent_jwt_library(app, client, session, people):
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    login(client, people["trainee"])
    token = client.get(f"/certificates/{certificate.id}/credential.jwt").get_data(as_text=True)
    key_set = KeySet.import_key_set(client.get("/issuer/jwks.json").get_json())
    decoded = jose_jwt.decode(token, key_set, algorithms=["RS256"])
    claims = decoded.claims
    assert decoded.header["alg"] == "RS256"
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"] == "http://localhost/issuer"
    assert claims["jti"] == claims["id"] == certificate.credential_id
    # valid until the expiry date starts in Tallinn (UTC+2 or +3), when /verify says "expired"
    assert claims["validUntil"].startswith(
        (certificate.expires_on - timedelta(days=1)).isoformat() + "T2"
    )
    assert claims["validFrom"] <= claims["validUntil"]
    # the header names where the key is served, and the key served there checks the signature
    kid = decoded.header["kid"]
    assert kid.startswith("http://localhost/issuer/keys/")
    served = client.get(kid.removeprefix("http://localhost")).get_json()
    assert served["kid"] == kid
    jose_jwt.decode(token, KeySet.import_key_set({"keys": [served]}), algorithms=["RS256"])
    subject = claims["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Õie Täht-Kovalenko"
    achievement = subject["achievement"]
    narrative = achievement["criteria"]["narrative"]
    assert "10 hours of supervised practice" in narrative
    # quizzes by their titles, as people call them, not by their file names
    assert "quizzes passed: " in narrative and "support-role-final" not in narrative
    assert [e["description"] for e in claims["evidence"][1:]] == [
        "25 hours attended",
        "24 hours attended",
        "10.5 hours with 2 client(s), signed off by a trainer",
    ]
    assert claims["credentialStatus"]["type"] == "1EdTechRevocationList"
    # the registered claims follow the credential's dates, and a changed byte breaks it
    assert claims["exp"] > claims["nbf"]
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload[:-2]}AA.{signature}"
    with pytest.raises(Exception):  # noqa: B017 - any signature error will do
        jose_jwt.decode(tampered, key_set, algorithms=["RS256"])
    # PyJWT, which signed it, agrees
    public = jwt.PyJWKSet.from_dict(client.get("/issuer/jwks.json").get_json()).keys[0].key
    assert jwt.decode(token, public, algorithms=["RS256"], options={"verify_exp": False})


def test_the_cohort_page_lists_each_trainee_and_issues_to_the_eligible(
    app, client, session, people
):
    login(client, people["coordinator"])
    cohort = people["cohort"]
    page = client.get(f"/certificates/cohorts/{cohort.id}").get_data(as_text=True)
    assert "Õie Täht-Kovalenko" in page and "Issue all 0 eligible certificates" in page


def test_page_queries_do_not_grow_with_the_trainees(app, client, session, connection, people):
    cohort = people["cohort"]
    make_certificate(session, cohort, people["trainee"])
    login(client, people["coordinator"])

    def count():
        with count_queries(connection) as statements:
            assert client.get(f"/certificates/cohorts/{cohort.id}").status_code == 200
            assert client.get("/certificates/").status_code == 200
        return len(statements)

    before = count()
    for _ in range(6):
        trainee = make_user(session)
        session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id))
        session.commit()
        make_certificate(session, cohort, trainee)
    assert count() == before


def test_the_register_exports_and_filters(client, session, people):
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    login(client, people["coordinator"])
    page = client.get("/certificates/", query_string={"q": "Täht"}).get_data(as_text=True)
    assert certificate.code in page
    page = client.get("/certificates/", query_string={"status": "revoked"}).get_data(as_text=True)
    assert certificate.code not in page and "No certificates match." in page
    response = client.get("/certificates/export.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[1][:3] == [certificate.code, "Õie Täht-Kovalenko", "Support-person training"]
    assert rows[1][6] == "valid"
    login(client, people["trainee"])
    assert client.get("/certificates/export.csv").status_code == 403


def test_the_holder_is_warned_before_expiry(client, session, people):
    soon = date.today() + timedelta(days=30)
    certificate = make_certificate(
        session, people["cohort"], people["trainee"], issued_on=date.today() - timedelta(days=900),
        expires_on=soon,
    )  # fmt: skip
    login(client, people["trainee"])
    page = client.get("/certificates/").get_data(as_text=True)
    assert certificate.code in page and "flash-warning" in page
    login(client, people["coordinator"])
    page = client.get("/certificates/").get_data(as_text=True)
    assert "1 certificate expires within 90 days" in page


def test_the_home_page_warns_the_holder(client, session, people):
    certificate = make_certificate(
        session, people["cohort"], people["trainee"], issued_on=date.today() - timedelta(days=900),
        expires_on=date.today() + timedelta(days=20),
    )  # fmt: skip
    login(client, people["trainee"])
    assert certificate.code in client.get("/").get_data(as_text=True)
    login(client, people["other_trainee"])
    assert certificate.code not in client.get("/").get_data(as_text=True)


def test_expiry_reminders_are_emailed_once_in_the_holders_language(
    app, runner, session, people, monkeypatch
):
    certificate = make_certificate(
        session, people["cohort"], people["trainee"], issued_on=date.today() - timedelta(days=900),
        expires_on=date.today() + timedelta(days=20),
    )  # fmt: skip
    make_certificate(
        session,
        make_cohort(session, trainees=(people["other_trainee"],)),
        people["other_trainee"],
        issued_on=date.today(),
    )  # not expiring soon
    result = runner.invoke(args=["certificates", "remind"])
    assert "LMS_MAIL_SERVER is not set" in result.output
    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setitem(app.config, "BASE_URL", "https://tugi.example.org")
    monkeypatch.setattr(
        "lms.mail.send_mail", lambda to, subject, body: sent.append((to, body)) or True
    )
    result = runner.invoke(args=["certificates", "remind"])
    assert "1 reminders sent." in result.output
    assert [to for to, _ in sent] == [people["trainee"].email]
    assert f"https://tugi.example.org/verify/{certificate.code}" in sent[0][1]
    assert "tunnistus" in sent[0][1].lower()  # the holder reads Estonian
    assert "2 reminders" not in runner.invoke(args=["certificates", "remind"]).output
    assert len(sent) == 1
