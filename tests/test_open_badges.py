"""Certificates elsewhere: the credential against 1EdTech's published Open Badges 3.0 JSON
schema (vendored in ``tests/schemas/``), the issuer profile without Open Badges 2.0 leftovers,
what the holder is told about the ``.jwt`` file, and LinkedIn's "Add to profile" link."""

import html
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from lms.auth.models import Role
from lms.certificates.models import Status
from lms.certificates.sharing import linkedin_url
from lms.programmes.api import get_programme
from tests.factories import login, make_certificate, make_cohort, make_user
from tests.test_certificate_document import NAME, png, set_organisation

SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json").read_text(
        encoding="utf-8"
    )
)
PUBLISHED_AT = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


@pytest.fixture
def people(session):
    coordinator = make_user(session, Role.COORDINATOR)
    trainer = make_user(session, Role.TRAINER)
    trainee = make_user(session, display_name="Olena Kovalenko", language="en")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    return {"coordinator": coordinator, "trainer": trainer, "trainee": trainee, "cohort": cohort}


def schema_errors(document: dict, schema: dict = SCHEMA) -> list[str]:
    """Every way ``document`` breaks ``schema`` (JSON Schema 2019-09, formats checked)."""
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def credential_claims(client, certificate) -> dict:
    """The signed credential's claims, checked against the published keys."""
    token = client.get(f"/certificates/{certificate.id}/credential.jwt").get_data(as_text=True)
    key_set = KeySet.import_key_set(client.get("/issuer/jwks.json").get_json())
    return jose_jwt.decode(token, key_set, algorithms=["RS256"]).claims


def test_the_vendored_schema_is_the_published_one():
    jsonschema.Draft201909Validator.check_schema(SCHEMA)
    assert SCHEMA["title"] == "JSON Schema for the AchievementCredential class."
    assert "validFrom" in SCHEMA["required"]  # the Verifiable Credentials 2.0 revision


def test_the_credential_validates_against_the_open_badges_schema(client, session, people):
    set_organisation(client, people["coordinator"], logo=(io.BytesIO(png()), "logo.png"))
    certificate = make_certificate(session, people["cohort"], people["trainee"])
    login(client, people["trainee"])
    claims = credential_claims(client, certificate)
    assert claims["issuer"]["name"] == NAME and claims["issuer"]["image"]["type"] == "Image"
    assert schema_errors(claims) == []
    assert claims["credentialSchema"] == [
        {"id": PUBLISHED_AT, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    # the schema does check: a credential without its subject's achievement fails it
    del claims["credentialSubject"]["achievement"]
    assert any("achievement" in error for error in schema_errors(claims))


def test_the_issuer_profile_has_only_open_badges_3_properties(client, session, people):
    set_organisation(client, people["coordinator"], logo=(io.BytesIO(png()), "logo.png"))
    profile = client.get("/issuer").get_json()
    defined = SCHEMA["$defs"]["Profile"]["properties"]
    assert set(profile) - {"@context"} <= set(defined), "Open Badges 2.0 properties remain"
    assert "publicKey" not in profile
    assert schema_errors(profile, {"$ref": "#/$defs/Profile", "$defs": SCHEMA["$defs"]}) == []


def test_the_linkedin_link_carries_the_certification():
    url = linkedin_url(
        name="Tugiisiku koolitus",
        organisation="Võru Tugikeskus & Co",
        issued_on=date(2026, 10, 20),
        expires_on=date(2029, 10, 1),
        cert_url="https://tugi.example.ee/verify/TUGI-7K3M-Q9XD",
        cert_id="TUGI-7K3M-Q9XD",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert parse_qs(parts.query, strict_parsing=True) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": ["Tugiisiku koolitus"],
        "organizationName": ["Võru Tugikeskus & Co"],
        "issueYear": ["2026"],
        "issueMonth": ["10"],
        "expirationYear": ["2029"],
        "expirationMonth": ["10"],
        "certUrl": ["https://tugi.example.ee/verify/TUGI-7K3M-Q9XD"],
        "certId": ["TUGI-7K3M-Q9XD"],
    }


def linkedin_link(page: str) -> str | None:
    found = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


def test_the_holder_of_a_valid_certificate_is_offered_linkedin_and_told_about_the_file(
    app, client, session, people
):
    certificate = make_certificate(
        session, people["cohort"], people["trainee"], issued_on=date.today() - timedelta(days=40)
    )
    login(client, people["trainee"])
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    query = parse_qs(urlsplit(linkedin_link(page)).query)
    with app.app_context():
        title = certificate.programme_title("en", get_programme(certificate.programme_slug))
    assert query["name"] == [title] and title == "Support-person training"
    assert query["organizationName"] == ["Tugi"]  # LMS_ISSUER_NAME while nothing is set
    assert query["issueYear"] == [str(certificate.issued_on.year)]
    assert query["issueMonth"] == [str(certificate.issued_on.month)]
    assert query["expirationYear"] == [str(certificate.expires_on.year)]
    assert query["expirationMonth"] == [str(certificate.expires_on.month)]
    assert query["certUrl"] == [f"http://localhost/verify/{certificate.code}"]
    assert query["certId"] == [certificate.code]
    assert "organizationId" not in query
    # the .jwt file in plain words: what it is and where it goes
    assert "digital wallet" in page and "Open Badges 3.0" in page

    for who in ("coordinator", "trainer"):  # staff see the certificate, not the holder's link
        login(client, people[who])
        page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
        assert certificate.code in page and linkedin_link(page) is None, who


@pytest.mark.parametrize("status", [Status.REVOKED, Status.SUPERSEDED, Status.EXPIRED])
def test_no_linkedin_link_for_a_certificate_that_is_not_valid(client, session, people, status):
    today = date.today()
    fields = {"issued_on": today - timedelta(days=900)}
    if status == Status.EXPIRED:
        fields["expires_on"] = today - timedelta(days=1)
    else:
        fields["status"] = status
    certificate = make_certificate(session, people["cohort"], people["trainee"], **fields)
    login(client, people["trainee"])
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert certificate.code in page and linkedin_link(page) is None


def test_the_credential_names_the_hour_lines_in_english_like_the_rest_of_it(
    client, session, people
):
    # a certificate printed in Estonian: its hour lines carry every language's title
    titles = {"en": "Part 1: the role", "et": "1. osa: roll", "uk": "Частина 1: роль"}
    people["trainee"].language = "et"
    session.commit()
    certificate = make_certificate(
        session,
        people["cohort"],
        people["trainee"],
        hours=[{"slug": "support-role", "title": titles["et"], "titles": titles, "minutes": 1500}],
    )
    login(client, people["trainee"])
    claims = credential_claims(client, certificate)
    assert [e["name"] for e in claims["evidence"][1:]] == [
        "Part 1: the role",
        "Supervised practice",
    ]
