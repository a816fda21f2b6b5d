"""A year of use of the district's instruments, as busy as each one is (kinds.toml): the
sessions booked and used (some cancelled, refused or missed), their charges at the
instrument's own rates, the samples measured and the ratings given, by the labs' own people,
other institutes' researchers and the firms whose work needs the kind.

Rows go straight to the tables in batches (what the services would write one by one in
minutes): past bookings only, never two of an instrument at once, none where the demo's
own bookings, sessions and downtimes are.
"""

from __future__ import annotations

import random
import secrets
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text

from sharing.auth.models import Role, User
from sharing.billing.estimates import tariff_for
from sharing.billing.pricing import usage_charge
from sharing.billing.reports import large_instrument_year
from sharing.bookings.models import Booking, Downtime
from sharing.bookings.policy import OpenCalendar
from sharing.demo.scale_base import GIVEN, PURPOSES, SURNAMES
from sharing.extensions import db
from sharing.instruments.models import SHIP_TIME_CATEGORIES, Instrument
from sharing.orgs.models import Organisation, OrgKind
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, utcnow

_TABLES = tomllib.loads((Path(__file__).parent / "kinds.toml").read_text("utf-8"))
KINDS: dict[str, dict] = _TABLES["kind"]
BUSY: dict[str, float] = _TABLES["busy"]
LITTLE_USED = 0.02
HISTORY_DAYS = 365
# The newest week is the ordinary demo's (its agents' sessions, its check-ins).
QUIET_DAYS = 8
PEOPLE_PER_LAB = 8
TITLES = ("博士生", "硕士生", "工程师", "助理研究员", "博士后", "副研究员")
RATED = 0.3
SCORES = {5: 46, 4: 34, 3: 13, 2: 7}
GENERAL_COMMENTS = {
    5: ["仪器状态很好，老师指导耐心", "数据质量高，一次成功", "预约方便，准时开机"],
    4: ["结果可靠，希望延长开放时间", ""],
    3: ["软件版本偏旧，导出不便", ""],
    2: [],
}
BOOKING_COLUMNS = (
    "id", "instrument_id", "user_id", "created_by_id", "start", "end", "blocked_until", "status",
    "purpose", "on_behalf", "sequence", "created_at", "updated_at", "checked_in_at",
    "checked_out_at", "used_start", "used_end", "samples",
)  # fmt: skip
CHARGE_COLUMNS = (
    "id", "kind", "booking_id", "instrument_id", "customer_org_id", "owner_org_id", "category",
    "unit", "quantity", "unit_price", "amount", "description", "service_date", "month",
    "created_at", "created_by_id", "user_id",
)  # fmt: skip
RATING_COLUMNS = (
    "id", "instrument_id", "booking_id", "user_id", "organisation_id", "score", "comment",
    "created_at",
)  # fmt: skip


def comments(kind: str, score: int) -> list[str]:
    """What people write with a score on an instrument of the kind."""
    own = KINDS.get(kind, {})
    extra = {4: own.get("praise", []), 3: own.get("waits", []), 2: own.get("complaints", [])}
    return GENERAL_COMMENTS[score] + extra.get(score, [])


@dataclass
class Rows:
    """What is written, with the next free id of each table."""

    ids: dict[str, int]
    tables: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    tariffs: dict[tuple, object] = field(default_factory=dict)

    def add(self, table: str, columns: tuple[str, ...], values: tuple) -> int:
        row_id = self.ids[table]
        self.ids[table] += 1
        self.tables[table].append(dict(zip(columns, (row_id, *values), strict=True)))
        return row_id


