"""How flask-login finds the person behind a session or a "remember me" cookie."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.auth.models import LoginSession, User
from lms.extensions import db

#: Built once: every request runs it, and building a statement costs more than running it.
_PERSON_WITH_ROLES = (
    sa.select(User)
    .options(so.joinedload(User.role_rows))
    .join(LoginSession, LoginSession.user_id == User.id)
    .where(
        User.id == sa.bindparam("user_id"),
        User.session_version == sa.bindparam("version"),
        User.active,
        LoginSession.id == sa.bindparam("login_id"),
        LoginSession.revoked_at.is_(None),
    )
)


def load_user(identity: str) -> User | None:
    """Load the person for ``"<id>:<session_version>:<login session>"``.

    A stale session version (the password changed), a revoked login (logged out, also from a
    copy of the cookie) or a deactivated person gives None. One query, roles included (every
    page asks for them; the relationship's own ``selectin`` would add a second).
    """
    user_id, version, login_id = (identity.split(":", 2) + ["", ""])[:3]
    if not user_id.isdigit() or not version.isdigit() or not login_id:
        return None
    parameters = {"user_id": int(user_id), "version": int(version), "login_id": login_id}
    user = db.session.execute(_PERSON_WITH_ROLES, parameters).unique().scalar_one_or_none()
    if user is not None:
        user.login_session_id = login_id
    return user
