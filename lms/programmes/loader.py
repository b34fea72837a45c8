"""Load and check every programme under ``<content dir>/programmes``: ``load_programmes``.

Every problem is reported as ``path:line: message``; a broken programme is left out.
"""

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from lms.config import LANGUAGES
from lms.courses.api import Reporter
from lms.programmes.choices import AUDIENCES, DEFAULT_ACTIVITIES, DEFAULT_CLIENT_GROUPS, Choice
from lms.programmes.definitions import (
    DEFAULT_REFLECTION_RETENTION_MONTHS,
    Category,
    Programme,
    ProgrammeSet,
)
from lms.programmes.lines import LineDict, line_loader
from lms.rendering import lesson_slug

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUIZ_REF = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)?$")
PROGRAMME_FIELDS = {
    "title",
    "summary",
    "hours",
    "hour_minutes",
    "attendance_minimum",
    "categories",
    "practice",
    "quizzes",
    "certificate",
    "requires_certificate",
    "required_lessons",
    "reflection_retention_months",
    "prepares",
    "order",
}
CATEGORY_FIELDS = {"slug", "title", "hours", "attendance_minimum", "courses"}
PRACTICE_FIELDS = {"hours", "clients", "client_groups", "activities"}
CHOICE_FIELDS = {"slug", "title", "refugee", "child"}
CERTIFICATE_FIELDS = {"valid_months", "final_sign_off", "auto_issue", "renews"}


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _texts(data: LineDict, key: str, path: Path, report, required: bool = True):
    """A text, or a mapping of language to text with English required."""
    value = data.get(key)
    if value is None:
        if required:
            report(path, data.line, f"missing required field '{key}'")
        return None
    if isinstance(value, str) and value.strip():
        return {"en": value.strip()}
    if isinstance(value, dict) and all(isinstance(v, str) and v.strip() for v in value.values()):
        unknown = [language for language in value if language not in LANGUAGES]
        if unknown:
            report(path, value.line_of(unknown[0]), f"unknown language '{unknown[0]}'")
            return None
        if "en" not in value:
            report(path, value.line, f"'{key}' needs an 'en' text")
            return None
        return {language: text.strip() for language, text in value.items()}
    report(path, data.line_of(key), f"'{key}' must be a text or a mapping of language to text")
    return None


def _unknown_fields(data: LineDict, allowed: set, path: Path, report) -> bool:
    unknown = [key for key in data if key not in allowed]
    for key in unknown:
        report(path, data.line_of(key), f"unknown field '{key}' (use {', '.join(sorted(allowed))})")
    return not unknown


def _share(data: LineDict, key: str, path: Path, report, default=None):
    value = data.get(key, default)
    if not _number(value) or not 0 < value <= 1:
        report(path, data.line_of(key), f"'{key}' must be a share between 0 and 1, like 0.8")
        return None
    return float(value)


def _positive(data: LineDict, key: str, path: Path, report, whole=False, required=True):
    value = data.get(key)
    if value is None and not required:
        return None
    kind = int if whole else (int, float)
    if not isinstance(value, kind) or isinstance(value, bool) or value <= 0:
        what = "a positive whole number" if whole else "a positive number"
        report(path, data.line_of(key), f"'{key}' must be {what}")
        return None
    return value


def _categories(data, hour_minutes, minimum, courses, path, report):
    items = data.get("categories")
    if not isinstance(items, list) or not items:
        report(path, data.line_of("categories"), "'categories' must be a list of hour categories")
        return None
    categories, seen, ok = [], set(), True
    for item in items:
        if not isinstance(item, LineDict):
            report(path, data.line_of("categories"), "each category must be 'key: value' lines")
            ok = False
            continue
        ok &= _unknown_fields(item, CATEGORY_FIELDS, path, report)
        slug = item.get("slug")
        if not isinstance(slug, str) or not SLUG.match(slug):
            report(path, item.line_of("slug"), "a category needs a 'slug' of a-z, 0-9 and '-'")
            ok = False
        elif slug in seen:
            report(path, item.line_of("slug"), f"duplicate category '{slug}'")
            ok = False
        seen.add(slug)
        titles = _texts(item, "title", path, report)
        hours = _positive(item, "hours", path, report)
        share = _share(item, "attendance_minimum", path, report, default=minimum or 1)
        linked = item.get("courses", [])
        if not isinstance(linked, list) or not all(isinstance(c, str) for c in linked):
            report(path, item.line_of("courses"), "'courses' must be a list of course slugs")
            linked, ok = [], False
        for course in linked:
            if courses is not None and course not in courses:
                report(path, item.line_of("courses"), f"unknown course '{course}'")
                ok = False
        if None in (titles, hours, share):
            ok = False
            continue
        categories.append(
            Category(slug, titles, float(hours), share, tuple(linked), hour_minutes or 60)
        )
    return categories if ok else None


def _block(data: LineDict, key: str, allowed: set, path: Path, report) -> LineDict | None:
    value = data.get(key)
    if value is None:
        return LineDict()
    if not isinstance(value, LineDict):
        report(path, data.line_of(key), f"'{key}' must be 'key: value' lines")
        return None
    return value if _unknown_fields(value, allowed, path, report) else None


