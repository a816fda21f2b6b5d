"""The district at N times its size: `flask seed-demo --scale N` writes, beside the ordinary demo,
the instruments, people and years of history of a district N times today's.

At scale 10: 500 instruments of 15 organisations, 5,000 users, three years of bookings (about a
million, the past ones used and charged), 20,000 sample orders, 2,000 needs, voucher claims,
notifications, and (sharing.demo.scale_loans and scale_cruises) 10,000 loans and 100 cruises.
Rows go straight to the tables (COPY on PostgreSQL, batched inserts elsewhere): the services
would take days for a million bookings, and the history they would write is what the rows here
say. Every row is one the services could have written: past bookings are finished
(completed, cancelled, rejected or no-show), only the coming weeks hold approved or pending ones,
and no two active bookings of an instrument overlap.

Other features plug in their own generators with `scale_generator` (loans, cruises): each is
called once with the `District` after the core generators ran.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from sharing.auth.models import User
from sharing.demo import scale_base, scale_cruises, scale_loans  # noqa: F401 - they plug in
from sharing.demo.scale_base import (
    GIVEN,
    OWNING_ORGANISATIONS,
    SURNAMES,
    District,
    Writer,
)
from sharing.demo.scale_history import (
    write_bookings,
    write_orders,
)
from sharing.demo.scale_needs import write_claims, write_needs, write_notifications
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.orgs.models import Organisation


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
    write_bookings(district, writer)
    write_orders(district, writer)
    write_needs(district, writer)
    write_claims(district, writer)
    write_notifications(district, writer)
    for generator in scale_base.GENERATORS:
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
