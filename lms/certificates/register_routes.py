"""The register of certificates: searchable, a page at a time, and as a CSV or XLSX file; each
person sees the certificates they may see."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.access import login_required, roles_required
from lms.auth.models import Role, User
from lms.certificates.models import STATUS_LABELS, Certificate, Status
from lms.certificates.queries import expiring
from lms.certificates.routes import bp
from lms.cohorts.models import Cohort, Enrolment
from lms.db import LIKE_ESCAPE, contains_pattern
from lms.exports import table_response
from lms.extensions import db
from lms.i18n import local_today as today
from lms.inputs import page_arg
from lms.programmes.api import get_programme, get_programmes

PAGE_SIZE = 50


def _visible(statement):
    """Limit a certificate query to what the current person may see."""
    if current_user.has_role(Role.COORDINATOR):
        return statement
    mine = Certificate.user_id == current_user.id
    if current_user.has_role(Role.TRAINER):
        trained = Certificate.cohort.has(Cohort.trainers.any(User.id == current_user.id))
        return statement.where(sa.or_(mine, trained))
    return statement.where(mine)


def _register_query(args):
    statement = _visible(
        sa.select(Certificate).order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    query = (args.get("q") or "").strip()
    if query:
        pattern = contains_pattern(query)
        statement = statement.where(
            sa.or_(
                Certificate.holder_name.ilike(pattern, escape=LIKE_ESCAPE),
                Certificate.code.ilike(pattern, escape=LIKE_ESCAPE),
            )
        )
    status = args.get("status", "")
    day = today()
    if status == Status.EXPIRED:
        statement = statement.where(
            Certificate.status == Status.VALID, Certificate.expires_on <= day
        )
    elif status == Status.VALID:
        statement = statement.where(
            Certificate.status == Status.VALID, Certificate.expires_on > day
        )
    elif status in (Status.REVOKED, Status.SUPERSEDED):
        statement = statement.where(Certificate.status == status)
    programme = args.get("programme", "")
    if programme:
        statement = statement.where(Certificate.programme_slug == programme)
    return statement, {"q": query, "status": status, "programme": programme}


@bp.route("/")
@login_required
def index():
    """The person's own certificates and checklists; for staff, the register of certificates."""
    statement, chosen = _register_query(request.args)
    page = db.paginate(
        statement.options(so.joinedload(Certificate.cohort)),
        page=page_arg(),
        per_page=PAGE_SIZE,
        error_out=False,
    )
    own_enrolments = db.session.scalars(
        sa.select(Enrolment)
        .where(Enrolment.user_id == current_user.id)
        .options(so.joinedload(Enrolment.cohort))
        .order_by(Enrolment.enrolled_at.desc())
    ).all()
    warning_days = current_app.config["CERTIFICATE_WARNING_DAYS"]
    soon = expiring(
        db.session,
        today(),
        warning_days,
        None if current_user.has_role(Role.COORDINATOR) else current_user.id,
    )
    return render_template(
        "certificates/index.html",
        page=page,
        chosen=chosen,
        statuses=STATUS_LABELS,
        programmes=list(get_programmes()),
        own_enrolments=[
            e
            for e in own_enrolments
            if (p := get_programme(e.cohort.programme_slug)) and p.certifies
        ],
        expiring=soon,
        warning_days=warning_days,
        today=today(),
        is_staff=current_user.has_role(Role.TRAINER, Role.COORDINATOR),
    )


@bp.route("/export.<any(csv, xlsx):kind>")
@roles_required(Role.COORDINATOR)
def export(kind: str):
    """The register, filtered as on screen, for the funder or the municipality."""
    statement, _chosen = _register_query(request.args)
    day, language = today(), str(get_locale())
    rows = [
        (
            c.code,
            c.holder_name,
            c.programme_title(language, get_programme(c.programme_slug)),
            c.cohort.name,
            c.issued_on,
            c.expires_on,
            str(STATUS_LABELS.get(c.status_on(day), c.status_on(day))),
            round(c.total_minutes / c.hour_minutes, 2),
            round(c.practice_minutes / 60, 2),
            c.practice_clients,
            c.revoke_reason or "",
        )
        for c in db.session.scalars(statement.options(so.joinedload(Certificate.cohort)))
    ]
    header = [
        _("Code"), _("Holder"), _("Programme"), _("Cohort"), _("Issued on"), _("Valid until"),
        _("Status"), _("Hours"), _("Practice hours"), _("Clients"), _("Reason revoked"),
    ]  # fmt: skip
    return table_response(kind, "certificates", _("Certificates"), header, rows)
