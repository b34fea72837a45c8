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

from lms.access import public
from lms.certificates import credential
from lms.certificates.forms import VerifyForm
from lms.certificates.models import Certificate, Status, normalise_code
from lms.certificates.queries import by_code
from lms.extensions import db, limiter
from lms.i18n import local_today as today
from lms.programmes.services import get_programme
from lms.security import cacheable
from lms.urls import absolute_url

bp = Blueprint("verify", __name__)

#: The issuer's profile and keys change rarely; verifiers may keep them for an hour.
PUBLIC_FOR_AN_HOUR = "public, max-age=3600"


def _limit() -> str:
    return current_app.config["RATELIMIT_VERIFY"]


@bp.route("/verify")
@public
@limiter.limit(_limit)
def form():
    """Type a certificate's code to check it."""
    verify_form = VerifyForm(request.args)
    if "code" in request.args and verify_form.validate():
        code = normalise_code(verify_form.code.data)
        if code and by_code(db.session, code) is not None:
            return redirect(url_for(".show", code=code))
        return render_template("certificates/verify_form.html", form=verify_form, unknown=True), 404
    return render_template("certificates/verify_form.html", form=verify_form, unknown=False)


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
        status=certificate.status_on(today()),
        successor=successor,
        Status=Status,
    )


@bp.route("/issuer")
@public
@cacheable(PUBLIC_FOR_AN_HOUR)
@limiter.limit(_limit)
def issuer():
    """The issuer's Open Badges profile."""
    issuer_id = absolute_url(".issuer")
    return jsonify(
        {
            "@context": credential.CONTEXT,
            "id": issuer_id,
            "type": ["Profile"],
            "name": current_app.config["ISSUER_NAME"],
            "url": absolute_url("verify.form"),
            "publicKey": absolute_url(".jwks"),
        }
    )


@bp.route("/issuer/jwks.json")
@public
@cacheable(PUBLIC_FOR_AN_HOUR)
@limiter.limit(_limit)
def jwks():
    """The public key that checks every credential's signature."""
    return jsonify({"keys": [published_key()]})


@bp.route("/issuer/keys/<thumbprint>")
@public
@cacheable(PUBLIC_FOR_AN_HOUR)
@limiter.limit(_limit)
def key(thumbprint: str):
    """One public key, at the address a credential's ``kid`` names."""
    jwk = published_key()
    if credential.public_jwk(credential.issuer_key())["kid"] != thumbprint:
        abort(404)
    return jsonify(jwk)


def published_key() -> dict:
    return credential.published_jwk(
        credential.issuer_key(),
        lambda thumbprint: absolute_url("verify.key", thumbprint=thumbprint),
    )


@bp.route("/issuer/revocations.json")
@public
@limiter.limit(_limit)
def revocations():
    """Every revoked credential, by its credential id (not its code or holder)."""
    revoked = db.session.scalars(
        sa.select(Certificate).where(Certificate.status == Status.REVOKED).order_by(Certificate.id)
    ).all()
    return jsonify(credential.revocation_list(absolute_url(".issuer"), revoked))


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
            "id": absolute_url(".achievement", slug=slug),
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": programme.title_for("en"),
            "description": programme.summary_for("en"),
            "criteria": {"narrative": credential.criteria(programme)},
        }
    )
