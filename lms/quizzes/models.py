"""Uploaded quizzes, per-cohort quiz dates, attempts and their saved answers.

Shipped quizzes live in ``quizzes/*.gift``; those uploaded in the browser are kept here as their
GIFT source. Either way an attempt refers to its quiz by slug, and to its questions by key, and is
taken and graded on the version of the quiz it started with (``quiz_versions``), so that a file
edited or broken during an attempt changes nothing in it.
"""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from lms.db import UTCDateTime, partial_index, utcnow
from lms.extensions import db


class UploadedQuiz(db.Model):
    """A quiz a trainer or coordinator uploaded; its settings are in the source's ``@`` lines."""

    __tablename__ = "uploaded_quizzes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slug: so.Mapped[str] = so.mapped_column(sa.String(80), unique=True)
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    uploaded_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class QuizVersion(db.Model):
    """A quiz's GIFT source as it was when an attempt started (or was regraded), stored once per
    quiz and content hash. Attempts are taken and graded on it, whatever the file says now."""

    __tablename__ = "quiz_versions"
    __table_args__ = (sa.UniqueConstraint("quiz_slug", "version"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    quiz_slug: so.Mapped[str] = so.mapped_column(sa.String(80))
    #: ``Quiz.version``: the first 16 hex digits of the source's SHA-256
    version: so.Mapped[str] = so.mapped_column(sa.String(16))
    #: "file" (shipped in ``quizzes/``) or "upload"
    origin: so.Mapped[str] = so.mapped_column(sa.String(10))
    source: so.Mapped[str] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)


class QuizWindow(db.Model):
    """When a cohort may take a quiz; no row (or no date) means no limit on that side."""

    __tablename__ = "quiz_windows"
    __table_args__ = (
        sa.UniqueConstraint("cohort_id", "quiz_slug"),
        sa.CheckConstraint(
            "opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at", name="closes_after"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    cohort_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cohorts.id", ondelete="CASCADE"))
    quiz_slug: so.Mapped[str] = so.mapped_column(sa.String(80))
    opens_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    closes_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)


class QuizAttempt(db.Model):
    """One try at a quiz. ``score`` is a fraction from 0 to 1; it is final once nothing waits
    for a trainer. The database allows one open attempt per person and quiz."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "quiz_slug", "number"),
        partial_index(
            "ix_quiz_attempts_one_open",
            "user_id",
            "quiz_slug",
            unique=True,
            where="submitted_at IS NULL",
        ),
        sa.CheckConstraint("score IS NULL OR (score >= 0 AND score <= 1)", name="score_range"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    quiz_slug: so.Mapped[str] = so.mapped_column(sa.String(80), index=True)
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    cohort_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("cohorts.id", ondelete="SET NULL"), index=True
    )
    number: so.Mapped[int] = so.mapped_column()
    #: the hash of the quiz version the attempt is taken and graded on
    version: so.Mapped[str] = so.mapped_column(sa.String(16))
    #: that version's stored source; NULL only for attempts started before versions were kept
    quiz_version_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("quiz_versions.id"), index=True
    )
    #: [{"key": question key, "order": [answer or option positions as shown]}, ...]
    layout: so.Mapped[list] = so.mapped_column(sa.JSON)
    started_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    deadline: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    submitted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    auto_submitted: so.Mapped[bool] = so.mapped_column(default=False)
    score: so.Mapped[float | None] = so.mapped_column()
    awaiting_grading: so.Mapped[bool] = so.mapped_column(default=False)

    responses: so.Mapped[list["QuizResponse"]] = so.relationship(
        "QuizResponse", back_populates="attempt", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    @property
    def is_final(self) -> bool:
        return self.submitted_at is not None and not self.awaiting_grading

    def response(self, key: str) -> "QuizResponse | None":
        return next((r for r in self.responses if r.question_key == key), None)


class QuizResponse(db.Model):
    """The answer saved for one question of an attempt; essays also carry the trainer's grade."""

    __tablename__ = "quiz_responses"
    __table_args__ = (
        sa.UniqueConstraint("attempt_id", "question_key"),
        sa.CheckConstraint("fraction IS NULL OR (fraction >= -1 AND fraction <= 1)", "fraction"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    attempt_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("quiz_attempts.id", ondelete="CASCADE")
    )
    question_key: so.Mapped[str] = so.mapped_column(sa.String(120))
    answer: so.Mapped[dict | None] = so.mapped_column(sa.JSON)
    saved_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    fraction: so.Mapped[float | None] = so.mapped_column()
    comment: so.Mapped[str | None] = so.mapped_column(sa.Text)
    graded_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    graded_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    attempt: so.Mapped["QuizAttempt"] = so.relationship("QuizAttempt", back_populates="responses")
