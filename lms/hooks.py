"""Questions a feature asks of the features built on it, without importing them.

Attendance and certificates sit above cohorts, yet a session with marks may not be deleted and a
programme may admit only holders of another's certificate; a lesson page links its quizzes and
shows the trainer's guide to the course's trainers. The feature above registers its answer when
its module loads; a question nobody answers fails loudly rather than letting a change through.
"""

from collections.abc import Callable

#: the questions, who asks them and who answers:
#: ``recorded_sessions(session, ids) -> set of ids`` and
#: ``longest_credit(session, session_id) -> minutes or None``: cohorts asks, attendance answers;
#: ``holds_certificate(session, user_id, programme_slug, today) -> bool``: cohorts asks,
#: certificates answers; ``teaches_course(session, user, course_slug) -> bool``: courses asks,
#: cohorts answers; ``quizzes(session, mentioning=None) -> list of quizzes`` (with
#: ``mentioning``, at least those whose course or lesson is that slug): courses and programmes
#: ask, quizzes answers; ``privacy_notice_due(session, user) -> bool`` (never read, or read
#: before it was marked as changed): auth asks at login, privacy answers
QUESTIONS = (
    "recorded_sessions",
    "longest_credit",
    "holds_certificate",
    "teaches_course",
    "quizzes",
    "privacy_notice_due",
)
_answers: dict[str, Callable] = {}


def answers(question: str) -> Callable[[Callable], Callable]:
    """Register the decorated function as the answer to ``question``."""
    if question not in QUESTIONS:
        raise ValueError(f"nobody asks {question!r}")

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