def _choices(block: LineDict, key: str, path: Path, report) -> tuple[Choice, ...] | None:
    """A programme's own list of options; None (after a report) if it is missing or broken."""
    items = block.get(key)
    if items is None:
        return None
    if not isinstance(items, list) or not items:
        report(path, block.line_of(key), f"'{key}' must be a list of slugs with titles")
        return None
    choices, seen = [], set()
    for item in items:
        if not isinstance(item, LineDict):
            report(path, block.line_of(key), f"each of '{key}' must be 'key: value' lines")
            return None
        if not _unknown_fields(item, CHOICE_FIELDS, path, report):
            return None
        slug, titles = item.get("slug"), _texts(item, "title", path, report)
        if not isinstance(slug, str) or not SLUG.match(slug) or slug in seen:
            report(path, item.line_of("slug"), f"each of '{key}' needs its own slug of a-z, 0-9, -")
            return None
        flags = {flag: item.get(flag, False) for flag in ("refugee", "child")}
        if not all(isinstance(value, bool) for value in flags.values()):
            report(path, item.line, "'refugee' and 'child' must be true or false")
            return None
        if titles is None:
            return None
        seen.add(slug)
        choices.append(Choice(slug, titles, **flags))
    return tuple(choices)


def parse_programme(
    text: str,
    path: Path,
    report,
    courses: set[str] | None,
    known_quizzes: set[str] | None = None,
    lessons: set[str] | None = None,
) -> Programme | None:
    """Check one programme file; return the programme, or None after reporting its problems."""
    before = report.count
    import yaml  # imported once a file is read (see ``lms.programmes.lines``)

    try:
        data = yaml.load(text, Loader=line_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        report(path, line, f"malformed YAML: {getattr(error, 'problem', None) or error}")
        return None
    if not isinstance(data, LineDict):
        report(path, 1, "expected 'key: value' lines")
        return None
    _unknown_fields(data, PROGRAMME_FIELDS, path, report)
    titles = _texts(data, "title", path, report)
    summaries = _texts(data, "summary", path, report, required=False) or {}
    hours = _positive(data, "hours", path, report)
    hour_minutes = data.get("hour_minutes", 60)
    if not isinstance(hour_minutes, int) or isinstance(hour_minutes, bool):
        hour_minutes = 0
    if not 1 <= hour_minutes <= 60:
        report(
            path,
            data.line_of("hour_minutes"),
            "'hour_minutes' must be the minutes in one hour of the syllabus, like 60 or 45",
        )
        hour_minutes = None
    minimum = _share(data, "attendance_minimum", path, report)
    categories = _categories(data, hour_minutes, minimum, courses, path, report)
    if categories and hours and abs(sum(c.hours for c in categories) - hours) > 1e-9:
        report(
            path,
            data.line_of("hours"),
            f"'hours' is {hours:g} but the categories add up to "
            f"{sum(c.hours for c in categories):g}",
        )
    practice = _block(data, "practice", PRACTICE_FIELDS, path, report)
    practice_hours = practice_clients = 0
    client_groups, activities = DEFAULT_CLIENT_GROUPS, DEFAULT_ACTIVITIES
    if practice:
        practice_hours = _positive(practice, "hours", path, report, required=False) or 0
        practice_clients = (
            _positive(practice, "clients", path, report, whole=True, required=False) or 0
        )
        client_groups = _choices(practice, "client_groups", path, report) or client_groups
        activities = _choices(practice, "activities", path, report) or activities
    quizzes = data.get("quizzes", [])
    if not isinstance(quizzes, list) or not all(
        isinstance(q, str) and QUIZ_REF.match(q) for q in quizzes
    ):
        report(path, data.line_of("quizzes"), "'quizzes' must be a list of quiz slugs")
        quizzes = []
    for quiz in quizzes:
        if known_quizzes is not None and quiz not in known_quizzes:
            report(path, data.line_of("quizzes"), f"unknown quiz '{quiz}' (no quizzes/{quiz}.gift)")
    certificate = _block(data, "certificate", CERTIFICATE_FIELDS, path, report)
    valid_months, flags, renews = None, {"final_sign_off": False, "auto_issue": False}, None
    if certificate:
        renews = certificate.get("renews")
        if renews is not None and not SLUG.match(str(renews)):
            report(path, certificate.line_of("renews"), "'renews' must be a programme slug")
        if renews is not None and "valid_months" in certificate:
            report(
                path,
                certificate.line_of("valid_months"),
                "a renewal keeps the validity of the certificate it renews: leave out "
                "'valid_months'",
            )
        elif renews is None:
            valid_months = _positive(certificate, "valid_months", path, report, whole=True)
        for flag in flags:
            value = certificate.get(flag, False)
            if not isinstance(value, bool):
                report(path, certificate.line_of(flag), f"'{flag}' must be true or false")
            flags[flag] = value is True
        if flags["auto_issue"] and not flags["final_sign_off"]:
            report(
                path,
                certificate.line_of("auto_issue"),
                "'auto_issue' needs 'final_sign_off: true': a trainer's sign-off triggers it",
            )
    prerequisite = data.get("requires_certificate")
    if prerequisite is not None and not SLUG.match(str(prerequisite)):
        report(path, data.line_of("requires_certificate"), "'requires_certificate' must be a slug")
    if renews is not None and prerequisite not in (None, renews):
        report(
            path,
            data.line_of("requires_certificate"),
            "a renewal programme requires the certificate it renews",
        )
    prerequisite = prerequisite or renews
    required_lessons = data.get("required_lessons", [])
    if not isinstance(required_lessons, list) or not all(
        isinstance(ref, str) and QUIZ_REF.match(ref) and "/" in ref for ref in required_lessons
    ):
        report(
            path,
            data.line_of("required_lessons"),
            "'required_lessons' must be a list of course/lesson slugs",
        )
        required_lessons = []
    for ref in required_lessons:
        if lessons is not None and ref not in lessons:
            report(path, data.line_of("required_lessons"), f"unknown lesson '{ref}'")
    retention = _positive(data, "reflection_retention_months", path, report, True, False)
    prepares = data.get("prepares")
    if prepares is not None and prepares not in {audience.slug for audience in AUDIENCES}:
        known = ", ".join(audience.slug for audience in AUDIENCES)
        report(path, data.line_of("prepares"), f"'prepares' must be one of: {known}")
    order = data.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool):
        report(path, data.line_of("order"), "'order' must be a whole number")
    if report.count > before:
        return None
    return Programme(
        slug=path.stem,
        titles=titles,
        summaries=summaries,
        hours=float(hours),
        hour_minutes=hour_minutes,
        attendance_minimum=minimum,
        categories=tuple(categories),
        practice_hours=float(practice_hours),
        practice_clients=int(practice_clients),
        practice_logged="practice" in data,
        client_groups=client_groups,
        activities=activities,
        quizzes=tuple(quizzes),
        certificate_valid_months=valid_months,
        requires_certificate=prerequisite,
        required_lessons=tuple(required_lessons),
        final_sign_off=flags["final_sign_off"],
        auto_issue=flags["auto_issue"],
        renews=renews,
        reflection_retention_months=retention or DEFAULT_REFLECTION_RETENTION_MONTHS,
        prepares=prepares,
        order=order,
    )


