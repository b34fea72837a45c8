"""Quiz attempts as trainees make them: started, submitted and graded through
the quizzes feature, with each answer stored as ``save_answer`` stores it; essays graded by
the cohort's trainer.

An attempt is described by how many questions the trainee gets wrong; the essay's grade is the
trainer's. With twelve graded questions and a pass mark of 70 %, up to two wrong answers and an
essay graded 0.7 still pass; five wrong and a weak essay fail.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from lms.auth.models import User
from lms.demo import texts
from lms.demo.timeline import Demo
from lms.quizzes import api as quizzes
from lms.quizzes import grading
from lms.quizzes.definitions import Quiz
from lms.quizzes.gift import Question
from lms.quizzes.models import QuizAttempt, QuizResponse


@dataclass(frozen=True)
class Try:
    """One attempt: how many questions are answered wrong, and the essay's grade (None: the
    essay waits for the trainer)."""

    wrong: int
    essay: float | None


FAIL = Try(5, 0.4)


def passing_try(rng: random.Random) -> Try:
    """An attempt that passes, some better than others."""
    return Try(rng.choice((0, 0, 1, 1, 2)), rng.choice((0.7, 0.8, 0.8, 0.9, 0.9, 1.0)))


def right_answer(question: Question) -> tuple[list[str], dict[str, str]]:
    """Form values (and matching pairs) that earn the whole mark."""
    kind, answers = question.kind, question.answers
    if kind in ("multichoice", "truefalse"):
        best = max(range(len(answers)), key=lambda i: answers[i].fraction)
        return [str(best)], {}
    if kind == "multiresponse":
        return [str(i) for i, answer in enumerate(answers) if answer.fraction > 0], {}
    if kind == "shortanswer":
        return [next(a.text for a in answers if a.fraction == 1.0).replace("*", "")], {}
    if kind == "numerical":
        return [f"{next(a.value for a in answers if a.fraction == 1.0):g}"], {}
    if kind == "matching":
        options = grading.match_options(question)
        items = grading.match_items(question)
        return [], {str(i): str(options.index(answers[i].match)) for i in items}
    raise ValueError(f"no right answer for a {kind} question")


def wrong_answer(question: Question) -> tuple[list[str], dict[str, str]]:
    """Form values that earn nothing."""
    kind, answers = question.kind, question.answers
    if kind in ("multichoice", "truefalse"):
        worst = min(range(len(answers)), key=lambda i: answers[i].fraction)
        return [str(worst)], {}
    if kind == "multiresponse":
        return [str(i) for i, answer in enumerate(answers) if answer.fraction <= 0], {}
    if kind in ("shortanswer", "numerical"):
        return [texts.WRONG_TEXT], {}
    if kind == "matching":
        options = grading.match_options(question)
        items = grading.match_items(question)
        shifted = items[1:] + items[:1]  # each item gets the next item's option
        pairs = zip(items, shifted, strict=True)
        return [], {str(i): str(options.index(answers[j].match)) for i, j in pairs}
    raise ValueError(f"no wrong answer for a {kind} question")


def take(
    demo: Demo, quiz: Quiz, user: User, attempt_try: Try, started: datetime, rng: random.Random
) -> QuizAttempt:
    """Start, answer and submit an attempt (a quarter of an hour of work). The answers are
    read by ``grading.read_answer``, as the quiz page's are; only ``save_answer``'s row lock
    per answer, which guards against two open tabs, is left out: it made loading slow."""
    now = demo.tick(started)
    attempt = quizzes.start_attempt(demo.session, quiz, user, now)
    questions = [(key, q) for key, q in quiz.graded if q.kind != "essay"]
    wrong = {key for key, _ in rng.sample(questions, attempt_try.wrong)}
    for minute, (key, question) in enumerate(quiz.graded, start=1):
        if question.kind == "essay":
            by_language = texts.ESSAYS[quiz.slug]
            values, pairs = [by_language.get(user.language, by_language["en"])], {}
        elif key in wrong:
            values, pairs = wrong_answer(question)
        else:
            values, pairs = right_answer(question)
        attempt.responses.append(
            QuizResponse(
                question_key=key,
                answer=grading.read_answer(question, values, pairs),
                saved_at=now + timedelta(minutes=minute),
            )
        )
    demo.session.flush()
    return quizzes.submit(
        demo.session, quiz, attempt, now=now + timedelta(minutes=len(quiz.graded) + 3)
    )


def grade_essay(
    demo: Demo, quiz: Quiz, attempt: QuizAttempt, grader: User, fraction: float, when: datetime
) -> None:
    """The trainer grades the attempt's essay, with a comment fitting the grade."""
    now = demo.tick(when)
    response = next(r for r in attempt.responses if quiz.question(r.question_key).kind == "essay")
    comment = next(text for floor, text in texts.ESSAY_COMMENTS if fraction >= floor)
    quizzes.grade_essay(
        demo.session, quiz, response, fraction=fraction, comment=comment, grader=grader, now=now
    )


def sit(
    demo: Demo,
    quiz: Quiz,
    user: User,
    tries: list[Try],
    first: datetime,
    grader: User,
    rng: random.Random,
) -> list[QuizAttempt]:
    """A trainee's attempts at a quiz, a week apart; each essay is graded two days later
    unless the try leaves it waiting."""
    attempts = []
    for number, attempt_try in enumerate(tries):
        started = first + timedelta(weeks=number)
        attempt = take(demo, quiz, user, attempt_try, started, rng)
        if attempt_try.essay is not None:
            graded = started + timedelta(days=2, hours=-4)
            grade_essay(demo, quiz, attempt, grader, attempt_try.essay, graded)
        attempts.append(attempt)
    return attempts
