"""企业出题、院所答题 (api.md "Needs, transfers and the alliance"): visits, needs and their
stages, who could answer them, milestones after an award, transfers, experts, the alliance and
the district's figures."""

from __future__ import annotations

from flask_babel import get_locale

from sharing.api.base import Blueprint, page_body, page_schema
from sharing.api.schemas.accounts import OrganisationAdminSchema
from sharing.api.schemas.challenges import ChallengeSchema
from sharing.api.schemas.needs import (
    CloseInSchema,
    ContractInSchema,
    DateRangeArgs,
    DeliverInSchema,
    ExpertInSchema,
    ExpertQuerySchema,
    ExpertSchema,
    FittingNeedListSchema,
    ImpactArgs,
    ImpactSchema,
    MeetingInSchema,
    MeetingSchema,
    MilestoneInSchema,
    MilestoneListSchema,
    MilestoneSchema,
    NeedDetailSchema,
    NeedInSchema,
    NeedQuerySchema,
    NeedSchema,
    OrganisationPatchSchema,
    PublishInSchema,
    RejectInSchema,
    SuggestionListSchema,
    TransferInSchema,
    TransferSchema,
    VisitInSchema,
    VisitSchema,
)
from sharing.auth.campus import configure_campus_sign_in
from sharing.challenges import milestones
from sharing.challenges.services import get_challenge
from sharing.core.errors import Forbidden
from sharing.core.session import api_actor, require_actor
from sharing.needs import alliance, experts, export, matching, services, transfers
from sharing.needs.access import can_see_suggestions, is_answerer
from sharing.needs.impact import impact, window_or_this_year
from sharing.orgs.services import require_organisation
from sharing.util.spreadsheet import download

bp = Blueprint("api_needs", __name__, description="Needs, transfers and the alliance")


@bp.post("/visits")
@bp.arguments(VisitInSchema)
@bp.response(201, VisitSchema)
def log_visit(body):
    """Platform staff record a visit to a company."""
    return services.log_visit(require_actor(), body["company"], body["date"], body["notes"])


@bp.get("/visits")
@bp.arguments(DateRangeArgs, location="query")
@bp.response(200, page_schema(VisitSchema, "VisitPage"))
def list_visits(args):
    """Visits within the dates (both included), newest first: platform staff only."""
    found = services.list_visits(
        require_actor(), args["start"], args["end"], page=args["page"], per_page=args["per_page"]
    )
    return page_body(found)


@bp.post("/needs")
@bp.arguments(NeedInSchema)
@bp.response(201, NeedSchema)
def record_need(body):
    """Staff write a need for a visited company; a company's people write their own."""
    return services.record_need(require_actor(), body)


