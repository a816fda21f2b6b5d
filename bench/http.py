"""HTTP benchmark: the app under gunicorn against its own floor, in the same run.

Usage:
    .venv/bin/python bench/http.py                          # SQLite in a temporary folder
    .venv/bin/python bench/http.py --database-url postgresql://postgres@127.0.0.1:5432/test

gunicorn runs with the production configuration (`gunicorn.conf.py`, 2 workers by default) and
the app of wsgi.py plus one route, the floor (bench/floor_app.py): a bearer-token lookup and one
inserted row through the same request hooks. 20 always-open instruments hold 2,000 bookings.
Every request goes over keep-alive HTTP with a bearer token; each figure is measured one request
after another and with 8 clients at once, and printed with its ratio to the floor (its time per
request over the floor's, from throughput). The history runs repeat sequential creation when the
instrument, and the booking user, already hold 100,000 bookings (half past, half future).

Availability and the catalog API are measured three ways: built (each path made unique by a
parameter the API ignores, since answers are kept by ETag), the kept answer (the same path
again without a copy) and the repeat with If-None-Match (304).

Every figure is measured in `--rounds` rounds (3), each round beginning with its own floor; the
table shows the medians, and the median of each round's ratio to the floor of that round: on a
shared machine a single run of a few seconds drifts as much as the differences it measures.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The project's root in place of this folder, where bench/http.py would hide the standard `http`.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import http.client
import itertools
import json
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_migrate import upgrade
from sqlalchemy import text

from bench.common import (
    FLOOR_TABLE,
    booking_row,
    commit_and_analyze,
    fresh_database,
    insert_bookings,
    percentile,
)
from bench.servers import gunicorn
from sharing import create_app
from sharing.auth.services import create_user, issue_api_token
from sharing.extensions import db
from sharing.instruments.services import create_instrument
from sharing.orgs.services import create_organisation

HOUR = timedelta(hours=1)
INSTRUMENTS = 20
BOOKINGS_EACH = 100
CLIENTS = 8
# Quotas on, so that creation does the work a real instrument's rules ask for.
RULES = {"open_hours": [], "horizon_days": 730, "max_minutes": 24 * 60, "max_hours_per_week": 120}


# The setup's own app sweeps nothing: the history's past bookings are not no-shows to mark.
IN_PROCESS = {"SECRET_KEY": "bench", "NO_SHOW_SWEEP_SECONDS": 0}


@dataclass
class World:
    instruments: list[int]
    tokens: list[str]  # tokens[0] books sequentially; tokens[1:] are the concurrent clients


def _booking_rows(instrument_id: int, user_id: int, first: datetime, count: int) -> list[dict]:
    """`count` one-hour bookings two hours apart from `first`."""
    return [
        booking_row(instrument_id, user_id, first + 2 * n * HOUR, first + (2 * n + 1) * HOUR, first)
        for n in range(count)
    ]


def setup(url: str) -> World:
    """Migrate, then the lab, its users and instruments, their history and the floor's table."""
    app = create_app(IN_PROCESS | {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        lab = create_organisation("bench-lab", "基准实验室", "institute")
        users = [
            create_user(f"bench{n}@example.org", f"基准{n}", "bench-pass-1", "researcher", lab)
            for n in range(CLIENTS + 1)
        ]
        manager = create_user("bench-manager@example.org", "管理员", "bench-pass-1", "manager", lab)
        instruments = [
            create_instrument(
                manager,
                {"name": f"基准仪器 {n}", "category": "other", "rules": RULES},
            )
            for n in range(INSTRUMENTS)
        ]
        past = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - 400 * HOUR
        for number, instrument in enumerate(instruments):
            booker = users[number % len(users)]
            insert_bookings(_booking_rows(instrument.id, booker.id, past, BOOKINGS_EACH))
        tokens = [issue_api_token(user) for user in users]
        db.session.execute(
            text(f"CREATE TABLE {FLOOR_TABLE} (user_id INTEGER, created_at TIMESTAMP)")
        )
        commit_and_analyze()
        world = World([i.id for i in instruments], tokens)
        db.engine.dispose()
    return world


def add_history(url: str, world: World, count: int) -> None:
    """`count` more bookings of the sequential client on instrument 0, half past, half future."""
    app = create_app(IN_PROCESS | {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        user_id = db.session.scalar(text("SELECT id FROM users WHERE email = 'bench0@example.org'"))
        now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        half = count // 2
        first = now - (2 * half + 500) * HOUR
        insert_bookings(_booking_rows(world.instruments[0], user_id, first, half))
        # The future half lies beyond the weeks the timed requests touch, as a busy user's
        # standing bookings would.
        insert_bookings(_booking_rows(world.instruments[0], user_id, now + 400 * 24 * HOUR, half))
        commit_and_analyze()
        db.engine.dispose()


class Connection:
    """One keep-alive connection with a bearer token."""

    def __init__(self, port: int, token: str):
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.token = token

    def send(self, method: str, path: str, body: dict | None = None, headers=None):
        sent = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        payload = None
        if body is not None:
            sent["Content-Type"] = "application/json"
            payload = json.dumps(body)
        self.http.request(method, path, body=payload, headers=sent)
        response = self.http.getresponse()
        return response.status, response.getheader("ETag"), response.read()


@dataclass
class Figure:
    rate: float
    median: float
    p95: float


def measure(port: int, tokens: list[str], make_request, count: int, clients: int) -> Figure:
    """`count` requests spread over `clients` connections started together."""
    timings: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    failures: list[str] = []

    def client(number: int) -> None:
        connection = Connection(port, tokens[number])
        mine = []
        barrier.wait()
        for n in range(count // clients):
            method, path, body, headers, expected = make_request(number, n)
            began = time.perf_counter()
            status, _etag, answer = connection.send(method, path, body, headers)
            mine.append((time.perf_counter() - began) * 1000)
            if status != expected:
                failures.append(f"{method} {path}: {status} {answer[:300]!r}")
        with lock:
            timings.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"{len(failures)} unexpected answers, first: {failures[0]}")
    return Figure(len(timings) / elapsed, statistics.median(timings), percentile(timings, 95))


class Scenarios:
    """The measured requests; each booking run books hours no other run uses."""

    def __init__(self, world: World, port: int):
        self.world, self.port = world, port
        self.day0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + 2 * 24 * HOUR
        self.runs = 0
        self.fresh = itertools.count()

    def availability_path(self) -> str:
        start = self.day0.replace(hour=0)
        return (
            f"/api/v1/instruments/{self.world.instruments[1]}/availability"
            f"?from={start:%Y-%m-%dT%H:%M:%SZ}&to={start + 56 * 24 * HOUR:%Y-%m-%dT%H:%M:%SZ}"
        )

    @staticmethod
    def catalog_path() -> str:
        return "/api/v1/instruments?per_page=20"

    def floor(self, _client: int, _n: int):
        return "POST", "/api/v1/bench-floor", {}, None, 201

    def booking(self):
        """A creation request maker for one run: client c books instrument c, every 2 hours."""
        self.runs += 1
        first = self.day0 + self.runs * 21 * 24 * HOUR

        def make(client: int, n: int):
            start = first + 2 * n * HOUR
            body = {
                "instrument_id": self.world.instruments[client],
                "start": start.isoformat(),
                "end": (start + HOUR).isoformat(),
                "purpose": "bench",
            }
            return "POST", "/api/v1/bookings", body, None, 201

        return make

    def built(self, path: str):
        """Requests for `path`, each made unique by a parameter the API ignores, so that every
        answer is built: answers are kept by ETag, and the ETag covers the whole path."""

        def make(client: int, _n: int):
            return "GET", f"{path}&built={next(self.fresh)}", None, None, 200

        return make

    def kept(self, path: str):
        """Requests for `path` without a copy: after the first, the kept answer."""
        return lambda _client, _n: ("GET", path, None, None, 200)

    def repeat(self, path: str, tokens: list[str]):
        """Requests for `path` that send the ETag of the answer each client has (304 expected;
        availability marks the caller's own bookings, so each caller has its own ETag)."""
        etags = [Connection(self.port, token).send("GET", path)[1] for token in tokens]

        def make(client: int, _n: int):
            etag = etags[client]
            return "GET", path, None, {"If-None-Match": etag or "none"}, 304 if etag else 200

        return make

    def feed(self, _client: int, _n: int):
        return "GET", f"/calendar/instruments/{self.world.instruments[2]}.ics", None, None, 200


@dataclass
class Rounds:
    """One figure measured in several rounds, each beside a floor measured just before it."""

    figures: list[Figure]
    floors: list[Figure]

    def row(self, name: str) -> str:
        rate = statistics.median(f.rate for f in self.figures)
        median = statistics.median(f.median for f in self.figures)
        p95 = statistics.median(f.p95 for f in self.figures)
        # The ratio of each round to its own floor: the machine's drift between rounds cancels.
        ratio = statistics.median(
            floor.rate / figure.rate
            for figure, floor in zip(self.figures, self.floors, strict=True)
        )
        return f"{name:<34}{rate:>9.1f}{median:>10.1f}{p95:>9.1f}{ratio:>8.2f}"


def _scenarios(scenes: Scenarios, tokens: list[str]) -> dict:
    """Makers are made just before their run: a repeat must carry the current ETag."""
    return {
        "booking creation": scenes.booking,
        "availability, 8 weeks": lambda: scenes.built(scenes.availability_path()),
        "availability, kept answer": lambda: scenes.kept(scenes.availability_path()),
        "availability, repeat (ETag)": lambda: scenes.repeat(scenes.availability_path(), tokens),
        "catalog API, 20 items": lambda: scenes.built(scenes.catalog_path()),
        "catalog API, kept answer": lambda: scenes.kept(scenes.catalog_path()),
        "catalog API, repeat (ETag)": lambda: scenes.repeat(scenes.catalog_path(), tokens),
        "instrument feed, 100 events": lambda: scenes.feed,
    }


def run(url: str, workers: int, count: int, histories: list[int], rounds: int) -> None:
    world = setup(url)
    print(f"{'request':<34}{'req/s':>9}{'median':>10}{'p95 ms':>9}{'x floor':>8}")
    with gunicorn(url, workers=workers, wsgi_app="bench.floor_app:app") as server:
        scenes = Scenarios(world, server.port)
        sequential, concurrent = world.tokens[:1], world.tokens[1:]
        measure(server.port, sequential, scenes.floor, 20, 1)  # warm-up: every worker's first
        measure(server.port, concurrent, scenes.floor, 40, CLIENTS)
        measure(server.port, concurrent, scenes.booking(), 40, CLIENTS)
        for label, tokens, clients in (("1 client", sequential, 1), ("8 clients", concurrent, 8)):
            floors: list[Figure] = []
            measured = {name: Rounds([], floors) for name in _scenarios(scenes, tokens)}
            for _round in range(rounds):
                floor = measure(server.port, tokens, scenes.floor, count, clients)
                floors.append(floor)
                for name, maker in _scenarios(scenes, tokens).items():
                    measured[name].figures.append(
                        measure(server.port, tokens, maker(), count, clients)
                    )
            print(Rounds(floors, floors).row(f"floor, {label}"))
            for name, figures in measured.items():
                print(figures.row(f"{name}, {label}"))
    for history in histories:
        add_history(url, world, history)
        with gunicorn(url, workers=workers, wsgi_app="bench.floor_app:app") as server:
            scenes = Scenarios(world, server.port)
            scenes.runs = 2 + 2 * rounds  # past the days the first server's runs booked
            measure(server.port, world.tokens[:1], scenes.floor, 20, 1)
            creation = Rounds([], [])
            for _round in range(rounds):
                creation.floors.append(
                    measure(server.port, world.tokens[:1], scenes.floor, count, 1)
                )
                creation.figures.append(
                    measure(server.port, world.tokens[:1], scenes.booking(), count, 1)
                )
            print(creation.row(f"booking creation, +{history} bookings"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--history", type=int, nargs="*", default=[100_000])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every figure")
    parser.add_argument("--scratch-prefix", default="sharing_bench", help="scratch database name")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        fresh_database(args.database_url, folder, args.scratch_prefix) as url,
    ):
        backend = "postgresql" if args.database_url else "sqlite"
        print(
            f"backend: {backend}; gunicorn {args.workers} workers; {args.requests} per figure;"
            f" medians of {args.rounds} rounds"
        )
        run(url, args.workers, args.requests, args.history, args.rounds)


if __name__ == "__main__":
    main()
