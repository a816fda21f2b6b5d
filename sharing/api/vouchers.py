"""Innovation vouchers (api.md "Money as the region pays it"): a year's programme, firms' claims
over their paid charges checked line by line, reviewed and paid by admins, with the evidence."""

from __future__ import annotations

from flask import Response

from sharing.api.base import Blueprint
from sharing.api.schemas.vouchers import (
    ClaimInSchema,
    ClaimListSchema,
    ClaimSchema,
    DecisionInSchema,
    ProgrammeInSchema,
    ProgrammeListSchema,
    ProgrammeSchema,
)
from sharing.core.session import require_actor
from sharing.vouchers import evidence, services

bp = Blueprint("api_vouchers", __name__, description="Innovation vouchers")


@bp.post("/voucher-programmes")
@bp.arguments(ProgrammeInSchema)
@bp.response(201, ProgrammeSchema)
def create_programme(body):
    """Admins set up a year's programme: city, shares paid back, caps."""
    return services.create_programme(require_actor(), body)


@bp.get("/voucher-programmes")
@bp.response(200, ProgrammeListSchema)
def list_programmes():
    return {"items": services.list_programmes()}


@bp.post("/voucher-claims")
@bp.arguments(ClaimInSchema)
@bp.response(201, ClaimSchema)
def submit_claim(body):
    """A firm claims paid charges; each line says whether it is eligible, and why not."""
    actor = require_actor()
    programme = services.get_programme(body["programme_id"])
    return services.submit_claim(actor, programme, body["charge_ids"])


@bp.get("/voucher-claims")
@bp.response(200, ClaimListSchema)
def list_claims():
    """Admins: every claim; a firm: its own; a provider's managers: those on its fees."""
    return {"items": services.list_claims(require_actor())}


@bp.get("/voucher-claims/<int:claim_id>")
@bp.response(200, ClaimSchema)
def show_claim(claim_id: int):
    return services.read_claim(require_actor(), claim_id)


def _decide(claim_id: int, step: str, reason: str = ""):
    actor = require_actor()
    return services.decide_claim(actor, services.get_claim(actor, claim_id), step, reason)


@bp.post("/voucher-claims/<int:claim_id>/approve")
@bp.arguments(DecisionInSchema)
@bp.response(200, ClaimSchema)
def approve_claim(body, claim_id: int):
    return _decide(claim_id, "approve", body["reason"])


@bp.post("/voucher-claims/<int:claim_id>/reject")
@bp.arguments(DecisionInSchema)
@bp.response(200, ClaimSchema)
def reject_claim(body, claim_id: int):
    """The charges of a rejected claim may be claimed again."""
    return _decide(claim_id, "reject", body["reason"])


@bp.post("/voucher-claims/<int:claim_id>/pay")
@bp.response(200, ClaimSchema)
def pay_claim(claim_id: int):
    return _decide(claim_id, "pay")


@bp.get("/voucher-claims/<int:claim_id>/evidence.zip")
@bp.response(200, description="A zip: claim.csv and one JSON record per eligible line")
def evidence_package(claim_id: int):
    claim = services.read_claim(require_actor(), claim_id)
    return Response(
        evidence.evidence_zip(claim),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="voucher-claim-{claim.id}.zip"'},
    )
