"""Voucher programmes and claims: set a year up, claim paid charges, review, pay.

Submitting a claim holds the programme's cap lock (PostgreSQL: an advisory lock per programme;
SQLite: the write lock every writing request holds), then reads what the firm and each provider
have already been granted, so two claims at once cannot both pass a cap; the unique index on
held charges stands behind "a fee is claimed once".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from sharing.auth.access import is_admin
from sharing.auth.models import Role, User
from sharing.billing.models import Charge, Invoice
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, RuleViolation
from sharing.core.locking import VOUCHER_CAPS, advisory_lock, lock_row
from sharing.extensions import db
from sharing.orgs.models import Organisation
from sharing.util.timeutil import utcnow
from sharing.vouchers.access import ClaimView, can_see_claim, claim_as_seen_by
from sharing.vouchers.models import (
    HOLDING,
    ClaimStatus,
    VoucherClaim,
    VoucherLine,
    VoucherProgramme,
)
from sharing.vouchers.rules import ZERO, Fee, Firm, Terms, split

PROGRAMME_FIELDS = (
    "name",
    "year",
    "city",
    "enterprise_rate",
    "enterprise_rate_high_tech",
    "provider_rate",
    "enterprise_cap",
    "provider_cap",
)


def create_programme(actor: User, data: dict) -> VoucherProgramme:
    """Admins set up a year's programme, once per year."""
    if not is_admin(actor):
        raise Forbidden("Admins set up voucher programmes.")
    programme = VoucherProgramme(**{name: data[name] for name in PROGRAMME_FIELDS})
    try:
        with db.session.begin_nested():
            db.session.add(programme)
    except IntegrityError:
        raise Conflict(
            "That year has a programme already.", code="duplicate", year=data["year"]
        ) from None
    return programme


def get_programme(programme_id: int) -> VoucherProgramme:
    programme = db.session.get(VoucherProgramme, programme_id)
    if programme is None:
        raise NotFound("No voucher programme %(id)s.", {"id": programme_id})
    return programme


def list_programmes() -> list[VoucherProgramme]:
    return list(db.session.scalars(select(VoucherProgramme).order_by(VoucherProgramme.year.desc())))


def terms_of(programme: VoucherProgramme) -> Terms:
    return Terms(
        programme.city,
        programme.enterprise_rate,
        programme.enterprise_rate_high_tech,
        programme.provider_rate,
    )


def granted_so_far(programme: VoucherProgramme) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """What each firm and each provider has been granted in the programme so far."""
    firms: dict[int, Decimal] = defaultdict(lambda: ZERO)
    providers: dict[int, Decimal] = defaultdict(lambda: ZERO)
    rows = db.session.execute(
        select(
            VoucherClaim.organisation_id,
            VoucherLine.provider_org_id,
            func.sum(VoucherLine.enterprise_subsidy),
            func.sum(VoucherLine.provider_subsidy),
        )
        .join(VoucherLine, VoucherLine.claim_id == VoucherClaim.id)
        .where(VoucherClaim.programme_id == programme.id, VoucherClaim.status.in_(HOLDING))
        .group_by(VoucherClaim.organisation_id, VoucherLine.provider_org_id)
    )
    for firm_id, provider_id, enterprise, provider in rows:
        firms[firm_id] += Decimal(enterprise or 0)
        if provider_id is not None:
            providers[provider_id] += Decimal(provider or 0)
    return firms, providers


def _charges(actor: User, ids: list[int], programme: VoucherProgramme) -> list[Charge]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise BadRequest("Pick at least one charge.", fields={"charge_ids": ["empty"]})
    found = {
        c.id: c
        for c in db.session.scalars(
            select(Charge).where(
                Charge.id.in_(wanted), Charge.customer_org_id == actor.organisation_id
            )
        )
    }
    missing = [i for i in wanted if i not in found]
    if missing:
        raise BadRequest(
            "Some charges are not your organisation's.", fields={"charge_ids": ["unknown"]}
        )
    other_year = [c.id for c in found.values() if c.service_date.year != programme.year]
    if other_year:
        raise BadRequest(
            "Some charges are not of the programme's year.", fields={"charge_ids": ["other year"]}
        )
    return [found[i] for i in wanted]


