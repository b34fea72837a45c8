"""The chrome every page repeats (stylesheets and scripts, the language picker, the main menu,
the footer), rendered once per application root, language, menu and page section, and kept.

About a third of a lesson page's template time went to ~20 links and ~20 translated words that
are the same for everybody who reads in one language with one menu. A kept fragment is rendered
from its own template with nothing but its key: no person, no session, no form token (a test
holds every chrome template to the names of ``KEY_NAMES``), so it cannot carry one reader's data
to another. What belongs to the request (the form token, the address to come back to) is put in
at every request in place of a placeholder.
"""

from flask import Flask, current_app, request
from flask_babel import get_translations
from flask_login import current_user
from markupsafe import Markup

from lms.i18n import template_gettext

#: the names a chrome template may use: its key, and what makes links and words
KEY_NAMES = frozenset(
    {"url_for", "_", "LANGUAGES", "locale", "signed_in", "coordinator", "section", "token", "back"}
)
#: what stands for the request's own values in a kept fragment (no translation holds them)
TOKEN, BACK = "\ue000token\ue000", "\ue000back\ue000"
#: the kept parts, each a template ``chrome/<part>.html``
PARTS = ("head", "header", "footer")
#: a bound on the kept fragments (the application root comes from the server)
MOST_KEPT = 512

#: the menu entry a page belongs to: by endpoint first, then by blueprint
_SECTIONS_BY_ENDPOINT = {
    "main.home": "home",
    "auth.account": "account",
    "auth.change_password": "account",
}
_SECTIONS_BY_BLUEPRINT = {
    "courses": "courses",
    "quizzes": "quizzes",
    "practice": "practice",
    "certificates": "certificates",
    "cohorts": "cohorts",
    "attendance": "cohorts",
    "programmes": "cohorts",
    "users": "users",
    "reports": "reports",
    "alumni": "reports",
}


def section(endpoint: str | None, blueprint: str | None) -> str | None:
    """The menu entry marked as the current page (``aria-current``), or None."""
    return _SECTIONS_BY_ENDPOINT.get(endpoint) or _SECTIONS_BY_BLUEPRINT.get(blueprint)


class Chrome:
    """The kept parts of one page's chrome; ``header`` takes the request's own values."""

    def __init__(self, head: str, header: str, footer: str):
        self.head, self._header, self.footer = Markup(head), Markup(header), Markup(footer)

    def header(self, token: str, back: str) -> Markup:
        """The page header with this request's form token and the address to come back to
        (escaped: ``Markup.replace`` escapes what it puts in)."""
        return self._header.replace(TOKEN, token).replace(BACK, back)


def _render(key: tuple) -> Chrome:
    """The chrome for ``key``, from the templates under ``chrome/`` and nothing else."""
    _root, locale, signed_in, coordinator, current = key
    gettext = template_gettext(get_translations())
    values = {
        "_": gettext,
        "LANGUAGES": current_app.config["LANGUAGES"],
        "locale": locale,
        "signed_in": signed_in,
        "coordinator": coordinator,
        "section": current,
        "token": TOKEN,
        "back": BACK,
    }
    env = current_app.jinja_env
    return Chrome(*(env.get_template(f"chrome/{part}.html").render(values) for part in PARTS))


def page_chrome(locale: str) -> Chrome:
    """The chrome of this request's page in ``locale``: kept per application root, language,
    signed in or not, coordinator or not, and menu section."""
    signed_in = bool(current_user and current_user.is_authenticated)
    key = (
        request.script_root,
        locale,
        signed_in,
        signed_in and current_user.has_role("coordinator"),
        section(request.endpoint, request.blueprint) if signed_in else None,
    )
    kept = current_app.extensions["chrome"]
    chrome = kept.get(key)
    if chrome is None:
        if len(kept) >= MOST_KEPT:
            kept.clear()
        chrome = kept[key] = _render(key)
    return chrome


def init_app(app: Flask) -> None:
    """Keep the chrome per application, and offer ``page_chrome(locale)`` to templates."""
    app.extensions["chrome"] = {}
    app.extensions["lesson_heads"] = {}
    app.jinja_env.globals["page_chrome"] = page_chrome
