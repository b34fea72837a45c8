"""Cohort pages: list, create and edit, enrolment (one by one or CSV), the cohort page with its
schedule, calendar feeds. The schedule's own pages are in ``schedule_routes``."""

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import coordinators_only, login_required, public, roles_required
from lms.auth.models import Role, User
from lms.cohorts import (
    calendar,
    schedule_routes,  # noqa: F401  (the schedule's pages join the blueprint)
    services,
    sessions,
)
from lms.cohorts.api import get_cohort, managed_cohort
from lms.cohorts.blueprint import bp
from lms.cohorts.forms import CohortForm, StatusForm
from lms.cohorts.models import (
    STATUS_LABELS,
    Cohort,
    new_calendar_token,
)
from lms.errors import refused
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.programmes.api import get_programme, get_programmes
from lms.security import cacheable


@bp.route("/")
@login_required
def index():
    """The cohorts a person runs, trains or takes part in."""
    cohorts = services.visible_cohorts(db.session, current_user)
    return render_template("cohorts/index.html", cohorts=cohorts, programmes=get_programmes())


def _cohort_form(cohort: Cohort | None) -> CohortForm:
    form = CohortForm(obj=cohort)
    form.programme.choices = [
        (programme.slug, programme.title_for(current_user.language))
        for programme in get_programmes()
    ]
    form.trainers.choices = [
        (user.id, user.display_name) for user in services.trainer_choices(db.session)
    ]
    if cohort is not None and request.method == "GET":
        form.programme.data = cohort.programme_slug
        form.trainers.data = [trainer.id for trainer in cohort.trainers]
    return form


def _save_cohort(form: CohortForm, cohort: Cohort | None):
    if not form.validate_on_submit():
        return None
    try:
        saved = services.save_cohort(
            db.session,
            cohort,
            programme=get_programme(form.programme.data),
            name=form.name.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            region=form.region.data,
            capacity=form.capacity.data,
            trainer_ids=form.trainers.data or [],
            actor=current_user,
        )
    except services.CohortError as error:
        refused(error, form, to_form=True)
        return None
    db.session.commit()
    flash(_("The cohort %(name)s has been saved.", name=saved.name), "success")
    return redirect(url_for("cohorts.show", cohort_id=saved.id))


@bp.route("/new", methods=["GET", "POST"])
@coordinators_only
def new():
    form = _cohort_form(None)
    return _save_cohort(form, None) or render_template("cohorts/form.html", form=form, cohort=None)


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@coordinators_only
def edit(cohort_id: int):
    cohort = get_cohort(cohort_id)
    form = _cohort_form(cohort)
    return _save_cohort(form, cohort) or render_template(
        "cohorts/form.html", form=form, cohort=cohort
    )


@bp.route("/<int:cohort_id>/trainees/<int:user_id>/status", methods=["POST"])
@coordinators_only
def set_status(cohort_id: int, user_id: int):
    enrolment = services.enrolment_of(db.session, cohort_id, user_id) or abort(404)
    form = StatusForm()
    form.status.choices = list(STATUS_LABELS.items())
    if form.validate_on_submit():
        services.set_status(db.session, enrolment, form.status.data, current_user)
        db.session.commit()
        flash(_("The status of %(name)s is saved.", name=enrolment.user.display_name), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort_id, _anchor="trainees"))


#: Calendar apps poll often; the feed's secret address keeps it out of shared caches.
CALENDAR_POLICY = "private, max-age=300"


def _ics(body: bytes, name: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response


@bp.route("/<int:cohort_id>/calendar/<token>.ics")
@public
@cacheable(CALENDAR_POLICY)
def cohort_feed(cohort_id: int, token: str):
    """The cohort's sessions for a calendar app; the secret address is the only key."""
    cohort = db.session.scalar(
        sa.select(Cohort).where(Cohort.id == cohort_id, Cohort.calendar_token == token)
    ) or abort(404)
    items = sessions.cohort_sessions(db.session, cohort.id)
    return _ics(calendar.feed(cohort.name, [(cohort, item) for item in items]), "tugi")


@bp.route("/calendar/<token>.ics")
@public
@cacheable(CALENDAR_POLICY)
def personal_feed(token: str):
    """A person's sessions: of their active cohorts and those they teach; with
    ``?coordinated=1``, a coordinator's also those of the cohorts they coordinate."""
    user = db.session.scalar(
        sa.select(User).where(User.calendar_token == token, User.active)
    ) or abort(404)
    coordinated = request.args.get("coordinated") == "1"
    rows = calendar.personal_sessions(db.session, user, coordinated=coordinated)
    return _ics(calendar.feed("Tugi", rows), "tugi")


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def my_calendar():
    """The person's own feed address. Posting makes one, or a new one that stops the old; a GET
    only shows."""
    form = ConfirmForm()
    if form.validate_on_submit():
        renewed = current_user.calendar_token is not None
        current_user.calendar_token = new_calendar_token()
        db.session.commit()
        if renewed:
            flash(_("A new calendar address was made; the old one no longer works."), "success")
        return redirect(url_for("cohorts.my_calendar"))
    token = current_user.calendar_token
    url = url_for("cohorts.personal_feed", token=token, _external=True) if token else None
    coordinated = None
    if token and current_user.has_role(Role.COORDINATOR):
        coordinated = url_for("cohorts.personal_feed", token=token, coordinated=1, _external=True)
    return render_template("cohorts/calendar.html", url=url, coordinated=coordinated, form=form)


@bp.route("/<int:cohort_id>/calendar/reset", methods=["POST"])
@roles_required(Role.TRAINER, Role.COORDINATOR)
def reset_cohort_feed(cohort_id: int):
    cohort = managed_cohort(cohort_id)
    if ConfirmForm().validate_on_submit():
        cohort.calendar_token = new_calendar_token()
        db.session.commit()
        flash(_("A new calendar address was made; the old one no longer works."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="calendar"))


# Enrolling many people (CSV, picking from a list) has its own module on this blueprint.
from lms.cohorts import enrolment_routes  # noqa: E402, F401
