"""Course content on disk: the shapes of courses and lessons, and the checks of their files.

Layout: ``courses/<course>/course.yaml`` (+ ``course.<lang>.yaml``), one ``NN-slug.md`` per lesson
with YAML front matter, translations beside their source as ``NN-slug.<lang>.md``, and the lesson's
trainer's guide as ``NN-slug.guide.md`` (``NN-slug.guide.<lang>.md``). Every problem is reported
with its file and line; a broken lesson is left out, never taking the site down.
"""

import re
import zlib
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from pathlib import Path

from lms.rendering import Rendered, render_markdown

LESSON_FILE = re.compile(r"^(?P<stem>\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<lang>[a-z]{2}))?\.md$")
GUIDE_FILE = re.compile(
    r"^(?P<stem>\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)\.guide(?:\.(?P<lang>[a-z]{2}))?\.md$"
)
COURSE_FIELDS = {"title": str, "summary": str, "order": int, "language": str}
#: optional: which part of its training a course is; None when the course stands alone
COURSE_OPTIONAL_FIELDS = {"part": int}
LESSON_FIELDS = {"title": str, "summary": str, "order": int, "minutes": int, "objectives": list}
TRANSLATION_FIELDS = {"title": str, "summary": str, "objectives": list}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
LINK_PATTERN = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
CALLOUT_PATTERN = re.compile(r"^!!!\s*(?P<kind>[^\s\"]*)\s*(?P<title>\".*\")?\s*$")
SCHEME_PATTERN = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in a content file, at a line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class _Deferred:
    """A text whose Markdown is rendered the first time its ``body`` is read, then kept.

    Loading a catalogue checks every file but renders nothing, so that a server starts in a
    second and holds only the lessons people open (rendering all of them took seconds). Until
    then the Markdown is kept compressed (``markdown`` gives it back): every lesson and guide in
    every language, 5 MB as text, is 1.6 MB so, in every worker."""

    _packed: bytes
    base_url: str | None

    def __post_init__(self, markdown: str) -> None:
        self._packed = zlib.compress(markdown.encode("utf-8"), 1)  # fastest: paid at start

    @property
    def markdown(self) -> str:
        """The body as written."""
        return zlib.decompress(self._packed).decode("utf-8")

    @cached_property
    def body(self) -> Rendered:
        """The sanitised HTML, its headings and words (see ``lms.rendering.Rendered``)."""
        return render_markdown(self.markdown, base_url=self.base_url)


@dataclass
class LessonText(_Deferred):
    """A lesson in one language; ``markdown`` (given as text, kept compressed) is its body as
    written, links relative to ``base_url``."""

    language: str
    title: str
    summary: str
    objectives: list[str]
    markdown: InitVar[str]
    base_url: str | None = None
    _packed: bytes = field(init=False, repr=False)


@dataclass
class GuideText(_Deferred):
    """A trainer's guide in one language (``markdown`` and ``base_url`` as for a lesson)."""

    language: str
    title: str
    markdown: InitVar[str]
    base_url: str | None = None
    _packed: bytes = field(init=False, repr=False)


@dataclass
class Guide:
    """A lesson's trainer's guide: the plan of its classroom session, with translations."""

    session_minutes: int
    source: GuideText
    translations: dict[str, GuideText] = field(default_factory=dict)

    def text_for(self, language: str) -> GuideText:
        """The guide in ``language`` if translated, else in its source language."""
        return self.translations.get(language, self.source)


@dataclass
class Lesson:
    """A lesson with its source text and translations."""

    course_slug: str
    slug: str
    order: int
    minutes: int
    source: LessonText
    translations: dict[str, LessonText] = field(default_factory=dict)
    #: the trainer's guide, for the trainers of the course's cohorts and coordinators only
    guide: Guide | None = None

    def text_for(self, language: str) -> LessonText:
        """The lesson in ``language`` if translated, else in its source language."""
        return self.translations.get(language, self.source)


@dataclass
class Course:
    """A course: its description (with translations) and its lessons in order."""

    slug: str
    title: str
    summary: str
    part: int | None
    order: int
    language: str
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    lessons: list[Lesson] = field(default_factory=list)

    def title_for(self, language: str) -> str:
        """The course title in ``language`` if translated."""
        return self.translations.get(language, {}).get("title", self.title)

    def summary_for(self, language: str) -> str:
        """The course summary in ``language`` if translated."""
        return self.translations.get(language, {}).get("summary", self.summary)

    @property
    def minutes(self) -> int:
        """Estimated minutes for the whole course."""
        return sum(lesson.minutes for lesson in self.lessons)

    def lesson(self, slug: str) -> Lesson | None:
        """The lesson with ``slug``, or None."""
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)


@dataclass
class Catalog:
    """Every course that loaded, and every problem found on the way."""

    courses: list[Course] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def course(self, slug: str) -> Course | None:
        """The course with ``slug``, or None."""
        return next((course for course in self.courses if course.slug == slug), None)


class Reporter:
    """Collects problems with paths shown relative to the content folder."""

    def __init__(self, root: Path, problems: list[Problem]):
        self.root, self.problems, self.count = root, problems, 0

    def __call__(self, path: Path, line: int, message: str) -> None:
        try:
            shown = path.relative_to(self.root)
        except ValueError:
            shown = path
        self.problems.append(Problem(str(shown), line, message))
        self.count += 1


def key_line(lines: list[str], key: str, offset: int) -> int:
    for number, text in enumerate(lines, start=1):
        if re.match(rf"^{re.escape(key)}\s*:", text):
            return number + offset
    return offset or 1


def check_fields(data: dict, fields: dict, lines, offset, report, path, allowed=None) -> bool:
    ok = True
    for key, kind in fields.items():
        value = data.get(key)
        if value is None or (isinstance(value, str | list) and not value):
            report(path, offset or 1, f"missing required field '{key}'")
            ok = False
        elif not isinstance(value, kind) or isinstance(value, bool):
            report(path, key_line(lines, key, offset), f"'{key}' must be {kind.__name__}")
            ok = False
        elif kind is list and not all(isinstance(item, str) and item for item in value):
            report(
                path,
                key_line(lines, key, offset),
                f"'{key}' must be a list of texts (put an item in quotes if it contains ': ')",
            )
            ok = False
    for key in data:
        if key not in (allowed or fields):
            report(path, key_line(lines, key, offset), f"unknown field '{key}'")
            ok = False
    return ok


def load_yaml(text: str, path: Path, report, first_line: int = 1) -> dict | None:
    # imported once a file is read: a start that finds its content kept reads no YAML at all
    import yaml

    # libyaml's parser when PyYAML was built with it: several times faster at start-up
    fast_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        try:
            data = yaml.load(text, Loader=fast_loader) or {}  # noqa: S506 (a safe loader)
        except yaml.YAMLError:  # read again by PyYAML's own parser, whose lines and words are exact
            data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        report(path, line, f"malformed YAML: {getattr(error, 'problem', None) or error}")
        return None
    if not isinstance(data, dict):
        report(path, first_line, "expected 'key: value' lines")
        return None
    return data


def split_front_matter(text: str, path: Path, report) -> tuple[dict | None, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        report(path, 1, "the file must start with front matter between '---' lines")
        return None, text, 1
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        report(path, 1, "front matter is not closed with a '---' line")
        return None, text, 1
    data = load_yaml("\n".join(lines[1:end]), path, report, first_line=2)
    return data, "\n".join(lines[end + 1 :]), end + 2
