"""Programmes as data: a programme is a syllabus, with hour categories and the hours each needs,
the share of them a trainee must attend, the supervised practice and quizzes required, and how
long its certificate is valid. ``loader`` reads and checks them from ``programmes/<slug>.yaml``.
"""

from dataclasses import dataclass, field

from lms.courses.api import Problem
from lms.programmes.choices import AUDIENCES, DEFAULT_ACTIVITIES, DEFAULT_CLIENT_GROUPS, Choice

#: months after a cohort ends that its practice reflections are kept, when a programme file does
#: not say: a default a coordinator sets, not a figure from the sources
DEFAULT_REFLECTION_RETENTION_MONTHS = 24


@dataclass(frozen=True)
class Category:
    """A part of the syllabus whose hours are counted on their own."""

    slug: str
    titles: dict[str, str]
    hours: float
    attendance_minimum: float
    courses: tuple[str, ...]
    hour_minutes: int

    def title_for(self, language: str) -> str:
        return self.titles.get(language, self.titles["en"])

    @property
    def syllabus_minutes(self) -> int:
        """The category's length in minutes, as the syllabus plans it."""
        return round(self.hours * self.hour_minutes)

    @property
    def required_minutes(self) -> int:
        """Minutes a trainee must be credited with: the syllabus times the share to attend."""
        return round(self.hours * self.hour_minutes * self.attendance_minimum)


@dataclass(frozen=True)
class Programme:
    """A programme's syllabus and requirements."""

    slug: str
    titles: dict[str, str]
    summaries: dict[str, str]
    hours: float
    hour_minutes: int
    attendance_minimum: float
    categories: tuple[Category, ...]
    practice_hours: float = 0
    practice_clients: int = 0
    #: whether trainees keep a practice log (the programme has a ``practice:`` block)
    practice_logged: bool = False
    client_groups: tuple[Choice, ...] = DEFAULT_CLIENT_GROUPS
    activities: tuple[Choice, ...] = DEFAULT_ACTIVITIES
    quizzes: tuple[str, ...] = ()
    certificate_valid_months: int | None = None
    requires_certificate: str | None = None
    #: lessons (``course/lesson``) a trainee must mark as read
    required_lessons: tuple[str, ...] = ()
    #: a trainer must sign the trainee's completion off before a certificate is issued
    final_sign_off: bool = False
    #: the certificate is issued as soon as the final sign-off makes the trainee eligible
    auto_issue: bool = False
    #: this programme renews another programme's certificate instead of granting its own
    renews: str | None = None
    #: months after a cohort ends that the reflections and review comments of its practice are
    #: kept before ``lms privacy purge`` removes them
    reflection_retention_months: int = DEFAULT_REFLECTION_RETENTION_MONTHS
    #: whom the programme prepares (an ``AUDIENCES`` slug): the programmes page groups by it
    prepares: str | None = None
    #: the place among the programmes of its group (then by slug)
    order: int = 100

    def title_for(self, language: str) -> str:
        return self.titles.get(language, self.titles["en"])

    def summary_for(self, language: str) -> str:
        return self.summaries.get(language, self.summaries.get("en", ""))

    def client_group(self, slug: str) -> Choice | None:
        return next((group for group in self.client_groups if group.slug == slug), None)

    def activity(self, slug: str) -> Choice | None:
        return next((activity for activity in self.activities if activity.slug == slug), None)

    @property
    def certifies(self) -> bool:
        """Whether completing the programme earns a certificate."""
        return bool(self.certificate_valid_months or self.renews)

    def category(self, slug: str) -> Category | None:
        return next((category for category in self.categories if category.slug == slug), None)

    @property
    def uses_academic_hours(self) -> bool:
        return self.hour_minutes != 60


@dataclass
class ProgrammeSet:
    """Every programme that loaded, and every problem found on the way."""

    programmes: dict[str, Programme] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: slugs whose file has problems (served from ``stale`` or not at all)
    broken: set[str] = field(default_factory=set)
    #: slugs served in the last version that loaded, because their file broke since
    stale: set[str] = field(default_factory=set)

    def get(self, slug: str) -> Programme | None:
        return self.programmes.get(slug)

    def __iter__(self):
        """In the programmes page's order: by whom they prepare, then their order in the group."""
        return iter(sorted(self.programmes.values(), key=_place))


_AUDIENCE_PLACES = {audience.slug: place for place, audience in enumerate(AUDIENCES)}


def _place(programme: Programme) -> tuple[int, int, str]:
    return (
        _AUDIENCE_PLACES.get(programme.prepares, len(AUDIENCES)),
        programme.order,
        programme.slug,
    )


def grouped_by_audience(programmes) -> list[tuple[Choice | None, list[Programme]]]:
    """Programmes grouped by whom they prepare, in ``AUDIENCES`` order; those that do not say come
    last, under ``None``. Within a group, by their ``order``, then slug."""
    groups: list[tuple[Choice | None, list[Programme]]] = []
    for audience in (*AUDIENCES, None):
        members = [
            programme
            for programme in programmes
            if programme.prepares == (audience.slug if audience else None)
        ]
        members.sort(key=_place)
        if members:
            groups.append((audience, members))
    return groups
