"""Every page type in Estonian, Ukrainian and Russian, as the trainee, trainer or coordinator who
may see it: dates, times, weekdays and numbers are in the reader's format, and lessons,
programmes, courses and quizzes are named by their titles, never by their slugs.

The pages are those of the accessibility walk (``tests/browser/test_accessibility.py``), on the
demo's data, fetched with the test client.
"""

import pytest
import sqlalchemy as sa

from lms.auth.logins import start_login
from lms.auth.models import User
from lms.demo import load_demo
from lms.extensions import db
from tests.browser.test_accessibility import PEOPLE, _pages
from tests.conftest import empty_every_table, make_app
from tests.reader_text import problems, visible_text

#: Russian may not be offered yet; Babel formats it all the same
LANGUAGES = {"en": "English", "et": "Eesti", "uk": "Українська", "ru": "Русский"}
READERS = ("et", "uk", "ru")
#: staff who look at every page again, besides the person the walk names
STAFF = ("trainer", "coordinator")


def content_slugs(app) -> set[str]:
    """The slugs of programmes, their categories and practice lists, courses, lessons and
    quizzes: names for files and rows, never for people. Left out: those without a hyphen, and
    those the content itself uses as words ("support-person training"), which a title or text
    shown in its original language may say."""
    from lms.courses.services import get_catalog
    from lms.programmes.services import get_programmes
    from lms.quizzes.catalogue import all_quizzes

    slugs, prose = set(), []
    with app.app_context():
        for programme in get_programmes():
            slugs.add(programme.slug)
            prose += [*programme.titles.values(), *programme.summaries.values()]
            for item in programme.categories + programme.client_groups + programme.activities:
                slugs.add(item.slug)
                prose += list(item.titles.values())
        for course in get_catalog().courses:
            slugs.add(course.slug)
            prose += [course.title, course.summary]
            prose += [text for texts in course.translations.values() for text in texts.values()]
            for lesson in course.lessons:
                slugs.add(lesson.slug)
                for text in (lesson.source, *lesson.translations.values()):
                    prose += [text.title, text.summary, text.body.text]
        for quiz in all_quizzes(db.session):
            slugs.add(quiz.slug)
            prose.append(quiz.title)
        db.session.remove()
    words = " ".join(prose).lower()
    return {slug for slug in slugs if "-" in slug and slug not in words}


@pytest.fixture(scope="module")
def demo(app, database_url):
    """An app that offers Russian, on the demo's data (committed, emptied after the module),
    with the page of each type and who looks at it."""
    served = make_app(database_url, LANGUAGES=LANGUAGES)
    with served.app_context():
        load_demo(db.session, served.config["PASSWORD_HASH_METHOD"], story=True)
        db.session.commit()
        db.session.remove()
    yield served, _pages(served), content_slugs(served)
    with served.app_context():
        empty_every_table(db.engine)
        db.session.remove()
        db.engine.dispose()


def reader(app, who: str, language: str):
    """A test client logged in as the demo person ``who``, reading ``language``."""
    client = app.test_client()
    with app.app_context():
        if PEOPLE[who] is None:
            with client.session_transaction() as flask_session:
                flask_session["language"] = language
        else:
            person = db.session.scalar(sa.select(User).where(User.email == PEOPLE[who]))
            person.language = language
            start_login(db.session, person)
            db.session.commit()
            with client.session_transaction() as flask_session:
                flask_session["_user_id"] = person.get_id()
                flask_session["_fresh"] = True
        db.session.remove()
    return client


@pytest.mark.parametrize("language", READERS)
def test_every_page_speaks_the_readers_formats(demo, language):
    app, pages, slugs = demo
    clients = {who: reader(app, who, language) for who in PEOPLE}
    found, seen = [], 0
    for name, (who, path) in pages.items():
        for viewer in dict.fromkeys((who, *STAFF)):
            if who == "anonymous" and viewer != who:
                continue
            response = clients[viewer].get(path, follow_redirects=True)
            if viewer == who:
                assert response.status_code == (404 if name == "main.not_found" else 200), name
            elif response.status_code != 200:
                continue  # not this person's page
            seen += 1
            text = visible_text(response.get_data(as_text=True), language)
            found += [
                f"{name} as {viewer}: {problem}" for problem in problems(text, slugs, language)
            ]
    assert seen > len(pages)
    assert not found, f"{len(found)} in {language}:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("language", "share", "moment"),
    [
        ("en", "91.7%", "Nov 30, 2026, 11:05:00 AM"),
        ("et", "91,7%", "30. nov 2026 11:05:00"),
        ("uk", "91,7%", "30 лист. 2026 р., 11:05:00"),
        ("ru", "91,7\xa0%", "30 нояб. 2026 г., 11:05:00"),
    ],
)
def test_percentages_and_audit_times_in_the_readers_format(app, language, share, moment):
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        rendered = render_template_string(
            "{{ 0.9166|percent(1) }}|{{ '2026-11-30T09:05:00+00:00'|when }}|{{ none|when }}"
        )
    assert rendered.replace("\u202f", " ") == f"{share}|{moment}|"


def test_numbers_hours_and_percentages_follow_each_pages_language(app):
    """The number formats are parsed once and kept per language: pages in one language after
    another in the same process each get their own language's separators, never the last one's."""
    from flask import render_template_string
    from flask_babel import force_locale

    expected = {
        "en": "1,234.5|1.5|25%|91.7%",
        "ru": "1\xa0234,5|1,5|25\xa0%|91,7\xa0%",
        "et": "1\xa0234,5|1,5|25%|91,7%",
    }
    for language in ("en", "ru", "et", "en", "ru"):
        with app.test_request_context(), force_locale(language):
            rendered = render_template_string(
                "{{ 1234.5|number }}|{{ 90|hours }}|{{ 0.25|percent }}|{{ 0.9166|percent(1) }}"
            )
        assert rendered == expected[language], language


