"""GIFT as Moodle reads and writes it: one test for each behaviour Moodle's own import and export
tests check (qformat_gift's giftformat_test), with inputs of our own and compared on meaning;
files exported from Moodle (no ``@`` lines, names used twice); and a bank of every type through
``lms quizzes check``, writing and reading again."""

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.auth.models import Role
from lms.quizzes import gift, grading
from lms.quizzes.definitions import question_keys, read_quiz, title_from
from lms.quizzes.models import UploadedQuiz
from tests.factories import login, make_user
from tests.test_gift import questions

BANK = Path(__file__).parent / "fixtures" / "moodle" / "examples.txt"


def one(text: str) -> gift.Question:
    parsed = gift.parse(text)
    assert parsed.problems == [], parsed.problems
    assert len(parsed.questions) == 1
    return parsed.questions[0]


def fields(question: gift.Question) -> list[tuple]:
    """Each answer's meaning: text and its format, weight, feedback and its format."""
    return [
        (
            a.text, question.field_format(a.format), a.fraction,
            a.feedback, question.field_format(a.feedback_format),
        )
        for a in question.answers
    ]  # fmt: skip


def again(question: gift.Question) -> gift.Question:
    """The question written out and read back."""
    return one(gift.write([question]))


# --- import (Moodle's test_import_*) ---------------------------------------------------------


def test_import_essay():
    question = one("// an essay\n::Plan:: What would you ask first? {}")
    assert (question.kind, question.title, question.text) == (
        "essay",
        "Plan",
        "What would you ask first?",
    )
    assert (question.format, question.general_feedback) == ("moodle", "")


def test_import_match_keeps_a_format_per_item_and_the_distractor():
    question = one(
        "::Acts::[html]Match the <b>act</b> to its aim.{\n"
        "    =[html]Connecting -> trust\n    =[moodle]Understanding -> wishes\n"
        "    =[plain]Ensuring -> safety\n    =[markdown]*Strengthening* -> abilities\n"
        "    = -> deciding for them\n}"
    )
    assert (question.kind, question.text, question.format) == (
        "matching", "Match the <b>act</b> to its aim.", "html",
    )  # fmt: skip
    assert question.field_format(question.feedback_format) == "html"
    assert [(a.text, question.field_format(a.format), a.match) for a in question.answers] == [
        ("Connecting", "html", "trust"),
        ("Understanding", "moodle", "wishes"),
        ("Ensuring", "plain", "safety"),
        ("*Strengthening*", "markdown", "abilities"),
        ("", "html", "deciding for them"),
    ]


def test_import_multichoice_formats_of_answers_and_feedback_apart():
    question = one(
        "::Who:: Who sets the goals?\n{\n    =the client # right; well done\n"
        "    ~the worker # [html]no, it is <i>the client</i>\n    ~[plain]the office # no\n}"
    )
    assert question.kind == "multichoice"
    assert fields(question) == [
        ("the client", "moodle", 1.0, "right; well done", "moodle"),
        ("the worker", "moodle", 0.0, "no, it is <i>the client</i>", "html"),
        ("the office", "plain", 0.0, "no", "moodle"),
    ]


def test_import_multichoice_multi():
    question = one(
        "::Habits:: Which keep the role safe?\n{\n    ~%50%agreed times # yes\n"
        "    ~%-100%loans # [html]no\n    ~%50%clear limits # yes\n    ~%-100%[plain]gifts # no\n}"
    )
    assert question.kind == "multiresponse"
    assert fields(question) == [
        ("agreed times", "moodle", 0.5, "yes", "moodle"),
        ("loans", "moodle", -1.0, "no", "html"),
        ("clear limits", "moodle", 0.5, "yes", "moodle"),
        ("gifts", "plain", -1.0, "no", "moodle"),
    ]


def test_import_multichoice_multi_tricky():
    question = one(
        "::One:: Pick.\n{\n    ~%100%this # yes\n    ~%-50%that # no\n    ~%-50%other # no\n}"
    )
    assert question.kind == "multiresponse"
    assert [a.fraction for a in question.answers] == [1.0, -0.5, -0.5]


