"""A statement as a finance office opens it: CSV (UTF-8 with a BOM) and XLSX, headed in the
reader's language, labels for codes, the user and funding account of every line, and the total.

Rows are read as plain tuples in batches (no ORM objects to pile up), so memory stays flat
whatever the month's size.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Response
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased

from sharing.auth.models import User
from sharing.billing.labels import CHARGE_KIND_LABELS
from sharing.billing.models import Charge
from sharing.extensions import db
from sharing.funding.models import FundingAccount
from sharing.instruments.labels import CATEGORY_LABELS, QUANTITY_UNIT_LABELS, UNIT_LABELS
from sharing.orgs.models import Organisation
from sharing.util.formatting import localized
from sharing.util.spreadsheet import Column, csv_lines, download

BATCH = 1000
COLUMNS = [
    Column("date", _l("Date"), "date"),
    Column("item", _l("Item")),
    Column("owner", _l("Provider")),
    Column("user", _l("User")),
    Column("account", _l("Funding account")),
    Column("account_name", _l("Account name")),
    Column("kind", _l("Kind")),
    Column("category", _l("Rate category")),
    Column("quantity", _l("Quantity"), "quantity"),
    Column("unit", _l("Unit")),
    Column("unit_price", _l("Unit price"), "money"),
    Column("price_unit", _l("Priced")),
    Column("amount", _l("Amount"), "money"),
]


def statement_rows(organisation_id: int, month: str):
    """The month's lines with the names a reader needs, in statement order, batch by batch."""
    owner = aliased(Organisation)
    return (
        select(
            Charge.service_date,
            Charge.description,
            Charge.kind,
            Charge.category,
            Charge.unit,
            Charge.quantity,
            Charge.unit_price,
            Charge.amount,
            owner.name.label("owner_name"),
            owner.name_en.label("owner_name_en"),
            User.name.label("user_name"),
            FundingAccount.code.label("account_code"),
            FundingAccount.name.label("account_name"),
        )
        .outerjoin(owner, owner.id == Charge.owner_org_id)
        .outerjoin(User, User.id == Charge.user_id)
        .outerjoin(FundingAccount, FundingAccount.id == Charge.account_id)
        .where(Charge.customer_org_id == organisation_id, Charge.month == month)
        .order_by(Charge.service_date, Charge.id)
        .execution_options(yield_per=BATCH, stream_results=True)
    )


def statement_table(organisation_id: int, month: str) -> Iterator[dict]:
    """One row per line in the reader's language, then the total row."""
    total = 0
    labels = {
        "kind": {kind: str(label) for kind, label in CHARGE_KIND_LABELS.items()},
        "category": {key: str(label) for key, label in CATEGORY_LABELS.items()},
        "unit": {key: str(label) for key, label in QUANTITY_UNIT_LABELS.items()},
        "priced": {key: str(label) for key, label in UNIT_LABELS.items()},
    }
    for line in db.session.execute(statement_rows(organisation_id, month)):
        total += line.amount
        yield {
            "date": line.service_date,
            "item": line.description,
            "owner": localized(line, "owner_name") if line.owner_name else "",
            "user": line.user_name or "",
            "account": line.account_code or "",
            "account_name": line.account_name or "",
            "kind": labels["kind"][line.kind],
            "category": labels["category"].get(line.category, ""),
            "quantity": line.quantity,
            "unit": labels["unit"].get(line.unit, ""),
            "unit_price": line.unit_price,
            "price_unit": labels["priced"].get(line.unit, ""),
            "amount": line.amount,
        }
    yield {"item": str(_l("Total")), "amount": total}


def statement_csv(organisation_id: int, month: str) -> Iterator[str]:
    return csv_lines(COLUMNS, statement_table(organisation_id, month))


def statement_file(organisation: Organisation, month: str, suffix: str) -> Response:
    """The statement as CSV (streamed) or XLSX; callers check who may read it first."""
    stem = f"statement-{organisation.slug}-{month}"
    rows = statement_table(organisation.id, month)
    return download(COLUMNS, rows, stem, suffix, month, stream=True)
