"""Known given names and surnames, for the privacy guard: a first name alone is the most common
way to name a child, so a code that is, or holds, a known name is refused, and a reflection that
mentions a given name is flagged so the trainee can put the client's code in its place.

The names are shipped as data (``data/names.txt``, which says where they come from); surnames
that the list lacks are still caught by the endings Ukrainian and Russian surnames share.
"""

import re
import unicodedata
from functools import cache
from pathlib import Path

NAMES_FILE = Path(__file__).with_name("data") / "names.txt"
#: a word written in letters only (any script)
WORD = re.compile(r"[^\W\d_]+")
#: endings of Ukrainian and Russian surnames and patronymics, on a word of six letters or more
SURNAME_ENDINGS = (
    "enko",
    "chuk",
    "czuk",
    "iuk",
    "yuk",
    "ovych",
    "ivna",
    "ovna",
    "evich",
    "ovich",
    "evna",
    "skyi",
    "skyy",
    "skiy",
    "ska",
    "sky",
    "енко",
    "чук",
    "юк",
    "ович",
    "евич",
    "івна",
    "овна",
    "евна",
    "ський",
    "ська",
    "ский",
    "ская",
)


def fold(word: str) -> str:
    """A word as the list is looked up: compatibility forms, case and ё/е folded."""
    return unicodedata.normalize("NFKC", word).casefold().replace("ё", "е")


@cache
def known() -> dict[str, frozenset[str]]:
    """The shipped names by section (``given``, ``surname``), folded."""
    sections: dict[str, set[str]] = {}
    current = sections.setdefault("given", set())
    for line in NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), set())
            continue
        current.update(fold(word) for word in line.split())
    return {section: frozenset(words) for section, words in sections.items()}


def is_given_name(word: str) -> bool:
    return fold(word) in known()["given"]


def is_name(word: str) -> bool:
    """A known given name or surname, or a word shaped like a Ukrainian or Russian surname."""
    folded = fold(word)
    names = known()
    if folded in names["given"] or folded in names["surname"]:
        return True
    return len(folded) >= 6 and folded.endswith(SURNAME_ENDINGS)


def _camel_parts(word: str) -> list[str]:
    """A word cut where a capital follows a small letter: "OlenaShevchenko"."""
    parts, start = [], 0
    for i in range(1, len(word)):
        if word[i].isupper() and word[i - 1].islower():
            parts.append(word[start:i])
            start = i
    return [*parts, word[start:]]


def _joined(word: str) -> bool:
    """Two names written together without a space or capital: "olenashevchenko"."""
    folded = fold(word)
    return any(is_name(folded[:cut]) and is_name(folded[cut:]) for cut in range(3, len(folded) - 2))


def name_in_code(code: str) -> bool:
    """Whether a client code is, or holds, a name: alone ("Maria"), joined by a hyphen
    ("Olena-Shevchenko") or written together ("OlenaShevchenko", "olenashevchenko")."""
    for word in WORD.findall(code):
        parts = _camel_parts(word)
        if any(len(part) >= 3 and is_name(part) for part in parts):
            return True
        if len(word) >= 6 and _joined(word):
            return True
    return False


def given_names_in(text: str) -> list[str]:
    """The capitalised words of a text that are known given names, each once, in order."""
    found: list[str] = []
    for word in WORD.findall(text):
        if word[0].isupper() and is_given_name(word) and word not in found:
            found.append(word)
    return found
