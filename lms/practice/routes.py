"""Practice pages: a trainee's logbook and entries, the trainers' queue and sign-off, exports."""

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.access import ensure_visible, login_required, staff_only
from lms.auth.models import Role, User
from lms.cohorts import api as cohorts
from lms.cohorts.api import programme_of
from lms.cohorts.models import Cohort, Enrolment, EnrolmentStatus
from lms.errors import refused
from lms.extensions import db
from lms.forms import ConfirmForm
from lms.i18n import local_today as today
from lms.i18n import now
from lms.inputs import page_arg
from lms.practice import display, entry_form, logbook, queries, retention, services
from lms.practice.forms import ATTESTATION, BulkApproveForm, EntryForm, ReviewForm
from lms.practice.models import (
    AWAITING,
    CORE_ACTS,
    PracticeEntry,
    PracticeRevision,
    Status,
)
from lms.practice.review import queue_page
from lms.programmes.api import get_programmes

bp = Blueprint("practice", __name__)
display.register(bp)


def get_entry(entry_id: int) -> PracticeEntry:
    """The entry, if the current person may see it; others get a 404."""
    entry = db.session.get(
        PracticeEntry,
        entry_id,
        options=[so.selectinload(PracticeEntry.revisions), so.joinedload(PracticeEntry.cohort)],
    )
    ensure_visible(entry is not None and services.can_view(current_user, entry))
    return entry


def logbook_owner(cohort_id: int, user_id: int) -> tuple[Cohort, Enrolment]:
    """A trainee's logbook is theirs and their cohort's trainers' and coordinators' to see."""
    cohort = db.session.get(Cohort, cohort_id) or abort(404)
    enrolment = cohorts.enrolment_of(db.session, cohort_id, user_id)
    if enrolment is None:
        abort(404)
    ensure_visible(user_id == current_user.id or cohorts.can_manage(current_user, cohort))
    return cohort, enrolment


@bp.route("/")
@login_required
def index():
    """Where a person's practice logs are: their own, and the queue for trainers."""
    enrolments = services.logging_enrolments(db.session, current_user, get_programmes())
    if len(enrolments) == 1 and not current_user.has_role(Role.TRAINER, Role.COORDINATOR):
        only = enrolments[0]
        return redirect(url_for(".logbook_page", cohort_id=only.cohort_id, user_id=only.user_id))
    lines = queries.totals(db.session, [e.cohort_id for e in enrolments], [current_user.id])
    items = [
        (e, programme_of(e.cohort), lines.get((e.cohort_id, current_user.id), queries.Totals()))
        for e in enrolments
    ]
    return render_template("practice/index.html", items=items, progress=queries.progress)


