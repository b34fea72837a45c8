"""How flask-login finds the person behind a session or a "remember me" cookie."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm.attributes import set_committed_value

from lms.auth.models import LoginSession, User, UserRole
from lms.db import plain_rows
from lms.extensions import db

_COLUMNS = tuple(column.key for column in User.__table__.columns)

#: Built once: every request runs it, and building a statement costs more than running it.
#: The person's columns and one role a row (a row with no role for a person without any).
_PERSON_WITH_ROLES = (
    sa.select(*User.__table__.columns, UserRole.role)
    .join(LoginSession, LoginSession.user_id == User.id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
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
    rows = plain_rows(db.session, _PERSON_WITH_ROLES, parameters)
    if not rows:
        return None
    user = _persistent(db.session, rows)
    user.login_session_id = login_id
    return user


def _persistent(session: so.Session, rows) -> User:
    """The person of ``rows`` as the ORM would have loaded them, roles included, and in
    ``session`` (its identity map, so a later ``get`` finds them), without the ORM's loading
    work: about half of this read's CPU, on every page. A person already in the session is
    returned as it is there."""
    first = rows[0]
    known = session.identity_map.get(User.__mapper__.identity_key_from_primary_key((first.id,)))
    if known is not None:
        return known
    user = User.__mapper__.class_manager.new_instance()
    # the columns' values as loaded (no history: nothing to write back)
    user.__dict__.update(zip(_COLUMNS, first, strict=False))
    roles = []
    for row in rows:
        if row.role is not None:
            role = UserRole.__mapper__.class_manager.new_instance()
            role.__dict__.update(user_id=first.id, role=row.role)
            set_committed_value(role, "user", user)
            so.make_transient_to_detached(role)
            roles.append(role)
    set_committed_value(user, "role_rows", roles)
    so.make_transient_to_detached(user)
    session.add(user)  # persistent, its roles with it (save-update cascade), nothing to flush
    return user