def paid_charges(charges: list[Charge]) -> set[int]:
    """The charges that a paid invoice covers: only those count as paid."""
    return set(
        db.session.scalars(
            select(Charge.id)
            .join(Invoice, Invoice.id == Charge.invoice_id)
            .where(Charge.id.in_([c.id for c in charges]), Invoice.paid_on.is_not(None))
        )
    )


def held_charges(charge_ids: list[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(VoucherLine.charge_id).where(
                VoucherLine.charge_id.in_(charge_ids), VoucherLine.holds.is_(True)
            )
        )
    )


def submit_claim(actor: User, programme: VoucherProgramme, charge_ids: list[int]) -> VoucherClaim:
    """An enterprise user claims paid charges of their firm; every line is checked and split."""
    if actor.role != Role.ENTERPRISE:
        raise Forbidden("Enterprise users claim innovation vouchers for their firm.")
    charges = _charges(actor, charge_ids, programme)
    advisory_lock(VOUCHER_CAPS, programme.id)
    firm = lock_row(actor.organisation)
    facts = Firm(
        firm.registered_city, firm.sme, firm.high_tech, frozenset(o.id for o in firm.related)
    )
    firms, providers = granted_so_far(programme)
    paid, held = paid_charges(charges), held_charges([c.id for c in charges])
    claim = VoucherClaim(
        programme_id=programme.id, organisation_id=firm.id, submitted_by_id=actor.id
    )
    for charge in charges:
        fee = Fee(charge.amount, charge.owner_org_id, charge.id in paid, charge.id in held)
        provider_left = programme.provider_cap - providers[charge.owner_org_id or 0]
        result = split(
            terms_of(programme),
            facts,
            fee,
            programme.enterprise_cap - firms[firm.id],
            provider_left,
        )
        claim.lines.append(
            VoucherLine(
                charge_id=charge.id,
                provider_org_id=charge.owner_org_id,
                amount=charge.amount,
                eligible=result.eligible,
                holds=result.eligible,
                reason=result.reason,
                enterprise_subsidy=result.enterprise,
                provider_subsidy=result.provider,
            )
        )
        held.add(charge.id)  # the same charge twice in one claim is claimed once
        firms[firm.id] += result.enterprise
        if charge.owner_org_id is not None:
            providers[charge.owner_org_id] += result.provider
    if not any(line.eligible for line in claim.lines):
        raise RuleViolation(
            "None of these charges can be claimed.",
            violations=[
                {
                    "code": "nothing_eligible",
                    "message": "No line is eligible: "
                    + ", ".join(sorted({line.reason for line in claim.lines})),
                }
            ],
            lines=[{"charge_id": line.charge_id, "reason": line.reason} for line in claim.lines],
        )
    claim.enterprise_subsidy = sum((line.enterprise_subsidy for line in claim.lines), ZERO)
    claim.provider_subsidy = sum((line.provider_subsidy for line in claim.lines), ZERO)
    try:
        with db.session.begin_nested():
            db.session.add(claim)
    except IntegrityError:
        raise Conflict("A charge of this claim is claimed already.", code="duplicate") from None
    return claim


def get_claim(actor: User, claim_id: int) -> VoucherClaim:
    """The claim for those who may see it (vouchers.access); else 404."""
    claim = db.session.get(VoucherClaim, claim_id, options=[selectinload(VoucherClaim.lines)])
    if claim is None or not can_see_claim(actor, claim):
        raise NotFound("No voucher claim %(id)s.", {"id": claim_id})
    return claim


def read_claim(actor: User, claim_id: int) -> ClaimView:
    """The claim as the actor sees it: a provider's managers, their own lines alone."""
    return claim_as_seen_by(actor, get_claim(actor, claim_id))


