"""The issuer's signing key: one key for every host, kept in the database encrypted with the
secret key, rotated without breaking older credentials; and the issuer's addresses, which come
from configuration and never from a request's Host header."""

import threading

import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session

from lms.auth.models import Role
from lms.certificates import credential, keys
from lms.certificates.models import IssuerKey
from lms.extensions import db
from tests.conftest import make_app
from tests.factories import login, make_certificate, make_cohort, make_user

BASE = "https://tugi.example.org"


@pytest.fixture
def holder(session):
    trainee = make_user(session, Role.TRAINEE, display_name="Olena Kovalenko")
    cohort = make_cohort(session, trainees=(trainee,))
    return trainee, make_certificate(session, cohort, trainee)


def host(database_url, tmp_path, monkeypatch, name: str, **config):
    """An app as one host runs it: its own instance folder, the shared database."""
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / name))
    return make_app(database_url, BASE_URL=BASE, **config)


def download(app, user, certificate) -> str:
    client = app.test_client()
    login(client, user)
    response = client.get(f"/certificates/{certificate.id}/credential.jwt")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def published(app) -> KeySet:
    return KeySet.import_key_set(app.test_client().get("/issuer/jwks.json").get_json())


def test_two_hosts_sign_with_the_same_published_key(
    database_url, connection, holder, tmp_path, monkeypatch
):
    user, certificate = holder
    first = host(database_url, tmp_path, monkeypatch, "first")
    second = host(database_url, tmp_path, monkeypatch, "second")
    token_first, token_second = (
        download(first, user, certificate),
        download(second, user, certificate),
    )
    assert (
        jwt.get_unverified_header(token_first)["kid"]
        == jwt.get_unverified_header(token_second)["kid"]
    )
    for token in (token_first, token_second):
        for app in (first, second):
            jose_jwt.decode(token, published(app), algorithms=["RS256"])
    assert not (tmp_path / "first" / "issuer-key.pem").exists()


def test_the_key_is_stored_encrypted(app, connection, session, holder):
    user, certificate = holder
    download(app, user, certificate)
    stored = session.scalars(sa.select(IssuerKey)).one()
    assert b"PRIVATE KEY" not in stored.private_key.encode()
    assert "PUBLIC KEY" in stored.public_pem


def test_a_host_with_another_secret_key_is_told_why_it_cannot_sign(
    database_url, connection, holder, tmp_path, monkeypatch
):
    user, certificate = holder
    download(host(database_url, tmp_path, monkeypatch, "first"), user, certificate)
    stranger = host(database_url, tmp_path, monkeypatch, "other", SECRET_KEY="another secret")
    client = stranger.test_client()
    login(client, user)
    response = client.get(f"/certificates/{certificate.id}/credential.jwt", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "eyJ" not in page
    assert "secret key" in page and "administrator" in page
    with stranger.app_context(), pytest.raises(keys.IssuerKeyError, match="LMS_SECRET_KEY"):
        credential.signing_key()


def test_rotation_keeps_older_credentials_verifiable(app, runner, connection, session, holder):
    user, certificate = holder
    old = download(app, user, certificate)
    result = runner.invoke(args=["issuer", "rotate-key"])
    assert result.exit_code == 0, result.output
    new = download(app, user, certificate)
    old_kid, new_kid = (jwt.get_unverified_header(token)["kid"] for token in (old, new))
    assert old_kid != new_kid
    key_set = published(app)
    assert len(key_set.keys) == 2
    client = app.test_client()
    for token, kid in ((old, old_kid), (new, new_kid)):
        jose_jwt.decode(token, key_set, algorithms=["RS256"])
        served = client.get(kid.removeprefix("http://localhost")).get_json()
        jose_jwt.decode(token, KeySet.import_key_set({"keys": [served]}), algorithms=["RS256"])
    assert session.scalar(sa.select(sa.func.count()).where(IssuerKey.active == 1)) == 1


def test_a_key_file_made_earlier_is_imported_once_and_keeps_signing(
    database_url, connection, session, holder, tmp_path, monkeypatch
):
    user, certificate = holder
    (tmp_path / "old").mkdir()
    earlier = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "old" / "issuer-key.pem").write_bytes(
        earlier.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    old_host = host(database_url, tmp_path, monkeypatch, "old")
    token = download(old_host, user, certificate)
    assert jwt.get_unverified_header(token)["kid"].endswith(
        "/" + credential.public_jwk(earlier)["kid"]
    )
    # a host whose own earlier key differs publishes it too, so its credentials still verify
    (tmp_path / "other").mkdir()
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "other" / "issuer-key.pem").write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    other_host = host(database_url, tmp_path, monkeypatch, "other")
    assert download(other_host, user, certificate).split(".")[0] == token.split(".")[0]
    kids = {item.kid for item in session.scalars(sa.select(IssuerKey))}
    assert kids == {credential.public_jwk(k)["kid"] for k in (earlier, other)}


@pytest.fixture
def committed(app):
    """Sessions on their own connections, committed for real; the keys are removed afterwards."""
    with app.app_context():
        engine = db.engine
        yield lambda: Session(engine, expire_on_commit=False)
        with engine.begin() as conn:
            conn.execute(sa.delete(IssuerKey))


def test_two_hosts_starting_together_make_one_key(app, committed):
    barrier = threading.Barrier(2)
    made, errors = [], []

    def start():
        session = committed()
        try:
            barrier.wait()
            made.append(keys.provide_key(session, "test-secret-key").kid)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            session.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    check = committed()
    assert check.scalar(sa.select(sa.func.count(IssuerKey.id))) == 1
    assert len(set(made)) == 1
    check.close()


# The issuer's addresses: from LMS_BASE_URL only.


def test_a_forged_host_never_reaches_a_signed_credential(
    database_url, connection, holder, tmp_path, monkeypatch
):
    user, certificate = holder
    behind_proxy = host(database_url, tmp_path, monkeypatch, "proxy", PROXY_COUNT=1)
    client = behind_proxy.test_client()
    client.environ_base["HTTP_HOST"] = "evil.example"
    login(client, user)
    token = client.get(
        f"/certificates/{certificate.id}/credential.jwt",
        headers={"X-Forwarded-Host": "evil.example"},
    ).get_data(as_text=True)
    claims = jwt.decode(token, options={"verify_signature": False})
    header = jwt.get_unverified_header(token)
    assert "evil.example" not in str(claims) + str(header)
    assert header["kid"].startswith(BASE + "/issuer/keys/")
    assert claims["issuer"]["id"] == BASE + "/issuer"
    assert claims["credentialStatus"]["id"] == BASE + "/issuer/revocations.json"
    jwks = client.get("/issuer/jwks.json").get_json()
    assert all(item["kid"].startswith(BASE) for item in jwks["keys"])


def test_without_a_base_url_no_credential_is_made_and_the_page_says_why(
    app, client, session, holder, monkeypatch
):
    user, certificate = holder
    monkeypatch.setitem(app.config, "BASE_URL", "")
    client.environ_base["HTTP_HOST"] = "evil.example"
    login(client, user)
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "LMS_BASE_URL" in page
    for suffix in ("credential.jwt", "certificate.pdf"):
        response = client.get(f"/certificates/{certificate.id}/{suffix}")
        assert response.status_code == 503
        body = response.get_data(as_text=True)
        assert "evil.example" not in body and "LMS_BASE_URL" in body
    assert client.get("/issuer/jwks.json").status_code == 503
