"""Cohort pages: list, create and edit, enrolment (one by one or CSV), schedule, calendar feeds."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import login_required, public, roles_required
from lms.attendance.ledger import build_matrix
from lms.auth import services as accounts
from lms.auth.models import Role, User
from lms.cohorts import calendar, services
from lms.cohorts.forms import CancelForm, CohortForm, EnrolForm, SessionForm, StatusForm
from lms.cohorts.models import (
    STATUS_LABELS,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    TrainingSession,
    new_calendar_token,
)
from lms.courses.services import get_catalog
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.practice import queries as practice_queries
from lms.programmes.services import get_programme, get_programmes, programme_or_unavailable
from lms.quizzes import services as quizzes
from lms.security import cacheable
from lms.users.forms import ImportForm
from lms.users.routes import email_password_link, make_password_link

bp = Blueprint("cohorts", __name__)
coordinators_only = roles_required(Role.COORDINATOR)
SAMPLE_CSV = (
    "email,display_name,language,municipality\n"
    "maria.tamm@example.org,Maria Tamm,et,Võru\n"
    "olena.k@example.org,Olena Kovalenko,uk,Põlva\n"
)


def get_cohort(cohort_id: int) -> Cohort:
    return db.session.get(Cohort, cohort_id) or abort(404)


def managed_cohort(cohort_id: int) -> Cohort:
    """The cohort, if the current person runs it; others get a 404, not a hint it exists."""
    cohort = get_cohort(cohort_id)
    if not services.can_manage(current_user, cohort):
        abort(404)
    return cohort


def managed_session(session_id: int) -> TrainingSession:
    item = db.session.get(
        TrainingSession, session_id, options=[so.joinedload(TrainingSession.cohort)]
    ) or abort(404)
    managed_cohort(item.cohort_id)
    return item


def programme_of(cohort: Cohort):
    """The cohort's programme; when its file never loaded, the page says so instead."""
    return programme_or_unavailable(cohort.programme_slug, cohort)


def zone() -> str:
    return current_app.config["TIMEZONE"]


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
        db.session.rollback()
        form.form_errors.append(str(error))
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


@bp.route("/<int:cohort_id>/")
@login_required
def show(cohort_id: int):
    """Staff see the schedule and every trainee's ledger; a trainee sees the schedule and theirs."""
    cohort = get_cohort(cohort_id)
    manages = services.can_manage(current_user, cohort)
    enrolment = services.enrolment_of(db.session, cohort.id, current_user.id)
    if not manages and enrolment is None:
        abort(404)
    programme = programme_of(cohort)
    sessions = services.cohort_sessions(db.session, cohort.id)
    matrix = build_matrix(
        db.session, cohort, programme, sessions, user_id=None if manages else current_user.id
    )
    status_form = StatusForm()
    status_form.status.choices = list(STATUS_LABELS.items())
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
        if quizzes.finish_overdue(db.session, datetime.now(UTC), user_id=current_user.id):
            db.session.commit()
        results = quizzes.results(db.session, [current_user.id], required)
    return render_template(
        "cohorts/show.html",
        required_quizzes=required,
        practice_progress=practice_progress,
        own_enrolment=enrolment,
        quiz_results={slug: result for (_, slug), result in results.items()},
        cohort=cohort,
        programme=programme,
        sessions=sessions,
        matrix=matrix,
        manages=manages,
        now=datetime.now(UTC),
        enrol_form=EnrolForm(),
        status_form=status_form,
        confirm=ConfirmForm(),
    )


@bp.route("/<int:cohort_id>/enrol", methods=["POST"])
@coordinators_only
def enrol(cohort_id: int):
    cohort = get_cohort(cohort_id)
    form = EnrolForm()
    if form.validate_on_submit():
        user = accounts.find_user_by_email(db.session, accounts.normalise_email(form.email.data))
        try:
            if user is None:
                raise services.CohortError(_("Nobody has an account with this email address."))
            services.enrol(db.session, cohort, programme_of(cohort), user, current_user)
        except services.CohortError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s has been enrolled.", name=user.display_name), "success")
    else:
        flash(_("Enter the trainee's email address."), "error")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="trainees"))


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


@bp.route("/<int:cohort_id>/import", methods=["GET", "POST"])
@coordinators_only
def import_csv(cohort_id: int):
    """Enrol trainees from CSV: all rows or none, with every bad row listed by line."""
    cohort = get_cohort(cohort_id)
    programme = programme_of(cohort)
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append(_("The file must be saved as UTF-8 text."))
        else:
            result = services.import_enrolments(
                db.session,
                cohort,
                programme,
                text,
                password_method=current_app.config["PASSWORD_HASH_METHOD"],
                actor=current_user,
            )
            if not result.problems:
                new_people = [user for user in result.created if user.password_hash is None]
                urls = [(user, make_password_link(user)) for user in new_people]
                db.session.commit()
                links = [(user, url, email_password_link(user, url)) for user, url in urls]
                return render_template(
                    "cohorts/imported.html", cohort=cohort, enrolled=result.created, links=links
                )
            db.session.rollback()
    return render_template("cohorts/import.html", form=form, result=result, cohort=cohort)


@bp.route("/import/sample.csv")
@coordinators_only
def sample_csv():
    return Response(
        SAMPLE_CSV,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=tugi-enrolment-sample.csv"},
    )


# --- The schedule -----------------------------------------------------------------------------