@pytest.mark.parametrize(
    "block",
    [
        "{#4:1~#Not even close}",
        "{#\n\t=%100%4:1#\n\t~#Not even close\n}",  # Moodle's own export form
    ],
)
def test_import_numerical_with_feedback_for_any_other_number(block):
    question = one(f"::Acts:: How many core acts, give or take one? {block}")
    assert question.kind == "numerical"
    right, other = question.answers
    assert (right.value, right.tolerance, right.fraction, right.feedback) == (4.0, 1.0, 1.0, "")
    assert other.any_number and (other.fraction, other.feedback) == (0.0, "Not even close")
    assert grading.grade(question, {"text": "4.5"}) == 1.0
    assert grading.grade(question, {"text": "9"}) == 0.0
    assert grading.feedback_for(question, {"text": "9"}) == ["Not even close"]
    assert grading.right_answers(question) == ["4 ± 1"]


def test_import_shortanswer_with_a_catch_all():
    question = one(
        "::Line:: Which line helps children in Estonia?{\n    =116111#Right.\n"
        "    =%50%116#Nearly.\n    =%0%*#No.\n}"
    )
    assert question.kind == "shortanswer"
    assert [(a.text, a.fraction, a.feedback) for a in question.answers] == [
        ("116111", 1.0, "Right."), ("116", 0.5, "Nearly."), ("*", 0.0, "No."),
    ]  # fmt: skip
    assert grading.feedback_for(question, {"text": "112"}) == ["No."]


def test_import_shortanswer_with_general_feedback_in_its_own_format():
    question = one(
        "::Line:: Which line?{\n    =116111#Right.\n    ####[html]See <b>lesson 3</b>.\n}"
    )
    assert question.general_feedback == "See <b>lesson 3</b>."
    assert (question.format, question.field_format(question.feedback_format)) == ("moodle", "html")


@pytest.mark.parametrize(
    ("block", "right"),
    [("{FALSE#Keep it to yourself.#Right.}", False), ("{T}", True), ("{TRUE}", True)],
)
def test_import_truefalse(block, right):
    question = one(f"// note\n::Secret::You may tell a neighbour.{block}")
    true, false = question.answers
    assert (true.fraction, false.fraction) == ((1.0, 0.0) if right else (0.0, 1.0))
    if not right:
        assert (true.feedback, false.feedback) == ("Keep it to yourself.", "Right.")


def test_import_backslash():
    question = one(r"::slashes:: C:\\ and \\\\server {}")
    assert question.text == "C:\\ and \\\\server"


def test_import_pre_content_keeps_lines_and_escaped_braces():
    question = one(
        "::Code::[html]<p>What does it print?</p>\n<pre>\nif x \\{\n    go();\n\\}\n</pre>\n{}"
    )
    assert question.format == "html"
    assert question.text == "<p>What does it print?</p>\n<pre>\nif x {\n    go();\n}\n</pre>"


def test_import_question_with_tags_and_an_id_number():
    question = one(
        "// Tags: [tag:ethics] [tag:first-meeting].\n// And an id: [id:role-07].\n::Q:: Why? {}"
    )
    assert (question.idnumber, question.tags) == ("role-07", ("ethics", "first-meeting"))


@pytest.mark.parametrize(
    ("comment", "idnumber", "tags"),
    [
        ("", "", ()),
        ("// Just a note.", "", ()),
        ("// An id [id:care] here.", "care", ()),
        ("// Tags: [tag:care] [tag:role].", "", ("care", "role")),
        ("// [tag:a] [tag:b] [id:c]", "c", ("a", "b")),
        ("// [tag:  roles] Then \n// an [id:   x1   ] and[tag:acts   ].", "x1", ("roles", "acts")),
        ("// Broken [tag:\n// care].", "", ()),
        ("// [id:a\\]b].", "a]b", ()),
        ("// [tag:c\\]d].", "", ("c]d",)),
    ],
)
def test_id_number_and_tags_from_the_comment(comment, idnumber, tags):
    assert gift.id_number_and_tags(comment) == (idnumber, tags)


# --- export (Moodle's test_export_*), compared on meaning ------------------------------------


def test_export_essay():
    essay = gift.Question("essay", "What would you ask first?", "Plan")
    assert gift.write_question(essay) == "::Plan::What would you ask first? {}"
    assert again(essay) == essay


