"""Hostile input, handled in one place: integers beyond what the database stores, page numbers
beyond any list, and control characters in forms, searches and addresses.

- ``<int:...>`` in every route is bounded to a 64-bit signed integer (PostgreSQL ``BIGINT``,
  SQLite ``INTEGER``); a larger number matches no route, so the answer is 404.
- ``int_arg`` and ``page_arg`` read numbers from the query string within the same bounds.
- C0 control characters (NUL above all, which PostgreSQL refuses in text) are stripped from every
  query and form value before any view reads it, keeping tab, line feed and carriage return, so
  the form is processed as typed without them. An address holding one answers 404.
"""

import re

from flask import Flask, abort, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter

#: The largest number a database integer column holds.
MAX_INT = 2**63 - 1
#: No list has this many pages; a larger number reads as the last page.
MAX_PAGE = 1_000_000

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` that matches only numbers a database integer column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


def clean_text(value: str) -> str:
    """``value`` without C0 control characters other than tab and line breaks."""
    return CONTROL_CHARACTERS.sub("", value)


def _cleaned(values: ImmutableMultiDict) -> ImmutableMultiDict | None:
    """The values with control characters stripped, or None when none held any."""
    if not any(CONTROL_CHARACTERS.search(key + value) for key, value in values.items(multi=True)):
        return None
    return type(values)(
        (clean_text(key), clean_text(value)) for key, value in values.items(multi=True)
    )


def strip_control_characters() -> None:
    """Clean the query and form of the request before any view or form reads them."""
    if any(
        isinstance(value, str) and CONTROL_CHARACTERS.search(value)
        for value in (request.view_args or {}).values()
    ):
        abort(404)
    if (args := _cleaned(request.args)) is not None:
        request.args = args
    if request.method in ("POST", "PUT", "PATCH") and (form := _cleaned(request.form)) is not None:
        request.form = form


def int_arg(name: str, default: int | None = None) -> int | None:
    """The query argument ``name`` as a whole number a database can store, else ``default``."""
    value = request.args.get(name, type=int)
    if value is None or not -MAX_INT <= value <= MAX_INT:
        return default
    return value


def page_arg(name: str = "page") -> int:
    """The page number asked for, from 1 to ``MAX_PAGE``."""
    return min(max(int_arg(name, 1), 1), MAX_PAGE)


def install_converters(app: Flask) -> None:
    """Bound ``<int:...>``; call before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntegerConverter


def init_app(app: Flask) -> None:
    """Strip control characters from every request's input."""
    app.before_request(strip_control_characters)
