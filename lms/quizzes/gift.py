"""Moodle's GIFT quiz format: read it, check it, and write it back.

The grammar follows Moodle's ``qformat_gift``: questions are separated by blank lines, ``//``
lines are comments, ``::title::`` names a question, ``[markdown]`` and friends set its format, and
the answer block in braces decides its type. As in Moodle, every answer, feedback, general feedback
and matching item may carry a format tag of its own (kept per field, "" meaning "as the question"),
a numerical question may end in ``~#feedback`` for any other number, and a comment line in the
question's block may give its Moodle id number and tags: ``// [id:role-1] [tag:ethics]``.

Where Moodle silently misreads a file (a non-numeric numerical answer, a stray brace, a choice
question with one choice) we report a problem with its line instead, and the question is left
out.
"""

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

FORMATS = ("moodle", "html", "plain", "markdown")
KINDS = (
    "multichoice",  # one right answer: radio buttons
    "multiresponse",  # weighted answers, several may be chosen: check boxes
    "truefalse",
    "shortanswer",
    "numerical",
    "matching",
    "essay",
    "description",
)
GRADED_KINDS = frozenset(KINDS) - {"description"}
MANUAL_KINDS = frozenset({"essay"})

# An escaped special character stands in as a private-use character while the block is split.
_SPECIALS = "\\~=#{}:"
_PLACEHOLDER = {char: chr(0xE000 + index) for index, char in enumerate(_SPECIALS)}
_NEWLINE = chr(0xE000 + len(_SPECIALS))
_RESTORE = {v: k for k, v in _PLACEHOLDER.items()} | {_NEWLINE: "\n"}
_RESTORE_TABLE = str.maketrans(_RESTORE)  # one C call per text, not a Python step per character
_RESERVED = re.compile("[\ue000-\ue00f]")
_FORMAT_TAG = re.compile(r"^\[([A-Za-z]+)\]")
_WEIGHT = re.compile(r"^%([^%]*)%")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
# Moodle's own patterns (qformat_gift::extract_idnumber_and_tags_from_comment).
_ID_NUMBER = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")


#: Questions one file may hold; a bigger bank is split into several quizzes.
MAX_QUESTIONS = 1000


class GiftError(ValueError):
    """A problem in one question, at an offset into its (escaped) block."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message, self.offset = message, offset


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer of a question. ``fraction`` is its share of the mark, from -1 to 1."""

    text: str = ""
    fraction: float = 0.0
    feedback: str = ""
    value: float | None = None  # numerical: the number expected
    tolerance: float = 0.0  # numerical: how far from it still counts
    match: str = ""  # matching: the right-hand side of the pair
    format: str = ""  # the text's own format tag; "" means the question's format
    feedback_format: str = ""  # the feedback's own format tag; "" means the question's format

    @property
    def any_number(self) -> bool:
        """Numerical: the ``*`` answer (Moodle's ``~#feedback``) that any other number gets."""
        return self.value is None


@dataclass(frozen=True, slots=True)
class Question:
    """A parsed question; ``line`` is where its block starts in the file."""

    kind: str
    text: str
    title: str = ""
    format: str = "moodle"
    answers: tuple[Answer, ...] = ()
    general_feedback: str = ""
    tail: str = ""  # missing-word questions: the text after the blank
    category: str = ""
    line: int = field(default=0, compare=False)
    feedback_format: str = ""  # the general feedback's own format; "" means the question's
    idnumber: str = ""  # Moodle's id number, from ``// [id:...]``
    tags: tuple[str, ...] = ()  # Moodle's tags, from ``// [tag:...]``

    def field_format(self, own: str) -> str:
        """The format a field is shown in: its own tag, else the question's."""
        return own or self.format

    @property
    def graded(self) -> bool:
        return self.kind in GRADED_KINDS

    def as_dict(self) -> dict:
        """The question as plain data (``lms quizzes check --json``)."""
        answers = []
        for answer in self.answers:
            item: dict = {"text": answer.text, "fraction": answer.fraction}
            if answer.format:
                item["format"] = answer.format
            if answer.feedback:
                item["feedback"] = answer.feedback
            if answer.feedback_format:
                item["feedback_format"] = answer.feedback_format
            if self.kind == "numerical":
                item |= {"value": answer.value, "tolerance": answer.tolerance}
                item["text"] = (
                    "*" if answer.any_number else f"{answer.value:g} ± {answer.tolerance:g}"
                )
            if self.kind == "matching":
                item["match"] = answer.match
            answers.append(item)
        data = {
            "type": self.kind,
            "title": self.title,
            "text": self.text,
            "format": self.format,
            "answers": answers,
            "feedback": self.general_feedback,
            "line": self.line,
        }
        if self.tail:
            data["tail"] = self.tail
        if self.feedback_format:
            data["feedback_format"] = self.feedback_format
        if self.category:
            data["category"] = self.category
        if self.idnumber:
            data["idnumber"] = self.idnumber
        if self.tags:
            data["tags"] = list(self.tags)
        return data


