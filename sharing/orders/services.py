"""Order operations: submit, quote, accept, receive, analyse, deliver, complete; results; runs."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.billing.models import Charge, ChargeKind
from sharing.billing.services import ensure_open
from sharing.bookings.services import request_booking
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation, readable
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.funding.services import note_use, require_usable
from sharing.instruments.models import Instrument
from sharing.instruments.rules import RateUnit, customer_category
from sharing.instruments.services import get_instrument
from sharing.orders.access import can_view_order, is_customer, is_lab, visible_orders
from sharing.orders.lifecycle import (
    CUSTOMER,
    IllegalOrderTransition,
    OrderAction,
    OrderStatus,
    transition,
)
from sharing.orders.models import Delivery, Order, OrderEvent, QuoteLine
from sharing.orders.notifications import notify_order
from sharing.orgs.models import OrgKind
from sharing.util.formatting import local_today, platform_zone
from sharing.util.money import to_money
from sharing.util.timeutil import utcnow


def _category(instrument: Instrument, customer):
    return customer_category(
        customer.id, customer.kind == OrgKind.ENTERPRISE, instrument.organisation_id
    )


def rate_card_sample_price(instrument: Instrument, customer) -> Decimal | None:
    """The rate card's per-sample price of `instrument` for the organisation `customer`."""
    category = _category(instrument, customer)
    return next(
        (r.price for r in instrument.rates if r.category == category and r.unit == RateUnit.SAMPLE),
        None,
    )


def sample_price(order: Order) -> Decimal | None:
    """The rate card's per-sample price for the ordering organisation, if any."""
    return rate_card_sample_price(order.instrument, order.customer)


def per_sample_line(order: Order, price: Decimal) -> dict:
    """The quote line for the samples sent at a per-sample price (the rate card's or the lab's).

    Its description is written in the language of whoever caused it, as a quote typed on the
    lab's page is: it is printed on the customer's statement.
    """
    return {
        "description": gettext("per sample"),
        "quantity": Decimal(order.samples),
        "unit_price": price,
        "per_sample": True,
    }


def _record(order: Order, actor: User | None, new_status: OrderStatus, note: str = "") -> None:
    order.events.append(
        OrderEvent(
            actor=actor,
            from_status=order.status if order.id else None,
            to_status=new_status,
            note=note,
        )
    )
    order.status = new_status


def submit_order(actor: User, data: dict) -> Order:
    """A customer sends samples for testing; 422 `no_sample_service` where none is offered."""
    instrument = get_instrument(data["instrument_id"])
    if not instrument.accepts_samples:
        raise RuleViolation(
            "This instrument takes no samples for testing.",
            violations=[
                {
                    "code": "no_sample_service",
                    "message": "This instrument takes no samples for testing.",
                }
            ],
        )
    delivery = Delivery(data.get("delivery", "in_person"))
    if delivery == Delivery.COURIER and not (data.get("tracking_number") or "").strip():
        raise BadRequest(
            "A courier delivery needs its tracking number.",
            fields={"tracking_number": ["required"]},
        )
    account = None
    if data.get("account_id") is not None:
        account = require_usable(actor, data["account_id"], [local_today()])
        note_use(account, actor)
    order = Order(
        instrument=instrument,
        account=account,
        customer=actor.organisation,
        created_by=actor,
        samples=data["samples"],
        sample_type=data.get("sample_type", ""),
        description=data.get("description", ""),
        hazards=data.get("hazards", ""),
        analysis=data.get("analysis", ""),
        turnaround_days=data.get("turnaround_days"),
        delivery=delivery,
        tracking_number=(data.get("tracking_number") or "").strip(),
        status=OrderStatus.SUBMITTED,
    )
    order.events.append(OrderEvent(actor=actor, from_status=None, to_status=OrderStatus.SUBMITTED))
    db.session.add(order)
    if not instrument.sample_quote_required:
        price = sample_price(order)
        if price is not None:  # at list price: quoted and accepted in one step
            _set_quote(order, [per_sample_line(order, price)])
            _record(order, actor, OrderStatus.ACCEPTED)
    db.session.flush()
    notify_order("submitted", order, actor)
    return order


def get_order(actor: User, order_id: int) -> Order:
    order = db.session.get(
        Order, order_id, options=[joinedload(Order.instrument), joinedload(Order.customer)]
    )
    if order is None or not can_view_order(actor, order):
        raise NotFound("No order %(id)s.", {"id": order_id})
    return order


def list_orders(actor: User) -> list[Order]:
    """The actor's organisation's orders; managers also those for their instruments."""
    statement = (
        select(Order)
        .join(Instrument)
        .options(joinedload(Order.instrument), joinedload(Order.customer))
        .order_by(Order.created_at.desc())
    )
    scope = visible_orders(actor)
    if scope is not None:
        statement = statement.where(scope)
    return list(db.session.scalars(statement).unique())


def _act(actor: User, order: Order, action: OrderAction, note: str = "") -> None:
    lock_row(order)  # a concurrent step on the same order waits, then sees its result
    try:
        side, new_status = transition(order.status, action)
    except IllegalOrderTransition as error:
        raise Conflict(str(error), code="invalid_state", status=order.status.value) from None
    allowed = is_customer(actor, order) if side == CUSTOMER else is_lab(actor, order)
    if not allowed and side == CUSTOMER:
        raise Forbidden("Only the customer takes this step.")
    if not allowed:
        raise Forbidden("Only the lab takes this step.")
    _record(order, actor, new_status, note)


