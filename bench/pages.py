"""Page benchmark: p50/p95 over HTTP of the pages and API calls people use most.

Usage (a database already migrated and seeded, e.g. by `flask seed-demo --scale 10`):
    .venv/bin/python bench/pages.py --database-url postgresql://postgres@127.0.0.1:5432/scale_10x

gunicorn serves the app of wsgi.py with the production configuration and four workers
(`--workers`); every request goes over keep-alive HTTP, signed in as the person who would ask:
the web pages with a session cookie, the API with a bearer token. Each page is asked `--warm`
times, then `--runs` times timed, one request after another. The subjects are the heaviest the
data holds: the instrument with most bookings, the booker with most bookings, the organisation
with most charges in the last month, the manager of the organisation that lends most, so that
the figures grow with the history if anything does.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import http.client
import json
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import psycopg

from bench.common import percentile
from bench.servers import gunicorn

PASSWORD = "BlueValley2026"
ADMIN = "admin@bluevalley.example"
MANAGER = "manager@qnlm.example"
RESEARCHER = "researcher@sdu.example"
ZONE = ZoneInfo("Asia/Shanghai")
BUDGET_MS = 30_000  # the time spent timing one page, beyond three runs


class Client:
    """One keep-alive connection with its cookies or bearer token."""

    def __init__(self, port: int, token: str | None = None):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.token = token

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed a connection left idle since this client's last page.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data


def signed_in(port: int, email: str, lang: str = "zh") -> Client:
    client = Client(port)
    client.cookies["lang"] = lang
    _status, page = client.request("GET", "/login")
    csrf = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rb'name="csrf_token" value="([^"]+)"', page
    )
    form = {"email": email, "password": PASSWORD, "csrf_token": csrf.group(1).decode()}
    status, _ = client.request(
        "POST",
        "/login",
        urlencode(form).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    if status != 302:
        raise RuntimeError(f"signing in as {email} answered {status}")
    return client


def with_token(port: int, email: str) -> Client:
    client = Client(port)
    body = json.dumps({"email": email, "password": PASSWORD}).encode()
    status, data = client.request(
        "POST", "/api/v1/auth/tokens", body, {"Content-Type": "application/json"}
    )
    if status != 201:
        raise RuntimeError(f"token for {email}: {status} {data[:200]!r}")
    client.token = json.loads(data)["token"]
    return client


def subjects(database_url: str) -> dict:
    """The heaviest instrument, booker, organisation and a need, from the data itself."""
    month = (datetime.now(ZONE).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    with psycopg.connect(database_url) as connection:

        def one(sql: str, *args):
            return connection.execute(sql, args).fetchone()

        instrument = one(
            "SELECT instrument_id FROM bookings GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1"
        )[0]
        booker = one(
            "SELECT u.email FROM bookings b JOIN users u ON u.id = b.user_id"
            " WHERE u.role IN ('researcher', 'enterprise')"
            " GROUP BY u.email ORDER BY COUNT(*) DESC LIMIT 1"
        )[0]
        organisation = one(
            "SELECT o.slug FROM charges c JOIN organisations o ON o.id = c.customer_org_id"
            " WHERE c.month = %s GROUP BY o.slug ORDER BY COUNT(*) DESC LIMIT 1",
            month,
        )
        owner = one(
            "SELECT o.slug FROM charges c JOIN organisations o ON o.id = c.owner_org_id"
            " WHERE c.month = %s GROUP BY o.slug ORDER BY COUNT(*) DESC LIMIT 1",
            month,
        )
        need = one("SELECT id FROM needs WHERE status = 'collected' ORDER BY id DESC LIMIT 1")[0]
        # The manager of the organisation that lends most (its loans page lists the most).
        lender = one(
            "SELECT u.email FROM loan_items i JOIN users u ON u.organisation_id = i.owner_org_id"
            " WHERE u.role = 'manager' GROUP BY u.email ORDER BY COUNT(*) DESC, u.email LIMIT 1"
        )
        sizes = {
            table: one(f"SELECT COUNT(*) FROM {table}")[0]
            for table in (
                "instruments",
                "users",
                "bookings",
                "orders",
                "needs",
                "charges",
                "loans",
                "cruises",
            )
        }
    return {
        "instrument": instrument,
        "booker": booker,
        "organisation": organisation[0] if organisation else "sdu-qd",
        "owner": owner[0] if owner else "qnlm",
        "month": month,
        "need": need,
        "lender": lender[0] if lender else MANAGER,
        "sizes": sizes,
    }


def pages(subject: dict) -> list[tuple[str, str, str]]:
    """(who, label, path): who is a key of the clients made in `run`."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    weeks = urlencode({"from": now.isoformat(), "to": (now + timedelta(weeks=8)).isoformat()})
    today = datetime.now(ZONE).date()
    year = urlencode({"from": (today - timedelta(days=365)).isoformat(), "to": today.isoformat()})
    instrument, month = subject["instrument"], subject["month"]
    receivables = f"/api/v1/receivables?month={month}&organisation={subject['owner']}"
    large = f"/api/v1/reports/large-instruments?year={today.year - 1}"
    availability = f"/api/v1/instruments/{instrument}/availability?{weeks}"
    return [
        ("anonymous", "home", "/"),
        ("anonymous", "catalog", "/instruments"),
        ("anonymous", "catalog search zh", "/instruments?q=" + quote("质谱")),
        ("english", "catalog search en", "/instruments?q=electron"),
        ("booker", "instrument page", f"/instruments/{instrument}"),
        ("booker_api", "availability 8 weeks", availability),
        ("booker", "my bookings", "/my/bookings"),
        ("booker", "notifications", "/notifications"),
        ("manager", "approvals queue", "/manage/queue"),
        ("admin", "statement large org", f"/statements/{subject['organisation']}/{month}"),
        ("admin", "month's statements", f"/statements?month={month}"),
        ("admin_api", "receivables", receivables),
        ("admin_api", "utilisation year", f"/api/v1/reports/utilisation?{year}"),
        ("admin", "reports page", "/reports"),
        ("admin_api", "large-instrument report", large),
        ("admin", "impact", "/impact"),
        ("admin", "challenge statistics", "/challenges/statistics"),
        ("admin", "need with suggestions", f"/needs/{subject['need']}"),
        ("lender", "loans", "/loans"),
        ("anonymous", "cruise schedule", "/cruises"),
    ]  # fmt: skip


