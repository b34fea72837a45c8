"""Register pages: marking a session, self check-in, history, the matrix and trainee reports."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from lms import audit
from lms.access import ensure_visible, login_required, staff_only
from lms.attendance import attendees, reports, services
from lms.attendance.forms import CheckInForm
from lms.attendance.ledger import build_matrix
from lms.attendance.models import MARK_LABELS
from lms.attendance.register_page import changes_from, fill, int_or_none, page
from lms.auth.models import User
from lms.cohorts import api as cohorts
from lms.cohorts.api import get_cohort, managed_cohort, managed_session, programme_of
from lms.errors import refused
from lms.exports import download_response
from lms.extensions import db, limiter
from lms.forms import ConfirmForm
from lms.i18n import local_today, register_labels
from lms.qr import qr_svg

bp = Blueprint("attendance", __name__)
register_labels(bp, "mark_label", MARK_LABELS)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@staff_only
def register(session_id: int):
    """Mark each trainee; only the rows this trainer changed are saved, each whole or, when
    someone else changed it meanwhile, not at all and shown with its current value."""
    item = managed_session(session_id)
    rows = services.register_rows(db.session, item)
    if request.method == "GET":
        return page(item, rows)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    typed = {
        change.user_id: change for change in changes_from(request.form, rows) if change.changed
    }
    if request.form.get("fill") == "present":
        return fill(item, rows, typed)
    try:
        result = services.save_register(db.session, item, rows, list(typed.values()), current_user)
    except services.RegisterError as error:
        refused(error)
        return page(item, rows, typed=typed)
    except sa.exc.OperationalError:  # SQLite: another trainer was writing at the same moment
        db.session.rollback()
        flash(_("Another change was being saved at the same moment. Please try again."), "error")
        return page(item, services.register_rows(db.session, item), typed=typed)
    if result.errors:
        db.session.rollback()
        flash(_("Nothing was saved: please correct the marked rows."), "error")
        return page(item, rows, typed=typed, errors=result.errors)
    db.session.commit()
    if result.saved or not result.conflicts:
        flash(_("The register is saved (%(n)d changed).", n=result.saved), "success")
    if not result.conflicts:
        return redirect(url_for("attendance.register", session_id=item.id))
    flash(
        ngettext(
            "%(num)d row was changed by someone else while you were marking, so your value "
            "was not saved. It is shown below with the value it has now.",
            "%(num)d rows were changed by someone else while you were marking, so your values "
            "were not saved. They are shown below with the values they have now.",
            len(result.conflicts),
        ),
        "error",
    )
    # Rows read again: the saved ones show their new values; each conflicting row keeps what
    # this trainer typed, and now carries the current version, so saving again replaces it.
    rows = services.register_rows(db.session, item)
    kept = {uid: typed[uid] for uid in result.conflicts}
    return page(item, rows, typed=kept, conflicts=result.conflicts, based_on_database=True)


def _apply(item, change, success) -> None:
    """Run one register action (CSRF checked), then commit and say so, or roll back and say why."""
    if not ConfirmForm().validate_on_submit():
        return
    try:
        result = change()
    except services.RegisterError as error:
        refused(error)
    else:
        db.session.commit()
        flash(success(result), "success")


@bp.route("/sessions/<int:session_id>/make-up", methods=["POST"])
@staff_only
def add_make_up(session_id: int):
    """Add a trainee of another cohort of the programme who makes up a missed session here."""
    item = managed_session(session_id)
    user_id = int_or_none(request.form.get("user_id"))
    if user_id is not None:
        _apply(
            item,
            lambda: attendees.add_make_up(db.session, item, item.cohort, user_id, current_user),
            lambda _none: _("The make-up attendee has been added as present."),
        )
    return redirect(url_for("attendance.register", session_id=item.id))


@bp.route("/sessions/<int:session_id>/check-ins", methods=["POST"])
@staff_only
def confirm_check_ins(session_id: int):
    item = managed_session(session_id)
    _apply(
        item,
        lambda: attendees.confirm_check_ins(
            db.session, item, services.register_rows(db.session, item), current_user
        ),
        lambda count: _("%(n)d check-ins confirmed.", n=count),
    )
    return redirect(url_for("attendance.register", session_id=item.id))


@bp.route("/sessions/<int:session_id>/code")
@staff_only
def check_in_code(session_id: int):
    """The rotating code and its QR code, to show on the room's screen."""
    item = managed_session(session_id)
    now = datetime.now(UTC)
    is_open = attendees.in_window(item, now, current_app.config["CHECK_IN_EARLY_MINUTES"])
    code, seconds_left = attendees.current_code(current_app.config["SECRET_KEY"], item.id, now)
    qr = None
    if is_open:
        url = url_for("attendance.check_in", code=code, _external=True)
        qr = qr_svg(url, _("QR code for checking in"))
    return render_template(
        "attendance/code.html",
        item=item,
        code=code if is_open else None,
        qr_svg=qr,
        refresh=min(seconds_left, 30) if is_open else 60,
    )


