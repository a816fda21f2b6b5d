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

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.bookings.messages import violation_body
from sharing.bookings.models import Suspension
from sharing.bookings.policy import Requester
from sharing.core.errors import BadRequest, Conflict, RuleViolation
from sharing.core.locking import INSTRUMENT_BOOKINGS, advisory_lock_of, is_postgresql
from sharing.extensions import db
from sharing.funding.services import note_use, require_usable
from sharing.instruments.attached import QualifiedUser
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.instruments.rules import CustomerCategory, RateUnit, customer_category
from sharing.loans.lifecycle import Delivery, LoanAction, LoanStatus
from sharing.loans.models import Loan, LoanItem, Operator
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
    busy_by_instrument,
    flush_or_conflict,
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


@dataclass(frozen=True)
class Gear:
    """The instruments a request names, read in one statement (locked when it holds them),
    with all a decision needs: rates, open hours (their rules), owners, the dearest operator
    and the borrower's standing with each."""

    instruments: dict[int, Instrument]
    operator_rates: dict[int, Decimal | None]
    standing: dict[int, Requester]


# The quote's operator rate before an owner assigns someone: the dearest of the operators.
_DEAREST_OPERATOR = (
    select(func.max(Operator.day_rate))
    .where(Operator.instrument_id == Instrument.id)
    .correlate(Instrument)
    .scalar_subquery()
)
# The borrower's standing: suspended by the owner; trained (where the gear asks for it).
_SUSPENDED = (
    select(Suspension.id)
    .where(
        Suspension.user_id == bindparam("borrower_id"),
        Suspension.organisation_id == Instrument.organisation_id,
        Suspension.lifted_at.is_(None),
    )
    .correlate(Instrument)
    .exists()
)
_QUALIFIED = (
    select(QualifiedUser.instrument_id)
    .where(
        QualifiedUser.instrument_id == Instrument.id,
        QualifiedUser.user_id == bindparam("borrower_id"),
        or_(QualifiedUser.expires_at.is_(None), QualifiedUser.expires_at > bindparam("now")),
    )
    .correlate(Instrument)
    .exists()
)


def _read_gear(ids: list[int], borrower: User, now: datetime, lock: bool) -> Gear:
    statement = (
        select(Instrument, _DEAREST_OPERATOR, _SUSPENDED, _QUALIFIED)
        .where(Instrument.id.in_(ids))
        .options(
            joinedload(Instrument.rates),
            joinedload(Instrument.open_hours),
            joinedload(Instrument.organisation),
        )
        .order_by(Instrument.id)
    )
    if lock and is_postgresql():
        # The bookings' lock on each instrument, taken by the same statement in id order
        # (PostgreSQL evaluates a volatile output column after the sort): loans and bookings
        # of one instrument take turns, and no two writers wait on each other.
        statement = statement.add_columns(advisory_lock_of(INSTRUMENT_BOOKINGS, Instrument.id))
    rows = db.session.execute(statement, {"borrower_id": borrower.id, "now": now}).unique()
    gear = Gear({}, {}, {})
    for instrument, operator_rate, suspended, qualified, *_lock in rows:
        gear.instruments[instrument.id] = instrument
        gear.operator_rates[instrument.id] = operator_rate
        gear.standing[instrument.id] = Requester(
            qualified=bool(qualified) or not instrument.requires_training,
            suspended=bool(suspended),
        )
    return gear


def _gear(
    borrower: User, wanted: tuple[WantedItem, ...], now: datetime, lock: bool = False
) -> Gear:
    ids = [w.instrument_id for w in wanted]
    if not ids or len(ids) > MAX_ITEMS:
        raise BadRequest(
            "A loan names 1 to %(max)s items.", {"max": MAX_ITEMS}, fields={"items": ["1..20"]}
        )
    if len(set(ids)) != len(ids):
        raise BadRequest("An item is named twice.", fields={"items": ["an instrument twice"]})
    gear = _read_gear(ids, borrower, now, lock)
    found = gear.instruments
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
    return gear


def _category(borrower: User, instrument: Instrument) -> CustomerCategory:
    org = borrower.organisation
    return customer_category(org.id, org.kind == OrgKind.ENTERPRISE, instrument.organisation_id)


