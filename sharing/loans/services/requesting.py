"""A loan request of several items, of one or several owners: all held together or none.

Every item's instrument is locked (the bookings' own lock, so loans and bookings of one
instrument take turns), then every item is checked against bookings, downtimes and other loans
by the pure `policy`; one conflict holds nothing and names the item. PostgreSQL's exclusion
constraints are the last word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from sharing.auth.models import User
from sharing.bookings.messages import violation_body
from sharing.bookings.models import Suspension
from sharing.bookings.policy import Requester
from sharing.core.errors import BadRequest, Conflict, RuleViolation
from sharing.extensions import db
from sharing.funding.services import note_use, require_usable
from sharing.instruments.attached import QualifiedUser
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.instruments.rules import CustomerCategory, RateUnit, customer_category
from sharing.loans.lifecycle import Delivery, LoanAction, LoanStatus
from sharing.loans.models import Loan, LoanItem
from sharing.loans.policy import (
    ItemTerms,
    Quote,
    blocked_until,
    check_days,
    days_between,
    item_conflicts,
    quote,
)
from sharing.loans.services.common import (
    flush_or_conflict,
    held_days,
    lock_instruments,
    owners_managers,
    record,
    tell,
)
from sharing.orgs.models import OrgKind
from sharing.util.formatting import local_today, platform_zone
from sharing.util.timeutil import format_datetime, utcnow

MAX_ITEMS = 20


@dataclass(frozen=True)
class WantedItem:
    instrument_id: int
    with_operator: bool = False


@dataclass(frozen=True)
class LoanRequest:
    items: tuple[WantedItem, ...]
    start_date: date
    end_date: date
    purpose: str = ""
    site: str = ""
    delivery: Delivery = Delivery.PICKUP
    account_id: int | None = None
    extra: dict = field(default_factory=dict)


def _instruments(wanted: tuple[WantedItem, ...]) -> dict[int, Instrument]:
    ids = [w.instrument_id for w in wanted]
    if not ids or len(ids) > MAX_ITEMS:
        raise BadRequest(
            "A loan names 1 to %(max)s items.", {"max": MAX_ITEMS}, fields={"items": ["1..20"]}
        )
    if len(set(ids)) != len(ids):
        raise BadRequest("An item is named twice.", fields={"items": ["an instrument twice"]})
    found = {i.id: i for i in db.session.scalars(select(Instrument).where(Instrument.id.in_(ids)))}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise BadRequest(
            "No instrument %(id)s.", {"id": unknown[0]}, fields={"items": ["unknown instrument"]}
        )
    not_lent = [i for i in ids if not found[i].is_day_instrument]
    if not_lent:
        raise RuleViolation(
            "Instrument %(id)s is booked by the slot, not lent by the day.",
            {"id": not_lent[0]},
            violations=[
                {"code": "not_lent", "message": "booked by the slot", "instrument_id": not_lent[0]}
            ],
        )
    return found


def _category(borrower: User, instrument: Instrument) -> CustomerCategory:
    org = borrower.organisation
    return customer_category(org.id, org.kind == OrgKind.ENTERPRISE, instrument.organisation_id)


def day_rate(instrument: Instrument, category: CustomerCategory) -> Decimal:
    """The instrument's day rate for the category (none set: lent free)."""
    for rate in instrument.rates:
        if rate.unit == RateUnit.DAY and rate.category == category:
            return rate.price
    return Decimal("0.00")


def first_operator_rate(instrument_id: int) -> Decimal | None:
    """The quote's operator rate before an owner assigns someone: the dearest of the operators."""
    from sharing.loans.models import Operator

    return db.session.scalar(
        select(Operator.day_rate)
        .where(Operator.instrument_id == instrument_id)
        .order_by(Operator.day_rate.desc())
        .limit(1)
    )


def terms_of(borrower: User, instrument: Instrument, with_operator: bool) -> ItemTerms:
    return ItemTerms(
        name=instrument.name,
        day_rate=day_rate(instrument, _category(borrower, instrument)),
        mobilisation_fee=instrument.mobilisation_fee,
        deposit=instrument.deposit,
        operator_day_rate=(first_operator_rate(instrument.id) or Decimal("0.00"))
        if with_operator
        else None,
    )


def _requester(borrower: User, instrument: Instrument, now: datetime) -> Requester:
    qualified = True
    if instrument.requires_training:
        grant = db.session.get(QualifiedUser, (instrument.id, borrower.id))
        qualified = grant is not None and grant.is_valid(now)
    suspended = db.session.scalar(
        select(Suspension.id).where(
            Suspension.user_id == borrower.id,
            Suspension.organisation_id == instrument.organisation_id,
            Suspension.lifted_at.is_(None),
        )
    )
    return Requester(qualified=qualified, suspended=suspended is not None)


