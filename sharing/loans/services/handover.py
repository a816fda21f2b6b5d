"""Handover and return: dispatch with the checklist of components (blocked without the deposit
or the insurance asked), return with the same checklist, and the inspection that writes the
item's charges once, settles the deposit, opens a fault for damage and retires lost gear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from sharing.assessment.models import Incident, IncidentKind
from sharing.auth.models import User
from sharing.billing.models import Charge, ChargeKind
from sharing.billing.services.months import ensure_open
from sharing.core.errors import BadRequest, Conflict, RuleViolation
from sharing.extensions import db
from sharing.instruments.models import InstrumentStatus
from sharing.loans.lifecycle import (
    OUT_STATUSES,
    CheckStage,
    Condition,
    DepositStatus,
    LoanAction,
    LoanStatus,
    Outcome,
)
from sharing.loans.models import Component, Loan, LoanCheck, LoanItem
from sharing.loans.policy import Closing, closing_lines
from sharing.loans.services.common import item_terms, tell
from sharing.loans.services.transitions import _owner_item, step
from sharing.util.formatting import platform_zone
from sharing.util.timeutil import utcnow


@dataclass(frozen=True)
class CheckLine:
    component_id: int
    present: bool
    condition: Condition = Condition.OK
    note: str = ""


def _write_checklist(
    actor: User, item: LoanItem, stage: CheckStage, lines: list[CheckLine], at: datetime
) -> None:
    components = {
        c.id: c
        for c in db.session.scalars(
            select(Component).where(Component.instrument_id == item.instrument_id)
        )
    }
    seen = set()
    for line in lines:
        if line.component_id not in components or line.component_id in seen:
            raise BadRequest(
                "No component %(id)s of this instrument (or named twice).",
                {"id": line.component_id},
                fields={"checklist": ["unknown component"]},
            )
        seen.add(line.component_id)
    missing = [c for c in components.values() if c.required and c.id not in seen]
    if missing:
        raise RuleViolation(
            "The checklist leaves out required components.",
            violations=[
                {
                    "code": "incomplete_checklist",
                    "message": f"{c.name} ({c.serial}) is not checked",
                    "component_id": c.id,
                }
                for c in missing
            ],
        )
    for line in lines:
        db.session.add(
            LoanCheck(
                item=item,
                stage=stage,
                component_id=line.component_id,
                present=line.present,
                condition=line.condition,
                note=line.note.strip(),
                at=at,
                checked_by_id=actor.id,
            )
        )


def dispatch_item(
    actor: User,
    loan: Loan,
    instrument_id: int,
    lines: list[CheckLine],
    tracking_number: str = "",
    at: datetime | None = None,
) -> Loan:
    """The gear leaves the owner: the borrower is responsible from now on."""
    at = at or utcnow()
    item = _owner_item(actor, loan, instrument_id)
    if item.status != LoanStatus.APPROVED:
        step(loan, item, LoanAction.DISPATCH, actor)  # raises invalid_state
    if item.deposit > 0 and item.deposit_status != DepositStatus.RECEIVED:
        raise Conflict("The deposit has not been received.", code="deposit_missing")
    if item.insurance_required and not loan.insurance_policy:
        raise Conflict(
            "The gear must be insured: the borrower names the policy.", code="insurance_missing"
        )
    _write_checklist(actor, item, CheckStage.DISPATCH, lines, at)
    item.dispatched_at = at
    item.tracking_number = tracking_number.strip()
    step(loan, item, LoanAction.DISPATCH, actor)
    db.session.flush()
    tell([loan.borrower_id], "loan_dispatched", loan, item=item.instrument.name)
    return loan


def return_item(
    actor: User, loan: Loan, instrument_id: int, lines: list[CheckLine], at: datetime | None = None
) -> Loan:
    """The gear is back with its owner, checked against the same list; inspection follows."""
    at = at or utcnow()
    item = _owner_item(actor, loan, instrument_id)
    if item.status not in (LoanStatus.ON_LOAN, LoanStatus.OVERDUE):
        step(loan, item, LoanAction.RETURN, actor)  # raises invalid_state
    if item.dispatched_at and at < item.dispatched_at:
        raise BadRequest("Returned before it left?", fields={"at": ["before the dispatch"]})
    _write_checklist(actor, item, CheckStage.RETURN, lines, at)
    item.returned_at = at
    step(loan, item, LoanAction.RETURN, actor)
    db.session.flush()
    return loan


def _write_charges(actor: User, loan: Loan, item: LoanItem, closing: Closing) -> None:
    for service_date, line in closing_lines(
        item_terms(item), item.start_date, item.end_date, closing, item.replacement_value
    ):
        month = service_date.strftime("%Y-%m")
        ensure_open(month)
        db.session.add(
            Charge(
                kind=ChargeKind(line.kind),
                loan_item_id=item.id,
                instrument_id=item.instrument_id,
                customer_org_id=loan.organisation_id,
                owner_org_id=item.owner_org_id,
                category=item.category,
                unit=line.unit,
                quantity=line.quantity,
                unit_price=line.unit_price,
                amount=line.amount,
                description=f"{item.instrument.name} (loan #{loan.id})",
                service_date=service_date,
                month=month,
                created_by_id=actor.id,
                user_id=loan.borrower_id,
                account_id=loan.account_id,
            )
        )


def inspect_item(
    actor: User,
    loan: Loan,
    instrument_id: int,
    outcome: Outcome,
    damage_amount: Decimal = Decimal(0),
    note: str = "",
) -> Loan:
    """Close the item: its charges written once, the deposit released (ok) or retained, a fault
    opened for damage or loss, lost gear retired."""
    item = _owner_item(actor, loan, instrument_id)
    lost_out = outcome == Outcome.LOST and item.status in OUT_STATUSES
    if item.status != LoanStatus.RETURNED and not lost_out:
        step(loan, item, LoanAction.INSPECT, actor)  # raises invalid_state
    if lost_out:
        # Lost at sea: it never comes back; its days run to today.
        item.returned_at = utcnow()
        step(loan, item, LoanAction.RETURN, actor, "lost")
    zone = platform_zone()
    damage = damage_amount if outcome != Outcome.OK else Decimal(0)
    if outcome == Outcome.LOST and damage <= 0:
        damage = item.replacement_value or Decimal(0)
    closing = Closing(
        dispatched_on=item.dispatched_at.astimezone(zone).date(),
        returned_on=item.returned_at.astimezone(zone).date(),
        damage=damage,
    )
    step(loan, item, LoanAction.INSPECT, actor, note)
    _write_charges(actor, loan, item, closing)
    item.inspected_at = utcnow()
    item.outcome = outcome
    item.damage_amount = (
        min(damage, item.replacement_value) if item.replacement_value is not None else damage
    )
    item.inspection_note = note.strip()
    if item.deposit_status == DepositStatus.RECEIVED:
        item.deposit_status = (
            DepositStatus.RELEASED if outcome == Outcome.OK else DepositStatus.RETAINED
        )
    if outcome != Outcome.OK:
        incident = Incident(
            instrument_id=item.instrument_id,
            kind=IncidentKind.FAULT,
            description=f"Loan #{loan.id}: {outcome.value}. {note}".strip(),
            reported_by_id=actor.id,
        )
        db.session.add(incident)
        db.session.flush()
        item.incident_id = incident.id
    if outcome == Outcome.LOST:
        item.instrument.status = InstrumentStatus.RETIRED
    db.session.flush()
    tell(
        [loan.borrower_id],
        f"loan_inspected_{outcome.value}",
        loan,
        item=item.instrument.name,
    )
    return loan
