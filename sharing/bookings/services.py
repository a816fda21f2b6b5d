"""Booking operations: load, decide with the pure rules, persist. Never commits.

The conflict check and the insert happen in one transaction that holds the instrument's lock
(PostgreSQL: an advisory lock, plus the exclusion constraint as the final word; SQLite: the
database write lock taken by BEGIN IMMEDIATE at the start of every write request).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.bookings.access import can_cancel_booking, can_decide_booking, can_view_booking
from sharing.bookings.conflicts import (
    Busy,
    BusyIndex,
    SlotSearch,
    find_conflicts,
    free_slots,
    suggest,
)
from sharing.bookings.lifecycle import (
    ACTIVE_STATUSES,
    Action,
    BookingStatus,
    IllegalTransition,
    next_status,
)
from sharing.bookings.messages import violation_body
from sharing.bookings.models import Booking, BookingEvent, Downtime, Suspension
from sharing.bookings.notifications import notify
from sharing.bookings.policy import Requester, Violation, check_request
from sharing.bookings.signals import booking_cancelled
from sharing.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation
from sharing.extensions import db
from sharing.feedversions import instrument_key, latest
from sharing.formatting import platform_zone
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.instruments.services import get_instrument, is_qualified
from sharing.locking import INSTRUMENT_BOOKINGS, advisory_lock, lock_row
from sharing.pagination import Page
from sharing.timeutil import Interval, format_datetime, utcnow

# No booking is longer than 14 days plus a day of buffer: a lower bound for overlap queries,
# so their cost does not grow with the instrument's history.
LONGEST_BLOCK = timedelta(days=15)
QUOTA_LOOKBACK = timedelta(days=8)
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


def load_busy(instrument_id: int, window: Interval, exclude: set[int] | None = None) -> list[Busy]:
    """Active bookings (with buffers) and downtimes of the instrument that touch `window`."""
    bookings = db.session.execute(
        select(Booking.id, Booking.start, Booking.blocked_until).where(
            Booking.instrument_id == instrument_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start < window.end,
            Booking.start >= window.start - LONGEST_BLOCK,
            Booking.blocked_until > window.start,
        )
    ).all()
    downtimes = db.session.execute(
        select(Downtime.id, Downtime.start, Downtime.end).where(
            Downtime.instrument_id == instrument_id,
            Downtime.start < window.end,
            Downtime.end > window.start,
        )
    ).all()
    exclude = exclude or set()
    busy = [Busy(s, e, "booking", i) for i, s, e in bookings if i not in exclude]
    return busy + [Busy(s, e, "downtime", i) for i, s, e in downtimes]


def own_intervals(user_id: int, instrument_id: int, now: datetime) -> tuple[Interval, ...]:
    """The booker's active bookings on the instrument that quotas may count."""
    rows = db.session.execute(
        select(Booking.start, Booking.end).where(
            Booking.user_id == user_id,
            Booking.instrument_id == instrument_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.start >= now - QUOTA_LOOKBACK - LONGEST_BLOCK,  # bounded by the index
            Booking.end > now - QUOTA_LOOKBACK,
        )
    ).all()
    return tuple(Interval(start, end) for start, end in rows)


def is_suspended(user: User, organisation_id: int) -> bool:
    """Whether the user's booking rights on this organisation's instruments are suspended."""
    statement = select(Suspension.id).where(
        Suspension.user_id == user.id,
        Suspension.organisation_id == organisation_id,
        Suspension.lifted_at.is_(None),
    )
    return db.session.scalar(statement.limit(1)) is not None


def requester_for(
    booker: User, instrument: Instrument, on_behalf: bool, now: datetime
) -> Requester:
    """The facts about the booker that the pure rules need."""
    return Requester(
        suspended=is_suspended(booker, instrument.organisation_id),
        qualified=is_qualified(booker, instrument),
        may_override=on_behalf,
        own_bookings=own_intervals(booker.id, instrument.id, now),
    )


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


