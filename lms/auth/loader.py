"""How flask-login finds the person behind a session or a "remember me" cookie."""

from lms.auth.models import User
from lms.extensions import db


def load_user(identity: str) -> User | None:
    """Load the person for ``"<id>:<session_version>"``.

    A stale session version (the password changed) or a deactivated person gives None.
    """
    user_id, _, version = identity.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
