"""What anyone may check without an account: a certificate by its code, and the issuer's
Open Badges profile, public key and revocation list. An unknown code gets the site's plain 404,
which says nothing about which codes exist; every page here is rate limited."""

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import ImmutableMultiDict

from lms.access import public
from lms.certificates import credential, keys
from lms.certificates.forms import VerifyForm
from lms.certificates.models import (
    MOST_CODES_AT_ONCE,
    Certificate,
    Status,
    codes_in,
    normalise_code,
)
from lms.certificates.queries import by_code
from lms.extensions import db, limiter
from lms.i18n import local_today as today
from lms.organisation.api import Issuer, current_issuer, logo_url
from lms.programmes.api import get_programme
from lms.quizzes import api as quizzes
from lms.security import cacheable
from lms.urls import PublicAddressMissing, public_url

bp = Blueprint("verify", __name__)

#: The issuer's profile and keys change rarely; verifiers may keep them for an hour.
PUBLIC_FOR_AN_HOUR = "public, max-age=3600"


def _limit() -> str:
    return current_app.config["RATELIMIT_VERIFY"]


@bp.route("/verify")
@public
@limiter.limit(_limit)
def form():
    """Type a certificate's code to check it, or several (a person's certificates together)."""
    typed = " ".join(request.args.getlist("code"))
    verify_form = VerifyForm(
        ImmutableMultiDict({"code": typed}) if "code" in request.args else None
    )
    if "code" in request.args and verify_form.validate():
        codes = codes_in(verify_form.code.data)
        if len(codes) > 1:
            return _together(codes[:MOST_CODES_AT_ONCE], left_out=codes[MOST_CODES_AT_ONCE:])
        code = codes[0] if codes else normalise_code(verify_form.code.data)
        if code and by_code(db.session, code) is not None:
            return redirect(url_for(".show", code=code))
        return render_template("certificates/verify_form.html", form=verify_form, unknown=True), 404
    return render_template("certificates/verify_form.html", form=verify_form, unknown=False)


def _together(codes: list[str], left_out: list[str]):
    """Several certificates on one page, in the order typed; a code that matches none says so,
    and codes beyond the most checked at once are named as not checked."""
    found = {
        certificate.code: certificate
        for certificate in db.session.scalars(
            sa.select(Certificate).where(Certificate.code.in_(codes))
        )
    }
    day = today()
    rows = [
        (
            code,
            found.get(code),
            get_programme(found[code].programme_slug) if code in found else None,
        )
        for code in codes
    ]
    return render_template(
        "certificates/verify_together.html",
        left_out=left_out,
        rows=[
            (code, cert, programme, cert.status_on(day) if cert else None)
            for code, cert, programme in rows
        ],
        issuer=(issuer := current_issuer()),
        logo_url=logo_url(issuer),
    ), (200 if found else 404)


@bp.route("/verify/<code>")
@public
@limiter.limit(_limit)
def show(code: str):
    certificate = by_code(db.session, code)
    if certificate is None:
        abort(404)
    if certificate.code != code:
        return redirect(url_for(".show", code=certificate.code))
    successor = db.session.scalar(
        sa.select(Certificate).where(Certificate.renews_id == certificate.id)
    )
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        programme=get_programme(certificate.programme_slug),
        earned_in=get_programme(certificate.earned_in),
        status=certificate.status_on(today()),
        successor=successor,
        Status=Status,
        issuer=(issuer := current_issuer()),
        logo_url=logo_url(issuer),
    )


@bp.errorhandler(PublicAddressMissing)
def no_public_address(error: PublicAddressMissing):
    """Without ``LMS_BASE_URL`` the issuer has no address to publish (never the request's)."""
    return jsonify(error=str(error)), 503


@bp.route("/issuer")
@public
@cacheable(PUBLIC_FOR_AN_HOUR)
@limiter.limit(_limit)
def issuer():
    """The issuer's Open Badges 3.0 profile, with no property of Open Badges 2.0: a verifier
    finds the signing key at the address in the credential's ``kid``, not here."""
    profile = issuer_profile(current_issuer())
    profile.setdefault("url", public_url("verify.form"))
    return jsonify({"@context": credential.CONTEXT, **profile})


def issuer_profile(issuer: Issuer) -> dict:
    """The issuer as Open Badges names it: its id (the profile's address), name and, when a
    coordinator set them, website and logo."""
    profile = {"id": public_url("verify.issuer"), "type": ["Profile"], "name": issuer.name}
    if issuer.website:
        profile["url"] = issuer.website
    if issuer.logo:
        profile["image"] = {
            "id": logo_url(issuer, external=public_url),
            "type": "Image",
            "caption": issuer.name,
        }
    return profile


@bp.route("/issuer/jwks.json")
@public
@cacheable(PUBLIC_FOR_AN_HOUR)
@limiter.limit(_limit)
def jwks():
    """Every public key the issuer has signed with: the active one and those rotated out, so
    that older credentials still verify."""
    public_url(".jwks")  # refused without LMS_BASE_URL, even before the first key exists
    return jsonify({"keys": [published_key(kid, key) for kid, key in keys.public_keys(db.session)]})


@bp.route("/issuer/keys/<thumbprint>")
@public
@cacheable(PUBLIC_FOR_AN_HOUR)
@limiter.limit(_limit)
def key(thumbprint: str):
    """One public key, at the address a credential's ``kid`` names."""
    found = dict(keys.public_keys(db.session)).get(thumbprint)
    if found is None:
        abort(404)
    return jsonify(published_key(thumbprint, found))


def published_key(thumbprint: str, key) -> dict:
    """A public key as published, its ``kid`` the configured address that serves it."""
    return credential.published_jwk(
        key, lambda _kid: public_url("verify.key", thumbprint=thumbprint)
    )


@bp.route("/issuer/revocations.json")
@public
@limiter.limit(_limit)
def revocations():
    """Every revoked credential, by its credential id (not its code or holder)."""
    revoked = db.session.scalars(
        sa.select(Certificate).where(Certificate.status == Status.REVOKED).order_by(Certificate.id)
    ).all()
    return jsonify(credential.revocation_list(public_url(".issuer"), revoked))


@bp.route("/issuer/achievements/<slug>")
@public
@cacheable(PUBLIC_FOR_AN_HOUR)
@limiter.limit(_limit)
def achievement(slug: str):
    """What a programme's certificate stands for: its requirements."""
    programme = get_programme(slug)
    if programme is None or not programme.certifies:
        abort(404)
    return jsonify(
        {
            "@context": credential.CONTEXT,
            "id": public_url(".achievement", slug=slug),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": programme.title_for("en"),
            "description": programme.summary_for("en"),
            "criteria": {
                "narrative": credential.criteria(
                    programme, {quiz.slug: quiz.title for quiz in quizzes.all_quizzes(db.session)}
                )
            },
        }
    )