def _lesson_choices(programme, item_lessons=()):
    catalog = get_catalog()
    courses = {slug for category in programme.categories for slug in category.courses}
    choices = []
    for course in catalog.courses:
        if course.slug not in courses:
            continue
        for lesson in course.lessons:
            title = lesson.text_for(current_user.language).title
            choices.append(
                (
                    f"{course.slug}/{lesson.slug}",
                    f"{course.title_for(current_user.language)}: {title}",
                )
            )
    known = {value for value, _label in choices}
    choices += [(ref, ref) for ref in item_lessons if ref not in known]
    return choices


def _session_form(programme, item: TrainingSession | None = None) -> SessionForm:
    form = SessionForm()
    form.category.choices = [
        (category.slug, category.title_for(current_user.language))
        for category in programme.categories
    ]
    form.lessons.choices = _lesson_choices(programme, item.lessons if item else ())
    if item is not None and request.method == "GET":
        local_start = item.starts_at.astimezone(ZoneInfo(zone()))
        local_end = item.ends_at.astimezone(ZoneInfo(zone()))
        form.title.data, form.category.data = item.title, item.category
        form.day.data, form.start.data = local_start.date(), local_start.time()
        form.end.data = local_end.time()
        form.place.data, form.online_url.data = item.place, item.online_url
        form.lessons.data = list(item.lessons or [])
    return form


def _plan(form: SessionForm) -> services.SessionPlan:
    return services.SessionPlan(
        title=form.title.data or "",
        category=form.category.data,
        day=form.day.data,
        start=form.start.data,
        end=form.end.data,
        place=form.place.data or "",
        online_url=form.online_url.data or "",
        lessons=form.lessons.data or [],
        repeat_weeks=(form.repeat_weeks.data or 1) if form.repeat_weeks else 1,
    )


@bp.route("/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.COORDINATOR)
def new_session(cohort_id: int):
    """Schedule a session, or a weekly series of them in one step."""
    cohort = managed_cohort(cohort_id)
    programme = programme_of(cohort)
    form = _session_form(programme)
    if form.validate_on_submit():
        try:
            created = services.schedule(
                db.session,
                cohort,
                programme,
                _plan(form),
                zone=zone(),
                lesson_refs={value for value, _label in form.lessons.choices},
                actor=current_user,
            )
        except services.CohortError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            message = ngettext(
                "%(num)d session scheduled.", "%(num)d sessions scheduled.", len(created)
            )
            flash(message, "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="schedule"))
    return render_template("cohorts/session_form.html", form=form, cohort=cohort, item=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.COORDINATOR)
def edit_session(session_id: int):
    item = managed_session(session_id)
    cohort = item.cohort
    programme = programme_of(cohort)
    form = _session_form(programme, item)
    del form.repeat_weeks
    if item.cancelled:
        flash(_("A cancelled session cannot be changed."), "error")
        return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="schedule"))
    if form.validate_on_submit():
        try:
            services.update_session(
                db.session,
                item,
                programme,
                _plan(form),
                zone=zone(),
                lesson_refs={value for value, _label in form.lessons.choices},
                actor=current_user,
            )
        except services.CohortError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The session has been saved."), "success")
            return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="schedule"))
    return render_template("cohorts/session_form.html", form=form, cohort=cohort, item=item)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@roles_required(Role.TRAINER, Role.COORDINATOR)
def cancel_session(session_id: int):
    """Ask for a reason, then cancel; the session and its register stay in the history."""
    item = managed_session(session_id)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_session(db.session, item, form.reason.data, current_user)
        except services.CohortError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(_("The session has been cancelled."), "success")
            return redirect(url_for("cohorts.show", cohort_id=item.cohort_id, _anchor="schedule"))
    return render_template("cohorts/cancel.html", form=form, item=item)


# --- Calendar feeds ---------------------------------------------------------------------------

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
    sessions = services.cohort_sessions(db.session, cohort.id)
    return _ics(calendar.feed(cohort.name, [(cohort, item) for item in sessions]), "tugi")


@bp.route("/calendar/<token>.ics")
@public
@cacheable(CALENDAR_POLICY)
def personal_feed(token: str):
    """A person's sessions across their active cohorts, for a calendar app."""
    user = db.session.scalar(
        sa.select(User).where(User.calendar_token == token, User.active)
    ) or abort(404)
    rows = db.session.execute(
        sa.select(Cohort, TrainingSession)
        .join(TrainingSession, TrainingSession.cohort_id == Cohort.id)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .where(Enrolment.user_id == user.id, Enrolment.status == EnrolmentStatus.ACTIVE)
        .order_by(TrainingSession.starts_at)
    ).all()
    return _ics(calendar.feed("Tugi", [(cohort, item) for cohort, item in rows]), "tugi")


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def my_calendar():
    """The person's own feed address; posting makes a new one and the old stops working."""
    form = ConfirmForm()
    if form.validate_on_submit() or current_user.calendar_token is None:
        current_user.calendar_token = new_calendar_token()
        db.session.commit()
        if request.method == "POST":
            flash(_("A new calendar address was made; the old one no longer works."), "success")
            return redirect(url_for("cohorts.my_calendar"))
    url = url_for("cohorts.personal_feed", token=current_user.calendar_token, _external=True)
    return render_template("cohorts/calendar.html", url=url, form=form)


@bp.route("/<int:cohort_id>/calendar/reset", methods=["POST"])
@roles_required(Role.TRAINER, Role.COORDINATOR)
def reset_cohort_feed(cohort_id: int):
    cohort = managed_cohort(cohort_id)
    if ConfirmForm().validate_on_submit():
        cohort.calendar_token = new_calendar_token()
        db.session.commit()
        flash(_("A new calendar address was made; the old one no longer works."), "success")
    return redirect(url_for("cohorts.show", cohort_id=cohort.id, _anchor="calendar"))
