"""The district's loans of day instruments and its cruises at scale, plugged into the scaled
seeding with `scale_generator`.

Loans: at scale 10, 10,000 loans over the three years and the coming weeks on the day
instruments (ROVs, CTDs, buoys... and their copies), one item each; per instrument the
items follow one another with their turnaround kept, so the database's no-overlap rule holds.
The past ones are closed (inspected, deposit released), declined or cancelled, the last few
returned but not yet inspected; those of today are on loan (a few overdue); the coming ones
approved or requested.

Cruises: the copies of the demo's research vessels get the capacity of the vessel they copy;
at scale 10, 100 cruises over the three years and the coming months on all vessels, each
holding its vessel by a downtime (as `publish_cruise` does), with parties that applied:
completed ones with their report, one at sea, allocated and open ones ahead, some in planning,
a few cancelled (no downtime).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, text

from sharing.bookings.models import Downtime
from sharing.cruises.schedule import day_window, first_held_day
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
AREAS = ("南黄海", "东海陆架", "西太平洋", "南海北部", "渤海湾", "冲绳海槽")
PORTS = ("青岛", "舟山", "厦门", "三亚", "大连")
PROJECTS = ("黄海冷水团碳通量", "深海冷泉生态调查", "海底地形测绘", "海洋酸化观测", "微塑料分布")


def _category(borrower_org: int, owner_org: int, kind: str | None) -> str:
    if borrower_org == owner_org:
        return "internal"
    return "enterprise" if kind == "enterprise" else "academic"


def _at(day: date, hour: int) -> datetime:
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
        asked = _at(start, 9) + timedelta(days=_WHEN["request"])
        for one in gears:
            category = _category(
                borrower["organisation_id"], one["organisation_id"], borrower["kind"]
            )
            turnaround = one["loan_turnaround_days"]
            dispatched = _at(start, 9) if "dispatch" in actions else None
            returned = _at(end, 17) if "return" in actions else None
            inspected = _at(end + timedelta(days=1), 10) if "inspect" in actions else None
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
                    "overdue": _at(end + timedelta(days=1), 8),
                }.get(action) or _at(start, 9) + timedelta(days=_WHEN[action])  # fmt: skip
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


def _vessels(writer: Writer) -> list[dict]:
    """Every research vessel: the demo's, and the copies of them the scaled seeding made (given
    the capacity of the vessel they copy)."""
    capacity = ("berths", "deck_m2", "lab_m2", "home_port", "length_m", "endurance_days")
    copies = db.session.execute(
        text(
            "SELECT c.id, v.berths, v.deck_m2, v.lab_m2, v.home_port, v.length_m,"
            " v.endurance_days FROM vessels v JOIN instruments i ON i.id = v.instrument_id"
            " JOIN instruments c ON c.name = i.name AND c.id <> i.id"
            " WHERE c.id NOT IN (SELECT instrument_id FROM vessels) ORDER BY c.id"
        )
    ).all()
    writer.write("vessels", ("instrument_id", *capacity), (tuple(row) for row in copies))
    rates = dict(
        db.session.execute(
            text(
                "SELECT instrument_id, price FROM rates"
                " WHERE unit = 'day' AND category = 'academic'"
            )
        ).all()
    )
    return [
        dict(row._mapping) | {"day_rate": rates.get(row.id, 18_000_000)}
        for row in db.session.execute(
            text(
                "SELECT i.id, i.organisation_id, v.berths, v.deck_m2, v.lab_m2 FROM vessels v"
                " JOIN instruments i ON i.id = v.instrument_id ORDER BY i.id"
            )
        )
    ]


def _cruise_story(rng, departs: date, back: date, today: date) -> str:
    if rng.random() < 0.06:
        return "cancelled"
    if back < today:
        return "completed"
    if departs <= today:
        return "at_sea"
    if departs <= today + timedelta(days=45):
        return "allocated"
    return "open" if rng.random() < 0.6 else "planning"


def _parties(rng, researchers, cruise_id, first_id, allocated, departs) -> list[tuple]:
    """Two to five groups that applied to join; most given space once the cruise is
    allocated, the rest declined."""
    rows = []
    applicants = rng.sample(researchers, min(len(researchers), rng.randint(2, 5)))
    for number, applicant in enumerate(applicants):
        berths = rng.randint(1, 6)
        given = allocated and rng.random() < 0.85
        rows.append(
            (
                first_id + number, cruise_id, applicant["id"], applicant["organisation_id"],
                PROJECTS[(first_id + number) % len(PROJECTS)], berths, rng.randint(0, 20),
                rng.randint(0, 10), rng.randint(0, 48), "站位观测与采样", "数据按计划汇交",
                "allocated" if given else "declined" if allocated else "submitted",
                berths if given else None, rng.randint(0, 10) if given else None,
                rng.randint(0, 6) if given else None,
                _at(departs - timedelta(days=25), 10) if allocated else None,
                _at(departs - timedelta(days=rng.randint(31, 80)), 10), "", "",
            )
        )  # fmt: skip
    return rows


@scale_generator
def write_cruises(district: District) -> None:
    """Cruises one after another on every vessel, each holding it by a downtime, with the
    parties that applied to join."""
    writer = Writer()
    vessels = _vessels(writer)
    wanted = max(0, district.sizes.get("cruises", 0) * district.scale - count_rows("cruises"))
    researchers = [u for u in district.users if u["kind"] in ("institute", "university")]
    if not vessels or not researchers or not wanted:
        district.counts["cruises"] = 0
        return
    rng, zone = district.rng, platform_zone()
    today = district.now.astimezone(zone).date()
    first_day = today - timedelta(days=HISTORY_DAYS)
    held: dict[int, list] = {}
    for instrument_id, start, end in db.session.execute(
        select(Downtime.instrument_id, Downtime.start, Downtime.end)
    ):
        held.setdefault(instrument_id, []).append((start, end))
    per_vessel = -(-wanted // len(vessels))
    span = (HISTORY_DAYS + 180) // per_vessel
    cruise_id, hold_id = writer.next_id("cruises"), writer.next_id("downtimes")
    application_id = writer.next_id("cruise_applications")
    cruises, holds, applications = [], [], []
    for vessel in vessels:
        for number in range(per_vessel):
            if len(cruises) >= wanted:
                break
            mobilisation = rng.randint(1, 3)
            departs = first_day + timedelta(days=number * span + mobilisation + rng.randint(0, 5))
            length = rng.randint(8, max(9, min(40, span - mobilisation - 8)))
            returns = departs + timedelta(days=length - 1)
            first = first_held_day(departs, mobilisation)
            window = day_window(first, returns, zone)
            if any(s < window.end and window.start < e for s, e in held.get(vessel["id"], [])):
                continue
            status = _cruise_story(rng, departs, returns, today)
            returned = (
                min(returns + timedelta(days=rng.choice((0, 0, 1, 2))), today - timedelta(days=1))
                if status == "completed" else None
            )  # fmt: skip
            if returned is not None:
                returned = max(returned, departs)
            reported = returned + timedelta(days=10) if returned else None
            reported = reported if reported and reported < today else None
            manager = district.managers.get(vessel["organisation_id"]) or researchers[0]["id"]
            chief = researchers[rng.randrange(len(researchers))]
            created = _at(first - timedelta(days=90), 10)
            if status != "cancelled":
                end = day_window(first, returned or returns, zone).end
                holds.append(
                    (hold_id, vessel["id"], window.start, end, f"航次 {AREAS[cruise_id % 6]}"[:300],
                     manager, created)
                )  # fmt: skip
            cruises.append(
                (
                    cruise_id, vessel["id"], f"{departs.year}年{AREAS[cruise_id % 6]}综合航次",
                    departs, returns, returned, mobilisation, PORTS[cruise_id % 5],
                    PORTS[(cruise_id + 1) % 5], AREAS[cruise_id % 6], chief["id"],
                    departs - timedelta(days=30), vessel["day_rate"],
                    "berths" if cruise_id % 3 else "equal", 60, status,
                    hold_id if status != "cancelled" else None,
                    "台风预警，航次取消" if status == "cancelled" else "",
                    "航次任务全部完成" if returned else "",
                    rng.randint(12, 60) if returned else None, reported,
                    None, manager, created, created,
                )
            )  # fmt: skip
            if status != "cancelled":
                hold_id += 1
            allocated = status in ("allocated", "at_sea", "completed")
            parties = _parties(rng, researchers, cruise_id, application_id, allocated, departs)
            applications.extend(parties)
            application_id += len(parties)
            cruise_id += 1
    writer.write(
        "downtimes",
        ("id", "instrument_id", "start", "end", "reason", "created_by_id", "created_at"),
        holds,
    )
    writer.write(
        "cruises",
        (
            "id", "vessel_id", "name", "departs_on", "returns_on", "returned_on",
            "mobilisation_days", "port_from", "port_to", "area", "chief_scientist_id",
            "apply_by", "day_rate", "share_by", "data_due_days", "status", "downtime_id",
            "cancel_reason", "report_summary", "report_stations", "reported_on",
            "report_reminded_at", "created_by_id", "created_at", "updated_at",
        ),
        cruises,
    )  # fmt: skip
    writer.write(
        "cruise_applications",
        (
            "id", "cruise_id", "applicant_id", "organisation_id", "project", "berths",
            "deck_m2", "lab_m2", "station_hours", "plan", "data_plan", "status",
            "allocated_berths", "allocated_deck_m2", "allocated_lab_m2", "decided_at",
            "created_at", "data_description", "data_url",
        ),
        applications,
    )  # fmt: skip
    writer.finish(("downtimes", "cruises", "cruise_applications"))
    district.counts["cruises"] = len(cruises)
