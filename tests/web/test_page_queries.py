"""The most used pages run a fixed number of queries whatever the size of the history behind
them (issue 36): each page is counted at two sizes of one small world, and the counts must match.
A page whose queries grow with its rows (one query per booking, instrument or charge) fails."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from sharing.billing.models import Charge
from sharing.bookings.models import Booking
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.extensions import db
from sharing.loans.models import Loan, LoanItem
from sharing.notices.models import Notification
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow
from tests.conftest import count_queries
from tests.fixtures.cruises import new_vessel
from tests.fixtures.loans import day_instrument, day_rates

DAY = timedelta(days=1)


@pytest.fixture
def world(make):
    lab = make.org(slug="lab")
    manager = make.user("manager", lab)
    researcher = make.user("researcher", make.org(slug="uni", kind="university"))
    admin = make.admin()
    instrument = make.instrument(manager=manager, requires_approval=True)
    gear = day_instrument(make, manager, day_rates("2000.00"))
    return {
        "gear": gear,
        "lab": lab,
        "manager": manager,
        "researcher": researcher,
        "admin": admin,
        "instrument": instrument,
        "grown": 0,
    }


def grow(world: dict, make, size: int) -> None:
    """Up to `size` past used and charged bookings, pending requests, notifications and
    instruments (written as rows: the services are not what is counted here)."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    instrument, researcher = world["instrument"], world["researcher"]
    for _ in range(size - world["grown"]):
        make.instrument(manager=world["manager"])
    for number in range(world["grown"], size):
        past = now - (number + 2) * DAY
        future = now + (number + 2) * DAY
        rows = [
            {"start": past, "status": "completed", "used_start": past},
            {"start": future, "status": "pending"},
        ]
        for row in rows:
            start = row.pop("start")
            end = start + timedelta(hours=2)
            booking_id = db.session.execute(
                insert(Booking).returning(Booking.id),
                {
                    "instrument_id": instrument.id,
                    "user_id": researcher.id,
                    "created_by_id": researcher.id,
                    "start": start,
                    "end": end,
                    "blocked_until": end,
                    "purpose": "测试",
                    "on_behalf": False,
                    "sequence": 0,
                    "created_at": now,
                    "updated_at": now,
                    "used_end": end if row["status"] == "completed" else None,
                    "customer_org_id": researcher.organisation_id,
                    **row,
                },
            ).scalar_one()
            if row["status"] == "completed":
                day = start.astimezone(platform_zone()).date()
                db.session.execute(
                    insert(Charge),
                    {
                        "kind": "usage",
                        "booking_id": booking_id,
                        "instrument_id": instrument.id,
                        "customer_org_id": researcher.organisation_id,
                        "owner_org_id": world["lab"].id,
                        "category": "academic",
                        "unit": "hour",
                        "quantity": Decimal("2"),
                        "unit_price": Decimal("200.00"),
                        "amount": Decimal("400.00"),
                        "description": instrument.name,
                        "service_date": day,
                        "month": f"{day:%Y-%m}",
                        "created_at": now,
                        "user_id": researcher.id,
                    },
                )
        db.session.add(
            Notification(user_id=researcher.id, kind="mail", text=f"通知{number}", url="/")
        )
        _loan_and_cruise(world, make, number, now)
    world["grown"] = size
    db.session.commit()


