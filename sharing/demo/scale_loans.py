"""The district's loans of day instruments at scale, plugged into the scaled seeding with
`scale_generator`.

At scale 10, 10,000 loans over the three years and the coming weeks on the day instruments
(ROVs, CTDs, buoys... and their copies), one item each; per instrument the items follow one
another with their turnaround kept, so the database's no-overlap rule holds. The past ones are
closed (inspected, deposit released), declined or cancelled, the last few returned but not yet
inspected; those of today are on loan (a few overdue); the coming ones approved or requested.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, text

from sharing.demo.scale_base import (
    FUTURE_DAYS,
    HISTORY_DAYS,
    PURPOSES,
    District,
    Writer,
    count_rows,
    scale_generator,
)
from sharing.extensions import db
from sharing.loans.lifecycle import LoanStatus, loan_status
from sharing.loans.models import LoanItem
from sharing.util.formatting import platform_zone

SITES = ("“科学”号 南海冷泉区", "“东方红3”号 西太平洋", "青岛港 大港码头", "黄海冷水团 35°N 123°E")


def _category(borrower_org: int, owner_org: int, kind: str | None) -> str:
    if borrower_org == owner_org:
        return "internal"
    return "enterprise" if kind == "enterprise" else "academic"


def at_local_hour(day: date, hour: int) -> datetime:
    """That hour of that day in the platform zone, as UTC."""
    return datetime.combine(day, time(hour), platform_zone()).astimezone(UTC)


def _day_gear() -> list[dict]:
    """The day instruments that are lent (not vessels), with their loan rules and day rates."""
    rows = db.session.execute(
        text(
            "SELECT i.id, i.organisation_id, i.min_days, i.max_days, i.loan_turnaround_days,"
            " i.deposit, i.mobilisation_fee, i.insurance_required, i.replacement_value"
            " FROM instruments i WHERE i.booking_unit = 'day'"
            " AND i.name NOT IN (SELECT v.name FROM instruments v"
            "   JOIN vessels ON vessels.instrument_id = v.id) ORDER BY i.id"
        )
    ).all()
    rates: dict[tuple[int, str], int] = {}
    for instrument_id, category, price in db.session.execute(
        text("SELECT instrument_id, category, price FROM rates WHERE unit = 'day'")
    ):
        rates[(instrument_id, category)] = price
    return [
        dict(row._mapping)
        | {
            "rates": {
                c: rates.get((row.id, c), rates.get((row.id, "academic"), 100000))
                for c in ("internal", "academic", "enterprise")
            }
        }
        for row in rows
    ]


def _slots(rng, first: date, last: date, gear: dict, taken: list) -> list[tuple[date, date]]:
    """Loan days one after another on one instrument, its turnaround kept after each, clear of
    what already holds it (the demo's own loans)."""
    slots, cursor = [], first
    least, most = gear["min_days"], gear["max_days"]
    turnaround = gear["loan_turnaround_days"]
    while True:
        start = cursor + timedelta(days=rng.randint(0, 3))
        end = start + timedelta(days=rng.randint(least, min(most, least + 6)) - 1)
        until = end + timedelta(days=1 + turnaround)
        if end > last:
            return slots
        if not any(s < until and start < u for s, u in taken):
            slots.append((start, end))
        cursor = until


def _item_story(rng, start: date, end: date, today: date) -> tuple[LoanStatus, list[str]]:
    """The item's state today and the actions that brought it there."""
    roll = rng.random()
    if end < today - timedelta(days=7):
        if roll < 0.07:
            return LoanStatus.DECLINED, ["request", "decline"]
        if roll < 0.15:
            return LoanStatus.CANCELLED, ["request", "approve", "cancel"]
        return LoanStatus.CLOSED, ["request", "approve", "dispatch", "return", "inspect"]
    if end < today:
        if roll < 0.1:
            return LoanStatus.OVERDUE, ["request", "approve", "dispatch", "overdue"]
        return LoanStatus.RETURNED, ["request", "approve", "dispatch", "return"]
    if start <= today:
        return LoanStatus.ON_LOAN, ["request", "approve", "dispatch"]
    if start <= today + timedelta(days=14) or roll < 0.6:
        return LoanStatus.APPROVED, ["request", "approve"]
    return LoanStatus.REQUESTED, ["request"]


_STEPS = {
    "request": (None, LoanStatus.REQUESTED),
    "approve": (LoanStatus.REQUESTED, LoanStatus.APPROVED),
    "decline": (LoanStatus.REQUESTED, LoanStatus.DECLINED),
    "cancel": (LoanStatus.APPROVED, LoanStatus.CANCELLED),
    "dispatch": (LoanStatus.APPROVED, LoanStatus.ON_LOAN),
    "overdue": (LoanStatus.ON_LOAN, LoanStatus.OVERDUE),
    "return": (LoanStatus.ON_LOAN, LoanStatus.RETURNED),
    "inspect": (LoanStatus.RETURNED, LoanStatus.CLOSED),
}
# Days after the request (negative: before the start) at which each action happened.
_WHEN = {"request": -21, "approve": -14, "decline": -14, "cancel": -5}


@scale_generator
def write_loans(district: District) -> None:
    """Loans of a day instrument each, in every state."""
    gear = _day_gear()
    borrowers = district.users
    wanted = max(0, district.sizes.get("loans", 0) * district.scale - count_rows("loans"))
    if not gear or not borrowers or not wanted:
        district.counts["loans"] = 0
        return
    rng, writer = district.rng, Writer()
    today = district.now.astimezone(platform_zone()).date()
    first, last = today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS)
    held: dict[int, list] = {}
    for instrument_id, start, until in db.session.execute(
        select(LoanItem.instrument_id, LoanItem.start_date, LoanItem.blocked_until)
    ):
        held.setdefault(instrument_id, []).append((start, until))
    candidates = [
        (start, end, g)
        for g in gear
        for start, end in _slots(rng, first, last, g, held.get(g["id"], []))
    ]
    chosen = sorted(rng.sample(candidates, min(wanted, len(candidates))), key=lambda c: c[0])
    loan_id, item_id = writer.next_id("loans"), writer.next_id("loan_items")
    event_id = writer.next_id("loan_events")
    loans, items, events = [], [], []
    for start, end, g in chosen:
        borrower = borrowers[rng.randrange(len(borrowers))]
        status, actions = _item_story(rng, start, end, today)
        gears = [g]  # one item: a second would need free days of its own
        asked = at_local_hour(start, 9) + timedelta(days=_WHEN["request"])
        for one in gears:
            category = _category(
                borrower["organisation_id"], one["organisation_id"], borrower["kind"]
            )
            turnaround = one["loan_turnaround_days"]
            dispatched = at_local_hour(start, 9) if "dispatch" in actions else None
            returned = at_local_hour(end, 17) if "return" in actions else None
            inspected = at_local_hour(end + timedelta(days=1), 10) if "inspect" in actions else None
            deposit = one["deposit"] or 0
            deposit_status = (
                "released" if inspected and deposit else "received" if dispatched and deposit
                else "none"
            )  # fmt: skip
            items.append(
                (
                    item_id, loan_id, one["id"], one["organisation_id"], status.value, start, end,
                    end + timedelta(days=1 + turnaround), turnaround, False, None, None, category,
                    one["rates"][category], one["mobilisation_fee"] or 0, None, deposit,
                    bool(one["insurance_required"]), one["replacement_value"], deposit_status,
                    deposit if deposit_status != "none" else None,
                    start - timedelta(days=3) if deposit_status != "none" else None,
                    f"DEP-{loan_id:06d}" if deposit_status != "none" else "", dispatched,
                    "", returned, inspected, "ok" if inspected else None, 0, "",
                    "日期与本单位课题冲突" if status is LoanStatus.DECLINED else "", False,
                    today - timedelta(days=1) if status is LoanStatus.OVERDUE else None, None,
                )
            )  # fmt: skip
            for action in actions:
                before, after = _STEPS[action]
                at = {
                    "dispatch": dispatched, "return": returned, "inspect": inspected,
                    "overdue": at_local_hour(end + timedelta(days=1), 8),
                }.get(action)  # fmt: skip
                at = at or at_local_hour(start, 9) + timedelta(days=_WHEN[action])
                events.append(
                    (
                        event_id, loan_id, one["id"] if action != "request" else None, at,
                        borrower["id"] if action in ("request", "cancel") else
                        district.managers.get(one["organisation_id"]),
                        action, before.value if before else None, after.value, "",
                    )
                )  # fmt: skip
                event_id += 1
            item_id += 1
        loans.append(
            (
                loan_id, borrower["id"], borrower["organisation_id"], None, start, end,
                loan_status([status]).value, PURPOSES[loan_id % len(PURPOSES)],
                SITES[loan_id % len(SITES)], "courier" if loan_id % 3 else "pickup", "",
                len(actions), asked, asked + timedelta(days=len(actions)),
            )
        )  # fmt: skip
        loan_id += 1
    writer.write(
        "loans",
        (
            "id", "borrower_id", "organisation_id", "account_id", "start_date", "end_date",
            "status", "purpose", "site", "delivery", "insurance_policy", "sequence",
            "created_at", "updated_at",
        ),
        loans,
    )  # fmt: skip
    writer.write(
        "loan_items",
        (
            "id", "loan_id", "instrument_id", "owner_org_id", "status", "start_date", "end_date",
            "blocked_until", "turnaround_days", "with_operator", "operator_id",
            "operator_user_id", "category", "day_rate", "mobilisation_fee", "operator_day_rate",
            "deposit", "insurance_required", "replacement_value", "deposit_status",
            "deposit_received", "deposit_received_on", "deposit_reference", "dispatched_at",
            "tracking_number", "returned_at", "inspected_at", "outcome", "damage_amount",
            "inspection_note", "decline_reason", "at_risk", "overdue_notified_on", "incident_id",
        ),
        items,
    )  # fmt: skip
    writer.write(
        "loan_events",
        (
            "id", "loan_id", "instrument_id", "at", "actor_id", "action", "from_status",
            "to_status", "reason",
        ),
        events,
    )  # fmt: skip
    writer.finish(("loans", "loan_items", "loan_events"))
    district.counts["loans"] = len(loans)
