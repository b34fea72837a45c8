"""Private responses are never kept by a browser or proxy cache: ``Cache-Control: no-store``,
unless a route declares itself public-cacheable."""

import pytest

from lms.auth import services as accounts
from lms.auth.models import Role
from tests.factories import login, make_certificate, make_cohort, make_practice, make_user


@pytest.fixture
def world(app, session):
    coordinator = make_user(session, Role.COORDINATOR)
    trainer = make_user(session, Role.TRAINER)
    trainee = make_user(session)
    cohort = make_cohort(session, trainers=(trainer,), trainees=(trainee,))
    with app.app_context():
        make_practice(session, cohort, trainee)
    certificate = make_certificate(session, cohort, trainee)
    token = accounts.create_password_link(session, trainee, coordinator, 48)
    session.commit()
    return coordinator, trainee, cohort, certificate, token


def test_private_pages_and_downloads_are_not_stored(client, world):
    coordinator, trainee, cohort, certificate, token = world
    people = f"/practice/cohorts/{cohort.id}/people/{trainee.id}"
    response = client.get(f"/password/{token}")
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", ""), "password-link page"
    login(client, coordinator)
    for url in [
        "/",
        "/users/",
        "/account/password",
        people,
        f"{people}/logbook.csv",
        f"{people}/logbook.pdf",
        f"/certificates/{certificate.id}",
        f"/certificates/{certificate.id}/certificate.pdf",
        f"/certificates/{certificate.id}/credential.jwt",
        "/certificates/export.csv",
        "/alumni/export.xlsx",
        f"/attendance/cohorts/{cohort.id}/matrix.csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_error_pages_are_not_stored(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "no-store" in response.headers["Cache-Control"]


def test_public_files_stay_cacheable(client, world):
    for url in ["/static/css/tugi.css", "/issuer/jwks.json", "/issuer"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
    assert "public" in client.get("/issuer/jwks.json").headers["Cache-Control"]
