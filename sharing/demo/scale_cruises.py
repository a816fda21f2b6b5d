"""The district's cruises at scale, plugged into the scaled seeding with `scale_generator`.

The copies of the demo's research vessels get the capacity of the vessel they copy; at scale
10, 100 cruises over the three years and the coming months on all vessels, each holding its
vessel by a downtime (as `publish_cruise` does), with parties that applied: completed ones
with their report, one at sea, allocated and open ones ahead, some in planning, a few
cancelled (no downtime).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, text

from sharing.bookings.models import Downtime
from sharing.cruises.schedule import day_window, first_held_day
from sharing.demo.scale_base import HISTORY_DAYS, District, Writer, count_rows, scale_generator
from sharing.demo.scale_loans import at_local_hour
from sharing.extensions import db
from sharing.util.formatting import platform_zone

AREAS = ("南黄海", "东海陆架", "西太平洋", "南海北部", "渤海湾", "冲绳海槽")
PORTS = ("青岛", "舟山", "厦门", "三亚", "大连")
PROJECTS = ("黄海冷水团碳通量", "深海冷泉生态调查", "海底地形测绘", "海洋酸化观测", "微塑料分布")


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
                at_local_hour(departs - timedelta(days=25), 10) if allocated else None,
                at_local_hour(departs - timedelta(days=rng.randint(31, 80)), 10), "", "",
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
            created = at_local_hour(first - timedelta(days=90), 10)
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
