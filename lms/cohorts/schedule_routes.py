"""Schedule pages: schedule a session or a weekly series, edit one session or the rest of its
series, cancel, delete an unmarked session. Saving asks first when something looks wrong
(outside the cohort's dates, in the past, beyond a category's syllabus hours)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import staff_only
from lms.cohorts import schedule, services, sessions
from lms.cohorts.api import managed_cohort, managed_session, programme_of, zone
from lms.cohorts.blueprint import bp
from lms.cohorts.forms import CancelForm, SeriesForm, SessionForm
from lms.cohorts.lessons import lesson_choices
from lms.cohorts.models import TrainingSession
from lms.errors import refused
from lms.extensions import db
from lms.forms import ConfirmForm


def _form(form_class, programme, item: TrainingSession | None = None):
    form = form_class()
    form.category.choices = [
        (category.slug, category.title_for(current_user.language))
        for category in programme.categories
    ]
    if hasattr(form, "lessons"):
        form.lessons.choices = lesson_choices(programme, item.lessons if item else ())
    if item is not None and request.method == "GET":
        start = item.starts_at.astimezone(ZoneInfo(zone()))
        form.title.data, form.category.data = item.title, item.category
        form.start.data = start.time()
        form.end.data = item.ends_at.astimezone(ZoneInfo(zone())).time()
        form.place.data, form.online_url.data = item.place, item.online_url
        if hasattr(form, "day"):
            form.day.data = start.date()
            form.lessons.data = list(item.lessons or [])
    return form


def _plan(form, day=None) -> sessions.SessionPlan:
    return sessions.SessionPlan(
        title=form.title.data or "",
        category=form.category.data,
        day=day or form.day.data,
        start=form.start.data,
        end=form.end.data,
        place=form.place.data or "",
        online_url=form.online_url.data or "",
        lessons=(form.lessons.data or []) if hasattr(form, "lessons") else [],
        repeat_weeks=(form.repeat_weeks.data or 1) if getattr(form, "repeat_weeks", None) else 1,
    )


def _unconfirmed(form, warnings) -> bool:
    """True when there are warnings the person has not confirmed yet; the form then carries
    their digest, so pressing *Save anyway* without changes saves."""
    digest = schedule.fingerprint(warnings)
    if not warnings or form.confirmed.data == digest:
        return False
    form.confirmed.data = digest
    return True


def _to_schedule(cohort_id: int):
    return redirect(url_for("cohorts.show", cohort_id=cohort_id, _anchor="schedule"))


@bp.route("/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@staff_only
def new_session(cohort_id: int):
    """Schedule a session, or a weekly series of them in one step."""
    cohort = managed_cohort(cohort_id)
    programme = programme_of(cohort)
    form, warnings = _form(SessionForm, programme), []
    if form.validate_on_submit():
        plan, refs = _plan(form), {value for value, _label in form.lessons.choices}
        try:
            sessions.check_plan(plan, programme, refs)
            days = [plan.day + timedelta(weeks=n) for n in range(plan.repeat_weeks)]
            warnings = schedule.warnings_for(
                cohort,
                programme,
                sessions.cohort_sessions(db.session, cohort.id),
                schedule.planned_from(plan, zone(), days),
                now=datetime.now(UTC),
            )
            if not _unconfirmed(form, warnings):
                created = sessions.schedule(
                    db.session,
                    cohort,
                    programme,
                    plan,
                    zone=zone(),
                    lesson_refs=refs,
                    actor=current_user,
                )
                db.session.commit()
                flash(
                    ngettext(
                        "%(num)d session scheduled.", "%(num)d sessions scheduled.", len(created)
                    ),
                    "success",
                )
                return _to_schedule(cohort.id)
        except services.CohortError as error:
            refused(error, form, to_form=True)
    return render_template(
        "cohorts/session_form.html",
        form=form,
        cohort=cohort,
        item=None,
        programme=programme,
        warnings=warnings,
    )


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@staff_only
def edit_session(session_id: int):
    """Change one session (its lessons too); the link to change the rest of its series."""
    item = managed_session(session_id)
    cohort, programme = item.cohort, programme_of(item.cohort)
    if item.cancelled:
        flash(_("A cancelled session cannot be changed."), "error")
        return _to_schedule(cohort.id)
    form, warnings = _form(SessionForm, programme, item), []
    del form.repeat_weeks
    if form.validate_on_submit():
        plan, refs = _plan(form), {value for value, _label in form.lessons.choices}
        try:
            sessions.check_plan(plan, programme, refs)
            planned = schedule.planned_from(plan, zone(), [plan.day])
            warnings = schedule.warnings_for(
                cohort,
                programme,
                sessions.cohort_sessions(db.session, cohort.id),
                planned,
                now=datetime.now(UTC),
                replacing=frozenset({item.id}),
                moved=planned[0].starts_at != item.starts_at,
            )
            if not _unconfirmed(form, warnings):
                sessions.update_session(
                    db.session,
                    item,
                    programme,
                    plan,
                    zone=zone(),
                    lesson_refs=refs,
                    actor=current_user,
                )
                db.session.commit()
                flash(_("The session has been saved."), "success")
                return _to_schedule(cohort.id)
        except services.CohortError as error:
            refused(error, form, to_form=True)
    rest = schedule.series_rest(db.session, item) if item.series_key else [item]
    return render_template(
        "cohorts/session_form.html",
        form=form,
        cohort=cohort,
        item=item,
        programme=programme,
        warnings=warnings,
        rest=rest,
    )


@bp.route("/sessions/<int:session_id>/series", methods=["GET", "POST"])
@staff_only
def edit_series(session_id: int):
    """Change this session and the following ones of its series in one step; each keeps its
    own date and lessons."""
    item = managed_session(session_id)
    cohort, programme = item.cohort, programme_of(item.cohort)
    rest = schedule.series_rest(db.session, item)
    if item.cancelled or len(rest) < 2:
        return redirect(url_for("cohorts.edit_session", session_id=item.id))
    form, warnings = _form(SeriesForm, programme, item), []
    if form.validate_on_submit():
        days = [schedule.local_day(each, zone()) for each in rest]
        plan = _plan(form, day=days[0])
        planned = schedule.planned_from(plan, zone(), days)
        try:
            sessions.check_plan(plan, programme, set())
            warnings = schedule.warnings_for(
                cohort,
                programme,
                sessions.cohort_sessions(db.session, cohort.id),
                planned,
                now=datetime.now(UTC),
                replacing=frozenset(each.id for each in rest),
                moved=any(
                    p.starts_at != each.starts_at for p, each in zip(planned, rest, strict=True)
                ),
            )
            if not _unconfirmed(form, warnings):
                schedule.update_series(
                    db.session, rest, programme, plan, zone=zone(), actor=current_user
                )
                db.session.commit()
                flash(
                    ngettext("%(num)d session saved.", "%(num)d sessions saved.", len(rest)),
                    "success",
                )
                return _to_schedule(cohort.id)
        except services.CohortError as error:
            refused(error, form, to_form=True)
    return render_template(
        "cohorts/series_form.html",
        form=form,
        cohort=cohort,
        item=item,
        programme=programme,
        warnings=warnings,
        rest=rest,
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@staff_only
def cancel_session(session_id: int):
    """Ask for a reason, then cancel this session (or the rest of its series); cancelled
    sessions and their registers stay in the history."""
    item = managed_session(session_id)
    rest = schedule.series_rest(db.session, item) if item.series_key else [item]
    form = CancelForm()
    if form.validate_on_submit():
        chosen = rest if form.scope.data == "rest" and item in rest else [item]
        try:
            schedule.cancel_series(db.session, chosen, form.reason.data, current_user)
        except services.CohortError as error:
            refused(error, form, to_form=True)
        else:
            db.session.commit()
            flash(
                _("The session has been cancelled.")
                if len(chosen) == 1
                else ngettext(
                    "%(num)d session has been cancelled.",
                    "%(num)d sessions have been cancelled.",
                    len(chosen),
                ),
                "success",
            )
            return _to_schedule(item.cohort_id)
    return render_template("cohorts/cancel.html", form=form, item=item, rest=rest)


@bp.route("/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@staff_only
def delete_session(session_id: int):
    """Delete a session nobody has been marked or checked in for, after a confirmation page;
    a session with marks can only be cancelled."""
    item = managed_session(session_id)
    marked = bool(schedule.marked_sessions(db.session, [item.id]))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            schedule.delete_session(db.session, item, current_user)
        except services.CohortError as error:
            refused(error)
        else:
            db.session.commit()
            flash(_("The session has been deleted."), "success")
            return _to_schedule(item.cohort_id)
    return render_template("cohorts/delete.html", form=form, item=item, marked=marked)