STEPS = {
    "approve": ({ClaimStatus.SUBMITTED}, ClaimStatus.APPROVED),
    "reject": ({ClaimStatus.SUBMITTED, ClaimStatus.APPROVED}, ClaimStatus.REJECTED),
    "pay": ({ClaimStatus.APPROVED}, ClaimStatus.PAID),
}


def decide_claim(
    actor: User, claim: VoucherClaim, step: str, reason: str = "", now: datetime | None = None
) -> VoucherClaim:
    """Admins approve, reject (the charges may be claimed again) or mark a claim paid, once."""
    if not is_admin(actor):
        raise Forbidden("Admins review voucher claims.")
    lock_row(claim)
    allowed, target = STEPS[step]
    if claim.status not in allowed:
        raise Conflict(
            "Cannot %(step)s a claim that is %(state)s.",
            code="invalid_state",
            params={"step": step, "state": claim.status.value},
            status=claim.status.value,
        )
    now = now or utcnow()
    claim.status = target
    if step == "pay":
        claim.paid_at = now
    else:
        claim.decided_at, claim.decided_by_id, claim.reason = now, actor.id, reason.strip()
    if target == ClaimStatus.REJECTED:
        for line in claim.lines:
            line.holds = False
    db.session.flush()
    return claim


@dataclass(frozen=True)
class ProgrammeSummary:
    programme: VoucherProgramme
    by_status: dict[ClaimStatus, int]
    paid_to_firms: Decimal
    paid_to_providers: Decimal
    closest_to_cap: list[tuple[str, Decimal]]  # firm name, granted so far


def summarise(programme: VoucherProgramme, top: int = 5) -> ProgrammeSummary:
    """Claims by status, subsidies paid to firms and to providers, the firms nearest the cap."""
    rows = db.session.execute(
        select(
            VoucherClaim.status,
            func.count(VoucherClaim.id),
            func.sum(VoucherClaim.enterprise_subsidy),
            func.sum(VoucherClaim.provider_subsidy),
        )
        .where(VoucherClaim.programme_id == programme.id)
        .group_by(VoucherClaim.status)
    ).all()
    by_status = dict.fromkeys(ClaimStatus, 0)
    paid_firms = paid_providers = ZERO
    for status, count, enterprise, provider in rows:
        by_status[status] = count
        if status == ClaimStatus.PAID:
            paid_firms, paid_providers = Decimal(enterprise or 0), Decimal(provider or 0)
    firms, _providers = granted_so_far(programme)
    ranked = sorted(firms.items(), key=lambda pair: -pair[1])[:top]
    orgs = {
        o.id: o.name
        for o in db.session.scalars(
            select(Organisation).where(Organisation.id.in_([firm for firm, _ in ranked]))
        )
    }
    return ProgrammeSummary(
        programme,
        by_status,
        paid_firms,
        paid_providers,
        [(orgs[firm], granted) for firm, granted in ranked],
    )


def list_claims(actor: User, programme: VoucherProgramme | None = None) -> list[ClaimView]:
    """Admins see every claim; a firm its own; a provider's managers the claims on its fees,
    each with its own lines alone."""
    statement = select(VoucherClaim).order_by(VoucherClaim.id.desc())
    if programme is not None:
        statement = statement.where(VoucherClaim.programme_id == programme.id)
    if not is_admin(actor):
        on_my_fees = select(VoucherLine.claim_id).where(
            VoucherLine.provider_org_id == actor.organisation_id
        )
        mine = VoucherClaim.organisation_id == actor.organisation_id
        statement = statement.where(
            mine | VoucherClaim.id.in_(on_my_fees) if actor.role == Role.MANAGER else mine
        )
    # The page lists each line under its claim: load them, their charges and providers at once.
    lines = selectinload(VoucherClaim.lines)
    statement = statement.options(
        selectinload(VoucherClaim.organisation),
        lines.selectinload(VoucherLine.charge),
        lines.selectinload(VoucherLine.provider),
    )
    return [claim_as_seen_by(actor, claim) for claim in db.session.scalars(statement)]
