"""The kept page chrome (lms/chrome.py): the same page as before for every reader, and nothing of
one reader's (roles, language, form token, address) ever shown to another."""

import re

import pytest
from jinja2 import meta

from lms import chrome
from lms.auth.models import Role
from lms.courses import lesson_head
from tests.factories import login, make_user


def _page(client, path="/", **options) -> str:
    response = client.get(path, **options)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_chrome_templates_use_nothing_but_their_key(app):
    source = app.jinja_env.loader
    for part in chrome.PARTS:
        text = source.get_source(app.jinja_env, f"chrome/{part}.html")[0]
        used = meta.find_undeclared_variables(app.jinja_env.parse(text))
        assert used <= chrome.KEY_NAMES, f"chrome/{part}.html uses {used - chrome.KEY_NAMES}"


def test_a_trainee_after_a_coordinator_sees_no_coordinator_menu(app, client, session):
    coordinator = make_user(session, Role.COORDINATOR)
    trainee = make_user(session)
    other = app.test_client()
    login(client, coordinator)
    login(other, trainee)
    for _ in range(2):  # the second round is served from what the first kept
        assert 'href="/users/"' in _page(client)
        assert 'href="/users/"' not in _page(other)
        assert 'href="/reports/funder"' not in _page(other)


def test_each_reader_gets_their_own_language(app, client, session):
    login(client, make_user(session, language="uk"))
    other = app.test_client()
    login(other, make_user(session, language="et"))
    for _ in range(2):
        assert '<option value="uk" lang="uk" selected>' in _page(client)
        assert '<option value="uk" lang="uk" selected>' not in _page(other)
        assert '<option value="et" lang="et" selected>' in _page(other)
        assert "Mine sisu juurde" not in _page(client)


def test_the_forms_carry_this_sessions_token_and_this_address(app, client, session):
    login(client, make_user(session))
    other = app.test_client()
    login(other, make_user(session))
    page, others_page = _page(client, "/courses/?a=1&b=<2>"), _page(other, "/courses/")
    mine, theirs = _tokens(page), _tokens(others_page)
    assert len(mine) == 1 and len(theirs) == 1 and mine != theirs
    assert 'name="next" value="/courses/?a=1&amp;b=&lt;2&gt;"' in page
    assert 'name="next" value="/courses/"' in others_page
    assert "\ue000" not in page
    form = {"language": "et", "next": "/courses/", "csrf_token": mine.pop()}
    assert client.post("/language", data=form).status_code == 302


def test_the_menu_marks_the_section_of_the_page(client, session):
    login(client, make_user(session, Role.COORDINATOR))
    assert '<a href="/courses/" aria-current="page">' in _page(client, "/courses/")
    assert '<a href="/" aria-current="page">' in _page(client, "/")
    assert '<a href="/" aria-current="page">' not in _page(client, "/courses/")
    assert '<a href="/users/" aria-current="page">' in _page(client, "/users/")


@pytest.mark.parametrize(
    ("endpoint", "blueprint", "expected"),
    [
        ("main.home", "main", "home"),
        ("auth.change_password", "auth", "account"),
        ("auth.login", "auth", None),
        ("attendance.register", "attendance", "cohorts"),
        ("programmes.show", "programmes", "cohorts"),
        ("alumni.index", "alumni", "reports"),
        ("privacy.notice", "privacy", None),
    ],
)
def test_section(endpoint, blueprint, expected):
    assert chrome.section(endpoint, blueprint) == expected


def test_links_follow_the_application_root(client, session):
    login(client, make_user(session))
    under_root = _page(client, "/", base_url="http://localhost/tugi")
    assert 'href="/tugi/static/css/tugi.css"' in under_root
    assert 'href="/tugi/courses/"' in under_root
    at_top = _page(client, "/")
    assert 'href="/static/css/tugi.css"' in at_top and "/tugi/" not in at_top


def test_what_is_kept_is_bounded(app, client, session, monkeypatch):
    monkeypatch.setattr(chrome, "MOST_KEPT", 2)
    app.extensions["chrome"].clear()
    login(client, make_user(session))
    for path in ("/", "/courses/", "/quizzes/", "/practice/"):
        _page(client, path)
        assert len(app.extensions["chrome"]) <= 2


LESSON = "/courses/support-role/boundaries-and-ethics"


def test_the_lesson_head_template_uses_nothing_but_its_key(app):
    text = app.jinja_env.loader.get_source(app.jinja_env, "courses/_lesson_head.html")[0]
    used = meta.find_undeclared_variables(app.jinja_env.parse(text))
    assert used <= lesson_head.KEY_NAMES, f"the lesson head uses {used - lesson_head.KEY_NAMES}"


def test_a_kept_lesson_head_shows_each_reader_their_own_completion(app, client, session):
    other = app.test_client()
    login(client, make_user(session, language="en"))
    login(other, make_user(session, language="en"))
    client.post(LESSON + "/completion", data={"completed": "1"})
    for _ in range(2):  # the second round is served from what the first kept
        mine, theirs = _page(client, LESSON), _page(other, LESSON)
        assert '<span class="done-mark">✓ completed</span>' in mine
        assert '<span class="done-mark">✓ completed</span>' not in theirs


def test_a_kept_lesson_head_is_in_each_readers_language(app, client, session):
    other = app.test_client()
    login(client, make_user(session, language="en"))
    login(other, make_user(session, language="et"))
    for _ in range(2):  # both read the Estonian text, each in their own interface language
        mine, theirs = _page(client, LESSON + "?lang=et"), _page(other, LESSON)
        assert '<article class="lesson" lang="et">' in mine and 'lang="et">' in theirs
        assert '<a href="/courses/">Courses</a>' in mine and "Courses</a>" not in theirs


def test_the_kept_lesson_heads_are_bounded(app, client, session, monkeypatch):
    monkeypatch.setattr(lesson_head, "MOST_KEPT", 2)
    app.extensions["lesson_heads"].clear()
    login(client, make_user(session))
    for query in ("", "?lang=et", "?lang=uk", "?lang=ru"):
        _page(client, LESSON + query)
        assert len(app.extensions["lesson_heads"]) <= 2
