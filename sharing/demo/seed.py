"""Load the demo data; everything is looked up first, so a second run changes nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from sharing.auth.services import create_user, get_user_by_email
from sharing.demo.data import (
    ALWAYS,
    CATEGORY_TEXTS,
    DEMO_PASSWORD,
    EXTENDED,
    INSTRUMENTS,
    ORGANISATIONS,
    USERS,
)
from sharing.extensions import db
from sharing.instruments.models import Instrument
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
            for kind in ("organisations", "users", "instruments")
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
    return report
