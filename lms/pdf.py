"""PDF documents with an embedded Unicode font (Noto Sans, from the ``fontpkg-noto-sans`` package).

Noto Sans covers the Latin, Cyrillic and Greek letters of every language Tugi is used in, so
Estonian, Ukrainian and Hungarian names print as written. fpdf2 embeds only the glyphs a document
uses. The package ships a variable font whose default instance is the regular weight; making a
bold instance takes seconds, so headings are drawn with a stroked outline instead.
"""

from contextlib import contextmanager

from fontpkg_noto_sans import ROOT as FONT_ROOT
from fpdf import FPDF
from fpdf.enums import TextMode
from fpdf.fonts import FontFace

FONT = "Noto"
FONT_FILE = FONT_ROOT / "files" / "NotoSans[wdth,wght].ttf"
MARGIN = 18


class MissingGlyphError(ValueError):
    """A text holds a character the embedded font cannot draw."""


class Document(FPDF):
    """An A4 page layout with a running footer."""

    def __init__(self, title: str, footer: str = ""):
        super().__init__(format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.add_font(FONT, "", FONT_FILE)
        self.set_title(title)
        self.set_creator("Tugi")
        self.footer_text = footer
        self.add_page()
        self.set_font(FONT, size=10)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, size=7.5)
        self.set_text_color(100)
        self.cell(0, 5, self.footer_text, align="L")
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    @contextmanager
    def outlined(self, size: float):
        """Heavier, larger text: the regular glyphs filled and outlined, in a saved graphics
        state so that the outline ends with the block."""
        self.set_font(FONT, size=size)
        with self.local_context(text_mode=TextMode.FILL_STROKE, line_width=size * 0.025):
            yield
        self.set_font(FONT, size=10)

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(2)
        with self.outlined(size):
            self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 10, gap: float = 1.5) -> None:
        self.set_font(FONT, size=size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(gap)
        self.set_font(FONT, size=10)

    def facts(self, pairs) -> None:
        """Label and value lines, labels in grey."""
        for label, value in pairs:
            self.set_text_color(90)
            self.cell(48, 6, label)
            self.set_text_color(0)
            self.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(1)

    def grid(self, header, rows, widths, size: float = 8.5) -> None:
        """A table with a repeated header row."""
        self.set_font(FONT, size=size)
        with self.table(
            col_widths=widths,
            headings_style=FontFace(fill_color=(232, 238, 236)),
            line_height=size * 0.55,
            text_align="LEFT",
            padding=1,
            first_row_as_headings=True,
            repeat_headings=1,
        ) as table:
            table.row(header)
            for row in rows:
                table.row([str(value) for value in row])
        self.set_font(FONT, size=10)
        self.ln(2)

    def to_bytes(self) -> bytes:
        """The finished PDF; a character the font cannot draw is an error, never a box."""
        missing = sorted(
            {chr(code) for font in self.fonts.values() for code in font.missing_glyphs}
        )
        if missing:
            raise MissingGlyphError(f"the font has no glyph for {''.join(missing)!r}")
        return bytes(self.output())
