"""What a reader sees on a page, and what must not be in it when the page speaks et, uk or ru:
English month and weekday names, US dates, AM/PM times, decimal points, internal slugs.

Used by the page walks in ``tests/test_reader_formats.py``.
"""

import re
from html.parser import HTMLParser

#: elements whose text is not the page's own wording: code, machine text, what people typed
SKIPPED = {"script", "style", "template", "textarea", "pre", "code", "head"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip

MONTHS = (
    "January February March April May June July August September October November December"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_NAMES = MONTHS + WEEKDAYS + [m[:3] for m in MONTHS] + [d[:3] for d in WEEKDAYS] + ["Sept"]
ENGLISH_NAME = re.compile(r"\b(?:" + "|".join(_NAMES) + r")\b\.?")
_MONTH = "(?:" + "|".join(n[:3] for n in MONTHS) + r")[a-z]*\.?"
US_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b" + _MONTH + r" \d{1,2}, \d{4}")
#: Babel writes AM and PM in capitals (prose like "after 10 pm" is an author's, not ours)
AM_PM = re.compile(r"(?<![\w-])\d{1,2}(?::\d\d)?[\s\u202f\u00a0]?(?:AM|PM)\b")
#: a version in a standard's name ("Open Badges 3.0", "Common Cartridge 1.1") is no number
DECIMAL_POINT = re.compile(r"(?<![\w.:/-])(?<!Badges )(?<!Cartridge )\d+\.\d+(?![\w.:/-])")
#: a short day and month such as 30.11, which et, uk and ru write with a point
DAY_MONTH = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0[1-9]|1[0-2])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d\d:\d\d)?")
#: Estonian writes the day of a month as an ordinal, with a point: "10. veebr", never "10 veebr"
ET_DAY_WITHOUT_POINT = re.compile(
    r"(?<![\d.,])(?:[1-9]|[12]\d|3[01]) "
    r"(?:jaan|veebr|märts|apr|mai|juuni|juuli|aug|sept|okt|nov|dets)[a-z]*\b"
)


class _Visible(HTMLParser):
    """The text between tags, without attributes, skipped elements, and parts marked as written
    in another language than the page (a lesson shown in its original language)."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.parts: list[str] = []
        self.skipping: tuple[str, int] | None = None  # (tag, nesting depth)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        if self.skipping:
            if tag == self.skipping[0]:
                self.skipping = (tag, self.skipping[1] + 1)
            return
        lang = dict(attrs).get("lang")
        if tag in SKIPPED or (lang and tag != "html" and lang.split("-")[0] != self.language):
            self.skipping = (tag, 1)
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[0]:
            depth = self.skipping[1] - 1
            self.skipping = (tag, depth) if depth else None
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(page: str, language: str) -> str:
    """What a reader of ``language`` sees of ``page``, whitespace folded."""
    parser = _Visible(language)
    parser.feed(page)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _around(text: str, match: re.Match) -> str:
    return "…" + text[max(0, match.start() - 40) : match.end() + 40] + "…"


def problems(text: str, slugs: set[str] = frozenset(), language: str = "") -> list[str]:
    """Each English date word, US date, AM/PM time, decimal point or slug in ``text``, and in
    Estonian (``language`` "et") each day of a month written without its point."""
    found = []
    if language == "et":
        found += [
            f"a day without its point {m.group(0)!r} in {_around(text, m)}"
            for m in ET_DAY_WITHOUT_POINT.finditer(text)
        ]
    for kind, pattern in (
        ("an English month or weekday", ENGLISH_NAME),
        ("a US date", US_DATE),
        ("an AM/PM time", AM_PM),
        ("an ISO date", ISO_DATE),
    ):
        found += [f"{kind} {m.group(0)!r} in {_around(text, m)}" for m in pattern.finditer(text)]
    for m in DECIMAL_POINT.finditer(text):
        if not DAY_MONTH.fullmatch(m.group(0)):
            found.append(f"a decimal point {m.group(0)!r} in {_around(text, m)}")
    for slug in slugs:
        for m in re.finditer(rf"(?<![\w/-]){re.escape(slug)}(?![\w/-])", text):
            found.append(f"the slug {slug!r} in {_around(text, m)}")
    return found
