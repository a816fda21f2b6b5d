"""Who reads a voucher claim, and which of it: the firm that claims and admins read every line;
a provider's managers read the lines on their own organisation's charges, with totals over
those lines alone (another provider's fees, invoices and bookings are that provider's and the
firm's business), and its evidence package holds only those lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sharing.auth.access import is_admin
from sharing.auth.models import Role, User
from sharing.vouchers.models import VoucherClaim, VoucherLine
from sharing.vouchers.rules import ZERO


def reads_every_line(actor: User, claim: VoucherClaim) -> bool:
    """The claiming firm's people and admins."""
    return is_admin(actor) or actor.organisation_id == claim.organisation_id


def is_provider_of(actor: User, line: VoucherLine) -> bool:
    """A manager of the organisation whose charge the line claims."""
    return actor.role == Role.MANAGER and actor.organisation_id == line.provider_org_id


def can_see_claim(actor: User, claim: VoucherClaim) -> bool:
    """The firm, admins, and the managers of a provider with a line in it."""
    return reads_every_line(actor, claim) or any(
        is_provider_of(actor, line) for line in claim.lines
    )


@dataclass(frozen=True)
class ClaimView:
    """A claim as one reader sees it: the lines they may read and the totals over them; the
    claim's own fields (status, dates, reason) are read through it."""

    claim: VoucherClaim
    lines: list[VoucherLine]
    enterprise_subsidy: Decimal
    provider_subsidy: Decimal

    @property
    def amount(self) -> Decimal:
        """The fees of the lines the reader sees, eligible or not."""
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def eligible_lines(self) -> int:
        return sum(line.eligible for line in self.lines)

    def __getattr__(self, name: str):
        return getattr(self.claim, name)


def claim_as_seen_by(actor: User, claim: VoucherClaim) -> ClaimView:
    """The reader's view of a claim they may see (can_see_claim)."""
    if reads_every_line(actor, claim):
        lines = list(claim.lines)
        return ClaimView(claim, lines, claim.enterprise_subsidy, claim.provider_subsidy)
    lines = [line for line in claim.lines if is_provider_of(actor, line)]
    return ClaimView(
        claim,
        lines,
        sum((line.enterprise_subsidy for line in lines), ZERO),
        sum((line.provider_subsidy for line in lines), ZERO),
    )
