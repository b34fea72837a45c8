"""The stronger client-code guard: names alone or joined, initials with a surname, document
numbers with a letter series, dates with month names or Roman numerals, street addresses and
hidden emails are refused as client codes, each with its reason; reflections say a date is a date
and name the given names they mention, without refusing them."""

import pytest

from lms.practice import names
from lms.practice.privacy import client_code_problem, reflection_problem, reflection_warnings


@pytest.fixture(autouse=True)
def request_context(app):
    """The messages are lazy strings: rendering them needs a request context."""
    with app.test_request_context():
        yield


def reason(message) -> str:
    return str(message).split(". ", 1)[0]


@pytest.mark.parametrize(
    ("code", "why"),
    [
        # document numbers with a letter series, Latin or Cyrillic, with or without a space
        ("FE 123456", "document number"),
        ("FE123456", "document number"),
        ("ЕК123456", "document number"),
        ("ек 123456", "document number"),
        ("I-БК 123456", "document number"),
        ("II-ЖС123456", "document number"),
        # a single given name or surname, in any of the users' languages
        ("Олена", "name"),
        ("Õie", "name"),
        ("Maria", "name"),
        ("maria", "name"),
        ("Ivan3", "name"),
        ("Sasha-2", "name"),
        ("Shevchenko", "name"),
        ("Kovalchuk", "name"),
        ("Мельниченко", "name"),  # not in the list: its ending tells
        ("Tamm", "name"),
        ("Éva", "name"),
        # names joined by a hyphen or written together
        ("Olena-Shevchenko", "name"),
        ("OlenaShevchenko", "name"),
        ("olenashevchenko", "name"),
        ("ОленаШевченко", "name"),
        # initials with a surname
        ("O. Petrenko", "name"),
        ("O.Petrenko", "name"),
        ("О.П. Петренко", "name"),
        ("Petrenko O.", "name"),
        # dates with month names or Roman numerals, and ISO dates
        ("12 March", "date of birth"),
        ("March 12", "date of birth"),
        ("12. märts", "date of birth"),
        ("12 березня", "date of birth"),
        ("12 марта", "date of birth"),
        ("12.III.2015", "date of birth"),
        ("12 III 2015", "date of birth"),
        ("2015-03-12", "date of birth"),
        # street addresses without a comma
        ("Tartu mnt 5", "street address"),
        ("Pärnu maantee 22a", "street address"),
        ("Main Street 12", "street address"),
        ("вул. Шевченка 12", "street address"),
        ("ул Ленина 5", "street address"),
        # an email hidden by a full-width at sign
        ("olena＠example.com", "email"),
        ("a＠b", "email"),
    ],
)
def test_an_identifying_code_is_refused_saying_why(code, why):
    message = client_code_problem(code)
    assert message is not None, code
    assert reason(message).startswith("This code looks like") and why in reason(message), message


@pytest.mark.parametrize(
    "code",
    [
        "UA-CH-03",
        "K7",
        "FAM/2",
        "room 101",
        "C-03",
        "fam-2",
        "Лист-4",
        "A.B/12",
        "ua ch 3",
        "UA 12",
        "C-12345",
        "grp-7",
        "school 3",
        "mother A",
        "T-2026",
    ],
)
def test_a_pseudonym_still_passes(code):
    assert client_code_problem(code) is None, str(client_code_problem(code))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Her passport FE 123456 was lost.", "document number"),
        ("The birth certificate I-БК 123456 is at the school.", "document number"),
        ("Свідоцтво ЕК123456 лишилося вдома.", "document number"),
        ("Her mother wrote to olena＠example.com.", "email"),
        ("I called +372 5123 4567.", "phone"),
        ("I called 050 123 45 67.", "phone"),
    ],
)
def test_a_reflection_with_an_identifier_is_refused_saying_why(text, why):
    message = reflection_problem(text)
    assert message is not None
    assert reason(message).startswith("Part of this text looks like") and why in reason(message)


@pytest.mark.parametrize(
    "text",
    [
        "On 2026-11-20 we went to the school together.",  # a date, not a phone number
        "We meet again on 12 March and on 12.III.",
        "We looked at flats near Tartu mnt and the bus stop.",
        "Olena came with her son to the meeting.",  # a name is flagged, not refused
        "We spent 90 minutes on the forms, from 10:00 to 11:30.",
        "The family has 3 children; the youngest is 5.",
    ],
)
def test_such_a_reflection_is_not_refused(text):
    assert reflection_problem(text) is None, str(reflection_problem(text))


def test_an_iso_date_in_a_code_is_refused_as_a_date_not_a_phone_number():
    assert "date of birth" in reason(client_code_problem("2026-11-20"))


def test_a_given_name_in_a_reflection_is_named_in_a_warning():
    warnings = [str(w) for w in reflection_warnings("Olena came with Maria. Olena was tired.")]
    assert len(warnings) == 2  # each name once
    assert "“Olena”" in warnings[0] and "“Maria”" in warnings[1]
    assert "code" in warnings[0]


@pytest.mark.parametrize("text", ["Олена прийшла з сином.", "Õie tuli kooli.", "Приходил Иван."])
def test_a_given_name_in_any_script_is_named(text):
    assert len(reflection_warnings(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "We met the class teacher and agreed on the next steps.",
        "C-03 came with her mother; we talked about school.",
        "maria is written small here, so it reads as a word, not a name",
    ],
)
def test_a_reflection_without_given_names_has_no_warning(text):
    assert reflection_warnings(text) == []


def test_the_names_list_names_its_source_and_holds_both_scripts():
    text = names.NAMES_FILE.read_text(encoding="utf-8")
    assert "Source:" in text
    assert names.is_given_name("Олена") and names.is_given_name("Olena")
    assert names.is_given_name("Õie") and names.is_given_name("ÕIE")
    assert names.is_given_name("Артём") and names.is_given_name("Артем")  # ё folds to е
    assert not names.is_name("room") and not names.is_name("fam")
