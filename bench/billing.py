"""Billing benchmark: a month of 100,000 charges; statement page, CSV and XLSX export,
receivables of 100 customers, utilisation report.

Usage:
    .venv/bin/python bench/billing.py                          # SQLite in a temporary folder
    .venv/bin/python bench/billing.py --database-url postgresql://postgres@127.0.0.1:5432/test

Peak memory is measured with tracemalloc (Python allocations) around each operation. The CSV
export is run at two sizes: its peak must not grow with the number of lines.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

# The project's root in place of this folder, where bench/http.py would hide the standard `http`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from sqlalchemy import insert, select, text

from bench.common import booking_row, fresh_database, insert_bookings
from sharing import create_app
from sharing.auth.models import User
from sharing.auth.services import create_user
from sharing.billing import reports, services
from sharing.billing.export import COLUMNS, statement_csv, statement_table
from sharing.billing.models import Charge
from sharing.billing.services import receivables
from sharing.extensions import db
from sharing.instruments.services import create_instrument
from sharing.orgs.models import Organisation
from sharing.orgs.services import create_organisation
from sharing.util.spreadsheet import xlsx_bytes
from sharing.util.timeutil import Interval

MONTH = "2026-10"
CUSTOMERS = 100  # customer organisations of the provider, for its receivables


def seed(lines: int, customer_slug: str, name: str = "基准企业") -> Organisation:
    owner = db.session.scalar(select(Organisation).where(Organisation.slug == "bench-owner"))
    if owner is None:
        owner = create_organisation("bench-owner", "基准实验室", "institute")
        manager = create_user("bench-owner@example.org", "管理员", "bench-pass-1", "manager", owner)
        create_instrument(
            manager,
            {"name": "基准质谱仪", "category": "mass-spectrometry", "rules": {"open_hours": []}},
        )
        create_user("bench-admin@example.org", "管理员", "bench-pass-1", "admin", owner)
    customer = create_organisation(customer_slug, name, "enterprise")
    instrument_id = db.session.scalar(text("SELECT id FROM instruments LIMIT 1"))
    rows = [
        {
            "kind": "usage",
            "instrument_id": instrument_id,
            "customer_org_id": customer.id,
            "owner_org_id": owner.id,
            "category": "enterprise",
            "unit": "hour",
            "quantity": Decimal("1.5"),
            "unit_price": Decimal("675.00"),
            "amount": Decimal("1012.50"),
            "description": "基准质谱仪 ICP-MS",
            "service_date": date(2026, 10, 1 + n % 31),
            "month": MONTH,
            "created_at": datetime(2026, 10, 1, tzinfo=UTC),
        }
        for n in range(lines)
    ]
    for chunk in range(0, lines, 10_000):
        db.session.execute(insert(Charge), rows[chunk : chunk + 10_000])
    db.session.commit()
    return customer


def bookings_for_report(count: int) -> None:
    """Completed sessions across October, for the utilisation report."""
    instrument_id = db.session.scalar(text("SELECT id FROM instruments LIMIT 1"))
    user_id = db.session.scalar(text("SELECT id FROM users LIMIT 1"))
    first = datetime(2026, 10, 1, tzinfo=UTC)
    rows = []
    for n in range(count):
        start = first + timedelta(minutes=20 * n)
        end = start + timedelta(minutes=15)
        rows.append(
            booking_row(
                instrument_id,
                user_id,
                start,
                end,
                first,
                "completed",
                used_start=start,
                used_end=end,
            )
        )
    insert_bookings(rows)
    db.session.commit()


def measure(action):
    tracemalloc.start()
    began = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - began
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak / 1e6


def export(organisation) -> int:
    size = 0
    for chunk in statement_csv(organisation.id, MONTH):
        size += len(chunk.encode("utf-8"))
    return size


def workbook(organisation) -> int:
    return len(xlsx_bytes(COLUMNS, statement_table(organisation.id, MONTH), MONTH))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database_url, folder) as url:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "NO_SHOW_SWEEP_SECONDS": 0}
        )
        with app.app_context():
            upgrade()
            small = seed(args.lines // 10, "bench-small")
            large = seed(args.lines, "bench-large")
            for number in range(CUSTOMERS - 2):
                seed(args.lines // (CUSTOMERS - 2), f"bench-c{number}", f"基准客户{number}")
            bookings_for_report(2000)
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            admin = db.session.scalar(text("SELECT id FROM users WHERE role = 'admin'"))
            actor = db.session.get(User, admin)
            print(f"backend: {db.engine.dialect.name}; month {MONTH}")
            statement, seconds, peak = measure(lambda: services.get_statement(actor, large, MONTH))
            lines, shown = statement.line_count, len(statement.lines)
            print(
                f"statement of {lines:>7} lines (page 1: {shown} lines, subtotals, total)"
                f"  {seconds:7.3f} s   peak {peak:7.1f} MB   total {statement.total}"
            )
            db.session.expire_all()
            last_page = -(-lines // 100)
            statement, seconds, peak = measure(
                lambda: services.get_statement(actor, large, MONTH, page=last_page)
            )
            print(
                f"statement of {lines:>7} lines (last page {last_page})"
                f"  {seconds:7.3f} s   peak {peak:7.1f} MB"
            )
            for organisation, lines in ((small, args.lines // 10), (large, args.lines)):
                db.session.expire_all()
                size, seconds, peak = measure(lambda org=organisation: export(org))
                mb = size / 1e6
                label = f"CSV export of {lines:>7} lines"
                print(f"{label}  {seconds:7.2f} s   peak {peak:7.1f} MB   {mb:.1f}")
            db.session.expire_all()
            size, seconds, peak = measure(lambda: workbook(large))
            print(
                f"XLSX export of {args.lines:>7} lines  {seconds:7.2f} s   peak {peak:7.1f} MB"
                f"   {size / 1e6:.1f} MB"
            )
            owner = db.session.scalar(
                select(Organisation).where(Organisation.slug == "bench-owner")
            )
            db.session.expire_all()
            items, seconds, peak = measure(lambda: receivables.list_receivables(owner, MONTH))
            print(
                f"receivables, {len(items)} customers, {sum(i.lines for i in items)} lines"
                f"  {seconds:7.3f} s   peak {peak:7.1f} MB"
            )
            window = Interval(datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
            rows, seconds, peak = measure(lambda: reports.utilisation(window))
            share = rows[0]["utilisation"]
            print(f"utilisation, 2000 sessions  {seconds:7.2f} s   peak {peak:7.1f} MB   {share}")
            db.engine.dispose()


if __name__ == "__main__":
    main()