def _check_dates(start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise BadRequest(
            "A loan ends on or after its first day.", fields={"end_date": ["before start_date"]}
        )


def _violations(borrower, instruments, start_date, end_date, now) -> list[dict]:
    today = local_today(now)
    found = []
    for instrument in instruments.values():
        broken = check_days(
            instrument.booking_rules(),
            start_date,
            end_date,
            today,
            _requester(borrower, instrument, now),
            instrument.status == InstrumentStatus.AVAILABLE,
        )
        found += [dict(v, instrument_id=instrument.id) for v in violation_body(broken)]
    return found


def conflicts_of(instruments, start_date, end_date, exclude_loan=None) -> list[dict]:
    """Each item's clashes with what is already held, as the 409 names them."""
    zone = platform_zone()
    found = []
    for instrument in instruments.values():
        until = blocked_until(end_date, instrument.loan_turnaround_days)
        busy = held_days(instrument.id, start_date, until, exclude_loan)
        for clash in item_conflicts(
            start_date, end_date, instrument.loan_turnaround_days, busy, zone
        ):
            found.append(
                {
                    "instrument_id": instrument.id,
                    "start": format_datetime(clash.start, zone),
                    "end": format_datetime(clash.end, zone),
                    "kind": clash.kind,
                }
            )
    return found


def quote_loan(
    borrower: User, wanted: tuple[WantedItem, ...], start_date: date, end_date: date
) -> Quote:
    """The quote of a request before it is sent (nothing held)."""
    _check_dates(start_date, end_date)
    instruments = _instruments(wanted)
    return quote(
        [terms_of(borrower, instruments[w.instrument_id], w.with_operator) for w in wanted],
        days_between(start_date, end_date),
    )


def request_loan(actor: User, body: LoanRequest, now: datetime | None = None) -> Loan:
    """Hold every item for the days, or none: 409 `conflict` naming the items in conflict, 422
    with the bookings' codes for broken rules."""
    now = now or utcnow()
    _check_dates(body.start_date, body.end_date)
    instruments = _instruments(body.items)
    lock_instruments(instruments)
    account = None
    if body.account_id is not None:
        days = [body.start_date, body.end_date]
        account = require_usable(actor, body.account_id, days)
    violations = _violations(actor, instruments, body.start_date, body.end_date, now)
    if violations:
        raise RuleViolation("The request breaks the gear's lending rules.", violations=violations)
    conflicts = conflicts_of(instruments, body.start_date, body.end_date)
    if conflicts:
        raise Conflict(
            "Some of the gear is taken on those days; nothing was held.", conflicts=conflicts
        )
    loan = Loan(
        borrower_id=actor.id,
        organisation_id=actor.organisation_id,
        account_id=body.account_id,
        start_date=body.start_date,
        end_date=body.end_date,
        purpose=body.purpose.strip(),
        site=body.site.strip(),
        delivery=body.delivery,
        status=LoanStatus.REQUESTED,
    )
    for wanted in body.items:
        instrument = instruments[wanted.instrument_id]
        terms = terms_of(actor, instrument, wanted.with_operator)
        loan.items.append(
            LoanItem(
                instrument_id=instrument.id,
                owner_org_id=instrument.organisation_id,
                status=LoanStatus.REQUESTED,
                start_date=body.start_date,
                end_date=body.end_date,
                blocked_until=blocked_until(body.end_date, instrument.loan_turnaround_days),
                turnaround_days=instrument.loan_turnaround_days,
                with_operator=wanted.with_operator,
                category=_category(actor, instrument),
                day_rate=terms.day_rate,
                mobilisation_fee=terms.mobilisation_fee,
                operator_day_rate=terms.operator_day_rate,
                deposit=terms.deposit,
                insurance_required=instrument.insurance_required,
                replacement_value=instrument.replacement_value,
            )
        )
    db.session.add(loan)
    record(loan, actor, LoanAction.REQUEST)
    flush_or_conflict("Another loan took these days a moment ago; nothing was held.")
    if account is not None:
        note_use(account, actor, now)
    tell(
        owners_managers(i.organisation_id for i in instruments.values()),
        f"Loan request #{loan.id}: {', '.join(i.name for i in instruments.values())} "
        f"from {body.start_date.isoformat()} to {body.end_date.isoformat()}",
        loan,
    )
    return loan


def preview_loan(actor: User, body: LoanRequest, now: datetime | None = None) -> dict:
    """What `request_loan` would answer, nothing held: the quote, violations and conflicts."""
    now = now or utcnow()
    _check_dates(body.start_date, body.end_date)
    instruments = _instruments(body.items)
    return {
        "days": days_between(body.start_date, body.end_date),
        "quote": quote_loan(actor, body.items, body.start_date, body.end_date),
        "violations": _violations(actor, instruments, body.start_date, body.end_date, now),
        "conflicts": conflicts_of(instruments, body.start_date, body.end_date),
    }
