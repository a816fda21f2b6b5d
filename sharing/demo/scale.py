"""The district at N times its size: `flask seed-demo --scale N` writes, beside the ordinary demo,
the instruments, people and years of history of a district N times today's.

At scale 10: 500 instruments of 15 organisations, 5,000 users, three years of bookings (about a
million, the past ones used and charged), 20,000 sample orders, 2,000 needs, voucher claims and
notifications. Rows go straight to the tables (COPY on PostgreSQL, batched inserts elsewhere):
the services would take days for a million bookings, and the history they would write is what
the rows here say. Every row is one the services could have written: past bookings are finished
(completed, cancelled, rejected or no-show), only the coming weeks hold approved or pending ones,
and no two active bookings of an instrument overlap.

Other features plug in their own generators with `scale_generator` (loans, cruises): each is
called once with the `District` after the core generators ran.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from sharing.auth.models import User
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.orgs.models import Organisation
from sharing.util.formatting import platform_zone

# Per unit of scale; the ordinary demo is scale 1 and stays exactly as it is.
INSTRUMENTS_PER_SCALE = 50
USERS_PER_SCALE = 500
BOOKINGS_PER_SCALE = 100_000
ORDERS_PER_SCALE = 2_000
NEEDS_PER_SCALE = 200
CLAIMS_PER_SCALE = 30
NOTIFICATIONS_PER_SCALE = 10_000
OWNING_ORGANISATIONS = 15
DISTRICT = {
    "instruments": INSTRUMENTS_PER_SCALE,
    "users": USERS_PER_SCALE,
    "bookings": BOOKINGS_PER_SCALE,
    "orders": ORDERS_PER_SCALE,
    "needs": NEEDS_PER_SCALE,
    "claims": CLAIMS_PER_SCALE,
    "notifications": NOTIFICATIONS_PER_SCALE,
}
HISTORY_DAYS = 3 * 365
FUTURE_DAYS = 8 * 7

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉宇浩然婷雪琳晨阳帆欣怡博文"
PURPOSES = (
    "海洋沉积物样品分析",
    "课题组例行测试",
    "企业委托检测",
    "新材料表征",
    "博士论文实验",
    "国家重点研发计划课题测试",
    "海水养殖病害样品检测",
    "船舶涂层失效分析",
)
SAMPLE_TYPES = ("海洋沉积物", "海水样品", "鱼类组织", "高分子薄膜", "金属试样", "藻类提取物")
NEED_FIELDS = (
    "marine-equipment",
    "marine-biomedicine",
    "fisheries-aquaculture",
    "marine-information",
    "new-materials",
    "environment-energy",
)
NEED_TITLES = (
    "水下机器人密封件寿命测试",
    "养殖水体溶解氧在线监测方案",
    "海藻多糖纯度与分子量测定",
    "防污涂层海水挂片评价",
    "船用电缆耐盐雾老化评估",
    "鱼粉重金属快速检测方法",
    "海上风电桩基腐蚀监测",
    "深海传感器压力标定",
)
NEED_TEXT = "企业调研中提出的技术需求，需平台协调仪器与专家。"
CATEGORY_FACTORS = {"internal": 6, "academic": 10, "enterprise": 15}  # tenths of the list price


@dataclass
class District:
    """What the generators share: the scale, the clock, a seeded random source and the ids."""

    scale: int
    now: datetime
    rng: random.Random
    owners: list[int] = field(default_factory=list)  # organisations that own instruments
    instruments: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)  # id, organisation_id, kind, role
    managers: dict[int, int] = field(default_factory=dict)  # organisation id -> manager id
    counts: dict[str, int] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=lambda: dict(DISTRICT))  # per unit of scale

    def target(self, kind: str) -> int:
        return self.sizes[kind] * self.scale


ScaleGenerator = Callable[[District], None]
_GENERATORS: list[ScaleGenerator] = []


def scale_generator(function: ScaleGenerator) -> ScaleGenerator:
    """Register a feature's generator (called once per scaled seeding, after the core ones)."""
    if function not in _GENERATORS:
        _GENERATORS.append(function)
    return function


class Writer:
    """Rows into a table: COPY on PostgreSQL (a million rows in seconds), inserts elsewhere."""

    def __init__(self):
        self.connection = db.session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"

    def next_id(self, table: str) -> int:
        return (db.session.scalar(text(f"SELECT MAX(id) FROM {table}")) or 0) + 1

    def write(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
        written = 0
        if self.postgres:
            names = ", ".join(f'"{name}"' for name in columns)
            cursor = self.connection.connection.driver_connection.cursor()
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        table_object = db.metadata.tables[table]
        batch: list[dict] = []
        for row in rows:
            batch.append(dict(zip(columns, row, strict=True)))
            if len(batch) == 5000:
                db.session.execute(insert(table_object), batch)
                written += len(batch)
                batch = []
        if batch:
            db.session.execute(insert(table_object), batch)
            written += len(batch)
        return written

    def finish(self, tables: Iterable[str]) -> None:
        """Move each table's id sequence past the ids written here."""
        if not self.postgres:
            return
        for table in tables:
            db.session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
                )
            )


