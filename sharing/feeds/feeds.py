"""Feed bytes from plain items, pure: no Flask, no database; `now` is passed in.

What the major clients need is decided here once: UTC times (no TZID for Outlook to misread),
a stable UID per item, SEQUENCE that rises with every change (Google ignores changes otherwise),
STATUS, a refresh hint, and icalendar's line folding, which splits at character boundaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vDuration

from sharing.util.inputs import strip_line_controls

PRODID = "-//Blue Valley Instrument Sharing//蓝谷海洋仪器共享平台//ZH"
UID_DOMAIN = "bluevalley-sharing"
REFRESH = timedelta(minutes=15)


@dataclass(frozen=True)
class FeedItem:
    """One event of a feed, already worded for its readers."""

    uid: str
    # Dates (not times) make an all-day event (VALUE=DATE, DTEND the day after the last): loans.
    start: datetime | date
    end: datetime | date
    summary: str
    status: str = "CONFIRMED"  # TENTATIVE, CONFIRMED or CANCELLED
    sequence: int = 0
    changed_at: datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""


def booking_uid(booking_id: int) -> str:
    return f"booking-{booking_id}@{UID_DOMAIN}"


def downtime_uid(downtime_id: int) -> str:
    return f"downtime-{downtime_id}@{UID_DOMAIN}"


def loan_uid(loan_id: int) -> str:
    return f"loan-{loan_id}@{UID_DOMAIN}"


def challenge_uid(challenge_id: int) -> str:
    return f"challenge-deadline-{challenge_id}@{UID_DOMAIN}"


def build_calendar(
    name: str, items: Iterable[FeedItem], now: datetime, description: str = ""
) -> bytes:
    """A VCALENDAR with METHOD:PUBLISH, ready to serve as text/calendar."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", strip_line_controls(name))
    if description:
        calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for item in items:
        calendar.add_component(_event(item, now))
    return calendar.to_ical()


def _event(item: FeedItem, now: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    # DTSTAMP: when this version of the event came to be, so the bytes are stable between polls.
    stamp = item.changed_at or now
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", item.start)
    event.add("dtend", item.end)
    # Calendar clients break lines on control characters and U+2028 even inside folded text.
    event.add("summary", strip_line_controls(item.summary))
    event.add("sequence", item.sequence)
    event.add("status", item.status)
    event.add("transp", "OPAQUE")
    if item.description:
        lines = item.description.split("\n")
        event.add("description", "\n".join(strip_line_controls(line) for line in lines))
    if item.location:
        event.add("location", strip_line_controls(item.location))
    if item.url:
        event.add("url", item.url)
    return event
