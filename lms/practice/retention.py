"""How long a practice entry's reflection is kept: until a number of months (the programme's
``reflection_retention_months``) after its cohort's last day. ``lms.privacy.retention`` removes
the reflections and review comments whose day has come; the entry page says when that will be.
"""

import calendar
from datetime import date

from lms.cohorts.models import Cohort
from lms.programmes.api import Programme


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter (31 Jan -> 28 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reflections_removed_on(cohort: Cohort, programme: Programme) -> date:
    """The day the reflections of a cohort's practice are removed: the retention period's
    months after the cohort's last day (every cohort has one: the schema requires it)."""
    return add_months(cohort.ends_on, programme.reflection_retention_months)


def reflections_due(cohort: Cohort, programme: Programme, today: date) -> bool:
    """Whether the cohort's reflections should be gone by ``today``."""
    return reflections_removed_on(cohort, programme) <= today
