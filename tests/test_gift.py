"""The GIFT parser and writer: Moodle's grammar, the errors Moodle would swallow, the round trip,
random input, the shipped quizzes and ``lms quizzes check``."""

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.config import REPOSITORY_ROOT
from lms.quizzes import gift
from lms.quizzes.definitions import load_quizzes, read_quiz


def one(text: str) -> gift.Question:
    parsed = gift.parse(text)
    assert parsed.problems == [], parsed.problems
    assert len(parsed.questions) == 1
    return parsed.questions[0]


def problem(text: str) -> gift.GiftProblem:
    parsed = gift.parse(text)
    assert parsed.questions == [] and len(parsed.problems) == 1, parsed
    return parsed.problems[0]


# --- the grammar -----------------------------------------------------------------------------


def test_multiple_choice_with_title_feedback_and_general_feedback():
    question = one("::Role::Who decides? {=The client#Yes ~The worker#No ####Empowerment.}")
    assert question.kind == "multichoice" and question.title == "Role"
    assert question.text == "Who decides?"
    assert [(a.text, a.fraction, a.feedback) for a in question.answers] == [
        ("The client", 1.0, "Yes"),
        ("The worker", 0.0, "No"),
    ]
    assert question.general_feedback == "Empowerment."


def test_multiple_answers_take_negative_and_decimal_weights():
    question = one("Pick. {~%33.33333%a ~%33.33333%b ~%33.33334%c ~%-50%d ~%-100%e}")
    assert question.kind == "multiresponse"
    assert [a.fraction for a in question.answers] == [0.3333333, 0.3333333, 0.3333334, -0.5, -1.0]


@pytest.mark.parametrize(
    ("block", "right"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)]
)
def test_true_false_in_every_spelling_with_both_feedbacks(block, right):
    question = one(f"The sky is green. {{{block}#wrong answer#right answer}}")
    assert question.kind == "truefalse"
    true, false = question.answers
    assert (true.fraction, false.fraction) == ((1.0, 0.0) if right else (0.0, 1.0))
    chosen_right = true if right else false
    chosen_wrong = false if right else true
    assert chosen_right.feedback == "right answer" and chosen_wrong.feedback == "wrong answer"


def test_short_answer_with_several_weighted_answers():
    question = one("Helpline? {=116111 =%50%116 111#Almost =%0%112#That is emergencies}")
    assert question.kind == "shortanswer"
    assert [(a.text, a.fraction) for a in question.answers] == [
        ("116111", 1.0),
        ("116 111", 0.5),
        ("112", 0.0),
    ]


def test_numerical_with_tolerance_range_and_several_answers():
    assert one("Pi? {#3.14:0.01}").answers[0].value == 3.14
    ranged = one("Hours? {#20..30#Between}").answers[0]
    assert (ranged.value, ranged.tolerance, ranged.feedback) == (25.0, 5.0, "Between")
    several = one("Year? {# =1991:0 =%50%1991:2#Close}")
    assert [(a.value, a.tolerance, a.fraction) for a in several.answers] == [
        (1991.0, 0.0, 1.0),
        (1991.0, 2.0, 0.5),
    ]
    assert several.kind == "numerical"


def test_matching_pairs_and_a_distractor():
    question = one("Match. {=CARe -> method =GDPR -> privacy =-> distractor}")
    assert question.kind == "matching"
    assert [(a.text, a.match) for a in question.answers] == [
        ("CARe", "method"),
        ("GDPR", "privacy"),
        ("", "distractor"),
    ]


def test_missing_word_keeps_the_text_after_the_block():
    question = one("The client {=decides ~is told} about their own life.")
    assert (question.text, question.tail) == ("The client", "about their own life.")


def test_essay_description_category_comments_and_formats():
    parsed = gift.parse(
        "// a comment line\n$CATEGORY: tugi/role\n\n::E::[markdown]Write **why**. {}\n\n"
        "[html]<p>Read this first.</p>\n\n::P::[plain]Plain <b>text</b> {T}"
    )
    essay, description, plain = parsed.questions
    assert (essay.kind, essay.format, essay.category) == ("essay", "markdown", "tugi/role")
    assert (description.kind, description.format) == ("description", "html")
    assert (plain.format, plain.text) == ("plain", "Plain <b>text</b>")