def _set_quote(order: Order, lines: list[dict]) -> None:
    order.quote_lines.clear()
    for line in lines:
        quantity = Decimal(line["quantity"])
        order.quote_lines.append(
            QuoteLine(
                description=line["description"],
                quantity=quantity,
                unit_price=line["unit_price"],
                amount=to_money(quantity * line["unit_price"]),
                per_sample=bool(line.get("per_sample", False)),
            )
        )
    order.quote_total = sum((line.amount for line in order.quote_lines), Decimal("0.00"))


def quote_order(actor: User, order: Order, lines: list[dict] | None, note: str = "") -> Order:
    """The lab's quote; without lines, the rate card's per-sample price for the samples sent."""
    if not lines:
        price = sample_price(order)
        if price is None:
            raise BadRequest(
                "No per-sample rate for this customer: give the quote lines.",
                fields={"lines": ["required"]},
            )
        lines = [per_sample_line(order, price)]
    _act(actor, order, OrderAction.QUOTE, note)
    _set_quote(order, lines)
    db.session.flush()
    notify_order("quoted", order, actor)
    return order


def accept_order(actor: User, order: Order) -> Order:
    _act(actor, order, OrderAction.ACCEPT)
    db.session.flush()
    return order


def decline_order(actor: User, order: Order, note: str = "") -> Order:
    _act(actor, order, OrderAction.DECLINE, note)
    db.session.flush()
    return order


def cancel_order(actor: User, order: Order, note: str = "") -> Order:
    _act(actor, order, OrderAction.CANCEL, note)
    db.session.flush()
    return order


# Above the count that came before it, a sample count needs the lab's reason in the note.
TOO_MANY_RECEIVED = readable(
    "%(count)s samples is more than the %(limit)s ordered; say why in the note."
)
TOO_MANY_MEASURED = readable(
    "%(count)s samples is more than the %(limit)s received; say why in the note."
)


def _check_count(name: str, count: int, limit: int, refusal: str, reason: str) -> None:
    """Sample counts: never negative, never above what came before them unless the lab says why."""
    if count < 0:
        raise BadRequest("A sample count cannot be negative.", fields={name: ["negative"]})
    if count > limit and not reason.strip():
        params = {"count": count, "limit": limit}
        raise RuleViolation(
            refusal,
            params,
            violations=[{"code": "too_many_samples", "message": refusal % params}],
        )


def receive_samples(actor: User, order: Order, received: int, note: str = "") -> Order:
    _check_count("received_samples", received, order.samples, TOO_MANY_RECEIVED, note)
    _act(actor, order, OrderAction.RECEIVE, note)
    order.received_samples = received
    db.session.flush()
    return order


def start_analysis(actor: User, order: Order) -> Order:
    _act(actor, order, OrderAction.START)
    db.session.flush()
    return order


def deliver_results(actor: User, order: Order) -> Order:
    if not order.results:
        raise Conflict(
            "Upload the results before delivering them.",
            code="invalid_state",
            status=order.status.value,
        )
    _act(actor, order, OrderAction.DELIVER)
    db.session.flush()
    notify_order("delivered", order, actor)
    return order


def complete_order(
    actor: User, order: Order, measured: int, now: datetime | None = None, note: str = ""
) -> list[Charge]:
    """Close the order and charge the accepted quote: per-sample lines by samples measured.

    Each quote line is charged at most once (a unique key on the charge's quote line).
    """
    _act(actor, order, OrderAction.COMPLETE, note)
    received = order.received_samples if order.received_samples is not None else order.samples
    _check_count("measured_samples", measured, received, TOO_MANY_MEASURED, note)
    order.measured_samples = measured
    today = (now or utcnow()).astimezone(platform_zone()).date()
    month = today.strftime("%Y-%m")
    ensure_open(month)
    charges = []
    for line in order.quote_lines:
        quantity = Decimal(measured) if line.per_sample else line.quantity
        charge = Charge(
            kind=ChargeKind.SAMPLE_TESTING,
            order_id=order.id,
            quote_line_id=line.id,
            instrument_id=order.instrument_id,
            customer_org_id=order.customer_org_id,
            owner_org_id=order.instrument.organisation_id,
            category=_category(order.instrument, order.customer),
            unit=RateUnit.SAMPLE if line.per_sample else None,
            quantity=quantity,
            unit_price=line.unit_price,
            amount=to_money(quantity * line.unit_price),
            description=f"{order.instrument.name} · {line.description}",
            service_date=today,
            month=month,
            created_by_id=actor.id,
            user_id=order.created_by_id,
            account_id=order.account_id,
        )
        db.session.add(charge)
        charges.append(charge)
    db.session.flush()
    return charges


def schedule_run(actor: User, order: Order, start: datetime, end: datetime):
    """Book instrument time for the order's samples, under every rule of the booking engine."""
    if not is_lab(actor, order):
        raise Forbidden("Only the lab schedules sample runs.")
    if order.status not in (OrderStatus.ACCEPTED, OrderStatus.RECEIVED, OrderStatus.IN_ANALYSIS):
        raise Conflict(
            "Runs are scheduled for accepted orders.",
            code="invalid_state",
            status=order.status.value,
        )
    [booking] = request_booking(
        actor, order.instrument_id, start, end, purpose=f"送样检测 #{order.id}"
    )
    booking.order_id = order.id
    booking.customer_org_id = order.customer_org_id
    db.session.flush()
    return booking
