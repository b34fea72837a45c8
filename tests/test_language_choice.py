"""Russian is an interface language a person chooses, never one guessed from the browser."""

import pytest
from babel.messages.pofile import read_po

from lms.config import REPOSITORY_ROOT
from lms.courses.loader import load_catalog
from lms.programmes.choices import DEFAULT_ACTIVITIES, DEFAULT_CLIENT_GROUPS
from lms.programmes.loader import load_programmes
from tests.factories import login, make_user


def _lang(client, path="/login", **headers) -> str:
    page = client.get(path, headers=headers).get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("accept", "served"),
    [
        ("ru", "en"),
        ("ru-RU,ru;q=0.9", "en"),
        ("uk,ru;q=0.8", "uk"),
        ("ru,uk;q=0.8", "uk"),
        ("ru-RU,ru;q=0.9,et;q=0.8,en;q=0.7", "et"),
        ("uk", "uk"),
        ("et", "et"),
    ],
)
def test_the_browser_never_brings_russian(client, accept, served):
    assert _lang(client, **{"Accept-Language": accept}) == served


def test_the_picker_gives_russian(client):
    response = client.post("/language", data={"language": "ru", "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "uk"}).get_data(as_text=True)
    assert '<html lang="ru">' in page
    with open(REPOSITORY_ROOT / "lms/translations/ru/LC_MESSAGES/messages.po", "rb") as handle:
        translated = read_po(handle, locale="ru").get("Log in to Tugi").string
    assert translated and translated != "Log in to Tugi" and translated in page


def test_the_picker_lists_russian_by_its_own_name(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<option value="ru" lang="ru" >Русский</option>' in page


def test_a_saved_russian_language_is_kept_whatever_the_browser_says(client, session):
    person = make_user(session, language="ru")
    login(client, person)
    assert _lang(client, "/", **{"Accept-Language": "uk,et"}) == "ru"


def test_choosing_russian_saves_it_on_the_account(client, session):
    person = make_user(session, language="uk")
    login(client, person)
    client.post("/language", data={"language": "ru", "next": "/"})
    session.refresh(person)
    assert person.language == "ru"


def test_shipped_programmes_and_courses_are_named_in_russian():
    """Lessons stay in their own languages, but a Russian reader sees every name in Russian."""
    for programme in load_programmes(REPOSITORY_ROOT):
        assert programme.titles.get("ru") and programme.summaries.get("ru"), programme.slug
        for category in programme.categories:
            assert category.titles.get("ru"), f"{programme.slug}: {category.slug}"
    for course in load_catalog(REPOSITORY_ROOT).courses:
        assert course.translations.get("ru", {}).keys() == {"title", "summary"}, course.slug


def test_practice_choices_are_named_in_russian():
    for choice in DEFAULT_CLIENT_GROUPS + DEFAULT_ACTIVITIES:
        assert choice.title_for("ru") != choice.title_for("en"), choice.slug


def test_macros_imported_without_the_pages_context_speak_the_requests_language(app):
    """The templates' own gettext keeps the request's catalogue once looked up, and follows
    ``force_locale`` (emails and documents in their reader's language) and ``refresh``."""
    from flask_babel import force_locale, gettext, ngettext, refresh

    template = app.jinja_env.from_string(
        "{{ _('Courses') }}|{{ ngettext('%(num)d more client', '%(num)d more clients', 2) }}"
    )
    with app.test_request_context("/", headers={"Accept-Language": "uk"}):
        ukrainian = template.render()
        assert (
            ukrainian
            == f"{gettext('Courses')}|{ngettext('%(num)d more client', '%(num)d more clients', 2)}"
        )
        assert ukrainian.split("|")[0] != "Courses" and "clients" not in ukrainian
        with force_locale("et"):
            estonian = template.render()
            assert estonian.split("|")[0] == gettext("Courses") != ukrainian.split("|")[0]
        assert template.render() == ukrainian
        refresh()
        assert template.render() == ukrainian
