"""The people and organisations each instrument served in a year, kept per instrument and year
once the year is over (issue 36): distinct counts cannot be summed from the daily rollup, and
counting a year's distinct users from its rows took seconds at ten times the demo's size.

A year is kept once the daily rollup holds its last day (`sharing.billing.daily`); whatever
recomputes a day of such a year recomputes the year of that instrument (billing's signal
`days_rolled_up`). The year still running is counted from the rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, Select, delete, func, insert, literal, select
from sqlalchemy.orm import Mapped, mapped_column

from sharing.auth.models import User
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.orders.lifecycle import OrderStatus
from sharing.orders.models import Order, OrderEvent
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval


class InstrumentYear(db.Model):
    """Distinct users and organisations served by one instrument in one (ended) year."""

    __tablename__ = "instrument_years"

    instrument_id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    users_served: Mapped[int] = mapped_column(Integer, default=0)
    organisations_served: Mapped[int] = mapped_column(Integer, default=0)


def year_window(year: int) -> Interval:
    zone = platform_zone()
    return Interval(datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone))


def _completed_orders(window: Interval):
    """Ids of the orders completed inside the window."""
    return (
        select(OrderEvent.order_id)
        .where(
            OrderEvent.to_status == OrderStatus.COMPLETED,
            OrderEvent.at >= window.start,
            OrderEvent.at < window.end,
        )
        .scalar_subquery()
    )


def served_rows(window: Interval, ids: list[int] | Select | None = None):
    """SQL: (instrument_id, user_id, org_id) of everyone served in the window: the people of
    completed sessions and the orders completed (a sample run is counted with its order)."""
    sessions = (
        select(
            Booking.instrument_id.label("instrument_id"),
            Booking.user_id.label("user_id"),
            func.coalesce(Booking.customer_org_id, User.organisation_id).label("org_id"),
        )
        .join(User, User.id == Booking.user_id)
        .where(
            Booking.status == BookingStatus.COMPLETED,
            Booking.order_id.is_(None),
            Booking.used_start >= window.start,
            Booking.used_start < window.end,
        )
    )
    orders = select(Order.instrument_id, Order.created_by_id, Order.customer_org_id).where(
        Order.id.in_(_completed_orders(window))
    )
    if ids is not None:
        sessions = sessions.where(Booking.instrument_id.in_(ids))
        orders = orders.where(Order.instrument_id.in_(ids))
    return sessions.union_all(orders).subquery()


def count_year(year: int, instrument_ids: list[int] | None = None) -> None:
    """Recount the year's people of the instruments (or of all) from the rows."""
    rows = served_rows(year_window(year), instrument_ids)
    drop = delete(InstrumentYear).where(InstrumentYear.year == year)
    if instrument_ids is not None:
        drop = drop.where(InstrumentYear.instrument_id.in_(instrument_ids))
    db.session.execute(drop)
    counted = select(
        rows.c.instrument_id,
        literal(year),
        func.count(func.distinct(rows.c.user_id)),
        func.count(func.distinct(rows.c.org_id)),
    ).group_by(rows.c.instrument_id)
    db.session.execute(
        insert(InstrumentYear).from_select(
            ["instrument_id", "year", "users_served", "organisations_served"], counted
        )
    )


def ended_years(first: date, last: date, through: date) -> list[int]:
    """The years of first..last whose last day is at or before `through`."""
    return [year for year in range(first.year, last.year + 1) if date(year, 12, 31) <= through]


def days_rolled_up(_sender=None, instrument_ids=None, first=None, last=None, through=None):
    """Billing recomputed days first..last (of the instruments, or of all): recount the ended
    years they fall in."""
    for year in ended_years(first, last, through):
        count_year(year, instrument_ids)


def kept(year: int, through: date | None) -> bool:
    return through is not None and date(year, 12, 31) <= through


def people_of_year(ids: list[int] | Select, year: int) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(
        select(
            InstrumentYear.instrument_id,
            InstrumentYear.users_served,
            InstrumentYear.organisations_served,
        ).where(InstrumentYear.year == year, InstrumentYear.instrument_id.in_(ids))
    )
    return {instrument_id: (users, orgs) for instrument_id, users, orgs in rows}
