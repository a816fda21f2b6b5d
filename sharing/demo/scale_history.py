"""The district's years of use at scale: bookings (used and charged, cancelled, rejected,
no-show; only the coming weeks approved or pending) and sample orders."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sharing.demo.scale_base import (
    CATEGORY_FACTORS,
    FUTURE_DAYS,
    HISTORY_DAYS,
    PURPOSES,
    SAMPLE_TYPES,
    District,
    Writer,
    count_rows,
)
from sharing.util.formatting import platform_zone

DAY_SLOTS = ((8, 0), (10, 30), (13, 0), (15, 30), (18, 0))


def _category(customer_org: int, owner_org: int, kind: str | None) -> str:
    if customer_org == owner_org:
        return "internal"
    return "enterprise" if kind == "enterprise" else "academic"


def _asked_at(rng: random.Random, start: datetime, now: datetime) -> datetime:
    """Asked one to twenty days ahead; what is booked ahead was asked on the last weeks' days."""
    created = start - timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 9))
    if created > now:
        created = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 9))
    return created


def _past_status(roll: float) -> str:
    """How a past booking ended: most used, some cancelled, a few no-shows and refusals."""
    if roll < 0.86:
        return "completed"
    if roll < 0.94:
        return "cancelled"
    return "no_show" if roll < 0.97 else "rejected"


def write_bookings(district: District, writer: Writer) -> None:
    """Three years of bookings on every instrument; the past ones used and charged."""
    rng, zone, now = district.rng, platform_zone(), district.now
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=HISTORY_DAYS)
    days = [first_day + timedelta(days=n) for n in range(HISTORY_DAYS + FUTURE_DAYS)]
    wanted = max(0, district.target("bookings") - count_rows("bookings"))
    # Bookings per instrument and day, so that the total comes out near the target.
    per_day = wanted / max(1, len(district.instruments)) / len(days)
    booking_id = writer.next_id("bookings")
    charge_id = writer.next_id("charges")
    event_id = writer.next_id("booking_events")
    charges: list[tuple] = []
    events: list[tuple] = []
    users = district.users
    offset = timedelta(hours=0)

    def rows():
        nonlocal booking_id, charge_id, event_id
        for instrument in district.instruments:
            manager = district.managers.get(instrument["organisation_id"]) or 1
            for day in days:
                if day.weekday() >= 5 and not instrument["weekend"]:
                    continue
                # Weekdays carry the week's load when the lab closes at weekends.
                load = per_day * (7 / 5 if not instrument["weekend"] else 1)
                count = min(len(DAY_SLOTS), int(load) + (rng.random() < load - int(load)))
                for hour, minute in rng.sample(DAY_SLOTS, count):
                    start = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                    start = start.astimezone(UTC)
                    end = start + timedelta(hours=2)
                    user = users[rng.randrange(len(users))]
                    created = _asked_at(rng, start, now)
                    used_start = used_end = None
                    if end + offset < now:
                        status = _past_status(rng.random())
                    elif start < now or instrument["demo"]:
                        # The session of this very hour, and the demo's instruments' coming
                        # weeks, are the ordinary demo's own business.
                        continue
                    else:
                        # Managers decide within days: only the last days' requests wait.
                        recent = now - created < timedelta(days=1)
                        status = "pending" if instrument["approval"] and recent else "approved"
                    if status == "completed":
                        used_start = start + timedelta(minutes=rng.choice((0, 0, 5, 10)))
                        used_end = end - timedelta(minutes=rng.choice((0, 0, 15, 30)))
                        minutes = (used_end - used_start).total_seconds() / 60
                        category = _category(
                            user["organisation_id"], instrument["organisation_id"], user["kind"]
                        )
                        unit_price = instrument["hour_price"] * CATEGORY_FACTORS[category] // 10
                        quantity = round(minutes / 60 * 10_000)  # hours, four decimals
                        local = start.astimezone(zone).date()
                        charges.append(
                            (
                                charge_id, "usage", booking_id, instrument["id"],
                                user["organisation_id"], instrument["organisation_id"], category,
                                "hour", quantity, unit_price, unit_price * quantity // 10_000,
                                instrument["name"], local, f"{local:%Y-%m}", end, manager,
                                user["id"],
                            )
                        )  # fmt: skip
                        charge_id += 1
                    if status in ("approved", "pending"):
                        events.append((event_id, booking_id, created, user["id"], None, status, ""))
                        event_id += 1
                    blocked = end + timedelta(minutes=instrument["buffer"])
                    yield (
                        booking_id, instrument["id"], user["id"], user["id"], start, end, blocked,
                        status, PURPOSES[booking_id % len(PURPOSES)], False, 0, created,
                        max(created, min(end, now)), used_start if status == "completed" else None,
                        used_start, used_end, user["organisation_id"],
                    )  # fmt: skip
                    booking_id += 1

    district.counts["bookings"] = writer.write(
        "bookings",
        (
            "id", "instrument_id", "user_id", "created_by_id", "start", "end", "blocked_until",
            "status", "purpose", "on_behalf", "sequence", "created_at", "updated_at",
            "checked_in_at", "used_start", "used_end", "customer_org_id",
        ),
        rows(),
    )  # fmt: skip
    district.counts["charges"] = writer.write(
        "charges",
        (
            "id", "kind", "booking_id", "instrument_id", "customer_org_id", "owner_org_id",
            "category", "unit", "quantity", "unit_price", "amount", "description",
            "service_date", "month", "created_at", "created_by_id", "user_id",
        ),
        charges,
    )  # fmt: skip
    writer.write(
        "booking_events",
        ("id", "booking_id", "at", "actor_id", "from_status", "to_status", "reason"),
        events,
    )


