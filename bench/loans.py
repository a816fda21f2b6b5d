"""Loan benchmark: POST /api/v1/loans of 5 items (two owners) against 10,000 existing loans.

Usage:
    .venv/bin/python bench/loans.py                          # SQLite in a temporary folder
    .venv/bin/python bench/loans.py --database-url postgresql://postgres@127.0.0.1:5432/test

The history (closed loans of 2 days each, back to back in the past, 2,000 per instrument) is
inserted in bulk; the timed requests hold five day instruments together for 3 days each,
later and later, one after another, through the real API (locks, conflict checks, inserts).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from bench.common import commit_and_analyze, fresh_database, migrated_app, percentile
from sharing.auth.services import create_user, issue_api_token
from sharing.extensions import db
from sharing.instruments.services import create_instrument
from sharing.loans.models import Loan, LoanItem
from sharing.orgs.services import create_organisation
from sharing.util.formatting import local_today

ITEMS = 5


def _rates() -> list[dict]:
    return [
        {"category": c, "unit": "day", "price": Decimal(p)}
        for c, p in (("internal", "1500.00"), ("academic", "2000.00"), ("enterprise", "3000.00"))
    ]


def setup(history: int) -> tuple[list[int], str]:
    owners = [create_organisation(f"bench-owner-{n}", f"出借单位{n}", "institute") for n in (1, 2)]
    borrower_org = create_organisation("bench-borrower", "借用单位", "university")
    managers = [
        create_user(f"owner{n}@example.org", "主管", "bench-pass-1", "manager", org)
        for n, org in enumerate(owners)
    ]
    borrower = create_user(
        "borrower@example.org", "借用人", "bench-pass-1", "researcher", borrower_org
    )
    instruments = [
        create_instrument(
            managers[n % 2],
            {
                "name": f"基准 CTD {n}",
                "category": "ocean-observation",
                "booking_unit": "day",
                "rates": _rates(),
                "rules": {"horizon_days": 730, "turnaround_days": 1},
            },
        )
        for n in range(ITEMS)
    ]
    db.session.flush()
    first = local_today() - timedelta(days=3 * (history // ITEMS) + 10)
    loans, items = [], []
    for n in range(history):
        instrument = instruments[n % ITEMS]
        start = first + timedelta(days=3 * (n // ITEMS))
        loans.append(
            {"id": n + 1, "borrower_id": borrower.id, "organisation_id": borrower_org.id,
             "start_date": start, "end_date": start + timedelta(days=1), "status": "closed",
             "purpose": "", "site": "", "delivery": "pickup", "insurance_policy": "", "sequence": 1}
        )  # fmt: skip
        items.append(
            {"loan_id": n + 1, "instrument_id": instrument.id,
             "owner_org_id": instrument.organisation_id,
             "status": "closed", "start_date": start, "end_date": start + timedelta(days=1),
             "blocked_until": start + timedelta(days=3), "turnaround_days": 1,
             "with_operator": False,
             "category": "academic", "day_rate": Decimal("2000.00"), "mobilisation_fee": Decimal(0),
             "deposit": Decimal(0), "insurance_required": False, "deposit_status": "none",
             "deposit_reference": "", "tracking_number": "", "damage_amount": Decimal(0),
             "inspection_note": "", "decline_reason": "", "at_risk": False}
        )  # fmt: skip
    for chunk in range(0, history, 5000):
        db.session.execute(insert(Loan), loans[chunk : chunk + 5000])
        db.session.execute(insert(LoanItem), items[chunk : chunk + 5000])
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(db.text("SELECT setval('loans_id_seq', (SELECT max(id) FROM loans))"))
    token = issue_api_token(borrower)
    commit_and_analyze()
    return [i.id for i in instruments], token


def timed_requests(
    client, instrument_ids: list[int], token: str, count: int, offset: int = 0
) -> list[float]:
    headers = {"Authorization": f"Bearer {token}"}
    timings = []
    start = local_today() + timedelta(days=5 + 5 * offset)
    for n in range(count):
        first: date = start + timedelta(days=5 * n)
        body = {
            "items": [{"instrument_id": i} for i in instrument_ids],
            "start_date": first.isoformat(),
            "end_date": (first + timedelta(days=2)).isoformat(),
            "site": "青岛港",
        }
        began = time.perf_counter()
        response = client.post("/api/v1/loans", json=body, headers=headers)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 201, response.get_json()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    parser.add_argument("--history", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database_url, folder) as url:
        app = migrated_app(url)
        with app.app_context():
            began = time.perf_counter()
            instrument_ids, token = setup(args.history)
            seeded = time.perf_counter() - began
            client = app.test_client()
            timed_requests(client, instrument_ids, token, 3)  # warm-up
            timings = timed_requests(client, instrument_ids, token, args.requests, offset=3)
            backend = db.session.get_bind().dialect.name
        print(f"backend: {backend}; {args.history} existing loans seeded in {seeded:.1f} s")
        print(f"POST /api/v1/loans ({ITEMS} items, two owners), {args.requests} requests:")
        print(f"  median {statistics.median(timings):.1f} ms  p95 {percentile(timings, 95):.1f} ms"
              f"  max {max(timings):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
