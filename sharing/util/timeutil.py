"""Times and intervals, pure: the platform zone is always passed in, never looked up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class TimeFormatError(ValueError):
    """A string is not an RFC 3339 date-time."""


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`; ValueError with the name if it does not exist."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone: {name!r}") from exc


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` in UTC; a naive moment is read as wall time in `zone`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)


def parse_datetime(text: str, zone: ZoneInfo) -> datetime:
    """Parse an RFC 3339 string (offset or `Z` optional) into an aware UTC datetime."""
    if not isinstance(text, str) or not text.strip():
        raise TimeFormatError("expected an RFC 3339 date-time")
    cleaned = text.strip()
    if cleaned[-1] in "zZ":
        cleaned = cleaned[:-1] + "+00:00"
    try:
        moment = as_utc(datetime.fromisoformat(cleaned), zone)
    except (ValueError, OverflowError) as exc:
        raise TimeFormatError(f"not an RFC 3339 date-time: {text!r}") from exc
    if not EARLIEST <= moment < LATEST:
        # Far-off years mean nothing here and would overflow date arithmetic further on.
        raise TimeFormatError(f"outside the years {EARLIEST.year}-{LATEST.year - 1}: {text!r}")
    return moment


def format_datetime(moment: datetime, zone: ZoneInfo) -> str:
    """RFC 3339 in `zone`, with its offset and without microseconds."""
    return moment.astimezone(zone).replace(microsecond=0).isoformat()


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open range of instants [start, end)."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.end <= self.start:
            raise ValueError("an interval must end after it starts")

    @property
    def duration(self) -> timedelta:
        """How long the interval lasts."""
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        """True when the two share an instant; touching ends do not overlap."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        """True when `other` lies entirely inside this interval."""
        return self.start <= other.start and other.end <= self.end


MONTH_DIGITS = frozenset("0123456789")


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of exactly `YYYY-MM` in ASCII digits, month 01-12; ValueError otherwise.

    `int()` and `strptime` both accept full-width and other Unicode digits and a one-digit
    month; a month written any other way would be stored under a second spelling.
    """
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-":
        raise ValueError("a month is written YYYY-MM")
    year, month = text[:4], text[5:]
    if not set(year + month) <= MONTH_DIGITS or not 1 <= int(month) <= 12 or int(year) < 1970:
        raise ValueError("a month is written YYYY-MM")
    return int(year), int(month)


def month_after(year: int, month: int) -> tuple[int, int]:
    """The calendar month that follows (year, month)."""
    return (year + 1, 1) if month == 12 else (year, month + 1)
