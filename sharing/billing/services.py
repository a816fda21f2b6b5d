"""Billing operations: record use, make charges, statements, closing months. Never commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from sharing.auth.models import Role, User
from sharing.billing.models import Charge, ChargeKind, ClosedMonth
from sharing.billing.pricing import (
    ChargeLine,
    late_cancellation_charge,
    no_show_charge,
    summarise,
    usage_charge,
)
from sharing.bookings.lifecycle import Action, BookingStatus
from sharing.bookings.models import Booking, Suspension
from sharing.bookings.services import record_transition
from sharing.bookings.signals import booking_cancelled
from sharing.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation
from sharing.extensions import db
from sharing.formatting import platform_zone
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import Instrument
from sharing.instruments.rules import RateUnit, customer_category
from sharing.locking import BILLING_MONTH, advisory_lock, lock_row
from sharing.orgs.models import Organisation, OrgKind
from sharing.timeutil import Interval, format_datetime, month_after, parse_month, utcnow


def month_of(moment: datetime) -> str:
    """YYYY-MM of an instant in the platform zone."""
    return moment.astimezone(platform_zone()).strftime("%Y-%m")


def is_closed(month: str) -> bool:
    return db.session.get(ClosedMonth, month) is not None


def _month_key(month: str) -> int:
    year, number = parse_month(month)
    return year * 100 + number


def ensure_open(month: str) -> None:
    """Refuse any change dated in a closed month; hold the month open until the commit.

    Writers take the month's lock shared, the close takes it exclusively: a charge that saw the
    month open is committed before a close of that month can begin, and a close in progress
    makes the writer wait and then see the month closed.
    """
    advisory_lock(BILLING_MONTH, _month_key(month), shared=True)
    if is_closed(month):
        raise Conflict(
            "%(month)s is closed; record a correction as an adjustment.",
            code="closed_period",
            params={"month": month},
            month=month,
        )


def _tariff(booking: Booking) -> tuple[object, RateUnit, Decimal] | None:
    """(category, unit, price) for the booker: samples use the per-sample rate when there is one.

    None for a sample run: its order is what the customer pays (at completion), never its hours.
    """
    if booking.order_id is not None:
        return None
    instrument = booking.instrument
    booker_org = booking.user.organisation
    category = customer_category(
        booker_org.id, booker_org.kind == OrgKind.ENTERPRISE, instrument.organisation_id
    )
    prices = {rate.unit: rate.price for rate in instrument.rates if rate.category == category}
    preference = (
        [RateUnit.SAMPLE, RateUnit.HOUR, RateUnit.RUN]
        if booking.samples
        else [RateUnit.HOUR, RateUnit.RUN, RateUnit.SAMPLE]
    )
    for unit in preference:
        if unit in prices:
            return category, unit, prices[unit]
    return None


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
        existing = _existing_charge(booking)
        if existing is not None:
            ensure_open(existing.month)
            db.session.delete(existing)
            db.session.flush()
        return _charge_usage(actor, booking, keep_price=existing)
    return _complete(actor, booking)


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


def mark_no_show(
    actor: User | None, booking: Booking, now: datetime | None = None
) -> Charge | None:
    """Nobody came: the booking becomes a no-show, is charged its share, and may suspend."""
    if actor is not None and not can_manage_instrument(actor, booking.instrument):
        raise Forbidden("Only the instrument's managers mark no-shows.")
    lock_row(booking)
    if booking.order_id is not None:
        raise Conflict(
            "A sample run is the lab's own work: record its usage instead.",
            code="invalid_state",
            status=booking.status.value,
        )
    if (now or utcnow()) < booking.start:
        raise Conflict("The booking has not started yet.", code="invalid_state")
    if booking.status != BookingStatus.APPROVED or booking.checked_in_at is not None:
        raise Conflict(
            "Only a confirmed booking nobody checked in to can be a no-show.", code="invalid_state"
        )
    record_transition(booking, Action.NO_SHOW, actor)
    charge = None
    tariff = _tariff(booking)
    if tariff is not None:
        category, unit, price = tariff
        line = no_show_charge(booking.instrument.billing_terms(), unit, price, booking.interval)
        charge = _charge_for(booking, line, category, actor)
    db.session.flush()
    _suspend_if_repeated(booking, now or utcnow())
    return charge


def _suspend_if_repeated(booking: Booking, now: datetime) -> None:
    owner: Organisation = booking.instrument.organisation
    since = now - timedelta(days=owner.no_show_window_days)
    count = db.session.scalar(
        select(func.count(Booking.id))
        .join(Instrument)
        .where(
            Booking.user_id == booking.user_id,
            Booking.status == BookingStatus.NO_SHOW,
            Booking.start >= since,
            Instrument.organisation_id == owner.id,
        )
    )
    if count >= owner.no_show_limit and not _active_suspension(booking.user_id, owner.id):
        db.session.add(
            Suspension(
                user_id=booking.user_id,
                organisation_id=owner.id,
                # Written in the language of whoever caused it: the platform's for the sweep.
                reason=gettext(
                    "%(count)s no-shows in %(days)s days",
                    count=count,
                    days=owner.no_show_window_days,
                ),
            )
        )
        db.session.flush()


def _active_suspension(user_id: int, organisation_id: int) -> Suspension | None:
    return db.session.scalar(
        select(Suspension).where(
            Suspension.user_id == user_id,
            Suspension.organisation_id == organisation_id,
            Suspension.lifted_at.is_(None),
        )
    )


def lift_suspension(actor: User, suspension: Suspension) -> Suspension:
    if not (
        actor.role == Role.ADMIN
        or (actor.role == Role.MANAGER and actor.organisation_id == suspension.organisation_id)
    ):
        raise Forbidden("Only the organisation's managers lift a suspension.")
    lock_row(suspension)
    if suspension.lifted_at is not None:
        raise Conflict("This suspension was lifted already.", code="invalid_state")
    suspension.lifted_at = utcnow()
    suspension.lifted_by_id = actor.id
    db.session.flush()
    return suspension


def list_suspensions(actor: User) -> list[Suspension]:
    statement = (
        select(Suspension).where(Suspension.lifted_at.is_(None)).order_by(Suspension.created_at)
    )
    if actor.role != Role.ADMIN:
        statement = statement.where(Suspension.organisation_id == actor.organisation_id)
    return list(db.session.scalars(statement))


def sweep_no_shows(now: datetime | None = None) -> int:
    """Turn confirmed bookings nobody checked in to within the grace period into no-shows.

    Walk-in bookings a manager entered after their start wait for their usage instead. Safe to
    run on several servers at once: each booking is claimed with a row lock that others skip.
    """
    now = now or utcnow()
    candidates = (
        select(Booking)
        .join(Instrument)
        .where(
            Booking.status == BookingStatus.APPROVED,
            Booking.checked_in_at.is_(None),
            Booking.start < now,
            Booking.created_at < Booking.start,  # entered before it began: not walk-in use
            Booking.order_id.is_(None),  # sample runs are the lab's work, charged by the order
        )
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True, of=Booking)
    marked = 0
    for booking in db.session.scalars(candidates.order_by(Booking.start).limit(500)).all():
        if booking.start + timedelta(minutes=booking.instrument.no_show_grace_minutes) > now:
            continue
        mark_no_show(None, booking, now)
        marked += 1
    return marked


@booking_cancelled.connect
def _charge_late_cancellation(booking: Booking, actor: User, at: datetime) -> None:
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


def close_month(actor: User, month: str, now: datetime | None = None) -> ClosedMonth:
    """Freeze a month that has ended (platform zone); waits for charges being written into it."""
    if actor.role != Role.ADMIN:
        raise Forbidden("Only platform admins close months.")
    year, number = _parse_month(month)
    first_day_after = date(*month_after(year, number), 1)
    if (now or utcnow()).astimezone(platform_zone()).date() < first_day_after:
        raise Conflict(
            "%(month)s has not ended yet.",
            code="invalid_state",
            params={"month": month},
            month=month,
        )
    advisory_lock(BILLING_MONTH, _month_key(month))
    if is_closed(month):
        raise Conflict(
            "%(month)s is closed already.",
            code="closed_period",
            params={"month": month},
            month=month,
        )
    closed = ClosedMonth(month=month, closed_by_id=actor.id)
    db.session.add(closed)
    db.session.flush()
    return closed


def add_adjustment(
    actor: User,
    organisation: Organisation,
    amount: Decimal,
    reason: str,
    now: datetime | None = None,
) -> Charge:
    """A correction line in the current open month (positive charges, negative credits)."""
    if actor.role != Role.ADMIN:
        raise Forbidden("Only platform admins add adjustments.")
    if not reason.strip():
        raise BadRequest("Say why.", fields={"reason": ["required"]})
    today = (now or utcnow()).astimezone(platform_zone()).date()
    month = today.strftime("%Y-%m")
    ensure_open(month)
    charge = Charge(
        kind=ChargeKind.ADJUSTMENT,
        customer_org_id=organisation.id,
        quantity=Decimal(1),
        unit_price=amount,
        amount=amount,
        description=reason.strip(),
        service_date=today,
        month=month,
        created_by_id=actor.id,
    )
    db.session.add(charge)
    db.session.flush()
    return charge


def _parse_month(month: str) -> tuple[int, int]:
    try:
        return parse_month(month)
    except ValueError:
        raise BadRequest("A month is written YYYY-MM.", fields={"month": ["YYYY-MM"]}) from None


def can_see_statement(actor: User, organisation: Organisation) -> bool:
    return actor.role == Role.ADMIN or actor.organisation_id == organisation.id


@dataclass
class Statement:
    organisation: Organisation
    month: str
    status: str
    lines: list[Charge]
    subtotals: list[tuple[Organisation | None, Decimal]]
    total: Decimal


def statement_query(organisation_id: int, month: str):
    return (
        select(Charge)
        .where(Charge.customer_org_id == organisation_id, Charge.month == month)
        .order_by(Charge.service_date, Charge.id)
    )


def get_statement_access(actor: User, organisation: Organisation, month: str) -> None:
    """NotFound unless the actor may read the statements; BadRequest for a malformed month."""
    _parse_month(month)
    if not can_see_statement(actor, organisation):
        raise NotFound("No such statement.")


def get_statement(actor: User, organisation: Organisation, month: str) -> Statement:
    """Lines, subtotals per owning organisation and the total of one customer's month."""
    get_statement_access(actor, organisation, month)
    lines = list(
        db.session.scalars(
            statement_query(organisation.id, month).options(joinedload(Charge.owner))
        )
    )
    by_owner, total = summarise([(line.owner_org_id, line.amount) for line in lines])
    owners = {line.owner_org_id: line.owner for line in lines}
    subtotals = [(owners[key], amount) for key, amount in by_owner.items()]
    status = "closed" if is_closed(month) else "open"
    return Statement(organisation, month, status, lines, subtotals, total)


