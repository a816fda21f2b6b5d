"""Importing an .ics schedule as downtimes: recurrences, all-day events, malformed files."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from sharing.bookings.ics_import import CalendarImportError, read_periods
from sharing.bookings.models import Downtime
from sharing.extensions import db
from tests.fixtures.bookings import next_weekday, weekday_instrument

SHANGHAI = ZoneInfo("Asia/Shanghai")


def ics(*events: str) -> bytes:
    body = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Microsoft Corporation//Outlook 16.0//EN",
            *events,
            "END:VCALENDAR",
            "",
        ]
    )
    return body.encode()


def weekly_service(first: datetime) -> str:
    return "\r\n".join([
        "BEGIN:VEVENT", "UID:svc-1", "SUMMARY:真空泵保养",
        f"DTSTART;TZID=China Standard Time:{first:%Y%m%dT%H%M%S}",
        f"DTEND;TZID=China Standard Time:{first + timedelta(hours=2):%Y%m%dT%H%M%S}",
        "RRULE:FREQ=WEEKLY;COUNT=4", "END:VEVENT",
    ])  # fmt: skip


VTIMEZONE = "\r\n".join([
    "BEGIN:VTIMEZONE", "TZID:China Standard Time", "BEGIN:STANDARD", "DTSTART:16010101T000000",
    "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "END:STANDARD", "END:VTIMEZONE",
])  # fmt: skip


def test_recurring_event_expands_in_its_zone():
    first = next_weekday().replace(hour=9)
    now = datetime.now(SHANGHAI)
    periods = read_periods(
        ics(VTIMEZONE, weekly_service(first)), SHANGHAI, now, now + timedelta(days=365)
    )
    assert len(periods) == 4
    assert [p.start.astimezone(SHANGHAI).hour for p in periods] == [9, 9, 9, 9]
    assert periods[1].start - periods[0].start == timedelta(days=7)
    assert periods[0].summary == "真空泵保养"


def test_all_day_event_blocks_the_whole_local_day():
    day = next_weekday()
    event = "\r\n".join(
        [
            "BEGIN:VEVENT",
            "UID:x",
            "SUMMARY:年度校准",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            "END:VEVENT",
        ]
    )
    now = datetime.now(SHANGHAI)
    [period] = read_periods(ics(event), SHANGHAI, now, now + timedelta(days=365))
    assert period.start == day and period.end == day + timedelta(days=1)


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ics("BEGIN:VEVENT", "UID:y", "SUMMARY:无结束", "DTSTART:20301201T010000Z", "END:VEVENT"),
        ics(
            "BEGIN:VEVENT",
            "UID:z",
            "DTSTART:20301201T030000Z",
            "DTEND:20301201T010000Z",
            "END:VEVENT",
        ),
        b"",
    ],
)
def test_malformed_files_are_refused(data):
    now = datetime.now(SHANGHAI)
    with pytest.raises(CalendarImportError):
        read_periods(data, SHANGHAI, now - timedelta(days=1), now + timedelta(days=3650))


def test_import_page_previews_hits_then_creates(client, make, login):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager)
    researcher = make.user("researcher", name="受影响的用户")
    first = next_weekday().replace(hour=9)
    login(researcher)
    client.post(
        f"/instruments/{instrument.id}/book",
        data={"start": first.strftime("%Y-%m-%dT09:30"), "end": first.strftime("%Y-%m-%dT10:30")},
    )
    client.post("/logout")
    login(manager)
    url = f"/instruments/{instrument.id}/downtimes/import"
    assert client.get(url).status_code == 200
    preview = client.post(
        url,
        data={"file": (io.BytesIO(ics(VTIMEZONE, weekly_service(first))), "outlook.ics")},
        content_type="multipart/form-data",
    )
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "将创建 4 个停机时段" in page and "受影响的用户" in page
    assert db.session.scalar(select(func.count(Downtime.id))) == 0  # a preview writes nothing
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)
    created = client.post(url, data={"payload": payload, "confirm": "1"})
    assert created.status_code == 302
    assert db.session.scalar(select(func.count(Downtime.id))) == 4
    tampered = client.post(url, data={"payload": payload[:-3] + "abc", "confirm": "1"})
    assert tampered.status_code == 400 and db.session.scalar(select(func.count(Downtime.id))) == 4


def test_import_page_refuses_malformed_files_and_others(client, make, login):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager)
    login(manager)
    url = f"/instruments/{instrument.id}/downtimes/import"
    bad = client.post(
        url, data={"file": (io.BytesIO(b"garbage"), "bad.ics")}, content_type="multipart/form-data"
    )
    assert bad.status_code == 400 and "文件无法读取" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Downtime.id))) == 0
    client.post("/logout")
    login(make.user("manager"))
    assert client.get(url).status_code == 403
