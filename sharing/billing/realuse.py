"""Real use: what the reports count as used time.

Where an instrument's agent reported sessions, their times are the use (a person who stayed two
hours longer is seen; one who logged off and on again is counted for the time at the PC); use
without a booking counts until the managers dismiss it. Bookings without an ended session count
the use recorded on them (check-in to check-out, or a manager's entry).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, Subquery, exists, func, literal, select

from sharing.auth.models import User
from sharing.billing.models import SessionStatus, UsageSession
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.core.dbtypes import UTCDateTime
from sharing.core.sqltime import earlier_of, later_of
from sharing.extensions import db
from sharing.util.timeutil import Interval


@dataclass(frozen=True)
class Use:
    """One stretch of use, clipped to the window asked for."""

    instrument_id: int
    start: datetime
    end: datetime
    served_org_id: int  # the ordering organisation for a sample run, else the user's
    user_id: int

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


def _counted_sessions(window: Interval) -> Select:
    served = func.coalesce(Booking.customer_org_id, User.organisation_id)
    return (
        select(
            UsageSession.instrument_id,
            UsageSession.started_at,
            UsageSession.ended_at,
            served,
            UsageSession.user_id,
        )
        .join(User, User.id == UsageSession.user_id)
        .outerjoin(Booking, Booking.id == UsageSession.booking_id)
        .where(
            UsageSession.ended_at.is_not(None),
            UsageSession.status != SessionStatus.DISMISSED,
            UsageSession.started_at < window.end,
            UsageSession.ended_at > window.start,
        )
    )


def _bookings_without_sessions(window: Interval) -> Select:
    reported = exists().where(
        UsageSession.booking_id == Booking.id, UsageSession.ended_at.is_not(None)
    )
    return (
        select(
            Booking.instrument_id,
            Booking.used_start,
            Booking.used_end,
            func.coalesce(Booking.customer_org_id, User.organisation_id),
            Booking.user_id,
        )
        .join(User, User.id == Booking.user_id)
        .where(
            Booking.status == BookingStatus.COMPLETED,
            Booking.used_start < window.end,
            Booking.used_end > window.start,
            ~reported,
        )
    )


def real_use(window: Interval, instrument_ids: Select | None = None) -> list[Use]:
    """Every stretch of use inside the window (of the given instruments, else of all)."""
    sessions, bookings = _counted_sessions(window), _bookings_without_sessions(window)
    if instrument_ids is not None:
        sessions = sessions.where(UsageSession.instrument_id.in_(instrument_ids))
        bookings = bookings.where(Booking.instrument_id.in_(instrument_ids))
    found = []
    for instrument_id, start, end, served, user_id in db.session.execute(
        sessions.union_all(bookings)
    ):
        start, end = max(start, window.start), min(end, window.end)
        if end > start:
            found.append(Use(instrument_id, start, end, served, user_id))
    return found


def clipped_use(window: Interval) -> Subquery:
    """SQL: every stretch of use inside the window, clipped to it, as the rows of `real_use`
    (instrument_id, start, end, served_org_id): for the reports to sum in the database."""
    sessions, bookings = _counted_sessions(window), _bookings_without_sessions(window)
    start, end = literal(window.start, UTCDateTime), literal(window.end, UTCDateTime)
    rows = sessions.union_all(bookings).subquery()
    instrument_id, began, ended, served = list(rows.c)[:4]
    return select(
        instrument_id.label("instrument_id"),
        later_of(began, start).label("start"),
        earlier_of(ended, end).label("end"),
        served.label("served_org_id"),
    ).subquery()