def _loan_and_cruise(world: dict, make, number: int, now) -> None:
    """A loan of the lab's gear to the researcher (one past and closed, one ahead and approved,
    in turn) and a cruise of a vessel of its own (the schedule names each cruise's vessel) with
    the researcher's application."""
    today = now.astimezone(platform_zone()).date()
    start = today + (number - 2) * 10 * DAY
    status = "closed" if number % 2 else "approved"
    researcher, gear = world["researcher"], world["gear"]
    loan_id = db.session.execute(
        insert(Loan).returning(Loan.id),
        {
            "borrower_id": researcher.id,
            "organisation_id": researcher.organisation_id,
            "start_date": start,
            "end_date": start + 2 * DAY,
            "status": status,
        },
    ).scalar_one()
    db.session.execute(
        insert(LoanItem),
        {
            "loan_id": loan_id,
            "instrument_id": gear.id,
            "owner_org_id": world["lab"].id,
            "status": status,
            "start_date": start,
            "end_date": start + 2 * DAY,
            "blocked_until": start + 3 * DAY,
            "category": "academic",
            "day_rate": Decimal("2000.00"),
        },
    )
    departs = today + (number * 30 + 20) * DAY
    cruise_id = db.session.execute(
        insert(Cruise).returning(Cruise.id),
        {
            "vessel_id": new_vessel(make, world["manager"]).id,
            "name": f"航次{number}",
            "departs_on": departs,
            "returns_on": departs + 10 * DAY,
            "chief_scientist_id": researcher.id,
            "apply_by": departs - 10 * DAY,
            "day_rate": Decimal("36000.00"),
            "share_by": "berths",
            "status": "open",
            "created_by_id": world["manager"].id,
        },
    ).scalar_one()
    db.session.execute(
        insert(CruiseApplication),
        {
            "cruise_id": cruise_id,
            "applicant_id": researcher.id,
            "organisation_id": researcher.organisation_id,
            "project": "黄海冷水团碳通量",
        },
    )


def _month(world) -> str:
    return db.session.scalar(select(Charge.month).order_by(Charge.month.desc()).limit(1))


PAGES = [
    ("researcher", "/my/bookings"),
    ("researcher", "/notifications"),
    ("researcher", "/instruments/{instrument}"),
    ("manager", "/manage/queue"),
    ("admin", "/statements?month={month}"),
    ("admin", "/statements/uni/{month}"),
    ("admin", "/reports"),
    ("admin", "/impact"),
    ("admin", "/challenges/statistics"),
    ("anonymous", "/"),
    ("anonymous", "/instruments"),
    ("anonymous", "/api/v1/instruments/{instrument}/availability?{week}"),
    ("admin_api", "/api/v1/reports/utilisation?{year}"),
    ("admin_api", "/api/v1/reports/large-instruments?year={this_year}"),
    ("admin_api", "/api/v1/receivables?month={month}&organisation=lab"),
    ("manager", "/loans"),
    ("researcher", "/loans"),
    ("anonymous", "/cruises"),
    ("researcher", "/cruises"),
]


def _queries(client, world, who: str, path: str, headers: dict) -> int:
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    today = now.astimezone(platform_zone()).date()
    filled = path.format(
        instrument=world["instrument"].id,
        month=_month(world),
        week=f"from={now:%Y-%m-%dT%H:00:00Z}&to={now + 7 * DAY:%Y-%m-%dT%H:00:00Z}",
        year=f"from={today - 365 * DAY}&to={today + DAY}",
        this_year=today.year,
    )
    with count_queries() as statements:
        response = client.get(filled, headers=headers if who.endswith("_api") else {})
    assert response.status_code == 200, (filled, response.status_code)
    return len(statements)


def test_the_most_used_pages_do_not_query_per_row(client, make, login, token_for, world):
    """Every page of the benchmark at two sizes: the same number of queries."""
    grow(world, make, 2)
    admin_token = token_for(world["admin"])
    counts = {}
    for size in (2, 5):
        grow(world, make, size)
        for who, path in PAGES:
            client.delete_cookie("session")
            if who in ("researcher", "manager", "admin"):
                login(world[who])
            counts.setdefault((who, path), []).append(
                _queries(client, world, who, path, admin_token)
            )
    # Fewer at the second size is a cache the first visit filled, not growth.
    grown = {page: pair for page, pair in counts.items() if pair[1] > pair[0]}
    assert not grown, f"queries grew with the rows (at 2, at 5): {grown}"