@dataclass(frozen=True)
class GiftProblem:
    line: int
    message: str


@dataclass
class Parsed:
    """The questions that parsed, the problems found, and the leading comment lines."""

    questions: list[Question] = field(default_factory=list)
    problems: list[GiftProblem] = field(default_factory=list)
    header: list[tuple[int, str]] = field(default_factory=list)  # (line, text after //)
    categories: list[str] = field(default_factory=list)  # every ``$CATEGORY``, in order


# --- reading ---------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str | None, GiftProblem | None]:
    """UTF-8 text of a file, or a problem naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        return None, GiftProblem(line, f"the file is not UTF-8 text (byte 0x{byte:02x})")


def _escape_source(text: str) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        return _NEWLINE if char == "n" else _PLACEHOLDER[char]

    return re.sub(r"\\([\\~=#{}:n])", replace, text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE_TABLE).strip()


def _blocks(text: str):
    """(first line number, lines) of each run of non-blank lines."""
    start, lines = 0, []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not lines:
                start = number
            lines.append(line.rstrip())
        elif lines:
            yield start, lines
            lines = []
    if lines:
        yield start, lines


def parse(text: str) -> Parsed:
    """Parse GIFT text. Every question that fails is reported with its line and left out.

    After ``MAX_QUESTIONS`` questions the rest is not read: one problem says so.
    """
    result = Parsed()
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    category, seen_question = "", False
    for start, lines in _blocks(text):
        if len(result.questions) + len(result.problems) >= MAX_QUESTIONS:
            result.problems.append(
                GiftProblem(
                    start,
                    f"a quiz holds at most {MAX_QUESTIONS} questions: "
                    "split the rest into another quiz",
                )
            )
            break
        kept, first, comments = [], None, []
        for offset, line in enumerate(lines):
            stripped = line.strip()
            if stripped.startswith("//"):
                if not seen_question and first is None:
                    result.header.append((start + offset, stripped[2:].strip()))
                if not stripped[2:].lstrip().startswith("@"):  # Tugi's settings are not tags
                    comments.append(stripped)
                kept.append("")  # keeps line numbers; Moodle turns it into a space
                continue
            if first is None:
                first = offset
            kept.append(line)
        if first is None:
            continue
        seen_question = True
        block = "\n".join(kept[first:])
        line = start + first
        reserved = _RESERVED.search(block)
        if reserved:
            result.problems.append(
                GiftProblem(
                    line + block.count("\n", 0, reserved.start()),
                    "the text holds a private-use character (U+E000-U+E00F) that GIFT cannot carry",
                )
            )
            continue
        escaped = _escape_source(block)
        try:
            if escaped.strip().startswith("$CATEGORY:"):
                category = _restore(escaped.strip()[len("$CATEGORY:") :])
                result.categories.append(category)
                continue
            question = _parse_question(escaped, line, category)
            idnumber, tags = id_number_and_tags("\n".join(comments))
            result.questions.append(replace(question, idnumber=idnumber, tags=tags))
        except GiftError as error:
            result.problems.append(
                GiftProblem(line + escaped.count("\n", 0, error.offset), error.message)
            )
    return result


def id_number_and_tags(comment: str) -> tuple[str, tuple[str, ...]]:
    """Moodle's id number (the first ``[id:...]``) and tags (every ``[tag:...]``) in the
    comment lines of a question; ``\\]`` is a ``]`` inside one."""
    found = _ID_NUMBER.search(comment)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = tuple(raw.strip().replace("\\]", "]") for raw in _TAG.findall(comment))
    return idnumber, tuple(tag for tag in tags if tag)


def _field(text: str, question_format: str) -> tuple[str, str]:
    """(text, own format) of an answer or feedback: a known leading tag is taken off, as Moodle
    does; a tag naming the question's format is the same as none."""
    text = text.strip()
    tag = _FORMAT_TAG.match(text)
    if not tag or tag.group(1).lower() not in FORMATS:
        return _restore(text), ""
    own = tag.group(1).lower()
    return _restore(text[tag.end() :]), ("" if own == question_format else own)


