"""Writing new bookings: the rows, their first history rows and the schedule's version.

On PostgreSQL a single booking (the common request) is written by one statement: the INSERT of
the booking, the INSERT of its first history row and the UPDATE of the schedule's version as
data-modifying parts of one WITH. Each statement is a round trip of 0.2-0.5 ms there, and these
three were half of what a booking asked of the server beyond the floor's work (bench/http.py).
A series, a schedule whose version row does not exist yet, and SQLite (no data-modifying WITH)
take three statements; the rows written are the same.

Core statements (`sharing.core.bulk`), not the unit of work: a flush of the same two objects cost
about 1 ms more per request, the ORM's bulk RETURNING of whole objects 0.3 ms more.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, insert, select

from sharing.auth.models import User
from sharing.bookings.models import Booking, BookingEvent
from sharing.bookings.signals import bookings_inserted
from sharing.core.bulk import as_loaded, column_defaults, insert_loaded
from sharing.core.feedversions import (
    WRITE_VERSION,
    first_touch,
    instrument_key,
    next_version_time,
    touch,
)
from sharing.core.locking import is_postgresql
from sharing.extensions import db
from sharing.util.timeutil import utcnow

_BOOKING = Booking.__table__
_EVENT = BookingEvent.__table__
FIRST_STEPS = insert(_EVENT)
# The booking's own values are bound as "booking_<column>": a bind named as its column is
# reserved for the INSERT's own VALUES.
_BOOKING_VALUES = {
    column.key: bindparam(f"booking_{column.key}", type_=column.type)
    for column in _BOOKING.columns
    if not column.primary_key and (column.default is not None or column.server_default is None)
}


def _first_step(booking_id: int | None, actor: User, status: str, at: datetime) -> dict:
    """A new booking's first history row: from nothing to its status, by its actor."""
    return {
        "booking_id": booking_id,
        "at": at,
        "actor_id": actor.id,
        "from_status": None,
        "to_status": status,
        "reason": "",
    }


_FIRST_STEP_VALUES = ("at", "actor_id", "from_status", "to_status", "reason")


def _one_statement():
    inserted = insert(_BOOKING).values(_BOOKING_VALUES).returning(_BOOKING.c.id).cte("inserted")
    first_step = insert(_EVENT).from_select(
        ["booking_id", *_FIRST_STEP_VALUES],
        select(
            inserted.c.id,
            *(bindparam(f"event_{name}", type_=_EVENT.c[name].type) for name in _FIRST_STEP_VALUES),
        ),
    )
    return (
        select(inserted.c.id)
        .add_cte(first_step.cte("first_step"))
        .add_cte(WRITE_VERSION.cte("schedule_version"))
    )


# Built once: building it cost more than running it.
ONE_BOOKING = _one_statement()


def insert_bookings(
    rows: list[dict], actor: User, schedule_version: datetime | None
) -> list[Booking]:
    """Insert the bookings (one instrument's) with their first history rows and move the
    schedule's version (read by the caller: `schedule_version`, None when it has none yet).
    Returns the bookings as persistent objects. The exclusion constraint's refusal is raised
    as the IntegrityError it is."""
    key = instrument_key(rows[0]["instrument_id"])
    moves_version = first_touch(key)
    if len(rows) == 1 and moves_version and schedule_version is not None and is_postgresql():
        bookings = [_insert_one(rows[0], actor, key, schedule_version)]
        bookings_inserted.send(bookings=bookings)
        return bookings
    bookings = insert_loaded(Booking, rows)
    now = utcnow()
    first_steps = [_first_step(booking.id, actor, booking.status, now) for booking in bookings]
    db.session.execute(FIRST_STEPS, first_steps)
    if moves_version:
        with db.session.no_autoflush:
            touch(key, previous=schedule_version)
    bookings_inserted.send(bookings=bookings)
    return bookings


def _insert_one(row: dict, actor: User, key: str, schedule_version: datetime) -> Booking:
    values = column_defaults(Booking, row)
    now = utcnow()
    parameters = {f"booking_{name}": value for name, value in values.items()}
    first_step = _first_step(None, actor, values["status"], now)
    parameters |= {f"event_{name}": first_step[name] for name in _FIRST_STEP_VALUES}
    parameters |= {
        "version_key": key,
        "version_time": next_version_time(schedule_version, now),
    }
    booking_id = db.session.scalar(ONE_BOOKING, parameters)
    return as_loaded(Booking, booking_id, values)
