"""Certificate pages: the eligibility checklist, final sign-off, issuing (one or a cohort),
each certificate with its PDF and Open Badges credential, and revocation. The register of
certificates is in ``register_routes``."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms import audit
from lms.access import ensure_visible, login_required, roles_required, staff_only
from lms.auth.models import Role
from lms.certificates import credential, services, sharing
from lms.certificates.eligibility import cohort_eligibility, eligibility
from lms.certificates.forms import SIGN_OFF_STATEMENT, RevokeForm, SignOffForm
from lms.certificates.keys import IssuerKeyError
from lms.certificates.models import STATUS_LABELS, Certificate, Status
from lms.certificates.public import issuer_profile
from lms.cohorts import api as cohorts
from lms.cohorts.api import programme_of
from lms.cohorts.models import Cohort, Enrolment
from lms.collation import by_name
from lms.courses.api import get_catalog
from lms.errors import refused
from lms.exports import download_response
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import local_today as today
from lms.i18n import now, template_globals
from lms.organisation.api import current_issuer
from lms.programmes.api import get_programme, get_programmes, programme_or_unavailable
from lms.quizzes import api as quizzes
from lms.urls import PublicAddressMissing, public_url

bp = Blueprint("certificates", __name__)
EVENT_LABELS = {
    "certificate.issued": _l("issued"),
    "certificate.renewed": _l("issued as a renewal"),
    "certificate.superseded": _l("superseded by a renewal"),
    "certificate.revoked": _l("revoked"),
}


def _programme_title(slug: str) -> str:
    programme = get_programme(slug)
    return programme.title_for(str(get_locale())) if programme else slug


def _certificate_programme(certificate: Certificate) -> str:
    """The certified programme's title in the reader's language, as recorded at issue."""
    slug = certificate.programme_slug
    return certificate.programme_title(str(get_locale()), get_programme(slug))


def _lesson_titles(refs: str) -> str:
    """``course/lesson, ...`` as the lessons' titles in the reader's language."""
    catalog, language, titles = get_catalog(), str(get_locale()), []
    for ref in filter(None, refs.split(", ")):
        course_slug, _, lesson_slug = ref.partition("/")
        course = catalog.course(course_slug)
        lesson = course.lesson(lesson_slug) if course else None
        titles.append(lesson.text_for(language).title if lesson else ref)
    return ", ".join(titles)


template_globals(
    bp,
    {
        "certificate_status": lambda status: STATUS_LABELS.get(status, status),
        "programme_title": _programme_title,
        "certificate_programme": _certificate_programme,
        "lesson_titles": _lesson_titles,
        "certificate_event": lambda action: EVENT_LABELS.get(action, action),
    },
)


def get_enrolment(enrolment_id: int) -> Enrolment:
    enrolment = db.session.get(Enrolment, enrolment_id, options=[so.joinedload(Enrolment.cohort)])
    ensure_visible(enrolment is not None and services.can_view_enrolment(current_user, enrolment))
    return enrolment


def get_certificate(certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    ensure_visible(certificate is not None and services.can_view(current_user, certificate))
    return certificate


def _busy(target: str):
    """SQLite lets one writer at a time: the second of two simultaneous issues is told to try
    again (PostgreSQL makes it wait and then says the certificate exists)."""
    db.session.rollback()
    flash(_("Another change was being saved at the same moment. Please try again."), "error")
    return redirect(target)


def verify_url(certificate: Certificate) -> str:
    """The public check's address as printed and signed: from ``LMS_BASE_URL`` only."""
    return public_url("verify.show", code=certificate.code)


@bp.errorhandler(PublicAddressMissing)
def no_public_address(error: PublicAddressMissing):
    """Refuse rather than write an address taken from the request into a document."""
    return render_template("certificates/no_address.html"), 503


@bp.errorhandler(IssuerKeyError)
def unusable_key(error: IssuerKeyError):
    """This host cannot decrypt the shared signing key: tell the reader, log the details."""
    current_app.logger.error("%s", error)
    flash(
        _(
            "The credential cannot be signed on this server: its secret key differs from the "
            "one the issuer's signing key was stored with. Please tell the site's administrator."
        ),
        "error",
    )
    return redirect(url_for(".show", certificate_id=request.view_args["certificate_id"]))


