"""Load and check every course under ``<content dir>/courses``: ``load_catalog``."""

from pathlib import Path

from lms.courses import guides
from lms.courses.checks import check_body, read_file, read_front_matter
from lms.courses.content import (
    COURSE_FIELDS,
    COURSE_OPTIONAL_FIELDS,
    LESSON_FIELDS,
    LESSON_FILE,
    TRANSLATION_FIELDS,
    Catalog,
    Course,
    Lesson,
    LessonText,
    Reporter,
    check_fields,
    load_yaml,
)
from lms.rendering import lesson_slug


def _load_text(path, language, fields, courses_dir, base_url, report):
    """Read one lesson file; return (front matter, LessonText) or None when it has problems."""
    before = report.count
    if (read := read_front_matter(path, report)) is None:
        return None
    data, body, body_line, lines = read
    check_fields(data, fields, lines, 1, report, path, allowed=LESSON_FIELDS)
    check_body(body, body_line, path, courses_dir, report)
    if report.count > before:
        return None
    title, summary = data["title"].strip(), data["summary"].strip()
    return data, LessonText(language, title, summary, list(data["objectives"]), body, base_url)


def _load_course(folder: Path, courses_dir: Path, report) -> Course | None:
    meta_path = folder / "course.yaml"
    if not meta_path.is_file():
        report(folder, 1, "course folder without course.yaml")
        return None
    text = read_file(meta_path, report)
    meta = load_yaml(text, meta_path, report) if text is not None else None
    if meta is None:
        return None
    lines = text.split("\n")
    allowed = COURSE_FIELDS | COURSE_OPTIONAL_FIELDS
    present = {key: kind for key, kind in COURSE_OPTIONAL_FIELDS.items() if key in meta}
    if not check_fields(meta, COURSE_FIELDS | present, lines, 0, report, meta_path, allowed):
        return None
    course = Course(folder.name, meta["title"].strip(), meta["summary"].strip(), meta.get("part"),
                    meta["order"], meta["language"])  # fmt: skip
    for translated in sorted(folder.glob("course.*.yaml")):
        language = translated.name.split(".")[1]
        text = read_file(translated, report)
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
    sources, translations, guide_files = {}, [], []
    for path in sorted(folder.glob("*.md")):
        match = LESSON_FILE.match(path.name)
        if guides.GUIDE_FILE.match(path.name):
            guide_files.append(path)
        elif not match:
            report(
                path,
                1,
                "lesson file names look like '01-short-title.md' or '01-short-title.et.md' "
                "(a trainer's guide: '01-short-title.guide.md')",
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
    guides.load_guides(guide_files, sources, lessons, course, courses_dir, report)
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
