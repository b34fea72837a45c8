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
A warning (two questions with the same name, which Moodle allows) does not stop it.

A shipped quiz must name its title; a file exported from Moodle has no ``@`` lines, so checking
or uploading one takes the title from its first ``$CATEGORY`` or from the file's name.
"""

import hashlib
import re
import zlib
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


def pack(text: str) -> bytes:
    """GIFT text as a quiz keeps it until read: zlib's fastest level, paid once at start-up."""
    return zlib.compress(text.encode("utf-8"), 1)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8") if packed else ""


def digest(text: str) -> str:
    """A quiz's version: the first 16 hex digits of its source's SHA-256."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Quiz:
    """A quiz as served: its settings and questions; ``version`` changes with its source.

    The questions are parsed from the source the first time they are read, then kept: a lesson
    page or a home names a quiz by its title, settings and ``graded_count``, so a worker holds
    the questions only of the quizzes people open (every shipped quiz parsed, in every language,
    was about 3 MB in each worker). The source is kept zlib-compressed meanwhile."""

    slug: str
    title: str
    #: the GIFT file as read, compressed (``source`` gives it back)
    packed: bytes = field(default=b"", repr=False)
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
    #: Things worth knowing that do not stop the quiz, e.g. two questions with one name.
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    version: str = ""
    #: How many questions carry a mark, known without parsing them (lists of quizzes show it).
    graded_count: int = 0
    #: The questions once parsed; None until ``questions`` is first read. A translation's
    #: quiz is always made with its own (the source would give the source's words).
    parsed_questions: tuple[gift.Question, ...] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def source(self) -> str:
        """The GIFT file as read."""
        return unpack(self.packed)

    @property
    def questions(self) -> tuple[gift.Question, ...]:
        """The questions, parsed from the source on first read and kept with the quiz."""
        if self.parsed_questions is None:
            # Parsing again gives what read_quiz checked: the same text, the same parser.
            object.__setattr__(self, "parsed_questions", tuple(gift.parse(self.source).questions))
        return self.parsed_questions

    def title_for(self, language: str) -> str:
        """The title in ``language`` when a translation gives one, else this quiz's own."""
        return self.titles.get(language, self.title)

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


def question_keys(questions: list[gift.Question], report, warn=None) -> tuple[str, ...]:
    """A stable key per question: its title, or its position when it has none. A name used
    again (Moodle allows it) is kept apart as 'Q (2)', 'Q (3)', never taking another
    question's own name, and ``warn`` is told."""
    bases = [question.title or f"#{number}" for number, question in enumerate(questions, 1)]
    own_names = set(bases)
    keys: list[str] = []
    taken: set[str] = set()
    # Sets, and each name's copies counted on from the last one given: a bank of 1,000
    # questions all named alike must not take 1,000 x 1,000 steps.
    last_copy: dict[str, int] = {}
    for base, question in zip(bases, questions, strict=True):
        key = base
        if key in taken:
            copy = last_copy.get(base, 1)
            while key in taken or (key != base and key in own_names):
                copy += 1
                key = f"{base} ({copy})"
            last_copy[base] = copy
        taken.add(key)
        if len(key) > MAX_KEY_LENGTH:
            report(question.line, f"the title is longer than {MAX_KEY_LENGTH} characters")
        elif key != base and warn is not None:
            warn(question.line, f"another question is also named '{base}': this one is "
                 f"kept as '{key}'")  # fmt: skip
        keys.append(key)
    return tuple(keys)


def title_from(parsed: gift.Parsed, file_name: str = "") -> str:
    """A title for a file without ``@title`` (as Moodle exports it): the last part of its
    first ``$CATEGORY`` (not Moodle's '$course$' or 'top'), else the file's name."""
    for category in parsed.categories[:1]:
        parts = [p.strip() for p in category.split("/") if p.strip()]
        parts = [p for p in parts if p != "top" and not re.fullmatch(r"\$\w+\$", p)]
        if parts:
            return parts[-1][:160]
    stem = Path(file_name).stem if file_name else ""
    return " ".join(re.split(r"[\s_]+", stem)).strip()[:160]


def read_quiz(
    slug: str,
    text: str,
    path: str,
    *,
    origin: str = "file",
    lessons: set[tuple[str, str]] | None = None,
    file_name: str | None = None,
) -> tuple[Quiz | None, list[Problem]]:
    """Parse a quiz; the quiz is None when anything is wrong. ``lessons`` checks the links.
    With ``file_name`` (a file from Moodle) no ``@title`` is needed: see ``title_from``."""
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    def warn(line: int, message: str) -> None:
        warnings.append(Problem(path, line, message))

    if not SLUG.match(slug):
        report(1, f"'{slug}' is not a quiz name: use lower-case letters, digits and hyphens")
    parsed = gift.parse(text)
    for problem in parsed.problems:
        report(problem.line, problem.message)
    settings = read_settings(parsed.header, report)
    if "title" not in settings and file_name is not None:
        settings["title"] = title_from(parsed, file_name) or slug
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
    keys = question_keys(parsed.questions, report, warn)
    if problems:
        return None, problems
    quiz = Quiz(
        slug=slug,
        packed=pack(text),
        version=digest(text),
        graded_count=sum(question.graded for question in parsed.questions),
        parsed_questions=tuple(parsed.questions),  # parsed already: an upload is read to be used
        origin=origin,
        path=path,
        keys=keys,
        warnings=tuple(warnings),
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


def slug_from(name: str) -> str:
    """A quiz name made from a file's name ('Week 3 (EN).txt' -> 'week-3-en')."""
    return re.sub(r"[^a-z0-9]+", "-", Path(name).stem.lower()).strip("-")[:80] or "quiz"


def read_quiz_file(
    path: Path, root: Path, lessons=None, *, shipped: bool = True
) -> tuple[Quiz | None, list[Problem]]:
    """Read one ``.gift`` file; bad UTF-8 is a problem with its line, not a crash. A file not
    ``shipped`` may be any Moodle GIFT file: its name need not be a quiz name, nor its title
    written."""
    try:
        shown = str(path.relative_to(root))
    except ValueError:
        shown = str(path)
    text, problem = gift.decode(path.read_bytes())
    if problem:
        return None, [Problem(shown, problem.line, problem.message)]
    if shipped:
        return read_quiz(path.stem, text, shown, lessons=lessons)
    return read_quiz(slug_from(path.name), text, shown, lessons=lessons, file_name=path.name)


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
