"""CSV and spreadsheet exports: cells that Excel shows as text, never runs as formulas, and
tables written as CSV or XLSX from one list of columns."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import Response, stream_with_context
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def neutralise(value: object) -> object:
    """`value`, with a leading apostrophe where text would start a formula (OWASP's advice).

    Numbers, negative amounts included, stay numbers.
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def neutralise_row(values) -> list:
    return [neutralise(value) for value in values]


# Tables for finance and assessment offices: one column list, written as CSV or as XLSX.

BOM = "\ufeff"
MONEY_FORMAT = "#,##0.00"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NUMBER_FORMATS = {
    "money": MONEY_FORMAT,
    "quantity": "0.####",
    "hours": "0.00",
    "share": "0.00%",
    "integer": "0",
    "date": "yyyy-mm-dd",
}


@dataclass(frozen=True)
class Column:
    """A column: the key of its value in each row, its header (translated when written, so in
    the reader's language) and what it holds (text, money, quantity, hours, share, integer,
    date), which decides how CSV writes it and how Excel formats it."""

    key: str
    label: object
    kind: str = "text"


def csv_text(value: object, kind: str) -> str:
    """A cell as CSV text: money with two decimals, quantities as people write them."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return f"{Decimal(value):.2f}"
    if kind == "quantity" and isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if kind in ("number", "share", "hours", "quantity", "integer"):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(neutralise(value))


def csv_lines(columns: list[Column], rows: Iterable[dict]) -> Iterator[str]:
    """The BOM (so Excel keeps the Chinese), the header, then one line per row, as they come."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    yield BOM + line([neutralise(str(column.label)) for column in columns])
    for row in rows:
        yield line([csv_text(row.get(column.key), column.kind) for column in columns])


def _number_format(value: object, kind: str) -> str | None:
    """A column's format; a `number` column (counts and sums side by side) formats each cell:
    two decimals for amounts kept to the fen, whole numbers otherwise."""
    if kind == "number":
        exact = isinstance(value, Decimal) and value.as_tuple().exponent == -2
        return MONEY_FORMAT if exact else "0"
    return NUMBER_FORMATS.get(kind)


def _xlsx_value(value: object, kind: str) -> object:
    if value is None or value == "":
        return None
    if kind == "number" or (kind in NUMBER_FORMATS and kind != "date"):
        return value if isinstance(value, int | float | Decimal) else Decimal(value)
    return neutralise(value)


def xlsx_bytes(columns: list[Column], rows: Iterable[dict], title: str) -> bytes:
    """A workbook of one sheet: numbers are numbers (money shown with two decimals), dates are
    dates, text that looks like a formula is kept as text. Written in openpyxl's write-only
    mode, row by row, so a long table does not sit in memory as cells."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Sheet")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, min(40, len(str(column.label)) * 2 + 2)
        )
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for column in columns:
            value = _xlsx_value(row.get(column.key), column.kind)
            number_format = _number_format(value, column.kind) if value is not None else None
            if number_format is None:
                cells.append(value)  # text goes in as it is: a styled cell costs ten times more
                continue
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(
    columns: list[Column],
    rows: Iterable[dict],
    stem: str,
    suffix: str,
    title: str = "",
    stream: bool = False,
) -> Response:
    """A table as `stem.csv` or `stem.xlsx`: the same columns, either format. A long table's
    CSV is streamed (`stream`), row by row as the rows are read."""
    if suffix == "xlsx":
        body, mimetype = xlsx_bytes(columns, rows, title or stem), XLSX_MIMETYPE
    elif stream:
        body, mimetype = stream_with_context(csv_lines(columns, rows)), "text/csv; charset=utf-8"
    else:
        body, mimetype = "".join(csv_lines(columns, rows)), "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{suffix}"'
    return response
