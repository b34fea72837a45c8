"""Email addresses as people type them: normalised, and compared for look-alikes.

An address is stored NFKC-normalised and in lower case, so a full-width ``ｘ`` is an ``x``. Two
addresses that still differ only by letters that look alike (a Cyrillic ``а`` for a Latin ``a``)
share a *look-alike key*; the database keeps that key unique, so nobody gets an account that
passes for somebody else's. The look-alikes come from Unicode's confusables data as shipped by
the ``confusable_homoglyphs`` package, not from a table of our own.
"""

import functools
import unicodedata

from email_validator import EmailNotValidError, validate_email


class InvalidEmail(ValueError):
    """The text is not an email address."""


def normalise(email: str) -> str:
    """Validate an address (syntax only, no DNS) and return it NFKC-normalised, in lower case."""
    text = unicodedata.normalize("NFKC", email.strip())
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidEmail(email) from None
    return unicodedata.normalize("NFKC", result.normalized).lower()


def fold(email: str) -> str:
    """The form used to find an address as typed: NFKC and lower case, without validation."""
    return unicodedata.normalize("NFKC", email.strip()).lower()


@functools.cache
def _ascii_twin(char: str) -> str:
    """The lower-case ASCII character ``char`` is confused with, or ``char`` itself.

    Only characters outside ASCII are mapped: two plain ASCII addresses are never look-alikes
    of each other (``maria1`` and ``marial`` are different people), and letters that merely
    carry a mark (``ü``, ``õ``) are letters of their own, not disguises.
    """
    if char.isascii():
        return char
    # here, not at start: the data is 6 MB in every worker, and only an address that is not
    # plain ASCII needs it
    from confusable_homoglyphs.confusables import confusables_data

    twins = [
        glyph["c"]
        for glyph in confusables_data.get(char, ())
        if len(glyph["c"]) == 1 and glyph["c"].isascii() and glyph["c"] == glyph["c"].lower()
    ]
    # Letters first: a Cyrillic palochka is read as an l before it is read as a 1.
    twins.sort(key=lambda twin: not twin.isalpha())
    return twins[0] if twins else char


def look_alike_key(email: str) -> str:
    """What ``email`` looks like: each look-alike character replaced by its ASCII twin."""
    return "".join(_ascii_twin(char) for char in fold(email))
