"""The programmes an app serves, loaded from ``programmes/`` and checked at start-up.

A programme file that breaks while the app runs is reported (in the log and to coordinators on
the programmes page) and its last good version keeps being served. A programme that never
loaded makes its cohorts' pages say so (``ProgrammeUnavailable``) instead of failing.
"""

from pathlib import Path

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.auth.models import Role
from lms.filecache import FolderCache, kept_content
from lms.programmes.definitions import Programme, ProgrammeSet
from lms.programmes.loader import load_programmes

UNAVAILABLE = _l("The programme of this cohort cannot be loaded just now.")


class ProgrammeUnavailable(Exception):
    """A page needs a programme whose file has never loaded (or is gone)."""

    def __init__(self, slug: str, cohort=None):
        super().__init__(slug)
        self.slug, self.cohort = slug, cohort


def _loader(app: Flask, content_dir: Path):
    def load(previous: ProgrammeSet | None) -> ProgrammeSet:
        programmes = load_programmes(content_dir, previous.programmes if previous else {})
        if previous:  # the first load's problems are logged by init_app, kept or not
            _log_problems(app, programmes)
        return programmes

    return load


def _log_problems(app: Flask, programmes: ProgrammeSet) -> None:
    for problem in programmes.problems:
        app.logger.error("programme file problem: %s", problem)
    for slug in sorted(programmes.stale):
        app.logger.error("programme %s: serving the last version that loaded", slug)


def _names_checked_against(content_dir: Path) -> tuple[str, ...]:
    """The course, lesson and quiz files a programme's references are checked against: a
    programme kept from an earlier start is used only while these are the same."""
    return tuple(
        str(path.relative_to(content_dir))
        for pattern in ("courses/*/*", "quizzes/*")
        for path in sorted(content_dir.glob(pattern))
    )


def init_app(app: Flask) -> None:
    """Load the programmes now, so that a broken file is logged when the app starts."""
    content_dir = Path(app.config["CONTENT_DIR"])
    cache = FolderCache(
        content_dir / "programmes",
        _loader(app, content_dir),
        keep_as=kept_content(app.instance_path, "programmes"),
        depends_on=lambda: _names_checked_against(content_dir),
    )
    app.extensions["tugi_programmes"] = cache
    _log_problems(app, cache.get())
    app.register_error_handler(ProgrammeUnavailable, _unavailable_page)


def _unavailable_page(error: ProgrammeUnavailable):
    """Say plainly that the cohort's programme cannot be loaded; coordinators see why."""
    if request.accept_mimetypes.best == "application/json":
        # 503, so that the quiz script keeps the answer and sends it again later
        return jsonify(error=str(UNAVAILABLE), reason="programme_unavailable"), 503
    programmes = get_programmes()
    coordinator = current_user.is_authenticated and current_user.has_role(Role.COORDINATOR)
    problems = [
        problem
        for problem in programmes.problems
        if Path(problem.path).stem == error.slug and coordinator
    ]
    return render_template(
        "programmes/unavailable.html", cohort=error.cohort, problems=problems
    ), 200


def get_programmes() -> ProgrammeSet:
    """The current app's programmes."""
    return current_app.extensions["tugi_programmes"].get()


def programme_title(slug: str, language: str) -> str:
    """The programme's title in ``language``; the slug only when its file is missing or broken."""
    programme = get_programme(slug)
    return programme.title_for(language) if programme else slug


def get_programme(slug: str) -> Programme | None:
    """The programme with ``slug``, or None when it is unknown or its file never loaded."""
    return get_programmes().get(slug)


def programme_or_unavailable(slug: str, cohort=None) -> Programme:
    """The programme with ``slug``; raise ``ProgrammeUnavailable`` when there is none."""
    programme = get_programme(slug)
    if programme is None:
        raise ProgrammeUnavailable(slug, cohort)
    return programme
