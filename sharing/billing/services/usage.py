"""Recording use: check-in, check-out, usage entry, and the charges they make."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from sharing.auth.models import User
from sharing.billing.estimates import tariff_for
from sharing.billing.models import Charge, ChargeKind
from sharing.billing.pricing import (
    ChargeLine,
    late_cancellation_charge,
    usage_charge,
)
from sharing.billing.services.months import ensure_open
from sharing.bookings.lifecycle import Action, BookingStatus
from sharing.bookings.models import Booking
from sharing.bookings.services import record_transition
from sharing.core.errors import BadRequest, Conflict, Forbidden, RuleViolation
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.rules import RateUnit
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import Interval, format_datetime, utcnow


def _tariff(booking: Booking) -> tuple[object, RateUnit, Decimal] | None:
    """(category, unit, price) for the booker: samples use the per-sample rate when there is one.

    None for a sample run: its order is what the customer pays (at completion), never its hours.
    """
    if booking.order_id is not None:
        return None
    return tariff_for(booking.instrument, booking.user.organisation, bool(booking.samples))


def customer_org_id(booking: Booking) -> int:
    """Who is served: the ordering organisation for a sample run, else the booker's."""
    return booking.customer_org_id or booking.user.organisation_id


def _charge_for(booking: Booking, line: ChargeLine, category, actor: User | None) -> Charge:
    service_date = booking.start.astimezone(platform_zone()).date()
    month = service_date.strftime("%Y-%m")
    ensure_open(month)
    charge = Charge(
        kind=ChargeKind(line.kind),
        booking_id=booking.id,
        instrument_id=booking.instrument_id,
        customer_org_id=customer_org_id(booking),
        owner_org_id=booking.instrument.organisation_id,
        category=category,
        unit=line.unit,
        quantity=line.quantity,
        unit_price=line.unit_price,
        amount=line.amount,
        description=booking.instrument.name,
        service_date=service_date,
        month=month,
        created_by_id=actor.id if actor else None,
        user_id=booking.user_id,
        account_id=booking.account_id,
    )
    db.session.add(charge)
    return charge


def _existing_charge(booking: Booking) -> Charge | None:
    return db.session.scalar(
        select(Charge).where(Charge.booking_id == booking.id, Charge.kind != ChargeKind.ADJUSTMENT)
    )


def _may_record(actor: User, booking: Booking, booker_allowed: bool) -> None:
    if can_manage_instrument(actor, booking.instrument):
        return
    if booker_allowed and booking.user_id == actor.id:
        return
    raise Forbidden("Only the booker or the instrument's managers record use.")


def check_in(actor: User, booking: Booking, at: datetime | None = None) -> Booking:
    """The booker (at the instrument) or a manager starts the session, inside the window."""
    _may_record(actor, booking, booker_allowed=True)
    lock_row(booking)
    if booking.status != BookingStatus.APPROVED or booking.checked_in_at is not None:
        raise Conflict(
            "Only a confirmed booking that has not started can be checked in.", code="invalid_state"
        )
    at = at or utcnow()
    opens = booking.start - timedelta(minutes=booking.instrument.check_in_window_minutes)
    if not opens <= at < booking.end:
        zone = platform_zone()
        raise RuleViolation(
            "Check-in is open from %(opens)s until the booking ends.",
            {"opens": format_datetime(opens, zone)},
            violations=[
                {
                    "code": "outside_check_in_window",
                    "message": f"Check-in is open from {format_datetime(opens, zone)} "
                    f"until {format_datetime(booking.end, zone)}.",
                }
            ],
        )
    booking.checked_in_at = at
    booking.used_start = at
    db.session.flush()
    return booking


