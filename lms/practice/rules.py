"""What a practice entry may say: every rule an entry breaks, one problem per field at most.

The form shows these beside its own field checks, so one submission shows every problem; the
services check them again before they write.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.cohorts.models import Cohort, TrainingSession
from lms.errors import DomainError
from lms.practice import privacy
from lms.practice.models import (
    CORE_ACTS,
    DAY_MINUTES,
    MAX_ENTRY_MINUTES,
    PracticeEntry,
    PracticeRevision,
)
from lms.programmes.api import Programme

MAX_REFLECTION = 20_000


class PracticeError(DomainError):
    """A practice change was refused; ``field`` names the form field at fault, if one is."""


@dataclass
class EntryData:
    """What a trainee writes about one piece of client work (None: a value the form refused)."""

    practised_on: date | None
    minutes: int | None
    client_code: str | None
    client_group: str | None
    activity: str | None
    core_acts: list[str] = field(default_factory=list)
    reflection: str | None = ""
    debrief_session_id: int | None = None


class EntryRefused(PracticeError):
    """An entry breaks one rule or more; ``problems`` holds one error per field at fault."""

    def __init__(self, problems: list[PracticeError]):
        super().__init__(str(problems[0]), problems[0].field)
        self.problems = problems


def _day_minutes(session: Session, user_id: int, day: date, except_entry: int | None) -> int:
    """Minutes already logged on a day, counting each other entry's newest revision."""
    later = so.aliased(PracticeRevision)
    newest = (
        sa.select(sa.func.max(later.number))
        .where(later.entry_id == PracticeRevision.entry_id)
        .scalar_subquery()
    )
    statement = (
        sa.select(sa.func.coalesce(sa.func.sum(PracticeRevision.minutes), 0))
        .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
        .where(
            PracticeEntry.user_id == user_id,
            PracticeRevision.practised_on == day,
            PracticeRevision.number == newest,
        )
    )
    if except_entry is not None:
        statement = statement.where(PracticeEntry.id != except_entry)
    return session.scalar(statement)


def problems(
    session: Session,
    data: EntryData,
    *,
    user_id: int,
    cohort: Cohort,
    programme: Programme,
    today: date,
    entry_id: int | None = None,
) -> list[PracticeError]:
    """Every rule the entry breaks, at most one per field, in the form's order.

    A value that is None (the form already refused it) is not checked again, so a form can show
    its own problems and these together.
    """
    found: dict[str, PracticeError] = {}

    def refuse(message, field_name: str) -> None:
        found.setdefault(field_name, PracticeError(message, field_name))

    day, minutes = data.practised_on, data.minutes
    if day is not None:
        if day > today:
            refuse(_l("The date cannot be in the future."), "practised_on")
        elif day < cohort.starts_on:
            refuse(_l("The date cannot be before the cohort started."), "practised_on")
    if minutes is not None and not 0 < minutes <= MAX_ENTRY_MINUTES:
        refuse(
            _l("An entry lasts from 1 minute to %(hours)s hours.", hours=MAX_ENTRY_MINUTES // 60),
            "minutes",
        )
    if day is not None and minutes is not None and "minutes" not in found:
        logged = _day_minutes(session, user_id, day, entry_id)
        if logged + minutes > DAY_MINUTES:
            refuse(
                _l(
                    "This day already has %(logged)s minutes of practice; a day cannot hold "
                    "more than 24 hours.",
                    logged=logged,
                ),
                "minutes",
            )
    if data.client_code is not None and (problem := privacy.client_code_problem(data.client_code)):
        refuse(problem, "client_code")
    if data.client_group is not None and programme.client_group(data.client_group) is None:
        refuse(_l("Choose a client group of this programme."), "client_group")
    if data.activity is not None and programme.activity(data.activity) is None:
        refuse(_l("Choose an activity of this programme."), "activity")
    if any(act not in CORE_ACTS for act in data.core_acts or []):
        refuse(_l("Choose core acts from the list."), "core_acts")
    if data.reflection is not None:
        if len(data.reflection) > MAX_REFLECTION:
            refuse(_l("The reflection is too long."), "reflection")
        elif problem := privacy.reflection_problem(data.reflection):
            refuse(problem, "reflection")
    if data.debrief_session_id is not None:
        item = session.get(TrainingSession, data.debrief_session_id)
        if item is None or item.cohort_id != cohort.id or item.cancelled:
            refuse(_l("Choose a session of your cohort."), "debrief_session_id")
    return list(found.values())


def check(session: Session, data: EntryData, **context) -> None:
    """Refuse an entry that breaks a rule, naming every field at fault and why."""
    found = problems(session, data, **context)
    if found:
        raise EntryRefused(found)