@bp.route("/cohorts/<int:cohort_id>/people/<int:user_id>")
@login_required
def logbook_page(cohort_id: int, user_id: int):
    """One trainee's practice in a cohort: progress, totals by client group, every entry."""
    cohort, enrolment = logbook_owner(cohort_id, user_id)
    programme = programme_of(cohort)
    if not programme.practice_logged:
        abort(404)
    page = page_arg()
    entries, count = queries.entries_of(db.session, cohort_id, user_id, page)
    line = queries.trainee_totals(db.session, cohort_id, user_id)
    return render_template(
        "practice/logbook.html",
        cohort=cohort,
        enrolment=enrolment,
        trainee=enrolment.user,
        programme=programme,
        progress=queries.progress(programme, line),
        entries=entries,
        page=page,
        pages=max(1, -(-count // queries.PAGE_SIZE)),
        own=user_id == current_user.id,
        removed_on=_pending(retention.reflections_removed_on(cohort, programme)),
    )


def _pending(removed_on):
    """The day the reflections will be removed, while it is still to come."""
    return removed_on if removed_on > today() else None


@bp.route("/cohorts/<int:cohort_id>/new", methods=["GET", "POST"])
@login_required
def new(cohort_id: int):
    """Log a piece of practice in one of the person's own cohorts."""
    cohort, enrolment = logbook_owner(cohort_id, current_user.id)
    programme = programme_of(cohort)
    if not programme.practice_logged or enrolment.status != EnrolmentStatus.ACTIVE:
        abort(404)
    form = entry_form.form_for(programme, cohort)
    if request.method == "GET":
        form.practised_on.data = today()
    if entry_form.validated(form, cohort, programme, current_user.id):
        try:
            entry = services.create_entry(
                db.session, current_user, cohort, programme, entry_form.data(form),
                today=today(), now=now(), submit=form.send.data,
            )  # fmt: skip
        except services.PracticeError as error:
            entry_form.show_error(form, error)
        else:
            db.session.commit()
            flash(_("Submitted for sign-off.") if form.send.data else _("Saved as a draft."))
            return redirect(url_for(".entry", entry_id=entry.id))
    return render_template("practice/form.html", form=form, cohort=cohort, entry=None)


@bp.route("/entries/<int:entry_id>")
@login_required
def entry(entry_id: int):
    """An entry with every revision and every step of its history."""
    item = get_entry(entry_id)
    return _entry_page(item, ReviewForm())


def _entry_page(item: PracticeEntry, review_form: ReviewForm, status: int = 200):
    programme = programme_of(item.cohort)
    return (
        render_template(
            "practice/entry.html",
            entry=item,
            programme=programme,
            history=services.history(db.session, item),
            review_form=review_form,
            confirm_form=ConfirmForm(),
            can_sign_off=services.can_sign_off(current_user, item),
            own=item.user_id == current_user.id,
            core_acts=CORE_ACTS,
            awaiting=AWAITING,
            people={u.id: u for u in _actors(item)},
            removed_on=retention.reflections_removed_on(item.cohort, programme),
        ),
        status,
    )


def _actors(item: PracticeEntry) -> list[User]:
    return [item.user, *(r.reviewer for r in item.revisions if r.reviewer is not None)]


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
def edit(entry_id: int):
    """Change the entry's draft or returned revision."""
    item = get_entry(entry_id)
    revision = item.latest
    if item.user_id != current_user.id or revision.locked:
        abort(404)
    programme = programme_of(item.cohort)
    form = entry_form.form_for(programme, item.cohort, EntryForm(obj=revision))
    if entry_form.validated(form, item.cohort, programme, item.user_id, item.id):
        try:
            services.update_revision(
                db.session, revision, current_user, programme, entry_form.data(form),
                today=today(), submit=form.send.data, now=now(),
            )  # fmt: skip
        except services.PracticeError as error:
            db.session.rollback()
            entry_form.show_error(form, error)
        else:
            db.session.commit()
            flash(_("Submitted for sign-off.") if form.send.data else _("Saved as a draft."))
            return redirect(url_for(".entry", entry_id=item.id))
    return render_template("practice/form.html", form=form, cohort=item.cohort, entry=item)


def _act(entry_id: int, action, done: str):
    item = get_entry(entry_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = action(item)
    except services.PracticeError as error:
        refused(error)
        return redirect(url_for(".entry", entry_id=entry_id))
    db.session.commit()
    flash(done)
    return result or redirect(url_for(".entry", entry_id=entry_id))


@bp.route("/entries/<int:entry_id>/submit", methods=["POST"])
@login_required
def submit(entry_id: int):
    def action(item):
        services.submit_revision(db.session, item.latest, current_user, now())

    return _act(entry_id, action, _("Submitted for sign-off."))


@bp.route("/entries/<int:entry_id>/correct", methods=["POST"])
@login_required
def correct(entry_id: int):
    """Start a correction of a signed-off entry."""

    def action(item):
        services.start_correction(db.session, item, current_user, now())
        return redirect(url_for(".edit", entry_id=item.id))

    return _act(entry_id, action, _("A new version was started; the signed-off one still counts."))


@bp.route("/entries/<int:entry_id>/discard", methods=["GET", "POST"])
@login_required
def discard(entry_id: int):
    """Delete a draft, after a confirmation page."""
    item = get_entry(entry_id)
    revision = item.latest
    if item.user_id != current_user.id or revision.status != Status.DRAFT:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        cohort_id = item.cohort_id
        gone = services.discard_draft(db.session, revision, current_user)
        db.session.commit()
        flash(_("The draft was deleted."))
        if gone:
            return redirect(url_for(".logbook_page", cohort_id=cohort_id, user_id=current_user.id))
        return redirect(url_for(".entry", entry_id=entry_id))
    return render_template("practice/discard.html", entry=item, revision=revision, form=form)


@bp.route("/entries/<int:entry_id>/review", methods=["POST"])
@staff_only
def review(entry_id: int):
    """Sign off the waiting revision, or return it with a comment."""
    item = get_entry(entry_id)
    form = ReviewForm()
    revision = item.latest
    if not form.validate_on_submit():
        return _entry_page(item, form, 400)
    try:
        if form.send_back.data:
            services.return_revision(
                db.session, revision, current_user, form.comment.data or "", now()
            )
            message = _("Returned to the trainee.")
        else:
            statement = str(ATTESTATION) if form.attest.data else ""
            services.approve(db.session, [revision], current_user, statement, now())
            message = _("Signed off.")
    except services.PracticeError as error:
        refused(error, form)
        return _entry_page(get_entry(entry_id), form, 400)
    db.session.commit()
    flash(message)
    return redirect(url_for(".entry", entry_id=entry_id))


@bp.route("/queue")
@staff_only
def queue():
    """Submitted entries of the trainer's own cohorts, with filters and per-trainee totals."""
    return queue_page(BulkApproveForm())


@bp.route("/queue/sign-off", methods=["POST"])
@staff_only
def approve_many():
    """Sign off several reviewed entries at once, all or none."""
    form = BulkApproveForm()
    back = url_for(".queue", **request.args)
    if not form.validate_on_submit():
        abort(400)
    ids = request.form.getlist("revision", type=int)
    revisions = db.session.scalars(
        sa.select(PracticeRevision)
        .where(PracticeRevision.id.in_(ids))
        .options(so.joinedload(PracticeRevision.entry).joinedload(PracticeEntry.cohort))
    ).all()
    problems = []
    if (
        not ids
        or len(revisions) != len(set(ids))
        or not all(services.can_view(current_user, r.entry) for r in revisions)
    ):
        problems.append(("entries-title", _("Choose the entries to sign off.")))
    if not form.attest.data:
        form.attest.errors = [_("Confirm the attestation to sign off.")]
    if problems or form.attest.errors:
        # The page comes back with every entry still ticked, so nothing has to be chosen again.
        chosen = {r.id for r in revisions if services.can_view(current_user, r.entry)}
        return queue_page(form, selected=chosen, problems=problems), 400
    try:
        count = services.approve(db.session, revisions, current_user, str(ATTESTATION), now())
    except services.PracticeError as error:
        refused(error)
        return redirect(back)
    db.session.commit()
    flash(ngettext("%(num)d entry signed off.", "%(num)d entries signed off.", count))
    return redirect(back)


@bp.route("/cohorts/<int:cohort_id>/people/<int:user_id>/logbook.<any(csv, pdf):kind>")
@login_required
def export(cohort_id: int, user_id: int, kind: str):
    """The signed-off logbook as CSV, or as a printable PDF summary."""
    cohort, enrolment = logbook_owner(cohort_id, user_id)
    programme = programme_of(cohort)
    if not programme.practice_logged:
        abort(404)
    return logbook.download(kind, db.session, cohort, enrolment.user, programme)
