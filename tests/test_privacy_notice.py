"""The privacy notice: its files in every interface language, the public page and the footer
link, the first-login page a person passes once, and what happens when a file changes, goes
missing or holds what it should not."""

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lms.auth.models import Role
from lms.config import LANGUAGES, REPOSITORY_ROOT
from lms.organisation.models import ROW_ID, Organisation
from lms.privacy import notice
from tests.conftest import make_app
from tests.factories import PASSWORD, login, make_user
from tests.test_translations import LOWER_CASE_YOU

#: a heading of each shipped notice, in its own language
HEADINGS = {
    "en": "Who is responsible",
    "et": "Kes vastutab",
    "uk": "Хто відповідає",
    "ru": "Кто отвечает",
}
CHECK_TITLES = {
    "en": "Coordinator: check this",
    "et": "Koordinaator, kontrolli",
    "uk": "Координаторе, перевірте",
    "ru": "Координатор, проверьте",
}


def _choose_language(client, language: str) -> None:
    client.post("/language", data={"language": language, "next": "/privacy"})


def _log_in(client, email: str, next_path: str | None = None):
    address = "/login" + (f"?next={next_path}" if next_path else "")
    return client.post(address, data={"email": email, "password": PASSWORD})


# The shipped files and the page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_is_shipped_in_every_interface_language(language):
    path = REPOSITORY_ROOT / notice.notice_path(language)
    text = path.read_text(encoding="utf-8")
    assert 300 <= len(text.split()) <= 900, "a notice of some 400-700 words"
    assert notice.ORGANISATION_PLACEHOLDER in text, "the organisation is put in by the page"
    assert f'!!! check "{CHECK_TITLES[language]}"' in text, "legal facts are marked for checking"
    assert HEADINGS[language] in text


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_the_notice_addresses_the_reader_as_the_interface_does(language):
    text = (REPOSITORY_ROOT / notice.notice_path(language)).read_text(encoding="utf-8")
    slips = [line for line in text.splitlines() if LOWER_CASE_YOU.search(line)]
    assert not slips, "write Ви/Вы, Вас, Вам, Ваш… as the interface does: " + slips[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_links_to_my_data(client, language):
    _choose_language(client, language)
    page = client.get("/privacy").get_data(as_text=True)
    assert '<a href="/privacy/my-data" rel="noopener noreferrer nofollow"><em>' in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_shows_the_notice_in_the_readers_language(client, language):
    _choose_language(client, language)
    response = client.get("/privacy")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert HEADINGS[language] in page
    assert f'class="lesson-body panel privacy-notice" lang="{language}"' in page
    assert notice.ORGANISATION_PLACEHOLDER not in page
    assert "flash-info" not in page  # no note: nothing fell back


def test_the_page_names_the_organisation_and_may_be_kept_briefly(client):
    response = client.get("/privacy")
    page = response.get_data(as_text=True)
    assert "<p>Tugi runs this site" in page  # LMS_ISSUER_NAME, until the Organisation page is saved
    assert response.headers["Cache-Control"] == "private, max-age=300"
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


def test_every_page_links_to_the_notice_in_its_footer(client, session):
    footer = client.get("/login").get_data(as_text=True).split('<footer class="site-footer">')[1]
    assert '<a href="/privacy">Privacy</a>' in footer
    login(client, make_user(session))
    footer = client.get("/courses/").get_data(as_text=True).split('class="site-footer"')[1]
    assert 'href="/privacy"' in footer


def test_check_callouts_are_for_coordinators_only(client, session):
    assert CHECK_TITLES["en"] not in client.get("/privacy").get_data(as_text=True)
    login(client, make_user(session, Role.TRAINER))
    assert CHECK_TITLES["en"] not in client.get("/privacy").get_data(as_text=True)
    login(client, make_user(session, Role.COORDINATOR))
    assert CHECK_TITLES["en"] in client.get("/privacy").get_data(as_text=True)


def test_coordinators_are_warned_when_the_notice_gives_no_contact(client, session):
    warning = "the organisation has no address, email or website"
    login(client, make_user(session, Role.TRAINER))
    assert warning not in client.get("/privacy").get_data(as_text=True)
    login(client, make_user(session, Role.COORDINATOR))
    page = client.get("/privacy").get_data(as_text=True)
    assert warning in page
    assert '<a href="/organisation/">Add them on the Organisation page.</a>' in page
    session.add(Organisation(id=ROW_ID, name="Tugi", address="Jüri 1, Võru · info@example.org"))
    session.commit()
    page = client.get("/privacy").get_data(as_text=True)
    assert warning not in page
    assert "<p>Jüri 1, Võru · info@example.org</p>" in page


def test_the_contact_heading_is_the_notices_own_only(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert page.count(">Contact</h2>") == 1
    assert 'aria-label="Contact"' in page  # the box below it is named for screen readers


# Shown once at first login


def test_first_login_goes_by_the_notice_once_and_never_again(client, session):
    person = make_user(session, email="new@example.org", seen_notice=False)
    first = _log_in(client, "new@example.org")
    assert first.headers["Location"] == "/privacy/first-login?next=/"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert HEADINGS["en"] in page and ">Continue</button>" in page
    assert 'action="/privacy/first-login?next=/"' in page

    onward = client.post("/privacy/first-login?next=/")
    assert onward.headers["Location"] == "/"
    session.refresh(person)
    assert person.privacy_notice_seen_at is not None

    client.post("/logout")
    assert _log_in(client, "new@example.org").headers["Location"] == "/"


def test_skipping_the_notice_shows_it_at_the_next_login_not_on_every_page(client, session):
    make_user(session, email="skip@example.org", seen_notice=False)
    assert "/privacy/first-login" in _log_in(client, "skip@example.org").headers["Location"]
    assert client.get("/courses/").status_code == 200  # typed another address: no gate
    client.post("/logout")
    assert "/privacy/first-login" in _log_in(client, "skip@example.org").headers["Location"]


def test_a_password_link_login_is_a_first_login_too(client, session):
    from lms.auth import services as accounts

    coordinator = make_user(session, Role.COORDINATOR)
    person = make_user(session, password=None, seen_notice=False)
    token = accounts.create_password_link(session, person, coordinator, 48)
    session.commit()
    chosen = "a new long password"
    response = client.post(f"/password/{token}", data={"password": chosen, "confirm": chosen})
    assert response.headers["Location"] == "/privacy/first-login?next=/"


def test_next_is_kept_through_the_notice(client, session):
    make_user(session, email="next@example.org", seen_notice=False)
    response = _log_in(client, "next@example.org", "/courses/support-role/")
    assert response.headers["Location"] == "/privacy/first-login?next=/courses/support-role/"
    onward = client.post("/privacy/first-login?next=/courses/support-role/")
    assert onward.headers["Location"] == "/courses/support-role/"


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example"]
)
def test_next_never_leads_off_the_site(client, session, target):
    make_user(session, email="safe@example.org", seen_notice=False)
    assert _log_in(client, "safe@example.org", target).headers["Location"] == (
        "/privacy/first-login?next=/"
    )
    login(client, make_user(session, seen_notice=False))
    page = client.get("/privacy/first-login", query_string={"next": target})
    assert 'action="/privacy/first-login?next=/"' in page.get_data(as_text=True)
    onward = client.post("/privacy/first-login", query_string={"next": target})
    assert onward.headers["Location"] == "/"


def test_continue_records_the_time_once(client, session):
    person = make_user(session, seen_notice=False)
    login(client, person)
    client.post("/privacy/first-login")
    session.refresh(person)
    first = person.privacy_notice_seen_at
    assert first is not None
    client.post("/privacy/first-login")
    session.refresh(person)
    assert person.privacy_notice_seen_at == first


def test_marking_the_notice_seen_is_a_rule_of_its_own(session):
    person = make_user(session, seen_notice=False)
    when = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert notice.mark_notice_seen(session, person, when) is True
    assert person.privacy_notice_seen_at == when
    assert notice.mark_notice_seen(session, person, datetime(2026, 4, 1, tzinfo=UTC)) is False
    assert person.privacy_notice_seen_at == when


def test_the_first_login_page_needs_a_login(client):
    response = client.get("/privacy/first-login?next=/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


# The files: changed, missing, broken, hostile


@pytest.fixture(autouse=True)
def look_at_every_request(monkeypatch):
    """Files are looked at on every request, so that no test waits for the two seconds."""
    monkeypatch.setattr("lms.filecache.RELOAD_CHECK_SECONDS", 0)


@pytest.fixture
def content(tmp_path) -> Path:
    """A content folder with a copy of the shipped notice, which a test may change."""
    shutil.copytree(REPOSITORY_ROOT / notice.FOLDER, tmp_path / notice.FOLDER)
    return tmp_path


def _write(content: Path, language: str, text: str) -> None:
    (content / notice.notice_path(language)).write_text(text, encoding="utf-8")


def test_a_changed_file_shows_its_new_text(database_url, connection, content):
    client = make_app(database_url, CONTENT_DIR=content).test_client()
    assert HEADINGS["en"] in client.get("/privacy").get_data(as_text=True)
    _write(content, "en", "## Kept for the course\n\nOnly what the course needs, and no more.\n")
    page = client.get("/privacy").get_data(as_text=True)
    assert "Only what the course needs, and no more." in page
    assert HEADINGS["en"] not in page


def test_a_missing_language_falls_back_to_english_with_a_note(database_url, connection, content):
    (content / notice.notice_path("et")).unlink()
    client = make_app(database_url, CONTENT_DIR=content).test_client()
    _choose_language(client, "et")
    page = client.get("/privacy").get_data(as_text=True)
    assert HEADINGS["en"] in page and HEADINGS["et"] not in page
    assert 'class="lesson-body panel privacy-notice" lang="en"' in page
    assert '<p class="flash flash-info">' in page  # the note that says so


def test_a_missing_notice_is_said_plainly_and_the_app_goes_on(
    database_url, connection, content, session, caplog
):
    shutil.rmtree(content / notice.FOLDER)
    with caplog.at_level(logging.ERROR):
        app = make_app(database_url, CONTENT_DIR=content)
    assert "privacy/notice.en.md: the file is missing" in caplog.text
    client = app.test_client()
    response = client.get("/privacy")
    assert response.status_code == 200
    assert "The privacy notice cannot be shown at the moment" in response.get_data(as_text=True)
    person = make_user(session, Role.COORDINATOR, email="c@example.org", seen_notice=False)
    assert "/privacy/first-login" in _log_in(client, "c@example.org").headers["Location"]
    page = client.get("/privacy/first-login?next=/").get_data(as_text=True)
    assert "privacy/notice.et.md: the file is missing" in page  # coordinators see which file
    assert client.post("/privacy/first-login?next=/").headers["Location"] == "/"
    session.refresh(person)
    assert person.privacy_notice_seen_at is not None


def test_a_file_that_is_not_text_is_reported_with_its_name(database_url, connection, content):
    (content / notice.notice_path("uk")).write_bytes(b"\xff\xfe broken")
    notices = notice.load_notices(content, LANGUAGES)
    assert "uk" not in notices.texts and "en" in notices.texts
    assert notices.problems == ["privacy/notice.uk.md: not UTF-8 text (byte 0)"]


def test_what_the_file_holds_is_sanitised(database_url, connection, content):
    _write(
        content,
        "en",
        "## Notice\n\n<script>alert('x')</script>\n\n"
        '<a href="javascript:alert(1)" onclick="steal()">here</a>\n\n{organisation} keeps it.\n',
    )
    app = make_app(database_url, CONTENT_DIR=content, ISSUER_NAME="Ühing <b>Tugi</b>")
    page = app.test_client().get("/privacy").get_data(as_text=True)
    body = page.split('class="lesson-body panel privacy-notice"')[1].split("</div>")[0]
    assert "<script" not in body and "alert(" not in body
    assert "javascript:" not in body and "onclick" not in body
    assert "Ühing &lt;b&gt;Tugi&lt;/b&gt; keeps it." in body  # the name is text, not markup
