"""Ship time shared by cruise (共享航次): cruises, applications to join, allocation, costs,
departure and return, and the duties after it."""

from __future__ import annotations

from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.cruises import (
    AllocateInSchema,
    CruiseApplicationInSchema,
    CruiseApplicationListSchema,
    CruiseApplicationSchema,
    CruiseCancelInSchema,
    CruiseCompleteInSchema,
    CruiseCostsSchema,
    CruiseDataInSchema,
    CruiseDetailSchema,
    CruiseInSchema,
    CruiseQuerySchema,
    CruiseReportInSchema,
    CruiseSchema,
)
from sharing.core.session import require_actor
from sharing.cruises import applications as joining
from sharing.cruises import completion, duties, services
from sharing.cruises.equipment import Item
from sharing.cruises.presenters import costs_for_reader, detail_of

bp = Blueprint("api_cruises", __name__, description="Ship time shared by cruise")


@bp.post("/cruises")
@bp.arguments(CruiseInSchema)
@bp.response(201, CruiseDetailSchema)
def post_cruise(body):
    """Publish a cruise (the vessel's managers): it holds the vessel from the first
    mobilisation day to the return, or 409 `conflict` naming what is in the way."""
    cruise = services.publish_cruise(require_actor(), services.CruisePlan(**body))
    return detail_of(cruise)


@bp.get("/cruises")
@bp.arguments(CruiseQuerySchema, location="query")
@bp.response(200, page_schema(CruiseSchema, "CruisePage"))
def list_cruises(args):
    """Cruises by departure, for everyone signed in (`status`, `from`, `to`, `vessel_id`)."""
    require_actor()
    query = services.CruiseQuery(
        status=args.get("status"),
        start=args.get("from_"),
        end=args.get("to"),
        vessel_id=args.get("vessel_id"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(services.list_cruises(query))


@bp.get("/cruises/<int:cruise_id>")
@bp.response(200, CruiseDetailSchema)
def show_cruise(cruise_id: int):
    """One cruise with its capacity left, its report and its obligations."""
    require_actor()
    return detail_of(services.get_cruise(cruise_id))


def _stepped(step, cruise_id: int, *args):
    cruise = step(require_actor(), services.get_cruise(cruise_id), *args)
    return detail_of(cruise)


@bp.post("/cruises/<int:cruise_id>/open")
@bp.response(200, CruiseDetailSchema)
def open_cruise(cruise_id: int):
    """Open the call for berths (from `planning`)."""
    return _stepped(services.open_cruise, cruise_id)


@bp.post("/cruises/<int:cruise_id>/applications")
@bp.arguments(CruiseApplicationInSchema)
@bp.response(201, CruiseApplicationSchema)
def apply(body, cruise_id: int):
    """Ask to join (researchers and enterprise users, while open and up to `apply_by`)."""
    items = [Item(e["instrument_id"], e["with_operator"]) for e in body.pop("equipment")]
    ask = joining.Ask(equipment=items, **body)
    return joining.apply_to_cruise(require_actor(), services.get_cruise(cruise_id), ask)


@bp.get("/cruises/<int:cruise_id>/applications")
@bp.response(200, CruiseApplicationListSchema)
def list_applications(cruise_id: int):
    """Every application for the vessel's managers and the chief scientist; one's own else."""
    actor = require_actor()
    return {"items": joining.list_applications(actor, services.get_cruise(cruise_id))}


@bp.post("/cruises/<int:cruise_id>/allocate")
@bp.arguments(AllocateInSchema)
@bp.response(200, CruiseDetailSchema)
def allocate(body, cruise_id: int):
    """Share out the capacity: listed applications allocated (their gear held as loans), the
    rest declined; over the capacity 422 `over_capacity`, gear taken 409 `conflict`."""
    allocations = [joining.Allocation(**a) for a in body["allocations"]]
    return _stepped(joining.allocate, cruise_id, allocations)


@bp.get("/cruises/<int:cruise_id>/costs")
@bp.response(200, CruiseCostsSchema)
def costs(cruise_id: int):
    """Days, day rate, total and each party's share, to the fen (the reader's parts)."""
    actor = require_actor()
    return costs_for_reader(actor, services.get_cruise(cruise_id))


@bp.post("/cruises/<int:cruise_id>/depart")
@bp.response(200, CruiseDetailSchema)
def depart(cruise_id: int):
    """The ship has sailed (from `allocated`)."""
    return _stepped(services.depart, cruise_id)


@bp.post("/cruises/<int:cruise_id>/complete")
@bp.arguments(CruiseCompleteInSchema)
@bp.response(200, CruiseDetailSchema)
def complete(body, cruise_id: int):
    """Back in port on `returned_on`: each party's share becomes a `ship_time` charge, once."""
    return _stepped(completion.complete_cruise, cruise_id, body["returned_on"])


@bp.post("/cruises/<int:cruise_id>/cancel")
@bp.arguments(CruiseCancelInSchema)
@bp.response(200, CruiseDetailSchema)
def cancel(body, cruise_id: int):
    """Cancel before sailing: the vessel and the loans are freed, nothing is charged."""
    return _stepped(services.cancel_cruise, cruise_id, body["reason"])


@bp.post("/cruises/<int:cruise_id>/report")
@bp.arguments(CruiseReportInSchema)
@bp.response(200, CruiseDetailSchema)
def report(body, cruise_id: int):
    """The chief scientist's cruise report (due within seven days of return)."""
    return _stepped(duties.file_report, cruise_id, body["summary"], body["stations"])


@bp.post("/cruise-applications/<int:application_id>/data")
@bp.arguments(CruiseDataInSchema)
@bp.response(200, CruiseApplicationSchema)
def deliver_data(body, application_id: int):
    """The party's data record (due within the cruise's data days; embargo up to two years)."""
    actor = require_actor()
    application = joining.get_application(actor, application_id)
    return duties.deliver_data(
        actor, application, body["description"], body["url"], body["embargo_until"]
    )
