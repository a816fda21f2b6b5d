"""The booker's standing the rules need: suspension, qualification, the bookings quotas count."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.bookings.lifecycle import ACTIVE_STATUSES
from sharing.bookings.models import LONGEST_BLOCK, Booking, Suspension
from sharing.bookings.policy import Requester, week_of
from sharing.extensions import db
from sharing.formatting import platform_zone
from sharing.instruments.models import Instrument
from sharing.instruments.services import training_standing
from sharing.timeutil import Interval


def own_intervals(user_id: int, instrument_id: int, span: Interval) -> tuple[Interval, ...]:
    """The booker's active bookings on the instrument that meet `span` (the weeks quotas count).

    Bounded on both sides, so its cost follows the span, not the booker's history.
    """
    rows = db.session.execute(
        select(Booking.start, Booking.end).where(
            Booking.user_id == user_id,
            Booking.instrument_id == instrument_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start >= span.start - LONGEST_BLOCK,
            Booking.start < span.end,
            Booking.end > span.start,
        )
    ).all()
    return tuple(Interval(start, end) for start, end in rows)


def future_bookings(user_id: int, instrument_id: int, now: datetime, cap: int) -> int:
    """How many of the booker's active bookings on the instrument have not ended, up to `cap`.

    The rule only asks whether the cap is reached: counting stops there.
    """
    upcoming = (
        select(Booking.id)
        .where(
            Booking.user_id == user_id,
            Booking.instrument_id == instrument_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start >= now - LONGEST_BLOCK,
            Booking.end > now,
        )
        .limit(cap)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(upcoming)) or 0


def quota_weeks(span: Interval) -> Interval:
    """From the start of the week of `span.start` to the end of the week of `span.end`."""
    zone = platform_zone()
    return Interval(week_of(span.start, zone).start, week_of(span.end, zone).end)


def is_suspended(user: User, organisation_id: int) -> bool:
    """Whether the user's booking rights on this organisation's instruments are suspended."""
    statement = select(Suspension.id).where(
        Suspension.user_id == user.id,
        Suspension.organisation_id == organisation_id,
        Suspension.lifted_at.is_(None),
    )
    return db.session.scalar(statement.limit(1)) is not None


def requester_for(
    booker: User, instrument: Instrument, on_behalf: bool, now: datetime, span: Interval
) -> Requester:
    """The facts about the booker that the pure rules need, for requests inside `span`.

    Quotas bind neither managers booking on someone's behalf nor instruments without them:
    their counts are only read where a rule will look at them.
    """
    rules = instrument.booking_rules()
    own, upcoming = (), 0
    if not on_behalf and rules.max_hours_per_week is not None:
        own = own_intervals(booker.id, instrument.id, quota_weeks(span))
    if not on_behalf and rules.max_future_bookings is not None:
        upcoming = future_bookings(booker.id, instrument.id, now, rules.max_future_bookings)
    standing = training_standing(booker, instrument, now)
    return Requester(
        suspended=is_suspended(booker, instrument.organisation_id),
        qualified=standing == "qualified",
        qualification_lapsed=standing == "expired",
        may_override=on_behalf,
        own_bookings=own,
        future_bookings=upcoming,
    )
