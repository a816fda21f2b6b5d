"""Usage and billing endpoints."""

from __future__ import annotations

from sharing.api.base import Blueprint
from sharing.api.schemas.billing import (
    AdjustmentInSchema,
    AtSchema,
    ChargeListSchema,
    ChargeQuerySchema,
    ChargeSchema,
    ClosedSchema,
    MonthQuerySchema,
    ReportArgs,
    RevenueSchema,
    StatementArgs,
    StatementListSchema,
    StatementSchema,
    UsageInSchema,
    UsageResultSchema,
    UtilisationSchema,
)
from sharing.billing import reports, services
from sharing.billing.export import statement_file
from sharing.bookings.services import get_booking
from sharing.core.errors import BadRequest, NotFound
from sharing.core.session import require_actor
from sharing.orgs.models import Organisation
from sharing.orgs.services import get_organisation
from sharing.util.timeutil import Interval

bp = Blueprint("api_billing", __name__, description="Usage, charges, statements and reports")


def _usage_result(booking, charge) -> dict:
    return {"booking_id": booking.id, "status": booking.status.value, "charge": charge}


@bp.post("/bookings/<int:booking_id>/check-in")
@bp.arguments(AtSchema)
@bp.response(200, UsageResultSchema)
def check_in(body, booking_id: int):
    actor = require_actor()
    booking = services.check_in(actor, get_booking(actor, booking_id), body.get("at"))
    return _usage_result(booking, None)


@bp.post("/bookings/<int:booking_id>/check-out")
@bp.arguments(AtSchema)
@bp.response(200, UsageResultSchema)
def check_out(body, booking_id: int):
    """End the session; the booking is completed and charged."""
    actor = require_actor()
    booking = get_booking(actor, booking_id)
    charge = services.check_out(actor, booking, body.get("at"))
    return _usage_result(booking, charge)


@bp.post("/bookings/<int:booking_id>/usage")
@bp.arguments(UsageInSchema)
@bp.response(200, UsageResultSchema)
def usage(body, booking_id: int):
    """A manager enters or corrects the actual times and samples."""
    actor = require_actor()
    booking = get_booking(actor, booking_id)
    charge = services.record_usage(actor, booking, body["start"], body["end"], body.get("samples"))
    return _usage_result(booking, charge)


@bp.post("/bookings/<int:booking_id>/no-show")
@bp.response(200, UsageResultSchema)
def no_show(booking_id: int):
    actor = require_actor()
    booking = get_booking(actor, booking_id)
    charge = services.mark_no_show(actor, booking)
    return _usage_result(booking, charge)


def _organisation(slug: str | None) -> Organisation | None:
    if slug is None:
        return None
    organisation = get_organisation(slug)
    if organisation is None:
        raise NotFound("No organisation '%(slug)s'.", {"slug": slug})
    return organisation


@bp.get("/charges")
@bp.arguments(ChargeQuerySchema, location="query")
@bp.response(200, ChargeListSchema)
def charges(args):
    """Charges of a month; members see their own organisation's, admins everyone's."""
    actor = require_actor()
    return {
        "items": services.list_charges(
            actor, args.get("month"), _organisation(args.get("organisation"))
        )
    }


@bp.get("/statements")
@bp.arguments(MonthQuerySchema, location="query")
@bp.response(200, StatementListSchema)
def statements(args):
    return {"items": services.list_statements(require_actor(), args["month"])}


@bp.get("/statements/<slug>/<month>")
@bp.arguments(StatementArgs, location="query")
@bp.response(200, StatementSchema)
def statement(args, slug: str, month: str):
    """A page of the month's lines with the subtotals and total of all of them."""
    actor = require_actor()
    organisation = _organisation(slug)
    return services.get_statement(
        actor, organisation, month, args["page"], args["per_page"], args["group"]
    )


@bp.get("/statements/<slug>/<month>.csv")
@bp.response(200, description="CSV in UTF-8 with BOM, one line per charge")
def statement_download(slug: str, month: str):
    """The statement as CSV for Excel, streamed."""
    actor = require_actor()
    organisation = _organisation(slug)
    services.get_statement_access(actor, organisation, month)
    return statement_file(organisation, month, "csv")


@bp.get("/statements/<slug>/<month>.xlsx")
@bp.response(200, description="An Excel workbook, one row per charge, money as numbers")
def statement_workbook(slug: str, month: str):
    """The statement as an Excel workbook: headers in the reader's language, labels for codes."""
    actor = require_actor()
    organisation = _organisation(slug)
    services.get_statement_access(actor, organisation, month)
    return statement_file(organisation, month, "xlsx")


@bp.post("/statements/<month>/close")
@bp.response(200, ClosedSchema)
def close(month: str):
    closed = services.close_month(require_actor(), month)
    return {"month": closed.month, "status": "closed"}


@bp.post("/adjustments")
@bp.arguments(AdjustmentInSchema)
@bp.response(201, ChargeSchema)
def adjustment(body):
    actor = require_actor()
    organisation = get_organisation(body["organisation"])
    if organisation is None:
        raise BadRequest("Unknown organisation.", fields={"organisation": ["unknown"]})
    charge = services.add_adjustment(actor, organisation, body["amount"], body["reason"])
    return charge


def _report_window(args) -> Interval:
    if args["to"] <= args["from_"]:
        raise BadRequest("`to` must be after `from`.", fields={"to": ["before from"]})
    if (args["to"] - args["from_"]).days > 800:
        raise BadRequest("Ask for at most about two years.", fields={"to": ["too far"]})
    return Interval(args["from_"], args["to"])


@bp.get("/reports/utilisation")
@bp.arguments(ReportArgs, location="query")
@bp.response(200, UtilisationSchema)
def utilisation(args):
    organisation = _organisation(args.get("organisation"))
    scope = reports.reports_for(
        require_actor(), _report_window(args), organisation.id if organisation else None
    )
    return {"items": scope.utilisation()}


@bp.get("/reports/revenue")
@bp.arguments(ReportArgs, location="query")
@bp.response(200, RevenueSchema)
def revenue(args):
    return {"items": reports.reports_for(require_actor(), _report_window(args)).revenue()}
