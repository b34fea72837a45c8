"""People, their roles and one-time password links."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin

from lms.auth.emails import look_alike_key
from lms.db import UTCDateTime, utcnow
from lms.extensions import db
from lms.stand_ins import MayStandIn


class Role(StrEnum):
    """What a person may do; a person can hold several."""

    TRAINEE = "trainee"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"


ROLE_VALUES = tuple(role.value for role in Role)
ROLE_LABELS = {
    Role.TRAINEE.value: _l("Trainee"),
    Role.TRAINER.value: _l("Trainer"),
    Role.COORDINATOR.value: _l("Coordinator"),
}


class User(UserMixin, db.Model):
    """A person with an account: trainee, trainer, coordinator, or several of these."""

    __tablename__ = "users"
    __table_args__ = (
        # Emails are kept in lower case so that uniqueness is case-insensitive on every database.
        sa.CheckConstraint("email = lower(email)", name="email_lower_case"),
        sa.CheckConstraint("length(display_name) > 0", name="display_name_not_empty"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Login name, NFKC-normalised and in lower case; unique.
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    #: What the email looks like (``lms.auth.emails.look_alike_key``); unique, so no account
    #: can pass for another by a Cyrillic letter in place of a Latin one. Set with the email.
    email_key: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    #: The name shown on pages and printed on certificates; once erased, a pseudonym that reads
    #: in the reader's language (``lms.stand_ins``).
    display_name: so.Mapped[str] = so.mapped_column(MayStandIn(120))
    #: A slow salted hash; None until the person sets a password through a one-time link.
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    #: Preferred interface language (a key of ``LANGUAGES``).
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="en")
    municipality: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    #: A deactivated person cannot log in; their records stay.
    active: so.Mapped[bool] = so.mapped_column(default=True)
    #: Bumped when the password changes, which ends every other session and "remember me" cookie.
    session_version: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    #: Secret part of the address of the person's calendar feed; None until first asked for.
    calendar_token: so.Mapped[str | None] = so.mapped_column(sa.String(64), unique=True)
    #: When the person last confirmed the privacy notice (first login, and again after it was
    #: marked as changed); None, or a time before the change, shows it at their next login.
    privacy_notice_seen_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    #: When the person's data was erased on their request: the row stays, under a pseudonym,
    #: so that counts and certificates stay true; nothing in it names the person any more.
    erased_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    role_rows: so.Mapped[list["UserRole"]] = so.relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @so.validates("email")
    def _keep_email_key(self, key: str, email: str) -> str:
        self.email_key = look_alike_key(email)
        return email

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this person holds."""
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        """Whether the person holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)

    @property
    def is_active(self) -> bool:  # flask-login refuses inactive users
        return self.active

    #: The server-side login this object was loaded for (set by the loader, not stored).
    login_session_id = None  # a plain attribute, not a column

    def get_id(self) -> str:
        """The session identity: id, session version and the server-side login.

        A password change ends every session (the version), logout ends one (the login).
        """
        return f"{self.id}:{self.session_version}:{self.login_session_id or ''}"


class UserRole(db.Model):
    """One role held by one person."""

    __tablename__ = "user_roles"
    __table_args__ = (
        sa.CheckConstraint(
            "role IN ({})".format(", ".join(f"'{role}'" for role in ROLE_VALUES)), name="known_role"
        ),
    )

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: so.Mapped[str] = so.mapped_column(sa.String(20), primary_key=True)

    user: so.Mapped[User] = so.relationship(back_populates="role_rows")


class PasswordLink(db.Model):
    """A one-time link that lets a person set a new password, valid until ``expires_at``."""

    __tablename__ = "password_links"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    expires_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    used_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    user: so.Mapped[User] = so.relationship(foreign_keys=[user_id])


class LoginSession(db.Model):
    """One login on one device: its session and "remember me" cookies name it, and they work
    only while it is not revoked, so logging out ends a copied cookie too."""

    __tablename__ = "login_sessions"

    #: Random and unguessable; carried in the signed session and "remember me" cookies.
    id: so.Mapped[str] = so.mapped_column(sa.String(43), primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    #: Whether the person ticked "remember me" on this device.
    remember: so.Mapped[bool] = so.mapped_column(default=False)
    #: Set by logout (this login) or "log out everywhere" (all of the person's).
    revoked_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
