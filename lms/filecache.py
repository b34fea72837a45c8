"""A value loaded from a folder of files, loaded again when any file in it changes.

The loader is given the value it replaces, so that it can keep the last good version of
anything whose file broke (a half-saved edit, a typo) instead of dropping it.

A cache may also keep its first load in a file (``keep_as``, in the instance folder): every
worker of every restart reads the parsed content back instead of parsing every lesson and quiz
again (about a second of each start). The kept value is used only when everything it was made
from is unchanged: every file of the folder (its path and content), what the loader depends on
besides (``depends_on``), Tugi's code and the installed libraries. A kept file that cannot be
read or written is ignored: the content is loaded as without one.
"""

import contextlib
import functools
import hashlib
import logging
import os
import pickle
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

#: How often (seconds) the folder is looked at for changed files.
RELOAD_CHECK_SECONDS = 2.0

#: Raised when the layout of a kept file changes, so that no older file is ever read as new.
KEPT_FORMAT = 1

T = TypeVar("T")

log = logging.getLogger(__name__)


def _files_signature(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple(
        (str(path), stat.st_mtime_ns, stat.st_size)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )


def _files_digest(folder: Path, pattern: str = "*") -> tuple:
    """Every file and folder under ``folder``, files by their content: kept content is never
    taken for that of a file rewritten with the same size within the file system's clock step
    (about 30 ms for the shipped content, against the second it saves). Raises OSError for a
    file that cannot be read."""
    if not folder.is_dir():
        return ()
    return tuple(
        (str(path), hashlib.blake2b(path.read_bytes(), digest_size=16).digest())
        if path.is_file()
        else (str(path), None)
        for path in sorted(folder.rglob(pattern))
    )


#: Tugi's own modules, whose content is part of every kept value's key.
CODE_FOLDER = Path(__file__).parent


def _code_signature() -> tuple:
    """Tugi's own modules, the Python running them and the folders libraries are installed in
    (a folder's time changes when a package in it is installed, upgraded or removed). The same
    however Tugi is started (gunicorn, ``lms init``), so that one primes the other's start."""
    folders = []
    for folder in sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}):
        try:
            folders.append((folder, os.stat(folder).st_mtime_ns))
        except OSError:
            continue
    return (sys.version, tuple(folders), _files_digest(CODE_FOLDER, "*.py"))


@functools.cache
def _code_key() -> tuple:
    """The code signature, made once a process: the code does not change under a running one."""
    return _code_signature()


def _read_kept(path: Path, key: tuple):
    """The value kept in ``path`` for ``key``; None when there is none that fits."""
    try:
        with open(path, "rb") as kept:
            if pickle.load(kept) != key:  # noqa: S301 - the instance folder is the app's alone
                return None
            return pickle.load(kept)  # noqa: S301
    except FileNotFoundError:
        return None
    except Exception as error:  # a truncated or foreign file: load the content instead
        log.warning("ignoring kept content %s: %s", path, error)
        return None


#: Files being written start so; one left by a worker killed while writing is removed later.
_WRITING = ".writing-"
_ABANDONED_SECONDS = 600


def _keep(path: Path, key: tuple, value) -> None:
    """Write the value for the next start; written aside and renamed, so that workers starting
    together never read a half-written file."""
    written = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(path.parent)
        with tempfile.NamedTemporaryFile(
            "wb", dir=path.parent, prefix=_WRITING, delete=False
        ) as file:
            written = file.name
            pickle.dump(key, file, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written, path)
        written = None
    except Exception as error:  # a read-only instance folder costs the next start time, not a page
        log.warning("content cannot be kept in %s: %s", path, error)
    finally:
        if written:
            with contextlib.suppress(OSError):
                os.unlink(written)


def _remove_abandoned(folder: Path) -> None:
    """Half-written files of workers stopped while writing (a signal, a kill)."""
    now = time.time()
    for leftover in folder.glob(f"{_WRITING}*"):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > _ABANDONED_SECONDS:
                leftover.unlink()


def kept_content(instance_path: str | Path, name: str) -> Path:
    """Where the content cache ``name`` keeps its first load: in the instance folder, which
    holds the app's own files only (as the compiled templates)."""
    return Path(instance_path) / "content-cache" / f"{name}.pickle"


class FolderCache(Generic[T]):
    """Calls ``load(previous)`` on first use (with None) and again whenever a file under
    ``folder`` changed (with the value it replaces)."""

    def __init__(
        self,
        folder: Path,
        load: Callable[[T | None], T],
        *,
        keep_as: Path | None = None,
        depends_on: Callable[[], Hashable] = tuple,
    ):
        self.folder = Path(folder)
        self._load = load
        self._keep_as = keep_as
        self._depends_on = depends_on
        self._lock = threading.Lock()
        self._value: T | None = None
        self._signature: tuple = ()
        self._checked_at = 0.0

    def _current_signature(self) -> tuple:
        return _files_signature(self.folder)

    def _first_load(self) -> T:
        if self._keep_as is None:
            return self._load(None)
        try:
            key = self._key()
        except OSError as error:  # a file it cannot read: the loader reports it, if it reads it
            log.warning("content of %s not kept: %s", self.folder, error)
            return self._load(None)
        value = _read_kept(self._keep_as, key)
        if value is None:
            value = self._load(None)
            # kept only if nothing changed while loading: the value is then that of the key
            with contextlib.suppress(OSError):
                if self._key() == key:
                    _keep(self._keep_as, key, value)
        return value

    def _key(self) -> tuple:
        return (KEPT_FORMAT, _files_digest(self.folder), self._depends_on(), _code_key())

    def get(self) -> T:
        """The value, loaded on first use and again after any file changed."""
        now = time.monotonic()
        if self._value is not None and now - self._checked_at < RELOAD_CHECK_SECONDS:
            return self._value
        with self._lock:
            signature = self._current_signature()
            if self._value is None:
                self._value = self._first_load()
                self._signature = signature
            elif signature != self._signature:
                try:
                    self._value = self._load(self._value)
                    self._signature = signature
                except Exception:  # e.g. a file vanished while being read: keep what we have
                    log.exception("reloading %s failed; the previous content is kept", self.folder)
            self._checked_at = now
            return self._value