def test_export_match_writes_a_tag_only_where_the_format_differs():
    match = gift.Question(
        "matching", "Match the <b>act</b>.", "Acts", "html",
        (
            gift.Answer('<span class="x">Connecting</span>', 1.0, match="trust"),
            gift.Answer("Understanding", 1.0, match="wishes", format="moodle"),
            gift.Answer("Ensuring", 1.0, match="safety", format="plain"),
            gift.Answer("", 0.0, match="deciding"),
        ),
    )  # fmt: skip
    written = gift.write_question(match)
    assert '=<span class\\="x">Connecting</span> -> trust' in written
    assert "=[moodle]Understanding -> wishes" in written and "=[plain]Ensuring" in written
    assert "= -> deciding" in written
    assert again(match) == match


def test_export_multichoice_with_formats():
    question = gift.Question(
        "multichoice", "Who sets the goals?", "Who", "moodle",
        (
            gift.Answer("the client", 1.0, "right"),
            gift.Answer("the worker", 0.0, "no, <i>the client</i>", feedback_format="html"),
            gift.Answer("the office", 0.0, "no", format="plain"),
        ),
    )  # fmt: skip
    written = gift.write_question(question)
    assert (
        "~the worker#[html]no, <i>the client</i>" in written and "~[plain]the office#no" in written
    )
    assert again(question) == question


def test_export_multichoice_multi_tricky():
    question = gift.Question(
        "multiresponse", "Pick.", "One", "moodle",
        (gift.Answer("this", 1.0), gift.Answer("that", -0.5), gift.Answer("other", -0.5)),
    )  # fmt: skip
    assert "~%100%this" in gift.write_question(question)
    assert again(question) == question


def test_export_numerical_with_feedback_for_any_other_number():
    question = gift.Question(
        "numerical", "How many core acts?", "Acts", "moodle",
        (
            gift.Answer("", 1.0, value=4.0, tolerance=1.0),
            gift.Answer("", 0.0, "Not even close", value=None),
        ),
    )  # fmt: skip
    written = gift.write_question(question)
    assert "~#Not even close" in written
    assert again(question) == question


def test_export_shortanswer_with_general_feedback():
    question = gift.Question(
        "shortanswer", "Which line?", "Line", "moodle",
        (gift.Answer("116111", 1.0, "Right."), gift.Answer("*", 0.0, "No.")),
        "See <b>lesson 3</b>.", feedback_format="html",
    )  # fmt: skip
    assert "####[html]See <b>lesson 3</b>." in gift.write_question(question)
    assert again(question) == question


def test_export_truefalse_with_a_feedback_in_html():
    question = gift.Question(
        "truefalse", "You may keep notes.", "Notes", "moodle",
        (
            gift.Answer("true", 1.0, "Right."),
            gift.Answer("false", 0.0, "No, <b>notes</b> help.", feedback_format="html"),
        ),
    )  # fmt: skip
    assert "TRUE#[html]No, <b>notes</b> help.#Right." in gift.write_question(question)
    assert again(question) == question


def test_export_backslash():
    question = gift.Question("essay", "C:\\ and \\\\server", "slashes")
    assert "C\\:\\\\ and \\\\\\\\server" in gift.write_question(question)
    assert again(question) == question


def test_export_question_with_tags_and_id_number():
    question = gift.Question(
        "truefalse", "Notes help.", "Notes", "html",
        (gift.Answer("true", 1.0), gift.Answer("false", 0.0)),
        idnumber="my]id", tags=("role", "notes"),
    )  # fmt: skip
    written = gift.write_question(question)
    assert written.startswith("// [id:my\\]id] [tag:role] [tag:notes]\n::Notes::[html]")
    assert again(question) == question


FORMAT = st.sampled_from(("",) + gift.FORMATS)


@st.composite
def with_formats(draw):
    """A random question with random own formats on its fields, an id number and tags."""
    question = draw(questions())
    answers = tuple(
        replace(
            answer,
            format=draw(FORMAT) if question.kind not in ("truefalse", "numerical") else "",
            feedback_format=draw(FORMAT) if answer.feedback else "",
        )
        for answer in question.answers
    )
    tag = st.text("abc-] xy", min_size=1, max_size=6).map(str.strip).filter(bool)
    return replace(
        question,
        answers=answers,
        feedback_format=draw(FORMAT) if question.general_feedback else "",
        idnumber=draw(st.one_of(st.just(""), tag)),
        tags=tuple(draw(st.lists(tag, max_size=2))),
    )


