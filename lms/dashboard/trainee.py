"""Where a trainee stands in each cohort: hours, the next sessions, lessons to read, quizzes open
to them, practice, and the certificate checklist or the certificate itself.

The checklist of each active enrolment is ``cohort_eligibility`` (a fixed number of statements
per active enrolment; a person rarely has more than one), given what the home has read already:
the enrolment, the cohort's sessions, the lessons read and the person's certificates (which also
give the completed cohorts' certificates and the expiry banner); its quiz results serve the home
too. Everything else is read once for all their cohorts.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.attendance.api import OpenSession, open_among
from lms.certificates.api import Eligibility, cohort_eligibility
from lms.certificates.models import Certificate
from lms.cohorts import api as cohorts
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus, TrainingSession
from lms.courses.api import Catalog, Course, Lesson
from lms.practice import api as practice_log
from lms.programmes.api import Programme, ProgrammeSet
from lms.quizzes import api as quizzes
from lms.quizzes.api import Quiz
from lms.quizzes.models import QuizWindow

SESSIONS_SHOWN = 3
LESSONS_SHOWN = 5


@dataclass
class LessonToRead:
    """A lesson not yet completed: to read before ``before``, or required by the programme."""

    course: Course
    lesson: Lesson
    before: TrainingSession | None = None


@dataclass
class OpenQuiz:
    """A required quiz not yet passed that the trainee can take (or go on with) now."""

    quiz: Quiz
    window: QuizWindow | None = None
    in_progress: bool = False
    waiting: bool = False  # submitted; an essay waits for a trainer's grade


@dataclass
class ActiveCohort:
    """A cohort the trainee is taking now, and where they stand in it."""

    enrolment: Enrolment
    programme: Programme
    check: Eligibility
    sessions: list[TrainingSession] = field(default_factory=list)
    lessons: list[LessonToRead] = field(default_factory=list)
    more_lessons: int = 0
    quizzes: list[OpenQuiz] = field(default_factory=list)
    practice: practice_log.Progress | None = None
    #: make-up sessions and whom to ask, when the trainee is at risk
    help: cohorts.RiskHelp | None = None
    #: when the next session that is not called off starts (or is running)
    meets_next: datetime | None = None

    @property
    def cohort(self) -> Cohort:
        return self.enrolment.cohort


@dataclass
class FinishedCohort:
    """A completed enrolment (or one whose programme file is missing), shown briefly."""

    enrolment: Enrolment
    programme: Programme | None
    certificate: Certificate | None = None


@dataclass
class TraineeHome:
    active: list[ActiveCohort] = field(default_factory=list)
    finished: list[FinishedCohort] = field(default_factory=list)
    on_now: list[OpenSession] = field(default_factory=list)  # sessions open for check-in now
    #: running enrolments whose programme file never loaded: shown as such, never as completed
    unavailable: list[Enrolment] = field(default_factory=list)
    #: every certificate the person holds or held (for the checklists and the expiry banner)
    certificates: list[Certificate] = field(default_factory=list)

    @property
    def enrolled(self) -> bool:
        return bool(self.active or self.finished or self.unavailable)


#: The home's reads, built once (building a statement costs more than running it): the
#: person's enrolments but withdrawn ones, newest first, with their cohorts (not the trainers);
#: their certificates; the sessions of some cohorts; the quizzes' windows in some cohorts.
_ENROLMENTS = (
    sa.select(Enrolment)
    .where(
        Enrolment.user_id == sa.bindparam("user_id"),
        Enrolment.status != EnrolmentStatus.WITHDRAWN,
    )
    .options(so.joinedload(Enrolment.cohort).lazyload(Cohort.trainers))
    .order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc())
)
_CERTIFICATES = sa.select(Certificate).where(Certificate.user_id == sa.bindparam("user_id"))
_SESSIONS = (
    sa.select(TrainingSession)
    .where(TrainingSession.cohort_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(TrainingSession.starts_at, TrainingSession.id)
)
_WINDOWS = sa.select(QuizWindow).where(
    QuizWindow.cohort_id.in_(sa.bindparam("ids", expanding=True)),
    QuizWindow.quiz_slug.in_(sa.bindparam("slugs", expanding=True)),
)


def _sessions(session: Session, cohort_ids: list[int]) -> dict[int, list[TrainingSession]]:
    """cohort id -> all its sessions, soonest first (cancelled ones included)."""
    found: dict[int, list[TrainingSession]] = {cohort_id: [] for cohort_id in cohort_ids}
    for item in session.scalars(_SESSIONS, {"ids": cohort_ids}):
        found[item.cohort_id].append(item)
    return found


def _lessons(
    catalog: Catalog, programme: Programme, upcoming: list[TrainingSession], completed
) -> list[LessonToRead]:
    """Lessons of the coming sessions, then the programme's required ones, not yet completed."""
    found: list[LessonToRead] = []
    seen: set[tuple[str, str]] = set()
    wanted = [(ref, item) for item in upcoming if not item.cancelled for ref in item.lessons or []]
    wanted += [(ref, None) for ref in programme.required_lessons]
    for ref, before in wanted:
        course_slug, _, lesson_slug = ref.partition("/")
        key = (course_slug, lesson_slug)
        course = catalog.course(course_slug)
        lesson = course.lesson(lesson_slug) if course else None
        if lesson is None or key in completed or key in seen:
            continue
        seen.add(key)
        found.append(LessonToRead(course, lesson, before))
    return found


