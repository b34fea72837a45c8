"""The certificate as one A4 page, in the holder's language and, when the organisation asks for
it, a second language beneath: the issuing organisation with its logo, the programme's hours as
certified (with the hours attended beside them), the trainers' signature lines, and a QR code of
its verification address."""

import io

import segno
from flask_babel import force_locale, format_date, format_decimal, gettext, ngettext
from fpdf.fonts import FontFace

from lms.certificates.models import Certificate
from lms.organisation.api import Issuer
from lms.pdf import FONT, MARGIN, Document
from lms.programmes.api import Programme

ACCENT = (31, 92, 78)
LOGO_HEIGHT = 15
QR_SIZE = 40


def _qr(pdf: Document, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code as filled rectangles, one per run of dark modules in a row."""
    code = segno.make(text, error="m", micro=False)
    matrix = code.matrix
    module = size / (len(matrix) + 8)  # a quiet zone of four modules on each side
    pdf.set_fill_color(0)
    for row_number, row in enumerate(matrix):
        run_start = None
        for column, dark in enumerate([*row, 0]):
            if dark and run_start is None:
                run_start = column
            elif not dark and run_start is not None:
                pdf.rect(
                    x + (run_start + 4) * module,
                    y + (row_number + 4) * module,
                    (column - run_start) * module,
                    module,
                    style="F",
                )
                run_start = None


class Languages:
    """The holder's language and an optional second one: ``texts(make)`` runs ``make`` in each."""

    def __init__(self, first: str, second: str | None):
        self.first, self.second = first, (second if second != first else None)

    def texts(self, make) -> tuple[str, str | None]:
        with force_locale(self.first):
            first = make()
        if not self.second:
            return first, None
        with force_locale(self.second):
            return first, make()

    def joined(self, make, separator: str = " / ") -> str:
        first, second = self.texts(make)
        return first if second is None else f"{first}{separator}{second}"


def _hours(minutes: int, hour_minutes: int) -> str:
    """Hours with at most one decimal, in the reader's locale: 52.8, 52,8."""
    return format_decimal(round(minutes / hour_minutes, 1), format="#,##0.#")


def _centred(pdf: Document, text: str, height: float, size: float, bold=False) -> None:
    pdf.set_font(FONT, "B" if bold else "", size=size)
    pdf.multi_cell(0, height, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _pair(pdf: Document, texts, height: float, size: float, bold=False) -> None:
    """A line in the holder's language, and beneath it, smaller and grey, the second one."""
    first, second = texts
    _centred(pdf, first, height, size, bold)
    if second:
        colour = pdf.text_color
        pdf.set_text_color(110)
        _centred(pdf, second, max(4.5, height * 0.55), max(8.5, size * 0.5), bold)
        pdf.set_text_color(colour)


def _heading(pdf: Document, issuer: Issuer, languages: Languages) -> None:
    """The accent band, the logo, the organisation's name and address."""
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 9, style="F")
    pdf.set_fill_color(255)
    pdf.set_y(16)
    if issuer.logo:
        # centred, at most a third of the width
        pdf.image(io.BytesIO(issuer.logo), h=LOGO_HEIGHT, x="C", keep_aspect_ratio=True)
        pdf.ln(3)
    else:
        pdf.ln(6)
    pdf.set_text_color(*ACCENT)
    _centred(pdf, issuer.name, 6, 12, bold=True)
    pdf.set_text_color(90)
    for line in (issuer.address, issuer.website):
        if line:
            _centred(pdf, line, 4.5, 8.5)
    pdf.set_text_color(*ACCENT)
    pdf.ln(3)
    _pair(pdf, languages.texts(lambda: gettext("Certificate")), 13, 30, bold=True)
    pdf.set_text_color(0)


def _line_title(
    certificate: Certificate, line: dict, earned_in: Programme | None, second: str | None
) -> str:
    """The hour line as printed at issue, and beneath it its title in the second language."""
    other = certificate.line_title(line, second, earned_in) if second else None
    if other and other != line["title"]:
        return f"{line['title']}\n{other}"
    return line["title"]


def _table(
    pdf: Document, certificate: Certificate, earned_in: Programme | None, languages: Languages
) -> None:
    """Each part of the programme with its hours as certified and as attended."""
    unit = certificate.hour_minutes
    rows = [
        (
            _line_title(certificate, line, earned_in, languages.second),
            certificate.certified_minutes(line, earned_in),
            line["minutes"],
            unit,
        )
        for line in certificate.hours
    ]
    total = (
        languages.joined(lambda: gettext("Total")),
        certificate.certified_total(earned_in),
        certificate.total_minutes,
        unit,
    )
    practice = None
    if certificate.practice_minutes:
        required = round((earned_in.practice_hours if earned_in else 0) * 60)
        practice = (
            languages.joined(
                lambda: ngettext(
                    "Supervised practice with %(num)d client",
                    "Supervised practice with %(num)d clients",
                    certificate.practice_clients,
                ),
                "\n",
            ),
            required or certificate.practice_minutes,
            certificate.practice_minutes,
            60,
        )
    hours = languages.joined(
        lambda: gettext("Academic hours") if unit != 60 else gettext("Hours"), "\n"
    )
    header = (
        languages.joined(lambda: gettext("Part of the programme"), "\n"),
        hours,
        languages.joined(lambda: gettext("Attended"), "\n"),
    )
    pdf.set_left_margin(MARGIN + 12)
    pdf.set_right_margin(MARGIN + 12)
    pdf.set_x(MARGIN + 12)
    pdf.set_font(FONT, size=10)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=(5, 1.4, 1.4),
        headings_style=FontFace(emphasis="BOLD", fill_color=(232, 238, 236)),
        line_height=5.5,
        text_align=("LEFT", "RIGHT", "RIGHT"),
        padding=1,
        first_row_as_headings=True,
    ) as table:
        table.row(header)
        for title, certified, attended, minutes in rows:
            table.row([title, _hours(certified, minutes), _hours(attended, minutes)])
        table.row([total[0], _hours(total[1], unit), _hours(total[2], unit)], style=bold)
        if practice:
            table.row([practice[0], _hours(practice[1], 60), _hours(practice[2], 60)])
    pdf.set_left_margin(MARGIN)
    pdf.set_right_margin(MARGIN)
    pdf.set_font(FONT, size=10)
    pdf.ln(3)


