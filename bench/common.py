"""Helpers shared by the benchmark scripts: scratch databases and percentiles."""

from __future__ import annotations

import math
import uuid
from contextlib import contextmanager

import psycopg

# The table of bench/floor_app.py's one inserted row; here, so that bench/http.py can make it
# without importing the app (which would start its background jobs in the benchmark's process).
FLOOR_TABLE = "bench_floor"


def percentile(values: list[float], pct: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@contextmanager
def fresh_database(admin_url: str | None, folder: str):
    """A scratch database: SQLite in `folder`, or a new PostgreSQL database dropped afterwards."""
    if not admin_url:
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    name = f"sharing_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrated_app(url: str):
    """The app on `url` with the schema its migrations build, no rate limits and no background
    sweep (they would count or run beside what is measured)."""
    from flask_migrate import upgrade

    from sharing import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "NO_SHOW_SWEEP_SECONDS": 0,
        }
    )
    with app.app_context():
        upgrade()
    return app
