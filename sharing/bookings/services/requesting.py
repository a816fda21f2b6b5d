"""Booking requests: one slot or a series, all or nothing, under the instrument's lock.

The conflict check and the insert happen in one transaction that holds the instrument's lock
(PostgreSQL: an advisory lock, plus the exclusion constraint as the final word; SQLite: the
database write lock taken by BEGIN IMMEDIATE at the start of every write request).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from sharing.auth.models import User
from sharing.bookings.conflicts import (
    SUGGESTION_DAYS,
    Busy,
    BusyIndex,
    SlotSearch,
    find_conflicts,
    suggest,
)
from sharing.bookings.lifecycle import (
    BookingStatus,
)
from sharing.bookings.messages import violation_body
from sharing.bookings.models import Booking
from sharing.bookings.notifications import notify
from sharing.bookings.policy import Violation, booked_by_week, check_request
from sharing.bookings.services.availability import read_for_request
from sharing.bookings.services.inserting import insert_bookings
from sharing.bookings.services.standing import standing_read
from sharing.core.dbsetup import before_writer_turn
from sharing.core.errors import BadRequest, Conflict, Forbidden, RuleViolation
from sharing.core.locking import INSTRUMENT_BOOKINGS, advisory_lock
from sharing.extensions import db
from sharing.funding.services import note_use, require_usable
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.instruments.services import get_instrument
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, format_datetime, utcnow

SUGGESTIONS = 3


@dataclass(frozen=True)
class Repeat:
    """A series: `count` occurrences, daily or weekly, at the same wall-clock time."""

    freq: str
    count: int

    @property
    def step(self) -> timedelta:
        return timedelta(days=1 if self.freq == "daily" else 7)


def lock_instrument(instrument_id: int) -> None:
    """Serialise booking writes of one instrument for the rest of the transaction."""
    advisory_lock(INSTRUMENT_BOOKINGS, instrument_id)


def occurrences(first: Interval, repeat: Repeat | None) -> list[Interval]:
    """The intervals of a request or series, stepping wall-clock days in the platform zone."""
    if repeat is None:
        return [first]
    zone = platform_zone()
    local_start, local_end = first.start.astimezone(zone), first.end.astimezone(zone)
    series = []
    for number in range(repeat.count):
        shift = repeat.step * number
        start = (local_start.replace(tzinfo=None) + shift).replace(tzinfo=zone)
        end = (local_end.replace(tzinfo=None) + shift).replace(tzinfo=zone)
        series.append(
            Interval(start.astimezone(first.start.tzinfo), end.astimezone(first.start.tzinfo))
        )
    return series


def _busy_body(busy: list[Busy]) -> list[dict]:
    zone = platform_zone()
    return [
        {
            "start": format_datetime(b.start, zone),
            "end": format_datetime(b.end, zone),
            "kind": b.kind,
        }
        for b in busy
    ]


def _interval_body(interval: Interval) -> dict:
    zone = platform_zone()
    return {
        "start": format_datetime(interval.start, zone),
        "end": format_datetime(interval.end, zone),
    }


@dataclass
class Refusal:
    interval: Interval
    violations: list[Violation]
    conflicts: list[Busy]


def _resolve_booker(actor: User, instrument: Instrument, user_id: int | None) -> tuple[User, bool]:
    """Who the booking is for, and whether a manager books on their behalf."""
    if user_id is None or user_id == actor.id:
        return actor, False
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("Only the instrument's managers book on behalf of others.")
    booker = db.session.get(User, user_id)
    if booker is None or not booker.active:
        raise BadRequest(
            "No active user %(id)s.", {"id": user_id}, fields={"user_id": ["unknown user"]}
        )
    return booker, True


@dataclass
class Evaluation:
    """A request read against the instrument's rules and busy time, nothing written yet."""

    instrument: Instrument
    booker: User
    on_behalf: bool
    series: list[Interval]
    refusals: list[Refusal]
    busy: BusyIndex
    schedule_version: datetime | None
    account: object | None


