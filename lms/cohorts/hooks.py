"""What cohorts asks of the features built on it, without importing them.

Attendance and certificates sit above cohorts, yet a session with marks may not be deleted and a
programme may admit only holders of another's certificate. Each feature registers its answer when
its models load; a question nobody answers fails loudly rather than letting a change through.
"""

from collections.abc import Callable

#: the questions and who answers them: ``recorded_sessions(session, ids) -> set of ids``,
#: ``longest_credit(session, session_id) -> minutes or None`` (attendance) and
#: ``holds_certificate(session, user_id, programme_slug, today) -> bool`` (certificates)
QUESTIONS = ("recorded_sessions", "longest_credit", "holds_certificate")
_answers: dict[str, Callable] = {}


def answers(question: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the answer to ``question``."""
    if question not in QUESTIONS:
        raise ValueError(f"cohorts asks no question {question!r}")

    def register(function: Callable) -> Callable:
        _answers[question] = function
        return function

    return register


def ask(question: str, *args):
    """The registered answer to ``question``; a RuntimeError when no feature gives one."""
    try:
        answer = _answers[question]
    except KeyError:
        raise RuntimeError(f"no feature answers {question!r}: is it installed?") from None
    return answer(*args)
