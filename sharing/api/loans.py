"""Loans of sea-going gear: requests of several items, each owner's decisions, handover,
return, inspection, extension; and an instrument's components and operators."""

from __future__ import annotations

from decimal import Decimal

from flask import jsonify

from sharing.api.base import Blueprint
from sharing.api.schemas.loans import (
    ComponentInSchema,
    ComponentListSchema,
    ComponentSchema,
    DepositInSchema,
    DispatchInSchema,
    ExtendInSchema,
    InspectInSchema,
    ItemDecisionInSchema,
    LoanDryRunSchema,
    LoanInSchema,
    LoanListSchema,
    LoanPatchSchema,
    LoanQuerySchema,
    LoanSchema,
    OperatorInSchema,
    OperatorListSchema,
    OperatorSchema,
    ReasonInSchema,
    ReturnInSchema,
)
from sharing.core.session import require_actor
from sharing.instruments.services import get_instrument
from sharing.loans import services

bp = Blueprint("api_loans", __name__, description="Loans of sea-going gear, kits and operators")


def _loan(loan_id: int):
    actor = require_actor()
    return actor, services.get_loan(actor, loan_id)


def _request(body) -> services.LoanRequest:
    return services.LoanRequest(
        items=tuple(services.WantedItem(**item) for item in body["items"]),
        start_date=body["start_date"],
        end_date=body["end_date"],
        purpose=body["purpose"],
        site=body["site"],
        delivery=body["delivery"],
        account_id=body["account_id"],
    )


def _checklist(lines) -> list:
    return [services.CheckLine(**line) for line in lines]


@bp.post("/loans")
@bp.arguments(LoanInSchema)
@bp.response(201, LoanSchema)
@bp.alt_response(200, schema=LoanDryRunSchema, description="dry_run: the quote, nothing held")
def create_loan(body):
    """Hold several items (of one or several owners) for the days, all or none."""
    actor = require_actor()
    if body["dry_run"]:
        return jsonify(LoanDryRunSchema().dump(services.preview_loan(actor, _request(body)))), 200
    return services.request_loan(actor, _request(body))


@bp.get("/loans")
@bp.arguments(LoanQuerySchema, location="query")
@bp.response(200, LoanListSchema)
def list_loans(args):
    """The borrower's organisation's loans, the owners' managers' loans, all for admins."""
    loans = services.list_loans(
        require_actor(),
        args.get("status"),
        args.get("instrument_id"),
        args.get("from_"),
        args.get("to"),
    )
    page, per_page = args["page"], args["per_page"]
    return {
        "items": loans[(page - 1) * per_page : page * per_page],
        "total": len(loans),
        "page": page,
        "per_page": per_page,
    }


@bp.get("/loans/<int:loan_id>")
@bp.response(200, LoanSchema)
def show_loan(loan_id: int):
    return _loan(loan_id)[1]


@bp.patch("/loans/<int:loan_id>")
@bp.arguments(LoanPatchSchema)
@bp.response(200, LoanSchema)
def patch_loan(body, loan_id: int):
    """The borrower names the insurance policy."""
    actor, loan = _loan(loan_id)
    return services.set_insurance(actor, loan, body["insurance_policy"])


@bp.post("/loans/<int:loan_id>/items/<int:instrument_id>/approve")
@bp.arguments(ItemDecisionInSchema)
@bp.response(200, LoanSchema)
def approve_item(body, loan_id: int, instrument_id: int):
    actor, loan = _loan(loan_id)
    return services.approve_item(actor, loan, instrument_id, body["operator_id"])


@bp.post("/loans/<int:loan_id>/items/<int:instrument_id>/decline")
@bp.arguments(ReasonInSchema)
@bp.response(200, LoanSchema)
def decline_item(body, loan_id: int, instrument_id: int):
    actor, loan = _loan(loan_id)
    return services.decline_item(actor, loan, instrument_id, body["reason"])


@bp.post("/loans/<int:loan_id>/cancel")
@bp.arguments(ReasonInSchema)
@bp.response(200, LoanSchema)
def cancel_loan(body, loan_id: int):
    actor, loan = _loan(loan_id)
    return services.cancel_loan(actor, loan, body["reason"])


@bp.post("/loans/<int:loan_id>/deposit")
@bp.arguments(DepositInSchema)
@bp.response(200, LoanSchema)
def record_deposit(body, loan_id: int):
    actor, loan = _loan(loan_id)
    return services.record_deposit(
        actor, loan, body["instrument_id"], body["amount"], body["received_on"], body["reference"]
    )


@bp.post("/loans/<int:loan_id>/items/<int:instrument_id>/dispatch")
@bp.arguments(DispatchInSchema)
@bp.response(200, LoanSchema)
def dispatch_item(body, loan_id: int, instrument_id: int):
    actor, loan = _loan(loan_id)
    return services.dispatch_item(
        actor,
        loan,
        instrument_id,
        _checklist(body["checklist"]),
        body["tracking_number"],
        body["at"],
    )


@bp.post("/loans/<int:loan_id>/items/<int:instrument_id>/return")
@bp.arguments(ReturnInSchema)
@bp.response(200, LoanSchema)
def return_item(body, loan_id: int, instrument_id: int):
    actor, loan = _loan(loan_id)
    return services.return_item(
        actor, loan, instrument_id, _checklist(body["checklist"]), body["at"]
    )


@bp.post("/loans/<int:loan_id>/items/<int:instrument_id>/inspect")
@bp.arguments(InspectInSchema)
@bp.response(200, LoanSchema)
def inspect_item(body, loan_id: int, instrument_id: int):
    actor, loan = _loan(loan_id)
    damage = body["damage_amount"] if body["damage_amount"] is not None else Decimal(0)
    return services.inspect_item(actor, loan, instrument_id, body["outcome"], damage, body["note"])


@bp.post("/loans/<int:loan_id>/extend")
@bp.arguments(ExtendInSchema)
@bp.response(200, LoanSchema)
def extend_loan(body, loan_id: int):
    actor, loan = _loan(loan_id)
    return services.extend_loan(actor, loan, body["end_date"])


@bp.post("/instruments/<int:instrument_id>/components")
@bp.arguments(ComponentInSchema)
@bp.response(201, ComponentSchema)
def add_component(body, instrument_id: int):
    return services.add_component(require_actor(), get_instrument(instrument_id), **body)


@bp.get("/instruments/<int:instrument_id>/components")
@bp.response(200, ComponentListSchema)
def components(instrument_id: int):
    require_actor()
    return {"items": services.list_components(get_instrument(instrument_id))}


@bp.post("/instruments/<int:instrument_id>/operators")
@bp.arguments(OperatorInSchema)
@bp.response(201, OperatorSchema)
def add_operator(body, instrument_id: int):
    instrument = get_instrument(instrument_id)
    return services.add_operator(require_actor(), instrument, body["user_id"], body["day_rate"])


@bp.get("/instruments/<int:instrument_id>/operators")
@bp.response(200, OperatorListSchema)
def operators(instrument_id: int):
    require_actor()
    return {"items": services.list_operators(get_instrument(instrument_id))}
