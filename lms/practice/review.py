"""The trainers' queue: filters, the page of matching entries, and per-trainee totals."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import render_template, request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lms.cohorts.models import Enrolment
from lms.collation import by_name
from lms.extensions import db
from lms.inputs import page_arg
from lms.practice import queries
from lms.practice.forms import QueueFilterForm
from lms.programmes.api import get_programmes


def _trainees(cohort_ids) -> list[Enrolment]:
    if not cohort_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(Enrolment)
            .where(Enrolment.cohort_id.in_(cohort_ids))
            .options(so.joinedload(Enrolment.user))
        )
    )


def queue_page(bulk_form, selected=frozenset(), problems=()):
    """Render the queue for the current trainer or coordinator; ``selected`` revisions are ticked
    and ``problems`` (field id, message) join the bulk form's in the error summary."""
    programmes = get_programmes()
    cohorts = [
        cohort
        for cohort in queries.reviewable_cohorts(db.session, current_user)
        if (programme := programmes.get(cohort.programme_slug)) and programme.practice_logged
    ]
    form = QueueFilterForm(request.args)
    form.cohort.choices = [SelectChoice(None, "—")] + [SelectChoice(c.id, c.name) for c in cohorts]
    cohort_ids = [c.id for c in cohorts]
    chosen_ids = cohort_ids
    form.validate()
    if form.cohort.data in cohort_ids:
        chosen_ids = [form.cohort.data]
    enrolments = _trainees(chosen_ids)
    enrolments = by_name(enrolments, lambda e: e.user.display_name, tie=lambda e: e.cohort_id)
    people = {e.user_id: e.user for e in enrolments}
    form.trainee.choices = [SelectChoice(None, "—")] + [
        SelectChoice(user.id, user.display_name) for user in people.values()
    ]
    chosen = queries.QueueFilter(
        cohort_id=form.cohort.data if form.cohort.data in cohort_ids else None,
        user_id=form.trainee.data if form.trainee.data in people else None,
        status=form.status.data if form.status.data in queries.QUEUE_STATUSES else "awaiting",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    page = page_arg()
    revisions, count = queries.queue(db.session, cohort_ids, chosen, page)
    lines = queries.totals(db.session, chosen_ids)
    by_cohort = {c.id: c for c in cohorts}
    rows = [
        (e, by_cohort[e.cohort_id], lines.get((e.cohort_id, e.user_id), queries.Totals()))
        for e in enrolments
        if chosen.user_id is None or e.user_id == chosen.user_id
    ]
    # Only the client groups someone has hours in get a column, so the table stays narrow.
    used = {slug for _, _, line in rows for slug in line.minutes_by_group}
    groups = {}
    for cohort in cohorts:
        for group in programmes.get(cohort.programme_slug).client_groups:
            if group.slug in used:
                groups.setdefault(group.slug, group)
    return render_template(
        "practice/queue.html",
        form=form,
        bulk_form=bulk_form,
        selected=selected,
        problems=problems,
        revisions=revisions,
        count=count,
        page=page,
        pages=max(1, -(-count // queries.PAGE_SIZE)),
        rows=rows,
        groups=list(groups.values()),
        cohorts=cohorts,
        chosen=chosen,
        args={k: v for k, v in request.args.items() if k != "page"},
    )