def test_escapes_and_line_breaks():
    question = one(r"Say \{hi\}\: a\=b, c\~d, \#1 and \\ {=x\: y\nz}")
    assert question.text == "Say {hi}: a=b, c~d, #1 and \\"
    assert question.answers[0].text == "x: y\nz"


def test_comment_lines_inside_a_question_do_not_split_it():
    question = one("Who?\n// a note for the author\n{=me ~you}")
    assert question.kind == "multichoice"


def test_questions_carry_the_line_they_start_on():
    parsed = gift.parse("// header\n\nQ one {T}\n\n\n::two::Q two\n{F}")
    assert [q.line for q in parsed.questions] == [3, 6]


# --- what Moodle would misread ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("Q {=a ~b} }", "second brace", 1),
        ("Q } {=a ~b}", "'}' with no '{'", 1),
        ("Q {=a ~b", "never closed", 1),
        ("Q {=a {~b}", "second '{'", 1),
        ("::Title Q {=a ~b}", "title has no closing", 1),
        ("[latex]Q {T}", "unknown format [latex]", 1),
        ("Q {#three}", "'three' is not a number", 1),
        ("Q {#1,5}", "use a point, not a comma", 1),
        ("Q {~only one}", "at least two answers", 1),
        ("Q {=only one ~}", "an empty answer", 1),
        ("Q {~a ~b}", "add up to 0%", 1),
        ("Q {=a ~%120%b}", "between -100% and 100%", 1),
        ("Q {=a ~%x%b}", "is not a number", 1),
        ("Q {just text}", "unrecognised answers", 1),
        ("Q {#5..1}", "runs backwards", 1),
        ("Q {=a -> b}", "at least two pairs", 1),
        ("Q {=a -> b =c}", "needs '->'", 1),
        ("Q {=a -> b =c -> d} after", "cannot have text after", 1),
        ("\n\nfirst line\n{=a ~b}\n}", "second brace", 5),
    ],
)
def test_each_misreading_is_a_problem_on_its_line(text, message, line):
    found = problem(text)
    assert message in found.message
    assert found.line == line


def test_a_bad_question_is_left_out_and_the_others_kept():
    parsed = gift.parse("Good {T}\n\nBad {#x}\n\nAlso good {F}")
    assert [q.text for q in parsed.questions] == ["Good", "Also good"]
    assert [p.line for p in parsed.problems] == [3]


def test_invalid_utf8_names_the_line():
    text, found = gift.decode(b"Q1 {T}\n\nQ2 {F}\n" + b"\xff\xfe")
    assert text is None and found.line == 4 and "not UTF-8" in found.message


# --- writing it back -------------------------------------------------------------------------

