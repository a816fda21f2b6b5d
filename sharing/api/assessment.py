"""Evidence for assessors (api.md): customers rate completed bookings and orders once; faults,
safety issues, maintenance and calibration are logged per instrument."""

from __future__ import annotations

from flask import Response
from flask_babel import get_locale

from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.assessment import (
    AchievementInSchema,
    AchievementQuerySchema,
    AchievementSchema,
    IncidentInSchema,
    IncidentListSchema,
    IncidentSchema,
    LargeInstrumentReportSchema,
    RatingInSchema,
    RatingSchema,
    ResolveInSchema,
    YearArgs,
)
from sharing.assessment import achievements, export, incidents, ratings, yearly
from sharing.bookings.services import get_booking
from sharing.core.session import api_actor, require_actor
from sharing.cruises import figures
from sharing.instruments.services import get_instrument
from sharing.orders.services import get_order

bp = Blueprint("api_assessment", __name__, description="Evidence for assessors")


@bp.post("/bookings/<int:booking_id>/rating")
@bp.arguments(RatingInSchema)
@bp.response(201, RatingSchema)
def rate_booking(body, booking_id: int):
    """The booking's user scores the completed session (1-5) once; again is 409 duplicate."""
    actor = require_actor()
    booking = get_booking(actor, booking_id)
    return ratings.rate_booking(actor, booking, body["score"], body["comment"])


@bp.post("/orders/<int:order_id>/rating")
@bp.arguments(RatingInSchema)
@bp.response(201, RatingSchema)
def rate_order(body, order_id: int):
    """The customer scores the completed order (1-5) once; again is 409 duplicate."""
    actor = require_actor()
    order = get_order(actor, order_id)
    return ratings.rate_order(actor, order, body["score"], body["comment"])


@bp.post("/instruments/<int:instrument_id>/incidents")
@bp.arguments(IncidentInSchema)
@bp.response(201, IncidentSchema)
def report_incident(body, instrument_id: int):
    """Faults and safety issues: anyone who used the instrument; maintenance and calibration
    (with `next_due_on`): its managers."""
    actor = require_actor()
    instrument = get_instrument(instrument_id)
    return incidents.report_incident(
        actor, instrument, body["kind"], body["description"], body["next_due_on"]
    )


@bp.get("/instruments/<int:instrument_id>/incidents")
@bp.response(200, IncidentListSchema)
def list_incidents(instrument_id: int):
    """Open faults first, then the upkeep log, newest first."""
    return {"items": incidents.list_incidents(get_instrument(instrument_id))}


@bp.post("/incidents/<int:incident_id>/resolve")
@bp.arguments(ResolveInSchema)
@bp.response(200, IncidentSchema)
def resolve_incident(body, incident_id: int):
    """The instrument's managers close an open fault; again is 409 invalid_state."""
    actor = require_actor()
    incident = incidents.get_incident(actor, incident_id)
    return incidents.resolve_incident(actor, incident, body["resolution"])


@bp.post("/achievements")
@bp.arguments(AchievementInSchema)
@bp.response(201, AchievementSchema)
def add_achievement(body):
    """A paper, patent, award, standard or major task of the caller's organisation and the
    instruments it used; counted once a manager of one of them confirms it."""
    return achievements.add_achievement(require_actor(), body)


@bp.get("/achievements")
@bp.arguments(AchievementQuerySchema, location="query")
@bp.response(200, page_schema(AchievementSchema, "AchievementPage"))
def list_achievements(args):
    """Confirmed ones for everyone; your organisation's and (managers) your instruments' too."""
    found = achievements.list_achievements(
        api_actor(),
        year=args.get("year"),
        instrument_id=args.get("instrument"),
        status=args.get("status"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(found)


@bp.post("/achievements/<int:achievement_id>/confirm")
@bp.response(200, AchievementSchema)
def confirm_achievement(achievement_id: int):
    actor = require_actor()
    achievement = achievements.get_achievement(actor, achievement_id)
    return achievements.decide_achievement(actor, achievement, confirm=True)


@bp.post("/achievements/<int:achievement_id>/reject")
@bp.response(200, AchievementSchema)
def reject_achievement(achievement_id: int):
    actor = require_actor()
    achievement = achievements.get_achievement(actor, achievement_id)
    return achievements.decide_achievement(actor, achievement, confirm=False)


@bp.get("/reports/large-instruments")
@bp.arguments(YearArgs, location="query")
@bp.response(200, LargeInstrumentReportSchema)
def large_instruments(args):
    """The yearly assessment figures of every instrument of 500,000 yuan or more (managers:
    their organisation's; admins: all, or `organisation`), and beside them the ship time of the
    same organisation's vessels that year (`ship_time`: completed cruises)."""
    scope = yearly.report_scope_for(require_actor(), args.get("organisation"))
    return {
        "year": args["year"],
        "items": yearly.yearly_report(args["year"], scope),
        "ship_time": figures.ship_time_year(args["year"], scope),
    }


def _download(args, suffix: str):
    report = yearly.yearly_report_for(require_actor(), args["year"], args.get("organisation"))
    chinese = str(get_locale()) == "zh"
    name = f"large-instruments-{args['year']}.{suffix}"
    if suffix == "csv":
        body, mimetype = export.report_csv(report, chinese), "text/csv; charset=utf-8"
    else:
        body = export.report_xlsx(report, chinese, str(args["year"]))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/reports/large-instruments.csv")
@bp.arguments(YearArgs, location="query")
@bp.response(200, description="CSV in UTF-8 with BOM, in the national form's field order")
def large_instruments_csv(args):
    """The same figures as CSV in the national form's field order (UTF-8 with a BOM)."""
    return _download(args, "csv")


@bp.get("/reports/large-instruments.xlsx")
@bp.arguments(YearArgs, location="query")
@bp.response(200, description="An Excel workbook in the national form's field order")
def large_instruments_xlsx(args):
    """The same figures as an Excel workbook: numbers as numbers, two decimals for money."""
    return _download(args, "xlsx")
