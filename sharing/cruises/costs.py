"""Ship time and its shares, pure: the days a cruise is charged for and each party's part of
the cost, exact to the fen.

Amounts are split by the largest remainder: every party gets the fen below its exact part, and
the fen left over go one each to the largest remainders (ties to the earlier party), so the
shares always sum to the total. The share fractions shown beside them are split the same way
in ten-thousandths, so they sum to 1.0000.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

FEN = Decimal("0.01")
TEN_THOUSANDTH = Decimal("0.0001")


@dataclass(frozen=True)
class Party:
    """One allocated application as the split sees it: its id and its weight (berths)."""

    application_id: int
    berths: int


@dataclass(frozen=True)
class Share:
    application_id: int
    share: Decimal  # a fraction with four decimals
    amount: Decimal  # money, two decimals


def ship_days(departs_on: date, returns_on: date, mobilisation_days: int) -> int:
    """The days charged: mobilisation days in port, then every day from departure to return,
    both ends counted (any part of a day at sea is a day)."""
    return mobilisation_days + (returns_on - departs_on).days + 1


def cruise_total(days: int, day_rate: Decimal) -> Decimal:
    """Days times the day rate (a rate in fen times whole days stays in fen)."""
    return (day_rate * days).quantize(FEN)


def largest_remainder(units: int, weights: Sequence[int]) -> list[int]:
    """`units` split in proportion to `weights`, whole units that sum to `units` exactly."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    exact = [Fraction(units * weight, whole) for weight in weights]
    parts = [int(part) for part in exact]  # floors: the parts are never negative
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in order[: units - sum(parts)]:
        parts[index] += 1
    return parts


def split_cost(total: Decimal, parties: Sequence[Party], share_by: str) -> list[Share]:
    """Each party's share and amount: by allocated berths (`berths`; nobody with a berth means
    equal parts) or in equal parts (`equal`)."""
    weights = [1] * len(parties) if share_by == "equal" else [party.berths for party in parties]
    fen = largest_remainder(int((total / FEN).to_integral_value()), weights)
    fractions = largest_remainder(10_000, weights)
    return [
        Share(party.application_id, Decimal(part) * TEN_THOUSANDTH, Decimal(cents) * FEN)
        for party, part, cents in zip(parties, fractions, fen, strict=True)
    ]