def _split_format(text: str, offset: int) -> tuple[str, str | None]:
    stripped = text.lstrip()
    match = _FORMAT_TAG.match(stripped)
    if not match:
        return text, None
    name = match.group(1).lower()
    if name not in FORMATS:
        raise GiftError(
            f"unknown format [{match.group(1)}]: use one of "
            + ", ".join(f"[{f}]" for f in FORMATS)
            + " (to show brackets, start the text with [moodle])",
            offset,
        )
    return stripped[match.end() :], name


def _parse_question(block: str, line: int, category: str) -> Question:
    body, title = block.lstrip(), ""
    lead = len(block) - len(body)
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            raise GiftError("the title has no closing '::'", lead)
        title = _restore(body[2:end])
        if not title:
            raise GiftError("the title between '::' and '::' is empty", lead)
        lead += end + 2
        body = body[end + 2 :]
    opening, closing = body.find("{"), body.find("}")
    if closing >= 0 and (opening < 0 or closing < opening):
        raise GiftError("a '}' with no '{' before it (write \\} for a brace in the text)",
                        lead + closing)  # fmt: skip
    text, text_format = _split_format(body if opening < 0 else body[:opening], lead)
    text_format = text_format or "moodle"
    if opening < 0:
        text = _restore(text)
        if not text:
            raise GiftError("the question is empty", lead)
        return Question("description", text, title, text_format, category=category, line=line)
    if closing < 0:
        raise GiftError("the answers' '{' is never closed with '}'", lead + opening)
    stray = re.search(r"[{}]", body[closing + 1 :])
    if stray:
        raise GiftError(
            "a second brace after the answers (write \\{ or \\} for a brace in the text)",
            lead + closing + 1 + stray.start(),
        )
    text, tail = _restore(text), _restore(body[closing + 1 :])
    if not text:
        raise GiftError("the question has no text before its answers", lead + opening)
    where = lead + opening
    if "{" in body[opening + 1 : closing]:
        raise GiftError("a second '{' before the answers' '}'", where)
    general, general_format = "", ""
    block = body[opening + 1 : closing]
    if "####" in block:
        block, general = block.split("####", 1)
        general, general_format = _field(general, text_format)
    kind, answers = _parse_answers(block, where, text_format)
    if tail and kind in ("matching", "essay"):
        raise GiftError(f"a {kind} question cannot have text after its answers", lead + closing)
    return Question(kind, text, title, text_format, answers, general, tail, category, line,
                    feedback_format=general_format)  # fmt: skip


def _parse_answers(block: str, where: int, fmt: str) -> tuple[str, tuple[Answer, ...]]:
    """The type and answers of an answer block (general feedback already taken off)."""
    stripped = block.strip()
    if not stripped:
        return "essay", ()
    if stripped.startswith("#"):
        return "numerical", _numerical(stripped[1:].strip(), where, fmt)
    if "~" in stripped:
        single = "=" in stripped
        return ("multichoice" if single else "multiresponse"), _choices(
            stripped, single, where, fmt
        )
    if "=" in stripped and "->" in stripped:
        return "matching", _matching(stripped, where, fmt)
    verdict = _TRUE_FALSE.get(stripped.split("#", 1)[0].strip())
    if verdict is not None:
        return "truefalse", _true_false(stripped, verdict, fmt)
    return "shortanswer", _short_answers(stripped, where, fmt)


