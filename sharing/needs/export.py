"""The impact figures as CSV that Excel opens with Chinese intact (UTF-8 with a BOM)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sharing.needs.impact import FIGURES, Impact
from sharing.spreadsheet import neutralise_row

BOM = "\ufeff"
LABELS = {
    "companies_visited": ("走访企业", "Companies visited"),
    "needs_collected": ("征集需求", "Needs collected"),
    "needs_claimed": ("院所认领", "Needs claimed"),
    "needs_in_talks": ("对接洽谈", "Needs in talks"),
    "needs_contracted": ("签约需求", "Needs contracted"),
    "transfers": ("成果转化", "Results transferred"),
    "transfer_amount": ("转化合同金额（元）", "Transfer contracts (CNY)"),
    "challenges_posted": ("发布榜单", "Challenges posted"),
    "challenges_awarded": ("揭榜成功", "Challenges awarded"),
    "alliance_members": ("联盟成员", "Alliance members"),
    "organisations": ("入网单位", "Organisations in the net"),
    "instruments": ("入网仪器", "Instruments in the net"),
    "major_tasks": ("完成重大科研任务", "Major research tasks"),
    "invention_patents": ("新增发明专利", "New invention patents"),
    "contract_amount": ("需求签约金额（元）", "Need contracts (CNY)"),
}


def label(name: str, chinese: bool) -> str:
    return LABELS[name][0 if chinese else 1]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


TABLES = ("figures", "needs", "transfers")


def _write(rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(neutralise_row(_cell(value) for value in row))
    return BOM + out.getvalue()


def needs_csv(rows, field_label, chinese: bool) -> str:
    """Needs by field: collected, claimed and contracted within the window."""
    head = (
        ["领域", "征集", "认领", "签约"]
        if chinese
        else ["Field", "Collected", "Claimed", "Contracted"]
    )
    return _write([head, *([field_label(field), *counts] for field, *counts in rows)])


def transfers_csv(rows, kind_label, chinese: bool) -> str:
    """Results transferred by kind: how many and for how much."""
    head = ["方式", "项数", "金额（元）"] if chinese else ["Kind", "Transfers", "Amount (CNY)"]
    return _write([head, *([kind_label(kind), count, amount] for kind, count, amount in rows)])


def impact_csv(result: Impact, chinese: bool) -> str:
    window, earlier = result.window, result.window.year_earlier()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "指标" if chinese else "Figure",
            f"{window.start} – {window.end}",
            f"{earlier.start} – {earlier.end}",
            "增长" if chinese else "Growth",
        ]
    )
    growth = result.growth
    for name in FIGURES:
        writer.writerow(
            neutralise_row(
                [
                    label(name, chinese),
                    _cell(result.current[name]),
                    _cell(result.previous[name]),
                    _cell(growth[name]),
                ]
            )
        )
    return BOM + out.getvalue()
