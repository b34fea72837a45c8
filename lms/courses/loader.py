"""Load and check every course under ``<content dir>/courses``: ``load_catalog``."""

from pathlib import Path

from lms.courses.content import (
    CALLOUT_PATTERN,
    COURSE_FIELDS,
    IMAGE_SUFFIXES,
    LESSON_FIELDS,
    LESSON_FILE,
    LINK_PATTERN,
    SCHEME_PATTERN,
    TRANSLATION_FIELDS,
    Catalog,
    Course,
    Lesson,
    LessonText,
    Reporter,
    check_fields,
    load_yaml,
    split_front_matter,
)
from lms.rendering import CALLOUTS, lesson_slug, render_markdown


def _check_body(body: str, first_line: int, path: Path, courses_dir: Path, report) -> None:
    """Callouts must be of a known kind; links and images must resolve inside the content."""
    fenced = False
    for number, line in enumerate(body.split("\n"), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if fenced:
            continue
        callout = CALLOUT_PATTERN.match(line)
        if line.startswith("!!!"):
            if not callout or callout["kind"] not in CALLOUTS:
                kind = callout["kind"] if callout else line[3:].strip()
                report(path, number, f"unknown callout '{kind}' (use {', '.join(CALLOUTS)})")
            elif not callout["title"]:
                report(path, number, f"callout '{callout['kind']}' needs a title in quotes")
        for target in LINK_PATTERN.findall(line):
            _check_target(target, number, path, courses_dir, report)


def _check_target(target: str, line: int, path: Path, courses_dir: Path, report) -> None:
    scheme = SCHEME_PATTERN.match(target)
    if scheme:
        if scheme[1].lower() not in {"http", "https", "mailto"}:
            report(path, line, f"unsafe link '{target}'")
        return
    if target.startswith("#"):
        return
    if target.startswith("/"):
        report(path, line, f"link '{target}' must be relative to the lesson file")
        return
    file_part = target.split("#", 1)[0]
    resolved = (path.parent / file_part).resolve()
    if courses_dir.resolve() not in resolved.parents:
        report(path, line, f"link '{target}' points outside the courses folder")
    elif file_part.endswith(".md"):
        match = LESSON_FILE.match(resolved.name)
        if not resolved.is_file():
            report(path, line, f"broken link: '{target}' does not exist")
        elif not match or match["lang"]:
            report(path, line, f"link '{target}' must point at a lesson's source file")
    elif resolved.suffix.lower() in IMAGE_SUFFIXES:
        if not resolved.is_file():
            report(path, line, f"missing image '{target}'")
    else:
        report(path, line, f"link '{target}' is neither a lesson, an image nor a web address")


def _read(path: Path, report) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        report(path, 1, f"not UTF-8 text ({error.reason})")
    except OSError as error:
        report(path, 1, f"cannot be read ({error.strerror})")
    return None


def _load_text(path, language, fields, courses_dir, base_url, report):
    """Read one lesson file; return (front matter, LessonText) or None when it has problems."""
    before = report.count
    text = _read(path, report)
    if text is None:
        return None
    data, body, body_line = split_front_matter(text, path, report)
    if data is None:
        return None
    lines = text.split("\n")[1:]
    check_fields(data, fields, lines, 1, report, path, allowed=LESSON_FIELDS)
    _check_body(body, body_line, path, courses_dir, report)
    if report.count > before:
        return None
    rendered = render_markdown(body, base_url=base_url)
    return data, LessonText(
        language, data["title"].strip(), data["summary"].strip(), list(data["objectives"]), rendered
    )


def _load_course(folder: Path, courses_dir: Path, report) -> Course | None:
    meta_path = folder / "course.yaml"
    if not meta_path.is_file():
        report(folder, 1, "course folder without course.yaml")
        return None
    text = _read(meta_path, report)
    meta = load_yaml(text, meta_path, report) if text is not None else None
    if meta is None or not check_fields(
        meta, COURSE_FIELDS, text.split("\n"), 0, report, meta_path
    ):
        return None
    course = Course(folder.name, meta["title"].strip(), meta["summary"].strip(), meta["part"],
                    meta["order"], meta["language"])  # fmt: skip
    for translated in sorted(folder.glob("course.*.yaml")):
        language = translated.name.split(".")[1]
        text = _read(translated, report)
        data = load_yaml(text, translated, report) if text is not None else None
        fields = {"title": str, "summary": str}
        if data is not None and check_fields(data, fields, text.split("\n"), 0, report, translated):
            course.translations[language] = {k: v.strip() for k, v in data.items()}
    _load_lessons(course, folder, courses_dir, report)
    if (
        not course.lessons
    ):  # nothing to read: left out, and said so when no other problem explains it
        if not any(
            p.path.startswith(str(folder.relative_to(report.root))) for p in report.problems
        ):
            report(meta_path, 1, "the course has no lessons")
        return None
    return course


def _load_lessons(course: Course, folder: Path, courses_dir: Path, report) -> None:
    base_url = f"/courses/{course.slug}/"
    sources, translations = {}, []
    for path in sorted(folder.glob("*.md")):
        match = LESSON_FILE.match(path.name)
        if not match:
            report(
                path, 1, "lesson file names look like '01-short-title.md' or '01-short-title.et.md'"
            )
        elif match["lang"]:
            translations.append((path, match["stem"], match["lang"]))
        else:
            sources[match["stem"]] = path
    orders: dict[int, str] = {}
    lessons: dict[str, Lesson] = {}
    for stem, path in sources.items():
        loaded = _load_text(path, course.language, LESSON_FIELDS, courses_dir, base_url, report)
        if loaded is None:
            continue
        data, text = loaded
        slug = lesson_slug(stem)
        lines = path.read_text(encoding="utf-8-sig").split("\n")[1:]
        order_line = next((i for i, t in enumerate(lines, start=2) if t.startswith("order")), 1)
        if data["order"] in orders:
            report(
                path,
                order_line,
                f"order {data['order']} is already used by {orders[data['order']]}",
            )
            continue
        if any(lesson.slug == slug for lesson in lessons.values()):
            report(path, 1, f"duplicate lesson slug '{slug}'")
            continue
        orders[data["order"]] = path.name
        lessons[stem] = Lesson(course.slug, slug, data["order"], data["minutes"], text)
    for path, stem, language in translations:
        lesson = lessons.get(stem)
        if stem not in sources:
            report(path, 1, f"translation without a source lesson '{stem}.md'")
            continue
        loaded = _load_text(path, language, TRANSLATION_FIELDS, courses_dir, base_url, report)
        if loaded is None or lesson is None:
            continue
        data, text = loaded
        for key in ("order", "minutes"):
            if key in data and data[key] != getattr(lesson, key):
                report(path, 1, f"'{key}' differs from the source lesson ({getattr(lesson, key)})")
        lesson.translations[language] = text
    course.lessons = sorted(lessons.values(), key=lambda lesson: lesson.order)


def load_catalog(content_dir: Path) -> Catalog:
    """Load every course under ``content_dir/courses``; problems are collected, never raised."""
    catalog = Catalog()
    courses_dir = Path(content_dir) / "courses"
    report = Reporter(Path(content_dir), catalog.problems)
    if not courses_dir.is_dir():
        report(courses_dir, 1, "no courses folder")
        return catalog
    orders: dict[int, str] = {}
    for folder in sorted(p for p in courses_dir.iterdir() if p.is_dir()):
        course = _load_course(folder, courses_dir, report)
        if course is None:
            continue
        if course.order in orders:
            report(
                folder / "course.yaml",
                1,
                f"order {course.order} is already used by {orders[course.order]}",
            )
            continue
        orders[course.order] = course.slug
        catalog.courses.append(course)
    catalog.courses.sort(key=lambda course: course.order)
    catalog.problems.sort()
    return catalog
