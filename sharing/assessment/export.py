"""The yearly report as a finance or assessment office opens it: CSV (UTF-8 with a BOM, so
Excel keeps the Chinese) and XLSX with numbers as numbers, both in the national form's order,
headed in the reader's language."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from sharing.assessment.yearly import NATIONAL_FIELDS
from sharing.instruments.labels import SHARE_MODE_LABELS, SOURCE_LABELS
from sharing.instruments.register import InstrumentSource, ShareMode, country_name
from sharing.util.spreadsheet import neutralise, neutralise_row

BOM = "\ufeff"
MONEY_FIELDS = frozenset({"original_value", "internal_income", "external_income"})
HOURS_FIELDS = frozenset({"effective_hours", "external_hours"})
FORMATS = {"sharing_rate": "0.00%", "rating_average": "0.0"}


def _shown(key: str, value, chinese: bool):
    """A value as the form shows it: labels for codes, names for countries."""
    if value in (None, ""):
        return ""
    if key == "source":
        return str(SOURCE_LABELS[InstrumentSource(value)])
    if key == "share_mode":
        return str(SHARE_MODE_LABELS[ShareMode(value)])
    if key == "country_of_origin":
        return country_name(value, "zh" if chinese else "en")
    return value


def headers(chinese: bool) -> list[str]:
    return [column.label_zh if chinese else column.label_en for column in NATIONAL_FIELDS]


def values(row: dict, chinese: bool) -> list:
    return [_shown(column.key, row.get(column.key), chinese) for column in NATIONAL_FIELDS]


def report_csv(report: list[dict], chinese: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(chinese))
    for row in report:
        writer.writerow(neutralise_row(_text(value) for value in values(row, chinese)))
    return BOM + out.getvalue()


def _text(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def report_xlsx(report: list[dict], chinese: bool, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers(chinese))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in report:
        sheet.append([neutralise(value) for value in values(row, chinese)])
    for index, column in enumerate(NATIONAL_FIELDS, start=1):
        number_format = (
            "#,##0.00"
            if column.key in MONEY_FIELDS
            else "0.00"
            if column.key in HOURS_FIELDS
            else FORMATS.get(column.key)
        )
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, len(headers(chinese)[index - 1]) * 2)
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        if column.key == "purchased_on":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
