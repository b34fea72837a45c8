"""The register matrix and a trainee's report as CSV or XLSX tables (hours in decimal), and the
register page's cells as HTML.

A register of 200 trainees x 60 sessions has 12,000 cells: each cell's text is looked up in a
table made once per report, never translated or rendered through a template per cell."""

from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup

from lms.attendance.ledger import Matrix
from lms.attendance.models import MARK_LABELS
from lms.cohorts.models import STATUS_LABELS, Cohort
from lms.exports import table_response
from lms.programmes.api import Programme


def hours(minutes: int, hour_minutes: int = 60) -> float:
    """Minutes as hours of the programme (academic hours are 45 minutes)."""
    return round(minutes / hour_minutes, 2)


def _mark(mark: str) -> str:
    """An attendance mark in the reader's language."""
    return str(MARK_LABELS.get(mark, mark))


def _when(item) -> str:
    local = item.starts_at.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return local.strftime("%Y-%m-%d %H:%M")


def _category_header(programme: Programme, language: str) -> list[str]:
    header = []
    for category in programme.categories:
        title = category.title_for(language)
        header += [
            _("%(category)s: credited h", category=title),
            _("%(category)s: required h", category=title),
        ]
    return header


def mark_letters() -> dict[str, str]:
    """Each mark's letters in the register report, in the reader's language: a mark's first
    letter is not enough (late and left early, or in Russian present and excused, share one)."""
    return {
        "present": pgettext("letters for the attendance mark present", "P"),
        "late": pgettext("letters for the attendance mark late", "L"),
        "left_early": pgettext("letters for the attendance mark left early", "LE"),
        "excused": pgettext("letters for the attendance mark excused", "E"),
        "absent": pgettext("letters for the attendance mark absent", "A"),
    }


def register_cells(table: Matrix) -> list[Markup]:
    """Each trainee's row of session cells on the register page, in the order of the ledgers:
    the mark's letters, its name and the minutes credited on hover, a dash if cancelled."""
    labels = {mark: str(label) for mark, label in MARK_LABELS.items()}
    letters = mark_letters()
    cancelled = Markup('<td class="mark mark-none">–</td>')
    empty = Markup('<td class="mark mark-none"></td>')
    made: dict[tuple[str, int], Markup] = {}  # a few dozen distinct cells in any register
    template = Markup('<td class="mark mark-{}"><abbr title="{}, {}">{}</abbr></td>')
    columns = [(item.id, item.cancelled) for item in table.sessions]
    rows = []
    for ledger in table.ledgers:
        marks, cells = table.row(ledger.user.id), []
        for session_id, is_cancelled in columns:
            cell = None if is_cancelled else marks.get(session_id)
            if cell is None:
                cells.append(cancelled if is_cancelled else empty)
                continue
            key = (cell.mark, cell.credited_minutes)
            if key not in made:
                label, minutes = (
                    labels.get(cell.mark, cell.mark),
                    _("%(minutes)d min", minutes=key[1]),
                )
                made[key] = template.format(cell.mark, label, minutes, letters.get(cell.mark, "?"))
            cells.append(made[key])
        rows.append(Markup("").join(cells))
    return rows


def matrix_download(kind: str, cohort: Cohort, programme: Programme, table: Matrix, language):
    sessions = [(item.id, item.cancelled) for item in table.sessions]
    header = [_("Trainee"), _("Email"), _("Status")]
    header += [f"{_when(item)} {item.title}" for item in table.sessions]
    header += _category_header(programme, language) + [_("At risk")]
    names = {mark: _mark(mark) for mark in MARK_LABELS}  # translated once, not per cell
    statuses = {status: str(label) for status, label in STATUS_LABELS.items()}  # nor per row
    cancelled, made, risk = _("cancelled"), {}, {True: _("yes"), False: _("no")}
    rows = []
    for ledger in table.ledgers:
        status = statuses.get(ledger.status, ledger.status)
        row = [ledger.user.display_name, ledger.user.email, status]
        marks = table.row(ledger.user.id)
        for session_id, is_cancelled in sessions:
            cell = marks.get(session_id)
            if is_cancelled:
                row.append(cancelled)
            elif cell is None:
                row.append("")
            else:
                key = (cell.mark, cell.credited_minutes)
                if key not in made:
                    made[key] = f"{names.get(cell.mark, cell.mark)} {cell.credited_minutes}"
                row.append(made[key])
        for line in ledger.lines:
            per = line.category.hour_minutes
            row += [hours(line.credited, per), hours(line.required, per)]
        row.append(risk[ledger.at_risk])
        rows.append(row)
    filename = f"tugi-register-{cohort.id}"
    return table_response(kind, filename, _("Register"), header, rows)


def trainee_download(kind: str, cohort: Cohort, programme: Programme, table: Matrix, language):
    ledger = table.ledgers[0]
    header = [
        _("Date"),
        _("Session"),
        _("Hour category"),
        _("Length (min)"),
        _("Mark"),
        _("Credited (min)"),
        _("Note"),
    ]
    rows = []
    for item in table.sessions:
        record = table.cell(ledger.user.id, item.id)
        category = programme.category(item.category)
        rows.append(
            [
                _when(item),
                item.title,
                category.title_for(language) if category else item.category,
                item.minutes,
                _("cancelled") if item.cancelled else (_mark(record.mark) if record else ""),
                record.credited_minutes if record and not item.cancelled else "",
                record.note if record else "",
            ]
        )
    for line in ledger.lines:
        rows.append(
            [
                "",
                _("Total"),
                line.category.title_for(language),
                line.required,
                _("required"),
                line.credited,
                "",
            ]
        )
    filename = f"tugi-attendance-{cohort.id}-{ledger.user.id}"
    return table_response(kind, filename, _("Attendance"), header, rows)
