"""The audit trail: who changed what, when, and the values before and after."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm import Session

from lms.db import UTCDateTime, utcnow
from lms.extensions import db

if TYPE_CHECKING:  # the relationships' classes, for type checkers only
    from lms.auth.models import User


class AuditEvent(db.Model):
    """One recorded change. Rows are only ever added, never changed."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    actor_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    action: so.Mapped[str] = so.mapped_column(sa.String(60))
    subject_type: so.Mapped[str] = so.mapped_column(sa.String(40))
    subject_id: so.Mapped[int] = so.mapped_column()
    before: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    after: so.Mapped[dict | None] = so.mapped_column(sa.JSON)

    actor: so.Mapped["User | None"] = so.relationship("User", lazy="joined")


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an event to the trail (committed with the change it describes)."""
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        before=before,
        after=after,
        at=utcnow(),
    )
    session.add(event)
    return event


def events_for(session: Session, subject_types: tuple[str, ...], subject_ids) -> list[AuditEvent]:
    """Events about the given subjects (of any of the given types), newest first."""
    ids = list(subject_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.subject_type.in_(subject_types), AuditEvent.subject_id.in_(ids))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        )
    )
