"""The privacy notice: ``privacy/notice.<language>.md`` under the content folder, one file per
interface language, read and rendered through the one Markdown door, reloaded when a file
changes; and the rule that a person has seen it.

A coordinator changes the notice by editing its files, and marks a change that matters: whoever
read it before that moment is shown it again at their next login. A file that cannot be read is
reported with its name (logged, and shown to coordinators on the page); the reader then gets the
English text with a note, or, when English itself is missing, a page that says the notice cannot
be shown.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from lms import hooks
from lms.auth.models import User
from lms.filecache import FolderCache
from lms.organisation import api as organisation
from lms.rendering import Rendered, render_markdown

#: the folder under the content root that holds the notice
FOLDER = "privacy"
#: the language every other one falls back to
SOURCE_LANGUAGE = "en"
#: where the page puts the organisation's name (from the *Organisation* settings) in the text
ORGANISATION_PLACEHOLDER = "{organisation}"
#: a notice longer than this is not a notice (and would make every page load slow to render)
MAX_BYTES = 200_000

log = logging.getLogger(__name__)


def notice_path(language: str) -> str:
    """The notice's file in ``language``, relative to the content root."""
    return f"{FOLDER}/notice.{language}.md"


@dataclass
class Notices:
    """Every notice that loaded, by language, and what was wrong with the others."""

    texts: dict[str, Rendered] = field(default_factory=dict)
    #: ``privacy/notice.et.md: ...`` for each file that is missing or could not be read
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Shown:
    """What the page shows a reader: the notice in ``language`` (None: nothing could be read),
    and whether that is not the language they read in."""

    language: str | None
    rendered: Rendered | None
    fallback: bool


def _read(path: Path, relative: str) -> tuple[str | None, str | None]:
    """(text, None) or (None, the problem with the file)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, f"{relative}: longer than {MAX_BYTES:,} bytes"
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, f"{relative}: the file is missing"
    except UnicodeDecodeError as error:
        return None, f"{relative}: not UTF-8 text (byte {error.start})"
    except OSError as error:
        return None, f"{relative}: cannot be read ({error.strerror})"
    if not text.strip():
        return None, f"{relative}: the file is empty"
    return text, None


def load_notices(content_dir: Path, languages) -> Notices:
    """Read and render the notice in each of ``languages``; problems are collected, not raised."""
    notices = Notices()
    for language in languages:
        relative = notice_path(language)
        text, problem = _read(Path(content_dir) / relative, relative)
        if problem:
            notices.problems.append(problem)
        else:
            notices.texts[language] = render_markdown(text)
    return notices


def init_app(app: Flask) -> None:
    """Give the app its notice cache, and log the problems of the files as it starts."""
    content_dir = Path(app.config["CONTENT_DIR"])
    languages = tuple(app.config["LANGUAGES"])
    cache = FolderCache(content_dir / FOLDER, lambda _: load_notices(content_dir, languages))
    app.extensions["tugi_privacy_notice"] = cache
    for problem in cache.get().problems:
        app.logger.error("privacy notice problem: %s", problem)


def current_notices() -> Notices:
    """The notices as their files are now."""
    return current_app.extensions["tugi_privacy_notice"].get()


def choose(notices: Notices, language: str) -> Shown:
    """The notice in ``language``, else the English one, else nothing."""
    if language in notices.texts:
        return Shown(language, notices.texts[language], False)
    if SOURCE_LANGUAGE in notices.texts:
        return Shown(SOURCE_LANGUAGE, notices.texts[SOURCE_LANGUAGE], True)
    return Shown(None, None, language != SOURCE_LANGUAGE)


def with_organisation(rendered: Rendered, organisation: str) -> Markup:
    """The notice's sanitised HTML with the organisation's name, escaped, where the text says
    ``{organisation}``."""
    return Markup(str(rendered.html).replace(ORGANISATION_PLACEHOLDER, str(escape(organisation))))


def read_before_change(session: Session, user: User) -> datetime | None:
    """When the notice was marked as changed, if ``user`` read it only before that; else None."""
    changed = organisation.notice_changed_at(session)
    seen = user.privacy_notice_seen_at
    return changed if changed is not None and seen is not None and seen < changed else None


@hooks.answers("privacy_notice_due")
def notice_due(session: Session, user: User) -> bool:
    """Whether ``user`` is to be shown the notice: never read, or read before it changed."""
    return user.privacy_notice_seen_at is None or read_before_change(session, user) is not None


def mark_notice_seen(session: Session, user: User, when: datetime) -> bool:
    """Record that ``user`` has read the notice, when it is due (the first time, and again after
    it was marked as changed); True when this is such a reading."""
    if not notice_due(session, user):
        return False
    user.privacy_notice_seen_at = when
    session.flush()
    return True


@dataclass(frozen=True)
class Readers:
    """What a data-protection officer asks: since when the notice stands as it is, and how many
    active people have read it since (of how many)."""

    changed_at: datetime | None
    read: int
    active: int


def readers(session: Session) -> Readers:
    """Active people who have read the notice since it was last marked as changed (ever, when it
    never was), and how many active people there are."""
    changed = organisation.notice_changed_at(session)
    seen = User.privacy_notice_seen_at
    read = sa.func.count().filter(seen >= changed if changed is not None else seen.is_not(None))
    row = session.execute(sa.select(read, sa.func.count()).where(User.active.is_(True))).one()
    return Readers(changed, row[0], row[1])
