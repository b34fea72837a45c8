"""Account rules: creating people, checking passwords, one-time password links.

Functions take a session and explicit arguments, raise ``AccountError`` and only flush.
"""

import functools
import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from lms.auth import emails
from lms.auth.logins import end_all_logins
from lms.auth.models import PasswordLink, Role, User, UserRole
from lms.config import LANGUAGES
from lms.db import utcnow
from lms.errors import DomainError

MIN_PASSWORD_LENGTH = 10


@functools.cache
def _dummy_hash() -> str:
    """A hash checked when the email is unknown, so that costs as much time as a wrong password."""
    return generate_password_hash("not a real password")


class AccountError(DomainError):
    """A rule about accounts was broken; the message is fit to show to the person."""


def normalise_email(email: str) -> str:
    """Validate an email address (syntax only, no DNS) and return it NFKC-normalised, in lower
    case."""
    try:
        return emails.normalise(email)
    except emails.InvalidEmail:
        raise AccountError(_l("This is not a valid email address.")) from None


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this email, whatever its case or width, or None."""
    return session.scalar(sa.select(User).where(User.email == emails.fold(email)))


def find_look_alike(session: Session, email: str) -> User | None:
    """The person whose address looks like ``email`` but is not it, or None."""
    return session.scalar(
        sa.select(User).where(
            User.email_key == emails.look_alike_key(email), User.email != emails.fold(email)
        )
    )


def look_alike_error(user: User) -> AccountError:
    """The refusal of an address that passes for ``user``'s."""
    return AccountError(
        _l(
            "This address looks like the address of %(name)s (%(email)s) but has different "
            "letters in it. Type it again with plain letters.",
            name=user.display_name,
            email=user.email,
        )
    )


def check_email_free(session: Session, email: str, user: User | None = None) -> None:
    """Refuse an address that somebody else (not ``user``) has, or one that looks like theirs."""
    own_id = user.id if user is not None else None
    other = find_user_by_email(session, email)
    if other is not None and other.id != own_id:
        raise AccountError(_l("Somebody already has an account with this email address."))
    twin = find_look_alike(session, email)
    if twin is not None and twin.id != own_id:
        raise look_alike_error(twin)


def check_password_rules(password: str) -> None:
    """Refuse passwords that are too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _l("A password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH)
        )


def set_password(user: User, password: str, method: str) -> None:
    """Store a new password hash and end every other session of the person."""
    check_password_rules(password)
    user.password_hash = generate_password_hash(password, method=method)
    user.session_version = (user.session_version or 0) + 1


def set_roles(session: Session, user: User, roles: Iterable[Role | str]) -> None:
    """Make ``roles`` exactly the roles the person holds."""
    wanted = {Role(role) for role in roles}
    for row in list(user.role_rows):
        if Role(row.role) not in wanted:
            user.role_rows.remove(row)
    for role in wanted - user.roles:
        user.role_rows.append(UserRole(role=role.value))
    session.flush()


def create_user(
    session: Session,
    *,
    email: str,
    display_name: str,
    roles: Iterable[Role | str] = (Role.TRAINEE,),
    password: str | None = None,
    language: str = "en",
    municipality: str | None = None,
    password_method: str = "scrypt",
) -> User:
    """Create a person; without a password they set one through a one-time link."""
    email = normalise_email(email)
    check_email_free(session, email)
    check_person_fields(display_name, municipality)
    if language not in LANGUAGES:
        raise AccountError(_l("Unknown language: %(code)s.", code=language))
    user = User(
        email=email,
        display_name=display_name.strip(),
        language=language,
        municipality=(municipality or "").strip() or None,
    )
    if password is not None:
        set_password(user, password, password_method)
    user.role_rows = [UserRole(role=role.value) for role in {Role(role) for role in roles}]
    session.add(user)
    session.flush()  # once, with the roles: imports create hundreds of people in one request
    return user


def check_person_fields(display_name: str, municipality: str | None) -> None:
    """A name is required; name and municipality fit their columns (120 characters)."""
    if not display_name.strip():
        raise AccountError(_l("A name is required."))
    if len(display_name.strip()) > 120 or len((municipality or "").strip()) > 120:
        raise AccountError(_l("Names and municipalities can have at most 120 characters."))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the person whose email and password match, or None for any mismatch.

    A deactivated person is returned too: the caller decides what to tell them.
    """
    user = find_user_by_email(session, email)
    if user is None or user.password_hash is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def change_password(
    session: Session, user: User, current: str, new: str, method: str, keep_login: str | None
) -> None:
    """Change a password after checking the current one; every login but ``keep_login`` ends."""
    if user.password_hash is None or not check_password_hash(user.password_hash, current):
        raise AccountError(_l("The current password is not right."))
    set_password(user, new, method)
    end_all_logins(session, user, keep=keep_login)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _retire_links(session: Session, user: User, now: datetime) -> None:
    session.execute(
        sa.update(PasswordLink)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


def create_password_link(
    session: Session,
    user: User,
    created_by: User | None,
    valid_hours: int,
    *,
    retire_others: bool = True,
) -> str:
    """Create a one-time password link for ``user`` and return its secret token.

    A coordinator's new link retires the person's earlier unused ones: only the newest counts.
    A link asked for by email (``retire_others=False``) leaves them working, so that anybody
    typing the person's address cannot kill the link their coordinator handed over.
    """
    now = utcnow()
    if retire_others:
        _retire_links(session, user, now)
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordLink(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_by_id=created_by.id if created_by else None,
            expires_at=now + timedelta(hours=valid_hours),
        )
    )
    session.flush()
    return token


def find_password_link(session: Session, token: str, now: datetime | None = None) -> PasswordLink:
    """Return the usable link for ``token`` or raise ``AccountError``."""
    link = session.scalar(
        sa.select(PasswordLink).where(PasswordLink.token_hash == _token_hash(token))
    )
    now = now or utcnow()
    if link is None or link.used_at is not None or link.expires_at <= now or not link.user.active:
        raise AccountError(
            _l("This link is not valid any more. Ask your coordinator for a new one.")
        )
    return link


def redeem_password_link(session: Session, token: str, password: str, method: str) -> User:
    """Set a new password through a one-time link, which is then used up."""
    link = find_password_link(session, token)
    # Claim the link in one conditional UPDATE, so two simultaneous requests cannot both use it.
    claimed = session.execute(
        sa.update(PasswordLink)
        .where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AccountError(
            _l("This link is not valid any more. Ask your coordinator for a new one.")
        )
    set_password(link.user, password, method)
    _retire_links(session, link.user, utcnow())  # the person's other links are done with
    end_all_logins(session, link.user)
    session.flush()
    return link.user
