"""Busy time and free slots of an instrument, by the same rules as requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, literal, null, select, type_coerce, union_all
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.bookings.conflicts import (
    Busy,
    BusyIndex,
    SlotSearch,
    free_slots,
)
from sharing.bookings.models import (
    LONGEST_BLOCK,
    Booking,
    Downtime,
    WaitlistEntry,
    blocks,
    holds,
)
from sharing.bookings.policy import Requester
from sharing.bookings.services.standing import StandingRead, standing_read, union_of
from sharing.core.dbtypes import UTCDateTime
from sharing.core.feedversions import FeedVersion, instrument_key
from sharing.extensions import db
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, utcnow


def _busy_arms():
    """The three kinds of busy time as one statement's arms, built once from bound parameters
    (`busy_params`): a statement built per call cost more than the query itself."""
    booking, downtime, entry = (
        Booking.__table__.c,
        Downtime.__table__.c,
        WaitlistEntry.__table__.c,
    )
    instrument_id, start, end = bindparam("instrument_id"), bindparam("start"), bindparam("end")
    booked = select(
        literal("booking").label("kind"),
        booking.id.label("ref"),
        booking.start,
        booking.blocked_until.label("end"),
    ).where(blocks(instrument_id, start, end, earliest=bindparam("earliest")))
    down = select(literal("downtime"), downtime.id, downtime.start, downtime.end).where(
        downtime.instrument_id == instrument_id, downtime.start < end, downtime.end > start
    )
    held = select(literal("hold"), entry.id, entry.start, entry.end).where(
        holds(instrument_id, start, end, bindparam("now")),
        entry.user_id != bindparam("holder_id"),
    )
    return booked, down, held


BUSY_ARMS = _busy_arms()
BUSY = union_all(*BUSY_ARMS)


def _busy_of_many():
    """The same three arms for several instruments at once, each row naming its instrument:
    a loan of five items reads their busy time in one statement, not five."""
    booking, downtime, entry = (
        Booking.__table__.c,
        Downtime.__table__.c,
        WaitlistEntry.__table__.c,
    )
    ids, start, end = (
        bindparam("instrument_ids", expanding=True),
        bindparam("start"),
        bindparam("end"),
    )
    booked = select(
        booking.instrument_id,
        literal("booking").label("kind"),
        booking.id.label("ref"),
        booking.start,
        booking.blocked_until.label("end"),
    ).where(blocks(ids, start, end, earliest=bindparam("earliest")))
    down = select(
        downtime.instrument_id, literal("downtime"), downtime.id, downtime.start, downtime.end
    ).where(downtime.instrument_id.in_(ids), downtime.start < end, downtime.end > start)
    held = select(entry.instrument_id, literal("hold"), entry.id, entry.start, entry.end).where(
        holds(ids, start, end, bindparam("now")), entry.user_id != bindparam("holder_id")
    )
    return union_all(booked, down, held)


BUSY_OF_MANY = _busy_of_many()


def busy_params(instrument_id: int, window: Interval, holder_id: int | None = None) -> dict:
    return {
        "instrument_id": instrument_id,
        "start": window.start,
        "end": window.end,
        "earliest": window.start - LONGEST_BLOCK,
        "now": utcnow(),
        "holder_id": holder_id or 0,
    }


BUSY_KINDS = frozenset({"booking", "downtime", "hold"})


def busy_from_rows(rows, exclude: set[int] | None = None) -> list[Busy]:
    """Busy ranges from (kind, ref, start, end) rows; other kinds are left to their readers."""
    exclude = exclude or set()
    return [
        Busy(start, end, kind, ref)
        for kind, ref, start, end in rows
        if kind in BUSY_KINDS and not (kind == "booking" and ref in exclude)
    ]


def load_busy(
    instrument_id: int,
    window: Interval,
    exclude: set[int] | None = None,
    holder_id: int | None = None,
) -> list[Busy]:
    """Active bookings (with buffers), downtimes and waiting-list holds of the instrument that
    touch `window`; a hold does not block the user it is held for (`holder_id`)."""
    rows = db.session.execute(BUSY, busy_params(instrument_id, window, holder_id))
    return busy_from_rows(rows, exclude)


def load_busy_of(
    instrument_ids: list[int], window: Interval, holder_id: int | None = None
) -> dict[int, list[Busy]]:
    """`load_busy` of several instruments in one statement: each one's busy time (every
    instrument asked for has an entry, empty when free)."""
    busy: dict[int, list[Busy]] = {instrument_id: [] for instrument_id in instrument_ids}
    if not instrument_ids:
        return busy
    params = busy_params(0, window, holder_id)
    del params["instrument_id"]
    params["instrument_ids"] = sorted(busy)
    for instrument_id, kind, ref, start, end in db.session.execute(BUSY_OF_MANY, params):
        busy[instrument_id].append(Busy(start, end, kind, ref))
    return busy


def _version_arm():
    version = FeedVersion.__table__.c
    no_time = type_coerce(null(), UTCDateTime)
    return select(literal("version"), literal(0), version.changed_at, no_time).where(
        version.key == bindparam("version_key")
    )


VERSION_ARM = _version_arm()


@dataclass(frozen=True)
class RequestReading:
    """What a booking request reads before it decides, in one round trip."""

    busy: list[Busy]
    requester: Requester
    # The schedule's version as it stood (None: never changed), when asked for: the booking's
    # insert moves it without reading it again.
    schedule_version: datetime | None = None


def read_for_request(
    instrument_id: int, window: Interval, standing: StandingRead, with_version: bool = False
) -> RequestReading:
    """Busy time in `window` (the booker's own holds aside), the booker's standing and, when
    asked, the schedule's version, in one statement."""
    arms = BUSY_ARMS + standing.arms
    params = busy_params(instrument_id, window, standing.booker.id) | standing.params
    if with_version:
        arms += (VERSION_ARM,)
        params["version_key"] = instrument_key(instrument_id)
    rows = db.session.execute(union_of(arms), params).all()
    version = next((start for kind, _ref, start, _end in rows if kind == "version"), None)
    return RequestReading(busy_from_rows(rows), standing.requester(rows), version)


def instrument_busy(instrument: Instrument, window: Interval) -> list[tuple[Busy, Booking | None]]:
    """Busy time in a window, with the booking behind each booked range (for managers)."""
    busy = load_busy(instrument.id, window)
    ids = [b.ref for b in busy if b.kind == "booking"]
    bookings = (
        {
            b.id: b
            for b in db.session.scalars(
                select(Booking).where(Booking.id.in_(ids)).options(joinedload(Booking.user))
            )
        }
        if ids
        else {}
    )
    return [(b, bookings.get(b.ref) if b.kind == "booking" else None) for b in sorted(busy)]


def find_free_slots(
    actor: User | None,
    instrument: Instrument,
    duration: timedelta,
    after: datetime,
    limit: int,
    now: datetime | None = None,
) -> list[Interval]:
    """The earliest slots that satisfy every rule for the caller (anonymous: a plain user)."""
    now = now or utcnow()
    rules = instrument.booking_rules()
    window = Interval(
        min(after, now), now + timedelta(days=rules.horizon_days) + duration + timedelta(days=1)
    )
    if actor is not None and actor.is_authenticated:
        standing = standing_read(actor, instrument, False, now, [window])
        reading = read_for_request(instrument.id, window, standing)
        busy, requester = reading.busy, reading.requester
    else:
        busy, requester = load_busy(instrument.id, window), Requester()
    busy = BusyIndex(busy)
    search = SlotSearch(
        rules,
        busy,
        now,
        platform_zone(),
        requester,
        instrument.status == InstrumentStatus.AVAILABLE,
    )
    return free_slots(search, duration, after, limit)