def _open_quizzes(
    item: ActiveCohort, by_slug: dict[str, Quiz], windows, results, now: datetime
) -> list[OpenQuiz]:
    passed = {line.detail for line in item.check.requirements if line.kind == "quiz" and line.met}
    found = []
    for slug in item.programme.quizzes:
        quiz = by_slug.get(slug)
        if quiz is None or slug in passed:
            continue
        window = windows.get((item.cohort.id, slug))
        result = results.get((item.enrolment.user_id, slug)) or quizzes.Result()
        if result.open or result.waiting:
            found.append(OpenQuiz(quiz, window, in_progress=result.open, waiting=result.waiting))
        elif quizzes.why_closed(quiz, window, result.attempts, now) is None:
            found.append(OpenQuiz(quiz, window))
    return found


def trainee_home(
    session: Session,
    user_id: int,
    programmes: ProgrammeSet,
    catalog: Catalog,
    completed: set[tuple[str, str]],
    *,
    now: datetime,
    today: date,
    early_minutes: int = 15,
) -> TraineeHome:
    """The trainee's active cohorts in full, the one that meets next first, and the completed
    ones briefly, newest first.

    ``completed`` is the person's completed lessons (``courses.services.completed_lessons``).
    ``early_minutes``: how long before a session starts its check-in opens."""
    enrolments = session.scalars(_ENROLMENTS, {"user_id": user_id}).all()
    home = TraineeHome()
    home.certificates = list(session.scalars(_CERTIFICATES, {"user_id": user_id}))
    for enrolment in enrolments:
        programme = programmes.get(enrolment.cohort.programme_slug)
        if enrolment.status == EnrolmentStatus.ACTIVE and programme is None:
            home.unavailable.append(enrolment)
        elif enrolment.status == EnrolmentStatus.ACTIVE:
            home.active.append(ActiveCohort(enrolment, programme, None))
        else:
            home.finished.append(FinishedCohort(enrolment, programme))
    held = {certificate.enrolment_id: certificate for certificate in home.certificates}
    for item in home.finished:
        item.certificate = held.get(item.enrolment.id)
    if home.active:
        # the sessions of every cohort the person is taking, read once: for the checklists,
        # the coming sessions and the check-in open now (in a cohort whose programme is
        # missing too, as ``attendance.api.open_for``)
        running = [item.enrolment for item in home.active] + home.unavailable
        sessions = _sessions(session, [enrolment.cohort_id for enrolment in running])
        read = {f"{course}/{lesson}" for course, lesson in completed}
        for item in home.active:
            item.check = cohort_eligibility(
                session, item.cohort, item.programme, user_id=user_id, now=now, today=today,
                enrolment=item.enrolment, sessions=sessions[item.cohort.id], lessons_read=read,
                certificates=home.certificates,
            )[user_id]  # fmt: skip
        _fill_active(session, home.active, sessions, catalog, completed, now)
        # several at once: the cohort that meets next first, then those with nothing scheduled
        home.active.sort(key=_next_meeting)
        every = [item for enrolment in running for item in sessions[enrolment.cohort_id]]
        home.on_now = open_among(session, user_id, every, now, early_minutes)
    return home


def _next_meeting(item: ActiveCohort) -> tuple[int, float]:
    meets = item.meets_next
    return (0, meets.timestamp()) if meets else (1, 0.0)


def _fill_active(
    session: Session, active: list[ActiveCohort], sessions, catalog, completed, now
) -> None:
    """Sessions, lessons, quizzes and practice of every active cohort, read once for all."""
    user_id = active[0].enrolment.user_id
    ids = [item.cohort.id for item in active]
    upcoming = {
        cohort_id: [item for item in sessions[cohort_id] if item.ends_at > now] for cohort_id in ids
    }
    slugs = {slug for item in active for slug in item.programme.quizzes}
    by_slug = {quiz.slug: quiz for quiz in quizzes.quizzes_named(session, sorted(slugs))}
    windows, results = {}, {}
    if by_slug:
        windows = {
            (window.cohort_id, window.quiz_slug): window
            for window in session.scalars(_WINDOWS, {"ids": ids, "slugs": list(by_slug)})
        }
        if any(item.check.since is not None for item in active):
            # taking a programme again: the checklist counts only the new attempts, while
            # whether a quiz is still open counts them all
            results = quizzes.results(session, [user_id], list(by_slug.values()), now=now)
        else:  # the checklists read them all already
            results = {
                (user_id, slug): result
                for item in active
                for slug, result in item.check.results.items()
            }
    # the checklist holds the totals when the programme requires practice; read the others
    logged = [
        i.cohort.id for i in active if i.programme.practice_logged and i.check.practice is None
    ]
    practice = practice_log.totals(session, logged, [user_id]) if logged else {}
    for item in active:
        coming = upcoming[item.cohort.id]
        item.sessions = coming[:SESSIONS_SHOWN]
        item.meets_next = next((found.starts_at for found in coming if not found.cancelled), None)
        lessons = _lessons(catalog, item.programme, coming, completed)
        item.lessons, item.more_lessons = lessons[:LESSONS_SHOWN], len(lessons[LESSONS_SHOWN:])
        item.quizzes = _open_quizzes(item, by_slug, windows, results, now)
        if item.programme.practice_logged:
            line = item.check.practice or practice.get((item.cohort.id, user_id))
            item.practice = practice_log.progress(item.programme, line or practice_log.Totals())
        ledger = item.check.ledger
        if ledger.at_risk:  # two statements, only for a cohort the trainee is at risk in
            wanted = [line.category.slug for line in ledger.unreachable_lines]
            item.help = cohorts.risk_help(session, item.cohort, wanted, now)
