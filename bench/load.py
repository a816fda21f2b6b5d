"""Load benchmark: a mix of real traffic against gunicorn on PostgreSQL, for a fixed time.

Usage:
    .venv/bin/python bench/load.py --database-url postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/load.py --database-url ... --servers 2     # two app servers, one DB

A fresh database is migrated and seeded with the demo data by the CLI, then `--servers` gunicorn
servers (`--workers` each, as docs/deploy.md runs them) are started. `--clients` threads, each
signed in as a demo user, send a weighted mix for `--duration` seconds: catalog page and API,
instrument page, availability, bookings, the instrument and personal iCal feeds, the challenge
board page and API. Bookings go to a few always-open instruments at random half-hours, so
clients collide: 409 is an expected answer. Printed per endpoint: requests, requests per second,
median and p95 latency, errors (any 5xx, failed connection or unexpected status: must be 0).
Then the database is checked: double bookings (overlapping active bookings: must be 0) and lost
bookings (acknowledged with 201 but not stored: must be 0).
"""

from __future__ import annotations

import sys
from pathlib import Path

# The project's root in place of this folder, where bench/http.py would hide the standard `http`
# (imported below, so this comes first).
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlsplit

import psycopg

from bench.common import fresh_database, percentile
from bench.servers import gunicorn, prepare_database
from sharing.demo.data import BOOKER_EMAILS, DEMO_PASSWORD

PASSWORD = DEMO_PASSWORD
USERS = BOOKER_EMAILS
BOOKABLE_INSTRUMENTS = 4
DAYS_AHEAD = 30


@dataclass
class Report:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    booked_ids: list[int] = field(default_factory=list)
    duration: float = 0.0
    double_bookings: int = 0
    lost_bookings: int = 0

    @property
    def total_errors(self) -> int:
        return sum(self.errors.values())

    @property
    def total_requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    def lines(self) -> list[str]:
        header = f"{'endpoint':<26}{'requests':>9}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}"
        rows = [header + f"{'errors':>8}"]
        for name in sorted(self.latencies):
            values = self.latencies[name]
            rows.append(
                f"{name:<26}{len(values):>9}{len(values) / self.duration:>8.1f}"
                f"{statistics.median(values):>11.1f}{percentile(values, 95):>9.1f}"
                f"{self.errors.get(name, 0):>8}"
            )
        every = [v for values in self.latencies.values() for v in values]
        rows.append(
            f"{'all':<26}{len(every):>9}{len(every) / self.duration:>8.1f}"
            f"{statistics.median(every):>11.1f}{percentile(every, 95):>9.1f}{self.total_errors:>8}"
        )
        rows.append(
            f"bookings acknowledged {len(self.booked_ids)}, double bookings {self.double_bookings},"
            f" lost bookings {self.lost_bookings}"
        )
        return rows


class Client:
    """One keep-alive connection per app server; answers are (status, body)."""

    def __init__(self, base_urls: list[str]):
        self.connections = [
            http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=60)
            for url in base_urls
        ]
        self.turn = 0
        self.token: str | None = None

    def request(self, method: str, path: str, body=None) -> tuple[int, bytes]:
        self.turn = (self.turn + 1) % len(self.connections)
        connection = self.connections[self.turn]
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = None if body is None else json.dumps(body)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            return 0, str(exc).encode()


def setup(base_urls: list[str]) -> dict:
    """Bookable instruments (by the admin), tokens and feed paths of the demo users."""
    admin = Client(base_urls)
    status, body = admin.request(
        "POST", "/api/v1/auth/tokens", {"email": "admin@bluevalley.example", "password": PASSWORD}
    )
    assert status == 201, body
    admin.token = json.loads(body)["token"]
    bookable = []
    for number in range(BOOKABLE_INSTRUMENTS):
        status, body = admin.request(
            "POST",
            "/api/v1/instruments",
            {
                "name": f"负载测试仪 {number}",
                "category": "other",
                "organisation": "qnlm",
                "requires_approval": False,
                "rules": {"open_hours": [], "notice_hours": 0, "horizon_days": 365},
            },
        )
        assert status == 201, body
        bookable.append(json.loads(body)["id"])
    status, body = admin.request("GET", "/api/v1/instruments?per_page=100")
    catalog = [item["id"] for item in json.loads(body)["items"]]
    people = []
    for email in USERS:
        status, body = admin.request(
            "POST", "/api/v1/auth/tokens", {"email": email, "password": PASSWORD}
        )
        assert status == 201, body
        user_token = json.loads(body)["token"]
        me = Client(base_urls)
        me.token = user_token
        feed = json.loads(me.request("GET", "/api/v1/me")[1])["calendar_feed_url"]
        people.append((user_token, urlsplit(feed).path))
    return {"bookable": bookable, "catalog": catalog, "people": people}


