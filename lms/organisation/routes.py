"""The organisation's settings page (coordinators) and its logo (public: the verification page
and the Open Badges profile show it)."""

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import public, roles_required
from lms.auth.models import Role
from lms.extensions import db
from lms.organisation import services
from lms.organisation.api import current_issuer, logo_url
from lms.organisation.forms import OrganisationForm

bp = Blueprint("organisation", __name__)


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def edit():
    """Name, address, website and logo of the organisation that issues the certificates."""
    issuer = current_issuer()
    # The form shows what certificates print now: no second language until one is chosen.
    form = OrganisationForm(
        data={"name": issuer.name, "address": issuer.address, "website": issuer.website,
              "second_language": issuer.second_language}
    )  # fmt: skip
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            logo = services.read_logo(upload.read()) if upload and upload.filename else None
        except services.OrganisationError as error:
            form.logo.errors = [*form.logo.errors, str(error)]
        else:
            services.save(
                db.session, current_user, name=form.name.data, address=form.address.data or "",
                website=form.website.data or "", second_language=form.second_language.data or "",
                logo=logo, remove_logo=form.remove_logo.data,
                now=datetime.now(UTC),
            )  # fmt: skip
            db.session.commit()
            flash(_("The organisation's details have been saved."))
            return redirect(url_for(".edit"))
    return render_template(
        "organisation/edit.html", form=form, issuer=issuer, logo_url=logo_url(issuer)
    )


@bp.route("/logo")
@public
def logo():
    """The organisation's logo, as stored after its upload was checked."""
    issuer = current_issuer()
    if not issuer.logo:
        abort(404)
    response = current_app.response_class(issuer.logo, mimetype=issuer.logo_type)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response