def request_booking(
    actor: User,
    instrument_id: int,
    start: datetime,
    end: datetime,
    purpose: str = "",
    user_id: int | None = None,
    repeat: Repeat | None = None,
    now: datetime | None = None,
) -> list[Booking]:
    """Book one slot or a whole series (all or nothing); raises RuleViolation or Conflict."""
    now = now or utcnow()
    if end <= start:
        raise BadRequest("A booking must end after it starts.", fields={"end": ["before start"]})
    instrument = get_instrument(instrument_id)
    booker, on_behalf = _resolve_booker(actor, instrument, user_id)
    lock_instrument(instrument.id)
    rules = instrument.booking_rules()
    zone = platform_zone()
    requester = requester_for(booker, instrument, on_behalf, now)
    series = occurrences(Interval(start, end), repeat)
    window = Interval(series[0].start, series[-1].end + timedelta(minutes=rules.buffer_minutes))
    busy = BusyIndex(load_busy(instrument.id, window))
    available = instrument.status == InstrumentStatus.AVAILABLE

    refusals, accepted = [], []
    own = list(requester.own_bookings)
    for interval in series:
        person = Requester(requester.qualified, requester.suspended, on_behalf, tuple(own))
        violations = check_request(rules, interval, now, zone, person, available)
        clashes = find_conflicts(interval, rules.buffer_minutes, busy)
        clashes += [
            Busy(other.start, other.end, "booking")
            for other in accepted
            if other.overlaps(
                Interval(interval.start, interval.end + timedelta(minutes=rules.buffer_minutes))
            )
        ]
        if violations or clashes:
            refusals.append(Refusal(interval, violations, clashes))
        accepted.append(interval)
        own.append(interval)
    if refusals:
        _refuse(
            refusals, repeat is not None, SlotSearch(rules, busy, now, zone, requester, available)
        )

    # Managers need no one's approval on their own instruments (e.g. a lab's sample runs).
    self_approved = on_behalf or can_manage_instrument(actor, instrument)
    status = (
        BookingStatus.APPROVED
        if self_approved or not instrument.requires_approval
        else BookingStatus.PENDING
    )
    series_id = str(uuid.uuid4()) if repeat else None
    bookings = [
        Booking(
            instrument=instrument,
            user=booker,
            created_by=actor,
            start=interval.start,
            end=interval.end,
            blocked_until=interval.end + timedelta(minutes=rules.buffer_minutes),
            status=status,
            purpose=purpose.strip(),
            series_id=series_id,
            on_behalf=on_behalf,
            events=[BookingEvent(actor=actor, from_status=None, to_status=status, reason="")],
        )
        for interval in series
    ]
    _insert(bookings, busy)
    if status == BookingStatus.PENDING:
        notify("pending", bookings[0], actor, count=len(bookings))
    return bookings


def _insert(bookings: list[Booking], busy: BusyIndex) -> None:
    """Flush inside a savepoint: the exclusion constraint's refusal becomes a 409."""
    try:
        with db.session.begin_nested():
            db.session.add_all(bookings)
    except IntegrityError as error:
        if "ex_bookings_no_overlap" not in str(error.orig):
            raise
        raise Conflict(
            "Another booking took this time a moment ago.",
            conflicts=_busy_body(busy.items),
            suggestions=[],
        ) from None


def _refuse(refusals: list[Refusal], is_series: bool, search: SlotSearch) -> None:
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
        suggestions=[_interval_body(s) for s in suggest(search, refusal.interval, SUGGESTIONS)],
    )


def get_booking(actor: User, booking_id: int) -> Booking:
    """The booking if the actor may see it; NotFound otherwise (its existence stays private)."""
    booking = db.session.get(
        Booking, booking_id, options=[joinedload(Booking.instrument), joinedload(Booking.user)]
    )
    if booking is None or not can_view_booking(actor, booking):
        raise NotFound("No booking %(id)s.", {"id": booking_id})
    return booking


def _transition(actor: User, booking: Booking, action: Action, reason: str) -> Booking:
    lock_row(booking)  # a concurrent decision on the same booking waits, then sees its result
    allowed = (
        can_decide_booking if action in (Action.APPROVE, Action.REJECT) else can_cancel_booking
    )
    if action == Action.CANCEL and not booking.is_active:
        allowed = can_view_booking  # a cancelled or final booking: say invalid_state, not 403
    if not allowed(actor, booking):
        raise Forbidden("You may not %(action)s this booking.", {"action": action.value})
    try:
        record_transition(booking, action, actor, reason)
    except IllegalTransition as error:
        raise Conflict(str(error), code="invalid_state", status=booking.status.value) from None
    db.session.flush()
    return booking


def record_transition(
    booking: Booking, action: Action, actor: User | None, reason: str = ""
) -> None:
    """Move the booking to its next state with an audit event and a higher calendar SEQUENCE.

    Callers check who may act; IllegalTransition when the state does not allow the action.
    """
    new_status = next_status(booking.status, action)
    booking.events.append(
        BookingEvent(
            actor=actor, from_status=booking.status, to_status=new_status, reason=reason.strip()
        )
    )
    booking.status = new_status
    booking.sequence += 1


