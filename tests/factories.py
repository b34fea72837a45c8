"""Factories for test objects: each call makes a valid object with unique values."""

import itertools

from sqlalchemy.orm import Session

from lms.auth import services as accounts
from lms.auth.models import Role, User

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(
    session: Session,
    *roles: Role,
    email: str | None = None,
    password: str | None = PASSWORD,
    active: bool = True,
    **fields,
) -> User:
    """A person with ``roles`` (trainee when none are given) and the password ``PASSWORD``."""
    number = next(_numbers)
    user = accounts.create_user(
        session,
        email=email or f"person{number}@example.org",
        display_name=fields.pop("display_name", f"Person {number}"),
        roles=roles or (Role.TRAINEE,),
        password=password,
        password_method="pbkdf2:sha256:1000",
        **fields,
    )
    user.active = active
    session.commit()
    return user


def login(client, user: User) -> None:
    """Log ``user`` in on ``client`` without going through the form (and its rate limit)."""
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user.get_id()
        flask_session["_fresh"] = True
