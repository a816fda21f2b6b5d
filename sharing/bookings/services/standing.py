"""The booker's standing the rules need: suspension, qualification, the bookings quotas count."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from sharing.auth.models import User
from sharing.bookings.lifecycle import ACTIVE_STATUSES
from sharing.bookings.models import LONGEST_BLOCK, Booking, Suspension
from sharing.bookings.policy import Requester
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.instruments.services import is_qualified
from sharing.timeutil import Interval

QUOTA_LOOKBACK = timedelta(days=8)


def own_intervals(user_id: int, instrument_id: int, now: datetime) -> tuple[Interval, ...]:
    """The booker's active bookings on the instrument that quotas may count."""
    rows = db.session.execute(
        select(Booking.start, Booking.end).where(
            Booking.user_id == user_id,
            Booking.instrument_id == instrument_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start >= now - QUOTA_LOOKBACK - LONGEST_BLOCK,  # bounded by the index
            Booking.end > now - QUOTA_LOOKBACK,
        )
    ).all()
    return tuple(Interval(start, end) for start, end in rows)


def is_suspended(user: User, organisation_id: int) -> bool:
    """Whether the user's booking rights on this organisation's instruments are suspended."""
    statement = select(Suspension.id).where(
        Suspension.user_id == user.id,
        Suspension.organisation_id == organisation_id,
        Suspension.lifted_at.is_(None),
    )
    return db.session.scalar(statement.limit(1)) is not None


def requester_for(
    booker: User, instrument: Instrument, on_behalf: bool, now: datetime
) -> Requester:
    """The facts about the booker that the pure rules need."""
    return Requester(
        suspended=is_suspended(booker, instrument.organisation_id),
        qualified=is_qualified(booker, instrument),
        may_override=on_behalf,
        own_bookings=own_intervals(booker.id, instrument.id, now),
    )
