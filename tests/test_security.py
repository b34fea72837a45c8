"""Web security by default: CSRF, headers, cookies, rate limits, error pages."""

import re
from datetime import UTC, datetime

import pytest
from itsdangerous import URLSafeTimedSerializer

from lms.auth.models import Role
from lms.quizzes import attempts
from lms.security import _signs
from tests.conftest import make_app
from tests.factories import (
    PASSWORD,
    login,
    make_attempt,
    make_certificate,
    make_cohort,
    make_practice,
    make_quiz,
    make_session,
    make_user,
)


@pytest.fixture
def csrf_app(database_url, connection):
    """The app with CSRF protection on, as in production."""
    return make_app(database_url, WTF_CSRF_ENABLED=True)


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)


def test_every_post_route_refuses_a_request_without_csrf_token(csrf_app, session):
    client = csrf_app.test_client()
    staff = make_user(session, Role.COORDINATOR, Role.TRAINER, Role.TRAINEE)
    login(client, staff)
    target = make_user(session)
    cohort = make_cohort(session, trainers=(staff,), trainees=(target,))
    item = make_session(session, cohort)
    with csrf_app.app_context():
        quiz = make_quiz(session)
        attempt = make_attempt(session, quiz, target, {"Essay": "My answer"})
        attempts.submit(session, quiz, attempt, now=datetime.now(UTC))
        entry = make_practice(session, cohort, target)
    certificate = make_certificate(session, cohort, target)
    adapter = csrf_app.url_map.bind("localhost")
    post_rules = [rule for rule in csrf_app.url_map.iter_rules() if "POST" in rule.methods]
    assert len(post_rules) >= 8
    for rule in post_rules:
        args = {"user_id": target.id, "token": "t", "course_slug": "support-role",
                "lesson_slug": "boundaries-and-ethics", "cohort_id": cohort.id,
                "session_id": item.id, "slug": quiz.slug, "attempt_id": attempt.id,
                "response_id": attempt.responses[0].id, "entry_id": entry.id,
                "enrolment_id": certificate.enrolment_id,
                "certificate_id": certificate.id}  # fmt: skip
        url = adapter.build(rule.endpoint, {k: v for k, v in args.items() if k in rule.arguments})
        response = client.post(url, data={})
        assert response.status_code == 400, f"{url} accepted a POST without CSRF token"


def test_login_works_with_the_token_from_the_form(csrf_app, session):
    make_user(session, email="csrf@example.org")
    client = csrf_app.test_client()
    token = _token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": "csrf@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_a_lesson_is_completed_with_the_token_its_page_carries(csrf_app, session):
    client = csrf_app.test_client()
    login(client, make_user(session))
    lesson = "/courses/support-role/boundaries-and-ethics"
    page = client.get(lesson).get_data(as_text=True)
    form = page[page.index(f'action="{lesson}/completion"') :]
    assert '<input id="csrf_token" name="csrf_token" type="hidden" value="' in form
    response = client.post(lesson + "/completion", data={"csrf_token": _token(form)})
    assert response.status_code == 302
    assert "You have completed this lesson." in client.get(lesson).get_data(as_text=True)


def test_a_trainees_status_changes_with_the_token_their_row_carries(csrf_app, session):
    coordinator = make_user(session, Role.COORDINATOR)
    trainee = make_user(session)
    cohort = make_cohort(session, trainers=(coordinator,), trainees=(trainee,))
    client = csrf_app.test_client()
    login(client, coordinator)
    page = client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True)
    action = f"/cohorts/{cohort.id}/trainees/{trainee.id}/status"
    form = page[page.index(f'action="{action}"') :].split("</form>")[0]
    assert 'id="csrf_token"' not in page  # a row's token has no id, which the rows would repeat
    response = client.post(action, data={"csrf_token": _token(form), "status": "withdrawn"})
    assert response.status_code == 302
    assert client.post(action, data={"status": "active"}).status_code == 400


def _signed_tokens(app):
    return app.jinja_env.globals["csrf_token"].__self__


