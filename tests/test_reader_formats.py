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
    from lms.quizzes.services import all_quizzes

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
            found += [f"{name} as {viewer}: {problem}" for problem in problems(text, slugs)]
    assert seen > len(pages)
    assert not found, f"{len(found)} in {language}:\n" + "\n".join(found)
