"""Trainer's guides: ``NN-slug.guide.md`` beside each lesson, with its translations
``NN-slug.guide.<lang>.md``, loaded and checked with the lessons.

A guide has ``title`` and ``session_minutes`` in its front matter and five level-2 sections in a
fixed order (``SECTIONS``, translated in translations). Its session plan is one table whose first
column is minutes; they must add up to ``session_minutes``. A guide with a problem is left out (or
its last good version kept, ``lastgood``); its lesson is served as ever.
"""

import re
from pathlib import Path

from lms.courses.checks import check_body, read_front_matter
from lms.courses.content import (
    GUIDE_FILE,
    LESSON_FILE,
    Catalog,
    Guide,
    GuideText,
    Lesson,
    Problem,
    check_fields,
    key_line,
)
from lms.courses.coverage import required_languages

GUIDE_FIELDS = {"title": str, "session_minutes": int}
SECTIONS = (
    "Session plan",
    "Exercises and role plays",
    "Discussion questions",
    "Materials to prepare",
    "The quiz and the practice log",
)
_HEADING = re.compile(r"^##(?!#)\s+(?P<title>.*?)\s*#*\s*$")
_MINUTES = re.compile(r"^\d+$")


def _sections(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line, title) of every level-2 heading outside fenced code."""
    found, fenced = [], False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (match := _HEADING.match(line)):
            found.append((number, match["title"]))
    return found


def _check_source_sections(found, last_line: int, path: Path, report) -> None:
    """The source's sections are ``SECTIONS``, each once, in that order."""
    seen: dict[str, int] = {}
    for line, title in found:
        if title not in SECTIONS:
            expected = ", ".join(f"'## {name}'" for name in SECTIONS)
            report(path, line, f"unknown section '## {title}' (a guide has {expected})")
        elif title in seen:
            report(path, line, f"section '## {title}' appears twice")
        else:
            if seen and SECTIONS.index(title) < max(SECTIONS.index(name) for name in seen):
                order = " -> ".join(SECTIONS)
                report(path, line, f"section '## {title}' is out of order ({order})")
            seen[title] = line
    for position, name in enumerate(SECTIONS):
        if name not in seen:
            later = [seen[other] for other in SECTIONS[position + 1 :] if other in seen]
            report(path, min(later, default=last_line), f"missing section '## {name}'")


def _plan_lines(body: str, first_line: int, found, index: int) -> list[tuple[int, str]]:
    """(line, text) of the session plan, the section ``found[index]``, without its heading."""
    if not found:
        return []
    start = found[index][0]
    end = found[index + 1][0] if len(found) > index + 1 else first_line + body.count("\n") + 1
    lines = body.split("\n")
    return [(number, lines[number - first_line]) for number in range(start + 1, end)]


def _check_plan(plan, heading_line: int, target, path: Path, report) -> None:
    """One table whose first column (minutes, whole numbers) adds up to ``target``."""
    tables: list[list[tuple[int, str]]] = []
    previous = None
    for number, text in plan:
        if text.strip().startswith("|"):
            if previous != number - 1:
                tables.append([])
            tables[-1].append((number, text))
            previous = number
    if not tables:
        report(path, heading_line, "the session plan needs a table '| Minutes | Activity | How |'")
        return
    for extra in tables[1:]:
        report(path, extra[0][0], "the session plan is one table; this is a second one")
    header, *rows = tables[0]
    total, good = 0, True
    for number, text in rows[1:]:  # rows[0] is the '| --- |' line under the header
        cell = text.strip().strip("|").split("|")[0].strip()
        if _MINUTES.match(cell):
            total += int(cell)
        else:
            report(path, number, f"the first column is minutes, a whole number, not '{cell}'")
            good = False
    if good and isinstance(target, int) and total != target:
        report(
            path,
            header[0],
            f"the session plan adds up to {total} minutes, not the {target} of session_minutes",
        )


