"""The CLDR data of the interface languages, and babel's global data, without the parts no page
shows.

Babel reads a locale's whole CLDR data at its first date or number and keeps it: 1.2-1.8 MB of
Python objects per language, about nine tenths of them names of units, currencies, time zones,
countries, languages and scripts, and relative and compact forms, none of which Tugi formats.
A language is made lean when a request first selects it (and in gunicorn's master before it
forks): its data is replaced by a copy without those parts, before any ``Locale`` of this
process has read it. A part dropped here is read back from babel's files the first time
anything asks for it, so that a later use (a time-zone name, say) costs a read, not an error.

Babel's global data (2.2 MB: likely subtags, the languages and currencies of every territory,
time-zone maps) is read whole by the first locale loaded, for a table of 11 KB that loading
needs; it is kept the same way, with only the tables a page reads.

This reaches into ``babel.localedata``'s cache (``_cache``, ``_dict_cache``, ``_cache_lock``) and
``babel.core._global_data``; ``tests/test_cldr.py`` fails if a babel release changes them.
"""

import pickle
from pathlib import Path
from typing import Any

from babel import core, localedata

#: the parts of a locale's data that no page formats; read back from babel's files when asked for
UNSHOWN = frozenset({
    "compact_currency_formats", "compact_decimal_formats", "compound_unit_patterns",
    "currency_names", "currency_names_plural", "date_fields", "interval_formats", "languages",
    "meta_zones", "scripts", "territories", "time_zones", "unit_display_names", "unit_patterns",
    "variants",
})  # fmt: skip

#: the tables of babel's global data that loading and formatting in Tugi's languages read
GLOBAL_READ = frozenset({"cldr", "parent_exceptions", "script_aliases", "variant_aliases"})

_lean: set[str] = set()


class LeanLocaleData(dict):
    """One locale's merged data without ``UNSHOWN``; a dropped part comes back when asked for."""

    def __init__(self, name: str, data: dict):
        super().__init__((key, value) for key, value in data.items() if key not in UNSHOWN)
        self.name = name

    def __missing__(self, key: Any) -> Any:
        if key not in UNSHOWN:
            raise KeyError(key)
        value = self[key] = _read_whole(self.name)[key]  # KeyError: not in this locale either
        return value


def _read_whole(name: str) -> dict:
    """``name``'s data merged with what it inherits, read again from babel's files, past the
    lean copies (which stay babel's cached data)."""
    with localedata._cache_lock:
        lean = {key: data for key, data in localedata._cache.items() if key in _lean}
        for key in lean:
            del localedata._cache[key]
        try:
            return localedata.load(name)
        finally:
            localedata._cache.update(lean)


def make_lean(language: str) -> None:
    """Keep ``language``'s CLDR data without the parts no page shows (once per process; a
    language Babel does not know is left to babel's own error)."""
    if language in _lean:
        return
    with localedata._cache_lock:
        if language in _lean:
            return
        _make_global_lean()
        whole = localedata.load(language)
        localedata._cache[language] = LeanLocaleData(language, whole)
        localedata._dict_cache.pop(language, None)  # its wrapper reads the lean copy from now on
        _lean.add(language)


class LeanGlobalData(dict):
    """Babel's global data with the tables of ``GLOBAL_READ``; any other comes back when asked
    for (babel reads them with ``get``)."""

    def get(self, key: Any, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __missing__(self, key: Any) -> Any:
        value = self[key] = _read_global()[key]  # KeyError: babel has no such table either
        return value


def _read_global() -> dict:
    with open(Path(core.__file__).with_name("global.dat"), "rb") as file:
        return pickle.load(file)


def _make_global_lean() -> None:
    if isinstance(core._global_data, LeanGlobalData):
        return
    whole = core._global_data or _read_global()
    core._global_data = LeanGlobalData({key: whole[key] for key in GLOBAL_READ if key in whole})
