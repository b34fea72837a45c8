"""The register page itself: reading the submitted rows, and showing the form again with what
the trainer typed (after a mistake, a conflict, or *Mark all present* without script)."""

import dataclasses
from datetime import UTC, datetime

from flask import current_app, flash, render_template
from flask_babel import gettext as _

from lms.attendance import attendees, services
from lms.attendance.forms import MakeUpForm
from lms.attendance.models import MARKS, PARTIAL_MARKS
from lms.cohorts.api import programme_of
from lms.extensions import db
from lms.forms import ConfirmForm


def int_or_none(text: str | None) -> int | None:
    """A whole number typed in a form, or None for anything else."""
    text = (text or "").strip()
    return int(text) if text.lstrip("-").isdigit() else None


def changes_from(form, rows) -> list[services.MarkChange]:
    """Each submitted row: what the trainer chose, and the values and version the page showed."""
    changes = []
    for row in rows:
        key = str(row.user.id)
        if f"mark-{key}" not in form:
            continue
        changes.append(
            services.MarkChange(
                user_id=row.user.id,
                mark=form.get(f"mark-{key}", ""),
                minutes=int_or_none(form.get(f"minutes-{key}")),
                note=form.get(f"note-{key}", ""),
                shown=(
                    form.get(f"shown-mark-{key}", ""),
                    int_or_none(form.get(f"shown-minutes-{key}")),
                    form.get(f"shown-note-{key}", ""),
                ),
                version=int_or_none(form.get(f"version-{key}")) or 0,
            )
        )
    return changes


def fill(item, rows, typed: dict):
    """*Mark all present* without script: show the form again with the empty rows of active
    trainees filled in as present and everything typed kept; nothing is saved."""
    if item.cancelled or datetime.now(UTC) < item.starts_at:
        flash(_("The register opens when the session starts."), "error")
        return page(item, rows, typed=typed)
    shown = {row.user.id: row.record.mark if row.record else "" for row in rows}
    shown.update({uid: change.mark for uid, change in typed.items()})
    filled = services.fill_unmarked(rows, shown)
    for row in rows:
        if row.user.id in filled:
            before = typed.get(row.user.id) or services.MarkChange(row.user.id, "", None, "")
            typed[row.user.id] = dataclasses.replace(before, mark="present", minutes=item.minutes)
    if filled:
        flash(_("The empty rows are filled in as present and highlighted. Nothing is saved "
                "until you press Save the register."), "info")  # fmt: skip
    else:
        flash(_("Every row already has a mark."), "info")
    return page(item, rows, typed=typed, filled=filled)


def page(
    item, rows, *, typed=None, errors=None, conflicts=None, filled=(), based_on_database=False
):
    """The register page. ``typed``: rows shown as the trainer typed them, with the values and
    version their page had been based on (or, with ``based_on_database``, the current ones)."""
    cohort = item.cohort
    make_up = MakeUpForm()
    make_up.user_id.choices = [
        (user.id, user.display_name)
        for user in attendees.make_up_candidates(db.session, item, cohort)
    ]
    now = datetime.now(UTC)
    return render_template(
        "attendance/register.html",
        item=item,
        cohort=cohort,
        programme=programme_of(cohort),
        rows=rows,
        marks=MARKS,
        partial_marks=PARTIAL_MARKS,
        typed=typed or {},
        based_on_database=based_on_database,
        errors=errors or {},
        conflicts=conflicts or {},
        filled=filled,
        form=ConfirmForm(),
        make_up=make_up,
        pending=[row for row in rows if row.check_in and not row.check_in.confirmed_at],
        opened=now >= item.starts_at,
        check_in_open=attendees.in_window(item, now, current_app.config["CHECK_IN_EARLY_MINUTES"]),
    )
