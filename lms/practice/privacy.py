"""The privacy guard: client codes must be pseudonyms, and reflections must not identify anyone.

Clients are vulnerable people, often children. A trainee refers to a client by a code of their
own, such as ``C-03``; these checks refuse what looks like a real identifier and say why.
They are deliberately strict: a refused code costs a trainee a few seconds, a leaked one cannot be
taken back.
"""

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from lms.practice import names

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
#: where the phone numbers a trainee writes down come from, when written without a country code
PHONE_REGIONS = ("EE", "UA", "FI", "LV")
#: seven or more digits written as a phone number, with an optional + and separators: what the
#: phone-number library does not take for a number of one of these regions is still refused
PHONE = re.compile(r"(?:\+|\b00)?\d(?:[\s\-().]*\d){6,}")
#: a written date, such as a birth date: day first, or year first (ISO 8601, "2026-11-20")
DATE = re.compile(
    r"(?<!\d)\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})(?!\d)"
    r"|(?<!\d)\d{4}[./-]\d{1,2}[./-]\d{1,2}(?!\d)"
)
_ROMAN_MONTH = r"(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
_MONTHS = (
    # English, Estonian, Ukrainian and Russian (the day-first forms), Hungarian
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|jaan(?:uar)?|veebr(?:uar)?|märts|mai|juuni|juuli|aug|sept(?:ember)?|okt(?:oober)?|dets(?:ember)?"
    r"|січ(?:ня|ень)|лют(?:ого|ий)|берез(?:ня|ень)|квіт(?:ня|ень)|трав(?:ня|ень)|черв(?:ня|ень)"
    r"|лип(?:ня|ень)|серп(?:ня|ень)|верес(?:ня|ень)|жовт(?:ня|ень)|листопад(?:а)?|груд(?:ня|ень)"
    r"|январ[ья]|феврал[ья]|март[а]?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|август[а]?|сентябр[ья]"
    r"|октябр[ья]|ноябр[ья]|декабр[ья]"
    r"|január|február|március|április|május|június|július|augusztus|szeptember|október"
    r"|november|december"
)
#: a date written with a month name or a Roman numeral: "12 March", "March 12", "12.III.2015"
WORDED_DATE = re.compile(
    rf"(?<![\w])\d{{1,2}}\.?\s?(?:{_MONTHS})\.?(?![^\W\d_])"
    rf"|(?<![\w])(?:{_MONTHS})\.?\s?\d{{1,2}}(?!\d)"
    rf"|(?<!\d)\d{{1,2}}\s?\.\s?{_ROMAN_MONTH}\s?\.\s?(?:\d{{2}}|\d{{4}})?(?![\w])"
    rf"|(?<!\d)\d{{1,2}}[\s/-]{_ROMAN_MONTH}[\s/-](?:\d{{2}}|\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_SERIES_LETTER = r"[A-ZА-ЯЁІЇЄҐ]"
#: a document number with a letter series: Ukrainian passports ("FE 123456", "ЕК123456") and
#: birth certificates, whose series starts with a Roman numeral ("I-БК 123456")
SERIES_DOCUMENT = re.compile(
    rf"(?<![^\W_])(?:[IVXІХ]{{1,4}}\s?-\s?)?{_SERIES_LETTER}{{2}}\s?(?:№|N|No\.?)?\s?\d{{6}}(?!\d)",
    re.IGNORECASE,
)
_STREET_TYPE = (
    r"mnt|maantee|tn|tänav|pst|puiestee|tee|põik|plats|str|street|st|road|rd|ave|avenue|lane"
    r"|utca|út"
    r"|вул|вулиця|просп|проспект|пров|провулок|бульв|бульвар|шосе|пл|площа|ул|улица|пер|переулок"
    r"|пр|пр-т"
)
#: a street address without a comma: "Tartu mnt 5", "Main Street 12", "вул. Шевченка 12"
ADDRESS = re.compile(
    rf"(?<![\w])[^\W\d_]{{2,}}\.?\s(?:{_STREET_TYPE})\.?\s?\d{{1,4}}[^\W\d_]?(?![\w])"
    rf"|(?<![\w])(?:{_STREET_TYPE})\.?\s?[^\W\d_]{{2,}}\.?\s?\d{{1,4}}[^\W\d_]?(?![\w])",
    re.IGNORECASE,
)
#: initials with a surname: "O. Petrenko", "О.П. Петренко", "Petrenko O."
INITIALS_NAME = re.compile(
    r"(?:[^\W\d_]\.\s?){1,2}[^\W\d_]{2,}(?:-[^\W\d_]{2,})?|[^\W\d_]{2,}\s(?:[^\W\d_]\.\s?){1,2}"
)
#: letters only (any script), with inner hyphens or apostrophes: "Täht-Kovalenko", "O'Neil"
NAME_WORD = re.compile(r"[^\W\d_]{2,}(?:['’-][^\W\d_]+)*")
CODE_CHARACTERS = re.compile(r"[\w\-./#]+(?: [\w\-./#]+)*")


def normalised(text: str) -> str:
    """The text as it is checked: compatibility forms folded (NFKC), so that a full-width ＠ or
    digit cannot hide an email or a number."""
    return unicodedata.normalize("NFKC", text)


def _identifier_problem(text: str, prose: bool = False):
    """Why a text holds something that identifies a person, or None. In prose a date is a
    date, and an @ alone is a word; in a code both are refused."""
    if EMAIL.search(text) or (not prose and "@" in text):
        return _l("looks like an email address")
    if ISIKUKOOD.search(text):
        return _l("looks like an Estonian personal identification code (isikukood)")
    if DATED_ID.search(text) or LONG_NUMBER.search(text) or SERIES_DOCUMENT.search(text):
        return _l("looks like a personal identification or document number")
    if not prose and (DATE.search(text) or WORDED_DATE.search(text)):
        return _l("looks like a date of birth")
    # A written date is not a phone number, even though it is seven digits and dots.
    undated = DATE.sub(" ", text)
    if PHONE.search(undated) or _has_phone_number(undated):
        return _l("looks like a phone number")
    return None


def _has_phone_number(text: str) -> bool:
    """Whether the phone-number library finds a valid number of a likely region in a text."""
    if not any(character.isdigit() for character in text):
        return False
    import phonenumbers  # here, not at start: its import costs every worker 15 ms

    leniency = phonenumbers.Leniency.VALID
    return any(
        next(iter(phonenumbers.PhoneNumberMatcher(text, region, leniency=leniency)), None)
        is not None
        for region in PHONE_REGIONS
    )


def client_code_problem(code: str):
    """Why a client code may identify its client, or None if it is an acceptable pseudonym."""
    code = normalised(code).strip()
    if not code:
        return _l("Give the client a code of your own, such as C-03.")
    if len(code) > MAX_CODE_LENGTH:
        return _l("A client code is at most %(count)s characters.", count=MAX_CODE_LENGTH)
    problem = _identifier_problem(code)
    if problem is None:
        words = code.split()
        if (
            (len(words) >= 2 and all(NAME_WORD.fullmatch(word) for word in words))
            or INITIALS_NAME.fullmatch(code)
            or names.name_in_code(code)
        ):
            problem = _l("looks like a person's name")
        elif ADDRESS.search(code):
            problem = _l("looks like a street address")
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
    problem = _identifier_problem(normalised(text), prose=True)
    if problem is None:
        return None
    return _l(
        "Part of this text %(problem)s. Remove details that could identify the client and "
        "refer to them by their code.",
        problem=problem,
    )


def reflection_warnings(text: str) -> list:
    """What a trainee should look at again, though the text is not refused: each known given
    name in it, which may be the client's (or anyone else's) and is better replaced by a code."""
    return [
        _l(
            "“%(word)s” in the reflection may be a person's name: if it is, write the client's "
            "code instead, and leave out other people's names.",
            word=word,
        )
        for word in names.given_names_in(normalised(text))
    ]


def client_key(code: str) -> str:
    """The code folded for counting: case and spacing do not make another client."""
    return "".join(code.split()).casefold()