def load_programmes(content_dir: Path, last_good: Mapping[str, Programme] = MappingProxyType({})):
    """Load and check every ``programmes/*.yaml`` under the content folder.

    A programme whose file has problems is left out, unless ``last_good`` (the programmes
    loaded before) holds it: then that version is kept, so that a file broken while the app
    runs takes neither its cohorts nor the programmes built on it down.
    """
    content_dir = Path(content_dir)
    result = ProgrammeSet()
    lines: dict[str, tuple[Path, int]] = {}

    def keep_last_good(slug: str, path: Path) -> None:
        result.broken.add(slug)
        if slug in last_good:
            result.programmes[slug] = last_good[slug]
            result.stale.add(slug)
            lines[slug] = (path, 1)

    report = Reporter(content_dir, result.problems)
    folder = content_dir / "programmes"
    courses_dir = content_dir / "courses"
    courses = {path.parent.name for path in courses_dir.glob("*/course.yaml")}
    quizzes = {path.stem for path in (content_dir / "quizzes").glob("*.gift")}
    lessons = {
        f"{path.parent.name}/{lesson_slug(path.stem)}"
        for path in courses_dir.glob("*/*.md")
        if "." not in path.stem
    }
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        if path.suffix != ".yaml":
            if path.is_file() and not path.name.startswith("."):
                report(path, 1, "a programme file must be named <slug>.yaml")
            continue
        if not SLUG.match(path.stem):
            report(path, 1, "a programme file name must be a slug of a-z, 0-9 and '-'")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            report(path, text_line(path.read_bytes(), error.start), "the file is not UTF-8")
            keep_last_good(path.stem, path)
            continue
        programme = parse_programme(text, path, report, courses, quizzes, lessons)
        if not programme:
            keep_last_good(path.stem, path)
        else:
            result.programmes[programme.slug] = programme
            prerequisite_line = next(
                (n for n, line in enumerate(text.split("\n"), 1) if "requires_certificate" in line),
                1,
            )
            lines[programme.slug] = (path, prerequisite_line)
    for slug, programme in list(result.programmes.items()):
        needed = programme.requires_certificate
        if needed and (needed == slug or needed not in result.programmes):
            path, line = lines[slug]
            report(path, line, f"'requires_certificate' names no other programme: '{needed}'")
            del result.programmes[slug]
            result.broken.add(slug)
        elif programme.renews and not result.programmes[needed].certificate_valid_months:
            path, line = lines[slug]
            report(path, line, f"'{needed}' issues no certificate that could be renewed")
            del result.programmes[slug]
            result.broken.add(slug)
    result.problems.sort()
    return result


def text_line(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset."""
    return data.count(b"\n", 0, offset) + 1
