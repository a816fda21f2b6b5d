"""The demo's sample-testing orders, one at each stage from submitted to completed with its
result file."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from sharing.auth.models import User
from sharing.auth.services import get_user_by_email
from sharing.demo.data import (
    BOOKER_EMAILS,
    USERS,
)
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.orders.models import Order
from sharing.orders.results import Upload, add_result
from sharing.orders.services import (
    accept_order,
    complete_order,
    deliver_results,
    quote_order,
    receive_samples,
    start_analysis,
    submit_order,
)
from sharing.util.timeutil import utcnow

# Internal users pay less and companies more than other academics: the usual sharing tariff.

DEMO_PURPOSES = ["海洋沉积物样品分析", "课题组例行测试", "企业委托检测", "新材料表征"]
DEMO_ORDERS = [
    (3, "submitted"),
    (6, "quoted"),
    (6, "accepted"),
    (4, "in_analysis"),
    (8, "delivered"),
    (5, "completed"),
]
ORDER_STAGES = [stage for _samples, stage in DEMO_ORDERS]
DEMO_RESULT = "样品编号,测定值,单位\nS-01,12.4,mg/kg\nS-02,9.8,mg/kg\n".encode()


def seed_orders(existing: Counter, created: Counter, managers: dict) -> None:
    """Sample testing orders in every stage of the lab's work, the last one charged."""
    orders = db.session.scalar(select(func.count(Order.id)))
    if orders:
        existing["sample orders"] += orders
        return
    customers = [get_user_by_email(email) for email in BOOKER_EMAILS]
    instruments = db.session.scalars(
        select(Instrument).where(Instrument.accepts_samples).order_by(Instrument.id)
    ).all()
    # Fewer instruments taking samples than stages would only mean fewer demo orders.
    pairs = zip(DEMO_ORDERS, instruments, strict=False)
    for number, ((samples, last_stage), instrument) in enumerate(pairs):
        customer = next(
            person
            for person in customers[number:] + customers[:number]
            if person.organisation_id != instrument.organisation_id
        )
        lab = managers.get(instrument.organisation.slug) or get_user_by_email(USERS[0][0])
        order = submit_order(
            customer,
            {
                "instrument_id": instrument.id,
                "samples": samples,
                "sample_type": "海洋沉积物",
                "description": DEMO_PURPOSES[number % len(DEMO_PURPOSES)],
                "analysis": "常规项目，按仪器标准方法测定",
                "delivery": "courier" if number % 2 == 0 else "in_person",
                "tracking_number": f"SF{1400 + number}2026" if number % 2 == 0 else "",
            },
        )
        _advance_order(order, customer, lab, ORDER_STAGES.index(last_stage))
        _spread_history(order)
        created["sample orders"] += 1


def _spread_history(order: Order) -> None:
    """A working day between the demo steps, the last one now: a history that reads like work."""
    db.session.flush()
    now = utcnow()
    steps_left = len(order.events) - 1
    for event in order.events:
        event.at = now - timedelta(days=steps_left)
        steps_left -= 1
    order.created_at = order.events[0].at


def _advance_order(order: Order, customer: User, lab: User, stage: int) -> None:
    """Take a submitted order through the first `stage` steps of ORDER_STAGES."""
    if stage >= 1:
        quote_order(lab, order, None)  # at the rate card's per-sample price
    if stage >= 2:
        accept_order(customer, order)
    if stage >= 3:
        receive_samples(lab, order, order.samples)
        start_analysis(lab, order)
    if stage >= 4:
        add_result(lab, order, Upload("测定结果.csv", "text/csv", DEMO_RESULT))
        deliver_results(lab, order)
    if stage >= 5:
        complete_order(lab, order, order.samples)
