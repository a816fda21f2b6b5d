"""Booking-rule and billing defaults and shapes, pure: one home for every default of domain.md."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

MINUTES_PER_DAY = 24 * 60


class CustomerCategory(enum.StrEnum):
    INTERNAL = "internal"
    ACADEMIC = "academic"
    ENTERPRISE = "enterprise"


class RateUnit(enum.StrEnum):
    HOUR = "hour"
    SAMPLE = "sample"
    RUN = "run"
    DAY = "day"  # day instruments (loans): whole days in the platform zone


class BookingUnit(enum.StrEnum):
    SLOT = "slot"  # booked by the slot, inside open hours
    DAY = "day"  # lent by whole days (sea-going gear, sharing.loans)


def customer_category(
    booker_org_id: int, booker_is_enterprise: bool, owner_org_id: int
) -> CustomerCategory:
    """Internal for the owner's own people, enterprise for companies, academic otherwise."""
    if booker_org_id == owner_org_id:
        return CustomerCategory.INTERNAL
    if booker_is_enterprise:
        return CustomerCategory.ENTERPRISE
    return CustomerCategory.ACADEMIC


@dataclass(frozen=True)
class OpenWindow:
    """A weekly window: weekday 0 is Monday, minutes from midnight; end <= start wraps."""

    weekday: int
    start_minute: int
    end_minute: int

    def __post_init__(self):
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        if not 0 <= self.start_minute < MINUTES_PER_DAY:
            raise ValueError("a window starts between 00:00 and 23:59")
        if not 0 <= self.end_minute <= MINUTES_PER_DAY:
            raise ValueError("a window ends between 00:00 and 24:00")

    @property
    def length_minutes(self) -> int:
        """Minutes the window lasts; a wrapping window runs into the next day."""
        if self.end_minute > self.start_minute:
            return self.end_minute - self.start_minute
        return MINUTES_PER_DAY - self.start_minute + self.end_minute


@dataclass(frozen=True)
class BookingRules:
    """An instrument's booking rules, with defaults; an empty open_hours means always open."""

    slot_minutes: int = 30
    min_minutes: int = 30
    max_minutes: int = 8 * 60
    notice_hours: int = 2
    horizon_days: int = 90
    buffer_minutes: int = 0
    max_future_bookings: int | None = None
    max_hours_per_week: int | None = None
    open_hours: tuple[OpenWindow, ...] = field(default_factory=tuple)
    # Day instruments (loans): whole days lent, and days after a return kept for inspection.
    min_days: int = 1
    max_days: int = 30
    turnaround_days: int = 0


@dataclass(frozen=True)
class BillingTerms:
    """How usage turns into money for one instrument; shares are fractions of the booked amount."""

    increment_minutes: int = 30
    minimum_quantity: Decimal = Decimal("0")
    cancel_window_hours: int = 24
    late_cancel_share: Decimal = Decimal("0.50")
    no_show_share: Decimal = Decimal("1.00")
    no_show_grace_minutes: int = 30
    # How long before its start a booking may be checked in to (api.md: default 30).
    check_in_window_minutes: int = 30


DEFAULT_RULES = BookingRules()
DEFAULT_BILLING = BillingTerms()


def format_minute(minute: int) -> str:
    """'08:00' for 480; '24:00' for the end of the day."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_minute(text: str) -> int:
    """Minutes since midnight for 'HH:MM' (24:00 allowed as an end)."""
    try:
        hours_text, minutes_text = text.split(":")
        hours, minutes = int(hours_text), int(minutes_text)
    except (AttributeError, ValueError) as exc:
        raise ValueError(f"expected HH:MM, got {text!r}") from exc
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ValueError(f"not a time of day: {text!r}")
    return hours * 60 + minutes


def group_open_days(windows: tuple[OpenWindow, ...]) -> list[tuple[int, int, str]]:
    """Runs of consecutive weekdays with identical windows: (first day, last day, '08:00-20:00')."""
    per_day: dict[int, str] = {}
    for window in sorted(windows, key=lambda w: (w.weekday, w.start_minute)):
        text = f"{format_minute(window.start_minute)}–{format_minute(window.end_minute)}"
        per_day[window.weekday] = (
            f"{per_day[window.weekday]}, {text}" if window.weekday in per_day else text
        )
    runs: list[tuple[int, int, str]] = []
    for day in sorted(per_day):
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == per_day[day]:
            runs[-1] = (runs[-1][0], day, per_day[day])
        else:
            runs.append((day, day, per_day[day]))
    return runs
