"""Each instrument's income per month, from inside its organisation and outside (issue 36):
the yearly assessment's two income figures, read as twelve rows per instrument instead of a
year of charges. Beside it, the charges of each month per owner and customer organisation:
the reports' revenue and spend, read as a few hundred rows instead of a year of charges.

Kept by the flushes that write charges, in the same transaction: each new, changed or deleted
charge adds what it changed to its (instrument, month, inside) row by an atomic upsert, so two
transactions charging the same instrument add up rather than overwrite each other. Charges
written past the unit of work (the scaled demo's COPY) are summed again by `rebuild`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    Select,
    String,
    delete,
    event,
    false,
    func,
    inspect,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from sharing.billing.models import Charge
from sharing.extensions import db

_KEY = "income_changes"
_PAIRS_KEY = "pair_changes"
NO_OWNER = 0  # the owner of an adjustment, which has none (a key column cannot be NULL)
_FIELDS = ("instrument_id", "month", "customer_org_id", "owner_org_id", "amount")


class InstrumentIncome(db.Model):
    """The sum of an instrument's charges of one month, inside or outside its organisation."""

    __tablename__ = "instrument_income"

    instrument_id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    inside: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class OrganisationMonth(db.Model):
    """The charges of one month from an owning organisation to a customer organisation: their
    sum and how many there are (a pair whose charges were all moved away has none)."""

    __tablename__ = "organisation_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    owner_org_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    customer_org_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    charges: Mapped[int] = mapped_column(Integer, default=0)


def _fen(amount) -> int:
    return int((Decimal(amount or 0) * 100).to_integral_value())


def yuan(fen) -> Decimal:
    """A sum kept in fen, in yuan with its two places."""
    return Decimal(int(fen or 0)).scaleb(-2)


def _key(values: dict):
    if values["instrument_id"] is None:
        return None
    inside = values["customer_org_id"] == values["owner_org_id"]
    return (values["instrument_id"], values["month"], bool(inside))


def _pair_key(values: dict):
    return (values["month"], values["owner_org_id"] or NO_OWNER, values["customer_org_id"])


def _collect(session: Session, _context, _instances) -> None:
    deltas = session.info.setdefault(_KEY, defaultdict(int))
    pairs = session.info.setdefault(_PAIRS_KEY, defaultdict(lambda: [0, 0]))
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Charge):
            continue
        now = {name: getattr(obj, name) for name in _FIELDS}
        if obj in session.new:
            changes = [(now, 1)]
        elif obj in session.deleted:
            changes = [(now, -1)]
        else:
            state, before = inspect(obj), dict(now)
            for name in _FIELDS:
                history = state.attrs[name].history
                if history.deleted:
                    before[name] = history.deleted[0]
            changes = [(before, -1), (now, 1)] if before != now else []
        for values, sign in changes:
            key = _key(values)
            if key is not None:
                deltas[key] += sign * _fen(values["amount"])
            pair = pairs[_pair_key(values)]
            pair[0] += sign * _fen(values["amount"])
            pair[1] += sign


def _upsert(model, keys: list[str], added: list[str]):
    """INSERT or add to the row of the key: atomic, so two transactions add up."""
    table = model.__table__
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    return statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: table.c[name] + statement.excluded[name] for name in added},
    )


def _apply(session: Session, _context) -> None:
    deltas = session.info.pop(_KEY, None)
    rows = [
        {"instrument_id": key[0], "month": key[1], "inside": key[2], "amount_fen": amount}
        for key, amount in sorted((deltas or {}).items())
        if amount
    ]
    pairs = [
        {
            "month": key[0],
            "owner_org_id": key[1],
            "customer_org_id": key[2],
            "amount_fen": amount,
            "charges": count,
        }
        for key, (amount, count) in sorted((session.info.pop(_PAIRS_KEY, None) or {}).items())
        if amount or count
    ]
    with session.no_autoflush:
        if rows:
            keys = ["instrument_id", "month", "inside"]
            session.execute(_upsert(InstrumentIncome, keys, ["amount_fen"]), rows)
        if pairs:
            keys = ["month", "owner_org_id", "customer_org_id"]
            session.execute(_upsert(OrganisationMonth, keys, ["amount_fen", "charges"]), pairs)


def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_PAIRS_KEY, None)


def install_income_watch() -> None:
    if not event.contains(Session, "before_flush", _collect):
        event.listen(Session, "before_flush", _collect)
        event.listen(Session, "after_flush_postexec", _apply)
        event.listen(Session, "after_rollback", _forget)


def rebuild() -> None:
    """Sum every charge again (after writes that bypassed the unit of work)."""
    # One expression object in the select and the group by, with a literal false: two bound
    # parameters would be two expressions to PostgreSQL, which then refuses the grouping.
    inside = func.coalesce(Charge.customer_org_id == Charge.owner_org_id, false())
    sums = (
        select(Charge.instrument_id, Charge.month, inside, func.sum(Charge.amount))
        .where(Charge.instrument_id.is_not(None))
        .group_by(Charge.instrument_id, Charge.month, inside)
    )
    db.session.execute(delete(InstrumentIncome))
    rows = [
        {"instrument_id": i, "month": m, "inside": bool(s), "amount_fen": _fen(a)}
        for i, m, s, a in db.session.execute(sums)
    ]
    if rows:
        db.session.execute(InstrumentIncome.__table__.insert(), rows)


def rebuild_pairs() -> None:
    """Sum every charge again per month and organisation pair (after writes that bypassed the
    unit of work)."""
    owner = func.coalesce(Charge.owner_org_id, NO_OWNER)
    sums = select(
        Charge.month, owner, Charge.customer_org_id, func.sum(Charge.amount), func.count()
    ).group_by(Charge.month, owner, Charge.customer_org_id)
    db.session.execute(delete(OrganisationMonth))
    rows = [
        {
            "month": month,
            "owner_org_id": owner_id,
            "customer_org_id": customer_id,
            "amount_fen": _fen(amount),
            "charges": count,
        }
        for month, owner_id, customer_id, amount, count in db.session.execute(sums)
    ]
    if rows:
        db.session.execute(OrganisationMonth.__table__.insert(), rows)


def income_of_year(ids: list[int] | Select, year: int) -> dict[int, tuple[Decimal, Decimal]]:
    """Per instrument, the year's income from inside and from outside its organisation."""
    rows = db.session.execute(
        select(
            InstrumentIncome.instrument_id,
            InstrumentIncome.inside,
            func.sum(InstrumentIncome.amount_fen),
        )
        .where(
            InstrumentIncome.instrument_id.in_(ids),
            InstrumentIncome.month.like(f"{year}-%"),
        )
        .group_by(InstrumentIncome.instrument_id, InstrumentIncome.inside)
    )
    found: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal("0.00"), Decimal("0.00")])
    for instrument_id, inside, fen in rows:
        found[instrument_id][0 if inside else 1] += yuan(fen)
    return {key: (value[0], value[1]) for key, value in found.items()}
