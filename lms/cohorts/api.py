"""The cohorts front door: the look-ups a view starts with, answering 404 to whoever may not
see the cohort. Attendance, quizzes, practice and certificates build on these."""

import sqlalchemy.orm as so
from flask import abort, current_app
from flask_login import current_user

from lms.access import ensure_visible
from lms.cohorts import services
from lms.cohorts.blueprint import bp  # noqa: F401
from lms.cohorts.forms import EnrolForm, StatusForm  # noqa: F401
from lms.cohorts.models import Cohort, TrainingSession
from lms.cohorts.schedule import RiskHelp, marked_sessions, risk_help, scheduled_hours  # noqa: F401
from lms.cohorts.services import can_manage, enrolment_of  # noqa: F401
from lms.cohorts.sessions import cohort_sessions, local_datetime  # noqa: F401
from lms.extensions import db
from lms.programmes.api import programme_or_unavailable


def get_cohort(cohort_id: int) -> Cohort:
    """The cohort, or a 404."""
    return db.session.get(Cohort, cohort_id) or abort(404)


def managed_cohort(cohort_id: int) -> Cohort:
    """The cohort, if the current person runs it; others get a 404, not a hint it exists."""
    cohort = get_cohort(cohort_id)
    ensure_visible(services.can_manage(current_user, cohort))
    return cohort


def managed_session(session_id: int) -> TrainingSession:
    """The session, if the current person runs its cohort; else a 404."""
    item = db.session.get(
        TrainingSession, session_id, options=[so.joinedload(TrainingSession.cohort)]
    ) or abort(404)
    managed_cohort(item.cohort_id)
    return item


def programme_of(cohort: Cohort):
    """The cohort's programme; when its file never loaded, the page says so instead."""
    return programme_or_unavailable(cohort.programme_slug, cohort)


def zone() -> str:
    """The time zone sessions are scheduled in."""
    return current_app.config["TIMEZONE"]
