"""sharing.core.bulk: rows inserted by one Core statement come back as persistent, clean objects
whose every attribute is what the database holds."""

from sqlalchemy import inspect, select

from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.core.bulk import column_defaults, insert_loaded
from sharing.extensions import db
from tests.conftest import count_queries
from tests.fixtures.bookings import booking_rows


def test_defaults_are_the_columns_own(make):
    row = column_defaults(Booking, {"purpose": "given"})
    assert row["purpose"] == "given"
    assert row["sequence"] == 0 and row["on_behalf"] is False and row["series_id"] is None
    assert row["created_at"].tzinfo is not None
    assert "id" not in row


def test_inserted_objects_are_persistent_clean_and_in_order(app, make):
    instrument, user = make.instrument(), make.user()
    rows = booking_rows(instrument.id, user.id, 3, BookingStatus.APPROVED)
    bookings = insert_loaded(Booking, rows)
    assert [b.start for b in bookings] == [r["start"] for r in rows]
    assert all(inspect(b).persistent for b in bookings)
    assert not db.session.dirty and not db.session.new
    with count_queries() as statements:
        db.session.flush()
        assert bookings[0].purpose == "" and bookings[0].user_id == user.id
    assert statements == []  # nothing to write, nothing left to load
    ids = [b.id for b in bookings]
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalars(select(Booking).order_by(Booking.id)).all()
    assert [(b.id, b.start, b.status, b.sequence) for b in stored] == [
        (i, r["start"], BookingStatus.APPROVED, 0) for i, r in zip(ids, rows, strict=True)
    ]
