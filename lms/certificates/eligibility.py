"""Whether an enrolment has earned its certificate: every requirement of the programme, met or
not, with what remains.

``cohort_eligibility`` reads a whole cohort in a fixed number of queries; ``eligibility`` is the
same for one enrolment. Issuing always re-checks through here, so no route can skip a rule.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.attendance.api import Ledger, build_matrix
from lms.auth.models import User
from lms.certificates.models import Certificate, FinalSignOff, Status
from lms.cohorts.api import cohort_sessions
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.courses.api import lesson_title
from lms.courses.models import LessonCompletion
from lms.practice import api as practice_log
from lms.practice.api import Totals
from lms.programmes.api import Programme, programme_title
from lms.quizzes import api as quizzes


@dataclass
class Requirement:
    """One line of the checklist; ``done`` and ``needed`` in ``unit`` when it is counted."""

    kind: str
    label: str
    met: bool
    done: float | None = None
    needed: float | None = None
    unit: str = ""  # "hours", "percent", "count" or ""
    detail: str = ""

    @property
    def percent(self) -> int | None:
        if self.needed is None or self.done is None:
            return None
        return min(100, round(100 * self.done / self.needed)) if self.needed else 100

    @property
    def remaining(self) -> float:
        if self.needed is None or self.done is None:
            return 0
        return max(0, self.needed - self.done)


@dataclass
class Eligibility:
    enrolment: Enrolment
    programme: Programme
    requirements: list[Requirement] = field(default_factory=list)
    certificate: Certificate | None = None
    sign_off: FinalSignOff | None = None
    ledger: Ledger | None = None
    practice: Totals | None = None
    #: quiz slug -> the person's result in it, counting only attempts since ``since``
    results: dict[str, quizzes.Result] = field(default_factory=dict)
    #: when the person earned this programme's certificate before (and started again)
    since: datetime | None = None

    @property
    def eligible(self) -> bool:
        return self.programme.certifies and all(item.met for item in self.requirements)

    @property
    def missing(self) -> list[Requirement]:
        return [item for item in self.requirements if not item.met]

    @property
    def ready_for_sign_off(self) -> bool:
        """Everything but the trainer's final sign-off is met."""
        return self.programme.final_sign_off and all(
            item.met for item in self.requirements if item.kind != "sign_off"
        )

    @property
    def met_count(self) -> int:
        return sum(item.met for item in self.requirements)


def _hours(minutes: int, hour_minutes: int) -> float:
    return round(minutes / hour_minutes, 2)


def _attendance(programme: Programme, ledger: Ledger, language: str) -> list[Requirement]:
    items = []
    for line in ledger.lines:
        category = line.category
        items.append(
            Requirement(
                "hours",
                category.title_for(language),
                line.met,
                _hours(line.credited, category.hour_minutes),
                _hours(line.required, category.hour_minutes),
                "hours",
            )
        )
    share = ledger.share
    items.append(
        Requirement(
            "attendance",
            _l("Attendance of the sessions held"),
            share is not None and share >= programme.attendance_minimum - 1e-9,
            round(100 * (share or 0)),
            round(100 * programme.attendance_minimum),
            "percent",
        )
    )
    return items


def _language() -> str:
    from flask_babel import get_locale

    locale = get_locale()
    return locale.language if locale else "en"


#: Built once, as every checklist reads them: a cohort's enrolments with their people and cohort
#: (the people's roles and the cohort's trainers are no part of the checklist: not read), one
#: trainee's, their final sign-offs and the people's certificates.
_ENROLMENTS = (
    sa.select(Enrolment)
    .where(Enrolment.cohort_id == sa.bindparam("cohort_id"))
    .options(
        so.joinedload(Enrolment.user).lazyload(User.role_rows),
        so.joinedload(Enrolment.cohort).lazyload(Cohort.trainers),
    )
)
_ENROLMENT_OF = _ENROLMENTS.where(Enrolment.user_id == sa.bindparam("user_id"))
_SIGN_OFFS = sa.select(FinalSignOff).where(
    FinalSignOff.enrolment_id.in_(sa.bindparam("ids", expanding=True))
)
_CERTIFICATES = sa.select(Certificate).where(
    Certificate.user_id.in_(sa.bindparam("ids", expanding=True))
)


def _certificates_by_user(session: Session, user_ids) -> dict[int, list[Certificate]]:
    by_user: dict[int, list[Certificate]] = {}
    for certificate in session.scalars(_CERTIFICATES, {"ids": list(user_ids)}):
        by_user.setdefault(certificate.user_id, []).append(certificate)
    return by_user