def approve_booking(actor: User, booking: Booking, reason: str = "") -> Booking:
    _transition(actor, booking, Action.APPROVE, reason)
    notify("approved", booking, actor, reason=reason)
    return booking


def reject_booking(actor: User, booking: Booking, reason: str = "") -> Booking:
    _transition(actor, booking, Action.REJECT, reason)
    notify("rejected", booking, actor, reason=reason)
    return booking


def cancel_booking(
    actor: User, booking: Booking, reason: str = "", now: datetime | None = None
) -> Booking:
    _transition(actor, booking, Action.CANCEL, reason)
    notify("cancelled", booking, actor, reason=reason)
    booking_cancelled.send(booking, actor=actor, at=now or utcnow())
    return booking


DECISIONS = {"approve": approve_booking, "reject": reject_booking, "cancel": cancel_booking}


def decide_many(actor: User, booking_ids: list[int], decision: str, reason: str = "") -> list[dict]:
    """Apply one decision to many bookings; each answers for itself, in one transaction."""
    results = []
    for booking_id in booking_ids:
        try:
            booking = DECISIONS[decision](actor, get_booking(actor, booking_id), reason)
        except (Forbidden, NotFound, Conflict) as error:
            results.append(
                {"id": booking_id, "ok": False, "error": error.code, "message": error.message}
            )
        else:
            results.append({"id": booking.id, "ok": True, "status": booking.status.value})
    return results


@dataclass(frozen=True)
class BookingQuery:
    instrument_id: int | None = None
    status: str | None = None
    start: datetime | None = None  # bookings ending after this
    end: datetime | None = None  # bookings starting before this
    mine_only: bool = False
    page: int = 1
    per_page: int = 20