@pytest.mark.parametrize(
    ("language", "session", "short", "logged"),
    [
        ("en", "Tue, Feb 10, 2026, 12:00", "Feb 10", "Feb 10, 2026, 12:00:05"),
        ("et", "T, 10. veebruar 2026, 12:00", "10. veebr", "10. veebr 2026, 12:00:05"),
        ("uk", "вт, 10 лют. 2026 р., 12:00", "10 лют.", "10 лют. 2026 р., 12:00:05"),
        ("ru", "вт, 10 февр. 2026 г., 12:00", "10 февр.", "10 февр. 2026 г., 12:00:05"),
    ],
)
def test_session_days_in_the_readers_order_and_marks(app, language, session, short, logged):
    """A session's day reads as the language writes it: Estonian puts a point after the day
    ("10. veebruar"), Ukrainian and Russian close the year with "р." and "г."."""
    from flask import render_template_string
    from flask_babel import force_locale

    with app.test_request_context(), force_locale(language):
        rendered = render_template_string(
            "{{ at|local_day(time=True) }}|{{ at|local_day(year=False, weekday=False) }}|"
            "{{ at|local_day(time='HH:mm:ss', weekday=False) }}|{{ none|local_day }}",
            at="2026-02-10T10:00:05+00:00",
        )
    assert rendered.replace("\u202f", " ") == f"{session}|{short}|{logged}|"


def test_markdown_writes_its_own_words_in_the_readers_language(app):
    from flask_babel import force_locale

    from lms import rendering

    source = "A case[^1].\n\n!!! case\n    Olena asks for help.\n\n[^1]: From the demo.\n"
    before = rendering.render_count
    seen = {}
    with app.test_request_context():
        for language in ("en", "et", "uk"):
            with force_locale(language):
                rendered = rendering.render_markdown(source)
                seen[language] = (str(rendered.html), rendered.text)
    assert rendering.render_count == before + 1  # rendered once, read in three languages
    assert 'title="Back to footnote 1 in the text"' in seen["en"][0]
    assert '<p class="admonition-title">Case</p>' in seen["en"][0]
    assert 'title="Tagasi tekstis olevale joonealusele märkusele 1"' in seen["et"][0]
    assert '<p class="admonition-title">Juhtum</p>' in seen["et"][0]
    assert 'title="Повернутися до виноски 1 у тексті"' in seen["uk"][0]
    assert "Випадок" in seen["uk"][1] and "\ue000" not in seen["uk"][1]


def test_a_password_link_is_emailed_in_the_recipients_language(app, client, session, monkeypatch):
    from lms.auth.models import Role
    from tests.factories import login, make_user

    sent = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr(
        "lms.auth.links.send_mail", lambda to, subject, body: sent.append((subject, body)) or True
    )
    login(client, make_user(session, Role.COORDINATOR, language="en"))
    person = make_user(session, language="uk")
    client.post(f"/users/{person.id}/password-link")
    subject, body = sent[0]
    assert "Tugi" in subject and "password" not in subject.lower()
    assert "/password/" in body and "Open this link" not in body


def test_quizzes_are_named_through_one_helper(app, client, session, monkeypatch):
    """Where a translated quiz title plugs in: every page names a quiz by ``quiz_title``."""
    from lms.quizzes import catalogue
    from tests.factories import login, make_user

    monkeypatch.setattr(catalogue, "quiz_title", lambda quiz, language=None: f"«{quiz.slug}»")
    login(client, make_user(session))
    for path in ("/quizzes/", "/quizzes/support-role-final", "/courses/support-role/"):
        page = client.get(path).get_data(as_text=True)
        assert "«support-role-final»" in page, path
        with app.app_context():
            title = catalogue.get_quiz(session, "support-role-final").title
        assert title not in page, path


def test_no_page_writes_while_it_is_read(demo):
    """A GET shows; it never commits anything but the record of who opened a trainee's
    practice (tests/write_watch.py). Every page of every type, as its owner and as the staff."""
    from datetime import UTC, datetime, timedelta

    from lms.practice.models import PracticeAccess
    from lms.quizzes import attempts, catalogue
    from tests.write_watch import GetWrites

    app, pages, _slugs = demo
    clients = {who: reader(app, who, "en") for who in PEOPLE}
    with app.app_context():  # an attempt whose time ran out: pages show it finished
        olena = db.session.scalar(sa.select(User).where(User.email == PEOPLE["trainee"]))
        quiz = catalogue.get_quiz(db.session, "trainer-of-trainers-01")
        moment = datetime.now(UTC)
        attempt = attempts.start_attempt(db.session, quiz, olena, moment - timedelta(hours=2))
        attempt.deadline = moment - timedelta(hours=1)
        db.session.commit()
        records_before = db.session.scalar(sa.select(sa.func.count()).select_from(PracticeAccess))
        db.session.remove()
    with GetWrites() as watch:
        for who, path in pages.values():
            for viewer in dict.fromkeys((who, *STAFF)):
                if who != "anonymous" or viewer == who:
                    clients[viewer].get(path, follow_redirects=True)
    assert sorted(set(watch.paths)) == []
    with app.app_context():  # the staff opening practice pages was recorded, and kept
        records = db.session.scalar(sa.select(sa.func.count()).select_from(PracticeAccess))
        db.session.remove()
    assert records > records_before