def cohort_eligibility(
    session: Session,
    cohort: Cohort,
    programme: Programme,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
    today: date | None = None,
    enrolment: Enrolment | None = None,
    sessions: list | None = None,
    lessons_read: set[str] | None = None,
    certificates: list[Certificate] | None = None,
) -> dict[int, Eligibility]:
    """user id -> Eligibility for the cohort's enrolments (or one trainee's).

    A page that has read them already can pass, for one trainee (``user_id``), their
    ``enrolment`` in the cohort, the ``lessons_read`` ("course/lesson") and all their
    ``certificates``, and the cohort's
    ``sessions`` (all of them, in order): they are then not read again."""
    now = now or datetime.now(UTC)
    today = today or now.date()
    if enrolment is not None or lessons_read is not None or certificates is not None:
        assert user_id is not None and (enrolment is None or enrolment.user_id == user_id)
    if enrolment is not None:
        enrolments = {user_id: enrolment}
    elif user_id is not None:
        parameters = {"cohort_id": cohort.id, "user_id": user_id}
        enrolments = {item.user_id: item for item in session.scalars(_ENROLMENT_OF, parameters)}
    else:
        parameters = {"cohort_id": cohort.id}
        enrolments = {item.user_id: item for item in session.scalars(_ENROLMENTS, parameters)}
    if not enrolments:
        return {}
    ids = list(enrolments)
    if certificates is None:
        certificates = _certificates_by_user(session, ids)
    else:
        assert all(certificate.user_id == user_id for certificate in certificates)
        certificates = {user_id: list(certificates)}
    # someone who earned this programme's certificate before starts again from nothing
    since = {
        user: max(earlier)
        for user in ids
        if (
            earlier := [
                c.issued_at
                for c in certificates.get(user, [])
                if c.earned_in == programme.slug and c.enrolment_id != enrolments[user].id
            ]
        )
    }
    matrix = build_matrix(
        session,
        cohort,
        programme,
        cohort_sessions(session, cohort.id) if sessions is None else sessions,
        user_id=user_id,
        now=now,
        since=since,
        today=today,
        people=None if enrolment is None else [(enrolment.user, enrolment.status)],
    )
    ledgers = {ledger.user.id: ledger for ledger in matrix.ledgers}

    required_lessons = set(programme.required_lessons)
    read: dict[int, set[str]] = {user: set() for user in ids}
    if required_lessons and lessons_read is not None:
        read[user_id] = set(lessons_read)
    elif required_lessons:
        for user, course, lesson in session.execute(
            sa.select(
                LessonCompletion.user_id, LessonCompletion.course_slug, LessonCompletion.lesson_slug
            ).where(LessonCompletion.user_id.in_(ids))
        ):
            read[user].add(f"{course}/{lesson}")

    wanted = quizzes.quizzes_named(session, programme.quizzes)
    results = quizzes.results(session, ids, wanted, since, now=now)
    language = _language()  # the reader's, asked once
    titles = {quiz.slug: quiz.title_for(language) for quiz in wanted}
    by_person: dict[int, dict[str, quizzes.Result]] = {}
    for (person, slug), outcome in results.items():
        by_person.setdefault(person, {})[slug] = outcome

    # practice and the final sign-off are read only for a programme that asks for them
    practice_lines = (
        practice_log.totals(session, [cohort.id], ids)
        if programme.practice_hours or programme.practice_clients
        else {}
    )
    sign_offs = {}
    if programme.final_sign_off:
        sign_offs = {
            sign_off.enrolment_id: sign_off
            for sign_off in session.scalars(
                _SIGN_OFFS, {"ids": [item.id for item in enrolments.values()]}
            )
        }

    table = {}
    for user, enrolment in enrolments.items():
        ledger = ledgers[user]
        result = Eligibility(enrolment, programme, ledger=ledger, since=since.get(user))
        result.results = by_person.get(user, {})
        items = result.requirements
        items.append(
            Requirement(
                "enrolment",
                _l("Still enrolled in the cohort"),
                enrolment.status != EnrolmentStatus.WITHDRAWN,
            )
        )
        items.extend(_attendance(programme, ledger, language))
        if required_lessons:
            unread = sorted(required_lessons - read[user])
            items.append(
                Requirement(
                    "lessons",
                    _l("Required lessons read"),
                    not unread,
                    len(required_lessons) - len(unread),
                    len(required_lessons),
                    "count",
                    ", ".join(lesson_title(ref, language) for ref in unread),
                )
            )
        for slug in programme.quizzes:
            outcome = results.get((user, slug))
            items.append(
                Requirement(
                    "quiz",
                    titles.get(slug, slug),
                    bool(outcome and outcome.passed),
                    detail=slug,
                )
            )
        if programme.practice_hours or programme.practice_clients:
            totals = practice_lines.get((cohort.id, user), Totals())
            result.practice = totals
            progress = practice_log.progress(programme, totals)
            if programme.practice_hours:
                items.append(
                    Requirement(
                        "practice_hours",
                        _l("Supervised practice signed off"),
                        progress.remaining_minutes == 0,
                        _hours(totals.approved_minutes, 60),
                        programme.practice_hours,
                        "hours",
                    )
                )
            if programme.practice_clients:
                items.append(
                    Requirement(
                        "practice_clients",
                        _l("Different clients in signed-off practice"),
                        progress.remaining_clients == 0,
                        totals.client_count,
                        programme.practice_clients,
                        "count",
                    )
                )
        held = certificates.get(user, [])
        result.certificate = next((c for c in held if c.enrolment_id == enrolment.id), None)
        needed = programme.requires_certificate
        if needed:
            current = next(
                (
                    c
                    for c in held
                    if c.programme_slug == needed
                    and c.status_on(today) == Status.VALID
                    and c is not result.certificate
                ),
                None,
            )
            label = (
                _l("A valid certificate to renew")
                if programme.renews
                else _l("A valid certificate of the required programme")
            )
            if result.certificate is not None and programme.renews:
                current = result.certificate.renews  # renewed already: the old one is superseded
            items.append(
                Requirement(
                    "prerequisite",
                    label,
                    current is not None,
                    detail=programme_title(needed, language),
                )
            )
        if programme.final_sign_off:
            result.sign_off = sign_offs.get(enrolment.id)
            items.append(
                Requirement(
                    "sign_off",
                    _l("Final sign-off by a trainer"),
                    result.sign_off is not None,
                )
            )
        table[user] = result
    return table


def eligibility(
    session: Session,
    enrolment: Enrolment,
    programme: Programme,
    *,
    now: datetime | None = None,
    today: date | None = None,
) -> Eligibility:
    """The checklist of one enrolment."""
    return cohort_eligibility(
        session, enrolment.cohort, programme, user_id=enrolment.user_id, now=now, today=today
    )[enrolment.user_id]
