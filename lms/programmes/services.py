"""The programmes an app serves, loaded from ``programmes/`` and checked at start-up."""

from pathlib import Path

from flask import Flask, current_app

from lms.filecache import FolderCache
from lms.programmes.definitions import Programme, ProgrammeSet, load_programmes


def init_app(app: Flask) -> None:
    """Load the programmes now, so that a broken file is logged when the app starts."""
    content_dir = Path(app.config["CONTENT_DIR"])
    cache = FolderCache(content_dir / "programmes", lambda: load_programmes(content_dir))
    app.extensions["tugi_programmes"] = cache
    for problem in cache.get().problems:
        app.logger.error("programme file problem: %s", problem)


def get_programmes() -> ProgrammeSet:
    """The current app's programmes."""
    return current_app.extensions["tugi_programmes"].get()


def programme_title(slug: str, language: str) -> str:
    """The programme's title in ``language``; the slug only when its file is missing or broken."""
    programme = get_programme(slug)
    return programme.title_for(language) if programme else slug


def get_programme(slug: str) -> Programme | None:
    """The programme with ``slug``, or None when it is unknown or its file is broken."""
    return get_programmes().get(slug)
