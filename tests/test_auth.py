"""Logging in and out, changing passwords, one-time password links."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lms.auth import services as accounts
from lms.auth.models import Role
from lms.db import utcnow
from tests.factories import PASSWORD, login, make_user

WRONG = "The email or password is not right."


def _log_in(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_login_with_any_case_of_the_email(client, session):
    make_user(session, email="olena@example.org")
    response = _log_in(client, "Olena@EXAMPLE.org", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_email_and_wrong_password_say_the_same(client, session):
    make_user(session, email="olena@example.org")
    wrong_password = _log_in(client, "olena@example.org", "not it at all").get_data(as_text=True)
    wrong_email = _log_in(client, "nobody@example.org", PASSWORD).get_data(as_text=True)
    assert WRONG in wrong_password and WRONG in wrong_email
    assert client.get("/").status_code == 302


def test_login_form_keeps_the_email_typed(client, session):
    page = _log_in(client, "typed@example.org", "x").get_data(as_text=True)
    assert 'value="typed@example.org"' in page


def test_inactive_person_cannot_log_in(client, session):
    make_user(session, email="gone@example.org", active=False)
    page = _log_in(client, "gone@example.org", PASSWORD).get_data(as_text=True)
    assert "deactivated" in page
    assert client.get("/").status_code == 302


def test_deactivation_ends_an_open_session(client, session):
    user = make_user(session)
    login(client, user)
    assert client.get("/").status_code == 200
    user.active = False
    session.commit()
    assert client.get("/").status_code == 302


def test_remember_me_sets_a_lasting_cookie(client, session):
    make_user(session, email="r@example.org")
    response = _log_in(client, "r@example.org", PASSWORD, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]


def test_next_goes_only_to_this_site(client, session):
    make_user(session, email="n@example.org")
    inside = client.post(
        "/login?next=/account/password", data={"email": "n@example.org", "password": PASSWORD}
    )
    assert inside.headers["Location"] == "/account/password"
    client.post("/logout")
    outside = client.post(
        "/login?next=https://evil.example/", data={"email": "n@example.org", "password": PASSWORD}
    )
    assert outside.headers["Location"] == "/"


def test_change_password_ends_other_sessions(app, client, session):
    user = make_user(session, email="c@example.org")
    other_device = app.test_client()
    login(other_device, user)
    login(client, user)
    response = client.post(
        "/account/password",
        data={
            "current": PASSWORD,
            "password": "a brand new secret",
            "confirm": "a brand new secret",
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session goes on
    assert other_device.get("/").status_code == 302  # the other one ended
    client.post("/logout")
    assert _log_in(client, "c@example.org", "a brand new secret").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        (
            "wrong password",
            "a brand new secret",
            "a brand new secret",
            "current password is not right",
        ),
        (PASSWORD, "short", "short", "at least 10"),
        (PASSWORD, "a brand new secret", "another one here", "passwords differ"),
    ],
)
def test_change_password_refusals(client, session, current, new, confirm, message):
    login(client, make_user(session))
    page = client.post(
        "/account/password", data={"current": current, "password": new, "confirm": confirm}
    ).get_data(as_text=True)
    assert message in page


def test_password_link_works_once(client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    person = make_user(session, email="p@example.org", password=None)
    token = accounts.create_password_link(session, person, coordinator, valid_hours=48)
    session.commit()
    assert "p@example.org" in client.get(f"/password/{token}").get_data(as_text=True)
    data = {"password": "my own password", "confirm": "my own password"}
    assert client.post(f"/password/{token}", data=data).status_code == 302
    assert client.get(f"/password/{token}").status_code == 404
    assert _log_in(client, "p@example.org", "my own password").status_code == 302


def test_expired_and_superseded_links_do_not_work(session):
    person = make_user(session)
    old = accounts.create_password_link(session, person, None, valid_hours=48)
    new = accounts.create_password_link(session, person, None, valid_hours=48)
    with pytest.raises(accounts.AccountError):
        accounts.find_password_link(session, old)
    accounts.find_password_link(session, new)
    with pytest.raises(accounts.AccountError):
        accounts.find_password_link(session, new, now=utcnow() + timedelta(hours=49))


def test_no_token_is_stored_in_clear(session):
    from lms.auth.models import PasswordLink

    token = accounts.create_password_link(session, make_user(session), None, valid_hours=1)
    stored = session.query(PasswordLink).one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_coordinator_makes_a_link_and_it_is_emailed_when_mail_is_set(
    app, client, session, monkeypatch
):
    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        "lms.auth.links.send_mail", lambda to, subject, body: sent.append((to, body)) or True
    )
    login(client, make_user(session, Role.COORDINATOR))
    person = make_user(session, email="mail@example.org")
    page = client.post(f"/users/{person.id}/password-link").get_data(as_text=True)
    assert "/password/" in page and "has also been sent" in page
    assert sent[0][0] == "mail@example.org" and "/password/" in sent[0][1]


def test_a_link_cannot_be_redeemed_twice_even_at_once(session):
    person = make_user(session)
    token = accounts.create_password_link(session, person, None, valid_hours=1)
    accounts.find_password_link(session, token)  # both requests have checked the link...
    accounts.redeem_password_link(session, token, "first new password", "pbkdf2:sha256:1000")
    from lms.auth.models import PasswordLink

    link = session.query(PasswordLink).one()
    link.used_at = None  # ...as if the second still saw it unused when it looked
    session.flush()
    session.execute(
        sa.update(PasswordLink).values(used_at=utcnow()).where(PasswordLink.id == link.id)
    )
    session.expire_all()
    with pytest.raises(accounts.AccountError):
        accounts.redeem_password_link(session, token, "second password!", "pbkdf2:sha256:1000")


def test_mail_is_sent_after_the_link_is_committed(app, client, session, monkeypatch):
    from lms.extensions import db

    events = []
    real_commit = db.session.commit
    monkeypatch.setattr(db.session, "commit", lambda: events.append("commit") or real_commit())
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        "lms.auth.links.send_mail", lambda to, subject, body: events.append("mail") or True
    )
    login(client, make_user(session, Role.COORDINATOR))
    person = make_user(session)
    client.post(f"/users/{person.id}/password-link")
    assert events == ["commit", "mail"]
