"""Answers and their marks, by Moodle's partial-credit rules. Plain functions, no database.

An answer is stored as small JSON: ``{"choice": 2}``, ``{"choices": [0, 3]}``, ``{"text": "..."}``
or ``{"pairs": {"0": 1, "1": 0}}`` (matching: left item -> right-hand option). Ids are positions in
the question as written, so shuffling the display never changes what an answer means.
"""

import re

from lms.errors import DomainError
from lms.quizzes.gift import Question

MAX_TEXT = {"shortanswer": 500, "numerical": 100, "essay": 20_000}


class AnswerError(DomainError):
    """An answer that does not fit its question (a tampered form, most likely)."""


def match_options(question: Question) -> list[str]:
    """The right-hand options of a matching question, each once, in the order written."""
    options: list[str] = []
    for answer in question.answers:
        if answer.match not in options:
            options.append(answer.match)
    return options


def match_items(question: Question) -> list[int]:
    """Positions of the matching pairs that have a left side (the rest are distractors)."""
    return [index for index, answer in enumerate(question.answers) if answer.text]


def _choice(value: str, count: int) -> int:
    if not re.fullmatch(r"\d{1,4}", value or "") or int(value) >= count:
        raise AnswerError("That is not one of this question's choices.")
    return int(value)


def read_answer(question: Question, values: list[str], pairs: dict[str, str]) -> dict | None:
    """Turn submitted form values into a stored answer; None when the answer was cleared."""
    kind = question.kind
    if kind in ("multichoice", "truefalse"):
        value = next((v for v in values if v), "")
        return {"choice": _choice(value, len(question.answers))} if value else None
    if kind == "multiresponse":
        chosen = sorted({_choice(v, len(question.answers)) for v in values if v})
        return {"choices": chosen} if chosen else None
    if kind == "matching":
        items, options = match_items(question), match_options(question)
        chosen = {}
        for item, option in pairs.items():
            if not option:
                continue
            if _choice(item, len(question.answers)) not in items:
                raise AnswerError("That is not one of this question's items.")
            chosen[str(int(item))] = _choice(option, len(options))
        return {"pairs": chosen} if chosen else None
    if kind in MAX_TEXT:
        text = (values[0] if values else "").strip()
        if len(text) > MAX_TEXT[kind]:
            raise AnswerError(f"The answer is longer than {MAX_TEXT[kind]} characters.")
        return {"text": text} if text else None
    raise AnswerError("This question takes no answer.")


def _pattern(answer: str) -> re.Pattern:
    """A short-answer pattern: ``*`` matches anything, ``\\*`` is a star; case is ignored."""
    parts = re.split(r"(\\\*|\*)", answer.strip())
    regex = "".join(
        ".*" if part == "*" else re.escape("*") if part == "\\*" else re.escape(part)
        for part in parts
    )
    return re.compile(rf"^{regex}$", re.IGNORECASE | re.DOTALL)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip())