def write_years_of_use(rng: random.Random, instruments: list[Instrument]) -> dict[str, int]:  # noqa: C901 - one pass, kept whole
    """The sessions of the past twelve months on every instrument booked by the hour."""
    zone = platform_zone()
    now = utcnow()
    today = now.astimezone(zone).date()
    first = datetime.combine(today - timedelta(days=HISTORY_DAYS), time(0), zone)
    last = datetime.combine(today - timedelta(days=QUIET_DAYS), time(0), zone)
    rows = Rows({table: _next_id(table) for table in ("users", "bookings", "charges", "ratings")})
    people = _people(rng, rows, now)
    taken = _taken(Interval(first, last))
    years = (today.year - 1, today.year)
    # Hours already there (the demo's own sessions), then each instrument's own, so that no two
    # instruments of different kinds show the same effective hours in either year.
    totals = {year: _hours_before(year) for year in years}
    seen: dict[int, dict[int, str]] = {year: {} for year in years}
    booked_by_hour = []
    for instrument in instruments:
        if instrument.category.slug in SHIP_TIME_CATEGORIES or instrument.is_day_instrument:
            for year in years:
                if instrument.id in totals[year]:
                    seen[year][totals[year][instrument.id]] = instrument.category.slug
        else:
            booked_by_hour.append(instrument)
    for instrument in booked_by_hour:
        pool = _pool(rng, instrument, people)
        planned = list(_sessions(rng, instrument, Interval(first, last), taken[instrument.id]))
        while True:
            minutes = {year: totals[year].get(instrument.id, 0) for year in years}
            for start, _end, status, used in planned:
                if status == "completed":
                    minutes[start.astimezone(zone).year] = minutes.get(
                        start.astimezone(zone).year, 0
                    ) + _minutes(used)
            clash = [
                year
                for year in years
                if seen[year].get(minutes[year], instrument.category.slug)
                != instrument.category.slug
            ]
            if not clash:
                break
            # The same total as an instrument of another kind: its last session that year
            # ended a few minutes earlier.
            shorter = _shorten_last(planned, clash[0], zone)
            if shorter == planned:
                break  # nothing used that year (idle, like the other): nothing to shorten
            planned = shorter
        for year in years:
            seen[year][minutes[year]] = instrument.category.slug
        for start, end, status, used in planned:
            _write_session(rng, rows, instrument, pool, start, end, status, used, now)
    for table in ("users", "bookings", "charges", "ratings"):
        _insert(table, rows.tables[table])
    db.session.flush()
    return {
        "users": len(rows.tables["users"]),
        "used sessions": len(rows.tables["charges"]),
        "ratings": len(rows.tables["ratings"]),
    }


def _next_id(table: str) -> int:
    return (db.session.scalar(text(f"SELECT MAX(id) FROM {table}")) or 0) + 1


def _insert(table: str, batch: list[dict]) -> None:
    """Batched inserts through the tables' column types (yuan to fen, zones to UTC), then the
    table's id sequence past the ids written (PostgreSQL)."""
    if not batch:
        return
    table_object = db.metadata.tables[table]
    for offset in range(0, len(batch), 2000):
        db.session.execute(insert(table_object), batch[offset : offset + 2000])
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
        )


def _hours_before(year: int) -> dict[int, int]:
    """Minutes of use already recorded in the year, per instrument."""
    return {
        row["instrument_id"]: int(row["effective_hours"] * 60)
        for row in large_instrument_year(year)
    }


