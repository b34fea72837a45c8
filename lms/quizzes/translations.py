"""Quiz translations: ``quizzes/<slug>.<lang>.gift`` beside the source ``<slug>.gift``.

A translation carries only its title (``// @title:``) and the same questions in the same order,
each of the same type with the same answers, marks, numbers and pairs; names, stems, answers and
feedback are translated. Short-answer questions list their own accepted answers. Every
difference from the source is a problem with the translation's file and line, and a translation
with a problem is not served. Settings, question keys and answer positions always come from the
source, so an answer stored in one language means the same in every other. Translators'
guide: docs/translating-quizzes.md.
"""

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lms.courses.api import Problem
from lms.quizzes import gift
from lms.quizzes.definitions import (
    SETTING,
    SLUG,
    SOURCE_LANGUAGE,
    Quiz,
    QuizSet,
    digest,
    load_quizzes,
    pack,
    read_quiz_file,
    read_settings,
    unpack,
)

TRANSLATION_FILE = re.compile(r"^(?P<slug>[^.]+)\.(?P<lang>[^.]+)\.gift$")
KIND_NAMES = {
    "multichoice": "a multiple-choice question",
    "multiresponse": "a multiple-answer question",
    "truefalse": "a true/false question",
    "shortanswer": "a short-answer question",
    "numerical": "a numerical question",
    "matching": "a matching question",
    "essay": "an essay",
    "description": "a description",
}
_CACHE_SIZE = 512


@dataclass(frozen=True)
class Translation:
    """A translation file as read, before it is compared with its source. Its text is kept
    compressed and parsed again when the quiz is read in its language (``parse``)."""

    slug: str
    language: str
    path: str
    title: str
    packed: bytes = field(repr=False)
    digest: str
    problems: tuple[Problem, ...]  # found in the file alone (GIFT, title)
    unparsed: bool  # a question failed to parse, so later ones cannot be paired with the source
    #: the file parsed, kept only while it is checked at loading (``load_all`` drops it)
    parsed: gift.Parsed | None = field(default=None, compare=False, repr=False)

    def parse(self) -> gift.Parsed:
        """The file's questions and header."""
        return self.parsed if self.parsed is not None else gift.parse(unpack(self.packed))


def read_translation(slug: str, language: str, text: str, path: str) -> Translation:
    """Parse a translation file; its problems that need no source are kept with it."""
    parsed = gift.parse(text)
    problems = [Problem(path, p.line, p.message) for p in parsed.problems]
    titles = [
        (line, match.group(2).strip())
        for line, comment in parsed.header
        if (match := SETTING.match(comment)) and match.group(1) == "title"
    ]
    if not titles:
        problems.append(Problem(path, 1, "no '// @title: ...' line with the translated title"))
    problems += [Problem(path, line, "'@title' is set twice") for line, _ in titles[1:]]
    problems += [Problem(path, line, "'@title' is empty") for line, title in titles if not title]
    return Translation(
        slug, language, path, titles[0][1] if titles else "", pack(text), digest(text),
        tuple(problems), bool(parsed.problems), parsed,
    )  # fmt: skip


def _setting_problems(source: Quiz, translation: Translation, header) -> list[Problem]:
    """Settings come from the source: a written one must say what the source says."""
    problems: list[Problem] = []
    wanted = dict(line.split(": ", 1) for line in source.settings_header())

    def report(line: int, message: str) -> None:
        problems.append(Problem(translation.path, line, message))

    for line, text in header:
        match = SETTING.match(text)
        if match is None or match.group(1) == "title":
            read_settings([(line, text)], report)  # a malformed '@' line is still reported
            continue
        name = match.group(1)
        given = read_settings([(line, text)], report)
        if given and given != {key: getattr(source, key, None) for key in given}:
            source_value = wanted.get(f"@{name}", "not set")
            report(line, f"'@{name}' comes from the source ({source_value}); leave it out")
    return problems


def _percent(fraction: float) -> str:
    return gift.percent(fraction) + "%"


