"""The audit trail after an erasure: the events stay (who did what, when), the person's
values in them go.

Events about the person or their objects (their account, enrolments, practice entries, quiz
attempts, certificates, or any event naming them by ``user_id``) lose every personal value:
names become the pseudonym, texts they wrote or that were written about them ``[erased]``. In
every other event their email and name, wherever they appear in a text, become the pseudonym.
Events the person acted in keep their ``actor_id``: it now shows the pseudonym.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.audit import AuditEvent
from lms.certificates.models import Certificate
from lms.cohorts.models import Enrolment
from lms.practice.models import PracticeEntry
from lms.quizzes.models import QuizAttempt

#: keys whose value names the person
NAME_KEYS = frozenset({"holder", "display_name", "email"})
#: keys whose value is something the person wrote, or that was written about them
TEXT_KEYS = frozenset(
    {
        "reflection",
        "comment",
        "review_comment",
        "client_code",
        "note",
        "employer",
        "role_title",
        "answer",
        "reason",
    }
)
#: names shorter than this are replaced only where a value is exactly the name, so that
#: erasing "Ann" does not touch "Annual review" in somebody else's event
SHORT_NAME = 5
BATCH = 500


def _their_subjects(session: Session, user_id: int) -> dict[str, set[int]]:
    """The ids, by audit subject type, of the person's objects."""

    def ids(statement) -> set[int]:
        return set(session.scalars(statement))

    return {
        "user": {user_id},
        "enrolment": ids(sa.select(Enrolment.id).where(Enrolment.user_id == user_id)),
        "practice_entry": ids(sa.select(PracticeEntry.id).where(PracticeEntry.user_id == user_id)),
        "quiz_attempt": ids(sa.select(QuizAttempt.id).where(QuizAttempt.user_id == user_id)),
        "certificate": ids(sa.select(Certificate.id).where(Certificate.user_id == user_id)),
    }


def _about(event: AuditEvent, user_id: int, subjects: dict[str, set[int]]) -> bool:
    if event.subject_id in subjects.get(event.subject_type, ()):
        return True
    return any(
        isinstance(values, dict) and values.get("user_id") == user_id
        for values in (event.before, event.after)
    )


class _Scrubber:
    """Rewrites one event's values; ``changed`` tells whether anything was replaced."""

    def __init__(self, texts, codes, replacement: str, marker: str):
        self.texts = [text for text in texts if text]
        self.codes = set(codes)
        self.replacement, self.marker = replacement, marker
        self.changed = False

    def _text(self, value: str, about: bool) -> str:
        new = value
        if about and new in self.codes:
            new = self.marker
        for text in self.texts:
            if new.casefold() == text.casefold():
                new = self.replacement
            elif len(text) >= SHORT_NAME and text.casefold() in new.casefold():
                new = _replace_folded(new, text, self.replacement)
        self.changed |= new != value
        return new

    def value(self, value, about: bool, key: str | None = None):
        if about and key in NAME_KEYS and value:
            self.changed |= value != self.replacement
            return self.replacement
        if about and key in TEXT_KEYS and value not in (None, "", [], {}):
            self.changed |= value != self.marker
            return self.marker
        if isinstance(value, str):
            return self._text(value, about)
        if isinstance(value, dict):
            return {k: self.value(v, about, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(item, about) for item in value]
        return value


def _replace_folded(value: str, text: str, replacement: str) -> str:
    """``value`` with every occurrence of ``text`` (in any case) replaced."""
    folded, needle = value.casefold(), text.casefold()
    if len(folded) != len(value):  # casefold changed the length: replace the whole value
        return replacement
    out, start = [], 0
    while (found := folded.find(needle, start)) != -1:
        out += [value[start:found], replacement]
        start = found + len(needle)
    out.append(value[start:])
    return "".join(out)


def scrub_audit_trail(
    session: Session, user_id: int, *, texts, codes, replacement: str, marker: str
) -> int:
    """Remove the person's values from every event; returns how many events changed.

    ``texts`` are their email and name (replaced by ``replacement`` everywhere), ``codes`` their
    client codes as typed (replaced by ``marker`` in events about them only: another trainee
    may use the same code for their own client)."""
    subjects = _their_subjects(session, user_id)
    changed, last_id = 0, 0
    while True:
        events = session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(BATCH)
        ).all()
        if not events:
            return changed
        for event in events:
            scrubber = _Scrubber(texts, codes, replacement, marker)
            about = _about(event, user_id, subjects)
            before = scrubber.value(event.before, about)
            after = scrubber.value(event.after, about)
            if scrubber.changed:
                event.before, event.after = before, after
                changed += 1
        last_id = events[-1].id
        session.flush()