ORDER_STEPS = (
    "submitted",
    "quoted",
    "accepted",
    "received",
    "in_analysis",
    "delivered",
    "completed",
)


def write_orders(district: District, writer: Writer) -> None:
    """Sample orders over the three years: the old ones completed (and charged), the recent
    ones at every stage of the lab's work."""
    rng, now, zone = district.rng, district.now, platform_zone()
    labs = [i for i in district.instruments if i["samples"]]
    if not labs:
        return
    order_id = writer.next_id("orders")
    event_id = writer.next_id("order_events")
    charge_id = writer.next_id("charges")
    events, charges = [], []
    wanted = max(0, district.target("orders") - count_rows("orders"))

    def rows():
        nonlocal order_id, event_id, charge_id
        for number in range(wanted):
            instrument = labs[rng.randrange(len(labs))]
            user = district.users[rng.randrange(len(district.users))]
            age = timedelta(days=HISTORY_DAYS * (1 - number / wanted), hours=rng.randint(0, 23))
            created = now - age - timedelta(days=1)
            samples = rng.randint(1, 12)
            if age > timedelta(days=30):
                roll = rng.random()
                stage = "completed" if roll < 0.9 else "cancelled" if roll < 0.95 else "declined"
            else:
                stage = rng.choice(ORDER_STEPS)
            manager = district.managers.get(instrument["organisation_id"]) or 1
            steps = (
                ORDER_STEPS[: ORDER_STEPS.index(stage) + 1]
                if stage in ORDER_STEPS
                else ("submitted", stage)
            )
            at = created
            previous = None
            for step in steps:
                events.append(
                    (
                        event_id,
                        order_id,
                        at,
                        manager if previous else user["id"],
                        previous,
                        step,
                        "",
                    )
                )
                event_id += 1
                previous = step
                at += timedelta(days=1, hours=rng.randint(0, 6))
            category = _category(
                user["organisation_id"], instrument["organisation_id"], user["kind"]
            )
            unit_price = instrument["sample_price"] * CATEGORY_FACTORS[category] // 10
            quoted = stage not in ("submitted", "declined", "cancelled")
            if stage == "completed":
                local = at.astimezone(zone).date()
                charges.append(
                    (
                        charge_id, "sample_testing", order_id, instrument["id"],
                        user["organisation_id"], instrument["organisation_id"], category,
                        "sample", samples * 10_000, unit_price, unit_price * samples,
                        instrument["name"], local, f"{local:%Y-%m}", at, manager, user["id"],
                    )
                )  # fmt: skip
                charge_id += 1
            done = ORDER_STEPS.index(stage) if stage in ORDER_STEPS else 0
            yield (
                order_id, instrument["id"], user["organisation_id"], user["id"], stage, samples,
                SAMPLE_TYPES[order_id % len(SAMPLE_TYPES)], PURPOSES[order_id % len(PURPOSES)],
                "", "常规项目，按仪器标准方法测定", 5, "courier" if order_id % 2 else "in_person",
                "", samples if done >= 3 else None, samples if done >= 6 else None,
                unit_price * samples if quoted else None, created, at,
            )  # fmt: skip
            order_id += 1

    district.counts["sample orders"] = writer.write(
        "orders",
        (
            "id", "instrument_id", "customer_org_id", "created_by_id", "status", "samples",
            "sample_type", "description", "hazards", "analysis", "turnaround_days", "delivery",
            "tracking_number", "received_samples", "measured_samples", "quote_total",
            "created_at", "updated_at",
        ),
        rows(),
    )  # fmt: skip
    writer.write(
        "order_events",
        ("id", "order_id", "at", "actor_id", "from_status", "to_status", "note"),
        events,
    )
    district.counts["sample charges"] = writer.write(
        "charges",
        (
            "id", "kind", "order_id", "instrument_id", "customer_org_id", "owner_org_id",
            "category", "unit", "quantity", "unit_price", "amount", "description",
            "service_date", "month", "created_at", "created_by_id", "user_id",
        ),
        charges,
    )  # fmt: skip
