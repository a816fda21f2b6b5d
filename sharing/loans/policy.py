"""Loan rules as plain code, pure: days, rules, conflicts and the quote.

Days are whole days in the platform zone. An item holds [start_date, end_date + 1 +
turnaround_days) as days; as time it blocks local midnight to local midnight, so the conflict
check is the bookings' own (`sharing.bookings.conflicts.find_conflicts`) against bookings,
downtimes and other loans alike. Rules break with the bookings' codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sharing.billing.pricing import ChargeLine, billable_days, capped_damage, day_line, fee_line
from sharing.bookings.conflicts import Busy, BusyIndex, find_conflicts
from sharing.bookings.policy import Requester, Violation, person_violations
from sharing.instruments.rules import BookingRules
from sharing.util.money import to_money
from sharing.util.timeutil import Interval

ONE_DAY = timedelta(days=1)


def days_between(start_date: date, end_date: date) -> int:
    """Days of a loan: both ends count."""
    return (end_date - start_date).days + 1


def blocked_until(end_date: date, turnaround_days: int) -> date:
    """The first day free again after a loan (exclusive): the day after the end, plus the days
    kept for inspection."""
    return end_date + timedelta(days=1 + turnaround_days)


def day_interval(first: date, until: date, zone: ZoneInfo) -> Interval:
    """Days [first, until) as time: local midnight to local midnight."""
    return Interval(
        datetime.combine(first, time(), zone),
        datetime.combine(until, time(), zone),
    )


def check_days(
    rules: BookingRules,
    start_date: date,
    end_date: date,
    today: date,
    requester: Requester,
    instrument_available: bool = True,
) -> list[Violation]:
    """Every rule a loan of one item breaks: its state, the borrower's standing, the length in
    days and how far ahead it lies (a loan starts today at the earliest)."""
    violations = person_violations(requester, instrument_available)
    days = days_between(start_date, end_date)
    if days < rules.min_days:
        violations.append(Violation("too_short", {"min": rules.min_days, "unit": "day"}))
    if days > rules.max_days:
        violations.append(Violation("too_long", {"max": rules.max_days, "unit": "day"}))
    if requester.may_override:
        return violations
    if start_date < today:
        violations.append(Violation("too_soon", {"hours": 0}))
    if end_date > today + timedelta(days=rules.horizon_days):
        violations.append(Violation("too_far", {"days": rules.horizon_days}))
    return violations


def item_conflicts(
    start_date: date, end_date: date, turnaround_days: int, busy: Sequence[Busy], zone: ZoneInfo
) -> list[Busy]:
    """What an item's held days would collide with (bookings, downtimes, other loans)."""
    wanted = day_interval(start_date, blocked_until(end_date, turnaround_days), zone)
    return find_conflicts(wanted, 0, BusyIndex(busy))


def operator_conflicts(
    start_date: date, end_date: date, taken: Sequence[tuple[date, date]]
) -> bool:
    """An operator is on one loan a day: True when any of their loans shares a day."""
    return any(first <= end_date and start_date <= last for first, last in taken)


@dataclass(frozen=True)
class ItemTerms:
    """What one item of a loan costs: captured when it is requested, kept with the item."""

    name: str
    day_rate: Decimal
    mobilisation_fee: Decimal
    deposit: Decimal
    operator_day_rate: Decimal | None = None  # None: no operator
    name_en: str = ""


@dataclass(frozen=True)
class QuoteLine:
    """`description` is the API's text (api.md), kept as it was; `kind` (usage, mobilisation,
    operator) and the item's names let a page say the line in its reader's language."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    kind: str = "usage"
    item: str = ""
    item_en: str = ""


@dataclass(frozen=True)
class Quote:
    """Days x rate, mobilisation and operators per item; the deposit apart from the total."""

    lines: tuple[QuoteLine, ...]
    deposit: Decimal
    total: Decimal


def _as_quote_line(terms: ItemTerms, description: str, line: ChargeLine) -> QuoteLine:
    return QuoteLine(
        description,
        line.quantity,
        line.unit_price,
        line.amount,
        kind=line.kind,
        item=terms.name,
        item_en=terms.name_en,
    )


def item_lines(terms: ItemTerms, days: int) -> list[tuple[str, ChargeLine]]:
    """The item's lines for `days`: the gear, its mobilisation, its operator."""
    lines = [(terms.name, day_line("usage", days, terms.day_rate))]
    mobilisation = fee_line("mobilisation", terms.mobilisation_fee)
    if mobilisation is not None:
        lines.append((f"{terms.name}: mobilisation", mobilisation))
    if terms.operator_day_rate is not None:
        lines.append(
            (f"{terms.name}: operator", day_line("operator", days, terms.operator_day_rate))
        )
    return lines


def quote(items: Sequence[ItemTerms], days: int) -> Quote:
    """The quote shown before a loan is sent (and kept with it)."""
    lines = tuple(
        _as_quote_line(terms, description, line)
        for terms in items
        for description, line in item_lines(terms, days)
    )
    return Quote(
        lines=lines,
        deposit=to_money(sum((t.deposit for t in items), Decimal(0))),
        total=to_money(sum((line.amount for line in lines), Decimal(0))),
    )


def month_spans(first: date, last: date) -> list[tuple[date, int]]:
    """Days [first, last] cut at month ends: (first day in the month, days in it)."""
    spans = []
    day = first
    while day <= last:
        next_month = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(last, next_month - ONE_DAY)
        spans.append((day, (end - day).days + 1))
        day = end + ONE_DAY
    return spans


@dataclass(frozen=True)
class Closing:
    """What an inspection finds: the charged days, and the damage found (zero when none)."""

    dispatched_on: date
    returned_on: date
    damage: Decimal = Decimal(0)


def closing_lines(
    terms: ItemTerms,
    start_date: date,
    end_date: date,
    closing: Closing,
    replacement_value: Decimal | None,
) -> list[tuple[date, ChargeLine]]:
    """The item's charges at inspection, each with its service date: gear and operator days
    from the dispatch day to the return day (at least the booked days), cut at month ends so
    each month's statement holds its own days; the mobilisation on the dispatch day; damage up
    to the replacement value on the return day."""
    booked = days_between(start_date, end_date)
    days = billable_days(booked, closing.dispatched_on, closing.returned_on)
    first = min(start_date, closing.dispatched_on)
    last = first + timedelta(days=days - 1)
    lines: list[tuple[date, ChargeLine]] = []
    for kind, rate in (("usage", terms.day_rate), ("operator", terms.operator_day_rate)):
        if rate is None:
            continue
        lines += [(day, day_line(kind, count, rate)) for day, count in month_spans(first, last)]
    mobilisation = fee_line("mobilisation", terms.mobilisation_fee)
    if mobilisation is not None:
        lines.append((closing.dispatched_on, mobilisation))
    damage = fee_line("damage", capped_damage(closing.damage, replacement_value))
    if damage is not None:
        lines.append((closing.returned_on, damage))
    return lines