def seed_scale(scale: int, seed: int = 36, sizes: dict | None = None) -> dict[str, int]:
    """Grow the seeded demo to `scale` times the district (`sizes`: rows per unit of scale, the
    district's by default); returns the rows written by kind."""
    if scale <= 1:
        return {}
    district = District(scale=scale, now=datetime.now(UTC), rng=random.Random(seed))
    district.sizes.update(sizes or {})
    if db.session.scalar(select(func.count(Instrument.id))) >= district.target("instruments"):
        return {"already there": 1}
    writer = Writer()
    _owners(district)
    _users(district, writer)
    _instruments(district, writer)
    _bookings(district, writer)
    _orders(district, writer)
    _needs(district, writer)
    _claims(district, writer)
    _notifications(district, writer)
    for generator in _GENERATORS:
        generator(district)
    writer.finish(
        (
            "users", "instruments", "rates", "open_hours", "bookings",
            "booking_events", "charges", "orders", "order_events", "needs", "need_events",
            "voucher_claims", "notifications",
        )
    )  # fmt: skip
    db.session.flush()
    if writer.postgres:
        db.session.execute(text("ANALYZE"))
    return district.counts


def _owners(district: District) -> None:
    """The demo's owners of instruments, then universities and institutes up to fifteen."""
    owning = db.session.scalars(
        select(Instrument.organisation_id).distinct().order_by(Instrument.organisation_id)
    ).all()
    more = db.session.scalars(
        select(Organisation.id)
        .where(Organisation.kind.in_(("institute", "university")), Organisation.id.not_in(owning))
        .order_by(Organisation.id)
        .limit(max(0, OWNING_ORGANISATIONS - len(owning)))
    ).all()
    district.owners = list(owning) + list(more)
    for user in db.session.scalars(select(User).where(User.role == "manager")):
        district.managers.setdefault(user.organisation_id, user.id)


def _users(district: District, writer: Writer) -> None:
    """Researchers of the universities and institutes, staff of companies, a manager for each
    new owner; every one signs in with the demo's password."""
    existing = db.session.scalar(select(func.count(User.id)))
    template = db.session.execute(
        select(User.password_hash, User.calendar_salt).order_by(User.id).limit(1)
    ).one()
    organisations = db.session.execute(
        select(Organisation.id, Organisation.kind, Organisation.slug).where(
            Organisation.kind != "operator"
        )
    ).all()
    academic = [o for o in organisations if o.kind in ("institute", "university")]
    companies = [o for o in organisations if o.kind == "enterprise"]
    first = writer.next_id("users")
    rng = district.rng
    rows = []
    for number in range(max(0, district.target("users") - existing)):
        user_id = first + number
        owner_without_manager = next(
            (o for o in district.owners if o not in district.managers), None
        )
        if owner_without_manager is not None:
            org_id, role = owner_without_manager, "manager"
            district.managers[org_id] = user_id
        elif rng.random() < 0.7:
            # Most bookers belong to the owning institutions themselves.
            org_id = rng.choice(district.owners) if rng.random() < 0.6 else rng.choice(academic).id
            role = "researcher"
        else:
            org_id, role = rng.choice(companies).id, "enterprise"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        rows.append(
            (
                user_id, f"user{user_id:05d}@district.example", name, template.password_hash,
                role, org_id, f"139{user_id:08d}", None, True,
                f"{template.calendar_salt[:40]}{user_id:08d}", district.now, 0, 0, 24,
            )
        )  # fmt: skip
    kinds = {o.id: o.kind for o in organisations}
    district.counts["users"] = writer.write(
        "users",
        (
            "id", "email", "name", "password_hash", "role", "organisation_id", "phone", "locale",
            "active", "calendar_salt", "created_at", "failed_logins", "session_epoch",
            "reminder_hours",
        ),
        rows,
    )  # fmt: skip
    for row in db.session.execute(select(User.id, User.organisation_id, User.role)):
        if row.role in ("researcher", "enterprise"):
            district.users.append(
                {"id": row.id, "organisation_id": row.organisation_id, "kind": kinds.get(row[1])}
            )