def _question_problems(number: int, source: gift.Question, ours: gift.Question) -> list[str]:
    """How one translated question differs in structure from its source question."""
    kind = source.kind
    if ours.kind != kind:
        return [f"question {number} is {KIND_NAMES[ours.kind]}; the source's is {KIND_NAMES[kind]}"]
    if kind in ("shortanswer", "essay", "description"):
        return []
    noun = "pairs" if kind == "matching" else "answers"
    if len(ours.answers) != len(source.answers):
        return [f"question {number} has {len(ours.answers)} {noun}; the source has "
                f"{len(source.answers)}"]  # fmt: skip
    if kind == "truefalse":
        if ours.answers[0].fraction != source.answers[0].fraction:
            verdict = "TRUE" if source.answers[0].fraction == 1.0 else "FALSE"
            return [f"question {number} must be {verdict}, as in the source"]
        return []
    found = []
    for index, (theirs, mine) in enumerate(zip(source.answers, ours.answers, strict=True), 1):
        where = f"question {number}, {'pair' if kind == 'matching' else 'answer'} {index}"
        if kind == "matching" and bool(theirs.text) != bool(mine.text):
            found.append(f"{where}: only one of the two has nothing before '->' (a distractor)")
        elif mine.fraction != theirs.fraction:
            found.append(f"{where} is worth {_percent(mine.fraction)}; in the source "
                         f"{_percent(theirs.fraction)}")  # fmt: skip
        if kind == "numerical" and (mine.value, mine.tolerance) != (theirs.value, theirs.tolerance):
            found.append(f"{where} is {_number(mine)}; in the source {_number(theirs)}")
    if kind == "matching" and not found and _pairing(ours) != _pairing(source):
        found.append(f"question {number}: a right-hand side repeats where the source's does not "
                     "(or the other way round)")  # fmt: skip
    return found


def _number(answer: gift.Answer) -> str:
    return "any other number" if answer.any_number else f"{answer.value:g} ± {answer.tolerance:g}"


def _pairing(question: gift.Question) -> list[int]:
    """Which distinct right-hand side each pair has, by first appearance."""
    seen: list[str] = []
    for answer in question.answers:
        if answer.match not in seen:
            seen.append(answer.match)
    return [seen.index(answer.match) for answer in question.answers]


def compare(
    source: Quiz, translation: Translation, parsed: gift.Parsed | None = None
) -> list[Problem]:
    """Every way the translation differs from the source quiz in what it may not change
    (``parsed``: the translation's file, when the caller has parsed it already)."""
    parsed = translation.parse() if parsed is None else parsed
    problems = list(translation.problems) + _setting_problems(source, translation, parsed.header)
    if translation.unparsed:
        return problems  # a question that failed to parse would shift every later one
    ours, theirs = parsed.questions, source.questions
    for number, (mine, original) in enumerate(zip(ours, theirs, strict=False), 1):
        problems += [Problem(translation.path, mine.line, m)
                     for m in _question_problems(number, original, mine)]  # fmt: skip
    if len(ours) != len(theirs):
        line = ours[len(theirs)].line if len(ours) > len(theirs) else (ours[-1].line if ours else 1)
        problems.append(Problem(translation.path, line, f"the translation has {len(ours)} "
                                f"questions; the source has {len(theirs)}"))  # fmt: skip
    return problems


_applied: dict[tuple, tuple[Quiz | None, list[Problem]]] = {}


def apply(source: Quiz, translation: Translation) -> tuple[Quiz | None, list[Problem]]:
    """The source quiz in the translation's words (keys and settings kept), or None and why."""
    key = (source.slug, source.version, translation.language, translation.digest)
    if key not in _applied:
        if len(_applied) >= _CACHE_SIZE:
            _applied.clear()
        parsed = translation.parse()
        problems = compare(source, translation, parsed)
        quiz = None
        if not problems:
            questions = tuple(
                replace(
                    mine, category=original.category, idnumber=original.idnumber, tags=original.tags
                )
                for mine, original in zip(parsed.questions, source.questions, strict=True)
            )
            quiz = replace(source, title=translation.title, parsed_questions=questions,
                           language=translation.language, path=translation.path)  # fmt: skip
        _applied[key] = (quiz, problems)
    return _applied[key]


def localize(quizzes: QuizSet, quiz: Quiz, language: str) -> Quiz | None:
    """``quiz`` (any version of it) in ``language``; None when no fitting translation exists."""
    if language == quiz.language:
        return quiz
    translation = quizzes.translations.get(quiz.slug, {}).get(language)
    return apply(quiz, translation)[0] if translation else None