def _minutes(used: Interval) -> int:
    return int(used.duration.total_seconds() // 60)


def _shorten_last(planned: list, year: int, zone) -> list:
    for index in range(len(planned) - 1, -1, -1):
        start, end, status, used = planned[index]
        if status == "completed" and start.astimezone(zone).year == year:
            shorter = Interval(used.start, used.end - timedelta(minutes=1))
            return [*planned[:index], (start, end, status, shorter), *planned[index + 1 :]]
    return planned


@dataclass(frozen=True)
class Person:
    id: int
    organisation: Organisation
    enterprise: bool


def _people(rng: random.Random, rows: Rows, now: datetime) -> dict[int, list[Person]]:
    """The demo's bookers and each lab's students and staff, by organisation (written here:
    they sign in with the demo's password)."""
    template = db.session.scalar(select(User.password_hash).order_by(User.id).limit(1))
    labs = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind.in_((OrgKind.INSTITUTE, OrgKind.UNIVERSITY)))
        .order_by(Organisation.id)
    ).all()
    managers = {
        user.organisation_id: user.email
        for user in db.session.scalars(select(User).where(User.role == Role.MANAGER))
    }
    for lab in labs:
        domain = managers.get(lab.id, f"@{lab.slug}.example").split("@")[1]
        for number in range(PEOPLE_PER_LAB):
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))
            rows.add(
                "users",
                (
                    "id", "email", "name", "password_hash", "role", "organisation_id", "phone",
                    "active", "calendar_salt", "created_at", "failed_logins", "session_epoch",
                    "reminder_hours",
                ),
                (
                    f"lab{number + 1:02d}@{domain}", f"{name}（{rng.choice(TITLES)}）", template,
                    Role.RESEARCHER, lab.id, "", True, secrets.token_hex(16), now, 0, 0, 24,
                ),
            )  # fmt: skip
    organisations = {o.id: o for o in db.session.scalars(select(Organisation))}
    found: dict[int, list[Person]] = defaultdict(list)
    bookers = db.session.execute(
        select(User.id, User.organisation_id, User.role)
        .where(User.role.in_((Role.RESEARCHER, Role.ENTERPRISE)))
        .order_by(User.id)
    ).all()
    new = [(row["id"], row["organisation_id"], Role.RESEARCHER) for row in rows.tables["users"]]
    for user_id, org_id, role in [*bookers, *new]:
        organisation = organisations[org_id]
        found[org_id].append(Person(user_id, organisation, role == Role.ENTERPRISE))
    return found


def _pool(rng, instrument: Instrument, people: dict[int, list[Person]]):
    """Who uses it, the most regular first: its own lab's people, researchers from elsewhere
    (as many as it is popular) and the firms of its kind."""
    busy = BUSY.get(instrument.name, LITTLE_USED)
    kind = KINDS[instrument.category.slug]
    own = list(people.get(instrument.organisation_id, []))
    others = [
        person
        for org_id, persons in people.items()
        if org_id != instrument.organisation_id
        for person in persons
        if not person.enterprise
    ]
    rng.shuffle(own)
    rng.shuffle(others)
    visitors = others[: 2 + round(len(others) * min(1.0, busy * 1.2))]
    firms = [
        person
        for persons in people.values()
        for person in persons
        if person.enterprise and person.organisation.slug in kind["firms"]
    ]
    return own[: 3 + round(busy * 6)] + visitors, firms


def _taken(window: Interval) -> dict[int, list[Interval]]:
    """What is already on each instrument's calendar: bookings (with their buffers) and
    downtimes."""
    taken: dict[int, list[Interval]] = defaultdict(list)
    for instrument_id, start, end in db.session.execute(
        select(Booking.instrument_id, Booking.start, Booking.blocked_until).where(
            Booking.start < window.end, Booking.blocked_until > window.start
        )
    ):
        taken[instrument_id].append(Interval(start, end))
    for instrument_id, start, end in db.session.execute(
        select(Downtime.instrument_id, Downtime.start, Downtime.end).where(
            Downtime.start < window.end, Downtime.end > window.start
        )
    ):
        taken[instrument_id].append(Interval(start, end))
    return taken


def _spans(instrument: Instrument, window: Interval) -> list[Interval]:
    """The open hours inside the window; an instrument open around the clock day by day."""
    zone = platform_zone()
    calendar = OpenCalendar(instrument.booking_rules().open_hours, zone)
    if not calendar.always_open:
        return calendar.spans(window.start, window.end)
    days = (window.end - window.start).days
    return [
        Interval(window.start + timedelta(days=n), window.start + timedelta(days=n + 1))
        for n in range(days)
    ]


