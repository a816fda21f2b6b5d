"""Catalog benchmark: seed 5,000 instruments, then time the search page and the API list.

Usage:
    .venv/bin/python bench/catalog.py                          # SQLite in a temporary folder
    .venv/bin/python bench/catalog.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Requests go through Flask's test client (in-process, no network): the figures are the
application's and the database's own cost per request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

# The project's root in place of this folder, where bench/http.py would hide the standard `http`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import fresh_database, migrated_app, percentile
from sharing.auth.services import create_user
from sharing.demo.data import INSTRUMENTS
from sharing.extensions import db
from sharing.instruments.models import Category, Instrument, OpenHours, Rate
from sharing.orgs.services import create_organisation

# Chinese words and synonyms, English words and phrases, abbreviations, then filters.
QUERIES = [
    "",
    "q=质谱",
    "q=电镜",
    "q=液质",
    "q=electron",
    "q=mass%20spectrometry",
    "q=XRD",
    "q=ROV",
    "q=SEM",
    "category=mass-spectrometry",
    "q=分辨率&max_price=500",
    "q=质谱&sort=price",
]


def seed(count: int) -> None:
    """Insert `count` instruments modelled on the demo catalog, in bulk."""
    categories = {c.slug: c.id for c in db.session.scalars(db.select(Category))}
    orgs = [
        create_organisation(f"bench-{n}", f"基准单位{n}", "institute", f"Bench {n}")
        for n in range(20)
    ]
    create_user("bench@example.org", "基准", "bench-pass-1", "researcher", orgs[0])
    db.session.flush()
    for number in range(count):
        row = INSTRUMENTS[number % len(INSTRUMENTS)]
        instrument = Instrument(
            organisation_id=orgs[number % len(orgs)].id,
            category_id=categories[row[1]],
            name=f"{row[2]} {number}",
            name_en=f"{row[3]} {number}",
            model=row[4],
            manufacturer=row[5],
            original_value=Decimal(row[6]),
            specifications=row[9],
            open_hours=[OpenHours(weekday=d, start_minute=480, end_minute=1200) for d in range(5)],
            rates=[
                Rate(category=category, unit="hour", price=Decimal(row[10]) * factor)
                for category, factor in (
                    ("internal", Decimal("0.6")),
                    ("academic", 1),
                    ("enterprise", Decimal("1.5")),
                )
            ],
        )
        db.session.add(instrument)
        if number % 500 == 499:
            db.session.flush()
    db.session.commit()
    # Planner statistics and the visibility map, as autovacuum would leave them after such a load.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM")
        connection.exec_driver_sql("ANALYZE")


def measure(client, url: str, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    parser.add_argument("--instruments", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=40, help="requests per query")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database_url, folder) as url:
        app = migrated_app(url)
        with app.app_context():
            started = time.perf_counter()
            seed(args.instruments)
            print(
                f"backend: {db.engine.dialect.name}; seeded {args.instruments} instruments "
                f"in {time.perf_counter() - started:.1f} s"
            )
            db.engine.dispose()
        client = app.test_client()
        print(f"{'request':<66} {'median ms':>10} {'p95 ms':>8}")
        for kind, prefix in (
            ("page", "/instruments?"),
            ("api", "/api/v1/instruments?per_page=20&"),
        ):
            for query in QUERIES:
                url = prefix + query
                measure(client, url, 3)  # warm-up
                timings = measure(client, url, args.rounds)
                print(
                    f"{kind + ' ' + url:<55} {statistics.median(timings):>10.1f} "
                    f"{percentile(timings, 95):>8.1f}"
                )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
