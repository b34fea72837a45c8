"""The shipped quizzes read as a trainer would want them: checked from the files themselves."""

import re
from collections import defaultdict
from pathlib import Path

import pytest

from lms.quizzes import gift

QUIZZES = Path(__file__).resolve().parent.parent / "quizzes"
FILES = sorted(QUIZZES.glob("*.gift"))
#: how feedback starts when it tells the reader they were right, or wrong, in each language
RIGHT = {"en": ("Right", "Correct"), "et": ("Õige",), "uk": ("Правильно", "Вірно", "Так.")}
WRONG = {"en": ("Not right", "No.", "No,", "Wrong"), "et": ("Ei ole õige", "Vale", "Ei."),
         "uk": ("Неправильно", "Не зовсім", "Ні.", "Ні,")}  # fmt: skip


def _language(path: Path) -> str:
    parts = path.name.split(".")
    return parts[1] if len(parts) == 3 else "en"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_true_false_feedback_speaks_to_the_answer_given(path):
    """GIFT's first feedback is for a wrong answer: {TRUE#shown when wrong#shown when right}."""
    language = _language(path)
    backwards = []
    for question in gift.parse(path.read_text(encoding="utf-8")).questions:
        if question.kind != "truefalse":
            continue
        for answer in question.answers:
            said = answer.feedback.strip()
            if answer.fraction > 0 and said.startswith(WRONG[language]):
                backwards.append(f"{question.title}: a right answer is told '{said[:30]}'")
            if answer.fraction <= 0 and said.startswith(RIGHT[language]):
                backwards.append(f"{question.title}: a wrong answer is told '{said[:30]}'")
    assert backwards == []


def test_no_question_is_asked_twice_across_the_quizzes():
    """A trainee who takes every quiz meets each question once (by its title, per language)."""
    seen = defaultdict(list)
    for path in FILES:
        for question in gift.parse(path.read_text(encoding="utf-8")).questions:
            title = re.sub(r"\s+", " ", question.title.strip().lower())
            if title:
                seen[(_language(path), title)].append(path.name)
    twice = {key: names for key, names in seen.items() if len(names) > 1}
    assert twice == {}