def list_bookings(actor: User, query: BookingQuery):
    """The actor's own bookings; managers also their instruments'; admins all."""
    statement = select(Booking).join(Instrument)
    if query.mine_only:
        statement = statement.where(Booking.user_id == actor.id)
    elif not actor.is_admin:
        managed = (
            Instrument.organisation_id == actor.organisation_id
            if actor.role.value == "manager"
            else False
        )
        statement = statement.where(or_(Booking.user_id == actor.id, managed))
    if query.instrument_id is not None:
        statement = statement.where(Booking.instrument_id == query.instrument_id)
    if query.status:
        statement = statement.where(Booking.status == query.status)
    if query.start is not None:
        statement = statement.where(Booking.end > query.start)
    if query.end is not None:
        statement = statement.where(Booking.start < query.end)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    items = db.session.scalars(
        statement.options(joinedload(Booking.instrument), joinedload(Booking.user))
        .order_by(Booking.start, Booking.id)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    return Page(items=list(items), total=total, page=query.page, per_page=query.per_page)


def list_pending_for_manager(actor: User) -> list[Booking]:
    """The queue of requests awaiting the actor's decision."""
    statement = (
        select(Booking)
        .join(Instrument)
        .where(Booking.status == BookingStatus.PENDING)
        .options(joinedload(Booking.instrument), joinedload(Booking.user))
        .order_by(Booking.start)
    )
    if not actor.is_admin:
        statement = statement.where(Instrument.organisation_id == actor.organisation_id)
    return list(db.session.scalars(statement))


def add_downtime(
    actor: User, instrument: Instrument, start: datetime, end: datetime, reason: str = ""
) -> tuple[Downtime, list[Booking]]:
    """Block the instrument; returns the downtime and the active bookings it hits."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    if end <= start:
        raise BadRequest("A downtime must end after it starts.", fields={"end": ["before start"]})
    lock_instrument(instrument.id)
    downtime = Downtime(
        instrument_id=instrument.id,
        start=start,
        end=end,
        reason=reason.strip(),
        created_by_id=actor.id,
    )
    db.session.add(downtime)
    db.session.flush()
    affected = affected_bookings(downtime)
    for booking in affected:
        notify("affected", booking, actor, reason=downtime.reason)
    return downtime, affected


def affected_bookings(downtime: Downtime) -> list[Booking]:
    """Active bookings whose blocked range overlaps the downtime."""
    statement = (
        select(Booking)
        .where(
            Booking.instrument_id == downtime.instrument_id,
            Booking.status.in_(ACTIVE_STATUSES),
            and_(Booking.start < downtime.end, Booking.blocked_until > downtime.start),
        )
        .options(joinedload(Booking.user))
        .order_by(Booking.start)
    )
    return list(db.session.scalars(statement))


def get_downtime(actor: User, downtime_id: int) -> Downtime:
    downtime = db.session.get(Downtime, downtime_id)
    if downtime is None or not can_manage_instrument(actor, get_instrument(downtime.instrument_id)):
        raise NotFound("No downtime %(id)s.", {"id": downtime_id})
    return downtime


def cancel_for_downtime(actor: User, downtime: Downtime, reason: str) -> list[Booking]:
    """Cancel every active booking the downtime hits, with one reason; bookers are told."""
    cancelled = []
    for booking in affected_bookings(downtime):
        _transition(actor, booking, Action.CANCEL, reason)
        notify("downtime", booking, actor, reason=reason)
        cancelled.append(booking)
    return cancelled


def list_downtimes(instrument: Instrument) -> list[tuple[Downtime, list[Booking]]]:
    """The instrument's current and future downtimes, each with the bookings it hits."""
    statement = (
        select(Downtime)
        .where(Downtime.instrument_id == instrument.id, Downtime.end > utcnow())
        .order_by(Downtime.start)
    )
    return [(downtime, affected_bookings(downtime)) for downtime in db.session.scalars(statement)]


def calendar_version(instrument_id: int) -> str:
    """The instrument's calendar version ("" before any change): what a preview was made on."""
    version = latest([instrument_key(instrument_id)])
    return version.isoformat() if version else ""


def add_previewed_downtimes(
    actor: User, instrument: Instrument, periods: list, previewed_version: str
) -> list[Downtime]:
    """Create the downtimes of an import preview, once, on the calendar it was previewed on.

    A second confirmation of the same preview, or one after any change to the instrument's
    calendar, is refused: the manager looks at the bookings they hit again.
    """
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    lock_instrument(instrument.id)
    if calendar_version(instrument.id) != previewed_version:
        raise Conflict(
            "The instrument's calendar changed since the preview (or it was imported already); "
            "read the file again.",
            code="conflict",
        )
    return [
        add_downtime(actor, instrument, period.start, period.end, period.summary)[0]
        for period in periods
    ]


def delete_downtime(actor: User, downtime: Downtime) -> None:
    lock_instrument(downtime.instrument_id)
    lock_row(downtime)
    db.session.delete(downtime)
    db.session.flush()


def instrument_busy(instrument: Instrument, window: Interval) -> list[tuple[Busy, Booking | None]]:
    """Busy time in a window, with the booking behind each booked range (for managers)."""
    busy = load_busy(instrument.id, window)
    ids = [b.ref for b in busy if b.kind == "booking"]
    bookings = (
        {
            b.id: b
            for b in db.session.scalars(
                select(Booking).where(Booking.id.in_(ids)).options(joinedload(Booking.user))
            )
        }
        if ids
        else {}
    )
    return [(b, bookings.get(b.ref) if b.kind == "booking" else None) for b in sorted(busy)]


def find_free_slots(
    actor: User | None,
    instrument: Instrument,
    duration: timedelta,
    after: datetime,
    limit: int,
    now: datetime | None = None,
) -> list[Interval]:
    """The earliest slots that satisfy every rule for the caller (anonymous: a plain user)."""
    now = now or utcnow()
    rules = instrument.booking_rules()
    if actor is not None and actor.is_authenticated:
        requester = requester_for(actor, instrument, False, now)
    else:
        requester = Requester()
    window = Interval(
        min(after, now), now + timedelta(days=rules.horizon_days) + duration + timedelta(days=1)
    )
    busy = BusyIndex(load_busy(instrument.id, window))
    search = SlotSearch(
        rules,
        busy,
        now,
        platform_zone(),
        requester,
        instrument.status == InstrumentStatus.AVAILABLE,
    )
    return free_slots(search, duration, after, limit)


def preview_downtimes(instrument: Instrument, periods: list) -> list[tuple[object, list[Booking]]]:
    """Each proposed period with the active bookings it would hit (nothing is written)."""
    preview = []
    for period in periods:
        hits = db.session.scalars(
            select(Booking)
            .where(
                Booking.instrument_id == instrument.id,
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.start < period.end,
                Booking.start >= period.start - LONGEST_BLOCK,
                Booking.blocked_until > period.start,
            )
            .options(joinedload(Booking.user))
        ).all()
        preview.append((period, list(hits)))
    return preview