def traffic(world: dict, rng: random.Random):
    """Endpoints with weights: (name, weight, make(request) -> (method, path, body, ok codes))."""
    day0 = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)

    def any_instrument():
        return rng.choice(world["catalog"])

    def booking():
        start = day0 + timedelta(minutes=30 * rng.randrange(DAYS_AHEAD * 48))
        body = {
            "instrument_id": rng.choice(world["bookable"]),
            "start": start.isoformat(),
            "end": (start + timedelta(minutes=30 * rng.randint(1, 4))).isoformat(),
            "purpose": "load",
        }
        return "POST", "/api/v1/bookings", body, {201, 409}

    words = ["质谱", "显微镜", "spectrometer", "海洋", "色谱", ""]
    return [
        (
            "page: catalog",
            14,
            lambda: ("GET", f"/instruments?q={quote(rng.choice(words))}", None, {200}),
        ),
        ("api: instruments", 8, lambda: ("GET", "/api/v1/instruments?per_page=20", None, {200})),
        ("page: instrument", 10, lambda: ("GET", f"/instruments/{any_instrument()}", None, {200})),
        (
            "api: availability",
            14,
            lambda: (
                "GET",
                f"/api/v1/instruments/{any_instrument()}/availability"
                f"?from={day0:%Y-%m-%dT%H:%M:%SZ}&to={day0 + timedelta(days=7):%Y-%m-%dT%H:%M:%SZ}",
                None,
                {200},
            ),
        ),
        ("api: book", 16, booking),
        (
            "feed: instrument",
            10,
            lambda: (
                "GET",
                f"/calendar/instruments/{rng.choice(world['bookable'])}.ics",
                None,
                {200},
            ),
        ),
        ("feed: personal", 8, None),  # filled per client: its own feed path
        ("page: board", 10, lambda: ("GET", "/challenges", None, {200})),
        ("api: challenges", 10, lambda: ("GET", "/api/v1/challenges", None, {200})),
    ]


def send_one(client: Client, name: str, request: tuple, report: Report, lock) -> None:
    """Send one request and record its latency, its error or the booking it made."""
    method, path, body, ok = request
    started = time.perf_counter()
    status, answer = client.request(method, path, body)
    elapsed = (time.perf_counter() - started) * 1000
    with lock:
        report.latencies[name].append(elapsed)
        if status not in ok:
            report.errors[name] += 1
            if len(report.error_samples) < 10:
                report.error_samples.append(f"{name} {path}: {status} {answer[:200]!r}")
        elif name == "api: book" and status == 201:
            report.booked_ids.append(json.loads(answer)["id"])


def kinds_to_send(names: list[str], weights: list[int], rng: random.Random, first: int):
    """Every kind once, starting at `first`, then kinds drawn by weight: a short run by several
    clients, each starting at its own kind, sends every kind within its first requests."""
    start = first % len(names)
    yield from names[start:] + names[:start]
    while True:
        yield rng.choices(names, weights)[0]


def run_load(
    database_url: str, duration: float, clients: int, servers: int, workers: int, seed: int = 7
) -> Report:
    """Run one scenario against a prepared database; the report includes the database checks."""
    report = Report()
    lock = threading.Lock()
    with ExitStack() as stack:
        running = [
            stack.enter_context(gunicorn(database_url, workers=workers)) for _ in range(servers)
        ]
        base_urls = [server.url for server in running]
        world = setup(base_urls)
        stop = threading.Event()

        def client_loop(number: int) -> None:
            try:
                send_traffic(number)
            except Exception as exc:  # noqa: BLE001 - a broken client must fail the run loudly
                with lock:
                    report.errors["client crashed"] += 1
                    report.error_samples.append(f"client {number}: {exc!r}")

        def send_traffic(number: int) -> None:
            rng = random.Random(seed * 1000 + number)
            client = Client(base_urls[number % servers :] + base_urls[: number % servers])
            client.token, feed_path = world["people"][number % len(world["people"])]
            endpoints = traffic(world, rng)
            names = [name for name, _w, _m in endpoints]
            weights = [weight for _n, weight, _m in endpoints]
            makers = {name: make for name, _w, make in endpoints}
            makers["feed: personal"] = lambda: ("GET", feed_path, None, {200})
            for name in kinds_to_send(names, weights, rng, first=number):
                if stop.is_set():
                    break
                send_one(client, name, makers[name](), report, lock)

        threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        time.sleep(duration)
        stop.set()
        for thread in threads:
            thread.join()
        report.duration = time.perf_counter() - started
    check_database(database_url, report)
    return report


def check_database(database_url: str, report: Report) -> None:
    """Overlapping active bookings on one instrument, and acknowledged bookings not stored."""
    with psycopg.connect(database_url) as connection:
        report.double_bookings = connection.execute(
            "SELECT count(*) FROM bookings a JOIN bookings b ON a.instrument_id = b.instrument_id"
            " AND a.id < b.id AND a.start < b.blocked_until AND b.start < a.blocked_until"
            " WHERE a.status IN ('pending', 'approved') AND b.status IN ('pending', 'approved')"
        ).fetchone()[0]
        stored = connection.execute(
            "SELECT count(*) FROM bookings WHERE id = ANY(%s)", (report.booked_ids,)
        ).fetchone()[0]
        report.lost_bookings = len(set(report.booked_ids)) - stored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL admin URL")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    with fresh_database(args.database_url, "") as url:
        prepare_database(url)
        report = run_load(url, args.duration, args.clients, args.servers, args.workers)
    print(
        f"{args.servers} server(s) x {args.workers} gunicorn workers, {args.clients} clients,"
        f" {report.duration:.0f} s on PostgreSQL"
    )
    print("\n".join(report.lines()))
    for sample in report.error_samples:
        print("error:", sample)
    failed = report.total_errors or report.double_bookings or report.lost_bookings
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
