"""PDF documents with an embedded Unicode font (Noto Sans, from the ``fontpkg-noto-sans`` package).

Noto Sans covers the Latin, Cyrillic and Greek letters of every language Tugi is used in, so
Estonian, Ukrainian and Hungarian names print as written. fpdf2 embeds only the glyphs a document
uses. The package ships a variable font; its regular and bold weights are static instances made
with fontTools. That takes seconds, so they are made once and kept as files in the instance
folder, which later processes reuse.
"""

import os
import tempfile
import threading
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from flask import current_app, has_app_context
from fontpkg_noto_sans import ROOT as FONT_ROOT
from fpdf import FPDF
from fpdf.fonts import FontFace

FONT = "Noto"
FONT_FILE = FONT_ROOT / "files" / "NotoSans[wdth,wght].ttf"
MARGIN = 18

#: bumped whenever ``_make_static`` changes, so that fonts made the old way are made again
INSTANCE_RECIPE = 2
#: (regular, bold) font files found or made in this process, by folder
_font_files: dict[Path, tuple[Path, Path]] = {}
_font_lock = threading.Lock()
#: fpdf2 draws each glyph by its advance width without shaping, so the layout tables would
#: only be subset and embedded unused (and subsetting them is most of a PDF's time)
UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "STAT", "MVAR", "HVAR", "avar", "fvar", "gvar")


def _make_static(target: Path, weight: int, style: str) -> None:
    """Write the ``weight`` instance of the variable font to ``target`` (atomically, so a
    process reading it never sees half a file)."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(
        TTFont(FONT_FILE), {"wght": weight, "wdth": 100}, static=True
    )
    for tag in UNUSED_TABLES:
        if tag in font:
            del font[tag]
    font["post"].formatType = 3.0  # no glyph names: the PDF maps glyphs to text by cmap
    names = font["name"]
    for record_id, text in ((1, "Noto Sans"), (2, style), (4, f"Noto Sans {style}"),
                            (6, f"NotoSans-{style}")):  # fmt: skip
        names.setName(text, record_id, 3, 1, 0x409)
    font["OS/2"].usWeightClass = weight
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        font.save(scratch)
        os.replace(scratch, target)
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)


def font_files() -> tuple[Path, Path]:
    """Static regular and bold Noto Sans, made from the variable font on first use and kept in
    the instance folder's ``fonts/`` (or ``FONT_CACHE_DIR``), named after the font package's
    version so an upgrade makes new ones. Making them takes seconds (``lms init`` does it before
    the first PDF is asked for); loading them, milliseconds."""
    folder = Path(tempfile.gettempdir()) / "tugi-fonts"
    if has_app_context():
        folder = Path(
            current_app.config.get("FONT_CACHE_DIR") or Path(current_app.instance_path) / "fonts"
        )
    if folder not in _font_files:
        with _font_lock:
            made = []
            for weight, style in ((400, "Regular"), (700, "Bold")):
                name = f"NotoSans-{style}-{version('fontpkg-noto-sans')}-{INSTANCE_RECIPE}.ttf"
                target = folder / name
                if not target.exists():
                    _make_static(target, weight, style)
                made.append(target)
            _font_files[folder] = (made[0], made[1])
    return _font_files[folder]


def bold_font_file() -> Path:
    """The bold Noto Sans (see ``font_files``)."""
    return font_files()[1]


class MissingGlyphError(ValueError):
    """A text holds a character the embedded font cannot draw."""


class Document(FPDF):
    """An A4 page layout with a running footer."""

    def __init__(self, title: str, footer: str = ""):
        super().__init__(format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        regular, bold = font_files()
        self.add_font(FONT, "", regular)
        self.add_font(FONT, "B", bold)
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
    def bold(self, size: float):
        """Text in the bold face at ``size``; the regular 10 pt afterwards."""
        self.set_font(FONT, "B", size=size)
        yield
        self.set_font(FONT, size=10)

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(2)
        with self.bold(size):
            self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(1.5)

    def paragraph(self, text: str, size: float = 10, gap: float = 1.5) -> None:
        self.set_font(FONT, size=size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT", align="L")
        self.ln(gap)
        self.set_font(FONT, size=10)

    def facts(self, pairs) -> None:
        """Label and value lines, labels in grey; a label may have a second line (``\n``). A
        value is written as ``str()`` gives it (an erased person's pseudonym in the reader's
        language, ``lms.stand_ins``), as ``grid`` writes its cells."""
        for label, value in pairs:
            top, lines = self.get_y(), label.count("\n") + 1
            self.set_text_color(90)
            self.multi_cell(48, 6 if lines == 1 else 4.6, label, new_x="RIGHT", new_y="TOP")
            self.set_text_color(0)
            self.multi_cell(0, 6, str(value), new_x="LMARGIN", new_y="NEXT", align="L")
            self.set_y(max(self.get_y(), top + (6 if lines == 1 else 4.6 * lines + 1)))
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
