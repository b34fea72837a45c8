"""Enrolling trainees: by email, many from a CSV file, or picked from the list of people."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import coordinators_only
from lms.auth.models import User
from lms.cohorts import enrolment, services
from lms.cohorts.api import get_cohort, programme_of
from lms.cohorts.blueprint import bp
from lms.cohorts.forms import EnrolForm
from lms.collation import paginate_by_name
from lms.errors import DomainError, refused
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.inputs import page_arg
from lms.users.api import ImportForm, hand_out, links_page, sample_csv_response

PICK_PAGE_SIZE = 25


def _back(cohort_id: int):
    return redirect(url_for("cohorts.show", cohort_id=cohort_id, _anchor="trainees"))


@bp.route("/<int:cohort_id>/enrol", methods=["POST"])
@coordinators_only
def enrol(cohort_id: int):
    """Enrol one person who has an account, by their email address."""
    cohort = get_cohort(cohort_id)
    form = EnrolForm()
    if form.validate_on_submit():
        try:
            user = enrolment.find_by_email(db.session, form.email.data)
            services.enrol(db.session, cohort, programme_of(cohort), user, current_user)
        except DomainError as error:
            refused(error)
        else:
            db.session.commit()
            flash(_("%(name)s has been enrolled.", name=user.display_name), "success")
    else:
        flash(_("Enter the trainee's email address."), "error")
    return _back(cohort.id)


@bp.route("/<int:cohort_id>/import", methods=["GET", "POST"])
@coordinators_only
def import_csv(cohort_id: int):
    """Enrol trainees from CSV: all rows or none, with every problem listed by line."""
    cohort = get_cohort(cohort_id)
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append(_("The file must be saved as UTF-8 text."))
        else:
            result = enrolment.import_enrolments(
                db.session,
                cohort,
                programme_of(cohort),
                text,
                password_method=current_app.config["PASSWORD_HASH_METHOD"],
                actor=current_user,
            )
            if not result.problems:
                # Links only for the accounts made now: a person who had one keeps their link.
                handed = hand_out(result.created)
                return links_page("cohorts/imported.html", handed, cohort=cohort, result=result)
            db.session.rollback()
    return render_template("cohorts/import.html", form=form, result=result, cohort=cohort)


@bp.route("/import/sample.csv")
@coordinators_only
def sample_csv():
    """The sample file: the same columns as the People import."""
    return sample_csv_response("tugi-enrolment-sample.csv")


@bp.route("/<int:cohort_id>/pick", methods=["GET", "POST"])
@coordinators_only
def pick(cohort_id: int):
    """Pick trainees who have accounts from a searchable list; those enrolled are marked."""
    cohort = get_cohort(cohort_id)
    query = request.args.get("q", "").strip()
    form = ConfirmForm()
    problems = []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        picked = [int(value) for value in request.form.getlist("person") if value.isdigit()]
        enrolled, problems = enrolment.enrol_picked(
            db.session, cohort, programme_of(cohort), picked, current_user
        )
        if not problems:
            db.session.commit()
            flash(
                ngettext("%(num)d trainee enrolled", "%(num)d trainees enrolled", len(enrolled)),
                "success",
            )
            return _back(cohort.id)
        db.session.rollback()
    page = paginate_by_name(
        db.session, enrolment.pickable_people(query), User.id, User.display_name,
        page_arg(), PICK_PAGE_SIZE,
    )  # fmt: skip
    already = enrolment.enrolled_ids(db.session, cohort, [person.id for person in page.items])
    return render_template(
        "cohorts/pick.html",
        cohort=cohort,
        page=page,
        q=query,
        already=already,
        form=form,
        problems=problems,
        picked=set(request.form.getlist("person")),
    )
