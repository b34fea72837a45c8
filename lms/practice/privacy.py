"""The privacy guard: client codes must be pseudonyms, and reflections must not identify anyone.

Clients are vulnerable people, often children. A trainee refers to a client by a code of their
own, such as ``C-03``; these checks refuse what looks like a real identifier and say why.
They are deliberately strict: a refused code costs a trainee a few seconds, a leaked one cannot be
taken back.
"""

import re

from flask_babel import lazy_gettext as _l

MAX_CODE_LENGTH = 24
# Tried only where a word starts: from every position, 20,000 characters without a space or an
# @ took half a second (the local part read to the end of the text from each of them).
EMAIL = re.compile(r"(?<![^\s@])[^\s@]+@[^\s@]+\.[^\s@]+")
#: an Estonian isikukood: century-and-sex digit, YYMMDD, a serial and a check digit
ISIKUKOOD = re.compile(r"(?<!\d)[1-8]\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{4}(?!\d)")
#: Finnish, Latvian and Swedish identity numbers: a birth date, a separator and a serial
DATED_ID = re.compile(r"(?<!\d)\d{6}[-+A]\d{3}[0-9A-Y](?![0-9A-Z])|(?<!\d)\d{6}-\d{4,5}(?!\d)")
#: nine or more digits together: an identity, tax or passport number
LONG_NUMBER = re.compile(r"\d{9,}")
#: seven or more digits written as a phone number, with an optional + and separators
PHONE = re.compile(r"(?:\+|\b00)?\d(?:[\s\-().]*\d){6,}")
#: a written date, such as a birth date
DATE = re.compile(r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)")
#: letters only (any script), with inner hyphens or apostrophes: "Täht-Kovalenko", "O'Neil"
NAME_WORD = re.compile(r"[^\W\d_]{2,}(?:['’-][^\W\d_]+)*")
CODE_CHARACTERS = re.compile(r"[\w\-./#]+(?: [\w\-./#]+)*")


def _identifier_problem(text: str, prose: bool = False):
    """Why a text holds something that identifies a person, or None. In prose a date is a
    date, and an @ alone is a word; in a code both are refused."""
    if EMAIL.search(text) or (not prose and "@" in text):
        return _l("looks like an email address")
    if ISIKUKOOD.search(text):
        return _l("looks like an Estonian personal identification code (isikukood)")
    if DATED_ID.search(text) or LONG_NUMBER.search(text):
        return _l("looks like a personal identification or document number")
    if not prose and DATE.search(text):
        return _l("looks like a date of birth")
    # A written date is not a phone number, even though it is seven digits and dots.
    if PHONE.search(DATE.sub(" ", text)):
        return _l("looks like a phone number")
    return None


def client_code_problem(code: str):
    """Why a client code may identify its client, or None if it is an acceptable pseudonym."""
    code = code.strip()
    if not code:
        return _l("Give the client a code of your own, such as C-03.")
    if len(code) > MAX_CODE_LENGTH:
        return _l("A client code is at most %(count)s characters.", count=MAX_CODE_LENGTH)
    problem = _identifier_problem(code)
    if problem is None:
        words = code.split()
        if len(words) >= 2 and all(NAME_WORD.fullmatch(word) for word in words):
            problem = _l("looks like a person's name")
        elif not CODE_CHARACTERS.fullmatch(code):
            return _l("Use letters, digits and - . / # in a client code, such as C-03.")
    if problem is None:
        return None
    return _l(
        "This code %(problem)s. Never use a client's name, ID code, phone number, email or "
        "birth date: choose a code of your own, such as C-03, and keep the key to it "
        "outside Tugi.",
        problem=problem,
    )


def reflection_problem(text: str):
    """Why a reflection holds an identifier, or None. Names cannot be told from other words
    in free text, so the form reminds the trainee instead."""
    problem = _identifier_problem(text, prose=True)
    if problem is None:
        return None
    return _l(
        "Part of this text %(problem)s. Remove details that could identify the client and "
        "refer to them by their code.",
        problem=problem,
    )


def client_key(code: str) -> str:
    """The code folded for counting: case and spacing do not make another client."""
    return "".join(code.split()).casefold()
