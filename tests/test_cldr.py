"""Each interface language's CLDR data is kept without the parts no page shows, formats every
date and number as the whole data does, and gives back a dropped part when asked for it."""

import subprocess
import sys
import textwrap

from babel import localedata

from lms.cldr import UNSHOWN, LeanLocaleData, make_lean
from lms.config import LANGUAGES, REPOSITORY_ROOT

# Run in a fresh interpreter: this process's babel data may already be lean.
SAME_TEXT_LEAN_AND_WHOLE = textwrap.dedent(
    """
    from datetime import date, datetime, time, timezone
    from babel import Locale, core, dates, languages as territories, localedata, numbers
    from lms import cldr

    moment = datetime(2026, 2, 10, 14, 5, tzinfo=timezone.utc)

    def texts(language):
        locale = Locale.parse(language)
        return [
            *(dates.format_date(date(2026, 2, 10), width, locale=locale)
              for width in ("short", "medium", "long", "full")),
            dates.format_datetime(moment, "short", tzinfo=timezone.utc, locale=locale),
            dates.format_time(time(9, 30), "HH:mm", locale=locale),
            dates.format_skeleton("yMMMEd", moment, locale=locale),
            dates.format_skeleton("MMMd", moment, locale=locale),
            numbers.format_decimal(1234567.25, locale=locale),
            numbers.format_percent(0.255, locale=locale),
            locale.plural_form(3), locale.percent_formats[None].pattern,
            locale.number_symbols["latn"]["decimal"], locale.first_week_day,
        ]

    languages = {languages!r}
    whole = {{language: texts(language) for language in languages}}
    names = {{language: dict(localedata.load(language)["languages"]) for language in languages}}
    zone = {{language: dates.get_timezone_name("Europe/Tallinn", locale=language)
             for language in languages}}
    official = territories.get_official_languages("EE")
    subtags = dict(core.get_global("likely_subtags"))
    core._global_data = None  # as babel holds it before the first locale is read
    localedata._cache.clear()
    localedata._dict_cache.clear()
    for language in languages:
        cldr.make_lean(language)
    assert set(core._global_data.keys()) == cldr.GLOBAL_READ, set(core._global_data.keys())
    for language in languages:
        data = localedata.load(language)
        assert isinstance(data, cldr.LeanLocaleData), language
        assert texts(language) == whole[language], (language, texts(language), whole[language])
        # formatting read nothing back: what was dropped stays dropped
        assert not cldr.UNSHOWN & set(data.keys()), (language, cldr.UNSHOWN & set(data.keys()))
        assert set(core._global_data.keys()) == cldr.GLOBAL_READ, set(core._global_data.keys())
    for language in languages:
        # a dropped part is read back, the same as it was
        assert dict(Locale.parse(language).languages) == names[language], language
        assert dates.get_timezone_name("Europe/Tallinn", locale=language) == zone[language]
    assert territories.get_official_languages("EE") == official
    assert dict(core.get_global("likely_subtags")) == subtags
    assert str(Locale.parse("zh_TW")) == "zh_Hant_TW"  # resolved through the likely subtags
    print("ok")
    """
)


def test_lean_data_formats_as_the_whole_data_and_gives_back_what_it_dropped():
    script = SAME_TEXT_LEAN_AND_WHOLE.format(languages=list(LANGUAGES))
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPOSITORY_ROOT, capture_output=True, text=True
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_a_request_makes_its_language_lean_before_formatting(client):
    page = client.get("/login", headers={"Accept-Language": "uk"})
    assert page.status_code == 200
    data = localedata.load("uk")
    assert isinstance(data, LeanLocaleData)
    assert "unit_patterns" in UNSHOWN and "unit_patterns" not in data.keys()
    assert "months" in data.keys()


def test_a_part_babel_does_not_have_is_still_a_key_error():
    make_lean("et")
    data = localedata.load("et")
    assert isinstance(data, LeanLocaleData)
    try:
        data["no such part"]
    except KeyError:
        return
    raise AssertionError("an unknown part must not be invented")
