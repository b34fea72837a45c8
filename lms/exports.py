"""Tables as downloads: CSV (UTF-8 with a byte-order mark) and XLSX, safe in a spreadsheet and
laid out for the reader's language.

A spreadsheet opens a CSV file with the separators of the computer's language: where numbers
are written with a decimal comma (Estonian, Ukrainian, Russian) Excel splits columns on ``;``
and reads ``12,5`` as a number, so for those readers the file uses both. Which languages those
are is read from Babel's locale data, not from a list of our own.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from babel import Locale
from babel.numbers import get_decimal_symbol
from flask import Response
from flask_babel import get_locale

#: A cell starting with one of these is a formula to a spreadsheet; user text must never be one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Excel refuses these in a sheet's name, and names longer than this.
SHEET_FORBIDDEN = "[]:*?/\\"
SHEET_LENGTH = 31


def _is_day(value) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def safe_cell(value):
    """Numbers stay numbers; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) or _is_day(value):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_dialect(locale: Locale | str | None = None) -> tuple[str, str]:
    """(separator, decimal sign) of a CSV file for ``locale`` (the request's by default):
    ``;`` and ``,`` where the language writes decimal commas, else ``,`` and ``.``."""
    locale = locale or get_locale() or "en"
    decimal = get_decimal_symbol(locale)
    return (";" if decimal == "," else ","), decimal


def _csv_cell(value, decimal: str):
    value = safe_cell(value)
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    if _is_day(value):
        return value.isoformat()
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence], locale=None) -> str:
    """The table as CSV text with a byte-order mark, in the reader's separators."""
    separator, decimal = csv_dialect(locale)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([safe_cell(str(name)) for name in header])
    for row in rows:
        writer.writerow([_csv_cell(value, decimal) for value in row])
    # The byte-order mark makes Excel read UTF-8 (Õ, ї) correctly.
    return "\ufeff" + buffer.getvalue()


def file_slug(text: str, default: str) -> str:
    """``text`` as a part of a file name: its words in lower case joined by hyphens, in any
    alphabet ("Välipraktika 2: õppimine" -> "välipraktika-2-õppimine"); ``default`` if none."""
    return re.sub(r"[\W_]+", "-", str(text).casefold()).strip("-") or default


def content_disposition(filename: str) -> str:
    """The header that names a download: the name as it is (RFC 6266's ``filename*``) where it
    is not plain ASCII, and beside it for older clients the same name without its accents."""
    if filename.isascii():
        return f'attachment; filename="{filename}"'
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = re.sub(r"-{2,}", "-", plain).replace("-.", ".")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"


def download_response(body: bytes, filename: str, mimetype: str) -> Response:
    """A file to save, not to show. ``mimetype`` names the type only: the response adds
    ``charset=utf-8`` to a text type itself, so a charset given here would be sent twice."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    return download_response(csv_text(header, rows).encode(), filename, "text/csv")


def sheet_name(title: str, taken: Iterable[str] = ()) -> str:
    """A name Excel accepts for a sheet titled ``title``: without ``[]:*?/\\``, at most 31
    characters cut at a word where it can be, and unlike every name in ``taken`` (Excel compares
    them without case)."""
    text = " ".join("".join(c for c in str(title) if c not in SHEET_FORBIDDEN).split())
    text = text.strip("'") or "Sheet"
    if len(text) > SHEET_LENGTH:
        head = text[: SHEET_LENGTH + 1]
        cut = head.rsplit(" ", 1)[0] if " " in head else ""
        text = (cut if len(cut) >= SHEET_LENGTH // 2 else text[:SHEET_LENGTH]).rstrip(" ,.;-")
    used = {name.casefold() for name in taken}
    name, number = text, 1
    while name.casefold() in used:
        number += 1
        suffix = f" ({number})"
        name = text[: SHEET_LENGTH - len(suffix)].rstrip() + suffix
    return name


def _write_sheet(workbook, bold, sheet: str, header: Sequence[str], rows: Iterable[Sequence]):
    name = sheet_name(sheet, [existing.name for existing in workbook.worksheets()])
    worksheet = workbook.add_worksheet(name)
    worksheet.write_row(0, 0, [str(title) for title in header], bold)
    worksheet.freeze_panes(1, 1)
    widths = [len(str(name)) for name in header]
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    # Each cell written as what safe_cell made it: text stays text (never a formula, nor a link
    # made of an address someone typed), and a large table skips write()'s guessing per cell.
    write_string, write_number = worksheet.write_string, worksheet.write_number
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            value = safe_cell(value)
            if isinstance(value, str):
                width = len(value)
                if value:  # an empty cell is left out, as write() leaves it
                    write_string(number, column, value)
            elif _is_day(value):
                width = 10
                worksheet.write_datetime(number, column, value, dates)
            else:
                width = len(str(value))
                write_number(number, column, value)
            if column < len(widths) and width > widths[column]:
                widths[column] = width
    for column, width in enumerate(widths):
        worksheet.set_column(column, column, min(width + 2, 50))


def workbook_response(filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable]]):
    """An XLSX file with one sheet per (sheet name, header, rows)."""
    import xlsxwriter  # here, not at start: only spreadsheet downloads pay for it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    for sheet, header, rows in sheets:
        _write_sheet(workbook, bold, sheet, header, rows)
    workbook.close()
    return download_response(
        buffer.getvalue(),
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def xlsx_response(filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence]):
    return workbook_response(filename, [(sheet, header, rows)])


def table_response(kind: str, filename: str, sheet: str, header, rows) -> Response:
    """A CSV or XLSX download of the same table; ``kind`` is 'csv' or 'xlsx'."""
    if kind == "xlsx":
        return xlsx_response(f"{filename}.xlsx", sheet, header, rows)
    return csv_response(f"{filename}.csv", header, rows)
