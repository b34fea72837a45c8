"""Interface language and local time: which language a request is served in, the picker that
changes it, and today's date where the programme runs."""

import functools
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import _get_current_context as flask_babel_context
from flask_babel import _get_format as flask_babel_format
from flask_babel import format_date, get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from lms.cldr import make_lean


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (it is translated where shown)."""
    return message


def now() -> datetime:
    """This moment, in UTC, as every stored time is."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today in ``LMS_TIMEZONE``: the date a certificate is issued on or expires by."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


def select_locale() -> Locale:
    """The person's saved language, else the one picked in this browser, else the browser's.

    The browser's list never brings a language that must be chosen (Russian): a Ukrainian whose
    browser also lists Russian gets Ukrainian, and one that lists only Russian gets English.
    """
    return _locale(_selected_language())


@functools.cache
def _locale(language: str) -> Locale:
    """The Locale of a language the site offers, made once (babel parses the code anew for
    every request otherwise); its data made lean before the Locale first reads it."""
    make_lean(language)
    return Locale.parse(language)


def _selected_language() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands speak English
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    picked = session.get("language")
    if picked in languages:
        return picked
    chosen_only = current_app.config["CHOSEN_ONLY_LANGUAGES"]
    guessable = [language for language in languages if language not in chosen_only]
    return request.accept_languages.best_match(guessable) or "en"


def content_language(available: list[str]) -> tuple[str, bool]:
    """The language to show a lesson or quiz in, of those it exists in (the source first), and
    whether the one wanted was missing. ``?lang=`` asks for a language for this content only
    (the interface keeps its own); anything but a language the site offers is ignored."""
    asked = request.args.get("lang", "")
    wanted = asked if asked in current_app.config["LANGUAGES"] else str(get_locale())
    return (wanted, False) if wanted in available else (available[0], True)


def _as_datetime(value):
    """A datetime from a datetime or an ISO 8601 string; None for anything else."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


#: a count or a number of hours: up to two decimals, digits grouped (parsed once, not per number)
_DECIMAL = parse_pattern("#,##0.##")


def _percent_pattern(pattern: str, locale: Locale) -> str:
    """``pattern`` with the locale's own spacing and sign order around the digits."""
    locale_pattern = locale.percent_formats[None].pattern
    digits = re.search(r"[#0][#0,.]*", locale_pattern)
    return locale_pattern.replace(digits.group(0), pattern.rstrip("%")) if digits else pattern


@functools.lru_cache(maxsize=64)
def _parsed_percent(digits: int, locale: Locale) -> NumberPattern:
    """The percentage pattern with ``digits`` decimals in ``locale``'s format, parsed once per
    locale (a pattern holds no number, only the format)."""
    pattern = "#,##0" + ("." + "#" * digits if digits else "") + "%"
    return parse_pattern(_percent_pattern(pattern, locale))


@functools.lru_cache(maxsize=4096)
def _decimal(value, locale: Locale) -> str:
    """``value`` in ``locale``'s number format, kept: a page shows the same few hour figures
    many times, and babel's formatting is most of a figure's cost. ``typed`` is not needed:
    the pattern writes 2, 2.0 and Decimal("2.00") alike."""
    return _DECIMAL.apply(value, locale)


@functools.lru_cache(maxsize=4096)
def _percent(share, digits: int, locale: Locale) -> str:
    """A share as a percentage in ``locale``'s format, kept (see ``_decimal``)."""
    return _parsed_percent(digits, locale).apply(share, locale)


def format_number(value, locale: Locale) -> str:
    """``value`` rounded to two decimals in ``locale``'s number format: 12.5 -> "12,5" in et."""
    return _decimal(round(value or 0, 2), locale)


@functools.lru_cache(maxsize=4096)
def _babel_date(value: date, pattern: str | None, locale: Locale | None) -> str:
    """A calendar date in ``locale``'s ``pattern``, kept: a date has no time zone to convert
    to, so the text depends on nothing else (the cohort lists show the same few dates)."""
    return babel_format_date(value, pattern, locale=locale)


def format_day(value, format: str | None = None, rebase: bool = True) -> str:
    """flask-babel's ``format_date`` (its ``dateformat`` filter), a plain date formatted once
    for each locale and pattern; a datetime still goes to flask-babel (its time zone)."""
    if type(value) is date:
        return _babel_date(value, flask_babel_format("date", format), get_locale())
    return format_date(value, format, rebase)


def template_gettext(translations):
    """``_()``/``gettext()`` for one page, bound to its catalogue: as Jinja's new-style
    gettext (the result is a format string, escaped as the page is), without asking
    flask-babel for the catalogue again at every string (about 90 µs a call)."""
    lookup = translations.ugettext

    @pass_context
    def gettext(context, string: str, **variables) -> str:
        translated = lookup(string)
        return (Markup(translated) if context.eval_ctx.autoescape else translated) % variables

    return gettext


