"""What a booking costs before it happens: today's rate for the booker's category, as booked.

The same tariff and pricing the check-out's charge uses (pricing.py), with the booked time as
the used time: the form's live estimate, the confirmation and "my bookings" all show this.
"""

from __future__ import annotations

from decimal import Decimal

from sharing.billing.pricing import usage_charge
from sharing.instruments.models import Instrument
from sharing.instruments.rules import CustomerCategory, RateUnit, customer_category
from sharing.orgs.models import Organisation, OrgKind
from sharing.util.timeutil import Interval

ZERO = Decimal("0.00")


def tariff_for(
    instrument: Instrument, customer: Organisation, with_samples: bool = False
) -> tuple[CustomerCategory, RateUnit, Decimal] | None:
    """(category, unit, price) for a customer: samples use the per-sample rate when there is one;
    None when the instrument has no rate for the customer's category."""
    category = customer_category(
        customer.id, customer.kind == OrgKind.ENTERPRISE, instrument.organisation_id
    )
    prices = {rate.unit: rate.price for rate in instrument.rates if rate.category == category}
    preference = (
        [RateUnit.SAMPLE, RateUnit.HOUR, RateUnit.RUN]
        if with_samples
        else [RateUnit.HOUR, RateUnit.RUN, RateUnit.SAMPLE]
    )
    for unit in preference:
        if unit in prices:
            return category, unit, prices[unit]
    return None


def estimate(
    instrument: Instrument,
    customer: Organisation,
    intervals: list[Interval],
    samples: int | None = None,
) -> Decimal:
    """The sum of what each occurrence would be charged if used as booked (each a charge of its
    own, rounded once); "0.00" without a rate for the customer's category (nothing is charged)."""
    tariff = tariff_for(instrument, customer, bool(samples))
    if tariff is None:
        return ZERO
    _category, unit, price = tariff
    terms = instrument.billing_terms()
    return sum(
        (usage_charge(terms, unit, price, booked, None, samples).amount for booked in intervals),
        ZERO,
    )


def booking_estimate(booking) -> Decimal:
    """A booking's estimate; a sample run's customer pays its order, never the run's hours."""
    if booking.order_id is not None:
        return ZERO
    return estimate(
        booking.instrument, booking.user.organisation, [booking.interval], booking.samples
    )