def _instruments(district: District, writer: Writer) -> None:
    """Copies of the demo's instruments (the same makes and models) at the fifteen owners."""
    # Raw column values (fen, not yuan): written back as they are.
    templates = [
        dict(row._mapping)
        for row in db.session.execute(text("SELECT * FROM instruments ORDER BY id"))
    ]
    rates, rates_of, hours_of = _template_rules()
    first = writer.next_id("instruments")
    new_rows, rate_rows, hour_rows = [], [], []
    for number in range(max(0, district.target("instruments") - len(templates))):
        source = templates[number % len(templates)]
        instrument_id = first + number
        row = dict(source)
        row.update(
            id=instrument_id,
            organisation_id=district.owners[number % len(district.owners)],
            location=f"{source['location'].split(' ')[0]} {100 + number % 400}室",
            contact_email="",
            contact_name="",
            created_at=district.now,
            updated_at=district.now,
            year_commissioned=2012 + number % 13,
        )
        new_rows.append(row)
        for rate in rates_of.get(source["id"], []):
            rate_rows.append((instrument_id, rate.category, rate.unit, rate.price))
        for window in hours_of.get(source["id"], []):
            hour_rows.append(
                (instrument_id, window.weekday, window.start_minute, window.end_minute)
            )
    if new_rows:
        columns = tuple(new_rows[0])
        writer.write("instruments", columns, (tuple(r[c] for c in columns) for r in new_rows))
    writer.write("rates", ("instrument_id", "category", "unit", "price"), rate_rows)
    writer.write(
        "open_hours", ("instrument_id", "weekday", "start_minute", "end_minute"), hour_rows
    )
    district.counts["instruments"] = len(new_rows)
    prices = {}
    for rate in rates:
        if rate.unit == "hour" and rate.category == "academic":
            prices[rate.instrument_id] = rate.price
        if rate.unit == "sample" and rate.category == "academic":
            prices[(rate.instrument_id, "sample")] = rate.price
    for row in templates + new_rows:
        template_id = (
            row["id"]
            if row["id"] < first
            else templates[(row["id"] - first) % len(templates)]["id"]
        )
        district.instruments.append(
            {
                "id": row["id"],
                "organisation_id": row["organisation_id"],
                "name": row["name"],
                "demo": row["id"] < first,
                "buffer": row["buffer_minutes"],
                "approval": row["requires_approval"],
                "samples": row["accepts_samples"],
                "hour_price": prices.get(template_id, 30000),
                "sample_price": prices.get((template_id, "sample"), 20000),
                "weekend": any(w.weekday >= 5 for w in hours_of.get(template_id, []))
                or not hours_of.get(template_id),
            }
        )


def _template_rules() -> tuple[list, dict, dict]:
    """The demo's rates, and its rates and open hours by instrument."""
    rates = db.session.execute(text("SELECT instrument_id, category, unit, price FROM rates")).all()
    hours = db.session.execute(
        text("SELECT instrument_id, weekday, start_minute, end_minute FROM open_hours")
    ).all()
    rates_of, hours_of = {}, {}
    for rate in rates:
        rates_of.setdefault(rate.instrument_id, []).append(rate)
    for window in hours:
        hours_of.setdefault(window.instrument_id, []).append(window)
    return rates, rates_of, hours_of


# A working day's two-hour slots (local start, hours and minutes): at most one booking in each,
# half an hour apart, so that no instrument's buffer runs into the next one.
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


def _bookings(district: District, writer: Writer) -> None:
    """Three years of bookings on every instrument; the past ones used and charged."""
    rng, zone, now = district.rng, platform_zone(), district.now
    today = now.astimezone(zone).date()
    first_day = today - timedelta(days=HISTORY_DAYS)
    days = [first_day + timedelta(days=n) for n in range(HISTORY_DAYS + FUTURE_DAYS)]
    wanted = max(0, district.target("bookings") - _count("bookings"))
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


def _orders(district: District, writer: Writer) -> None:
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
    wanted = max(0, district.target("orders") - _count("orders"))

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