def _sessions(rng, instrument: Instrument, window: Interval, taken: list[Interval]):
    """(start, end, status, used) of each session, in time order: the day's open hours taken
    session by session as often as the instrument is busy."""
    busy = BUSY.get(instrument.name, LITTLE_USED)
    lengths = KINDS[instrument.category.slug]["hours"]
    rules = instrument.booking_rules()
    buffer = timedelta(minutes=rules.buffer_minutes)
    longest = timedelta(minutes=rules.max_minutes)
    for span in _spans(instrument, window):
        moment = span.start
        while moment < span.end:
            length = min(timedelta(hours=rng.choice(lengths)), longest, span.end - moment)
            if length < timedelta(hours=1):
                break
            slot = Interval(moment, moment + length)
            if rng.random() >= busy or any(slot.overlaps(other) for other in taken):
                moment += timedelta(hours=rng.choice(lengths))
                continue
            yield slot.start, slot.end, _status(rng, instrument), _used(rng, slot)
            moment = slot.end + buffer


def _status(rng, instrument: Instrument) -> str:
    roll = rng.random()
    if roll < 0.9:
        return "completed"
    if roll < 0.96:
        return "cancelled"
    return "rejected" if instrument.requires_approval and roll > 0.985 else "no_show"


def _used(rng, slot: Interval) -> Interval:
    """Came a little late, left a little early (more so after a long run)."""
    late = timedelta(minutes=rng.randint(0, 12))
    long_run = slot.duration >= timedelta(hours=8)
    early = timedelta(minutes=rng.randint(0, 90 if long_run else 35))
    return Interval(slot.start + late, slot.end - early)


def _write_session(rng, rows, instrument, pool, start, end, status, used, now) -> None:
    regulars, firms = pool
    kind = KINDS[instrument.category.slug]
    if firms and rng.random() < kind["firm_share"]:
        person = rng.choice(firms)
    else:
        # The regulars come often, the others now and then.
        person = rng.choices(regulars, weights=[1 / (n + 1) for n in range(len(regulars))])[0]
    zone = platform_zone()
    asked = start - timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 8))
    done = status == "completed"
    low, high = kind["samples"]
    samples = rng.randint(low, high) if done and high else None
    changed = (
        used.end if done else end if status == "no_show" else min(start, asked + timedelta(days=1))
    )
    booking_id = rows.add(
        "bookings",
        BOOKING_COLUMNS,
        (
            instrument.id, person.id, person.id, start, end,
            end + timedelta(minutes=instrument.buffer_minutes), status,
            PURPOSES[rows.ids["bookings"] % len(PURPOSES)], False, 0, asked, changed,
            used.start if done else None, used.end if done else None,
            used.start if done else None, used.end if done else None, samples,
        ),
    )  # fmt: skip
    if not done:
        return
    key = (instrument.id, person.organisation.id, bool(samples))
    if key not in rows.tariffs:
        rows.tariffs[key] = tariff_for(instrument, person.organisation, bool(samples))
    tariff = rows.tariffs[key]
    if tariff is not None:
        category, unit, price = tariff
        line = usage_charge(
            instrument.billing_terms(), unit, price, Interval(start, end), used, samples
        )
        local = start.astimezone(zone).date()
        rows.add(
            "charges",
            CHARGE_COLUMNS,
            (
                "usage", booking_id, instrument.id, person.organisation.id,
                instrument.organisation_id, category, unit, line.quantity, line.unit_price,
                line.amount, instrument.name, local, f"{local:%Y-%m}", used.end, person.id,
                person.id,
            ),
        )  # fmt: skip
    if rng.random() < RATED:
        score = rng.choices(list(SCORES), weights=list(SCORES.values()))[0]
        said = comments(instrument.category.slug, score)
        rows.add(
            "ratings",
            RATING_COLUMNS,
            (
                instrument.id, booking_id, person.id, person.organisation.id, score,
                rng.choice(said) if said else "", min(now, used.end + timedelta(hours=3)),
            ),
        )  # fmt: skip
