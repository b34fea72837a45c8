"""Logging out ends the session on the server: a replayed cookie no longer works."""

from lms.auth.models import Role
from tests.factories import PASSWORD, make_user


def _log_in(client, email: str, **extra):
    response = client.post("/login", data={"email": email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response


def _replay(app, **cookies):
    """A fresh client that holds only the given cookies, as a thief with a copy would."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def test_a_session_cookie_replayed_after_logout_is_logged_out(app, client, session):
    make_user(session, email="s@example.org")
    _log_in(client, "s@example.org")
    captured = client.get_cookie("session").value
    assert _replay(app, session=captured).get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302
    assert _replay(app, session=captured).get("/").status_code == 302


def test_a_remember_me_cookie_replayed_after_logout_is_logged_out(app, client, session):
    make_user(session, email="r@example.org")
    _log_in(client, "r@example.org", remember="y")
    remember = client.get_cookie("remember_token").value
    assert _replay(app, remember_token=remember).get("/").status_code == 200
    client.post("/logout")
    assert _replay(app, remember_token=remember).get("/").status_code == 302


def test_logout_ends_only_this_session(app, client, session):
    make_user(session, email="two@example.org")
    phone = app.test_client()
    _log_in(phone, "two@example.org")
    _log_in(client, "two@example.org")
    client.post("/logout")
    assert phone.get("/").status_code == 200


def test_log_out_everywhere_ends_every_session(app, client, session):
    make_user(session, email="all@example.org")
    phone, laptop = app.test_client(), app.test_client()
    _log_in(phone, "all@example.org", remember="y")
    _log_in(laptop, "all@example.org")
    remember = phone.get_cookie("remember_token").value
    page = laptop.get("/account").get_data(as_text=True)
    assert "Log out everywhere" in page
    laptop.post("/account/logout-everywhere")
    assert laptop.get("/").status_code == 302
    assert phone.get("/").status_code == 302
    assert _replay(app, remember_token=remember).get("/").status_code == 302
    _log_in(laptop, "all@example.org")  # logging in again works
    assert laptop.get("/").status_code == 200


def test_a_password_change_keeps_this_session_and_ends_the_others(app, client, session):
    make_user(session, Role.TRAINER, email="pw@example.org")
    phone = app.test_client()
    _log_in(phone, "pw@example.org")
    _log_in(client, "pw@example.org")
    new = "a brand new secret"
    client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert client.get("/").status_code == 200
    assert phone.get("/").status_code == 302


def test_a_remembered_login_stays_remembered_after_a_password_change(app, client, session):
    make_user(session, email="keep@example.org")
    _log_in(client, "keep@example.org", remember="y")
    new = "a brand new secret"
    client.post("/account/password", data={"current": PASSWORD, "password": new, "confirm": new})
    remember = client.get_cookie("remember_token").value
    assert _replay(app, remember_token=remember).get("/").status_code == 200


def test_logins_that_can_no_longer_be_used_are_deleted(session):
    from datetime import timedelta

    import sqlalchemy as sa

    from lms.auth import logins
    from lms.auth.models import LoginSession
    from lms.db import utcnow

    person = make_user(session)
    old = logins.start_login(session, person)
    old.created_at = utcnow() - timedelta(days=400)
    recent = logins.start_login(session, person)
    session.flush()
    logins.start_login(session, person)
    ids = set(session.scalars(sa.select(LoginSession.id).where(LoginSession.user_id == person.id)))
    assert old.id not in ids and recent.id in ids and len(ids) == 2
