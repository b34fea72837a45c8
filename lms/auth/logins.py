"""Logins kept on the server: one row per login on a device, named in its cookies.

Functions take a session and explicit arguments and only flush.
"""

import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms.auth.models import LoginSession, User
from lms.db import utcnow

#: Logins revoked, or started, longer ago than this are deleted (a remember-me cookie lasts a year).
LOGIN_KEPT = timedelta(days=366)


def start_login(session: Session, user: User, remember: bool = False) -> LoginSession:
    """Record a new login of ``user``; its id goes into their session cookie.

    The person's logins that can no longer be used are deleted on the way, so rows do not pile up.
    """
    cutoff = utcnow() - LOGIN_KEPT
    session.execute(
        sa.delete(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            sa.or_(LoginSession.revoked_at < cutoff, LoginSession.created_at < cutoff),
        )
        .execution_options(synchronize_session=False)
    )
    login = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id, remember=remember)
    session.add(login)
    user.last_login_at = utcnow()
    session.flush()
    user.login_session_id = login.id
    return login


def end_login(session: Session, login_session_id: str | None) -> None:
    """Revoke one login: its session and "remember me" cookies stop working, copies too."""
    if login_session_id:
        session.execute(
            sa.update(LoginSession)
            .where(LoginSession.id == login_session_id, LoginSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
            .execution_options(synchronize_session=False)
        )


def end_all_logins(session: Session, user: User, keep: str | None = None) -> None:
    """Revoke every login of ``user`` but ``keep`` (log out everywhere, or a new password)."""
    statement = sa.update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
    )
    if keep:
        statement = statement.where(LoginSession.id != keep)
    session.execute(
        statement.values(revoked_at=utcnow()).execution_options(synchronize_session=False)
    )


def open_logins(session: Session, user: User) -> list[LoginSession]:
    """The person's logins that still work, newest first."""
    return list(
        session.scalars(
            sa.select(LoginSession)
            .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
            .order_by(LoginSession.created_at.desc())
        )
    )