def _evaluate(
    actor: User,
    instrument_id: int,
    start: datetime,
    end: datetime,
    user_id: int | None,
    repeat: Repeat | None,
    now: datetime,
    account_id: int | None,
    lock: bool,
) -> Evaluation:
    """Every rule and clash of a request (or series), each occurrence judged in turn."""
    if end <= start:
        raise BadRequest("A booking must end after it starts.", fields={"end": ["before start"]})
    if lock:
        # Read and locked in one statement (PostgreSQL: the row as it stood when the lock was
        # asked for); SQLite reads it so before the writers' turn. What the request decides on
        # (busy time, the booker's standing) is read after the lock.
        with before_writer_turn():
            instrument = get_instrument(instrument_id, lock=INSTRUMENT_BOOKINGS)
    else:
        instrument = get_instrument(instrument_id)
    if instrument.is_day_instrument:
        raise RuleViolation(
            "This instrument is lent by the day: ask for a loan.",
            violations=violation_body([Violation("loan_only")]),
        )
    booker, on_behalf = _resolve_booker(actor, instrument, user_id)
    rules = instrument.booking_rules()
    zone = platform_zone()
    series = occurrences(Interval(start, end), repeat)
    account = (
        require_usable(booker, account_id, [i.start.astimezone(zone).date() for i in series])
        if account_id is not None
        else None
    )
    standing = standing_read(booker, instrument, on_behalf, now, series)
    buffer = timedelta(minutes=rules.buffer_minutes)
    span = Interval(series[0].start, series[-1].end + buffer)
    reading = read_for_request(instrument.id, span, standing, with_version=True)
    busy, requester = BusyIndex(reading.busy), reading.requester
    available = instrument.status == InstrumentStatus.AVAILABLE

    refusals, accepted = [], []
    booked = requester.booked_by_week
    for earlier, interval in enumerate(series):
        person = replace(
            requester,
            may_override=on_behalf,
            booked_by_week=booked,
            future_bookings=requester.future_bookings + earlier,
        )
        violations = check_request(rules, interval, now, zone, person, available)
        clashes = find_conflicts(interval, rules.buffer_minutes, busy)
        clashes += [
            Busy(other.start, other.end, "booking")
            for other in accepted
            if other.overlaps(Interval(interval.start, interval.end + buffer))
        ]
        if violations or clashes:
            refusals.append(Refusal(interval, violations, clashes))
        accepted.append(interval)
        booked = booked_by_week([interval], zone, into=booked)
    return Evaluation(
        instrument, booker, on_behalf, series, refusals, busy, reading.schedule_version, account
    )


@dataclass(frozen=True)
class Preview:
    """What a request would meet, for the booking form's live estimate: nothing is held."""

    instrument: Instrument
    booker: User
    series: list[Interval]
    violations: list[dict]
    conflicts: list[dict]


def preview_booking(
    actor: User,
    instrument_id: int,
    start: datetime,
    end: datetime,
    user_id: int | None = None,
    repeat: Repeat | None = None,
    now: datetime | None = None,
    account_id: int | None = None,
) -> Preview:
    """The rules a request breaks and the times it collides with, read without the lock."""
    found = _evaluate(
        actor, instrument_id, start, end, user_id, repeat, now or utcnow(), account_id, lock=False
    )
    return Preview(
        found.instrument,
        found.booker,
        found.series,
        violation_body([v for r in found.refusals for v in r.violations]),
        _busy_body([c for r in found.refusals for c in r.conflicts]),
    )


