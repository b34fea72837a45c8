"""People's names in the alphabetical order of the reader's language.

Python's ``sorted`` orders by code point (Ukrainian ``Ґ`` and a lower-case ``і`` after ``я``,
Estonian ``Š`` after ``Ü``); the database orders by its own collation, which SQLite does not
tailor at all and PostgreSQL takes from the server's operating system. The Unicode Collation
Algorithm with each language's CLDR tailoring gives the order a reader expects: Ukrainian
``Ірина`` before ``Юлія``, Estonian ``Šaško``, ``Zeno``, ``Õie``, ``Ülle``. ICU implements it;
``pyicu-wheels`` ships ICU inside its wheel, so nothing is needed from the system; its collators
are called through ``ctypes``: importing PyICU's module reads about 9 MB of ICU's data into
every worker (a worker held 13 MB more with it), opening the same collators in its libraries 4 MB.
The sort keys are ICU's, byte for byte (``tests/test_sortkeys.py`` compares them with PyICU's);
where those libraries cannot be found (PyICU built against the system's ICU), PyICU is used.

Lists that are not paginated are sorted here in Python. A paginated list sorts the ids and names
of every matching row (two short columns, cheap for tens of thousands of people) and loads only
the page's rows: a stored collation key would have to be kept per language and remade with each
ICU update, and the database's own collations differ between SQLite and PostgreSQL.
"""

import ctypes
import importlib.util
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import get_locale
from sqlalchemy.orm import Session

T = TypeVar("T")
_collators = threading.local()  # an ICU collator is not to be shared between threads


#: ICU's warnings (a locale it has no tailoring for falls back to the root order) are below zero
_U_ZERO_ERROR = 0


class _Library:
    """``ucol_open``, ``ucol_getSortKey`` and ``ucol_close`` of the ICU beside PyICU."""

    def __init__(self, folder: Path):
        names = {}
        for kind in ("data", "uc", "i18n"):
            found = sorted(folder.glob(f"libicu{kind}*.so.*"))
            if len(found) != 1:
                raise OSError(f"no single libicu{kind} in {folder}")
            names[kind] = found[0]
        version = re.search(r"\.so\.(\d+)", names["i18n"].name)[1]
        for kind in ("data", "uc"):  # the libraries after them find them by name, not by path
            ctypes.CDLL(str(names[kind]), mode=ctypes.RTLD_GLOBAL)
        i18n = ctypes.CDLL(str(names["i18n"]))
        self.open = getattr(i18n, f"ucol_open_{version}")
        self.open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
        self.open.restype = ctypes.c_void_p
        # called with (collator as c_void_p, UTF-16 bytes, length, buffer, its size): without
        # argtypes, which ctypes would check at every call (they doubled a key's 2 µs)
        self.sort_key = getattr(i18n, f"ucol_getSortKey_{version}")
        self.sort_key.restype = ctypes.c_int32
        self.close = getattr(i18n, f"ucol_close_{version}")
        self.close.argtypes = [ctypes.c_void_p]
        self.close.restype = None


class IcuCollator:
    """One language's collator; like an ICU collator, not to be shared between threads."""

    def __init__(self, library: _Library, language: str):
        status = ctypes.c_int(_U_ZERO_ERROR)
        handle = library.open(language.encode("ascii"), ctypes.byref(status))
        if status.value > _U_ZERO_ERROR or not handle:
            raise OSError(f"ICU could not open a collator for {language!r} ({status.value})")
        self._library, self._handle = library, ctypes.c_void_p(handle)
        self._buffer = ctypes.create_string_buffer(256)

    def getSortKey(self, text: str) -> bytes:  # noqa: N802 (the name of PyICU's method)
        """ICU's sort key of ``text``, with its closing zero byte (as PyICU gives it)."""
        data = text.encode("utf-16-le")
        while True:
            size = len(self._buffer)
            length = self._library.sort_key(self._handle, data, len(data) // 2, self._buffer, size)
            if length <= size:
                return ctypes.string_at(self._buffer, length)
            self._buffer = ctypes.create_string_buffer(length)

    def __del__(self):
        self._library.close(self._handle)


_library: "_Library | None | bool" = None


def _libraries_folder() -> Path | None:
    spec = importlib.util.find_spec("icu")  # found, not imported
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent.parent / "pyicu_wheels.libs"


def _create(language: str):
    """A collator for ``language``: through ``ctypes`` when ICU's libraries are beside PyICU,
    else PyICU's own."""
    global _library
    if _library is None:
        folder = _libraries_folder()
        try:
            _library = _Library(folder) if folder and folder.is_dir() else False
        except (OSError, AttributeError, TypeError):
            _library = False
    if _library:
        return IcuCollator(_library, language)
    import icu

    return icu.Collator.createInstance(icu.Locale(language))


def _language(language: str | None) -> str:
    if language:
        return language
    locale = get_locale() if has_request_context() else None
    return str(locale) if locale else "en"


def collator(language: str | None = None) -> "IcuCollator":
    """The collator of ``language`` (the reader's by default), one per thread and language."""
    language = _language(language)
    cache = getattr(_collators, "by_language", None)
    if cache is None:
        cache = _collators.by_language = {}
    if language not in cache:
        cache[language] = _create(language)
    return cache[language]


def name_key(language: str | None = None) -> Callable[[str], bytes]:
    """A sort key for names in ``language``: ``sorted(names, key=name_key("et"))``."""
    sort_key = collator(language).getSortKey
    # str(): an erased person's pseudonym sorts as it reads in the language (``lms.stand_ins``)
    return lambda name: sort_key(str(name) if name else "")


def by_name(
    items: Iterable[T], name: Callable[[T], str], language: str | None = None, tie=None
) -> list[T]:
    """``items`` in the alphabetical order of their ``name`` in ``language``; ``tie`` (e.g. the
    id) keeps people of the same name in a stable order."""
    key = name_key(language)
    if tie is None:
        return sorted(items, key=lambda item: key(name(item)))
    return sorted(items, key=lambda item: (key(name(item)), tie(item)))


def page_of_ids(rows: Iterable[tuple[int, str]], page: int, per_page: int, language=None):
    """The ids on ``page`` (from 1) of ``(id, name)`` rows in name order, and how many rows
    there are in all."""
    ordered = by_name(list(rows), lambda row: row[1], language, tie=lambda row: row[0])
    start = (page - 1) * per_page
    return [row[0] for row in ordered[start : start + per_page]], len(ordered)


@dataclass
class NamePage:
    """One page of a list in name order, with what a pager needs (as Flask-SQLAlchemy's)."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def paginate_by_name(
    session: Session,
    statement: sa.Select,
    id_column,
    name_column,
    page: int,
    per_page: int,
    *,
    rows: bool = False,
    language: str | None = None,
) -> NamePage:
    """``page`` of ``statement``'s results in the name order of ``language``: the ids and names
    of every match are sorted here, then only the page's rows are loaded. ``rows`` gives whole
    result rows (their first element holds the id) instead of single objects."""
    names = session.execute(
        statement.with_only_columns(id_column, name_column, maintain_column_froms=True)
        .order_by(None)
        .distinct()
    ).all()
    ids, total = page_of_ids(names, page, per_page, language)
    found = statement.where(id_column.in_(ids)) if ids else None
    if found is None:
        items = []
    elif rows:
        loaded = {row[0].id: row for row in session.execute(found)}
        items = [loaded[key] for key in ids if key in loaded]
    else:
        loaded = {item.id: item for item in session.scalars(found)}
        items = [loaded[key] for key in ids if key in loaded]
    return NamePage(items, total, page, per_page)
