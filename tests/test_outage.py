"""A database outage: every page answers 503 "try again in a moment", rendered without the
database, in the reader's language, and JSON callers get JSON they can show."""

import socket

import pytest
import sqlalchemy as sa

from lms.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_app


def _closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def down_app():
    """The app pointed at a PostgreSQL server that refuses connections."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/tugi?connect_timeout=2"
    return make_app(url)


def _logged_in(app):
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = "1:0:a-login"  # id, session version, login
        flask_session["_fresh"] = True
    return client


@pytest.mark.parametrize("path", ["/", "/cohorts/", "/courses/", "/certificates/"])
def test_pages_of_a_signed_in_person_say_try_again_in_their_language(down_app, path):
    client = _logged_in(down_app)
    response = client.get(path, headers={"Accept-Language": "et"})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    page = response.get_data(as_text=True)
    assert "Internal Server Error" not in page
    assert "<!doctype html>" in page.lower()
    assert 'lang="et"' in page
    assert "Proovi hetke pärast uuesti" in page


def test_anonymous_login_page_during_an_outage(down_app):
    response = down_app.test_client().post(
        "/login",
        data={"email": "a@example.org", "password": "x"},
        headers={"Accept-Language": "uk"},
    )
    assert response.status_code == 503
    assert 'lang="uk"' in response.get_data(as_text=True)


def test_json_callers_get_json_with_a_reason(down_app):
    client = _logged_in(down_app)
    response = client.post(
        "/quizzes/attempts/1/answer",
        data={"position": "0"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 503
    assert response.is_json
    assert response.json["reason"] == "database_unavailable"
    assert response.json["error"]
    assert response.headers["Retry-After"].isdigit()


def test_health_check_still_answers_503_json(down_app):
    response = down_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def _cut_off(app) -> None:
    """End every server connection of ``app``'s pool, as a database restart does."""
    with app.app_context():
        with db.engine.connect() as connection:
            mine = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with sa.create_engine(TEST_DATABASE_URL).connect() as other:
            other.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = :pid"),
                {"pid": mine},
            )


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="ends a PostgreSQL server connection")
@pytest.mark.parametrize("idle_seconds", [0, 3600])
def test_a_connection_lost_between_requests_is_replaced(database_url, idle_seconds):
    """A connection that sat idle past the threshold is pinged and replaced unseen; one used a
    moment ago is not pinged, so the one request that finds it dead answers 503 and the next
    reconnects: never more than one failed request, never a stuck worker."""
    app = make_app(database_url, DATABASE_PING_IDLE_SECONDS=idle_seconds)
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    _cut_off(app)
    first = client.get("/healthz").status_code
    assert first == (200 if idle_seconds == 0 else 503)
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200
    with app.app_context():
        db.engine.dispose()