def _weight(text: str, where: int) -> tuple[float | None, str]:
    """``%50%rest`` -> (0.5, rest); no weight -> (None, text)."""
    match = _WEIGHT.match(text)
    if not match:
        if text.startswith("%"):
            raise GiftError("an answer weight '%...' has no closing '%'", where)
        return None, text
    try:
        percent = Decimal(match.group(1).strip())
    except InvalidOperation:
        raise GiftError(f"the answer weight '%{match.group(1)}%' is not a number", where) from None
    if not percent.is_finite() or not -100 <= percent <= 100:
        raise GiftError(f"the answer weight {match.group(1)}% is not between -100% and 100%", where)
    return float(round(percent / 100, 7)), text[match.end() :]


def _answer(text: str, fmt: str, **extra) -> Answer:
    """``text#feedback``, each with its own format tag, as an answer (``extra``: its other
    fields)."""
    answer, _, feedback = text.partition("#")
    answer, answer_format = _field(answer, fmt)
    feedback, feedback_format = _field(feedback, fmt)
    return Answer(answer, feedback=feedback, format=answer_format,
                  feedback_format=feedback_format, **extra)  # fmt: skip


def _split_on(text: str, markers: str) -> list[tuple[str, str]]:
    """Split at every unescaped marker character, keeping which marker began each part."""
    parts, current, marker = [], [], ""
    for char in text:
        if char in markers:
            if current or marker:
                parts.append((marker, "".join(current)))
            current, marker = [], char
        else:
            current.append(char)
    parts.append((marker, "".join(current)))
    if parts and not parts[0][0] and not parts[0][1].strip():
        parts.pop(0)
    return parts


def _choices(text: str, single: bool, where: int, fmt: str) -> tuple[Answer, ...]:
    answers = []
    for marker, part in _split_on(text, "~="):
        if not marker:
            raise GiftError("text before the first '~' or '=' of the answers", where)
        weight, rest = _weight(part.strip(), where)
        fraction = weight if weight is not None else (1.0 if marker == "=" else 0.0)
        answer = _answer(rest, fmt, fraction=fraction)
        if not answer.text:
            raise GiftError("an empty answer", where)
        answers.append(answer)
    if len(answers) < 2:
        raise GiftError("a choice question needs at least two answers", where)
    best = max(a.fraction for a in answers)
    if single and best != 1.0:
        raise GiftError("no answer is fully right: mark one with '=' or '%100%'", where)
    if not single:
        positive = sum(a.fraction for a in answers if a.fraction > 0)
        if abs(positive - 1) > 0.001:
            raise GiftError(
                f"the right answers' weights add up to {positive * 100:g}%, not 100%", where
            )
    return tuple(answers)


def _true_false(text: str, verdict: bool, fmt: str) -> tuple[Answer, ...]:
    parts = [_field(part, fmt) for part in text.split("#", 2)] + [("", ""), ("", "")]
    (wrong, wrong_format), (right, right_format) = parts[1], parts[2]
    return (
        Answer("true", 1.0 if verdict else 0.0, right if verdict else wrong,
               feedback_format=right_format if verdict else wrong_format),
        Answer("false", 0.0 if verdict else 1.0, wrong if verdict else right,
               feedback_format=wrong_format if verdict else right_format),
    )  # fmt: skip


def _short_answers(text: str, where: int, fmt: str) -> tuple[Answer, ...]:
    parts = _split_on(text, "=")
    if not parts or parts[0][0] != "=":
        raise GiftError(
            "unrecognised answers: start each with '=' (short answer) or '~' (choice), "
            "or write T or F (true/false)",
            where,
        )
    answers = []
    for _, part in parts:
        weight, rest = _weight(part.strip(), where)
        answer = _answer(rest, fmt, fraction=1.0 if weight is None else weight)
        if not answer.text:
            raise GiftError("an empty answer", where)
        answers.append(answer)
    if max(a.fraction for a in answers) != 1.0:
        raise GiftError("no answer is fully right: give one answer without a weight", where)
    return tuple(answers)