def run(
    database_url: str, workers: int, warm_runs: int, runs: int, port: int | None, only: list
) -> None:
    subject = subjects(database_url)
    print(f"data: {subject['sizes']}")
    with gunicorn(database_url, workers=workers, log_dir=None, port=port) as server:
        port = server.port
        clients = {
            "anonymous": Client(port),
            "english": Client(port),
            "booker": signed_in(port, subject["booker"]),
            "booker_api": with_token(port, subject["booker"]),
            "manager": signed_in(port, MANAGER),
            "lender": signed_in(port, subject["lender"]),
            "admin": signed_in(port, ADMIN),
            "admin_api": with_token(port, ADMIN),
        }
        clients["english"].cookies["lang"] = "en"
        print(f"{'page':<26}{'status':>7}{'runs':>5}{'p50 ms':>9}{'p95 ms':>9}  path")
        for who, label, path in pages(subject):
            if only and not any(word in label for word in only):
                continue
            client, times, warm = clients[who], [], warm_runs
            for number in range(warm + runs):
                # A unique parameter defeats the kept answers (ETag caches) of the API.
                asked = path + (("&" if "?" in path else "?") + f"n={number}")
                started = time.perf_counter()
                status, _ = client.request("GET", asked)
                if number >= warm:
                    times.append((time.perf_counter() - started) * 1000)
                    # A page of seconds is measured well enough by a few runs.
                    if len(times) >= 3 and sum(times) > BUDGET_MS:
                        break
                elif (time.perf_counter() - started) * 1000 > BUDGET_MS / 10:
                    warm = number + 1  # a slow page needs no more warming
            print(
                f"{label:<26}{status:>7}{len(times):>5}{percentile(times, 50):>9.1f}"
                f"{percentile(times, 95):>9.1f}  {path[:70]}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--only", nargs="*", default=[], help="pages whose label holds a word")
    args = parser.parse_args()
    run(args.database_url, args.workers, args.warm, args.runs, args.port, args.only)


if __name__ == "__main__":
    main()
