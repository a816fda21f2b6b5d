"""The managers' view of real use: booked against used time per instrument and per booking, and
at the instrument itself, the person's booking to check in to or out of (the QR page)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sharing.agents.access import reviewed_instruments
from sharing.agents.registry import AgentStatus, agent_statuses
from sharing.auth.models import User
from sharing.billing.models import SessionStatus, UsageSession
from sharing.billing.realuse import real_use
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.bookings.policy import merge
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.util.timeutil import Interval

BOOKED = (BookingStatus.APPROVED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 1)


@dataclass(frozen=True)
class InstrumentUse:
    instrument: Instrument
    booked_hours: float
    used_hours: float
    unbooked_hours: float  # of the used hours, those without a booking (not dismissed)
    agent: AgentStatus | None


@dataclass(frozen=True)
class BookingUse:
    """A completed booking whose use differed from its booked time."""

    booking: Booking
    booked_minutes: int
    used_minutes: int

    @property
    def difference(self) -> int:
        return self.used_minutes - self.booked_minutes


def _booked(ids, window: Interval) -> dict[int, list[Interval]]:
    booked: dict[int, list[Interval]] = defaultdict(list)
    rows = db.session.execute(
        select(Booking.instrument_id, Booking.start, Booking.end).where(
            Booking.instrument_id.in_(ids),
            Booking.status.in_(BOOKED),
            Booking.start < window.end,
            Booking.end > window.start,
        )
    )
    for instrument_id, start, end in rows:
        booked[instrument_id].append(Interval(max(start, window.start), min(end, window.end)))
    return booked


def _unbooked_seconds(ids, window: Interval) -> dict[int, float]:
    found: dict[int, float] = defaultdict(float)
    rows = db.session.execute(
        select(UsageSession.instrument_id, UsageSession.started_at, UsageSession.ended_at).where(
            UsageSession.instrument_id.in_(ids),
            UsageSession.status.in_((SessionStatus.UNBOOKED, SessionStatus.CONFIRMED)),
            UsageSession.started_at < window.end,
            UsageSession.ended_at > window.start,
        )
    )
    for instrument_id, start, end in rows:
        found[instrument_id] += (min(end, window.end) - max(start, window.start)).total_seconds()
    return found


def booked_against_used(actor: User, window: Interval, now: datetime) -> list[InstrumentUse]:
    """Per instrument the actor reviews: hours booked, hours really used, unbooked hours."""
    ids = reviewed_instruments(actor)
    instruments = db.session.scalars(
        select(Instrument).where(Instrument.id.in_(ids)).order_by(Instrument.name)
    ).all()
    booked = _booked(ids, window)
    used: dict[int, list[Interval]] = defaultdict(list)
    for use in real_use(window, ids):
        used[use.instrument_id].append(Interval(use.start, use.end))
    unbooked = _unbooked_seconds(ids, window)
    statuses = agent_statuses([i.id for i in instruments], now)

    def seconds(spans):
        return sum(span.duration.total_seconds() for span in merge(spans))

    return [
        InstrumentUse(
            instrument,
            _hours(seconds(booked[instrument.id])),
            _hours(seconds(used[instrument.id])),
            _hours(unbooked[instrument.id]),
            statuses.get(instrument.id),
        )
        for instrument in instruments
    ]


def differing_bookings(actor: User, window: Interval, limit: int = 20) -> list[BookingUse]:
    """Completed bookings of the window whose real use (their sessions' times where the
    instrument's agent reported them) was longer or shorter than booked, largest first."""
    bookings = db.session.scalars(
        select(Booking)
        .where(
            Booking.instrument_id.in_(reviewed_instruments(actor)),
            Booking.status == BookingStatus.COMPLETED,
            Booking.start >= window.start,
            Booking.start < window.end,
            Booking.used_start.is_not(None),
        )
        .options(joinedload(Booking.user), joinedload(Booking.instrument))
        .order_by(Booking.start.desc())
        .limit(500)
    ).all()
    sessions: dict[int, list[Interval]] = defaultdict(list)
    ids = [b.id for b in bookings]
    if ids:
        for booking_id, start, end in db.session.execute(
            select(UsageSession.booking_id, UsageSession.started_at, UsageSession.ended_at).where(
                UsageSession.booking_id.in_(ids), UsageSession.ended_at.is_not(None)
            )
        ):
            sessions[booking_id].append(Interval(start, end))
    found = []
    for booking in bookings:
        spans = sessions.get(booking.id) or [Interval(booking.used_start, booking.used_end)]
        used = sum(span.duration.total_seconds() for span in merge(spans)) // 60
        booked = booking.interval.duration.total_seconds() // 60
        if used != booked:
            found.append(BookingUse(booking, int(booked), int(used)))
    found.sort(key=lambda item: abs(item.difference), reverse=True)
    return found[:limit]


@dataclass(frozen=True)
class AtTheInstrument:
    """What the person can do at the instrument now: check in to or out of `booking`, or wait
    for `upcoming` (whose check-in opens later)."""

    booking: Booking | None
    action: str | None  # "check_in" or "check_out"
    upcoming: Booking | None
    opens_at: datetime | None


def at_the_instrument(person: User, instrument: Instrument, now: datetime) -> AtTheInstrument:
    """The person's booking of the instrument to act on with one tap: one checked in and not
    out (even past its end: a forgotten check-out), else one whose check-in is open; else the
    next one of theirs."""
    window = timedelta(minutes=instrument.check_in_window_minutes)
    bookings = db.session.scalars(
        select(Booking)
        .where(
            Booking.instrument_id == instrument.id,
            Booking.user_id == person.id,
            Booking.status == BookingStatus.APPROVED,
        )
        .order_by(Booking.start)
        .limit(50)
    ).all()
    for booking in bookings:
        if booking.checked_in_at is not None:
            return AtTheInstrument(booking, "check_out", None, None)
    for booking in bookings:
        if booking.start - window <= now < booking.end:
            return AtTheInstrument(booking, "check_in", None, None)
    later = next((b for b in bookings if b.start - window > now), None)
    return AtTheInstrument(None, None, later, later.start - window if later else None)
