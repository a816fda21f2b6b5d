"""The equipment applications bring on board, as loans for the cruise's days (delivery
`with_cruise`): the one seam between cruises and the loans of sea-going gear.

Allocation asks for every allocated application's gear at once and holds all of it or none;
cancellation frees it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.loans.lifecycle import Delivery, LoanAction, LoanStatus
from sharing.loans.models import Loan
from sharing.loans.services import LoanRequest, WantedItem, request_loan
from sharing.loans.services.common import lock_loan
from sharing.loans.services.requesting import conflicts_of
from sharing.loans.services.transitions import step


@dataclass(frozen=True)
class Item:
    instrument_id: int
    with_operator: bool


def conflicts_for(items: Sequence[Item], first_day: date, last_day: date) -> list[dict]:
    """What stands in the way of each item on the cruise's days, by the loans' own check (none:
    every item is free): other loans of it, its downtimes (other cruises' holds among them) and
    bookings."""
    instruments = {
        item.instrument_id: db.session.get(Instrument, item.instrument_id) for item in items
    }
    return conflicts_of(
        {k: v for k, v in instruments.items() if v is not None}, first_day, last_day
    )


def hold_for_cruise(
    actor, borrower, items: Sequence[Item], first_day: date, last_day: date, site: str
) -> int | None:
    """Hold the items for the cruise's days as one loan of the applicant's, delivered with the
    cruise and approved at once (the allocation is the owners' yes); its id (None: no items).
    A clash or a broken lending rule refuses it (409 / 422), and with it the whole allocation."""
    if not items:
        return None
    loan = request_loan(
        borrower,
        LoanRequest(
            items=tuple(WantedItem(i.instrument_id, i.with_operator) for i in items),
            start_date=first_day,
            end_date=last_day,
            purpose=f"搭载航次：{borrower.name}"[:300],
            site=site,
            delivery=Delivery.WITH_CRUISE,
        ),
    )
    for item in loan.items:
        step(loan, item, LoanAction.APPROVE, actor, "allocated to the cruise")
    db.session.flush()
    return loan.id


def release(actor, loan_id: int | None, reason: str) -> None:
    """Free every item of a cruise's loan not yet handed over (the cruise was cancelled)."""
    loan = db.session.get(Loan, loan_id) if loan_id is not None else None
    if loan is None:
        return
    lock_loan(loan)
    for item in loan.items:
        if item.status in (LoanStatus.REQUESTED, LoanStatus.APPROVED):
            step(loan, item, LoanAction.CANCEL, actor, reason)
    db.session.flush()
