"""Alumni and their employment follow-up, for coordinators."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lms.access import coordinators_only
from lms.alumni import services
from lms.alumni.forms import AlumniFilterForm, FollowUpForm
from lms.alumni.models import (
    EMPLOYMENT_LABELS,
    NOT_ASKED,
    EmploymentFollowUp,
    employment_label,
)
from lms.auth.models import User
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort
from lms.collation import by_name, paginate_by_name
from lms.db import LIKE_ESCAPE, contains_pattern
from lms.exports import table_response
from lms.extensions import db
from lms.i18n import local_today
from lms.inputs import page_arg

bp = Blueprint("alumni", __name__)
PAGE_SIZE = 50
FILTER_KEYS = ("q", "cohort", "employment")


def _filters():
    form = AlumniFilterForm(request.args)
    form.cohort.choices = [SelectChoice(None, _l("All cohorts"))] + [
        SelectChoice(cohort_id, name)
        for cohort_id, name in db.session.execute(
            sa.select(Cohort.id, Cohort.name)
            .where(Cohort.id.in_(sa.select(Certificate.cohort_id)))
            .order_by(Cohort.starts_on.desc(), Cohort.name)
        )
    ]
    form.employment.choices = (
        [SelectChoice("", _l("Any"))]
        + [SelectChoice(value, label) for value, label in EMPLOYMENT_LABELS.items()]
        + [SelectChoice(NOT_ASKED, _l("Not asked yet"))]
    )
    form.validate()
    return form


def _alumni_query(form: AlumniFilterForm):
    """Certificate holders with their latest certificate day and their follow-up, if any."""
    holders = (
        sa.select(Certificate.user_id, sa.func.max(Certificate.issued_on).label("last_issued"))
        .group_by(Certificate.user_id)
        .subquery()
    )
    statement = (
        sa.select(User, holders.c.last_issued, EmploymentFollowUp)
        .join(holders, holders.c.user_id == User.id)
        .outerjoin(EmploymentFollowUp, EmploymentFollowUp.user_id == User.id)
    )
    if form.q.data and not form.q.errors:
        pattern = contains_pattern(form.q.data.strip())
        statement = statement.where(User.display_name.ilike(pattern, escape=LIKE_ESCAPE))
    if form.cohort.data and not form.cohort.errors:
        statement = statement.where(
            User.id.in_(
                sa.select(Certificate.user_id).where(Certificate.cohort_id == form.cohort.data)
            )
        )
    if form.employment.data == NOT_ASKED:
        statement = statement.where(EmploymentFollowUp.id.is_(None))
    elif form.employment.data in EMPLOYMENT_LABELS:
        statement = statement.where(EmploymentFollowUp.employment == form.employment.data)
    return statement


def _args() -> dict:
    return {key: value for key, value in request.args.items() if key in FILTER_KEYS and value}


@bp.route("/")
@coordinators_only
def index():
    """Everyone who earned a certificate, with what they do now."""
    form = _filters()
    statement = _alumni_query(form)
    listed = paginate_by_name(
        db.session, statement, User.id, User.display_name, page_arg(), PAGE_SIZE, rows=True
    )
    if listed.page > listed.pages:  # past the end: the last page
        listed = paginate_by_name(
            db.session, statement, User.id, User.display_name, listed.pages, PAGE_SIZE, rows=True
        )
    rows, count, page, pages = listed.items, listed.total, listed.page, listed.pages
    return render_template(
        "alumni/index.html",
        form=form,
        rows=rows,
        count=count,
        page=page,
        pages=pages,
        args=_args(),
        employment_label=employment_label,
    )


@bp.route("/export.<any(csv, xlsx):kind>")
@coordinators_only
def export(kind: str):
    """The alumni list, filtered as on screen."""
    form = _filters()
    rows = by_name(
        db.session.execute(_alumni_query(form)).all(),
        lambda row: row[0].display_name,
        tie=lambda row: row[0].id,
    )
    header = [
        _("Name"),
        _("Email"),
        _("Municipality"),
        _("Latest certificate"),
        _("Employment follow-up"),
        _("Job title"),
        _("Employer"),
        _("Asked on"),
    ]
    return table_response(
        kind,
        "alumni",
        _("Alumni"),
        header,
        (
            [
                user.display_name,
                user.email,
                user.municipality or "",
                last_issued,
                employment_label(answer.employment if answer else NOT_ASKED),
                answer.role_title if answer else "",
                answer.employer if answer else "",
                answer.asked_on if answer else "",
            ]
            for user, last_issued, answer in rows
        ),
    )


@bp.route("/<int:user_id>/follow-up", methods=["GET", "POST"])
@coordinators_only
def follow_up(user_id: int):
    """Record what an alumnus does now; the earlier answer stays in the audit trail."""
    alumnus = db.session.get(User, user_id)
    if alumnus is None or not services.is_alumnus(db.session, user_id):
        abort(404)
    current = services.follow_up_of(db.session, user_id)
    form = FollowUpForm(obj=current)
    if request.method == "GET" and form.asked_on.data is None:
        form.asked_on.data = local_today()
    if form.validate_on_submit():
        answer = services.Answer(
            employment=form.employment.data,
            asked_on=form.asked_on.data,
            role_title=form.role_title.data or "",
            employer=form.employer.data or "",
        )
        try:
            services.record_follow_up(db.session, alumnus, answer, current_user, local_today())
        except services.FollowUpError as error:
            db.session.rollback()
            form.asked_on.errors = [*form.asked_on.errors, str(error)]
        else:
            db.session.commit()
            flash(_("Saved what %(name)s does now.", name=alumnus.display_name), "success")
            return redirect(url_for(".index", **_args()))
    certificates = db.session.scalars(
        sa.select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.issued_on)
    ).all()
    return render_template(
        "alumni/follow_up.html",
        form=form,
        alumnus=alumnus,
        current=current,
        certificates=certificates,
    )
