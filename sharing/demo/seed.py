"""Load the demo data; everything is looked up first, so a second run changes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from sharing.auth.services import create_user, get_user_by_email
from sharing.billing.models import Charge
from sharing.billing.services import record_usage
from sharing.bookings.models import Booking
from sharing.bookings.services import request_booking
from sharing.core.errors import DomainError
from sharing.demo.accounts import seed_accounts
from sharing.demo.agents import seed_agents
from sharing.demo.assessment import seed_assessment
from sharing.demo.campus import seed_campus
from sharing.demo.challenges import seed_challenges
from sharing.demo.cruises import seed_cruises
from sharing.demo.data import (
    ALWAYS,
    CATEGORY_TEXTS,
    DEMO_PASSWORD,
    EXTENDED,
    INSTRUMENTS,
    ORGANISATIONS,
    USERS,
)
from sharing.demo.draws import weekdays_from_today
from sharing.demo.illustrations import illustration
from sharing.demo.invoices import seed_invoices
from sharing.demo.loans import seed_loans
from sharing.demo.operations import seed_operations
from sharing.demo.orders import DEMO_PURPOSES, seed_orders
from sharing.demo.pipeline import seed_pipeline
from sharing.demo.training import seed_training
from sharing.demo.vouchers import seed_vouchers
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.instruments.photos import store_photo
from sharing.instruments.rules import OpenWindow
from sharing.instruments.services import create_instrument
from sharing.orgs.services import create_organisation, get_organisation

# Internal users pay less and companies more than other academics: the usual sharing tariff.
CATEGORY_FACTORS = {
    "internal": Decimal("0.6"),
    "academic": Decimal("1"),
    "enterprise": Decimal("1.5"),
}


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        lines = [
            f"{kind}: {self.created[kind]} created, {self.existing[kind]} already there"
            for kind in (
                "organisations",
                "users",
                "instruments",
                "bookings",
                "challenges",
                "used sessions",
                "sample orders",
                "ratings",
                "incidents",
                "achievements",
                "agents",
                "agent sessions",
            )
        ]
        lines.append(f"Demo password for every account: {DEMO_PASSWORD}")
        lines += [f"  {email}  ({role})" for email, _name, role, _org in USERS]
        return "\n".join(lines)


def _open_hours(kind: str) -> list[OpenWindow]:
    if kind == ALWAYS:
        return []
    if kind == EXTENDED:
        return [OpenWindow(day, 8 * 60, 22 * 60) for day in range(6)]
    return [OpenWindow(day, 8 * 60, 20 * 60) for day in range(5)]


def _rates(hourly: int, per_sample: int | None) -> list[dict]:
    rates = []
    for category, factor in CATEGORY_FACTORS.items():
        rates.append({"category": category, "unit": "hour", "price": Decimal(hourly) * factor})
        if per_sample is not None:
            rates.append(
                {"category": category, "unit": "sample", "price": Decimal(per_sample) * factor}
            )
    return rates


def _instrument_exists(organisation_id: int, name: str) -> bool:
    statement = select(Instrument.id).where(
        Instrument.organisation_id == organisation_id, Instrument.name == name
    )
    return db.session.scalar(statement) is not None


def seed_demo() -> SeedReport:
    """Add whatever demo organisations, users and instruments are missing."""
    report = SeedReport()
    for slug, name, name_en, kind in ORGANISATIONS:
        if get_organisation(slug) is None:
            create_organisation(slug, name, kind, name_en)
            report.created["organisations"] += 1
        else:
            report.existing["organisations"] += 1
    managers = {}
    for email, name, role, org_slug in USERS:
        user = get_user_by_email(email)
        if user is None:
            user = create_user(email, name, DEMO_PASSWORD, role, get_organisation(org_slug))
            report.created["users"] += 1
        else:
            report.existing["users"] += 1
        if role == "manager":
            managers[org_slug] = user
    admin = get_user_by_email(USERS[0][0])
    for row in INSTRUMENTS:
        (org_slug, category, name, name_en, model, maker, value, year, location, specs,
         hourly, per_sample, approval, training, hours) = row  # fmt: skip
        organisation = get_organisation(org_slug)
        if _instrument_exists(organisation.id, name):
            report.existing["instruments"] += 1
            continue
        contact = managers.get(org_slug)
        functions, applications = CATEGORY_TEXTS[category]
        create_instrument(
            admin,
            {
                "organisation": org_slug,
                "category": category,
                "name": name,
                "name_en": name_en,
                "model": model,
                "manufacturer": maker,
                "original_value": Decimal(value),
                "year_commissioned": year,
                "location": location,
                "specifications": specs,
                "functions": functions,
                "applications": applications,
                "contact_name": contact.name if contact else "",
                "contact_email": contact.email if contact else "",
                "contact_phone": "0532-8899" + f"{len(name) * 37 % 10000:04d}",
                "requires_approval": approval,
                "requires_training": training,
                "accepts_samples": per_sample is not None,
                "turnaround_days": 5 if per_sample is not None else None,
                "rules": {
                    "open_hours": _open_hours(hours),
                    "max_minutes": 24 * 60 if hours == ALWAYS else 8 * 60,
                    "slot_minutes": 60 if hourly >= 1000 else 30,
                    "min_minutes": 60 if hourly >= 1000 else 30,
                    "buffer_minutes": 30 if approval and training else 0,
                },
                "rates": _rates(hourly, per_sample),
            },
        )
        report.created["instruments"] += 1
    db.session.flush()
    _seed_bookings(report, managers)
    seed_challenges(report.existing, report.created)
    _seed_usage(report, managers)
    seed_orders(report.existing, report.created, managers)
    seed_training(report.existing, report.created, managers)
    # Vessels before the photos (each gets its picture) and the register fields.
    seed_cruises(report.existing, report.created)
    _seed_photos(report)
    seed_assessment(report.existing, report.created, managers)
    seed_pipeline(report.existing, report.created)
    seed_accounts(report.existing, report.created)
    seed_invoices(report.existing, report.created)
    seed_vouchers(report.existing, report.created)
    seed_campus(report.existing, report.created)
    seed_agents(report.existing, report.created)
    seed_loans(report.existing, report.created)
    # Last: the mails the story above queued.
    seed_operations(report.existing, report.created)
    return report


def _seed_photos(report: SeedReport) -> None:
    """A drawn illustration of its kind for every instrument that has no photo yet."""
    bare = db.session.scalars(
        select(Instrument).where(~Instrument.photos.any()).order_by(Instrument.id)
    ).all()
    pictures = {}
    for instrument in bare:
        slug = instrument.category.slug
        if slug not in pictures:
            pictures[slug] = illustration(slug)
        store_photo(pictures[slug], instrument, None)
        report.created["photos"] += 1


# Who is trained where in the demo: 李娜 on most instruments that need it (one grant lapses in
# ten days), 张伟's lapsed on one, and requests in each state for the managers' desks.
def _seed_usage(report: SeedReport, managers: dict) -> None:
    """Sessions of the past weeks, used and charged, so statements and reports show figures."""
    customers = [
        get_user_by_email(email)
        for email, _n, role, _o in USERS
        if role in ("researcher", "enterprise")
    ]
    days = weekdays_from_today(15, step=-1)
    instruments = db.session.scalars(select(Instrument).order_by(Instrument.id)).all()
    for number, instrument in enumerate(instruments[:30]):
        if db.session.scalar(
            select(Charge.id).where(Charge.instrument_id == instrument.id).limit(1)
        ):
            report.existing["instruments with usage"] += 1
            continue
        manager = managers.get(instrument.organisation.slug) or get_user_by_email(USERS[0][0])
        for session in range(3):
            day = days[(number + session * 4) % len(days)]
            start = day + timedelta(hours=9 if session % 2 == 0 else 14)
            end = start + timedelta(hours=2)
            customer = customers[(number + session) % len(customers)]
            try:
                with db.session.begin_nested():
                    [booking] = request_booking(
                        manager,
                        instrument.id,
                        start,
                        end,
                        purpose=DEMO_PURPOSES[session],
                        user_id=customer.id,
                    )
                    record_usage(
                        manager,
                        booking,
                        start,
                        end + timedelta(minutes=15 * session),
                        3 if session == 2 else None,
                    )
            except DomainError:
                continue
            report.created["used sessions"] += 1


# How far each demo order has come, from waiting for the lab's quote to charged.
def _seed_bookings(report: SeedReport, managers: dict) -> None:
    """A few weeks of plausible bookings on instruments that have none yet."""
    researchers = [
        get_user_by_email(email)
        for email, _n, role, _o in USERS
        if role in ("researcher", "enterprise")
    ]
    days = weekdays_from_today(10, step=1)
    instruments = db.session.scalars(select(Instrument).order_by(Instrument.id)).all()
    for number, instrument in enumerate(instruments[:24]):
        if db.session.scalar(
            select(Booking.id).where(Booking.instrument_id == instrument.id).limit(1)
        ):
            report.existing["instruments with bookings"] += 1
            continue
        manager = managers.get(instrument.organisation.slug) or get_user_by_email(USERS[0][0])
        for slot in range(4):
            day = days[(number + slot * 3) % len(days)]
            hour = 9 if slot % 2 == 0 else 14
            user = researchers[(number + slot) % len(researchers)]
            start, end = day + timedelta(hours=hour), day + timedelta(hours=hour + 2)
            try:
                with db.session.begin_nested():
                    if (
                        slot in (1, 3)
                        and instrument.requires_approval
                        and not instrument.requires_training
                    ):
                        # Requests that wait in the manager's queue.
                        request_booking(
                            user, instrument.id, start, end, purpose=DEMO_PURPOSES[slot]
                        )
                    else:
                        request_booking(
                            manager,
                            instrument.id,
                            start,
                            end,
                            purpose=DEMO_PURPOSES[slot],
                            user_id=user.id,
                        )
            except DomainError:
                continue  # a demo slot that breaks this instrument's rules is simply left out
            report.created["bookings"] += 1
