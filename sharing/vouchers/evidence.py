"""A claim's evidence package, one zip: for each line the order or booking record, the quote,
the invoice number and payment date, the result files and the check-in/out log."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.orders.models import Order
from sharing.util.formatting import format_local
from sharing.vouchers.access import ClaimView

BOM = "\ufeff"
SUMMARY_COLUMNS = (
    "charge_id",
    "amount",
    "eligible",
    "reason",
    "enterprise_subsidy",
    "provider_subsidy",
)


def _record(charge) -> dict:
    """What the line rests on, as an assessor reads it."""
    invoice = charge.invoice  # the one that covers it
    record: dict = {
        "charge_id": charge.id,
        "date": charge.service_date.isoformat(),
        "description": charge.description,
        "amount": f"{charge.amount:.2f}",
        "invoice_number": invoice.number if invoice else None,
        "paid_on": invoice.paid_on.isoformat() if invoice and invoice.paid_on else None,
    }
    if charge.order_id is not None:
        order = db.session.get(Order, charge.order_id)
        record["order"] = {
            "id": order.id,
            "instrument": order.instrument.name,
            "samples": order.measured_samples or order.samples,
            "quote": [
                {
                    "description": q.description,
                    "quantity": f"{q.quantity.normalize():f}",
                    "unit_price": f"{q.unit_price:.2f}",
                    "amount": f"{q.amount:.2f}",
                }
                for q in order.quote_lines
            ],
            "results": [result.filename for result in order.results],
            "history": [f"{format_local(e.at)} {e.to_status.value}" for e in order.events],
        }
    if charge.booking_id is not None:
        booking = db.session.get(Booking, charge.booking_id)
        record["booking"] = {
            "id": booking.id,
            "instrument": booking.instrument.name,
            "start": format_local(booking.start),
            "end": format_local(booking.end),
            "checked_in_at": format_local(booking.checked_in_at),
            "used_from": format_local(booking.used_start),
            "used_until": format_local(booking.used_end),
        }
    return record


def evidence_zip(claim: ClaimView) -> bytes:
    """claim.csv (every line the reader sees, eligible or not, with its reason) and one JSON
    file an eligible line: a provider's managers get their own lines alone."""
    out = io.BytesIO()
    summary = io.StringIO()
    writer = csv.writer(summary)
    writer.writerow(
        ["charge_id", "amount", "eligible", "reason", "enterprise_subsidy", "provider_subsidy"]
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for line in claim.lines:
            writer.writerow(
                [
                    line.charge_id,
                    f"{line.amount:.2f}",
                    "yes" if line.eligible else "no",
                    line.reason,
                    f"{line.enterprise_subsidy:.2f}",
                    f"{line.provider_subsidy:.2f}",
                ]
            )
            if line.eligible:
                archive.writestr(
                    f"line-{line.charge_id}.json",
                    json.dumps(_record(line.charge), ensure_ascii=False, indent=2),
                )
        archive.writestr("claim.csv", BOM + summary.getvalue())
    return out.getvalue()
