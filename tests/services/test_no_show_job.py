"""The no-show sweep runs by itself in the app process."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.util.timeutil import utcnow


@pytest.fixture
def app_config():
    return {"NO_SHOW_SWEEP_SECONDS": 0.2}


def test_unattended_booking_becomes_a_no_show_without_anyone_acting(app, client, make, token_for):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager, rules={"open_hours": []})
    researcher = make.user("researcher")
    start = (utcnow() - timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    body = {
        "instrument_id": instrument.id,
        "user_id": researcher.id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    booking_id = client.post("/api/v1/bookings", json=body, headers=token_for(manager)).json["id"]
    db.session.execute(
        db.update(Booking).values(created_at=start - timedelta(days=1))
    )  # booked ahead
    db.session.commit()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        db.session.expire_all()
        if (
            db.session.scalar(select(Booking.status).where(Booking.id == booking_id))
            == BookingStatus.NO_SHOW
        ):
            break
        time.sleep(0.1)
    assert (
        db.session.scalar(select(Booking.status).where(Booking.id == booking_id))
        == BookingStatus.NO_SHOW
    )
    app.extensions["background_jobs_stop"].set()
