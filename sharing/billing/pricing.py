"""Pricing as plain code: a booking, its usage and the rate in; charge lines out.

One rounding rule (half up to the fen), applied once per line, to the exact product. Billable
time is the greater of booked and used, rounded up to the billing increment; a minimum
quantity may apply; no-shows and late cancellations pay a share of the booked amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sharing.instruments.rules import BillingTerms, RateUnit
from sharing.util.money import to_money
from sharing.util.timeutil import Interval

MINUTES_PER_HOUR = Decimal(60)
QUANTITY_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class ChargeLine:
    """What a charge records: the unit, quantity and unit price it was made with."""

    kind: str  # usage, no_show, late_cancellation; a loan's usage, mobilisation, operator, damage
    unit: RateUnit | None
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


def billable_minutes(booked: Interval, used: Interval | None, increment_minutes: int) -> int:
    """The greater of booked and used minutes, rounded up to the increment."""
    minutes = booked.duration
    if used is not None:
        minutes = max(minutes, used.duration)
    whole = -(-int(minutes.total_seconds()) // 60)  # partial minutes count as a minute
    return -(-whole // increment_minutes) * increment_minutes


def _quantity(
    unit: RateUnit,
    booked: Interval,
    used: Interval | None,
    samples: int | None,
    terms: BillingTerms,
) -> tuple[Decimal, Decimal]:
    """(quantity shown, quantity multiplied): hours are priced from exact minutes."""
    if unit == RateUnit.HOUR:
        minutes = Decimal(billable_minutes(booked, used, terms.increment_minutes))
        exact = max(minutes / MINUTES_PER_HOUR, terms.minimum_quantity)
        return exact.quantize(QUANTITY_PLACES), exact
    if unit == RateUnit.SAMPLE:
        count = max(Decimal(samples or 0), terms.minimum_quantity)
        return count, count
    return max(Decimal(1), terms.minimum_quantity), max(Decimal(1), terms.minimum_quantity)


def usage_charge(
    terms: BillingTerms,
    unit: RateUnit,
    unit_price: Decimal,
    booked: Interval,
    used: Interval | None,
    samples: int | None = None,
) -> ChargeLine:
    """The charge for a session that took place."""
    shown, exact = _quantity(unit, booked, used, samples, terms)
    return ChargeLine("usage", unit, shown, unit_price, to_money(exact * unit_price))


def booked_amount(
    terms: BillingTerms, unit: RateUnit, unit_price: Decimal, booked: Interval
) -> Decimal:
    """What the booking would have cost as booked (the base of no-show and late-cancel shares)."""
    _shown, exact = _quantity(unit, booked, None, None, terms)
    return exact * unit_price


def no_show_charge(
    terms: BillingTerms, unit: RateUnit, unit_price: Decimal, booked: Interval
) -> ChargeLine:
    """A share of the booked amount for a booking nobody came to."""
    shown, _exact = _quantity(unit, booked, None, None, terms)
    amount = to_money(booked_amount(terms, unit, unit_price, booked) * terms.no_show_share)
    return ChargeLine("no_show", unit, shown, unit_price, amount)


def is_late_cancellation(terms: BillingTerms, booked: Interval, cancelled_at: datetime) -> bool:
    """Cancelled inside the window before the start (the window's edge itself is not late)."""
    return booked.start - cancelled_at < timedelta(hours=terms.cancel_window_hours)


def late_cancellation_charge(
    terms: BillingTerms,
    unit: RateUnit,
    unit_price: Decimal,
    booked: Interval,
    cancelled_at: datetime,
) -> ChargeLine | None:
    """The fee for cancelling close to the start, or None outside the window."""
    if not is_late_cancellation(terms, booked, cancelled_at) or terms.late_cancel_share == 0:
        return None
    shown, _exact = _quantity(unit, booked, None, None, terms)
    amount = to_money(booked_amount(terms, unit, unit_price, booked) * terms.late_cancel_share)
    return ChargeLine("late_cancellation", unit, shown, unit_price, amount)


# Day instruments (sharing.loans): whole days in the platform zone, any part of a day a day.


def billable_days(booked_days: int, dispatched_on: date | None, returned_on: date | None) -> int:
    """Days from the dispatch day to the return day, both counted, and at least the booked
    days (an early return pays what was booked, a late one its extra days)."""
    if dispatched_on is None or returned_on is None:
        return booked_days
    return max(booked_days, (returned_on - dispatched_on).days + 1)


def day_line(kind: str, days: int, unit_price: Decimal) -> ChargeLine:
    """`days` at a day rate: the gear's (kind usage) or its operator's (kind operator)."""
    quantity = Decimal(days)
    return ChargeLine(kind, RateUnit.DAY, quantity, unit_price, to_money(quantity * unit_price))


def fee_line(kind: str, amount: Decimal) -> ChargeLine | None:
    """A single amount (a mobilisation fee, damage), or None when there is nothing to charge."""
    if amount <= 0:
        return None
    return ChargeLine(kind, None, Decimal(1), to_money(amount), to_money(amount))


def capped_damage(damage: Decimal, replacement_value: Decimal | None) -> Decimal:
    """Damage is charged up to the replacement value (uncapped when the value is unknown)."""
    if replacement_value is None:
        return to_money(damage)
    return to_money(min(damage, replacement_value))
