"""Open Badges 3.0: each certificate as an OpenBadgeCredential (a W3C Verifiable Credential),
signed as a VC-JWT with the issuer's RSA key.

The keys live in the database (``keys.py``), so every host signs with the same one. Every key
ever used is published as a JSON Web Key Set at ``/issuer/jwks.json``; a revoked certificate is
listed at ``/issuer/revocations.json`` (the 1EdTech revocation list the credential points to).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app

from lms.certificates import keys
from lms.certificates.models import Certificate, hours_text
from lms.programmes.api import Programme, programme_title

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import rsa

# jwt and cryptography are imported by the functions that sign, not at start (see keys.py).

ALGORITHM = "RS256"
CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
#: 1EdTech's JSON schema of an Open Badges 3.0 credential, named in each credential so that a
#: verifier can check its shape (a copy is in ``tests/schemas/``, and the tests check against it).
SCHEMA = {
    "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
    "ob_v3p0_achievementcredential_schema.json",
    "type": "1EdTechJsonSchemaValidator2019",
}


def signing_key() -> tuple[str, rsa.RSAPrivateKey]:
    """The active key as (thumbprint, private key), made or imported on first use; decrypted
    keys are kept per process. Raises ``IssuerKeyError`` when this host's secret key cannot
    decrypt it."""
    from lms.extensions import db

    row = keys.active_key(db.session)
    if row is None or "tugi_issuer_imported" not in current_app.extensions:
        # once per process: make the key if there is none, and import this host's old key file
        legacy = Path(current_app.instance_path) / keys.LEGACY_KEY_FILE
        row = keys.provide_key(db.session, current_app.config["SECRET_KEY"], legacy)
        current_app.extensions["tugi_issuer_imported"] = True
    cache = current_app.extensions.setdefault("tugi_issuer_keys", {})
    if row.kid not in cache:
        cache[row.kid] = keys.private_key(row, current_app.config["SECRET_KEY"])
    return row.kid, cache[row.kid]


def public_jwk(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> dict:
    """The public key as a JWK whose ``kid`` is its RFC 7638 thumbprint."""
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True)
    members = {name: jwk[name] for name in ("e", "kty", "n")}
    return {**members, "kid": keys.thumbprint(public), "alg": ALGORITHM, "use": "sig"}


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def published_jwk(key: rsa.RSAPrivateKey | rsa.RSAPublicKey, key_url) -> dict:
    """The public key as published: its ``kid`` is the address that serves it, so a verifier
    given only the credential can fetch the key (Open Badges 3.0, section 8.2)."""
    jwk = public_jwk(key)
    return {**jwk, "kid": key_url(jwk["kid"])}


def criteria(programme: Programme, quiz_titles: dict[str, str] | None = None) -> str:
    """The programme's requirements in words, for the achievement's criteria: quizzes and the
    certificate required named by their titles (``quiz_titles``: slug -> title)."""
    quiz_titles = quiz_titles or {}
    parts = [
        f"{category.title_for('en')}: {category.hours:g} hours, at least "
        f"{round(category.attendance_minimum * 100)} % attended"
        for category in programme.categories
    ]
    if programme.required_lessons:
        parts.append(f"{len(programme.required_lessons)} required lessons read")
    if programme.quizzes:
        names = ", ".join(quiz_titles.get(slug, slug) for slug in programme.quizzes)
        parts.append(f"quizzes passed: {names}")
    if programme.practice_hours:
        parts.append(
            f"{programme.practice_hours:g} hours of supervised practice with at least "
            f"{programme.practice_clients} client(s), signed off by a trainer"
        )
    if programme.requires_certificate:
        needed = programme_title(programme.requires_certificate, "en")
        parts.append(f"a valid certificate of {needed}")
    if programme.final_sign_off:
        parts.append("a trainer's final sign-off")
    return "; ".join(parts) + "."


def build(
    certificate: Certificate,
    programme: Programme,
    earned_in: Programme,
    *,
    issuer: dict,
    verify_url: str,
    achievement_url: str,
    revocations_url: str,
    timezone: str,
    quiz_titles: dict[str, str] | None = None,
) -> dict:
    """The OpenBadgeCredential of a certificate, as a JSON-LD document; ``issuer`` is the
    issuer's profile (id, type, name and, when set, url and image). It is valid from the
    moment it was issued until the start of its expiry date in the issuer's time zone, the
    moment the verification page starts saying "expired"."""
    hours = certificate.hour_minutes
    evidence = [
        {
            "type": ["Evidence"],
            "name": certificate.line_title(line, "en", earned_in),
            "description": f"{hours_text(line['minutes'], hours)} hours attended",
        }
        for line in certificate.hours
    ]
    if certificate.practice_minutes:
        evidence.append(
            {
                "type": ["Evidence"],
                "name": "Supervised practice",
                "description": (
                    f"{hours_text(certificate.practice_minutes, 60)} hours with "
                    f"{certificate.practice_clients} client(s), signed off by a trainer"
                ),
            }
        )
    return {
        "@context": CONTEXT,
        "id": certificate.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{certificate.programme_title('en', programme)}: {certificate.holder_name}",
        "issuer": issuer,
        "validFrom": _timestamp(certificate.issued_at),
        "validUntil": _timestamp(
            datetime.combine(certificate.expires_on, time(), tzinfo=ZoneInfo(timezone))
        ),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": certificate.holder_name,
                }
            ],
            "achievement": {
                "id": achievement_url,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": programme.title_for("en"),
                "description": programme.summary_for("en") or programme.title_for("en"),
                "criteria": {"id": achievement_url, "narrative": criteria(earned_in, quiz_titles)},
            },
        },
        "evidence": [
            {
                "id": verify_url,
                "type": ["Evidence"],
                "name": "Certificate record",
                "description": f"Certificate {certificate.code}: its current status.",
            },
            *evidence,
        ],
        "credentialStatus": {"id": revocations_url, "type": "1EdTechRevocationList"},
        "credentialSchema": [SCHEMA],
    }


def sign(document: dict, key: rsa.RSAPrivateKey, kid: str) -> str:
    """The credential as a VC-JWT: its members are the claims, with the registered claims
    ``iss``, ``jti``, ``nbf`` and ``exp`` taken from it (Open Badges 3.0, section 8.2); ``kid``
    is the address of the public key."""
    import jwt

    claims = {
        **document,
        "iss": document["issuer"]["id"],
        "jti": document["id"],
        "nbf": int(datetime.fromisoformat(document["validFrom"]).timestamp()),
        "exp": int(datetime.fromisoformat(document["validUntil"]).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM, headers={"kid": kid, "typ": "JWT"})


def revocation_list(issuer_id: str, revoked: list[Certificate]) -> dict:
    return {
        "id": issuer_id + "/revocations.json",
        "issuer": issuer_id,
        "revokedCredentials": [
            {"id": certificate.credential_id, "revocationReason": certificate.revoke_reason}
            for certificate in revoked
        ],
    }
