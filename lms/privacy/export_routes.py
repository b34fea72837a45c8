"""*My data* pages: a person's own data as a page and as JSON, and a coordinator's export of
anyone's. They join the privacy blueprint.

A person reads their own data with a GET. A coordinator's export of someone else's is an audit
event, and a GET never writes, so the coordinator's page only offers two buttons; each POST
records the export, commits, and answers with the page or the file.
"""

import json

from flask import Response, abort, render_template
from flask_babel import get_locale
from flask_login import current_user

from lms.access import coordinators_only, login_required
from lms.alumni.models import EMPLOYMENT_LABELS
from lms.auth.models import User
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import local_today
from lms.practice import api as practice
from lms.practice.models import CORE_ACTS
from lms.privacy.audit_labels import audit_label
from lms.privacy.export import person_data, record_export
from lms.privacy.notice import read_before_change
from lms.privacy.routes import bp


def _person(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _page(person: User, own: bool):
    data = person_data(db.session, person, language=str(get_locale()))
    return render_template(
        "privacy/my_data.html",
        data=data,
        person=person,
        own=own,
        core_acts=CORE_ACTS,
        employment=EMPLOYMENT_LABELS,
        audit_label=audit_label,
        notice_changed_at=read_before_change(db.session, person),
    )


def _download(person: User, filename: str) -> Response:
    """The person's data as a JSON file, never kept in a cache."""
    data = person_data(db.session, person)
    response = Response(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n",
        mimetype="application/json",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _filename(person: User) -> str:
    return f"tugi-person-{person.id}-{local_today().isoformat()}.json"


@bp.route("/my-data")
@login_required
def my_data():
    """Everything Tugi holds about the reader, readable and printable."""
    return _page(current_user._get_current_object(), own=True)


@bp.route("/my-data.json")
@login_required
def my_data_json():
    """Everything Tugi holds about the reader, as a JSON file."""
    day = local_today().isoformat()
    return _download(current_user._get_current_object(), f"tugi-my-data-{day}.json")


@bp.route("/people/<int:user_id>/data", methods=["GET", "POST"])
@coordinators_only
def person_data_page(user_id: int):
    """A coordinator's export of a person's data: the page offers it; the POST records it in
    the audit trail and shows the data."""
    person = _person(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        record_export(db.session, person, current_user, "page")
        practice.record_access(db.session, current_user, person.id, what="data-page")
        db.session.commit()
        return _page(person, own=False)
    return render_template(
        "privacy/person_data.html", person=person, form=form, json_form=ConfirmForm()
    )


@bp.route("/people/<int:user_id>/data.json", methods=["POST"])
@coordinators_only
def person_data_json(user_id: int):
    """A coordinator's download of a person's data as JSON, recorded in the audit trail."""
    person = _person(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    record_export(db.session, person, current_user, "json")
    practice.record_access(db.session, current_user, person.id, what="data-json")
    db.session.commit()
    return _download(person, _filename(person))
