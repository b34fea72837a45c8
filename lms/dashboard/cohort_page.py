"""The cohort page: its schedule with every trainee's hours ledger for staff, or for a trainee their
own ledger, quiz results and practice progress. It draws on attendance, quizzes and practice, so
it lives up here with the home dashboards rather than in cohorts, which they all build on."""

from datetime import UTC, datetime
from functools import cache

from flask import current_app, render_template
from flask_login import current_user

from lms.access import ensure_visible, login_required
from lms.attendance.api import build_matrix
from lms.cohorts import api as cohorts
from lms.cohorts.api import EnrolForm, StatusForm, bp, get_cohort, programme_of
from lms.cohorts.models import STATUS_LABELS
from lms.dashboard.ledgers import cohort_ledgers
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import local_today
from lms.practice import api as practice_queries
from lms.quizzes import api as quizzes


@bp.route("/<int:cohort_id>/")
@login_required
def show(cohort_id: int):
    """Staff see the schedule and every trainee's ledger; a trainee sees the schedule and theirs."""
    cohort = get_cohort(cohort_id)
    manages = cohorts.can_manage(current_user, cohort)
    enrolment = cohorts.enrolment_of(db.session, cohort.id, current_user.id)
    ensure_visible(manages or enrolment is not None)
    programme = programme_of(cohort)
    sessions = cohorts.cohort_sessions(db.session, cohort.id)
    now, today = datetime.now(UTC), local_today()
    if manages:  # every trainee's totals, summed by the database: no mark is read one by one
        ledgers = cohort_ledgers(db.session, [(cohort, programme)], today=today)[cohort.id]
    else:
        ledgers = build_matrix(
            db.session, cohort, programme, sessions, user_id=current_user.id, now=now, today=today
        ).ledgers
    status_form = StatusForm()
    # translated here once, not for each trainee's menu
    status_form.status.choices = [(value, str(label)) for value, label in STATUS_LABELS.items()]
    required = [
        quiz
        for quiz in quizzes.programme_quizzes(programme, quizzes.all_quizzes(db.session))
        if quiz.slug in programme.quizzes
    ]
    results, practice_progress = {}, None
    if not manages and programme.practice_logged:
        line = practice_queries.trainee_totals(db.session, cohort.id, current_user.id)
        practice_progress = practice_queries.progress(programme, line)
    if not manages:
        results = quizzes.results(db.session, [current_user.id], required, now=now)
    help_ = None
    if not manages and ledgers and ledgers[0].at_risk:
        ledger = ledgers[0]
        wanted = [line.category.slug for line in ledger.unreachable_lines]
        help_ = cohorts.risk_help(db.session, cohort, wanted, now)
    return render_template(
        "cohorts/show.html",
        risk_help=help_,
        scheduled=cohorts.scheduled_hours(programme, sessions),
        marked=cohorts.marked_sessions(db.session, [item.id for item in sessions])
        if manages
        else set(),
        required_quizzes=required,
        practice_progress=practice_progress,
        own_enrolment=enrolment,
        quiz_results={slug: result for (_, slug), result in results.items()},
        cohort=cohort,
        programme=programme,
        sessions=sessions,
        ledgers=ledgers,
        manages=manages,
        now=now,
        enrol_form=EnrolForm(),
        status_form=status_form,
        confirm=ConfirmForm(),
        # the trainees' totals repeat: each distinct number of hours is formatted once
        hours_once=cache(current_app.jinja_env.filters["hours"]),
    )
