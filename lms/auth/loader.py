"""How flask-login finds the person behind a session or a "remember me" cookie."""

import sqlalchemy as sa

from lms.auth.models import LoginSession, User
from lms.extensions import db


def load_user(identity: str) -> User | None:
    """Load the person for ``"<id>:<session_version>:<login session>"``.

    A stale session version (the password changed), a revoked login (logged out, also from a
    copy of the cookie) or a deactivated person gives None. One query, as before logins were
    kept on the server.
    """
    user_id, version, login_id = (identity.split(":", 2) + ["", ""])[:3]
    if not user_id.isdigit() or not version.isdigit() or not login_id:
        return None
    user = db.session.scalar(
        sa.select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == int(user_id),
            User.session_version == int(version),
            User.active,
            LoginSession.id == login_id,
            LoginSession.revoked_at.is_(None),
        )
    )
    if user is not None:
        user.login_session_id = login_id
    return user