def versions(quizzes: QuizSet, quiz: Quiz) -> list[Quiz]:
    """The quiz and every served translation of it: what a short answer may match."""
    found = [quiz]
    for language in sorted(quizzes.translations.get(quiz.slug, {})):
        local = localize(quizzes, quiz, language)
        found += [local] if local is not None and local is not quiz else []
    return found


def languages_of(quizzes: QuizSet, quiz: Quiz) -> list[str]:
    """The languages the quiz can be read in: the source's first."""
    return [version.language for version in versions(quizzes, quiz)]


def _read_all(content_dir: Path, result: QuizSet, languages) -> None:
    root = Path(content_dir)
    for path in sorted((root / "quizzes").glob("*.*.gift")):
        shown = str(path.relative_to(root))
        match = TRANSLATION_FILE.match(path.name)
        if not match or not SLUG.match(match["slug"]):
            result.problems.append(Problem(shown, 1, "a translation is named '<quiz>.<language>"
                                           ".gift', like 'support-role-01.uk.gift'"))  # fmt: skip
            continue
        slug, language = match["slug"], match["lang"]
        others = sorted(code for code in languages if code != SOURCE_LANGUAGE)
        if language not in others:
            message = f"'{language}' is not a language to translate into ({', '.join(others)})"
            result.problems.append(Problem(shown, 1, message))
            continue
        if not (root / "quizzes" / f"{slug}.gift").is_file():
            result.problems.append(Problem(shown, 1, f"translation without a source quiz "
                                           f"'{slug}.gift'"))  # fmt: skip
            continue
        text, problem = gift.decode(path.read_bytes())
        if problem:
            result.problems.append(Problem(shown, problem.line, problem.message))
            continue
        result.translations.setdefault(slug, {})[language] = read_translation(
            slug, language, text, shown
        )


def load_all(content_dir: Path, lessons=None, languages=()) -> QuizSet:
    """The shipped quizzes with their translations; each served translation's title is set on
    its quiz, and every problem of every translation is listed.

    Every file is parsed and checked here, but no parsed question is kept: each quiz and
    translation keeps its text compressed, and is parsed again when somebody opens it."""
    result = load_quizzes(content_dir, lessons)
    _read_all(content_dir, result, languages)
    for slug, quiz in result.quizzes.items():
        titles = {}
        for language, translation in sorted(result.translations.get(slug, {}).items()):
            # compare, not apply: apply would keep the translated questions in its cache
            problems = compare(quiz, translation)
            result.problems += problems
            if not problems:
                titles[language] = translation.title
        result.quizzes[slug] = replace(quiz, titles=titles, parsed_questions=None)
    for by_language in result.translations.values():
        for language, translation in by_language.items():
            by_language[language] = replace(translation, parsed=None)
    result.problems.sort()
    return result


def missing(content_dir: Path, quizzes: QuizSet, languages) -> list[Problem]:
    """A problem for each shipped quiz without a translation file in one of ``languages``."""
    folder = Path(content_dir) / "quizzes"
    return [
        Problem(
            f"quizzes/{slug}.gift",
            1,
            f"no '{language}' translation: write quizzes/{slug}.{language}.gift",
        )  # fmt: skip
        for slug in sorted(quizzes.quizzes)
        for language in languages
        if language != SOURCE_LANGUAGE and not (folder / f"{slug}.{language}.gift").is_file()
    ]


def check_file(path: Path, root: Path, lessons=None) -> list[Problem]:
    """``lms quizzes check x.uk.gift``: the translation against ``x.gift`` beside it."""
    try:
        shown = str(path.relative_to(root))
    except ValueError:
        shown = str(path)
    match = TRANSLATION_FILE.match(path.name)
    source_path = path.with_name(f"{match['slug']}.gift") if match else None
    if source_path is None or not source_path.is_file():
        return [Problem(shown, 1, "a translation is checked beside its source '<quiz>.gift'")]
    source, problems = read_quiz_file(source_path, root, lessons)
    text, problem = gift.decode(path.read_bytes())
    if problem:
        return problems + [Problem(shown, problem.line, problem.message)]
    translation = read_translation(match["slug"], match["lang"], text, shown)
    return problems + (compare(source, translation) if source else list(translation.problems))
