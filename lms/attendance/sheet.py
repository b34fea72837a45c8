"""A printable sign-in sheet for a session, for rooms without devices: the session, when and
where, and one line per trainee with a box to sign in. The trainer enters the marks afterwards."""

from flask_babel import format_date, format_time
from flask_babel import gettext as _
from fpdf.fonts import FontFace

from lms.attendance.models import Mark
from lms.attendance.services import RegisterRow
from lms.cohorts.models import EnrolmentStatus, TrainingSession
from lms.exports import file_slug
from lms.pdf import FONT, Document
from lms.programmes.api import Programme

#: The height of a trainee's line, in millimetres: room for a hand-written signature.
LINE_HEIGHT = 11


def on_the_sheet(rows: list[RegisterRow]) -> list[RegisterRow]:
    """Active trainees and make-up guests; withdrawn and completed trainees do not come."""
    return [row for row in rows if row.status in (EnrolmentStatus.ACTIVE, None)]


def filename(item: TrainingSession) -> str:
    return f"sign-in-{item.starts_at:%Y-%m-%d}-{file_slug(item.title, 'session')}.pdf"


def sign_in_sheet(
    item: TrainingSession, programme: Programme | None, rows: list[RegisterRow], language: str
) -> bytes:
    """The sheet as a PDF: title, cohort, date and time in local time, place, trainers, and a
    numbered line with a signature box for each trainee (excused ones are marked so)."""
    cohort = item.cohort
    doc = Document(_("Sign-in sheet"), f"Tugi · {cohort.name} · {item.title}")
    doc.heading(_("Sign-in sheet"), 16)
    category = programme.category(item.category) if programme else None
    when = _(
        "%(date)s, %(start)s–%(end)s",
        date=format_date(item.starts_at, "full"),
        start=format_time(item.starts_at, "HH:mm"),
        end=format_time(item.ends_at, "HH:mm"),
    )
    facts = [
        (_("Session"), item.title),
        (_("Cohort"), cohort.name),
        (_("When"), when),
        (_("Where"), item.place or (_("online") if item.online_url else "–")),
    ]
    if category:
        facts.append((_("Hour category"), category.title_for(language)))
    if cohort.trainers:
        facts.append((_("Trainers"), ", ".join(t.display_name for t in cohort.trainers)))
    doc.facts(facts)
    doc.set_font(FONT, size=10)
    with doc.table(
        col_widths=(8, 62, 22, 82),
        headings_style=FontFace(fill_color=(232, 238, 236)),
        line_height=LINE_HEIGHT,
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT"),
        v_align="MIDDLE",
        padding=1.5,
        repeat_headings=1,
    ) as table:
        table.row(["#", _("Trainee"), _("Arrived"), _("Signature")])
        for number, row in enumerate(on_the_sheet(rows), start=1):
            excused = row.record is not None and row.record.mark == Mark.EXCUSED
            guest = _("make-up") if row.status is None else ""
            name = f"{row.user.display_name} ({guest})" if guest else row.user.display_name
            table.row([str(number), name, "", _("excused") if excused else ""])
    doc.ln(6)
    doc.paragraph(_("Trainer's signature: ______________________________"), 10)
    return doc.to_bytes()
