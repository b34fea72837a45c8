"""The issuer's signing keys, kept in the database so that every host signs with the same one.

The private key is encrypted with Fernet under a key derived (HKDF-SHA256) from the secret key:
a host with the same ``LMS_SECRET_KEY`` can use it, a database dump alone cannot. The first
host to need a key makes it; the database's unique index on ``active`` settles two hosts doing
so at once. Rotation retires the active key (its public half stays published) and makes a new
one. A key file made by an earlier version (``instance/issuer-key.pem``) is imported once.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.certificates.models import IssuerKey

if TYPE_CHECKING:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives.asymmetric import rsa

# jwt and cryptography are imported inside the functions that use them, not at start: with them
# every worker held 10 MB more, and most workers never sign anything.

LEGACY_KEY_FILE = "issuer-key.pem"


class IssuerKeyError(RuntimeError):
    """The stored signing key cannot be used on this host; the message says why and what to do."""


def _fernet(secret_key: str) -> Fernet:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"tugi issuer signing key"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """The RFC 7638 thumbprint of a public key: the key's name in ``kid``."""
    import jwt

    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(public_key, as_dict=True)
    members = {name: jwk[name] for name in ("e", "kty", "n")}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=").decode()


def _row(private: rsa.RSAPrivateKey, secret_key: str, now: datetime) -> IssuerKey:
    from cryptography.hazmat.primitives import serialization

    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return IssuerKey(
        kid=thumbprint(private.public_key()),
        public_pem=public_pem.decode(),
        private_key=_fernet(secret_key).encrypt(pem).decode(),
        created_at=now,
    )


def _insert(session: Session, row: IssuerKey) -> bool:
    """Add ``row`` in a savepoint; False when another host's row took its place first."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def active_key(session: Session) -> IssuerKey | None:
    """The key that signs new credentials."""
    return session.scalar(sa.select(IssuerKey).where(IssuerKey.active == 1))


def import_key_file(session: Session, path: Path, secret_key: str, now: datetime) -> None:
    """Store a key file of an earlier version, so that the credentials it signed keep
    verifying: as the active key when there is none yet, else as a retired one."""
    from cryptography.hazmat.primitives import serialization

    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    kid = thumbprint(private.public_key())
    if session.scalar(sa.select(IssuerKey.id).where(IssuerKey.kid == kid)) is not None:
        return
    row = _row(private, secret_key, now)
    row.active = 1
    if not _insert(session, row):
        row = _row(private, secret_key, now)
        row.retired_at = now
        _insert(session, row)  # a host importing the same file at this moment is as good


def ensure_key(
    session: Session,
    secret_key: str,
    legacy_file: Path | None = None,
    now: datetime | None = None,
) -> IssuerKey:
    """The active key, made (or imported from ``legacy_file``) when there is none. Safe to
    run on several hosts at once: one key results. Flushes only."""
    now = now or datetime.now(UTC)
    if legacy_file is not None and legacy_file.exists():
        import_key_file(session, legacy_file, secret_key, now)
    current = active_key(session)
    if current is None:
        from cryptography.hazmat.primitives.asymmetric import rsa

        row = _row(rsa.generate_private_key(public_exponent=65537, key_size=2048), secret_key, now)
        row.active = 1
        _insert(session, row)
        current = active_key(session)
    return current


def rotate(session: Session, secret_key: str, now: datetime | None = None) -> IssuerKey:
    """Retire the active key (it stays published) and make a new active one. Flushes only."""
    now = now or datetime.now(UTC)
    session.execute(
        sa.update(IssuerKey).where(IssuerKey.active == 1).values(active=None, retired_at=now)
    )
    from cryptography.hazmat.primitives.asymmetric import rsa

    row = _row(rsa.generate_private_key(public_exponent=65537, key_size=2048), secret_key, now)
    row.active = 1
    session.add(row)
    session.flush()
    return row


def private_key(row: IssuerKey, secret_key: str) -> rsa.RSAPrivateKey:
    """Decrypt a stored key; a host with another secret key gets an error that says so."""
    from cryptography.fernet import InvalidToken
    from cryptography.hazmat.primitives import serialization

    try:
        pem = _fernet(secret_key).decrypt(row.private_key.encode())
    except InvalidToken:
        raise IssuerKeyError(
            f"The issuer's signing key {row.kid} in the database cannot be decrypted with this "
            "host's secret key. Every host must have the same LMS_SECRET_KEY; if the secret key "
            "was changed on purpose, run 'lms issuer rotate-key' to make a new signing key "
            "(credentials signed earlier keep verifying)."
        ) from None
    return serialization.load_pem_private_key(pem, password=None)


def public_keys(session: Session) -> list[tuple[str, rsa.RSAPublicKey]]:
    """Every key ever used, active or retired, as (kid, public key), oldest first."""
    from cryptography.hazmat.primitives import serialization

    rows = session.execute(sa.select(IssuerKey.kid, IssuerKey.public_pem).order_by(IssuerKey.id))
    return [(kid, serialization.load_pem_public_key(pem.encode())) for kid, pem in rows]


def provide_key(session: Session, secret_key: str, legacy_file: Path | None = None) -> IssuerKey:
    """``ensure_key`` in its own transaction, committed: what a host does when it first needs a
    key. On SQLite a host that loses the race to write is refused ("database is locked") rather
    than made to wait; it then tries once more and finds the other host's key."""
    for attempt in (1, 2):
        try:
            row = ensure_key(session, secret_key, legacy_file)
            session.commit()
            return row
        except sa.exc.OperationalError:
            session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