def _normal(question: gift.Question) -> gift.Question:
    """A format tag naming the question's own format means no tag."""

    def own(value: str) -> str:
        return "" if value == question.format else value

    answers = tuple(
        replace(a, format=own(a.format), feedback_format=own(a.feedback_format))
        for a in question.answers
    )
    return replace(question, answers=answers, feedback_format=own(question.feedback_format))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(with_formats(), min_size=1, max_size=3))
def test_formats_ids_and_tags_survive_writing_and_reading(original):
    written = gift.write(original)
    parsed = gift.parse(written)
    assert parsed.problems == [], written
    assert parsed.questions == [_normal(q) for q in original], written


# --- files from Moodle -----------------------------------------------------------------------


def test_names_used_twice_get_their_own_keys_and_a_warning():
    warnings, problems = [], []
    parsed = gift.parse("::Q::a {T}\n\n::Q::b {F}\n\n::Q (2)::c {T}\n\n::Q::d {T}\n\ne {T}")
    keys = question_keys(
        parsed.questions, lambda *p: problems.append(p), lambda *w: warnings.append(w)
    )
    assert keys == ("Q", "Q (3)", "Q (2)", "Q (4)", "#5")
    assert problems == [] and [line for line, _ in warnings] == [3, 7]
    assert "also named 'Q'" in warnings[0][1]


def test_a_moodle_file_takes_its_title_from_the_category_or_the_file_name():
    exported = gift.parse("$CATEGORY: $course$/top/Default for Training/Boundaries\n\n::A::x {T}")
    assert title_from(exported) == "Boundaries"
    assert title_from(gift.parse("::A::x {T}"), "week_3 check.txt") == "week 3 check"
    quiz, problems = read_quiz("bank", "::A::x {T}", "bank.txt", file_name="Role bank.txt")
    assert problems == [] and quiz.title == "Role bank"
    _, shipped = read_quiz("bank", "::A::x {T}", "quizzes/bank.gift")
    assert any("no '// @title" in p.message for p in shipped)


def test_the_bank_passes_the_check_with_its_title_and_one_warning(runner):
    result = runner.invoke(args=["quizzes", "check", "--json", str(BANK)])
    assert result.exit_code == 0, result.output
    assert "another question is also named 'Who decides'" in result.output
    data = json.loads(result.output[result.output.index("\n[") : result.output.rindex("]") + 1])
    assert data[0]["quiz"] == "examples" and "@title: Role and boundaries" in data[0]["settings"]
    kinds = [q["type"] for q in data[0]["questions"]]
    assert kinds == [
        "multichoice", "multiresponse", "truefalse", "numerical", "shortanswer", "matching",
        "essay", "description", "multichoice",
    ]  # fmt: skip
    first = data[0]["questions"][0]
    assert (first["idnumber"], first["tags"]) == ("role-01", ["role", "empowerment"])
    assert first["answers"][0]["format"] == "plain"
    assert first["answers"][2]["format"] == "markdown"
    assert "feedback_format" not in first["answers"][1]  # [html], as the question: no own tag
    assert first["feedback_format"] == "markdown"


def test_the_bank_writes_and_reads_back_the_same():
    text = BANK.read_text("utf-8")
    quiz, problems = read_quiz("examples", text, "examples.txt", file_name="examples.txt")
    assert problems == [] and len(quiz.warnings) == 1
    assert quiz.keys[-1] == "Who decides (2)"
    written = quiz.to_gift()
    back, problems = read_quiz("examples", written, "examples.gift")
    assert problems == [] and back.questions == quiz.questions and back.keys == quiz.keys
    assert back.title == "Role and boundaries"
    assert "// [id:role-01] [tag:role] [tag:empowerment]" in written
    assert "~#[html]No\\: there are <b>four</b>." in written


def test_review_shows_each_field_in_its_own_format():
    quiz, _ = read_quiz("examples", BANK.read_text("utf-8"), "x.txt", file_name="x.txt")
    choice = quiz.questions[0]
    assert grading.feedback_with_format(choice, {"choice": 1}) == [
        ("No: you <em>support</em>, you do not decide.", "html")
    ]
    assert grading.right_answers_with_format(choice) == [("The client", "plain")]


