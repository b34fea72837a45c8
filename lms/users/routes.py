"""Coordinator pages: the list of people, create, edit, deactivate, password links, CSV import."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import coordinators_only
from lms.auth import api as accounts
from lms.auth.models import Role, User, UserRole
from lms.collation import paginate_by_name
from lms.db import LIKE_ESCAPE, contains_pattern
from lms.errors import refused
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.inputs import page_arg
from lms.users import services
from lms.users.api import hand_out, links_page, sample_csv_response
from lms.users.forms import ImportForm, UserForm

bp = Blueprint("users", __name__)
PAGE_SIZE = 25


def _get_user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.route("/")
@coordinators_only
def index():
    """People, searchable by name, email or municipality, filterable by role, a page at a time."""
    query = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    statement = sa.select(User)
    if query:
        pattern = contains_pattern(query.lower())
        statement = statement.where(
            sa.or_(
                sa.func.lower(User.display_name).like(pattern, escape=LIKE_ESCAPE),
                User.email.like(pattern, escape=LIKE_ESCAPE),
                sa.func.lower(User.municipality).like(pattern, escape=LIKE_ESCAPE),
            )
        )
    if role in {r.value for r in Role}:
        statement = statement.where(User.role_rows.any(UserRole.role == role))
    page = paginate_by_name(
        db.session, statement, User.id, User.display_name, page_arg(), PAGE_SIZE
    )
    return render_template("users/index.html", page=page, q=query, role=role)


@bp.route("/new", methods=["GET", "POST"])
@coordinators_only
def create():
    """Create a person; they set their password through a one-time link shown afterwards."""
    form = UserForm()  # no role ticked: the coordinator decides, the form insists on one
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                db.session,
                email=form.email.data,
                display_name=form.display_name.data,
                roles=form.roles.data,
                language=form.language.data,
                municipality=form.municipality.data,
            )
        except accounts.AccountError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("%(name)s has been added.", name=user.display_name), "success")
            return links_page("users/link.html", hand_out([user]), person=user)
    return render_template("users/form.html", form=form, person=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@coordinators_only
def edit(user_id: int):
    """Edit a person's details and roles."""
    user = _get_user(user_id)
    form = UserForm(obj=user, roles=sorted(user.roles))
    if user.erased_at is not None and request.method == "POST":
        try:
            services.refuse_erased(user)
        except accounts.AccountError as error:
            refused(error)
        return redirect(url_for("users.edit", user_id=user.id))
    if form.validate_on_submit():
        if user.id == current_user.id and Role.COORDINATOR.value not in form.roles.data:
            form.roles.errors.append(_("You cannot take the coordinator role from yourself."))
        else:
            try:
                services.update_user(
                    db.session,
                    user,
                    email=form.email.data,
                    display_name=form.display_name.data,
                    language=form.language.data,
                    municipality=form.municipality.data,
                    roles=form.roles.data,
                )
            except accounts.AccountError as error:
                form.email.errors.append(str(error))
            else:
                db.session.commit()
                flash(_("The changes have been saved."), "success")
                return redirect(url_for("users.index"))
    return render_template(
        "users/form.html", form=form, person=user, confirm=ConfirmForm(), link_form=ConfirmForm()
    )


@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
@coordinators_only
def deactivate(user_id: int):
    """Ask for confirmation, then deactivate: the person cannot log in; their records stay."""
    user = _get_user(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.set_active(user, False, current_user)
        except accounts.AccountError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s has been deactivated.", name=user.display_name), "success")
        return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/confirm_deactivate.html", person=user, form=form)


@bp.route("/<int:user_id>/activate", methods=["POST"])
@coordinators_only
def activate(user_id: int):
    """Let a deactivated person log in again."""
    user = _get_user(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.set_active(user, True, current_user)
        except accounts.AccountError as error:
            refused(error)
        else:
            db.session.commit()
            flash(_("%(name)s can log in again.", name=user.display_name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/<int:user_id>/password-link", methods=["POST"])
@coordinators_only
def password_link(user_id: int):
    """Make a one-time password link to hand over (or email, when mail is configured)."""
    user = _get_user(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.refuse_erased(user)
    except accounts.AccountError as error:
        refused(error)
        return redirect(url_for("users.edit", user_id=user.id))
    return links_page("users/link.html", hand_out([user]), person=user)


@bp.route("/import", methods=["GET", "POST"])
@coordinators_only
def import_csv():
    """Import people from CSV: all rows or none, with every bad row listed by line."""
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append(_("The file must be saved as UTF-8 text."))
        else:
            result = services.import_users(
                db.session, text, current_app.config["PASSWORD_HASH_METHOD"]
            )
            if not result.problems:
                return links_page("users/imported.html", hand_out(result.created), result=result)
    return render_template("users/import.html", form=form, result=result)


@bp.route("/import/sample.csv")
@coordinators_only
def sample_csv():
    """A sample file showing the columns the import expects."""
    return sample_csv_response("tugi-people-sample.csv")