def list_statements(actor: User, month: str) -> list[dict]:
    """Every customer organisation's total for the month (members: their own)."""
    _parse_month(month)
    statement = (
        select(Organisation, func.coalesce(func.sum(Charge.amount), 0))
        .join(Charge, Charge.customer_org_id == Organisation.id)
        .where(Charge.month == month)
        .group_by(Organisation.id)
        .order_by(Organisation.name)
    )
    if actor.role != Role.ADMIN:
        statement = statement.where(Organisation.id == actor.organisation_id)
    status = "closed" if is_closed(month) else "open"
    return [
        {"organisation": org, "month": month, "total": Decimal(total), "status": status}
        for org, total in db.session.execute(statement)
    ]


def list_charges(actor: User, month: str | None, organisation: Organisation | None) -> list[Charge]:
    statement = (
        select(Charge).order_by(Charge.service_date, Charge.id).options(joinedload(Charge.customer))
    )
    if month:
        _parse_month(month)
        statement = statement.where(Charge.month == month)
    if organisation is not None:
        if not can_see_statement(actor, organisation):
            raise NotFound("No such organisation's charges.")
        statement = statement.where(Charge.customer_org_id == organisation.id)
    elif actor.role != Role.ADMIN:
        statement = statement.where(Charge.customer_org_id == actor.organisation_id)
    return list(db.session.scalars(statement.limit(5000)))


def charges_of(booking: Booking) -> list[Charge]:
    """The charges a booking caused (usage, no-show or late cancellation)."""
    return list(
        db.session.scalars(
            select(Charge).where(Charge.booking_id == booking.id).order_by(Charge.id)
        )
    )