@bp.route("/check-in", methods=["GET", "POST"])
@login_required
@limiter.limit("20 per minute", methods=["POST"])
def check_in():
    """A trainee types (or scans) the code shown in the room; the trainer confirms it later."""
    form = CheckInForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:12]
    if form.validate_on_submit():
        try:
            item = attendees.check_in(
                db.session,
                current_user,
                form.code.data,
                secret=current_app.config["SECRET_KEY"],
                now=datetime.now(UTC),
                early_minutes=current_app.config["CHECK_IN_EARLY_MINUTES"],
            )
        except services.RegisterError as error:
            form.code.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _(
                    "You are checked in to %(title)s. Your trainer will confirm it.",
                    title=item.title,
                ),
                "success",
            )
            return redirect(url_for("cohorts.show", cohort_id=item.cohort_id))
    return render_template("attendance/check_in.html", form=form)


@bp.route("/sessions/<int:session_id>/sign-in-sheet.pdf")
@staff_only
def sign_in_sheet(session_id: int):
    """A printable sign-in sheet, for rooms without devices."""
    from lms.attendance import sheet  # here, not at start: the PDF library takes 0.2-0.7 s

    item = managed_session(session_id)
    rows = services.register_rows(db.session, item)
    body = sheet.sign_in_sheet(item, programme_of(item.cohort), rows, str(get_locale()))
    return download_response(body, sheet.filename(item), "application/pdf")


@bp.route("/sessions/<int:session_id>/history")
@staff_only
def history(session_id: int):
    """Every change to the session and its register: who, when, before and after."""
    item = managed_session(session_id)
    events = audit.events_for(db.session, ("register", "session"), [item.id])
    people = {(event.after or event.before or {}).get("user_id") for event in events} - {None}
    names = dict(
        db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(people))).all()
    )
    return render_template("attendance/history.html", item=item, events=events, names=names)


@bp.route("/cohorts/<int:cohort_id>/matrix")
@bp.route("/cohorts/<int:cohort_id>/matrix.<any(csv, xlsx):kind>")
@staff_only
def matrix(cohort_id: int, kind: str | None = None):
    """The cohort register: trainees by sessions, with totals per hour category."""
    cohort = managed_cohort(cohort_id)
    programme = programme_of(cohort)
    sessions = cohorts.cohort_sessions(db.session, cohort.id)
    table = build_matrix(db.session, cohort, programme, sessions, today=local_today())
    if kind:
        return reports.matrix_download(kind, cohort, programme, table, current_user.language)
    return render_template(
        "attendance/matrix.html",
        cohort=cohort,
        programme=programme,
        matrix=table,
        cells=reports.register_cells(table),
        letters=reports.mark_letters(),
    )


@bp.route("/cohorts/<int:cohort_id>/trainees/<int:user_id>")
@bp.route("/cohorts/<int:cohort_id>/trainees/<int:user_id>.<any(csv, xlsx):kind>")
@login_required
def trainee_report(cohort_id: int, user_id: int, kind: str | None = None):
    """One trainee's ledger and every session's mark: for them, their trainers, coordinators."""
    cohort = get_cohort(cohort_id)
    ensure_visible(cohorts.can_manage(current_user, cohort) or current_user.id == user_id)
    programme = programme_of(cohort)
    sessions = cohorts.cohort_sessions(db.session, cohort.id)
    table = build_matrix(
        db.session, cohort, programme, sessions, user_id=user_id, today=local_today()
    )
    if not table.ledgers:
        abort(404)
    if kind:
        return reports.trainee_download(kind, cohort, programme, table, current_user.language)
    ledger, help_ = table.ledgers[0], None
    if ledger.at_risk and current_user.id == user_id:  # the advice speaks to the trainee
        wanted = [line.category.slug for line in ledger.unreachable_lines]
        help_ = cohorts.risk_help(db.session, cohort, wanted, datetime.now(UTC))
    return render_template(
        "attendance/trainee.html",
        risk_help=help_,
        cohort=cohort,
        programme=programme,
        matrix=table,
        ledger=table.ledgers[0],
    )