SAFE_TEXT = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Co"), blacklist_characters="\u2028\u2029\x85"
    )
    | st.sampled_from(list("~=#{}:\\\n[]/%-> ")),
    min_size=1,
    max_size=25,
).map(str.strip)
TEXT = SAFE_TEXT.filter(lambda t: t and "->" not in t and "\n" not in t[:1])
FRACTION = st.integers(-10_000, 10_000).map(lambda n: n / 10_000)


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(gift.KINDS))
    title = draw(st.one_of(st.just(""), TEXT))
    text = draw(TEXT)
    fmt = draw(st.sampled_from(gift.FORMATS))
    general = draw(st.one_of(st.just(""), TEXT)) if kind != "description" else ""
    answers = ()
    if kind == "multichoice":
        others = draw(st.lists(st.tuples(TEXT, FRACTION.filter(lambda f: f < 1)), max_size=4))
        answers = (gift.Answer(draw(TEXT), 1.0), *(gift.Answer(t, f) for t, f in others))
        answers = answers if len(answers) >= 2 else (*answers, gift.Answer(draw(TEXT), 0.0))
        answers = tuple(
            gift.Answer(a.text, a.fraction, draw(st.one_of(st.just(""), TEXT))) for a in answers
        )
    elif kind == "multiresponse":
        split = draw(st.integers(1, 4))
        right = [10_000 // split] * split
        right[0] += 10_000 - sum(right)
        wrong = draw(st.lists(st.integers(-10_000, 0), max_size=3))
        answers = tuple(gift.Answer(draw(TEXT), n / 10_000) for n in right + wrong)
        if len(answers) < 2:
            answers = (*answers, gift.Answer(draw(TEXT), 0.0))
    elif kind == "truefalse":
        verdict = draw(st.booleans())
        fb = [draw(st.one_of(st.just(""), TEXT)) for _ in range(2)]
        answers = (
            gift.Answer("true", float(verdict), fb[0]),
            gift.Answer("false", float(not verdict), fb[1]),
        )
    elif kind == "shortanswer":
        extra = draw(st.lists(st.tuples(TEXT, FRACTION), max_size=3))
        answers = (gift.Answer(draw(TEXT), 1.0), *(gift.Answer(t, f) for t, f in extra))
    elif kind == "numerical":
        number = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
        extra = draw(st.lists(st.tuples(number, number.map(abs), FRACTION), max_size=2))
        answers = tuple(
            gift.Answer("", f, draw(st.one_of(st.just(""), TEXT)), value=v, tolerance=t)
            for v, t, f in [(draw(number), draw(number.map(abs)), 1.0), *extra]
        )
    elif kind == "matching":
        pairs = draw(st.lists(st.tuples(TEXT, TEXT), min_size=2, max_size=4))
        answers = tuple(gift.Answer(left, 1.0, match=right) for left, right in pairs)
    tail = draw(st.one_of(st.just(""), TEXT)) if kind in ("multichoice", "shortanswer") else ""
    return gift.Question(kind, text, title, fmt, answers, general, tail)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(questions(), min_size=1, max_size=4))
def test_parse_export_parse_gives_the_same_questions(original):
    written = gift.write(original)
    parsed = gift.parse(written)
    assert parsed.problems == [], written
    assert parsed.questions == original, written
    assert gift.parse(gift.write(parsed.questions)).questions == parsed.questions


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "{",
                "}",
                "~",
                "=",
                "#",
                "####",
                "::",
                "->",
                "..",
                "%",
                "%50%",
                "\\",
                "\\n",
                "\n",
                "\n\n",
                "//",
                "[html]",
                "[x]",
                "$CATEGORY:",
                "T",
                "FALSE",
                "1.5",
                "-2",
                ":",
                " ",
            ]
        )  # fmt: skip
        | st.characters(),
        max_size=60,
    ).map("".join)
)
def test_random_text_parses_or_reports_never_crashes(text):
    parsed = gift.parse(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    for found in parsed.problems:
        assert 1 <= found.line <= lines and found.message
    for question in parsed.questions:
        assert question.kind in gift.KINDS
        assert all(-1 <= answer.fraction <= 1 for answer in question.answers)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=120))
def test_random_bytes_decode_or_name_a_line(data):
    text, found = gift.decode(data)
    assert (text is None) != (found is None)
    if text is not None:
        gift.parse(text)


# --- quizzes: settings and the shipped files -------------------------------------------------


def test_settings_come_from_leading_comment_lines():
    quiz, problems = read_quiz(
        "q",
        "// @title: Boundaries\n// @pass-mark: 80\n// @attempts: 2\n// @time-limit: 15\n"
        "// @shuffle: questions\n// @review: score\n\n::A::Q? {T}",
        "q.gift",
    )
    assert problems == []
    assert (quiz.title, quiz.pass_mark, quiz.attempts, quiz.time_limit) == ("Boundaries", 80, 2, 15)
    assert quiz.shuffle_questions and not quiz.shuffle_answers
    assert quiz.review == {"score"}
    again, _ = read_quiz("q", quiz.to_gift(), "q.gift")
    assert again.questions == quiz.questions and again.settings_header() == quiz.settings_header()


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("// @pass-mark: 120", "'@pass-mark' must be a percentage"),
        ("// @attempts: many", "'@attempts' must be a whole number"),
        ("// @shuffle: everything", "'@shuffle' takes"),
        ("// @colour: blue", "unknown setting '@colour'"),
        ("// @lesson: x", "'@lesson' needs '@course'"),
    ],
)
def test_bad_settings_are_problems(header, message):
    _, problems = read_quiz("q", f"// @title: T\n{header}\n\n::A::Q? {{T}}", "q.gift")
    assert any(message in p.message for p in problems), problems


