"""An erased person's pseudonym and the mark of an erased client code are stored in one form and
read in the reader's language: on pages, in downloads and in messages."""

import csv
import io
import pickle

import sqlalchemy as sa
from flask_babel import force_locale
from markupsafe import escape

from lms.auth.models import Role, User
from lms.practice.models import PracticeRevision
from lms.privacy import erasure
from lms.stand_ins import ERASED, StandIn, stand_in
from tests.factories import login, make_cohort, make_practice, make_session, make_user


def test_a_stand_in_is_what_is_stored_and_reads_in_the_readers_language(app):
    name = StandIn("Person 7KQ2MZ")
    assert name == "Person 7KQ2MZ" and str(name) == "Person 7KQ2MZ"  # no request: as stored
    with app.test_request_context():
        for language, person, erased in (
            ("en", "Person 7KQ2MZ", "[erased]"),
            ("et", "Isik 7KQ2MZ", "[kustutatud]"),
            ("uk", "Особа 7KQ2MZ", "[видалено]"),
            ("ru", "Человек 7KQ2MZ", "[удалено]"),
        ):
            with force_locale(language):
                assert (str(name), f"{name}", "%s" % (name,)) == (person,) * 3  # noqa: UP031
                assert str(escape(name)) == person
                assert str(StandIn(ERASED)) == erased
                assert name == "Person 7KQ2MZ" and hash(name) == hash("Person 7KQ2MZ")
        assert ", ".join([name]) == "Person 7KQ2MZ"  # a copy of the characters stays as stored
    assert type(pickle.loads(pickle.dumps(name))) is str


def test_only_a_stored_stand_in_is_one():
    assert isinstance(stand_in("Person ABCDEF"), StandIn)
    assert isinstance(stand_in("[erased]"), StandIn)
    for text in ("Person Abcdef", "Person ABCDEFG", "A Person ABCDEF", "Olena", "", None):
        assert not isinstance(stand_in(text), StandIn)


def _erased_world(app, session):
    trainer = make_user(session, Role.TRAINER, language="et", display_name="Tiina Tamm")
    olena = make_user(session, display_name="Olena Erasmusdottir")
    cohort = make_cohort(session, trainers=(trainer,), trainees=(olena,))
    make_session(session, cohort)
    with app.app_context():
        make_practice(session, cohort, olena, approve_by=trainer, client_code="UA-07")
    with app.test_request_context():
        shown_as = erasure.erase_person(session, olena, None)
    session.commit()
    return trainer, olena, cohort, shown_as


def test_the_database_keeps_one_form_and_hands_back_a_stand_in(app, session):
    _, olena, _, shown_as = _erased_world(app, session)
    stored = session.execute(
        sa.text("SELECT display_name FROM users WHERE id = :id"), {"id": olena.id}
    ).scalar_one()
    assert stored == str.__str__(shown_as) and stored.startswith("Person ")
    session.expire_all()
    again = session.scalar(sa.select(User.display_name).where(User.id == olena.id))
    assert isinstance(again, StandIn) and again == stored
    code = session.scalar(sa.select(PracticeRevision.client_code))
    assert isinstance(code, StandIn) and code == ERASED
    # a name read back and saved again is still stored as it was
    olena.display_name = again
    session.commit()
    assert (
        session.execute(
            sa.text("SELECT display_name FROM users WHERE id = :id"), {"id": olena.id}
        ).scalar_one()
        == stored
    )


def test_staff_read_the_pseudonym_and_the_erased_code_in_their_language(app, client, session):
    trainer, olena, cohort, shown_as = _erased_world(app, session)
    code = str.__str__(shown_as).removeprefix("Person ")
    login(client, trainer)  # reads Estonian
    pages = [
        client.get(f"/cohorts/{cohort.id}/").get_data(as_text=True),
        client.get(f"/practice/cohorts/{cohort.id}/people/{olena.id}").get_data(as_text=True),
    ]
    for page in pages:
        assert f"Isik {code}" in page and f"Person {code}" not in page
    assert "[kustutatud]" in pages[1] and "[erased]" not in pages[1]
    text = client.get(f"/attendance/cohorts/{cohort.id}/matrix.csv").data.decode("utf-8")
    names = [row[0] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")]
    assert f"Isik {code}" in names


def test_an_erased_person_sorts_as_their_pseudonym_reads(app):
    from lms.collation import by_name

    names = ["Juhan Mets", StandIn("Person ABCDEF"), "Hanna Kask", "Олена"]
    with app.test_request_context():
        with force_locale("et"):
            assert [str(name) for name in by_name(names, str, "et")] == [
                "Hanna Kask", "Isik ABCDEF", "Juhan Mets", "Олена",
            ]  # fmt: skip
        with force_locale("uk"):
            assert str(by_name(names, str, "uk")[0]) == "Олена"  # Cyrillic first in Ukrainian
            assert str(by_name(names, lambda name: name, "uk")[1]) == "Особа ABCDEF"


def test_an_erased_trainees_logbook_names_them_and_says_why_reflections_went(app, client, session):
    from pypdf import PdfReader

    trainer, olena, cohort, shown_as = _erased_world(app, session)
    code = str.__str__(shown_as).removeprefix("Person ")
    login(client, trainer)  # reads Estonian
    base = f"/practice/cohorts/{cohort.id}/people/{olena.id}"
    pdf = client.get(base + "/logbook.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert f"Isik {code}" in text and "Person" not in text
    assert f"practice-isik-{code.lower()}-{cohort.id}.pdf" in pdf.headers["Content-Disposition"]
    rows = client.get(base + "/logbook.csv").data.decode("utf-8")
    assert "kui õppija andmed tema palvel kustutati" in rows and "säilitustähtaja" not in rows
    entry = session.scalar(sa.select(PracticeRevision.entry_id))
    page = client.get(f"/practice/entries/{entry}").get_data(as_text=True)
    assert "kui õppija andmed tema palvel kustutati" in page


def test_people_lists_an_erased_person_without_the_placeholder_address(app, client, session):
    _, olena, _, shown_as = _erased_world(app, session)
    coordinator = make_user(session, Role.COORDINATOR, language="uk")
    login(client, coordinator)
    page = client.get("/users/").get_data(as_text=True)
    row = page.split(f'href="/users/{olena.id}/edit"')[1].split("</tr>")[0]
    assert str.__str__(shown_as).replace("Person", "Особа") in row
    assert "erased.invalid" not in row and "Ще не встановлено" not in row
