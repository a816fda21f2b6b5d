"""The mail outbox against a real SMTP server (aiosmtpd): a rollback sends nothing, a server
that is down loses nothing and sends once when it is back, two workers deliver each mail once,
a dead worker's lease is taken over, and after 24 hours a mail is failed. Clocks are injected:
no test waits for a retry."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from sharing.core import outbox
from sharing.core.mail import Mail, mails_committed, queue_mails
from sharing.core.outbox import FAILED, LEASE, PENDING, SENT, OutboxMail, next_attempt
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.mailbox import Inbox, free_port, mail_config

PORT = free_port()


@pytest.fixture
def app_config():
    # Nothing delivers behind the test's back: the test is the worker.
    return {**mail_config(PORT), "JOBS_IN_WEB": False}


@pytest.fixture
def mail_server():
    """The SMTP server on PORT, started by the test when it should be up."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=PORT)
    yield controller, inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def _queue(count: int) -> None:
    mails = [
        Mail(to=f"person{i}@lab.example", subject=f"Mail {i}", body=f"Body {i}")
        for i in range(count)
    ]
    queue_mails(db.session, mails)
    db.session.commit()


def _statuses() -> dict:
    db.session.rollback()
    rows = db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status))
    return dict(rows.all())


def test_a_rollback_writes_and_sends_nothing(app):
    queue_mails(db.session, [Mail(to="a@lab.example", subject="s", body="b")])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0


def test_retries_start_within_a_minute_and_stop_after_a_day():
    created = utcnow()
    first = next_attempt(1, created, created)
    assert timedelta(0) < first - created <= timedelta(minutes=1)
    waits = []
    now, attempts = created, 1
    while (at := next_attempt(attempts, created, now)) is not None:
        waits.append(at - now)
        now, attempts = at, attempts + 1
    assert waits[:-1] == sorted(waits[:-1])  # backing off (the last one cut at the 24th hour)
    assert now == created + timedelta(hours=24)  # the last try at the 24th hour
    assert max(waits) <= timedelta(hours=4)


def test_a_server_down_then_up_loses_nothing_and_sends_once(app, mail_server):
    controller, inbox = mail_server
    _queue(3)
    now = utcnow()
    assert outbox.deliver_due(app.config, "worker-a", now) == 0  # the server is down
    rows = db.session.scalars(select(OutboxMail)).all()
    assert {row.status for row in rows} == {PENDING}
    assert all(row.attempts == 1 and "Error" in row.last_error for row in rows)
    assert all(row.next_attempt_at - now <= timedelta(minutes=1) for row in rows)
    assert outbox.deliver_due(app.config, "worker-a", now) == 0  # not due yet: no attempt
    controller.start()
    later = now + timedelta(minutes=1)
    assert outbox.deliver_due(app.config, "worker-a", later) == 3
    assert outbox.deliver_due(app.config, "worker-a", later + timedelta(hours=1)) == 0
    assert len(inbox.wait_for(3)) == 3
    assert sorted(m["Subject"] for m in inbox.messages) == ["Mail 0", "Mail 1", "Mail 2"]
    assert len({m["Message-ID"] for m in inbox.messages}) == 3
    assert _statuses() == {SENT: 3}


def test_after_a_day_of_failures_a_mail_is_failed_and_an_admin_retries_it(
    app, client, make, token_for, mail_server
):
    controller, inbox = mail_server
    _queue(1)
    created = db.session.scalar(select(OutboxMail.created_at))
    outbox.deliver_due(app.config, "w", created + timedelta(hours=24, seconds=1))
    assert _statuses() == {FAILED: 1}
    [row] = db.session.scalars(select(OutboxMail)).all()
    admin = make.admin()
    listed = client.get("/api/v1/outbox?status=failed", headers=token_for(admin)).json
    assert listed["total"] == 1
    assert set(listed["items"][0]) == {
        "id",
        "to",
        "subject",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
        "next_attempt_at",
    }
    assert listed["items"][0]["status"] == "failed" and listed["items"][0]["last_error"]
    woken = []

    def note(sender, count):
        woken.append(count)

    mails_committed.connect(note)
    try:
        retried = client.post(f"/api/v1/outbox/{row.id}/retry", headers=token_for(admin))
    finally:
        mails_committed.disconnect(note)
    assert retried.status_code == 200 and retried.json["status"] == "pending"
    assert woken == [1]  # the courier is woken for the retried mail, not left to its next round
    controller.start()
    assert outbox.deliver_due(app.config, "w") == 1
    assert len(inbox.wait_for(1)) == 1
    again = client.post(f"/api/v1/outbox/{row.id}/retry", headers=token_for(admin))
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    researcher = token_for(make.user("researcher"))
    assert client.get("/api/v1/outbox", headers=researcher).status_code == 403
    assert client.get("/api/v1/outbox?status=lost", headers=token_for(admin)).status_code == 400
    assert client.post("/api/v1/outbox/999999/retry", headers=token_for(admin)).status_code == 404


def test_two_workers_deliver_each_mail_once(app, mail_server):
    controller, inbox = mail_server
    controller.start()
    _queue(40)
    delivered = {}

    def worker(name: str) -> None:
        with app.app_context():
            total = 0
            while True:
                sent = outbox.deliver_due(app.config, name, limit=5)
                if sent == 0 and not db.session.scalar(
                    select(func.count()).where(OutboxMail.status == PENDING)
                ):
                    break
                total += sent
            delivered[name] = total
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(delivered.values()) == 40
    messages = inbox.wait_for(40)
    assert len(messages) == 40
    assert len({m["Message-ID"] for m in messages}) == 40
    assert _statuses() == {SENT: 40}


def test_a_dead_workers_lease_is_taken_over_and_nothing_is_sent_twice(app, mail_server):
    controller, inbox = mail_server
    controller.start()
    _queue(3)
    now = utcnow()
    claimed = outbox.claim_due("dead-worker", now)  # ... and the worker is killed
    assert len(claimed) == 3
    assert outbox.deliver_due(app.config, "survivor", now) == 0  # leased: not taken
    assert outbox.deliver_due(app.config, "survivor", now + LEASE + timedelta(seconds=1)) == 3
    # The dead worker's late word changes nothing.
    assert not outbox.mark_sent(claimed[0].id, "dead-worker", now)
    assert len(inbox.wait_for(3)) == 3
    assert _statuses() == {SENT: 3}


def test_a_worker_near_the_end_of_its_lease_sends_no_more(app, mail_server):
    controller, _inbox = mail_server
    controller.start()
    _queue(2)
    now = utcnow()
    # The first send took almost the whole lease.
    times = iter([now] + [now + LEASE - timedelta(seconds=5)] * 5)
    sent = outbox.deliver_due(app.config, "slow", now, clock=lambda: next(times))
    assert sent == 1  # the second would have been sent after the lease could be taken over
    assert _statuses() == {SENT: 1, PENDING: 1}