@bp.route("/enrolments/<int:enrolment_id>")
@login_required
def checklist(enrolment_id: int):
    """Every requirement of the programme, met or not, with what remains."""
    return _checklist_page(get_enrolment(enrolment_id), SignOffForm())


def _checklist_page(enrolment: Enrolment, sign_off_form: SignOffForm):
    programme = programme_of(enrolment.cohort)
    check = eligibility(db.session, enrolment, programme, now=now(), today=today())
    return render_template(
        "certificates/checklist.html",
        check=check,
        enrolment=enrolment,
        cohort=enrolment.cohort,
        trainee=enrolment.user,
        programme=programme,
        own=enrolment.user_id == current_user.id,
        can_sign_off=services.can_sign_off(current_user, enrolment),
        can_issue=current_user.has_role(Role.COORDINATOR),
        sign_off_form=sign_off_form,
        confirm_form=ConfirmForm(),
    )


@bp.post("/enrolments/<int:enrolment_id>/sign-off")
@roles_required(Role.TRAINER)
def sign_off(enrolment_id: int):
    enrolment = get_enrolment(enrolment_id)
    programme = programme_of(enrolment.cohort)
    form = SignOffForm()
    if not form.validate_on_submit():
        return _checklist_page(enrolment, form), 400
    try:
        certificate = services.sign_off(
            db.session, enrolment, programme, get_programmes(), current_user,
            str(SIGN_OFF_STATEMENT), now=now(), today=today(),
        )  # fmt: skip
        db.session.commit()
    except services.CertificateError as error:
        refused(error)
        return redirect(url_for(".checklist", enrolment_id=enrolment.id))
    except sa.exc.OperationalError:
        return _busy(url_for(".checklist", enrolment_id=enrolment.id))
    if certificate is not None:
        flash(_("Signed off. The certificate %(code)s has been issued.", code=certificate.code))
    else:
        flash(_("Signed off. A coordinator can now issue the certificate."))
    return redirect(url_for(".checklist", enrolment_id=enrolment.id))


@bp.post("/enrolments/<int:enrolment_id>/issue")
@roles_required(Role.COORDINATOR)
def issue(enrolment_id: int):
    enrolment = get_enrolment(enrolment_id)
    programme = programme_of(enrolment.cohort)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        certificate = services.issue(
            db.session, enrolment, programme, get_programmes(), current_user,
            now=now(), today=today(),
        )  # fmt: skip
        db.session.commit()
    except services.CertificateError as error:
        refused(error)
        return redirect(url_for(".checklist", enrolment_id=enrolment.id))
    except sa.exc.OperationalError:
        return _busy(url_for(".checklist", enrolment_id=enrolment.id))
    flash(_("The certificate %(code)s has been issued.", code=certificate.code))
    return redirect(url_for(".show", certificate_id=certificate.id))


@bp.route("/cohorts/<int:cohort_id>")
@staff_only
def cohort(cohort_id: int):
    """Each trainee of a cohort against the requirements, and issuing to all who are eligible."""
    item = db.session.get(Cohort, cohort_id)
    ensure_visible(item is not None and cohorts.can_manage(current_user, item))
    programme = programme_of(item)
    table = cohort_eligibility(db.session, item, programme, now=now(), today=today())
    people = by_name(
        table.values(),
        lambda check: check.enrolment.user.display_name,
        tie=lambda check: check.enrolment.user_id,
    )
    return render_template(
        "certificates/cohort.html",
        cohort=item,
        programme=programme,
        people=people,
        ready=sum(1 for check in people if check.eligible and check.certificate is None),
        confirm_form=ConfirmForm(),
        can_issue=current_user.has_role(Role.COORDINATOR),
    )


@bp.post("/cohorts/<int:cohort_id>/issue")
@roles_required(Role.COORDINATOR)
def issue_cohort(cohort_id: int):
    item = db.get_or_404(Cohort, cohort_id)
    programme = programme_of(item)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        issued = services.issue_all(
            db.session, item, programme, get_programmes(), current_user, now=now(), today=today()
        )
        db.session.commit()
    except services.CertificateError as error:
        refused(error)
    except sa.exc.OperationalError:
        return _busy(url_for(".cohort", cohort_id=item.id))
    else:
        flash(
            ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", len(issued))
            if issued
            else _("Nobody was eligible for a certificate.")
        )
    return redirect(url_for(".cohort", cohort_id=item.id))