def check_out(actor: User, booking: Booking, at: datetime | None = None) -> Charge | None:
    """End the session: the booking is completed and charged."""
    _may_record(actor, booking, booker_allowed=True)
    lock_row(booking)
    if booking.status != BookingStatus.APPROVED:
        raise Conflict("Only a confirmed booking can be checked out.", code="invalid_state")
    at = at or utcnow()
    start = booking.used_start or booking.start
    if at <= start:
        raise BadRequest("Check-out must come after check-in.", fields={"at": ["before check-in"]})
    booking.used_start, booking.used_end = start, at
    booking.checked_out_at = at
    return _complete(actor, booking)


def record_usage(
    actor: User,
    booking: Booking,
    start: datetime,
    end: datetime,
    samples: int | None,
    now: datetime | None = None,
) -> Charge | None:
    """A manager enters or corrects actual times and samples; the charge follows (open months)."""
    if not can_manage_instrument(actor, booking.instrument):
        raise Forbidden("Only the instrument's managers enter usage.")
    if end <= start:
        raise BadRequest("Usage must end after it starts.", fields={"end": ["before start"]})
    now = now or utcnow()
    if end > now:
        raise BadRequest("Usage cannot end in the future.", fields={"end": ["in the future"]})
    lock_row(booking)
    if booking.start > now:
        raise Conflict(
            "Usage is recorded once the booking has started.",
            code="invalid_state",
            status=booking.status.value,
        )
    if booking.status not in (BookingStatus.APPROVED, BookingStatus.COMPLETED):
        raise Conflict(
            "Usage is recorded on confirmed or completed bookings.", code="invalid_state"
        )
    booking.used_start, booking.used_end, booking.samples = start, end, samples
    if booking.status == BookingStatus.COMPLETED:
        return _charge_again(actor, booking)
    return _complete(actor, booking)


def extend_use(actor: User, booking: Booking, end: datetime) -> Charge | None:
    """Use that went on after the booking was checked out (its agent's session resumed within
    the booked time, then ended later): the use runs to `end`, the charge is made again at the
    price it was made with. Nothing changes for an `end` inside the use already recorded."""
    _may_record(actor, booking, booker_allowed=True)
    lock_row(booking)
    if booking.status != BookingStatus.COMPLETED or booking.used_end is None:
        raise Conflict("Only completed use can be extended.", code="invalid_state")
    if end <= booking.used_end:
        return _existing_charge(booking)
    booking.used_end = booking.checked_out_at = end
    return _charge_again(actor, booking)


def _charge_again(actor: User, booking: Booking) -> Charge | None:
    """The charge of a completed booking made again from its use (open months only)."""
    existing = _existing_charge(booking)
    if existing is not None:
        ensure_open(existing.month)
        db.session.delete(existing)
        db.session.flush()
    return _charge_usage(actor, booking, keep_price=existing)


def _complete(actor: User | None, booking: Booking) -> Charge | None:
    record_transition(booking, Action.COMPLETE, actor)
    return _charge_usage(actor, booking)


def _charge_usage(
    actor: User | None, booking: Booking, keep_price: Charge | None = None
) -> Charge | None:
    tariff = _tariff(booking)
    if tariff is None:
        db.session.flush()
        return None
    category, unit, price = tariff
    if keep_price is not None and keep_price.unit == unit:
        price = keep_price.unit_price  # a correction keeps the price the charge was made with
    used = (
        Interval(booking.used_start, booking.used_end)
        if booking.used_start and booking.used_end
        else None
    )
    line = usage_charge(
        booking.instrument.billing_terms(), unit, price, booking.interval, used, booking.samples
    )
    charge = _charge_for(booking, line, category, actor)
    db.session.flush()
    return charge


def charge_late_cancellation(booking: Booking, actor: User, at: datetime) -> None:
    """A booker cancelling inside the window pays the instrument's share."""
    if actor.id != booking.user_id:
        return  # cancellations by managers (downtime, decisions) never cost the booker
    tariff = _tariff(booking)
    if tariff is None:
        return
    category, unit, price = tariff
    line = late_cancellation_charge(
        booking.instrument.billing_terms(), unit, price, booking.interval, at
    )
    if line is not None:
        _charge_for(booking, line, category, actor)
        db.session.flush()
