"""What stands where erased data was, read in the reader's language.

The database keeps an erased person's pseudonym ("Person 7KQ2MZ") and the mark put in place of
an erased client code ("[erased]") in one form, the same for every reader, so that they compare,
sort and count alike. The columns that hold them hand them back as ``StandIn`` strings: equal to
what is stored, but written in the language of the page, the CSV or the message they are put
into (``str()``, ``%s``, f-strings, and Jinja's escaping all ask for it). Outside a request, and
where a library copies the characters as they are (``str.join``, JSON), they stay as stored.
"""

import re

import sqlalchemy as sa
from markupsafe import Markup, escape

from lms.i18n import N_

#: An erased person's name as stored: "Person " and six characters of base 32.
PSEUDONYM = re.compile(r"Person ([A-Z2-7]{6})")
#: What stands for an erased text as stored.
ERASED = "[erased]"

#: the stored words, in the catalogue (their translations are read when shown)
_PERSON, _ERASED = N_("Person %(code)s"), N_("[erased]")


class StandIn(str):
    """A stored stand-in that reads in the reader's language wherever it is written out."""

    __slots__ = ()

    def shown(self) -> str:
        from flask import has_request_context
        from flask_babel import gettext

        if not has_request_context():
            return str.__str__(self)
        if match := PSEUDONYM.fullmatch(self):
            return gettext(_PERSON, code=match.group(1))
        return gettext(_ERASED)

    def __str__(self) -> str:
        return self.shown()

    def __format__(self, spec: str) -> str:
        return format(self.shown(), spec)

    def __html__(self) -> Markup:
        return escape(self.shown())

    def __reduce__(self):  # pickled (a flashed message, a cache) as what is stored
        return (str, (str.__str__(self),))


def stand_in(value):
    """``value`` as a StandIn when it is a stored stand-in, else as it is."""
    if (
        isinstance(value, str)
        and value.startswith(("Person ", ERASED))  # every other name, at the cost of one call
        and (value == ERASED or PSEUDONYM.fullmatch(value))
    ):
        return StandIn(value)
    return value


class MayStandIn(sa.types.TypeDecorator):
    """A text column whose erased values come back as ``StandIn`` and go in as stored."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return str.__str__(value) if isinstance(value, StandIn) else value

    def process_result_value(self, value, dialect):
        return stand_in(value)
