"""ICU's collators, called in ICU's own libraries through ``ctypes`` rather than through PyICU.

Importing PyICU's module reads about 9 MB of ICU's data into every worker (its start-up touches
data no collator needs; a worker held 13 MB more with it); opening the same collators in the
libraries ``pyicu-wheels`` ships costs 4 MB. The sort keys are ICU's, byte for byte
(``tests/test_sortkeys.py`` compares them with PyICU's). Where those libraries cannot be found
(PyICU built against the system's ICU, say), PyICU is used as before.
"""

import ctypes
import importlib.util
import re
from pathlib import Path

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
        self.sort_key = getattr(i18n, f"ucol_getSortKey_{version}")
        self.sort_key.argtypes = [
            ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32, ctypes.c_void_p, ctypes.c_int32
        ]  # fmt: skip
        self.sort_key.restype = ctypes.c_int32
        self.close = getattr(i18n, f"ucol_close_{version}")
        self.close.argtypes = [ctypes.c_void_p]
        self.close.restype = None


class Collator:
    """One language's collator; like an ICU collator, not to be shared between threads."""

    def __init__(self, library: _Library, language: str):
        status = ctypes.c_int(_U_ZERO_ERROR)
        handle = library.open(language.encode("ascii"), ctypes.byref(status))
        if status.value > _U_ZERO_ERROR or not handle:
            raise OSError(f"ICU could not open a collator for {language!r} ({status.value})")
        self._library, self._handle = library, handle
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


_library: _Library | None = None


def _libraries_folder() -> Path | None:
    spec = importlib.util.find_spec("icu")  # found, not imported
    if spec is None or not spec.origin:
        return None
    return Path(spec.origin).parent.parent / "pyicu_wheels.libs"


def create(language: str):
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
        return Collator(_library, language)
    import icu

    return icu.Collator.createInstance(icu.Locale(language))
