"""The voucher rules, pure: who may claim a charge, and how it splits into the firm's and the
provider's subsidy within what is left of each year's cap. No Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Terms:
    city: str
    enterprise_rate: Decimal
    enterprise_rate_high_tech: Decimal
    provider_rate: Decimal


@dataclass(frozen=True)
class Firm:
    city: str
    sme: bool
    high_tech: bool
    related_ids: frozenset[int]


@dataclass(frozen=True)
class Fee:
    amount: Decimal
    provider_id: int | None
    paid: bool
    claimed: bool  # held by another claim, or already on this one


@dataclass(frozen=True)
class Split:
    eligible: bool
    reason: str  # "" or one of api.md's codes
    enterprise: Decimal
    provider: Decimal


def refusal(terms: Terms, firm: Firm, fee: Fee) -> str:
    """Why a fee cannot be claimed, in the order an officer checks it; "" when it can."""
    if not firm.city or firm.city != terms.city:
        return "not_local"
    if not firm.sme:
        return "not_sme"
    if fee.provider_id is None or fee.provider_id in firm.related_ids:
        return "related_party"
    if not fee.paid:
        return "not_paid"
    if fee.claimed:
        return "already_claimed"
    return ""


def _share(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(FEN, rounding=ROUND_HALF_UP)


def firm_share(terms: Terms, firm: Firm, amount: Decimal) -> Decimal:
    """The firm's share of a fee before the cap (more for high-tech firms)."""
    return _share(
        amount, terms.enterprise_rate_high_tech if firm.high_tech else terms.enterprise_rate
    )


def split(terms: Terms, firm: Firm, fee: Fee, firm_left: Decimal, provider_left: Decimal) -> Split:
    """The line's subsidies: the firm's share (more for high-tech firms) and the provider's,
    each cut to what is left of its cap; a line whose firm share is left at nothing is over the
    cap, and a cut line says so too."""
    reason = refusal(terms, firm, fee)
    if reason:
        return Split(False, reason, ZERO, ZERO)
    share = firm_share(terms, firm, fee.amount)
    enterprise = min(share, max(firm_left, ZERO))
    provider = min(_share(fee.amount, terms.provider_rate), max(provider_left, ZERO))
    if enterprise <= ZERO:
        return Split(False, "over_cap", ZERO, ZERO)
    full = enterprise == share and provider == _share(fee.amount, terms.provider_rate)
    return Split(True, "" if full else "over_cap", enterprise, provider)
