"""A trainee's practice logbook as a download: every revision as CSV, or the signed-off summary
as a printable PDF. The PDF leaves reflections out, since it is made to be handed on."""

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Response
from flask_babel import format_date, format_datetime, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from lms.auth.models import User
from lms.cohorts.models import Cohort
from lms.exports import csv_response, download_response, file_slug
from lms.practice import queries
from lms.practice.models import CORE_ACTS, STATUS_LABELS, PracticeEntry, PracticeRevision
from lms.programmes.api import Programme


def _hours(minutes: int) -> str:
    return format_decimal(round(minutes / 60, 2), format="#,##0.##")


def _filename(user: User, cohort: Cohort, kind: str) -> str:
    return f"practice-{file_slug(user.display_name, 'trainee')}-{cohort.id}.{kind}"


def _language() -> str:
    return str(get_locale())


def _all_revisions(session: Session, cohort: Cohort, user: User) -> list[PracticeRevision]:
    return list(
        session.scalars(
            sa.select(PracticeRevision)
            .join(PracticeEntry, PracticeEntry.id == PracticeRevision.entry_id)
            .where(PracticeEntry.cohort_id == cohort.id, PracticeEntry.user_id == user.id)
            .options(
                so.joinedload(PracticeRevision.reviewer),
                so.joinedload(PracticeRevision.debrief_session),
            )
            .order_by(
                PracticeRevision.practised_on, PracticeRevision.entry_id, PracticeRevision.number
            )
        )
    )


def _reflection(revision: PracticeRevision, erased: bool) -> str:
    """The reflection, or when and why it was removed: by the retention period, or when the
    trainee's data was ``erased``."""
    if revision.redacted_at is None:
        return revision.reflection
    if erased:
        return _(
            "The reflection was removed on %(date)s, when the trainee's data was erased at "
            "their request.",
            date=revision.redacted_at.date().isoformat(),
        )
    return _(
        "The reflection was removed on %(date)s under the programme's retention period.",
        date=revision.redacted_at.date().isoformat(),
    )


def csv_logbook(session: Session, cohort: Cohort, user: User, programme: Programme) -> Response:
    """Every revision of every entry, with its status, review and reflection."""
    language = _language()
    header = [
        _("Entry"), _("Version"), _("Status"), _("Date"), _("Minutes"), _("Client code"),
        _("Client group"), _("Activity"), _("CARe core acts"), _("Discussed at session"),
        _("Reflection"), _("Submitted"), _("Reviewed by"), _("Reviewed"), _("Comment"),
        _("Attestation"),
    ]  # fmt: skip

    rows = (
        [
            r.entry_id,
            r.number,
            str(STATUS_LABELS.get(r.status, r.status)),
            r.practised_on.isoformat(),
            r.minutes,
            r.client_code,
            _title(programme.client_group(r.client_group), r.client_group, language),
            _title(programme.activity(r.activity), r.activity, language),
            ", ".join(str(CORE_ACTS[act]) for act in r.core_acts if act in CORE_ACTS),
            r.debrief_session.title if r.debrief_session else "",
            _reflection(r, user.erased_at is not None),
            r.submitted_at.isoformat(timespec="minutes") if r.submitted_at else "",
            r.reviewer.display_name if r.reviewer else "",
            r.reviewed_at.isoformat(timespec="minutes") if r.reviewed_at else "",
            r.review_comment or "",
            r.attestation or "",
        ]
        for r in _all_revisions(session, cohort, user)
    )
    return csv_response(_filename(user, cohort, "csv"), header, rows)


def pdf_logbook(session: Session, cohort: Cohort, user: User, programme: Programme) -> bytes:
    """One trainee's signed-off practice: totals against the requirement, and each entry."""
    from lms.pdf import Document  # here, not at start: the PDF library takes 0.2-0.7 s

    language = _language()
    line = queries.trainee_totals(session, cohort.id, user.id)
    progress = queries.progress(programme, line)
    revisions = queries.signed_off(session, cohort.id, user.id)
    made = format_datetime(datetime.now(UTC), "short")
    doc = Document(
        _("Supervised practice logbook"),
        _("Tugi · made %(when)s · client codes are the trainee's pseudonyms", when=made),
    )
    doc.heading(_("Supervised practice logbook"), 16)
    doc.facts(
        [
            (_("Trainee"), user.display_name),
            (_("Programme"), programme.title_for(language)),
            (_("Cohort"), f"{cohort.name} ({format_date(cohort.starts_on)} – "
                          f"{format_date(cohort.ends_on)})"),
        ]
    )  # fmt: skip
    doc.heading(_("Signed-off practice"))
    hours = _("%(done)s h of %(required)s h", done=_hours(line.approved_minutes),
              required=_hours(progress.required_minutes))  # fmt: skip
    clients = _("%(done)s of %(required)s", done=line.client_count,
                required=progress.required_clients)  # fmt: skip
    doc.facts(
        [
            (_("Hours"), hours if progress.required_minutes else _hours(line.approved_minutes)),
            (_("Distinct clients"), clients if progress.required_clients else
             str(line.client_count)),
            (_("Requirement"), _remaining(progress)),
        ]
    )  # fmt: skip
    if line.minutes_by_group:
        doc.grid(
            [_("Client group"), _("Hours"), _("Clients")],
            [
                (
                    group.title_for(language),
                    _hours(line.minutes_by_group[group.slug]),
                    len(line.clients_by_group[group.slug]),
                )
                for group in programme.client_groups
                if group.slug in line.minutes_by_group
            ],  # fmt: skip
            (90, 40, 44),
        )
    doc.heading(_("Entries"))
    if not revisions:
        doc.paragraph(_("No practice has been signed off yet."))
    else:
        doc.grid(
            [_("Date"), _("Client"), _("Client group"), _("Activity"), _("Hours"),
             _("Signed off by")],
            [
                (format_date(r.practised_on, "short"), r.client_code,
                 _title(programme.client_group(r.client_group), r.client_group, language),
                 _title(programme.activity(r.activity), r.activity, language),
                 _hours(r.minutes),
                 f"{r.reviewer.display_name}, {format_date(r.reviewed_at, 'short')}")
                for r in revisions
            ],
            (20, 22, 34, 44, 14, 40),
        )  # fmt: skip
        doc.heading(_("Attestation"), 11)
        for statement in dict.fromkeys(r.attestation for r in revisions):
            signers = sorted(
                {r.reviewer.display_name for r in revisions if r.attestation == statement}
            )
            doc.paragraph(_("Each entry above was signed off by %(names)s with this statement:",
                            names=", ".join(signers)), 9, 0.5)  # fmt: skip
            doc.paragraph(f"“{statement}”", 9)
    return doc.to_bytes()


def _remaining(progress: queries.Progress) -> str:
    """What is left to do, in words: "met", "7.5 h to go", "2 more clients"."""
    if progress.met:
        return _("met")
    parts = []
    if progress.remaining_minutes:
        parts.append(_("%(hours)s h to go", hours=_hours(progress.remaining_minutes)))
    if progress.remaining_clients:
        parts.append(
            ngettext("%(num)d more client", "%(num)d more clients", progress.remaining_clients)
        )
    return ", ".join(parts)


def _title(choice, slug: str, language: str) -> str:
    return choice.title_for(language) if choice else slug


def download(kind: str, session: Session, cohort: Cohort, user: User, programme: Programme):
    if kind == "csv":
        return csv_logbook(session, cohort, user, programme)
    body = pdf_logbook(session, cohort, user, programme)
    return download_response(body, _filename(user, cohort, "pdf"), "application/pdf")
