"""`/metrics` for Prometheus: requests by endpoint and status, and what the database knows.

Requests are counted in the process that served them with prometheus-client; under gunicorn
(PROMETHEUS_MULTIPROC_DIR set, see gunicorn.conf.py) every worker writes its own files and a
scrape adds them all up, whichever worker answers it. What the database knows (the outbox's
depth and age, job runs by outcome, records created) is read from it at the scrape, so every
server, web or worker, reports the same figures. Features name the tables counted
(`register_counted`), so this plumbing knows none of them.
"""

from __future__ import annotations

import hmac
import os
import time

from flask import Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select, table
from sqlalchemy.exc import DBAPIError

from sharing.extensions import db

COUNTED_KEY = "metrics_counted_tables"

REQUESTS = Counter(
    "sharing_http_requests",
    "HTTP requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "sharing_http_request_duration_seconds",
    "Time to answer a request, by endpoint, method and status.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def register_counted(app: Flask, name: str, documentation: str, table_name: str) -> None:
    """Report `<name>_total` as the number of rows of `table_name` (records are never deleted,
    so the count only rises: a counter)."""
    app.extensions.setdefault(COUNTED_KEY, []).append((name, documentation, table_name))


class DatabaseCollector:
    """The figures kept in the database, read at each scrape."""

    def __init__(self, counted: list[tuple[str, str, str]]):
        self.counted = counted

    def collect(self):
        from sharing.core.jobs import run_totals
        from sharing.core.outbox import counts, oldest_pending

        up = GaugeMetricFamily("sharing_database_up", "1 when the database answered the scrape.")
        try:
            by_status = counts()
            oldest = oldest_pending()
            totals = run_totals()
            rows = {
                name: db.session.scalar(select(func.count()).select_from(table(table_name)))
                for name, _doc, table_name in self.counted
            }
            db.session.rollback()
        except DBAPIError:
            db.session.rollback()
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        pending = GaugeMetricFamily("sharing_outbox_pending", "Mails waiting to be delivered.")
        pending.add_metric([], by_status["pending"])
        yield pending
        failed = GaugeMetricFamily("sharing_outbox_failed", "Mails given up, awaiting a retry.")
        failed.add_metric([], by_status["failed"])
        yield failed
        age = GaugeMetricFamily(
            "sharing_outbox_oldest_pending_seconds", "How long the oldest pending mail waited."
        )
        age.add_metric([], oldest)
        yield age
        runs = CounterMetricFamily(
            "sharing_jobs_runs",
            "Background job runs, by job and outcome.",
            labels=["job", "outcome"],
        )
        for total in totals:
            runs.add_metric([total.job, total.outcome], total.runs)
        yield runs
        for name, documentation, _table in self.counted:
            family = CounterMetricFamily(name, documentation)
            family.add_metric([], rows[name] or 0)
            yield family


def _process_figures() -> bytes:
    """This process's request figures, or every gunicorn worker's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def metrics_answer() -> Response:
    expected = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if (
        not expected
        or scheme.lower() != "bearer"
        or not hmac.compare_digest(token.strip().encode(), expected.encode())
    ):
        return Response(
            "metrics need the bearer token\n",
            status=401,
            mimetype="text/plain",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(current_app.extensions.get(COUNTED_KEY, [])))
    body = _process_figures() + generate_latest(registry)
    response = Response(body, mimetype=CONTENT_TYPE_LATEST)
    response.cache_control.no_store = True
    return response


def install_metrics(app: Flask) -> None:
    """Time every request and serve /metrics (outside /api/v1)."""

    @app.before_request
    def _start_clock() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        started = g.pop("metrics_started", None)
        if started is not None:
            endpoint = request.endpoint or "unmatched"
            labels = (endpoint, request.method, str(response.status_code))
            REQUESTS.labels(*labels).inc()
            LATENCY.labels(*labels).observe(time.perf_counter() - started)
        return response

    app.add_url_rule("/metrics", "metrics", metrics_answer, methods=["GET"])
