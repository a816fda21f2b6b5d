"""What a firm may claim this year: each of its charges of the programme's year with the reason
it cannot be claimed ("" when it can) and the firm's share of it, by month, beside what is left
of the firm's cap. The claim page offers the claimable ones and greys the others; the preview
it shows is only a preview: submit_claim checks and splits every line again, under the lock."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from sqlalchemy import select

from sharing.auth.models import User
from sharing.billing.models import Charge
from sharing.extensions import db
from sharing.vouchers.models import VoucherProgramme
from sharing.vouchers.rules import ZERO, Fee, Firm, firm_share, refusal
from sharing.vouchers.services import granted_so_far, held_charges, paid_charges, terms_of

SHOWN = 200  # the newest charges of the year; a firm with more claims them month by month


@dataclass(frozen=True)
class OfferLine:
    charge: Charge
    reason: str  # "" when it can be claimed, else one of api.md's codes
    share: Decimal  # the firm's share at its rate, before the cap

    @property
    def claimable(self) -> bool:
        return not self.reason


@dataclass(frozen=True)
class Offer:
    rate: Decimal  # the firm's share of a fee (the high-tech one for high-tech firms)
    cap_left: Decimal  # of the firm's yearly cap, after the claims that hold charges
    months: list[tuple[str, list[OfferLine]]]  # newest month first

    @property
    def claimable(self) -> int:
        return sum(line.claimable for _month, lines in self.months for line in lines)


def offer(actor: User, programme: VoucherProgramme) -> Offer:
    """The firm's charges of the programme's year, each with why it cannot be claimed."""
    firm = actor.organisation
    facts = Firm(
        firm.registered_city, firm.sme, firm.high_tech, frozenset(o.id for o in firm.related)
    )
    terms = terms_of(programme)
    charges = list(
        db.session.scalars(
            select(Charge)
            .where(
                Charge.customer_org_id == firm.id,
                Charge.owner_org_id.is_not(None),
                Charge.month.like(f"{programme.year}-%"),
            )
            .order_by(Charge.month.desc(), Charge.service_date.desc(), Charge.id.desc())
            .limit(SHOWN)
        )
    )
    paid, held = paid_charges(charges), held_charges([c.id for c in charges])
    cap_left = max(programme.enterprise_cap - granted_so_far(programme)[0][firm.id], ZERO)
    lines = []
    for charge in charges:
        fee = Fee(charge.amount, charge.owner_org_id, charge.id in paid, charge.id in held)
        reason = refusal(terms, facts, fee) or ("over_cap" if cap_left <= ZERO else "")
        lines.append(OfferLine(charge, reason, firm_share(terms, facts, charge.amount)))
    return Offer(
        terms.enterprise_rate_high_tech if facts.high_tech else terms.enterprise_rate,
        cap_left,
        [(month, list(group)) for month, group in groupby(lines, key=lambda o: o.charge.month)],
    )
