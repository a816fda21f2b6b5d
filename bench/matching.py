"""Matching benchmark: who could answer one need, against 50,000 instruments and 5,000 needs.

Usage:
    .venv/bin/python bench/matching.py                  # SQLite in a temporary folder
    .venv/bin/python bench/matching.py --database-url postgresql://postgres@127.0.0.1:5432/test

Prints the index build (the first request after the catalog changed pays it), then the median
and p95 of: a need's page in the API (`GET /api/v1/needs/<id>`, suggestions included), the
suggestions alone, and the needs that fit one institute (the reverse), in process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from functools import partial
from pathlib import Path

sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.catalog import seed as seed_instruments
from bench.common import fresh_database, migrated_app, percentile
from sharing.auth.models import User
from sharing.auth.services import create_user, issue_api_token
from sharing.challenges.models import ChallengeField
from sharing.demo.pipeline_data import NEED_DETAILS, NEED_PROBLEMS, NEED_SUBJECTS
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.needs import matching
from sharing.needs.models import Need, NeedStatus
from sharing.orgs.models import Organisation
from sharing.orgs.services import create_organisation

QUERIES = [
    ("海参多糖的结构表征，需要核磁共振和分子量测定", ChallengeField.MARINE_BIOMEDICINE),
    ("深海耐压壳体钛合金焊缝的断口分析与扫描电镜观察", ChallengeField.MARINE_EQUIPMENT),
    ("近海海底地形多波束测深与三维建模", ChallengeField.MARINE_INFORMATION),
    ("养殖海水中重金属的 ICP-MS 检测", ChallengeField.ENVIRONMENT_ENERGY),
]


def seed_needs(count: int) -> int:
    """`count` collected needs of 50 companies, their titles from the demo's subjects."""
    companies = [
        create_organisation(f"bench-co-{n}", f"基准企业{n}", "enterprise", f"Bench Co {n}")
        for n in range(50)
    ]
    staff = create_user(
        "staff@bench.example", "基准员工", "bench-pass-1", "enterprise", companies[0]
    )
    fields = list(NEED_SUBJECTS)
    for number in range(count):
        field = fields[number % len(fields)]
        subjects, problems = NEED_SUBJECTS[field], NEED_PROBLEMS[field]
        title = subjects[number % len(subjects)] + problems[(number // 7) % len(problems)]
        db.session.add(
            Need(
                company_id=companies[number % len(companies)].id,
                title=f"{title}（{number}）",
                description=NEED_DETAILS[field],
                field=field,
                status=NeedStatus.COLLECTED,
                collected_on=date(2026, 1, 1 + number % 28),
                created_by_id=staff.id,
            )
        )
        if number % 1000 == 999:
            db.session.flush()
    db.session.commit()
    return staff.id


def timed(action, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def report(name: str, timings: list[float]) -> None:
    print(f"{name:<58} {statistics.median(timings):>9.1f} {percentile(timings, 95):>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL admin URL; a scratch database is made")
    parser.add_argument("--instruments", type=int, default=50_000)
    parser.add_argument("--needs", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.database_url, folder) as url:
        app = migrated_app(url)
        with app.app_context():
            seed_instruments(args.instruments)
            staff_id = seed_needs(args.needs)
            token = issue_api_token(db.session.get(User, staff_id))
            need_id = db.session.scalar(db.select(Need.id).order_by(Need.id))
            institute = db.session.scalar(
                db.select(Organisation).where(Organisation.slug == "bench-0")
            )
            db.session.commit()
            print(
                f"backend: {db.engine.dialect.name}; {args.instruments} instruments, "
                f"{args.needs} needs"
            )
            started = time.perf_counter()
            matching.suggest(*QUERIES[0])
            print(
                f"index build (first request after a change): {time.perf_counter() - started:.2f} s"
            )
            print(f"{'request':<58} {'median ms':>9} {'p95 ms':>8}")
            for text, field in QUERIES:
                report(
                    f"suggest: {text[:18]}",
                    timed(partial(matching.suggest, text, field), args.rounds),
                )
            changed = db.session.scalar(db.select(Instrument).order_by(Instrument.id))
            changed.name += "（升级）"
            db.session.commit()
            started = time.perf_counter()
            matching.suggest(*QUERIES[0])
            print(f"rebuild after one instrument changed: {time.perf_counter() - started:.2f} s")
            report(
                "needs that fit one institute",
                timed(lambda: matching.needs_for_organisation(institute), args.rounds),
            )
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        path = f"/api/v1/needs/{need_id}"
        # The company's own need (the bench's staff are its people), suggestions included.
        report(
            f"api GET {path}",
            timed(lambda: client.get(path, headers=headers).status_code == 200, args.rounds),
        )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
