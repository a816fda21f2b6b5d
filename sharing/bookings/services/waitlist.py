"""The waiting list: get in line for a taken range; when it frees up, the first in line is
offered it and it is held for them alone for the instrument's hold time, then passes on.

Every change happens under the instrument's lock, the one booking requests take, so an offer,
a booking and an acceptance never interleave: a hold is busy time for everyone but its user.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.bookings.conflicts import BusyIndex, find_conflicts
from sharing.bookings.messages import violation_body
from sharing.bookings.models import LINE_STATUSES, Booking, WaitlistEntry, WaitlistStatus
from sharing.bookings.policy import check_request
from sharing.bookings.services.availability import load_busy
from sharing.bookings.services.requesting import lock_instrument, request_booking
from sharing.bookings.services.standing import requester_for
from sharing.core.errors import BadRequest, Conflict, NotFound, RuleViolation
from sharing.core.locking import lock_row
from sharing.core.mail import link_for, mail_in_their_language, queue_mails
from sharing.extensions import db
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.instruments.services import get_instrument
from sharing.util.formatting import format_local, platform_zone
from sharing.util.timeutil import Interval, utcnow


def _blocked(instrument: Instrument, interval: Interval, holder_id: int | None) -> list:
    buffer = timedelta(minutes=instrument.buffer_minutes)
    window = Interval(interval.start, interval.end + buffer)
    busy = BusyIndex(load_busy(instrument.id, window, holder_id=holder_id))
    return find_conflicts(interval, instrument.buffer_minutes, busy)


def position(entry: WaitlistEntry) -> int | None:
    """1 for the first in line for an overlapping range; None once out of the line."""
    if entry.status != WaitlistStatus.WAITING:
        return None
    ahead = db.session.scalar(
        select(func.count()).where(
            WaitlistEntry.instrument_id == entry.instrument_id,
            WaitlistEntry.status.in_(LINE_STATUSES),
            WaitlistEntry.start < entry.end,
            WaitlistEntry.end > entry.start,
            WaitlistEntry.id < entry.id,
        )
    )
    return (ahead or 0) + 1


def join_waitlist(actor: User, instrument_id: int, start: datetime, end: datetime) -> WaitlistEntry:
    """Get in line for a taken range that the rules would otherwise let the user book."""
    now = utcnow()
    if end <= start:
        raise BadRequest("A range must end after it starts.", fields={"end": ["before start"]})
    instrument = get_instrument(instrument_id)
    lock_instrument(instrument.id)
    interval = Interval(start, end)
    requester = requester_for(actor, instrument, False, now, [interval])
    available = instrument.status == InstrumentStatus.AVAILABLE
    violations = check_request(
        instrument.booking_rules(), interval, now, platform_zone(), requester, available
    )
    if violations:
        raise RuleViolation(
            "The request breaks the instrument's booking rules.",
            violations=violation_body(violations),
        )
    if not _blocked(instrument, interval, actor.id):
        raise Conflict("The time is free: book it instead.", code="invalid_state")
    mine = select(WaitlistEntry.id).where(
        WaitlistEntry.instrument_id == instrument.id,
        WaitlistEntry.user_id == actor.id,
        WaitlistEntry.status.in_(LINE_STATUSES),
        WaitlistEntry.start < end,
        WaitlistEntry.end > start,
    )
    if db.session.scalar(mine.limit(1)) is not None:
        raise Conflict("You are in line for this time already.", code="duplicate")
    entry = WaitlistEntry(instrument=instrument, user=actor, start=start, end=end)
    db.session.add(entry)
    db.session.flush()
    return entry


def own_entries(actor: User) -> list[WaitlistEntry]:
    statement = (
        select(WaitlistEntry)
        .where(WaitlistEntry.user_id == actor.id)
        .order_by(WaitlistEntry.start, WaitlistEntry.id)
    )
    return list(db.session.scalars(statement))


def get_entry(actor: User, entry_id: int) -> WaitlistEntry:
    entry = db.session.get(WaitlistEntry, entry_id)
    if entry is None or entry.user_id != actor.id:
        raise NotFound("No waiting-list entry %(id)s.", {"id": entry_id})
    return entry


def leave_waitlist(actor: User, entry: WaitlistEntry) -> None:
    """Step out of the line; a held range passes to the next in line at once."""
    lock_instrument(entry.instrument_id)
    lock_row(entry)
    if entry.status not in LINE_STATUSES:
        raise Conflict(
            "The entry is %(status)s already.",
            code="invalid_state",
            params={"status": entry.status.value},
        )
    was_offered = entry.status == WaitlistStatus.OFFERED
    entry.status = WaitlistStatus.CANCELLED
    db.session.flush()
    if was_offered:
        offer_freed(entry.instrument_id)


def accept_offer(actor: User, entry: WaitlistEntry) -> Booking:
    """Book the held range (the hold does not block its own user)."""
    lock_instrument(entry.instrument_id)
    lock_row(entry)
    if entry.status != WaitlistStatus.OFFERED or entry.offer_expires_at <= utcnow():
        raise Conflict("There is no open offer on this entry.", code="invalid_state")
    (booking,) = request_booking(actor, entry.instrument_id, entry.start, entry.end)
    entry.status = WaitlistStatus.ACCEPTED
    entry.booking_id = booking.id
    db.session.flush()
    return booking


def _notify_offer(entry: WaitlistEntry) -> None:
    person = entry.user

    def compose():
        return _("A slot you waited for is free: %(name)s", name=entry.instrument.name), [
            _(
                "%(start)s to %(end)s is held for you until %(until)s. Accept it before then, "
                "or it passes to the next in line.",
                start=format_local(entry.start),
                end=format_local(entry.end),
                until=format_local(entry.offer_expires_at),
            ),
            link_for("bookings.waitlist"),
        ]

    mail = mail_in_their_language(person, compose)
    queue_mails(db.session, [replace(mail, kind="waitlist_offer")])


def offer_freed(instrument_id: int, now: datetime | None = None) -> list[WaitlistEntry]:
    """Lapse the offers whose hold ended, then offer every range that is free now to the first
    in line for it. Called when time frees up and by the background sweep."""
    now = now or utcnow()
    lock_instrument(instrument_id)
    instrument = db.session.get(Instrument, instrument_id)
    for lapsed in db.session.scalars(
        select(WaitlistEntry).where(
            WaitlistEntry.instrument_id == instrument_id,
            WaitlistEntry.status == WaitlistStatus.OFFERED,
            WaitlistEntry.offer_expires_at <= now,
        )
    ):
        lapsed.status = WaitlistStatus.EXPIRED
    db.session.flush()
    offered = []
    waiting = db.session.scalars(
        select(WaitlistEntry)
        .where(
            WaitlistEntry.instrument_id == instrument_id,
            WaitlistEntry.status == WaitlistStatus.WAITING,
            WaitlistEntry.end > now,
        )
        .order_by(WaitlistEntry.id)
    )
    for entry in list(waiting):
        if _blocked(instrument, entry.interval, holder_id=None):
            continue
        entry.status = WaitlistStatus.OFFERED
        entry.offer_expires_at = now + timedelta(minutes=instrument.waitlist_hold_minutes)
        db.session.flush()  # the hold now blocks the overlapping entries behind it
        _notify_offer(entry)
        offered.append(entry)
    return offered


def instruments_with_lapsed_offers(now: datetime) -> list[int]:
    statement = (
        select(WaitlistEntry.instrument_id)
        .where(
            WaitlistEntry.status == WaitlistStatus.OFFERED,
            WaitlistEntry.offer_expires_at <= now,
        )
        .distinct()
    )
    return list(db.session.scalars(statement))


def sweep_offers(now: datetime | None = None) -> int:
    """Pass lapsed offers on (the background sweep); how many new offers were made."""
    now = now or utcnow()
    return sum(len(offer_freed(i, now)) for i in instruments_with_lapsed_offers(now))
