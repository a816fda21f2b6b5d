"""What stops a person booking an instrument, read before any form is filled: training, a
suspension, a quota already used. The rules are those the booking request applies
(bookings.services.standing, instruments.qualifications); this only reads them for a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.bookings.lifecycle import ACTIVE_STATUSES
from sharing.bookings.models import Booking
from sharing.bookings.policy import week_of
from sharing.bookings.services.standing import booked_in_weeks, future_bookings, is_suspended
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument
from sharing.instruments.qualifications import training_standing
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, utcnow


@dataclass(frozen=True)
class Gate:
    """One thing in the way: `kind` is "training", "suspended", "week_quota" or
    "future_quota"; `blocks` says whether no booking can be made at all (the form is hidden)."""

    kind: str
    blocks: bool
    standing: str = ""  # training: "none" or "expired"
    hours_booked: float = 0
    hours_allowed: int = 0
    frees_at: datetime | None = None
    bookings_held: int = 0


def booking_gates(user: User, instrument: Instrument, now: datetime | None = None) -> list[Gate]:
    """The gates that stand for `user` on `instrument` now; none for its managers."""
    if not user.is_authenticated or can_manage_instrument(user, instrument):
        return []
    now = now or utcnow()
    gates = []
    standing = training_standing(user, instrument, now)
    if standing != "qualified":
        gates.append(Gate("training", True, standing=standing))
    if is_suspended(user, instrument.organisation_id):
        gates.append(Gate("suspended", True))
    rules = instrument.booking_rules()
    if rules.max_hours_per_week is not None:
        week = week_of(now, platform_zone())
        moment = Interval(now, now + timedelta(microseconds=1))
        booked = booked_in_weeks(user.id, instrument.id, [moment]).get(week.start, timedelta(0))
        if booked >= timedelta(hours=rules.max_hours_per_week):
            gates.append(
                Gate(
                    "week_quota",
                    False,
                    hours_booked=round(booked / timedelta(hours=1), 1),
                    hours_allowed=rules.max_hours_per_week,
                    frees_at=week.end,
                )
            )
    cap = rules.max_future_bookings
    if cap is not None and future_bookings(user.id, instrument.id, now, cap) >= cap:
        gates.append(
            Gate("future_quota", True, bookings_held=cap, frees_at=_next_end(user, instrument, now))
        )
    return gates


def _next_end(user: User, instrument: Instrument, now: datetime) -> datetime | None:
    """When the user's first booking on the instrument that has not ended ends."""
    return db.session.scalar(
        select(func.min(Booking.end)).where(
            Booking.user_id == user.id,
            Booking.instrument_id == instrument.id,
            Booking.status.in_(sorted(ACTIVE_STATUSES)),
            Booking.end > now,
        )
    )