def test_a_signed_csrf_token_is_reused_within_a_minute_and_only_in_its_session(
    csrf_app, session, monkeypatch
):
    import lms.security

    clock = [1000.0]
    monkeypatch.setattr(lms.security.time, "monotonic", lambda: clock[0])
    signed = []
    sign = URLSafeTimedSerializer.dumps

    def counted(self, *args):
        if self.salt == b"wtf-csrf-token":
            signed.append(1)
        return sign(self, *args)

    monkeypatch.setattr(URLSafeTimedSerializer, "dumps", counted)
    first, second = csrf_app.test_client(), csrf_app.test_client()
    login(first, make_user(session))
    login(second, make_user(session))
    page = "/courses/support-role/boundaries-and-ethics"
    token = _token(first.get(page).get_data(as_text=True))
    assert len(signed) == 1
    clock[0] += 59
    again = _token(first.get(page).get_data(as_text=True))
    assert again == token and len(signed) == 1  # not signed again
    other = _token(second.get(page).get_data(as_text=True))
    assert other != token and len(signed) == 2  # another session has its own
    # the kept token is as good as a fresh one
    response = first.post(page + "/completion", data={"csrf_token": again})
    assert response.status_code == 302
    # after a minute it is signed anew (a form a view makes signs its own, as before)
    clock[0] += 2
    before = len(signed)
    first.get(page)
    assert len(signed) == before + 1


def test_the_kept_csrf_signatures_are_bounded(csrf_app, session, monkeypatch):
    import lms.security

    monkeypatch.setattr(lms.security.SignedCsrfTokens, "LIMIT", 2)
    page = "/courses/support-role/boundaries-and-ethics"
    for _ in range(4):
        client = csrf_app.test_client()
        login(client, make_user(session))
        client.get(page)
    assert len(_signed_tokens(csrf_app)._signed) == 2


def test_a_new_session_token_is_never_given_an_old_signature(csrf_app, session):
    client = csrf_app.test_client()
    login(client, make_user(session))
    page = "/courses/support-role/boundaries-and-ethics"
    token = _token(client.get(page).get_data(as_text=True))
    with client.session_transaction() as flask_session:
        flask_session["csrf_token"] = "0" * 40  # as after the session's token is replaced
    replaced = _token(client.get(page).get_data(as_text=True))
    assert replaced != token
    response = client.post(page + "/completion", data={"csrf_token": token})
    assert response.status_code == 400  # the old signature is of the old token


def test_a_token_left_in_a_shared_context_is_never_kept_for_another_session(csrf_app, session):
    """Two clients in one app context share ``g``: the second is handed the first's token for
    that context (as Flask-WTF does), but it is never kept as the second session's."""
    first, second = csrf_app.test_client(), csrf_app.test_client()
    login(first, make_user(session))
    login(second, make_user(session))
    page = "/courses/support-role/boundaries-and-ethics"
    second.get(page)  # the second session has its own token
    with csrf_app.app_context():
        first.get(page)
        assert _token(second.get(page).get_data(as_text=True)) == _token(
            first.get(page).get_data(as_text=True)
        )
    own = _token(second.get(page).get_data(as_text=True))
    with second.session_transaction() as flask_session:
        assert _signs(own, flask_session["csrf_token"])
    assert second.post(page + "/completion", data={"csrf_token": own}).status_code == 302


def test_a_short_csrf_time_limit_shortens_the_reuse(database_url, connection, session, monkeypatch):
    import lms.security

    app = make_app(database_url, WTF_CSRF_ENABLED=True, WTF_CSRF_TIME_LIMIT=30)
    clock = [1000.0]
    monkeypatch.setattr(lms.security.time, "monotonic", lambda: clock[0])
    client = app.test_client()
    login(client, make_user(session))
    page = "/courses/support-role/boundaries-and-ethics"
    client.get(page)
    kept = dict(_signed_tokens(app)._signed)
    clock[0] += 2.9  # a tenth of the limit is 3 s
    client.get(page)
    assert dict(_signed_tokens(app)._signed) == kept
    clock[0] += 0.2
    client.get(page)
    assert [when for _token, when in _signed_tokens(app)._signed.values()] == [1003.1]