def request_booking(
    actor: User,
    instrument_id: int,
    start: datetime,
    end: datetime,
    purpose: str = "",
    user_id: int | None = None,
    repeat: Repeat | None = None,
    now: datetime | None = None,
    account_id: int | None = None,
) -> list[Booking]:
    """Book one slot or a whole series (all or nothing); raises RuleViolation or Conflict."""
    now = now or utcnow()
    found = _evaluate(actor, instrument_id, start, end, user_id, repeat, now, account_id, lock=True)
    instrument, booker, on_behalf, series = (
        found.instrument,
        found.booker,
        found.on_behalf,
        found.series,
    )
    account, busy = found.account, found.busy
    buffer = timedelta(minutes=instrument.booking_rules().buffer_minutes)
    if found.refusals:
        nearby = Nearby(booker, instrument, on_behalf, now)
        _refuse(found.refusals, repeat is not None, nearby)

    # Managers need no one's approval on their own instruments (e.g. a lab's sample runs).
    self_approved = on_behalf or can_manage_instrument(actor, instrument)
    status = (
        BookingStatus.APPROVED
        if self_approved or not instrument.requires_approval
        else BookingStatus.PENDING
    )
    series_id = str(uuid.uuid4()) if repeat else None
    rows = [
        {
            "instrument_id": instrument.id,
            "user_id": booker.id,
            "created_by_id": actor.id,
            "start": interval.start,
            "end": interval.end,
            "blocked_until": interval.end + buffer,
            "status": status,
            "purpose": purpose.strip(),
            "series_id": series_id,
            "on_behalf": on_behalf,
            "account_id": account_id,
        }
        for interval in series
    ]
    bookings = _insert(rows, actor, busy, found.schedule_version)
    if account is not None:
        note_use(account, booker, now)
    for booking in bookings:
        # What the answer shows of them, without loading it again.
        set_committed_value(booking, "instrument", instrument)
        set_committed_value(booking, "user", booker)
    if status == BookingStatus.PENDING:
        notify("pending", bookings[0], actor, count=len(bookings))
    return bookings


def _insert(
    rows: list[dict], actor: User, busy: BusyIndex, schedule_version: datetime | None
) -> list[Booking]:
    """Insert the bookings and their first history rows; the exclusion constraint's refusal
    (PostgreSQL's last word, should two writers ever pass the lock) becomes a 409.

    No savepoint around them: a refused statement spoils the transaction, but nothing of it
    is kept then (every caller's refusal rolls back; the idempotency key was claimed in its own
    transaction and its answer is written after the rollback), and the savepoint's two round
    trips were a tenth of a booking's time on PostgreSQL.
    """
    try:
        return insert_bookings(rows, actor, schedule_version)
    except IntegrityError as error:
        if "ex_bookings_no_overlap" not in str(error.orig):
            raise
        raise Conflict(
            "Another booking took this time a moment ago.",
            conflicts=_busy_body(busy.items),
            suggestions=[],
        ) from None


@dataclass(frozen=True)
class Nearby:
    """Where to look for slots near a refused request: read only when there is one to suggest."""

    booker: User
    instrument: Instrument
    on_behalf: bool
    now: datetime

    def search(self, wanted: Interval) -> SlotSearch:
        """Busy time and the booker's quotas up to SUGGESTION_DAYS either side of `wanted`."""
        rules = self.instrument.booking_rules()
        reach = timedelta(days=SUGGESTION_DAYS)
        around = Interval(wanted.start - reach, wanted.end + reach)
        blocked = Interval(around.start, around.end + timedelta(minutes=rules.buffer_minutes))
        standing = standing_read(self.booker, self.instrument, self.on_behalf, self.now, [around])
        reading = read_for_request(self.instrument.id, blocked, standing)
        return SlotSearch(
            rules,
            BusyIndex(reading.busy),
            self.now,
            platform_zone(),
            reading.requester,
            self.instrument.status == InstrumentStatus.AVAILABLE,
        )


def _refuse(refusals: list[Refusal], is_series: bool, nearby: Nearby) -> None:
    if is_series:
        details = [
            {
                **_interval_body(r.interval),
                "violations": violation_body(r.violations),
                "conflicts": _busy_body(r.conflicts),
            }
            for r in refusals
        ]
        if any(r.violations for r in refusals):
            raise RuleViolation(
                "%(count)s occurrence(s) of the series break a rule; nothing was booked.",
                {"count": len(refusals)},
                violations=violation_body([v for r in refusals for v in r.violations]),
                occurrences=details,
            )
        raise Conflict(
            "%(count)s occurrence(s) of the series collide; nothing was booked.",
            params={"count": len(refusals)},
            conflicts=[c for d in details for c in d["conflicts"]],
            occurrences=details,
            suggestions=[],
        )
    refusal = refusals[0]
    if refusal.violations:
        raise RuleViolation(
            "The request breaks the instrument's booking rules.",
            violations=violation_body(refusal.violations),
        )
    raise Conflict(
        "The time is taken.",
        conflicts=_busy_body(refusal.conflicts),
        suggestions=[
            _interval_body(s)
            for s in suggest(nearby.search(refusal.interval), refusal.interval, SUGGESTIONS)
        ],
    )
