"""Read an uploaded .ics (e.g. an Outlook maintenance schedule) into downtime periods.

Recurrences are expanded with recurring-ical-events over a window; all-day events cover whole
days in the platform zone. A file that cannot be read is refused whole: nothing is created.
"""

from __future__ import annotations

import time as time_module
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar

MAX_PERIODS = 500
# Expansion stops here whatever the file says: a tiny RRULE can describe millions of events.
MAX_EXPANSION_SECONDS = 2.0
REFUSED_FREQUENCIES = {"SECONDLY", "MINUTELY"}


class CalendarImportError(ValueError):
    """The file is not a usable calendar; the message says why."""


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    summary: str


def _instant(value, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(ZoneInfo("UTC"))
    if isinstance(value, date):
        return datetime.combine(value, time(0), tzinfo=zone).astimezone(ZoneInfo("UTC"))
    raise CalendarImportError(f"unreadable date: {value!r}")


def _check_event(component) -> None:
    """Refuse what a lenient parser would silently skip: broken values, backwards events."""
    title = str(component.get("SUMMARY", ""))
    if component.errors:
        name, problem = component.errors[0]
        raise CalendarImportError(f"the event '{title}' has a broken {name}: {problem}")
    if "DTSTART" not in component:
        raise CalendarImportError(f"the event '{title}' has no start")
    rule = component.get("RRULE")
    frequencies = {str(f).upper() for f in (rule.get("FREQ", []) if rule else [])}
    if frequencies & REFUSED_FREQUENCIES:
        raise CalendarImportError(
            f"the event '{title}' repeats every second or minute; no maintenance schedule does"
        )
    if "DTEND" in component:
        start, end = component["DTSTART"].dt, component["DTEND"].dt
        if type(start) is type(end) and end <= start:
            raise CalendarImportError(f"the event '{title}' ends before it starts")


def read_periods(
    data: bytes, zone: ZoneInfo, window_start: datetime, window_end: datetime
) -> list[Period]:
    """Every event occurrence in [window_start, window_end), sorted, as UTC periods."""
    try:
        calendar = Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as exc:
        raise CalendarImportError(f"not an iCalendar file ({exc})") from None
    if calendar.name != "VCALENDAR":
        raise CalendarImportError("not an iCalendar file (no VCALENDAR)")
    for component in calendar.walk("VEVENT"):
        _check_event(component)
    periods = []
    for event in _bounded_occurrences(calendar, window_start, window_end):
        if "DTSTART" not in event:
            raise CalendarImportError("an event has no start")
        start_value = event["DTSTART"].dt
        if "DTEND" in event:
            end_value = event["DTEND"].dt
        elif "DURATION" in event:
            end_value = start_value + event["DURATION"].dt
        elif isinstance(start_value, date) and not isinstance(start_value, datetime):
            end_value = start_value + timedelta(days=1)
        else:
            raise CalendarImportError(f"the event '{event.get('SUMMARY', '')}' has no end")
        start, end = _instant(start_value, zone), _instant(end_value, zone)
        if end <= start:
            raise CalendarImportError(
                f"the event '{event.get('SUMMARY', '')}' ends before it starts"
            )
        periods.append(Period(start, end, str(event.get("SUMMARY", ""))[:300]))
    return sorted(periods, key=lambda p: p.start)


def _bounded_occurrences(calendar, window_start: datetime, window_end: datetime):
    """Occurrences in the window, one at a time, refused past MAX_PERIODS or the time budget."""
    deadline = time_module.monotonic() + MAX_EXPANSION_SECONDS
    try:
        occurrences = recurring_ical_events.of(calendar).after(window_start)
        for count, event in enumerate(occurrences, start=1):
            if _instant(event["DTSTART"].dt, window_end.tzinfo) >= window_end:
                return
            if count > MAX_PERIODS:
                raise CalendarImportError(
                    f"more than {MAX_PERIODS} periods; import a shorter schedule"
                )
            if time_module.monotonic() > deadline:
                raise CalendarImportError("the file takes too long to read; import fewer events")
            yield event
    except CalendarImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - the library raises many kinds for bad input
        raise CalendarImportError(f"the events cannot be expanded ({exc})") from None
