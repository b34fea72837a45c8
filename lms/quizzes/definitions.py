"""A quiz: GIFT questions plus Tugi's settings, kept in ``// @key: value`` lines at the top.

Moodle's import ignores ``//`` lines, so a quiz file moves between Tugi and Moodle unchanged::

    // @title: Boundaries and ethics
    // @course: support-role
    // @lesson: boundaries-and-ethics
    // @pass-mark: 70
    // @attempts: 3
    // @time-limit: 20
    // @shuffle: questions answers
    // @review: score feedback answers

A quiz with any problem is left out whole: serving part of a quiz would change its grading.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lms.courses.api import Problem
from lms.quizzes import gift

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SETTING = re.compile(r"^@([a-z-]+)\s*:\s*(.*)$")
REVIEW_OPTIONS = ("score", "feedback", "answers")
SHUFFLE_OPTIONS = ("questions", "answers")
MAX_KEY_LENGTH = 120
#: The language quiz files are written in; translations sit beside them as ``<slug>.<lang>.gift``.
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Quiz:
    """A quiz as served: its settings and questions; ``version`` changes with its source."""

    slug: str
    title: str
    questions: tuple[gift.Question, ...]
    source: str = ""
    course: str = ""
    lesson: str = ""
    pass_mark: float = 70.0
    attempts: int = 0  # 0: no limit
    time_limit: int = 0  # minutes; 0: no limit
    shuffle_questions: bool = False
    shuffle_answers: bool = True
    review: frozenset[str] = frozenset(REVIEW_OPTIONS)
    origin: str = "file"  # or "upload"
    path: str = ""
    keys: tuple[str, ...] = field(default=(), compare=False)
    language: str = SOURCE_LANGUAGE
    #: The title in each language a served translation exists in (see ``translations.py``).
    titles: dict[str, str] = field(default_factory=dict, compare=False)

    def title_for(self, language: str) -> str:
        """The title in ``language`` when a translation gives one, else this quiz's own."""
        return self.titles.get(language, self.title)

    @property
    def version(self) -> str:
        return hashlib.sha256(self.source.encode()).hexdigest()[:16]

    def question(self, key: str) -> gift.Question | None:
        try:
            return self.questions[self.keys.index(key)]
        except ValueError:
            return None

    @property
    def graded(self) -> list[tuple[str, gift.Question]]:
        """(key, question) of every question that carries a mark."""
        return [(k, q) for k, q in zip(self.keys, self.questions, strict=True) if q.graded]

    def settings_header(self) -> list[str]:
        """The ``@`` lines that carry this quiz's settings."""
        shuffle = [
            name
            for name, on in (
                ("questions", self.shuffle_questions),
                ("answers", self.shuffle_answers),
            )
            if on
        ]
        lines = [f"@title: {self.title}"]
        lines += [f"@course: {self.course}"] if self.course else []
        lines += [f"@lesson: {self.lesson}"] if self.lesson else []
        lines += [
            f"@pass-mark: {self.pass_mark:g}",
            f"@attempts: {self.attempts}",
            f"@time-limit: {self.time_limit}",
            f"@shuffle: {' '.join(shuffle) or 'none'}",
            f"@review: {' '.join(o for o in REVIEW_OPTIONS if o in self.review) or 'none'}",
        ]
        return lines

    def to_gift(self) -> str:
        """The quiz as a GIFT file, settings first."""
        return gift.write(list(self.questions), self.settings_header())


def _number(value: str, low: float, high: float, integer: bool) -> float | None:
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


def _words(value: str, allowed: tuple[str, ...]) -> set[str] | None:
    words = set(re.split(r"[\s,]+", value.strip().lower())) - {""}
    if words == {"none"}:
        return set()
    return words if words <= set(allowed) else None


