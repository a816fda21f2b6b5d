"""The impact page's tables as a finance or district office opens them: CSV (UTF-8 with a BOM,
so Excel keeps the Chinese) or XLSX, headed in the reader's language, from one list of columns."""

from __future__ import annotations

from sharing.needs.impact import FIGURES, Impact
from sharing.util.spreadsheet import Column

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
MONEY_FIGURES = frozenset({"transfer_amount", "contract_amount"})
TABLES = ("figures", "needs", "transfers")


def label(name: str, chinese: bool) -> str:
    return LABELS[name][0 if chinese else 1]


def page_label(name: str, chinese: bool) -> str:
    """The figure's name on the page, where its value carries the unit (¥, 万元, 亿元): the
    export's "（元）" / "(CNY)" would name a second one."""
    return label(name, chinese).removesuffix("（元）").removesuffix(" (CNY)")


def _heads(chinese: bool, *pairs: tuple[str, str]) -> list[str]:
    return [zh if chinese else en for zh, en in pairs]


def needs_table(rows, field_label, chinese: bool) -> tuple[list[Column], list[dict]]:
    """Needs by field: collected, claimed and contracted within the window."""
    keys = ("field", "collected", "claimed", "contracted")
    heads = _heads(
        chinese,
        ("领域", "Field"),
        ("征集", "Collected"),
        ("认领", "Claimed"),
        ("签约", "Contracted"),
    )
    columns = [
        Column(key, head, "text" if key == "field" else "integer")
        for key, head in zip(keys, heads, strict=True)
    ]
    table = [dict(zip(keys, (field_label(field), *counts), strict=True)) for field, *counts in rows]
    return columns, table


def transfers_table(rows, kind_label, chinese: bool) -> tuple[list[Column], list[dict]]:
    """Results transferred by kind: how many and for how much."""
    heads = _heads(chinese, ("方式", "Kind"), ("项数", "Transfers"), ("金额（元）", "Amount (CNY)"))
    columns = [
        Column("kind", heads[0]),
        Column("count", heads[1], "integer"),
        Column("amount", heads[2], "money"),
    ]
    table = [
        {"kind": kind_label(kind), "count": count, "amount": amount} for kind, count, amount in rows
    ]
    return columns, table


def impact_table(result: Impact, chinese: bool) -> tuple[list[Column], list[dict]]:
    """Each figure, the same dates a year earlier, and the growth (a share: 0.6471 is +64.71 %).

    Counts and sums of money share a column: each keeps its own form (250000000.00, 189)."""
    window, earlier = result.window, result.window.year_earlier()
    columns = [
        Column("figure", "指标" if chinese else "Figure"),
        Column("current", f"{window.start} – {window.end}", "number"),
        Column("previous", f"{earlier.start} – {earlier.end}", "number"),
        Column("growth", "增长" if chinese else "Growth", "share"),
    ]
    growth = result.growth
    table = [
        {
            "figure": label(name, chinese),
            "current": result.current[name],
            "previous": result.previous[name],
            "growth": growth[name],
        }
        for name in FIGURES
    ]
    return columns, table