def _template_ngettext(translations):
    """``ngettext()`` for one page, bound to its catalogue (see ``template_gettext``)."""
    lookup = translations.ungettext

    @pass_context
    def ngettext(context, singular: str, plural: str, num: int, **variables) -> str:
        variables.setdefault("num", num)
        translated = lookup(singular, plural, num)
        return (Markup(translated) if context.eval_ctx.autoescape else translated) % variables

    return ngettext


def request_translations():
    """This request's catalogue, looked up once: kept in flask-babel's own slot for it, which
    ``force_locale`` empties and restores and ``refresh`` clears. flask-babel's ``gettext``
    looks the catalogue up again at every string (about 20 µs a call)."""
    context = flask_babel_context()
    if context is None:
        return get_translations()
    translations = getattr(context, "babel_translations", None)
    if translations is None:
        translations = context.babel_translations = get_translations()
    return translations


def _install_template_gettext(app: Flask) -> None:
    """The templates' own ``_``/``gettext``/``ngettext`` (those of macros imported without
    the page's context) on this request's catalogue, as flask-babel's, looked up once."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: request_translations().ugettext(string),
        ngettext=lambda singular, plural, n: request_translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, string: request_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: request_translations().unpgettext(
            context, singular, plural, n
        ),
    )


def init_app(app: Flask) -> None:
    """Offer the language list to every template."""
    _install_template_gettext(app)

    from babel.dates import format_skeleton
    from flask_babel import (
        format_datetime,
        format_time,
        to_user_timezone,
    )

    @app.template_filter("hours")
    def hours(minutes, hour_minutes: int = 60) -> str:
        """Minutes as hours (of ``hour_minutes``) in the reader's number format: 90 -> "1.5"."""
        return format_number((minutes or 0) / hour_minutes, get_locale())

    @app.template_filter("number")
    def number(value) -> str:
        """A count or a number of hours in the reader's number format: 12.5 -> "12,5" in et."""
        return format_number(value, get_locale())

    @app.template_filter("percent")
    def percent(share, digits: int = 0) -> str:
        """A share (0.917) as a percentage in the reader's format: "92%", "91,7 %" in ru."""
        return _percent(share or 0, digits, get_locale())

    @app.template_filter("when")
    def when(moment, format: str = "medium") -> str:
        """A moment (a datetime, or an ISO string as the audit trail keeps it) in the reader's
        format and the programme's time zone; "" for none."""
        moment = _as_datetime(moment)
        return format_datetime(moment, format) if moment else ""

    @app.template_filter("day")
    def day(value, format: str = "medium") -> str:
        """A date (or the local day of a moment) in the reader's format; "" for none."""
        value = _as_datetime(value) if isinstance(value, str) else value
        return format_day(value, format) if value else ""

    app.jinja_env.filters["dateformat"] = format_day  # flask-babel's, dates kept

    @app.template_filter("clock")
    def clock(moment) -> str:
        """A moment's local time of day as "HH:mm", the same in every interface language: what
        ``timeformat('HH:mm')`` gives, without Babel's pattern machinery for each of a
        schedule's many rows."""
        return to_user_timezone(moment).strftime("%H:%M")

    @app.template_filter("local_day")
    def local_day(moment, time: bool | str = False, year: bool = True, weekday: bool = True):
        """A moment's local day, with its weekday, in the order and marks of the reader's
        language ("Tue, Feb 10, 2026", "T, 10. veebruar 2026", "вт, 10 лют. 2026 р."), then its
        time after a comma when ``time`` (a pattern such as "HH:mm:ss", else "HH:mm"); "" for
        none."""
        if not (moment := _as_datetime(moment)):
            return ""
        skeleton = ("y" if year else "") + "MMM" + ("E" if weekday else "") + "d"
        text = format_skeleton(skeleton, to_user_timezone(moment), locale=get_locale())
        if not time:
            return text
        return f"{text}, {format_time(moment, time) if isinstance(time, str) else clock(moment)}"

    @app.context_processor
    def languages():
        """The language list, the reader's language, and the translation functions bound to
        its catalogue once for the page (imported macros keep flask-babel's own)."""
        translations = request_translations()
        gettext = template_gettext(translations)
        return {
            "LANGUAGES": app.config["LANGUAGES"],
            "current_locale": str(get_locale()),
            "gettext": gettext,
            "_": gettext,
            "ngettext": _template_ngettext(translations),
        }


def register_labels(bp, name: str, labels: dict) -> None:
    """Let every template show a feature's stored values (``name(value)``) in the reader's
    language: the feature registers its own label map, so this module knows no feature."""
    template_globals(bp, {name: lambda value: labels.get(str(value), value)})


def template_globals(bp, helpers: dict) -> None:
    """Offer ``helpers`` to every template as globals. They depend on nothing of the request
    but what they look up when called (the reader's language), so they are not made again for
    every page, as a context processor's are."""
    for name, helper in helpers.items():
        bp.add_app_template_global(helper, name)