def test_a_shipped_quiz_needs_a_title_and_known_lessons():
    lessons = {("support-role", "boundaries-and-ethics")}
    _, problems = read_quiz(
        "q", "// @course: support-role\n// @lesson: nope\n\n::A::Q {T}\n\n::A::R {F}", "q.gift",
        lessons=lessons,
    )  # fmt: skip
    messages = " | ".join(p.message for p in problems)
    assert "no '// @title" in messages
    assert "'A'" not in messages  # a name used twice is a warning (tests/test_gift_moodle.py)
    assert "has no lesson 'nope'" in messages


def test_every_shipped_quiz_loads_and_round_trips():
    loaded = load_quizzes(REPOSITORY_ROOT)
    assert loaded.problems == []
    courses = {"support-role": 8, "care-methodology": 9}
    for course, lessons in courses.items():
        for number in range(1, lessons + 1):
            quiz = loaded.get(f"{course}-{number:02d}")
            assert quiz is not None and quiz.course == course and quiz.lesson
            assert len(quiz.graded) >= 5
            assert len({q.kind for q in quiz.questions}) >= 3, quiz.slug
        final = loaded.get(f"{course}-final")
        assert final and any(q.kind == "essay" for q in final.questions)
    for quiz in loaded.quizzes.values():
        again, problems = read_quiz(quiz.slug, quiz.to_gift(), quiz.path)
        assert problems == [] and again.questions == quiz.questions, quiz.slug


# --- lms quizzes check -----------------------------------------------------------------------


def test_quizzes_check_passes_on_the_shipped_quizzes(runner):
    result = runner.invoke(args=["quizzes", "check"])
    assert result.exit_code == 0, result.output
    folder = REPOSITORY_ROOT / "quizzes"
    shipped = [path for path in folder.glob("*.gift") if path.suffixes == [".gift"]]
    assert f"{len(shipped)} quizzes" in result.output and "0 problems" in result.output


def test_quizzes_check_prints_path_line_message_and_fails(runner, tmp_path: Path):
    bad = tmp_path / "broken.gift"
    bad.write_text("// @title: Broken\n\n::A::Fine {T}\n\n::B::Stray } brace {T}\n", "utf-8")
    worse = tmp_path / "latin1.gift"
    worse.write_bytes("// @title: x\n\nÕie {T}\n".encode("latin-1"))
    result = runner.invoke(args=["quizzes", "check", str(bad), str(worse)])
    assert result.exit_code == 1
    assert f"{bad}:5: a '}}' with no '{{' before it" in result.output
    assert f"{worse}:3: the file is not UTF-8 text" in result.output


def test_quizzes_check_json_prints_the_parsed_questions(runner, tmp_path: Path):
    path = tmp_path / "ok.gift"
    path.write_text(
        "// @title: OK\n\n::N::How many? {#4:0.5#Four}\n\n::S::Pick {~%50%a ~%50%b ~c}\n"
    )
    result = runner.invoke(args=["quizzes", "check", "--json", str(path)])
    assert result.exit_code == 0
    start = result.output.index("[")
    data = json.loads(result.output[start : result.output.rindex("]") + 1])
    numerical, several = data[0]["questions"]
    assert numerical["type"] == "numerical" and numerical["title"] == "N"
    assert numerical["answers"][0] | {"text": None} == {
        "text": None, "fraction": 1.0, "feedback": "Four", "value": 4.0, "tolerance": 0.5,
    }  # fmt: skip
    assert several["type"] == "multiresponse"
    assert [a["fraction"] for a in several["answers"]] == [0.5, 0.5, 0.0]


def test_the_programme_names_quizzes_that_exist(tmp_path: Path):
    from lms.programmes.loader import load_programmes

    root = tmp_path
    (root / "courses").mkdir()
    (root / "programmes").mkdir()
    source = (REPOSITORY_ROOT / "programmes" / "support-person.yaml").read_text("utf-8")
    (root / "programmes" / "support-person.yaml").write_text(
        source.replace("courses: [support-role]", "courses: []").replace(
            "courses: [care-methodology]", "courses: []"
        ),
        "utf-8",
    )
    problems = [p.message for p in load_programmes(root).problems]
    assert any("unknown quiz 'support-role-final'" in m for m in problems), problems
