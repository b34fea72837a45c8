"""What each person has done with the course content."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, utcnow
from lms.extensions import db


class LessonCompletion(db.Model):
    """A person marked a lesson as completed.

    Lessons live in files, not tables, so they are referred to by course and lesson slug.
    """

    __tablename__ = "lesson_completions"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_slug", "lesson_slug"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    course_slug: so.Mapped[str] = so.mapped_column(sa.String(80))
    lesson_slug: so.Mapped[str] = so.mapped_column(sa.String(120))
    completed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