def read_settings(header: list[tuple[int, str]], report) -> dict:
    settings: dict = {}
    for line, text in header:
        match = SETTING.match(text)
        if not match:
            if text.startswith("@"):
                report(line, "a setting is written '// @name: value'")
            continue
        name, value = match.group(1), match.group(2).strip()
        if name in settings:
            report(line, f"'@{name}' is set twice")
        elif name == "title":
            if value:
                settings["title"] = value
            else:
                report(line, "'@title' is empty")
        elif name in ("course", "lesson"):
            if SLUG.match(value):
                settings[name] = value
            else:
                report(line, f"'@{name}' must be a slug like 'support-role'")
        elif name == "pass-mark":
            number = _number(value, 0, 100, integer=False)
            if number is None:
                report(line, "'@pass-mark' must be a percentage from 0 to 100")
            else:
                settings["pass_mark"] = number
        elif name in ("attempts", "time-limit"):
            number = _number(value, 0, 1000, integer=True)
            if number is None:
                report(line, f"'@{name}' must be a whole number from 0 (no limit) to 1000")
            else:
                settings[name.replace("-", "_")] = number
        elif name == "shuffle":
            words = _words(value, SHUFFLE_OPTIONS)
            if words is None:
                report(line, "'@shuffle' takes 'questions', 'answers', both, or 'none'")
            else:
                settings["shuffle_questions"] = "questions" in words
                settings["shuffle_answers"] = "answers" in words
        elif name == "review":
            words = _words(value, REVIEW_OPTIONS)
            if words is None:
                report(line, "'@review' takes any of 'score', 'feedback', 'answers', or 'none'")
            else:
                settings["review"] = frozenset(words)
        else:
            report(line, f"unknown setting '@{name}'")
    return settings


def question_keys(questions: list[gift.Question], report) -> tuple[str, ...]:
    """A stable key per question: its title, or its position when it has none."""
    keys, seen = [], set()
    for number, question in enumerate(questions, start=1):
        key = question.title or f"#{number}"
        if len(key) > MAX_KEY_LENGTH:
            report(question.line, f"the title is longer than {MAX_KEY_LENGTH} characters")
        elif key in seen:
            report(question.line, f"two questions have the title '{key}'")
        seen.add(key)
        keys.append(key)
    return tuple(keys)


def read_quiz(
    slug: str,
    text: str,
    path: str,
    *,
    origin: str = "file",
    lessons: set[tuple[str, str]] | None = None,
) -> tuple[Quiz | None, list[Problem]]:
    """Parse a quiz; the quiz is None when anything is wrong. ``lessons`` checks the links."""
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    if not SLUG.match(slug):
        report(1, f"'{slug}' is not a quiz name: use lower-case letters, digits and hyphens")
    parsed = gift.parse(text)
    for problem in parsed.problems:
        report(problem.line, problem.message)
    settings = read_settings(parsed.header, report)
    if "title" not in settings:
        report(1, "no '// @title: ...' line at the top of the file")
    if not any(question.graded for question in parsed.questions) and not parsed.problems:
        report(1, "the quiz has no question that carries a mark")
    if "lesson" in settings and "course" not in settings:
        report(1, "'@lesson' needs '@course' too")
    if lessons is not None and "course" in settings:
        courses = {course for course, _ in lessons}
        if settings["course"] not in courses:
            report(1, f"unknown course '{settings['course']}'")
        elif "lesson" in settings and (settings["course"], settings["lesson"]) not in lessons:
            report(1, f"course '{settings['course']}' has no lesson '{settings['lesson']}'")
    keys = question_keys(parsed.questions, report)
    if problems:
        return None, problems
    quiz = Quiz(
        slug=slug,
        questions=tuple(parsed.questions),
        source=text,
        origin=origin,
        path=path,
        keys=keys,
        **settings,
    )
    return quiz, problems


@dataclass
class QuizSet:
    """The quizzes shipped in ``quizzes/``, and every problem found in them."""

    quizzes: dict[str, Quiz] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: slug -> language -> its translation file as read (``translations.Translation``)
    translations: dict[str, dict] = field(default_factory=dict)

    def get(self, slug: str) -> Quiz | None:
        return self.quizzes.get(slug)


def read_quiz_file(path: Path, root: Path, lessons=None) -> tuple[Quiz | None, list[Problem]]:
    """Read one ``.gift`` file; bad UTF-8 is a problem with its line, not a crash."""
    try:
        shown = str(path.relative_to(root))
    except ValueError:
        shown = str(path)
    text, problem = gift.decode(path.read_bytes())
    if problem:
        return None, [Problem(shown, problem.line, problem.message)]
    return read_quiz(path.stem, text, shown, lessons=lessons)


def load_quizzes(content_dir: Path, lessons: set[tuple[str, str]] | None = None) -> QuizSet:
    """Every ``quizzes/*.gift`` file under ``content_dir`` but translations (``x.uk.gift``),
    which ``translations.load_all`` reads."""
    result = QuizSet()
    for path in sorted((Path(content_dir) / "quizzes").glob("*.gift")):
        if "." in path.stem:
            continue
        quiz, problems = read_quiz_file(path, Path(content_dir), lessons)
        result.problems += problems
        if quiz:
            result.quizzes[quiz.slug] = quiz
    return result
