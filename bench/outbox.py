"""The mail outbox drained by several workers against a local SMTP server (aiosmtpd).

Queues N mails (default 10,000), starts W worker processes (default 2) that deliver the
outbox as `flask worker` does (`deliver_due` in batches under leases), and prints mails per
second and whether any mail arrived twice or never.

    .venv/bin/python bench/outbox.py [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]
                                     [--mails 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from aiosmtpd.controller import Controller

from bench.common import fresh_database, migrated_app
from tests.mailbox import free_port


class CountingInbox:
    def __init__(self):
        self.ids: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd calls it
        for line in envelope.content.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                self.ids[line.split(b":", 1)[1].strip()] += 1
                break
        return "250 OK"


def worker(url: str, port: int, name: str, start, results) -> None:
    from sqlalchemy import func, select

    from sharing import create_app
    from sharing.core.outbox import PENDING, OutboxMail, deliver_due
    from sharing.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "NO_SHOW_SWEEP_SECONDS": 0,
            "JOBS_IN_WEB": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_SENDER": "bench@bluevalley.example",
        }
    )
    sent = 0
    with app.app_context():
        start.wait()
        while True:
            done = deliver_due(app.config, name)
            sent += done
            if done == 0 and not db.session.scalar(
                select(func.count()).where(OutboxMail.status == PENDING)
            ):
                break
        db.session.remove()
    results.put((name, sent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default=None)
    parser.add_argument("--mails", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    inbox = CountingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.admin_url, folder) as url:
        app = migrated_app(url)
        from sharing.core.outbox import add_to_outbox
        from sharing.extensions import db

        with app.app_context():
            for i in range(args.mails):
                add_to_outbox(db.session, f"p{i}@lab.example", f"Mail {i}", f"Body of mail {i}.")
            db.session.commit()
            db.engine.dispose()
        context = multiprocessing.get_context("spawn")
        start, results = context.Event(), context.Queue()
        processes = [
            context.Process(target=worker, args=(url, controller.port, f"w{n}", start, results))
            for n in range(args.workers)
        ]
        for process in processes:
            process.start()
        time.sleep(5)  # each worker builds its app before the clock starts
        began = time.perf_counter()
        start.set()
        per_worker = dict(results.get() for _ in processes)
        elapsed = time.perf_counter() - began
        for process in processes:
            process.join()
    controller.stop()
    received = sum(inbox.ids.values())
    twice = sum(1 for count in inbox.ids.values() if count > 1)
    backend = "postgresql" if args.admin_url else "sqlite"
    print(f"backend: {backend}; {args.mails} mails queued; {args.workers} workers")
    print(f"delivered {received} in {elapsed:.1f} s: {received / elapsed:.0f} mails/s")
    print(
        "per worker: " + ", ".join(f"{name} {count}" for name, count in sorted(per_worker.items()))
    )
    print(
        f"distinct mails received: {len(inbox.ids)}; received twice: {twice}; "
        f"missing: {args.mails - len(inbox.ids)}"
    )


if __name__ == "__main__":
    main()
