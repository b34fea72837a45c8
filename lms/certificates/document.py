"""The certificate as one A4 page, in the holder's language, with a QR code of its
verification address."""

import segno
from flask_babel import force_locale, format_date, gettext, ngettext

from lms.certificates.models import Certificate, hours_text
from lms.pdf import FONT, MARGIN, Document
from lms.programmes.definitions import Programme

ACCENT = (31, 92, 78)


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


def render(certificate: Certificate, programme: Programme, verify_url: str, issuer: str) -> bytes:
    """The certificate PDF; its texts are in the holder's language."""
    with force_locale(certificate.language):
        pdf = Document(
            gettext("Certificate %(code)s", code=certificate.code),
            gettext("Verify at %(url)s", url=verify_url),
        )
        pdf.set_auto_page_break(False)
        width = pdf.w - 2 * MARGIN
        pdf.set_fill_color(*ACCENT)
        pdf.rect(0, 0, pdf.w, 9, style="F")
        pdf.set_fill_color(255)
        pdf.set_y(22)
        pdf.set_text_color(*ACCENT)
        pdf.set_font(FONT, size=11)
        pdf.cell(width, 6, issuer.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
        with pdf.outlined(30):
            pdf.cell(width, 14, gettext("Certificate"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        pdf.ln(6)
        pdf.set_font(FONT, size=11)
        pdf.cell(width, 6, gettext("This certifies that"), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        with pdf.outlined(22):
            pdf.multi_cell(
                width, 11, certificate.holder_name, align="C", new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(3)
        pdf.set_font(FONT, size=11)
        renewal = (
            certificate.renews is not None and certificate.earned_in != certificate.programme_slug
        )
        lead = (
            gettext("has renewed the certificate of the programme")
            if renewal
            else gettext("has completed the programme")
        )
        pdf.cell(width, 6, lead, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        with pdf.outlined(15):
            pdf.multi_cell(
                width,
                8,
                programme.title_for(certificate.language),
                align="C",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        pdf.set_font(FONT, size=10)
        pdf.set_text_color(90)
        pdf.cell(
            width,
            6,
            gettext("Cohort: %(name)s", name=certificate.cohort.name),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0)
        pdf.ln(8)

        rows = [
            [line["title"], hours_text(line["minutes"], certificate.hour_minutes)]
            for line in certificate.hours
        ]
        rows.append(
            [gettext("Total"), hours_text(certificate.total_minutes, certificate.hour_minutes)]
        )
        if certificate.practice_minutes:
            rows.append(
                [
                    ngettext(
                        "Supervised practice with %(num)d client",
                        "Supervised practice with %(num)d clients",
                        certificate.practice_clients,
                    ),
                    hours_text(certificate.practice_minutes, 60),
                ]
            )
        unit = gettext("Academic hours") if certificate.hour_minutes != 60 else gettext("Hours")
        pdf.set_x(MARGIN + 15)
        pdf.set_left_margin(MARGIN + 15)
        pdf.set_right_margin(MARGIN + 15)
        pdf.grid([gettext("Part of the programme"), unit], rows, (4, 1), size=10)
        pdf.set_left_margin(MARGIN)
        pdf.set_right_margin(MARGIN)
        pdf.ln(2)

        facts = [
            (gettext("Trainers"), ", ".join(certificate.trainers) or "–"),
            (gettext("Issued on"), format_date(certificate.issued_on, "long")),
            (gettext("Valid until"), format_date(certificate.expires_on, "long")),
            (gettext("Certificate code"), certificate.code),
        ]
        if renewal:
            facts.append((gettext("Renews"), certificate.renews.code))
        pdf.set_font(FONT, size=10)
        pdf.facts(facts)

        qr_size = 46
        top = pdf.h - MARGIN - qr_size - 8
        _qr(pdf, verify_url, pdf.w - MARGIN - qr_size, top, qr_size)
        pdf.set_xy(MARGIN, top + 8)
        pdf.set_font(FONT, size=9)
        pdf.multi_cell(
            width - qr_size - 6,
            5,
            gettext(
                "Anyone can check this certificate: scan the code, or open %(url)s and type "
                "the certificate code.",
                url=verify_url.rsplit("/", 1)[0],
            ),
            align="L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        return pdf.to_bytes()