@bp.route("/<int:certificate_id>")
@login_required
def show(certificate_id: int):
    certificate = get_certificate(certificate_id)
    history = audit.events_for(db.session, ("certificate",), [certificate.id])
    successor = db.session.scalar(
        sa.select(Certificate).where(Certificate.renews_id == certificate.id)
    )
    programme, status = get_programme(certificate.programme_slug), certificate.status_on(today())
    own = certificate.user_id == current_user.id
    return render_template(
        "certificates/show.html",
        certificate=certificate,
        programme=programme,
        earned_in=get_programme(certificate.earned_in),
        status=status,
        # the whole address to hand on when the site has one; otherwise the path on this site
        verify_url=verify_url(certificate)
        if current_app.config["BASE_URL"]
        else url_for("verify.show", code=certificate.code),
        has_public_address=bool(current_app.config["BASE_URL"]),
        history=history,
        successor=successor,
        can_revoke=current_user.has_role(Role.COORDINATOR) and certificate.status == Status.VALID,
        own=own,
        linkedin=linkedin_link(certificate, programme) if own and status == Status.VALID else None,
        renewal=services.renewal_programme(get_programmes(), certificate.programme_slug),
        can_view=lambda other: services.can_view(current_user, other),
        warning_days=current_app.config["CERTIFICATE_WARNING_DAYS"],
        today=today(),
    )


def linkedin_link(certificate: Certificate, programme) -> str | None:
    """LinkedIn's "Add to profile" address for the certificate, with the programme's title in
    the reader's language; None while the site has no public address to point to."""
    if not current_app.config["BASE_URL"]:
        return None
    return sharing.linkedin_url(
        name=certificate.programme_title(str(get_locale()), programme),
        organisation=current_issuer().name,
        issued_on=certificate.issued_on,
        expires_on=certificate.expires_on,
        cert_url=verify_url(certificate),
        cert_id=certificate.code,
    )


@bp.route("/<int:certificate_id>/certificate.pdf")
@login_required
def pdf(certificate_id: int):
    from lms.certificates import document  # here, not at start: the PDF library takes 0.2-0.7 s

    certificate = get_certificate(certificate_id)
    programme = programme_or_unavailable(certificate.programme_slug, certificate.cohort)
    earned_in = get_programme(certificate.earned_in) or programme
    body = document.render(
        certificate, programme, verify_url(certificate), current_issuer(), earned_in
    )
    return download_response(body, f"{certificate.code}.pdf", "application/pdf")


@bp.route("/<int:certificate_id>/credential.jwt")
@login_required
def badge(certificate_id: int):
    """The Open Badges 3.0 credential, signed; wallets and badge backpacks import it."""
    certificate = get_certificate(certificate_id)
    programme = programme_or_unavailable(certificate.programme_slug, certificate.cohort)
    earned_in = get_programme(certificate.earned_in) or programme
    claims = credential_document(certificate, programme, earned_in)
    kid, key = credential.signing_key()
    token = credential.sign(claims, key, public_url("verify.key", thumbprint=kid))
    return download_response(token.encode(), f"{certificate.code}.jwt", "application/jwt")


def credential_document(certificate: Certificate, programme, earned_in) -> dict:
    return credential.build(
        certificate,
        programme,
        earned_in,
        issuer=issuer_profile(current_issuer()),
        verify_url=verify_url(certificate),
        achievement_url=public_url("verify.achievement", slug=programme.slug),
        revocations_url=public_url("verify.revocations"),
        timezone=current_app.config["TIMEZONE"],
        quiz_titles=quiz_titles(),
    )


def quiz_titles() -> dict[str, str]:
    """Every quiz's title by its slug, so that a credential names quizzes as people do."""
    return {quiz.slug: quiz.title for quiz in quizzes.all_quizzes(db.session)}


@bp.route("/<int:certificate_id>/revoke", methods=["GET", "POST"])
@roles_required(Role.COORDINATOR)
def revoke(certificate_id: int):
    """Revoke after a confirmation page that asks for the reason."""
    certificate = get_certificate(certificate_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            services.revoke(
                db.session, certificate, current_user, form.reason.data, now=now(), today=today()
            )
        except services.CertificateError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            db.session.commit()
            flash(_("The certificate %(code)s has been revoked.", code=certificate.code))
            return redirect(url_for(".show", certificate_id=certificate.id))
    return render_template("certificates/revoke.html", certificate=certificate, form=form)
