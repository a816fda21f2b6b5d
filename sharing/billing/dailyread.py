"""Reading the daily rollup: a report's window cut into the whole months and days the rollup
holds and the rest, read from the rows (`sharing.billing.daily`)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select

from sharing.billing.daily import (
    DAY,
    InstrumentDay,
    InstrumentMonth,
    day_of,
    day_start,
    marked_through,
    next_month,
)
from sharing.extensions import db
from sharing.util.timeutil import Interval


class Split:
    """A report's window cut into the whole days the rollup holds (`days`: first and last, or
    None) and the stretches read from the rows (`rest`: a partial first day, days after the
    mark, a partial last day)."""

    def __init__(self, window: Interval, through: date | None):
        first = day_of(window.start)
        if day_start(first) < window.start:
            first += DAY
        last = day_of(window.end) - DAY  # window.end on a midnight: the day before it
        if through is not None:
            last = min(last, through)
        if through is None or last < first:
            self.days, self.rest = None, (window,)
            return
        self.days = (first, last)
        pieces = (
            Interval(window.start, day_start(first)) if window.start < day_start(first) else None,
            Interval(day_start(last + DAY), window.end)
            if day_start(last + DAY) < window.end
            else None,
        )
        self.rest = tuple(piece for piece in pieces if piece is not None)


def split(window: Interval) -> Split:
    return Split(window, marked_through())


def _in_months(days: tuple[date, date]):
    """The whole months inside the days (first and last month, or None) and the days outside
    them (up to two ranges)."""
    first, last = days
    month = first if first.day == 1 else next_month(first.replace(day=1))
    end_month = last.replace(day=1)
    if next_month(end_month) - DAY != last:  # the last month is not whole
        end_month = (end_month - DAY).replace(day=1)
    if month > end_month:
        return None, [days]
    ranges = []
    if first < month:
        ranges.append((first, month - DAY))
    if next_month(end_month) <= last:
        ranges.append((next_month(end_month), last))
    return (month, end_month), ranges


def sums(days: tuple[date, date] | None, figures: tuple[str, ...]) -> dict[int, tuple[int, ...]]:
    """Per instrument, the sums of the figures over the days (none: nothing): whole months
    from the months' rows, the days around them from the days' rows."""
    if days is None:
        return {}
    months, ranges = _in_months(days)
    found: dict[int, list[int]] = {}
    statements = []
    if months is not None:
        statements.append(
            select(
                InstrumentMonth.instrument_id,
                *(func.sum(getattr(InstrumentMonth, figure)) for figure in figures),
            )
            .where(InstrumentMonth.month >= months[0], InstrumentMonth.month <= months[1])
            .group_by(InstrumentMonth.instrument_id)
        )
    if ranges:
        statements.append(
            select(
                InstrumentDay.instrument_id,
                *(func.sum(getattr(InstrumentDay, figure)) for figure in figures),
            )
            .where(or_(*(InstrumentDay.day.between(a, b) for a, b in ranges)))
            .group_by(InstrumentDay.instrument_id)
        )
    for statement in statements:
        for instrument_id, *values in db.session.execute(statement):
            totals = found.setdefault(instrument_id, [0] * len(figures))
            for index, value in enumerate(values):
                totals[index] += int(value or 0)
    return {instrument_id: tuple(values) for instrument_id, values in found.items()}
