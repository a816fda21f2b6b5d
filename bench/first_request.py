"""First requests after a start: what the first person after a deploy or a restart waits.

Usage:
    .venv/bin/python bench/first_request.py                 # a seeded demo on SQLite
    .venv/bin/python bench/first_request.py --database-url postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/first_request.py --seeded sqlite:////tmp/demo.db   # already seeded

The demo is migrated and seeded by the CLI into a scratch database (SQLite in a temporary
folder, or a new PostgreSQL database beside `--database-url`), then gunicorn serves it as
docs/deploy.md says (`--workers`, port `--port`, 5500 by default). Once /healthz answers 200,
each of these is timed once, in this order, each on a new connection (so on whichever worker
takes it): the catalog searched in Chinese, then in English; a company's need saved over the API
(`POST /api/v1/needs`) and read back with its suggestions (`GET /api/v1/needs/<id>`), then its
page. Then the same requests warm: the median of `--runs`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse
import json
import statistics
import tempfile
import time
from urllib.parse import quote

from bench.common import fresh_database
from bench.pages import Client, signed_in, with_token
from bench.servers import gunicorn, prepare_database

COMPANY = "enterprise@marine-eq.example"
SEARCHES = [("search, Chinese", "zh", "电镜"), ("search, English", "en", "electron microscope")]
NEED = {
    "title": "深海耐压密封件的低温环境试验",
    "description": "企业已有样机，需要院所协助开展深海压力舱试验和低温密封性能测试。",
    "field": "marine-equipment",
}


def _timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def _search(port: int, lang: str, words: str, number: int = 0) -> int:
    client = Client(port)
    client.cookies["lang"] = lang
    status, _ = client.request("GET", f"/instruments?q={quote(words)}&n={number}")
    return status


def measure(port: int, runs: int) -> list[tuple[str, float, float]]:
    """(label, first ms, warm median ms) of each request."""
    firsts: dict[str, float] = {}
    for label, lang, words in SEARCHES:
        firsts[label], status = _timed(lambda lang=lang, words=words: _search(port, lang, words))
        if status != 200:
            raise RuntimeError(f"{label} answered {status}")
    # Signing in is not timed: a person signs in before writing a need.
    company = with_token(port, COMPANY)
    page = signed_in(port, COMPANY)
    firsts["need saved (API)"], saved = _timed(
        lambda: company.request(
            "POST",
            "/api/v1/needs",
            json.dumps(dict(NEED, title=NEED["title"] + "（首）")).encode(),
            {"Content-Type": "application/json"},
        )
    )
    if saved[0] != 201:
        raise RuntimeError(f"saving a need answered {saved[0]}: {saved[1][:300]!r}")
    need_id = json.loads(saved[1])["id"]
    firsts["need read back (API)"], read = _timed(
        lambda: company.request("GET", f"/api/v1/needs/{need_id}")
    )
    if read[0] != 200 or not json.loads(read[1])["suggestions"]:
        raise RuntimeError(f"reading need {need_id} back answered {read[0]}")
    firsts["need page"], shown = _timed(lambda: page.request("GET", f"/needs/{need_id}"))
    if shown[0] != 200:
        raise RuntimeError(f"the need's page answered {shown[0]}")
    firsts["need saved + read back"] = firsts["need saved (API)"] + firsts["need read back (API)"]

    warm: dict[str, list[float]] = {label: [] for label in firsts}
    for number in range(1, runs + 1):
        for label, lang, words in SEARCHES:
            warm[label].append(
                _timed(lambda lang=lang, words=words, n=number: _search(port, lang, words, n))[0]
            )
        body = json.dumps(dict(NEED, title=f"{NEED['title']}（{number}）")).encode()
        took, saved = _timed(
            lambda body=body: company.request(
                "POST", "/api/v1/needs", body, {"Content-Type": "application/json"}
            )
        )
        warm["need saved (API)"].append(took)
        need_id = json.loads(saved[1])["id"]
        path = f"/api/v1/needs/{need_id}"
        took_read, _ = _timed(lambda path=path: company.request("GET", path))
        warm["need read back (API)"].append(took_read)
        warm["need saved + read back"].append(took + took_read)
        shown = f"/needs/{need_id}"
        warm["need page"].append(_timed(lambda shown=shown: page.request("GET", shown))[0])
    return [(label, firsts[label], statistics.median(warm[label])) for label in firsts]


def run(database_url: str, workers: int, port: int, runs: int) -> None:
    started = time.perf_counter()
    with gunicorn(database_url, workers=workers, port=port) as server:
        booted = (time.perf_counter() - started) * 1000
        figures = measure(server.port, runs)
        log = server.log()
    backend = database_url.split(":", 1)[0]
    print(f"{backend}, {workers} workers: healthy {booted:.0f} ms after the start")
    print(f"{'request':<26}{'first ms':>10}{'warm ms':>10}")
    for label, first, warm in figures:
        print(f"{label:<26}{first:>10.0f}{warm:>10.1f}")
    warmed = [line for line in log.splitlines() if "warmed" in line]
    if warmed:
        print(warmed[-1].strip()[:200])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="a PostgreSQL server to make a scratch database on")
    parser.add_argument("--seeded", help="an already migrated and seeded database to serve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=5500)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if args.seeded:
        run(args.seeded, args.workers, args.port, args.runs)
        return
    with (
        tempfile.TemporaryDirectory() as folder,
        fresh_database(args.database_url, folder, "sharing_first") as url,
    ):
        prepare_database(url)
        run(url, args.workers, args.port, args.runs)


if __name__ == "__main__":
    main()
