"""Grading by Moodle's partial-credit rules, and reading submitted answers (plain functions)."""

import pytest

from lms.quizzes import gift, grading


def question(text: str) -> gift.Question:
    parsed = gift.parse(text)
    assert not parsed.problems
    return parsed.questions[0]


CHOICE = question("Q {=right ~wrong ~%-50%harmful}")
SEVERAL = question("Q {~%50%a ~%50%b ~%-100%c ~d}")
TRUE_FALSE = question("Q {FALSE}")
SHORT = question("Q {=116111 =%50%116 111 =*help*line*}")
NUMBER = question("Q {#25:1 =%50%30:2}".replace("{#25:1 ", "{# =25:1 "))
MATCH = question("Q {=CARe -> method =GDPR -> privacy =-> distractor}")
ESSAY = question("Q {}")


@pytest.mark.parametrize(
    ("q", "answer", "expected"),
    [
        (CHOICE, {"choice": 0}, 1.0),
        (CHOICE, {"choice": 1}, 0.0),
        (CHOICE, {"choice": 2}, -0.5),  # a single choice may cost marks, as in Moodle
        (SEVERAL, {"choices": [0, 1]}, 1.0),
        (SEVERAL, {"choices": [0]}, 0.5),
        (SEVERAL, {"choices": [0, 1, 2]}, 0.0),
        (SEVERAL, {"choices": [2]}, 0.0),  # never below zero
        (SEVERAL, {"choices": [0, 3]}, 0.5),
        (TRUE_FALSE, {"choice": 1}, 1.0),
        (TRUE_FALSE, {"choice": 0}, 0.0),
        (SHORT, {"text": " 116111 "}, 1.0),
        (SHORT, {"text": "116   111"}, 0.5),
        (SHORT, {"text": "The HELP LINE"}, 1.0),
        (SHORT, {"text": "112"}, 0.0),
        (NUMBER, {"text": "25"}, 1.0),
        (NUMBER, {"text": "25,9"}, 1.0),
        (NUMBER, {"text": "26.5"}, 0.0),
        (NUMBER, {"text": "31"}, 0.5),
        (NUMBER, {"text": "twenty"}, 0.0),
        (MATCH, {"pairs": {"0": 0, "1": 1}}, 1.0),
        (MATCH, {"pairs": {"0": 0, "1": 2}}, 0.5),
        (MATCH, {"pairs": {"0": 1}}, 0.0),
        (ESSAY, {"text": "My thoughts"}, None),
        (ESSAY, None, 0.0),
        (CHOICE, None, 0.0),
    ],
)
def test_fractions(q, answer, expected):
    assert grading.grade(q, answer) == expected


def test_reading_answers_refuses_tampered_ids():
    assert grading.read_answer(CHOICE, ["2"], {}) == {"choice": 2}
    assert grading.read_answer(CHOICE, [""], {}) is None
    assert grading.read_answer(SEVERAL, ["3", "0", "0"], {}) == {"choices": [0, 3]}
    assert grading.read_answer(MATCH, [], {"0": "1", "1": ""}) == {"pairs": {"0": 1}}
    for q, values, pairs in [
        (CHOICE, ["3"], {}),
        (CHOICE, ["-1"], {}),
        (CHOICE, ["1; drop table"], {}),
        (SEVERAL, ["0", "9"], {}),
        (MATCH, [], {"2": "0"}),  # the distractor is not an item
        (MATCH, [], {"0": "7"}),
        (SHORT, ["x" * 501], {}),
    ]:
        with pytest.raises(grading.AnswerError):
            grading.read_answer(q, values, pairs)


def test_feedback_and_right_answers_for_the_review():
    fed = question("Q {=right#Yes ~wrong#No}")
    assert grading.feedback_for(fed, {"choice": 1}) == ["No"]
    assert grading.right_answers(SHORT) == ["116111"]  # not every accepted spelling
    assert grading.right_answers(SEVERAL) == ["a", "b"]
    assert grading.right_answers(MATCH) == ["CARe → method", "GDPR → privacy"]
    assert grading.right_answers(NUMBER) == ["25 ± 1"]