@bp.get("/needs")
@bp.arguments(NeedQuerySchema, location="query")
@bp.response(200, page_schema(NeedSchema, "NeedPage"))
def list_needs(args):
    """The needs the caller may see, filtered by stage, field, words and company."""
    actor = require_actor()
    company = services.company_named(args["company"]) if args.get("company") else None
    query = services.NeedQuery(
        status=args.get("status"),
        field=args.get("field"),
        q=args["q"],
        company_id=company.id if company else None,
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(services.list_needs(actor, query))


@bp.get("/needs/fitting")
@bp.response(200, FittingNeedListSchema)
def fitting_needs():
    """Open needs that fit the caller's institute or university, best first."""
    actor = require_actor()
    if not is_answerer(actor):
        raise Forbidden("Needs are fitted to institutes and universities.")
    return {"items": matching.needs_for_organisation(actor.organisation)}


@bp.get("/needs/<int:need_id>")
@bp.response(200, NeedDetailSchema)
def show_need(need_id: int):
    """One need with its meetings, its history and who could answer it."""
    need = services.get_need(require_actor(), need_id)
    need.suggestions = matching.suggest_for_need(need)
    return need


@bp.post("/needs/<int:need_id>/claim")
@bp.response(200, NeedSchema)
def claim_need(need_id: int):
    """认领: an institute or university takes the need on."""
    actor = require_actor()
    return services.claim_need(actor, services.get_need(actor, need_id))


@bp.post("/needs/<int:need_id>/meetings")
@bp.arguments(MeetingInSchema)
@bp.response(201, MeetingSchema)
def add_meeting(body, need_id: int):
    """对接: a dated meeting with notes; the first moves the need into talks."""
    actor = require_actor()
    need = services.get_need(actor, need_id)
    return services.add_meeting(actor, need, body["date"], body["notes"])


@bp.post("/needs/<int:need_id>/contract")
@bp.arguments(ContractInSchema)
@bp.response(200, NeedSchema)
def contract_need(body, need_id: int):
    actor = require_actor()
    need = services.get_need(actor, need_id)
    return services.contract_need(
        actor, need, body["organisation"], body["amount"], body["signed_on"]
    )


@bp.post("/needs/<int:need_id>/close")
@bp.arguments(CloseInSchema)
@bp.response(200, NeedSchema)
def close_need(body, need_id: int):
    actor = require_actor()
    return services.close_need(actor, services.get_need(actor, need_id), body["reason"])


@bp.post("/needs/<int:need_id>/publish")
@bp.arguments(PublishInSchema)
@bp.response(201, ChallengeSchema)
def publish_need(body, need_id: int):
    """Put the need on the board as an open challenge, linked to it."""
    actor = require_actor()
    return services.publish_need(actor, services.get_need(actor, need_id), body)


@bp.get("/challenges/<int:challenge_id>/suggestions")
@bp.response(200, SuggestionListSchema)
def challenge_suggestions(challenge_id: int):
    """Who could take the challenge on: for its company, admins and platform staff."""
    actor = require_actor()
    challenge = get_challenge(actor, challenge_id)
    if not can_see_suggestions(actor, challenge):
        raise Forbidden("Suggestions are for the posting company and platform staff.")
    return {"items": matching.suggest_for_challenge(challenge)}


@bp.post("/challenges/<int:challenge_id>/milestones")
@bp.arguments(MilestoneInSchema)
@bp.response(201, MilestoneSchema)
def add_milestone(body, challenge_id: int):
    """The company sets a milestone with its amount on an awarded challenge."""
    actor = require_actor()
    challenge = get_challenge(actor, challenge_id)
    return milestones.add_milestone(actor, challenge, body["title"], body["due"], body["amount"])


@bp.get("/challenges/<int:challenge_id>/milestones")
@bp.response(200, MilestoneListSchema)
def list_milestones(challenge_id: int):
    actor = require_actor()
    challenge = get_challenge(actor, challenge_id)
    if not milestones.can_see_milestones(actor, challenge):
        raise Forbidden("Milestones are for the company and the selected team.")
    return {"items": challenge.milestones}


@bp.post("/milestones/<int:milestone_id>/deliver")
@bp.arguments(DeliverInSchema)
@bp.response(200, MilestoneSchema)
def deliver_milestone(body, milestone_id: int):
    actor = require_actor()
    milestone = milestones.get_milestone(actor, milestone_id)
    return milestones.deliver_milestone(actor, milestone, body["note"])


@bp.post("/milestones/<int:milestone_id>/accept")
@bp.response(200, MilestoneSchema)
def accept_milestone(milestone_id: int):
    """The company accepts a delivery; the last acceptance completes the challenge."""
    actor = require_actor()
    milestone = milestones.get_milestone(actor, milestone_id)
    return milestones.decide_milestone(actor, milestone, accept=True)


@bp.post("/milestones/<int:milestone_id>/reject")
@bp.arguments(RejectInSchema)
@bp.response(200, MilestoneSchema)
def reject_milestone(body, milestone_id: int):
    actor = require_actor()
    milestone = milestones.get_milestone(actor, milestone_id)
    return milestones.decide_milestone(actor, milestone, accept=False, reason=body["reason"])


@bp.post("/transfers")
@bp.arguments(TransferInSchema)
@bp.response(201, TransferSchema)
def record_transfer(body):
    """A result transferred: admins, and managers of one of its parties."""
    return transfers.record_transfer(require_actor(), body)


@bp.get("/transfers")
@bp.arguments(DateRangeArgs, location="query")
@bp.response(200, page_schema(TransferSchema, "TransferPage"))
def list_transfers(args):
    """Transfers signed within the dates, newest first."""
    found = transfers.list_transfers(
        args["start"], args["end"], page=args["page"], per_page=args["per_page"]
    )
    return page_body(found)


@bp.get("/experts")
@bp.arguments(ExpertQuerySchema, location="query")
@bp.response(200, page_schema(ExpertSchema, "ExpertPage"))
def list_experts(args):
    organisation = require_organisation(args["organisation"]) if args.get("organisation") else None
    found = experts.list_experts(
        args["q"],
        args.get("field"),
        organisation.id if organisation else None,
        page=args["page"],
        per_page=args["per_page"],
    )
    return page_body(found)


@bp.get("/experts/<int:expert_id>")
@bp.response(200, ExpertSchema)
def show_expert(expert_id: int):
    return experts.get_expert(expert_id)


@bp.post("/experts")
@bp.arguments(ExpertInSchema)
@bp.response(201, ExpertSchema)
def add_expert(body):
    """Admins add an expert to the directory."""
    return experts.save_expert(require_actor(), body)


@bp.patch("/experts/<int:expert_id>")
@bp.arguments(ExpertInSchema(partial=True))
@bp.response(200, ExpertSchema)
def edit_expert(body, expert_id: int):
    actor = require_actor()
    return experts.save_expert(actor, body, experts.get_expert(expert_id))


@bp.patch("/organisations/<slug>")
@bp.arguments(OrganisationPatchSchema)
@bp.response(200, OrganisationAdminSchema)
def patch_organisation(body, slug: str):
    """Admins set alliance membership, what an organisation works on, and its campus sign-in
    (`sso`; the client secret is never returned)."""
    actor = require_actor()
    organisation = alliance.update_organisation(actor, require_organisation(slug), body)
    if "sso" in body:
        configure_campus_sign_in(actor, organisation, body["sso"])
    return organisation


@bp.get("/impact")
@bp.arguments(ImpactArgs, location="query")
@bp.response(200, ImpactSchema)
def show_impact(args):
    """The district's figures for the dates (default: this year so far), the same dates a year
    earlier and the growth."""
    api_actor()
    result = impact(window_or_this_year(args["start"], args["end"]))
    return {
        **result.current,
        "start": result.window.start,
        "end": result.window.end,
        "previous": result.previous,
        "growth": result.growth,
    }


def _impact_file(args, suffix: str):
    result = impact(window_or_this_year(args["start"], args["end"]))
    columns, rows = export.impact_table(result, str(get_locale()) == "zh")
    stem = f"impact-{result.window.start}-{result.window.end}"
    return download(columns, rows, stem, suffix, "impact")


@bp.get("/impact.csv")
@bp.arguments(ImpactArgs, location="query")
@bp.response(200, description="CSV in UTF-8 with BOM: each figure, a year earlier, the growth")
def impact_csv(args):
    return _impact_file(args, "csv")


@bp.get("/impact.xlsx")
@bp.arguments(ImpactArgs, location="query")
@bp.response(200, description="The same figures as an Excel workbook, numbers as numbers")
def impact_xlsx(args):
    return _impact_file(args, "xlsx")