def parse_number(text: str) -> float | None:
    """A typed number; a decimal comma is accepted, as many trainees write one."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return None
    return float(text)


def matched_answer(question: Question, answer: dict | None) -> int | None:
    """For short-answer and numerical questions: which written answer the response matched."""
    if not answer or "text" not in answer:
        return None
    if question.kind == "shortanswer":
        typed = _squash(answer["text"])
        return next(
            (i for i, a in enumerate(question.answers) if _pattern(_squash(a.text)).match(typed)),
            None,
        )
    if question.kind == "numerical":
        number = parse_number(answer["text"])
        if number is None:
            return None
        return next(
            (
                i
                for i, a in enumerate(question.answers)
                if a.any_number
                or abs(number - a.value) <= a.tolerance + 1e-9 * max(1.0, abs(a.value))
            ),
            None,
        )
    return None


def best_match(questions, answer: dict | None) -> tuple[Question, int] | None:
    """Among the same short-answer question in several languages: the (question, answer
    position) the typed answer matches with the highest weight; in each, the first match."""
    found = [
        (question, index)
        for question in questions
        if (index := matched_answer(question, answer)) is not None
    ]
    return max(found, key=lambda pair: pair[0].answers[pair[1]].fraction, default=None)


def grade(question: Question, answer: dict | None, alternates=()) -> float | None:
    """The fraction of the mark earned, from -1 to 1 (choice questions can cost marks);
    None for an essay that waits for a trainer. ``alternates``: the question in other
    languages, whose accepted short answers count too."""
    kind = question.kind
    if kind == "essay":
        return None if answer and answer.get("text") else 0.0
    if not answer:
        return 0.0
    answers = question.answers
    if kind in ("multichoice", "truefalse"):
        choice = answer.get("choice")
        return answers[choice].fraction if isinstance(choice, int) and choice < len(answers) else 0
    if kind == "multiresponse":
        total = sum(answers[i].fraction for i in answer.get("choices", []) if i < len(answers))
        return min(max(total, 0.0), 1.0)
    if kind == "shortanswer":
        found = best_match([question, *alternates], answer)
        return 0.0 if found is None else max(found[0].answers[found[1]].fraction, 0.0)
    if kind == "numerical":
        index = matched_answer(question, answer)
        return 0.0 if index is None else max(answers[index].fraction, 0.0)
    if kind == "matching":
        options = match_options(question)
        items = match_items(question)
        pairs = answer.get("pairs", {})
        right = sum(
            1
            for item in items
            if (chosen := pairs.get(str(item))) is not None
            and chosen < len(options)
            and options[chosen] == answers[item].match
        )
        return right / len(items)
    return 0.0


def _earned(question: Question, answer: dict | None, alternates=()) -> list[tuple[Question, int]]:
    """(question, answer position) of each written answer the trainee's answer chose or matched
    (a short answer typed in another language: that language's, when the reader's has none)."""
    if not answer:
        return []
    if question.kind in ("multichoice", "truefalse"):
        choice = answer.get("choice")
        return [(question, choice)] if choice is not None else []
    if question.kind == "multiresponse":
        return [(question, i) for i in answer.get("choices", [])]
    index = matched_answer(question, answer)
    if question.kind == "shortanswer" and index is None:
        found = best_match(alternates, answer)
        return [found] if found else []
    return [(question, index)] if index is not None else []


def feedback_with_format(question: Question, answer: dict | None, alternates=()):
    """(feedback, format) of each answer the trainee's answer earns, in its own format."""
    return [
        (q.answers[i].feedback, q.field_format(q.answers[i].feedback_format))
        for q, i in _earned(question, answer, alternates)
    ]


def feedback_for(question: Question, answer: dict | None, alternates=()) -> list[str]:
    """The per-answer feedback the trainee's answer earns."""
    return [text for text, _ in feedback_with_format(question, answer, alternates)]


def right_answers_with_format(question: Question) -> list[tuple[str, str]]:
    """(text, format) of the right answers, for the review page."""
    kind, answers = question.kind, question.answers

    def shown(chosen) -> list[tuple[str, str]]:
        return [(a.text, question.field_format(a.format)) for a in chosen]

    if kind == "shortanswer":  # like Moodle, the first fully right answer (not every spelling)
        return shown([next(a for a in answers if a.fraction == 1.0)])
    if kind in ("multichoice", "truefalse"):
        best = max(a.fraction for a in answers)
        return shown(a for a in answers if a.fraction == best)
    if kind == "multiresponse":
        return shown(a for a in answers if a.fraction > 0)
    if kind == "numerical":
        return [
            (f"{a.value:g}" + (f" ± {a.tolerance:g}" if a.tolerance else ""), "plain")
            for a in answers
            if a.fraction == 1.0 and not a.any_number
        ]
    if kind == "matching":
        return [
            (f"{a.text} → {a.match}", question.field_format(a.format)) for a in answers if a.text
        ]
    return []


def right_answers(question: Question) -> list[str]:
    """The right answers as text, for the review page."""
    return [text for text, _ in right_answers_with_format(question)]
