"""Pricing at every edge, and properties that hold for any input (Hypothesis)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharing.billing.pricing import (
    billable_minutes,
    late_cancellation_charge,
    no_show_charge,
    usage_charge,
)
from sharing.instruments.rules import BillingTerms, RateUnit
from sharing.util.timeutil import Interval

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
TERMS = BillingTerms()  # 30-minute increment, no minimum, 24 h window, 50 % late, 100 % no-show
PRICE = Decimal("800.00")


def span(minutes: float, start: datetime = START) -> Interval:
    return Interval(start, start + timedelta(minutes=minutes))


@pytest.mark.parametrize(
    ("booked", "used", "expected"),
    [
        (60, None, 60),
        (60, 60, 60),  # exactly on the increment
        (60, 60 + 1 / 60, 90),  # one second past it
        (60, 45, 60),  # used less: booked counts
        (60, 95, 120),
        (30, 1, 30),
    ],
)
def test_billable_minutes(booked, used, expected):
    assert billable_minutes(span(booked), span(used) if used is not None else None, 30) == expected


@pytest.mark.parametrize(
    ("minutes", "quantity", "amount"),
    [(60, "1.0000", "800.00"), (90, "1.5000", "1200.00"), (61, "1.5000", "1200.00")],
)
def test_hourly_usage(minutes, quantity, amount):
    line = usage_charge(TERMS, RateUnit.HOUR, PRICE, span(60), span(minutes))
    assert (line.kind, line.quantity, line.amount) == ("usage", Decimal(quantity), Decimal(amount))


def test_increment_that_does_not_divide_an_hour_is_priced_from_exact_minutes():
    terms = BillingTerms(increment_minutes=20)
    line = usage_charge(terms, RateUnit.HOUR, Decimal("100.00"), span(20), None)
    assert line.quantity == Decimal("0.3333") and line.amount == Decimal("33.33")
    line = usage_charge(terms, RateUnit.HOUR, Decimal("100.00"), span(40), None)
    assert line.amount == Decimal("66.67")  # half up, once, on the exact product


def test_minimum_charge():
    terms = BillingTerms(minimum_quantity=Decimal("2"))
    assert usage_charge(terms, RateUnit.HOUR, PRICE, span(30), None).amount == Decimal("1600.00")
    assert usage_charge(
        terms, RateUnit.SAMPLE, Decimal("50"), span(30), None, samples=1
    ).amount == Decimal("100.00")
    assert usage_charge(
        terms, RateUnit.SAMPLE, Decimal("50"), span(30), None, samples=5
    ).amount == Decimal("250.00")


def test_samples_and_runs():
    assert usage_charge(
        TERMS, RateUnit.SAMPLE, Decimal("280.00"), span(60), None, samples=0
    ).amount == Decimal("0.00")
    line = usage_charge(TERMS, RateUnit.SAMPLE, Decimal("280.00"), span(60), span(200), samples=7)
    assert (line.quantity, line.amount) == (Decimal(7), Decimal("1960.00"))
    assert usage_charge(TERMS, RateUnit.RUN, Decimal("5000"), span(600), None).amount == Decimal(
        "5000.00"
    )


@pytest.mark.parametrize(
    ("price", "amount"), [("100.00", "200.00"), ("200.00", "400.00"), ("300.00", "600.00")]
)
def test_each_category_is_just_its_rate(price, amount):
    assert usage_charge(TERMS, RateUnit.HOUR, Decimal(price), span(120), None).amount == Decimal(
        amount
    )


def test_no_show_share():
    assert no_show_charge(TERMS, RateUnit.HOUR, PRICE, span(120)).amount == Decimal("1600.00")
    half = BillingTerms(no_show_share=Decimal("0.50"))
    line = no_show_charge(half, RateUnit.HOUR, Decimal("333.33"), span(90))
    assert (line.kind, line.amount) == (
        "no_show",
        Decimal("250.00"),
    )  # 333.33 × 1.5 × 0.5 = 249.9975


@pytest.mark.parametrize(
    ("hours_before", "charged"),
    [(24, False), (23.999, True), (25, False), (1, True), (0, True)],
)
def test_late_cancellation_window_edges(hours_before, charged):
    cancelled_at = START - timedelta(hours=hours_before)
    line = late_cancellation_charge(TERMS, RateUnit.HOUR, PRICE, span(60), cancelled_at)
    assert (line is not None) is charged
    if charged:
        assert line.amount == Decimal("400.00")


prices = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
minutes = st.integers(min_value=1, max_value=14 * 24 * 60)
shares = st.decimals(min_value=0, max_value=1, places=2)


@given(
    prices,
    minutes,
    st.integers(min_value=1, max_value=600),
    st.integers(min_value=0, max_value=500),
    shares,
)
# Drawing the inputs is slow only when the database tests load the machine (CI's two workers):
# the health check measured the load, not the property.
@settings(suppress_health_check=[HealthCheck.too_slow])
def test_amounts_never_have_more_than_two_decimals(price, booked, used, samples, share):
    terms = BillingTerms(no_show_share=share, late_cancel_share=share)
    lines = [
        usage_charge(terms, unit, price, span(booked), span(used), samples) for unit in RateUnit
    ] + [no_show_charge(terms, RateUnit.HOUR, price, span(booked))]
    late = late_cancellation_charge(terms, RateUnit.HOUR, price, span(booked), START)
    for line in [*lines, *([late] if late else [])]:
        assert line.amount == line.amount.quantize(Decimal("0.01"))
        assert line.amount >= 0


@given(prices, minutes, minutes)
def test_billing_never_charges_less_than_booked(price, booked, used):
    as_booked = usage_charge(TERMS, RateUnit.HOUR, price, span(booked), None).amount
    as_used = usage_charge(TERMS, RateUnit.HOUR, price, span(booked), span(used)).amount
    assert as_used >= as_booked
