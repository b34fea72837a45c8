"""The privacy pages: the notice, *My data*, and erasure."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import coordinators_only
from lms.auth import api as accounts
from lms.auth.models import User
from lms.errors import refused
from lms.extensions import db
from lms.privacy import erasure
from lms.privacy.erasure_forms import EraseForm

bp = Blueprint("privacy", __name__)


def _same_email(typed: str, email: str) -> bool:
    try:
        return accounts.normalise_email(typed) == email
    except accounts.AccountError:
        return False


@bp.route("/erase/<int:user_id>", methods=["GET", "POST"])
@coordinators_only
def erase(user_id: int):
    """Say what erasing this person's data removes and keeps; erase once confirmed."""
    user = db.session.get(User, user_id) or abort(404)
    form = EraseForm()
    blocked = None
    try:
        erasure.check_can_erase(user, current_user)
    except erasure.ErasureError as error:
        blocked = str(error)
    if blocked is None and form.validate_on_submit():
        if not _same_email(form.email.data, user.email):
            form.email.errors.append(_("This is not the person's email address."))
        else:
            try:
                name = erasure.erase_person(db.session, user, current_user)
            except erasure.ErasureError as error:
                refused(error, form, to_form=True)
            else:
                db.session.commit()
                flash(
                    _(
                        "The data has been erased. The person is now shown under the "
                        "pseudonym %(name)s.",
                        name=name,
                    ),
                    "success",
                )
                return redirect(url_for("users.edit", user_id=user.id))
    counts = erasure.summary(db.session, user)
    return render_template(
        "privacy/erase.html", person=user, form=form, counts=counts, blocked=blocked
    )
