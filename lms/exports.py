"""Tables as downloads: CSV (UTF-8 with a byte-order mark) and XLSX, safe in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import xlsxwriter
from flask import Response

#: A cell starting with one of these is a formula to a spreadsheet; user text must never be one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def download_response(body: bytes, filename: str, mimetype: str) -> Response:
    """A file to save, not to show."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    # The byte-order mark makes Excel read UTF-8 (Õ, ї) correctly.
    return download_response(
        ("\ufeff" + buffer.getvalue()).encode(), filename, "text/csv; charset=utf-8"
    )


def _write_sheet(workbook, bold, sheet: str, header: Sequence[str], rows: Iterable[Sequence]):
    name = "".join(c for c in sheet if c not in "[]:*?/\\")[:31].strip() or "Sheet"
    taken = {existing.name for existing in workbook.worksheets()}
    while name in taken:
        name = f"{name[:28]}~{len(taken)}"
    worksheet = workbook.add_worksheet(name)
    worksheet.write_row(0, 0, list(header), bold)
    worksheet.freeze_panes(1, 1)
    widths = [len(str(name)) for name in header]
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate(rows, start=1):
        values = [safe_cell(value) for value in row]
        for column, value in enumerate(values):
            if _is_day(value):
                worksheet.write_datetime(number, column, value, dates)
            else:
                worksheet.write(number, column, value)
        for column, value in enumerate(values[: len(widths)]):
            widths[column] = max(widths[column], len(str(value)))
    for column, width in enumerate(widths):
        worksheet.set_column(column, column, min(width + 2, 50))


def workbook_response(filename: str, sheets: Iterable[tuple[str, Sequence[str], Iterable]]):
    """An XLSX file with one sheet per (sheet name, header, rows)."""
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