def _needs(district: District, writer: Writer) -> None:
    """Companies' needs collected over the years, most claimed, some contracted or closed."""
    rng, now = district.rng, district.now
    companies = db.session.scalars(
        select(Organisation.id).where(Organisation.kind == "enterprise").order_by(Organisation.id)
    ).all()
    if not companies:
        return
    need_id = writer.next_id("needs")
    event_id = writer.next_id("need_events")
    events = []
    wanted = max(0, district.target("needs") - _count("needs"))
    collector = 1

    def rows():
        nonlocal need_id, event_id
        for number in range(wanted):
            collected = (now - timedelta(days=int(HISTORY_DAYS * (1 - number / wanted)) + 1)).date()
            roll = rng.random()
            status = (
                "collected" if roll < 0.25 else "claimed" if roll < 0.5
                else "in_talks" if roll < 0.7 else "contracted" if roll < 0.85 else "closed"
            )  # fmt: skip
            claimant = rng.choice(district.owners) if status != "collected" else None
            claimed_on = collected + timedelta(days=7) if claimant else None
            talks_on = (
                collected + timedelta(days=21) if status in ("in_talks", "contracted") else None
            )
            signed = collected + timedelta(days=60) if status == "contracted" else None
            at = datetime.combine(collected, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1)
            events.append((event_id, need_id, "collect", None, "collected", collector, "", at))
            event_id += 1
            if claimant:
                events.append(
                    (
                        event_id,
                        need_id,
                        "claim",
                        "collected",
                        "claimed",
                        collector,
                        "",
                        at + timedelta(days=7),
                    )
                )
                event_id += 1
            yield (
                need_id, companies[rng.randrange(len(companies))],
                NEED_TITLES[number % len(NEED_TITLES)], NEED_TEXT,
                NEED_FIELDS[number % len(NEED_FIELDS)], status, collected, collector, claimant,
                district.managers.get(claimant) if claimant else None, claimed_on, talks_on,
                claimant if signed else None, rng.randint(5, 80) * 1_000_000 if signed else None,
                signed, "企业自行解决" if status == "closed" else "",
                collected + timedelta(days=90) if status == "closed" else None, at, at,
            )  # fmt: skip
            need_id += 1

    district.counts["needs"] = writer.write(
        "needs",
        (
            "id", "company_id", "title", "description", "field", "status", "collected_on",
            "created_by_id", "claimed_by_org_id", "claimed_by_id", "claimed_on", "talks_on",
            "contract_org_id", "contract_amount", "signed_on", "closed_reason", "closed_on",
            "created_at", "updated_at",
        ),
        rows(),
    )  # fmt: skip
    writer.write(
        "need_events",
        ("id", "need_id", "action", "from_status", "to_status", "actor_id", "note", "at"),
        events,
    )


def _claims(district: District, writer: Writer) -> None:
    """Companies' voucher claims under the year's programme, in every state."""
    programme = db.session.scalar(text("SELECT id FROM voucher_programmes ORDER BY id LIMIT 1"))
    if programme is None:
        return
    rng, now = district.rng, district.now
    staff = [u for u in district.users if u["kind"] == "enterprise"]
    first = writer.next_id("voucher_claims")
    rows = []
    for number in range(max(0, district.target("claims") - _count("voucher_claims"))):
        user = staff[rng.randrange(len(staff))]
        status = ("submitted", "approved", "rejected", "paid")[number % 4]
        subsidy = rng.randint(2, 40) * 100_000
        decided = now - timedelta(days=rng.randint(1, 60)) if status != "submitted" else None
        rows.append(
            (
                first + number, programme, user["organisation_id"], status, subsidy, subsidy // 2,
                user["id"], 1 if decided else None, decided,
                decided if status == "paid" else None,
                "材料不全" if status == "rejected" else "材料齐全",
                (decided or now) - timedelta(days=3),
            )
        )  # fmt: skip
    district.counts["voucher claims"] = writer.write(
        "voucher_claims",
        (
            "id", "programme_id", "organisation_id", "status", "enterprise_subsidy",
            "provider_subsidy", "submitted_by_id", "decided_by_id", "decided_at", "paid_at",
            "reason", "created_at",
        ),
        rows,
    )  # fmt: skip


NOTICE_TEXTS = (
    ("mail", "您的预约已通过审核: {name}"),
    ("mail", "预约提醒: {name} 明天开始"),
    ("mail", "送样订单已出具报告: {name}"),
    ("reminder", "请及时签退: {name}"),
)


def _notifications(district: District, writer: Writer) -> None:
    """Copies of the mails people had over the years, the old ones read."""
    rng, now = district.rng, district.now
    people = db.session.scalars(select(User.id)).all()
    first = writer.next_id("notifications")
    wanted = max(0, district.target("notifications") - _count("notifications"))

    def rows():
        for number in range(wanted):
            kind, template = NOTICE_TEXTS[number % len(NOTICE_TEXTS)]
            instrument = district.instruments[rng.randrange(len(district.instruments))]
            created = now - timedelta(days=HISTORY_DAYS * (1 - number / wanted), minutes=1)
            read = (
                created + timedelta(hours=rng.randint(1, 48))
                if created < now - timedelta(days=7)
                else None
            )
            yield (
                first + number, people[rng.randrange(len(people))], kind,
                template.format(name=instrument["name"]), f"/instruments/{instrument['id']}",
                created, read,
            )  # fmt: skip

    district.counts["notifications"] = writer.write(
        "notifications", ("id", "user_id", "kind", "text", "url", "created_at", "read_at"), rows()
    )


def _count(table: str) -> int:
    return db.session.scalar(text(f"SELECT COUNT(*) FROM {table}")) or 0
