"""Statement CSV that Excel opens with Chinese intact (UTF-8 with BOM), streamed row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask import Response, stream_with_context
from sqlalchemy import select

from sharing.billing.models import Charge
from sharing.extensions import db
from sharing.money import format_money
from sharing.orgs.models import Organisation
from sharing.spreadsheet import neutralise_row

BOM = "\ufeff"
HEADER = [
    "date",
    "instrument",
    "owner",
    "kind",
    "category",
    "unit",
    "quantity",
    "unit_price",
    "amount",
    "description",
]
BATCH = 1000


def _row(writer_buffer: io.StringIO, writer, values) -> str:
    writer.writerow(neutralise_row(values))
    text = writer_buffer.getvalue()
    writer_buffer.seek(0)
    writer_buffer.truncate(0)
    return text


def statement_rows(organisation_id: int, month: str):
    """Plain rows (no ORM objects, so no reference cycles to pile up), streamed in batches."""
    return (
        select(
            Charge.service_date,
            Charge.description,
            Charge.owner_org_id,
            Charge.kind,
            Charge.category,
            Charge.unit,
            Charge.quantity,
            Charge.unit_price,
            Charge.amount,
        )
        .where(Charge.customer_org_id == organisation_id, Charge.month == month)
        .order_by(Charge.service_date, Charge.id)
        .execution_options(yield_per=BATCH, stream_results=True)
    )


def statement_csv(organisation_id: int, month: str, owner_names: dict[int, str]) -> Iterator[str]:
    """Yield the BOM, a header and one line per charge; memory stays flat whatever the size."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield BOM + _row(buffer, writer, HEADER)
    total = 0
    for charge in db.session.execute(statement_rows(organisation_id, month)):
        total += charge.amount
        yield _row(
            buffer,
            writer,
            [
                charge.service_date.isoformat(),
                charge.description if charge.kind.value != "adjustment" else "",
                owner_names.get(charge.owner_org_id, ""),
                charge.kind.value,
                charge.category.value if charge.category else "",
                charge.unit.value if charge.unit else "",
                f"{charge.quantity}",
                format_money(charge.unit_price) if charge.unit_price is not None else "",
                format_money(charge.amount),
                charge.description,
            ],
        )
    yield _row(buffer, writer, ["", "", "", "total", "", "", "", "", format_money(total), ""])


def statement_csv_response(organisation: Organisation, month: str) -> Response:
    """The streamed CSV download of a statement (callers check who may read it first)."""
    owner_names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    body = stream_with_context(statement_csv(organisation.id, month, owner_names))
    response = Response(body, mimetype="text/csv")
    filename = f"statement-{organisation.slug}-{month}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