def test_login_is_rate_limited(database_url, connection, session):
    app = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="5 per minute")
    client = app.test_client()
    make_user(session, email="limited@example.org")
    codes = [
        client.post(
            "/login", data={"email": "limited@example.org", "password": "wrong"}
        ).status_code
        for _ in range(6)
    ]
    assert codes == [200] * 5 + [429]
    page = client.post("/login", data={"email": "limited@example.org", "password": PASSWORD})
    assert page.status_code == 429 and "Too many attempts" in page.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_a_room_behind_one_address_can_all_log_in(database_url, connection, session):
    """Sixteen trainees in one training room share an address: logins that succeed do not count
    against the limit, which is there for guessing passwords."""
    app = make_app(database_url, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="5 per minute")
    people = [make_user(session, email=f"room{n}@example.org") for n in range(16)]
    codes = [
        app.test_client()
        .post("/login", data={"email": person.email, "password": PASSWORD})
        .status_code
        for person in people
    ]
    assert codes == [302] * 16
    wrong = app.test_client().post("/login", data={"email": "room0@example.org", "password": "x"})
    assert wrong.status_code == 200  # failures still count from here on


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_header_a_response_sets_itself_is_kept_and_none_is_doubled(app):
    from flask import Response

    from lms.security import HEADERS, add_security_headers

    with app.test_request_context("/"):
        own = Response("x", headers={"x-frame-options": "SAMEORIGIN"})
        headers = add_security_headers(own).headers
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    for name, value in HEADERS.items():
        assert len(headers.getlist(name)) == 1
        assert name == "X-Frame-Options" or headers[name] == value


def test_pages_carry_no_inline_script_or_style(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    pages = ["/", "/users/", "/users/new", "/users/import", "/account/password", "/login",
             "/courses/", "/courses/support-role/", "/courses/support-role/boundaries-and-ethics",
             "/courses/search?q=care", "/courses/problems", "/reports/funder",
             "/alumni/"]  # fmt: skip
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert " style=" not in page and "<style" not in page, path
        assert not re.search(r"\son[a-z]+=", page), path


def test_session_cookie_flags(client, session):
    make_user(session, email="cookie@example.org")
    response = client.post("/login", data={"email": "cookie@example.org", "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_session_cookie_follows_the_secret_key_and_its_fallbacks(
    app, client, session, monkeypatch
):
    login(client, make_user(session))
    assert client.get("/").status_code == 200
    old = app.secret_key
    monkeypatch.setattr(app, "secret_key", "another key, the old one kept as a fallback")
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old])
    assert client.get("/").status_code == 200  # signed with the old key: still valid
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [])
    assert client.get("/").status_code == 302  # no key signs it any more: logged out


def test_cookies_are_secure_over_https(client, session):
    make_user(session, email="https@example.org")
    response = client.post(
        "/login",
        data={"email": "https@example.org", "password": PASSWORD, "remember": "y"},
        base_url="https://localhost",
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in c for c in cookies)
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_no_stack_trace_reaches_a_user(database_url, connection):
    from lms.access import public

    app = make_app(database_url)
    app.add_url_rule("/boom", "boom", public(lambda: 1 / 0))
    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "Traceback" not in page and "ZeroDivision" not in page


def test_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_friendly_403_for_a_trainee_on_coordinator_pages(client, session):
    login(client, make_user(session))
    response = client.get("/users/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.get_data(as_text=True)


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    app = make_app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "/\t/evil.example/x",
        "/\\evil.example",
        "https://evil.example/",
        "javascript:x",
    ],
)
def test_redirect_targets_never_leave_the_site(client, session, target):
    language = client.post("/language", data={"language": "et", "next": target})
    assert language.headers["Location"] == "/"
    make_user(session, email="next@example.org")
    login_response = client.post(
        "/login?next=" + target, data={"email": "next@example.org", "password": PASSWORD}
    )
    assert login_response.headers["Location"] == "/"


def test_language_picker_returns_to_the_page(client):
    response = client.post("/language", data={"language": "uk", "next": "/login?x=1"})
    assert response.headers["Location"] == "/login?x=1"
    assert '<html lang="uk">' in client.get("/login").get_data(as_text=True)
