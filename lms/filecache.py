"""A value loaded from a folder of files, loaded again when any file in it changes.

The loader is given the value it replaces, so that it can keep the last good version of
anything whose file broke (a half-saved edit, a typo) instead of dropping it.
"""

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

#: How often (seconds) the folder is looked at for changed files.
RELOAD_CHECK_SECONDS = 2.0

T = TypeVar("T")

log = logging.getLogger(__name__)


class FolderCache(Generic[T]):
    """Calls ``load(previous)`` on first use (with None) and again whenever a file under
    ``folder`` changed (with the value it replaces)."""

    def __init__(self, folder: Path, load: Callable[[T | None], T]):
        self.folder = Path(folder)
        self._load = load
        self._lock = threading.Lock()
        self._value: T | None = None
        self._signature: tuple = ()
        self._checked_at = 0.0

    def _current_signature(self) -> tuple:
        if not self.folder.is_dir():
            return ()
        return tuple(
            (str(path), stat.st_mtime_ns, stat.st_size)
            for path in sorted(self.folder.rglob("*"))
            if path.is_file() and (stat := path.stat())
        )

    def get(self) -> T:
        """The value, loaded on first use and again after any file changed."""
        now = time.monotonic()
        if self._value is not None and now - self._checked_at < RELOAD_CHECK_SECONDS:
            return self._value
        with self._lock:
            signature = self._current_signature()
            if self._value is None:
                self._value = self._load(None)
                self._signature = signature
            elif signature != self._signature:
                try:
                    self._value = self._load(self._value)
                    self._signature = signature
                except Exception:  # e.g. a file vanished while being read: keep what we have
                    log.exception("reloading %s failed; the previous content is kept", self.folder)
            self._checked_at = now
            return self._value