def _load_text(path: Path, language: str, courses_dir: Path, base_url: str, report, sections):
    """Read and check one guide file; (session minutes, GuideText), or None on any problem.

    ``sections`` is None for the source (whose headings are ``SECTIONS``), else how many level-2
    sections the translation must have."""
    before = report.count
    if (read := read_front_matter(path, report)) is None:
        return None
    data, body, body_line, lines = read
    check_fields(data, GUIDE_FIELDS, lines, 1, report, path)
    minutes = data.get("session_minutes")
    if isinstance(minutes, int) and not isinstance(minutes, bool) and minutes <= 0:
        report(path, key_line(lines, "session_minutes", 1), "'session_minutes' must be above 0")
    check_body(body, body_line, path, courses_dir, report)
    found = _sections(body, body_line)
    last_line = body_line + body.count("\n")
    if sections is None:
        _check_source_sections(found, last_line, path, report)
    elif len(found) != sections:
        report(
            path,
            found[0][0] if found else body_line,
            f"a guide has {sections} sections ('## …' headings, translated); "
            f"this translation has {len(found)}",
        )
    titles = [title for _line, title in found]
    index = titles.index(SECTIONS[0]) if sections is None and SECTIONS[0] in titles else 0
    heading_line = found[index][0] if found else body_line
    plan = _plan_lines(body, body_line, found, index)
    _check_plan(plan, heading_line, minutes, path, report)
    if report.count > before:
        return None
    return minutes, GuideText(language, data["title"].strip(), body, base_url), lines


def load_guides(paths, sources, lessons: dict[str, Lesson], course, courses_dir, report) -> None:
    """Attach each guide among ``paths`` (and its translations) to its lesson in ``lessons``.

    ``sources`` maps the stem of every lesson source file to its path (also of a lesson left out
    for a problem of its own), ``lessons`` the stem of every lesson that loaded. A guide of a
    lesson left out is still checked."""
    base_url = f"/courses/{course.slug}/"
    translations = []
    for path in paths:
        match = GUIDE_FILE.match(path.name)
        stem, language = match["stem"], match["lang"]
        if stem not in sources:
            report(path, 1, f"a guide without a lesson: there is no '{stem}.md' beside it")
        elif language:
            translations.append((path, stem, language))
        else:
            loaded = _load_text(path, course.language, courses_dir, base_url, report, None)
            if loaded and stem in lessons:
                lessons[stem].guide = Guide(loaded[0], loaded[1])
    for path, stem, language in translations:
        if not (path.parent / f"{stem}.guide.md").is_file():
            report(path, 1, f"a translation without its source guide '{stem}.guide.md'")
            continue
        guide = lessons[stem].guide if stem in lessons else None
        loaded = _load_text(path, language, courses_dir, base_url, report, len(SECTIONS))
        if loaded is None or guide is None:
            continue
        minutes, text, lines = loaded
        if minutes != guide.session_minutes:
            line = key_line(lines, "session_minutes", 1)
            message = f"'session_minutes' differs from the source guide ({guide.session_minutes})"
            report(path, line, message)
        else:
            guide.translations[language] = text


def missing_guides(content_dir: Path, catalog: Catalog, languages, optional) -> list[Problem]:
    """A problem on each lesson without a guide, and on each guide without a translation into
    a language its course must be translated into (``coverage.required_languages``)."""
    problems = []
    for course in catalog.courses:
        wanted = required_languages(languages, optional, course.language)
        folder = Path(content_dir) / "courses" / course.slug
        shown = f"courses/{course.slug}"
        for path in sorted(folder.glob("*.md")):
            match = LESSON_FILE.match(path.name)
            if not match or match["lang"]:
                continue
            guide = f"{match['stem']}.guide.md"
            if not (folder / guide).is_file():
                message = f"no trainer's guide: write {shown}/{guide}"
                problems.append(Problem(f"{shown}/{path.name}", 1, message))
                continue
            for language in wanted:
                translated = f"{match['stem']}.guide.{language}.md"
                if not (folder / translated).is_file():
                    message = f"no '{language}' translation: write {shown}/{translated}"
                    problems.append(Problem(f"{shown}/{guide}", 1, message))
    return problems