def _number(text: str, where: int) -> float:
    text = text.strip()
    if not _NUMBER.match(text):
        hint = " (use a point, not a comma)" if re.match(r"^[+-]?\d+,\d+$", text) else ""
        raise GiftError(f"'{_restore(text)}' is not a number{hint}", where)
    return float(text)


def _numerical(text: str, where: int, fmt: str) -> tuple[Answer, ...]:
    text, other, otherwise = text.partition("~")  # Moodle: '~#feedback' for any other number
    parts = [("=", text)] if "=" not in text else _split_on(text, "=")
    if parts and parts[0][0] != "=":
        raise GiftError("text before the first '=' of the numerical answers", where)
    if other and (not text.strip() or "~" in otherwise):
        raise GiftError("a numerical question takes one '~#feedback', after its answers", where)
    answers = []
    for _, part in parts:
        weight, rest = _weight(part.strip(), where)
        spec, _, feedback = rest.partition("#")
        feedback, feedback_format = _field(feedback, fmt)
        if spec.strip() == "*":
            value, tolerance = None, 0.0
        elif ".." in spec:
            low, high = (_number(bound, where) for bound in spec.split("..", 1))
            if low > high:
                raise GiftError(f"the range {low:g}..{high:g} runs backwards", where)
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif ":" in spec:
            value_text, tolerance_text = spec.split(":", 1)
            value, tolerance = _number(value_text, where), _number(tolerance_text, where)
            if tolerance < 0:
                raise GiftError("a tolerance cannot be negative", where)
        else:
            value, tolerance = _number(spec, where), 0.0
        answers.append(
            Answer(
                "", 1.0 if weight is None else weight, feedback,
                value=value, tolerance=tolerance, feedback_format=feedback_format,
            )
        )  # fmt: skip
    if other:
        spec, _, feedback = otherwise.partition("#")
        if spec.strip() not in ("", "*"):
            raise GiftError("after '~' a numerical question takes only '#feedback'", where)
        feedback, feedback_format = _field(feedback, fmt)
        answers.append(Answer("", 0.0, feedback, value=None, feedback_format=feedback_format))
    if not answers or max(a.fraction for a in answers) != 1.0:
        raise GiftError("no numerical answer is fully right", where)
    return tuple(answers)


def _matching(text: str, where: int, fmt: str) -> tuple[Answer, ...]:
    pairs = []
    for marker, part in _split_on(text, "="):
        if marker != "=":
            raise GiftError("text before the first '=' of the matching pairs", where)
        if "->" not in part:
            raise GiftError("a matching pair needs '->' between its two sides", where)
        if "#" in part:
            raise GiftError("matching pairs have no feedback (write \\# for a '#')", where)
        left, right = part.split("->", 1)
        left, left_format = _field(left, fmt)
        right = _restore(right)
        if not right:
            raise GiftError("a matching pair has nothing after '->'", where)
        pairs.append(Answer(left, 1.0 if left else 0.0, match=right, format=left_format))
    if sum(1 for pair in pairs if pair.text) < 2:
        raise GiftError("a matching question needs at least two pairs", where)
    return tuple(pairs)


# --- writing ---------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text as GIFT writes it: special characters escaped, line breaks as ``\\n``."""
    for char in _SPECIALS:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def percent(fraction: float) -> str:
    """0.3333333 -> '33.33333' (exact for fractions with up to seven decimals)."""
    value = (Decimal(repr(fraction)) * 100).normalize()
    return f"{value:f}"


def _text(text: str, own: str, question_format: str) -> str:
    """A field as written: its format tag when it has its own (or when the text itself starts
    with '[', so that it is not read as a tag), then the escaped text."""
    text = escape(text)
    if text and (own and own != question_format or text.startswith("[")):
        text = f"[{own or question_format}]{text}"
    return text


def _feedback(answer: Answer, question_format: str) -> str:
    if not answer.feedback:
        return ""
    return "#" + _text(answer.feedback, answer.feedback_format, question_format)