def _facts(pdf: Document, facts: list[tuple[str, str]]) -> None:
    """Dates and code side by side, each label (grey, perhaps in two languages) over its value."""
    left, width = MARGIN + 12, pdf.w - 2 * (MARGIN + 12)
    slot, top = width / len(facts), pdf.get_y()
    bottom = top
    for index, (label, value) in enumerate(facts):
        pdf.set_xy(left + index * slot, top)
        pdf.set_text_color(90)
        pdf.set_font(FONT, size=8.5)
        pdf.multi_cell(slot - 2, 4.2, label, align="L", new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0)
        pdf.set_font(FONT, size=10)
        pdf.multi_cell(slot - 2, 5.5, value, align="L", new_x="LEFT", new_y="NEXT")
        bottom = max(bottom, pdf.get_y())
    pdf.set_xy(MARGIN, bottom + 2)


def _signatures(pdf: Document, names: list[str], top: float, languages: Languages) -> None:
    """A line to sign on above each trainer's name, up to three to a row."""
    width = pdf.w - 2 * MARGIN
    per_row = min(3, max(1, len(names)))
    slot = width / 3  # a line is a third of the page wide, however few trainers sign
    left = MARGIN + (width - per_row * slot) / 2
    for index, name in enumerate(names):
        row, column = divmod(index, per_row)
        x = left + column * slot + 6
        y = top + row * 20
        pdf.set_draw_color(120)
        pdf.line(x, y + 9, x + slot - 12, y + 9)
        pdf.set_xy(x, y + 10)
        pdf.set_font(FONT, size=9.5)
        pdf.cell(slot - 12, 5, name, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(90)
        pdf.set_font(FONT, size=8)
        pdf.cell(slot - 12, 4, languages.joined(lambda: gettext("Trainer")), align="C")
        pdf.set_text_color(0)


def render(
    certificate: Certificate,
    programme: Programme,
    verify_url: str,
    issuer: Issuer,
    earned_in: Programme | None = None,
) -> bytes:
    """The certificate PDF; its texts are in the holder's language. ``earned_in`` is the
    programme taken (a refresher, for a renewal); its syllabus is the hours certified. With
    ``issuer.second_language`` set, each text is also given in that language."""
    earned_in = earned_in or programme
    languages = Languages(certificate.language, issuer.second_language or None)
    with force_locale(certificate.language):
        pdf = Document(
            gettext("Certificate %(code)s", code=certificate.code),
            gettext("Verify at %(url)s", url=verify_url),
        )
        pdf.set_auto_page_break(False)
        _heading(pdf, issuer, languages)
        pdf.ln(3)
        # labels around the name, not a sentence split by it: no language has to guess a gender
        _pair(pdf, languages.texts(lambda: gettext("Certificate holder")), 6, 11)
        pdf.ln(2)
        _centred(pdf, certificate.holder_name, 10, 22, bold=True)
        pdf.ln(2)
        renewal = (
            certificate.renews is not None and certificate.earned_in != certificate.programme_slug
        )
        lead = languages.texts(
            lambda: (
                gettext("Certificate renewed for the programme")
                if renewal
                else gettext("Programme completed")
            )
        )
        _pair(pdf, lead, 6, 11)
        pdf.ln(1)
        titles = (
            certificate.programme_title(certificate.language, programme),
            certificate.programme_title(languages.second, programme) if languages.second else None,
        )
        _pair(pdf, titles, 7.5, 15, bold=True)
        pdf.set_text_color(90)
        _centred(pdf, gettext("Cohort: %(name)s", name=certificate.cohort.name), 6, 10)
        pdf.set_text_color(0)
        pdf.ln(3)
        _table(pdf, certificate, earned_in, languages)

        facts = [
            (languages.joined(lambda: gettext("Issued on"), "\n"),
             format_date(certificate.issued_on, "long")),
            (languages.joined(lambda: gettext("Valid until"), "\n"),
             format_date(certificate.expires_on, "long")),
            (languages.joined(lambda: gettext("Certificate code"), "\n"), certificate.code),
        ]  # fmt: skip
        if renewal:
            facts.append(
                (languages.joined(lambda: gettext("Renews"), "\n"), certificate.renews.code)
            )
        _facts(pdf, facts)

        qr_top = pdf.h - 14 - QR_SIZE  # just above the footer
        rows = -(-len(certificate.trainers) // 3)
        # close under the facts when there is room, never into the QR code's band
        _signatures(
            pdf, certificate.trainers, min(pdf.get_y() + 10, qr_top - 4 - 20 * rows), languages
        )

        _qr(pdf, verify_url, pdf.w - MARGIN - QR_SIZE, qr_top, QR_SIZE)
        pdf.set_xy(MARGIN, qr_top + 6)
        pdf.set_font(FONT, size=9)
        check = languages.texts(
            lambda: gettext(
                "Anyone can check this certificate: scan the code, or open %(url)s and type "
                "the certificate code.",
                url=verify_url.rsplit("/", 1)[0],
            )
        )
        for text in filter(None, check):
            pdf.multi_cell(
                pdf.w - 2 * MARGIN - QR_SIZE - 6, 5, text, align="L", new_x="LMARGIN",
                new_y="NEXT",
            )  # fmt: skip
            pdf.ln(1.5)
            pdf.set_text_color(90)
        pdf.set_text_color(0)
        return pdf.to_bytes()