def test_uploading_a_moodle_export_needs_no_title(client, session):
    login(client, make_user(session, Role.TRAINER))
    fields = {"slug": "role-bank", "title": "", "link": "", "pass_mark": "70",
              "attempts": "0", "time_limit": "0", "review": ["score"]}  # fmt: skip
    page = client.post(
        "/quizzes/upload",
        data={**fields, "file": (io.BytesIO(BANK.read_bytes()), "examples.txt"), "preview": "1"},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "No problems found in 9 questions" in page
    assert "another question is also named" in page and 'value="Role and boundaries"' in page
    saved = client.post(
        "/quizzes/upload",
        data={**fields, "file": (io.BytesIO(BANK.read_bytes()), "examples.txt"), "save": "1"},
        content_type="multipart/form-data",
    )
    assert saved.headers["Location"].endswith("/quizzes/role-bank")
    row = session.scalar(sa.select(UploadedQuiz).where(UploadedQuiz.slug == "role-bank"))
    assert row.source.startswith("// @title: Role and boundaries\n")
    untitled = client.post("/quizzes/upload", data={**fields, "slug": "x", "source": "::A::x {T}"})
    assert "Give the quiz a title." in untitled.get_data(as_text=True)


FORMATTED = """// @title: Formats
// @shuffle: none

::Pick::[markdown]Which is **right**?{
    =[html]<b>this</b>#[html]Yes, <i>this</i>.
    ~[plain]<b>that</b>#No.
    ####[plain]<i>as typed</i>
}

::Count::How many core acts?{#4~#[html]There are <b>four</b>.}
"""


def test_the_attempt_and_result_pages_show_each_field_in_its_own_format(app, client, session):
    from tests.factories import make_quiz

    with app.app_context():
        make_quiz(session, "formats", FORMATTED)
    login(client, make_user(session))
    started = client.post("/quizzes/formats/start")
    attempt = int(started.headers["Location"].rsplit("/", 1)[1])
    page = client.get(f"/quizzes/attempts/{attempt}").get_data(as_text=True)
    assert "<strong>right</strong>" in page  # the question in Markdown
    assert "<b>this</b>" in page and "&lt;b&gt;that&lt;/b&gt;" in page  # html, plain
    for position, value in (("0", "0"), ("1", "9")):
        client.post(
            f"/quizzes/attempts/{attempt}/answer",
            data={"position": position, f"q-{position}": value},
        )
    client.post(f"/quizzes/attempts/{attempt}/submit")
    result = client.get(f"/quizzes/attempts/{attempt}/result").get_data(as_text=True)
    assert "Yes, <i>this</i>." in result and "&lt;i&gt;as typed&lt;/i&gt;" in result
    assert "There are <b>four</b>." in result  # the feedback for any other number


def test_the_upload_preview_shows_answers_in_their_format_and_numbers_as_numbers(client, session):
    login(client, make_user(session, Role.TRAINER, language="en"))
    source = (
        "::Role::[html]<p>What does a support person <b>do</b>?</p>{\n"
        "\t=<p>Helps the client do it</p>#<p>Yes.</p>\n"
        "\t~<p>Does it for the client</p>#<p>No, that is a carer.</p>\n}\n\n"
        "::Hours::[plain]How many hours is the training?{#\n"
        "\t=%100%50:0#\n\t=%50%50:5#Close.\n\t~#No: it is 50 hours.\n}\n"
    )
    page = client.post(
        "/quizzes/upload",
        data={
            "slug": "preview-bank",
            "title": "Bank",
            "link": "",
            "pass_mark": "70",
            "attempts": "0",
            "time_limit": "0",
            "review": ["score"],
            "source": source,
            "preview": "1",
        },  # fmt: skip
    ).get_data(as_text=True)
    assert "No problems found in 2 questions" in page
    preview = page[page.index('id="preview-title"') :]
    # an [html] question's answers and feedback show as HTML, as the trainee will see them
    assert "&lt;p&gt;" not in preview
    assert "Helps the client do it" in preview and "No, that is a carer." in preview
    # a number as people write it, not Python's float
    assert "50.0" not in preview and "± 5" in preview