def day_rate(instrument: Instrument, category: CustomerCategory) -> Decimal:
    """The instrument's day rate for the category (none set: lent free)."""
    for rate in instrument.rates:
        if rate.unit == RateUnit.DAY and rate.category == category:
            return rate.price
    return Decimal("0.00")


def terms_of(borrower: User, gear: Gear, instrument_id: int, with_operator: bool) -> ItemTerms:
    instrument = gear.instruments[instrument_id]
    return ItemTerms(
        name=instrument.name,
        day_rate=day_rate(instrument, _category(borrower, instrument)),
        mobilisation_fee=instrument.mobilisation_fee,
        deposit=instrument.deposit,
        operator_day_rate=(gear.operator_rates[instrument_id] or Decimal("0.00"))
        if with_operator
        else None,
        name_en=instrument.name_en or "",
    )


def _check_dates(start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise BadRequest(
            "A loan ends on or after its first day.", fields={"end_date": ["before start_date"]}
        )


def _violations(gear: Gear, start_date, end_date, now) -> list[dict]:
    today = local_today(now)
    found = []
    for instrument in gear.instruments.values():
        broken = check_days(
            instrument.booking_rules(),
            start_date,
            end_date,
            today,
            gear.standing[instrument.id],
            instrument.status == InstrumentStatus.AVAILABLE,
        )
        found += [dict(v, instrument_id=instrument.id) for v in violation_body(broken)]
    return found


def conflicts_of(instruments, start_date, end_date, exclude_loan=None) -> list[dict]:
    """Each item's clashes with what is already held, as the 409 names them; the busy time of
    all items is read at once, over the longest of their windows."""
    if not instruments:
        return []
    zone = platform_zone()
    until = max(blocked_until(end_date, i.loan_turnaround_days) for i in instruments.values())
    busy = busy_by_instrument(instruments, start_date, until, exclude_loan)
    found = []
    for instrument in instruments.values():
        for clash in item_conflicts(
            start_date, end_date, instrument.loan_turnaround_days, busy[instrument.id], zone
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
    return _quote(borrower, _gear(borrower, wanted, utcnow()), wanted, start_date, end_date)


def _quote(borrower, gear: Gear, wanted, start_date: date, end_date: date) -> Quote:
    return quote(
        [terms_of(borrower, gear, w.instrument_id, w.with_operator) for w in wanted],
        days_between(start_date, end_date),
    )


def request_loan(actor: User, body: LoanRequest, now: datetime | None = None) -> Loan:
    """Hold every item for the days, or none: 409 `conflict` naming the items in conflict, 422
    with the bookings' codes for broken rules."""
    now = now or utcnow()
    _check_dates(body.start_date, body.end_date)
    gear = _gear(actor, body.items, now, lock=True)
    instruments = gear.instruments
    account = None
    if body.account_id is not None:
        days = [body.start_date, body.end_date]
        account = require_usable(actor, body.account_id, days)
    violations = _violations(gear, body.start_date, body.end_date, now)
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
        terms = terms_of(actor, gear, instrument.id, wanted.with_operator)
        loan.items.append(
            LoanItem(
                # The objects as well as their ids: the answer shows them without a read each.
                instrument_id=instrument.id,
                instrument=instrument,
                owner_org_id=instrument.organisation_id,
                owner=instrument.organisation,
                checks=[],
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
        "loan_requested",
        loan,
        items=", ".join(i.name for i in instruments.values()),
        start=body.start_date.isoformat(),
        end=body.end_date.isoformat(),
    )
    return loan


def preview_loan(actor: User, body: LoanRequest, now: datetime | None = None) -> dict:
    """What `request_loan` would answer, nothing held: the quote, violations and conflicts."""
    now = now or utcnow()
    _check_dates(body.start_date, body.end_date)
    gear = _gear(actor, body.items, now)
    instruments = gear.instruments
    return {
        "days": days_between(body.start_date, body.end_date),
        "quote": _quote(actor, gear, body.items, body.start_date, body.end_date),
        "violations": _violations(gear, body.start_date, body.end_date, now),
        "conflicts": conflicts_of(instruments, body.start_date, body.end_date),
    }
