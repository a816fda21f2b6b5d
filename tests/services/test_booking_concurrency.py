"""No double booking, ever: simultaneous requests, separate processes, and the SQL constraint."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from sharing import create_app
from sharing.extensions import db
from tests.conftest import base_config
from tests.fixtures.bookings import at, next_weekday, weekday_instrument
from tests.fixtures.overlaps import OVERLAP_CASES

THREADS = 20


def test_twenty_simultaneous_requests_for_one_slot(app, make, token_for):
    instrument = weekday_instrument(make, requires_approval=True)
    headers = [token_for(make.user("researcher")) for _ in range(THREADS)]
    day = next_weekday()
    body = {"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 11)}
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def attempt(header):
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/api/v1/bookings", json=body, headers=header).status_code)

    workers = [threading.Thread(target=attempt, args=(h,)) for h in headers]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert sorted(statuses) == [201] + [409] * (THREADS - 1)
    assert active_overlaps() == 0


def _book_many(
    database_url: str, instrument_id: int, emails: list[str], password: str, day_iso: str, out
):
    """Run in a separate process: its own app, engine and connections."""
    app = create_app(base_config(database_url))
    client = app.test_client()
    day = datetime.fromisoformat(day_iso)
    created = 0
    for email in emails:
        token = client.post(
            "/api/v1/auth/tokens", json={"email": email, "password": password}
        ).json["token"]
        for hour in range(8, 19):
            for minute in (0, 30):  # overlapping two-hour requests every half hour
                start = day.replace(hour=hour, minute=minute)
                body = {
                    "instrument_id": instrument_id,
                    "start": start.isoformat(),
                    "end": (start + timedelta(hours=2)).isoformat(),
                }
                response = client.post(
                    "/api/v1/bookings", json=body, headers={"Authorization": f"Bearer {token}"}
                )
                assert response.status_code in (201, 409, 422), response.json
                created += response.status_code == 201
    out.put(created)


def test_two_app_processes_never_overlap(app, database_url, make):
    instrument = weekday_instrument(make, rules={"buffer_minutes": 30})
    users = [make.user("researcher") for _ in range(4)]
    day = next_weekday()
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [
        context.Process(
            target=_book_many,
            args=(
                database_url,
                instrument.id,
                [u.email for u in pair],
                make.PASSWORD,
                day.isoformat(),
                out,
            ),
        )
        for pair in (users[:2], users[2:])
    ]
    for process in processes:
        process.start()
    created = [out.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    rows = db.session.execute(text("SELECT count(*) FROM bookings")).scalar()
    assert sum(created) == rows >= 4
    assert active_overlaps() == 0


def active_overlaps() -> int:
    """Pairs of active bookings of one instrument whose blocked ranges share an instant."""
    db.session.rollback()
    return db.session.execute(
        text(
            "SELECT count(*) FROM bookings a JOIN bookings b ON a.instrument_id = b.instrument_id "
            "AND a.id < b.id AND a.start < b.blocked_until AND b.start < a.blocked_until "
            "WHERE a.status IN ('pending', 'approved') AND b.status IN ('pending', 'approved')"
        )
    ).scalar()


# SQLite has no exclusion constraints; its guarantee is the write lock, tested above.
@pytest.mark.postgresql_only
@pytest.mark.parametrize(("existing", "wanted", "request_buffer", "conflicts"), OVERLAP_CASES)
def test_exclusion_constraint_agrees_with_the_python_rule(
    app, make, existing, wanted, request_buffer, conflicts
):
    instrument = make.instrument()
    user = make.user()
    start, end, buffer = existing
    insert = text(
        'INSERT INTO bookings (instrument_id, user_id, created_by_id, start, "end",'
        " blocked_until, status, purpose, on_behalf, sequence, created_at, updated_at)"
        " VALUES (:i, :u, :u, :s, :e, :b, :st, '', false, 0, now(), now())"
    )
    values = {"i": instrument.id, "u": user.id, "st": "approved"}
    db.session.execute(
        insert, {**values, "s": start, "e": end, "b": end + timedelta(minutes=buffer)}
    )
    db.session.commit()
    request_start, request_end = wanted
    row = {
        **values,
        "s": request_start,
        "e": request_end,
        "b": request_end + timedelta(minutes=request_buffer),
    }
    if conflicts:
        with pytest.raises(IntegrityError, match="ex_bookings_no_overlap"):
            db.session.execute(insert, row)
        db.session.rollback()
    else:
        db.session.execute(insert, row)
        db.session.commit()
    # Final states never block: a cancelled twin of the existing booking is always accepted.
    db.session.execute(insert, {**values, "st": "cancelled", "s": start, "e": end, "b": end})
    db.session.commit()


@pytest.mark.postgresql_only
def test_a_writer_that_passed_the_lock_gets_409_from_the_constraint(
    app, make, token_for, monkeypatch
):
    """Should two writers ever read the same free time, the constraint refuses the second: a
    409 with nothing half-written, and its idempotency key answers the same 409 again."""
    from sharing.bookings.services import availability, requesting

    instrument = weekday_instrument(make)
    day = next_weekday()
    body = {"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 11)}
    client = app.test_client()
    assert client.post("/api/v1/bookings", json=body, headers=token_for(make.user())).status == (
        "201 CREATED"
    )
    # The second writer saw the instrument as it was before the first committed.
    blind = availability.read_for_request

    def as_before(instrument_id, window, standing, with_version=False):
        return replace(blind(instrument_id, window, standing, with_version), busy=[])

    monkeypatch.setattr(requesting, "read_for_request", as_before)
    headers = {**token_for(make.user()), "Idempotency-Key": "second-writer-1"}
    refused = client.post("/api/v1/bookings", json=body, headers=headers)
    assert refused.status_code == 409, refused.json
    assert refused.json["error"]["code"] == "conflict"
    again = client.post("/api/v1/bookings", json=body, headers=headers)
    assert again.status_code == 409
    assert again.headers["Idempotent-Replayed"] == "true"
    assert active_overlaps() == 0
    events = db.session.execute(text("SELECT count(*) FROM booking_events")).scalar()
    assert events == 1
