"""Overdue gear: items not back by their end date become `overdue`; the borrower and the owner
hear of it once a day; a later loan of the instrument that can no longer start is flagged
`at_risk` and its borrower told. Each day's notice is claimed by one sweep (an UPDATE that only
one transaction wins)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from sharing.extensions import db
from sharing.loans.lifecycle import OUT_STATUSES, LoanAction, LoanStatus
from sharing.loans.models import LoanItem
from sharing.loans.services.common import lock_loan, owners_managers, record, tell
from sharing.notices.reminders import BATCH
from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow


def _claim_today(item_id: int, today) -> bool:
    claimed = db.session.execute(
        update(LoanItem)
        .where(
            LoanItem.id == item_id,
            or_(LoanItem.overdue_notified_on.is_(None), LoanItem.overdue_notified_on < today),
        )
        .values(overdue_notified_on=today)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _flag_later_loans(item: LoanItem, today) -> None:
    """Later loans of the instrument that cannot start on time while the gear is still out."""
    later = db.session.scalars(
        select(LoanItem).where(
            LoanItem.instrument_id == item.instrument_id,
            LoanItem.id != item.id,
            LoanItem.status.in_([LoanStatus.REQUESTED, LoanStatus.APPROVED]),
            LoanItem.start_date > item.start_date,
            # Back tomorrow at the earliest, then inspected: what starts before cannot start.
            LoanItem.start_date <= today + timedelta(days=1 + item.turnaround_days),
            LoanItem.at_risk.is_(False),
        )
    ).all()
    for other in later:
        other.at_risk = True
        tell(
            [other.loan.borrower_id],
            "loan_at_risk",
            other.loan,
            item=item.instrument.name,
        )


def sweep_overdue(now: datetime | None = None) -> int:
    """Mark late items overdue and send today's notices; the number of items told about."""
    now = now or utcnow()
    today = local_today(now)
    ids = db.session.scalars(
        select(LoanItem.id)
        .where(
            LoanItem.status.in_(sorted(OUT_STATUSES)),
            LoanItem.end_date < today,
            or_(LoanItem.overdue_notified_on.is_(None), LoanItem.overdue_notified_on < today),
        )
        .order_by(LoanItem.id)
        .limit(BATCH)
    ).all()
    told = 0
    for item_id in ids:
        if not _claim_today(item_id, today):
            continue
        item = db.session.get(LoanItem, item_id)
        db.session.refresh(item)
        loan = lock_loan(item.loan)
        if item.status == LoanStatus.ON_LOAN:
            item.status = LoanStatus.OVERDUE
            record(loan, None, LoanAction.OVERDUE, item, LoanStatus.ON_LOAN)
        late = (today - item.end_date).days
        tell(
            [loan.borrower_id, *owners_managers([item.owner_org_id])],
            "loan_overdue",
            loan,
            kind="loan_overdue",
            item=item.instrument.name,
            days=late,
        )
        _flag_later_loans(item, today)
        told += 1
    db.session.flush()
    return told