def _weighted(marker: str, answer: Answer, plain: float, question_format: str) -> str:
    text = _text(answer.text, answer.format, question_format)
    explicit = answer.fraction != plain or text.startswith("%")  # else % would read as a weight
    weight = f"%{percent(answer.fraction)}%" if explicit else ""
    return f"    {marker}{weight}{text}{_feedback(answer, question_format)}"


def _numerical_block(question: Question) -> list[str]:
    answers, fmt = question.answers, question.format
    if len(answers) == 1 and answers[0].fraction == 1.0 and not answers[0].any_number:
        answer = answers[0]
        return [f"#{answer.value!r}:{answer.tolerance!r}{_feedback(answer, fmt)}"]
    lines = ["#"]
    for index, answer in enumerate(answers):
        if answer.any_number and answer.fraction == 0 and index == len(answers) - 1:
            lines.append(f"    ~{_feedback(answer, fmt) or '#'}")  # Moodle's own export form
            continue
        spec = "*" if answer.any_number else f"{answer.value!r}:{answer.tolerance!r}"
        weight = "" if answer.fraction == 1.0 else f"%{percent(answer.fraction)}%"
        lines.append(f"    ={weight}{spec}{_feedback(answer, fmt)}")
    return lines


def _answer_block(question: Question) -> list[str]:
    kind, answers, fmt = question.kind, question.answers, question.format
    if kind == "essay":
        return []
    if kind == "truefalse":
        verdict = answers[0].fraction == 1.0
        right = answers[0 if verdict else 1]
        wrong = answers[1 if verdict else 0]
        right_text = _text(right.feedback, right.feedback_format, fmt)
        wrong_text = _text(wrong.feedback, wrong.feedback_format, fmt)
        tail = f"#{wrong_text}#{right_text}" if right_text else (
            f"#{wrong_text}" if wrong_text else ""
        )  # fmt: skip
        return ["TRUE" + tail if verdict else "FALSE" + tail]
    if kind == "matching":
        return [f"    ={_text(a.text, a.format, fmt)} -> {escape(a.match)}" for a in answers]
    if kind == "numerical":
        return _numerical_block(question)
    if kind == "shortanswer":
        return [_weighted("=", answer, 1.0, fmt) for answer in answers]
    lines, marked = [], False
    for answer in answers:
        if kind == "multichoice" and answer.fraction == 1.0 and not marked:
            lines.append(_weighted("=", answer, 1.0, fmt))
            marked = True
        else:
            lines.append(_weighted("~", answer, 0.0, fmt))
    return lines


def _meta_comment(question: Question) -> str:
    """``// [id:...] [tag:...]`` as Moodle writes it, or "" when the question has neither."""
    items = [f"[id:{question.idnumber.replace(']', chr(92) + ']')}]"] if question.idnumber else []
    items += [f"[tag:{tag.replace(']', chr(92) + ']')}]" for tag in question.tags]
    return f"// {' '.join(items)}\n" if items else ""


def write_question(question: Question) -> str:
    """One question in GIFT."""
    head = _meta_comment(question)
    head += f"::{escape(question.title)}::" if question.title else ""
    text = escape(question.text)
    needs_tag = question.format != "moodle" or text.startswith(("[", "/", "$"))
    if needs_tag:
        head += f"[{question.format}]"
    if question.kind == "description":
        return head + text
    block = _answer_block(question)
    if question.general_feedback:
        general = _text(question.general_feedback, question.feedback_format, question.format)
        block.append(f"####{general}")
    answers = "{" + ("\n" + "\n".join(block) + "\n" if block else "") + "}"
    tail = f" {escape(question.tail)}" if question.tail else ""
    return f"{head}{text} {answers}{tail}"


def write(questions: list[Question], header: list[str] = ()) -> str:
    """Questions as a GIFT file; ``header`` lines are written first as ``//`` comments."""
    parts = [
        "\n".join(f"// {line}".rstrip() for line in header)
    ] if header else []  # fmt: skip
    category = ""
    for question in questions:
        if question.category != category:
            parts.append(f"$CATEGORY: {escape(question.category)}")
            category = question.category
        parts.append(write_question(question))
    return "\n\n".join(parts) + "\n"
