"""Writing new bookings: one statement on PostgreSQL for a single booking, three elsewhere, and
the same rows either way (the booking, its first history row, the schedule's version)."""

import pytest
from sqlalchemy import delete, inspect, select

from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking, BookingEvent
from sharing.bookings.services.inserting import insert_bookings
from sharing.core.feedversions import FeedVersion, instrument_key, next_version_time, touch
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.conftest import count_queries
from tests.fixtures.bookings import booking_rows


def _version(instrument_id):
    return db.session.scalar(
        select(FeedVersion.changed_at).where(FeedVersion.key == instrument_key(instrument_id))
    )


def _people_and_an_instrument(make, with_version=True):
    """The ids of an instrument (whose schedule changed before, when `with_version`), a booker
    and an actor, the actor loaded."""
    instrument, user, actor = make.instrument(), make.user(), make.user()
    ids = instrument.id, user.id
    if with_version:
        touch(instrument_key(instrument.id))
    else:
        db.session.execute(delete(FeedVersion).where(FeedVersion.key == instrument_key(ids[0])))
    db.session.commit()
    db.session.refresh(actor)
    return *ids, actor


def _stored(bookings):
    ids = [b.id for b in bookings]
    db.session.commit()
    db.session.expunge_all()
    stored = db.session.scalars(select(Booking).where(Booking.id.in_(ids)).order_by(Booking.id))
    events = db.session.scalars(
        select(BookingEvent).where(BookingEvent.booking_id.in_(ids)).order_by(BookingEvent.id)
    )
    return list(stored), list(events)


@pytest.mark.parametrize("count", [1, 3])
def test_the_booking_its_first_step_and_the_version_are_written(make, count):
    instrument_id, user_id, actor = _people_and_an_instrument(make)
    previous = _version(instrument_id)
    before = utcnow()
    rows = booking_rows(instrument_id, user_id, count, purpose="质谱测试")
    with count_queries() as statements:
        bookings = insert_bookings(rows, actor, previous)
    one_statement = count == 1 and db.engine.dialect.name == "postgresql"
    if one_statement:
        assert len(statements) == 1 and statements[0].startswith("WITH inserted AS"), statements
    else:  # the bookings (SQLite sends a series row by row), their history, the version
        assert [s.split()[:3] for s in statements[-2:]] == [
            ["INSERT", "INTO", "booking_events"],
            ["UPDATE", "feed_versions", "SET"],
        ], statements
    assert all(inspect(b).persistent for b in bookings)
    assert not db.session.dirty and not db.session.new
    assert bookings[0].purpose == "质谱测试" and bookings[0].status == BookingStatus.PENDING

    actor_id = actor.id
    stored, events = _stored(bookings)
    assert [(b.start, b.end, b.user_id, b.purpose, b.status, b.sequence) for b in stored] == [
        (r["start"], r["end"], user_id, "质谱测试", BookingStatus.PENDING, 0) for r in rows
    ]
    assert [(e.booking_id, e.actor_id, e.from_status, e.to_status, e.reason) for e in events] == [
        (b.id, actor_id, None, BookingStatus.PENDING, "") for b in stored
    ]
    assert all(e.at >= before.replace(microsecond=0) for e in events)
    version = _version(instrument_id)
    assert version == next_version_time(previous, version) and version > previous
    assert version.microsecond == 0


def test_a_schedule_without_a_version_row_gets_one(make):
    instrument_id, user_id, actor = _people_and_an_instrument(make, with_version=False)
    rows = booking_rows(instrument_id, user_id, 1, purpose="质谱测试")
    bookings = insert_bookings(rows, actor, None)
    _stored(bookings)
    assert _version(instrument_id) is not None


def test_a_second_insert_in_the_transaction_leaves_the_version_alone(make):
    instrument_id, user_id, actor = _people_and_an_instrument(make)
    previous = _version(instrument_id)
    first, second = booking_rows(instrument_id, user_id, 2, purpose="质谱测试")
    insert_bookings([first], actor, previous)
    moved = _version(instrument_id)
    with count_queries() as statements:
        insert_bookings([second], actor, moved)
    assert not [s for s in statements if "feed_versions" in s], statements
    _stored([])
    assert _version(instrument_id) == moved
