"""The privacy guard: client codes must be pseudonyms, and reflections must not identify anyone;
each refusal says why."""

import pytest

from lms.practice.models import PracticeRevision
from lms.practice.privacy import (
    MAX_CODE_LENGTH,
    client_code_problem,
    client_key,
    reflection_problem,
)


@pytest.fixture(autouse=True)
def request_context(app):
    """The messages are lazy strings: rendering them needs a request context."""
    with app.test_request_context():
        yield


def first_sentence(message: str) -> str:
    return message.split(". ", 1)[0]


@pytest.mark.parametrize("code", ["C-03", "K7", "fam-2", "Лист-4", "A.B/12", "ua ch 3"])
def test_a_pseudonym_is_accepted(code):
    assert client_code_problem(code) is None


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("49403136515", "isikukood"),
        ("x49403136515", "isikukood"),
        ("131052-308T", "identification"),
        ("3012345678", "identification"),
        ("+372 5123 4567", "phone"),
        ("5123 4567", "phone"),
        ("+380 67 123 45 67", "phone"),
        ("olena@example.com", "email"),
        ("a@b", "email"),
        ("13/03/1994", "date of birth"),
        ("Olena Shevchenko", "name"),
        ("Õie Täht-Kovalenko", "name"),
        ("Олена Шевченко", "name"),
        ("Őrsi Éva", "name"),
        ("olena shevchenko", "name"),
    ],
)
def test_an_identifier_is_refused_saying_why(code, why):
    message = str(client_code_problem(code))
    reason = first_sentence(message)  # the rest names every kind of identifier
    assert reason.startswith("This code looks like") and why in reason, message
    assert "C-03" in message  # and it shows what to use instead


def test_a_dotted_birth_date_is_refused_as_a_date_of_birth():
    assert client_code_problem("13.03.1994") is not None  # refused all the same
    assert "date of birth" in first_sentence(str(client_code_problem("13.03.1994")))


@pytest.mark.parametrize("code", ["", "   "])
def test_an_empty_code_is_refused(code):
    assert "code of your own" in str(client_code_problem(code))


def test_a_code_over_24_characters_is_refused():
    assert client_code_problem("A" * MAX_CODE_LENGTH) is None
    assert str(MAX_CODE_LENGTH) in str(client_code_problem("A" * (MAX_CODE_LENGTH + 1)))


def test_a_code_with_other_characters_is_refused():
    assert "letters, digits" in str(client_code_problem("UA*CH"))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Her code is 49403136515, I wrote it down.", "isikukood"),
        ("Her mother wrote to olena@example.com yesterday.", "email"),
        ("I called her on +372 5123 4567 in the evening.", "phone"),
    ],
)
def test_a_reflection_with_an_identifier_is_refused_saying_why(text, why):
    message = str(reflection_problem(text))
    reason = first_sentence(message)
    assert reason.startswith("Part of this text looks like") and why in reason, message
    assert "refer to them by their code" in message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "We met the class teacher together and agreed on the next steps.",
        "She prefers to meet @home rather than at the office.",
        "On 12/03/2026 we went to the school.",
    ],
)
def test_ordinary_prose_is_accepted(text):
    assert reflection_problem(text) is None


def test_prose_with_a_dotted_date_is_accepted():
    assert reflection_problem("On 12.03.2026 we went to the school.") is None


@pytest.mark.parametrize(
    ("one", "other"),
    [("C-03", "c-03"), ("ua ch 3", "UA CH3"), ("  K7 ", "k7"), ("ЛИСТ-4", "лист-4")],
)
def test_client_key_folds_case_and_spaces(one, other):
    assert client_key(one) == client_key(other)


def test_client_key_keeps_other_differences():
    assert client_key("UA-1") != client_key("UA-2")
    assert client_key("UA-1") != client_key("UA1")


def test_the_key_of_an_accepted_code_fits_its_column():
    code = "ß" * MAX_CODE_LENGTH
    assert client_code_problem(code) is None
    column = PracticeRevision.__table__.c.client_key
    assert len(client_key(code)) <= column.type.length
