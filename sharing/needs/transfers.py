"""Results transferred (成果转化): recorded with both parties, the amount and the day signed,
whether or not a need or a challenge led to them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from sharing.auth.models import User
from sharing.challenges.access import can_see_challenge
from sharing.challenges.models import Challenge
from sharing.core.errors import BadRequest, Forbidden, RuleViolation
from sharing.core.pagination import Page, paginate
from sharing.extensions import db
from sharing.needs.access import can_record_transfer, can_see_need
from sharing.needs.models import Need, Transfer, TransferKind
from sharing.needs.services import not_in_future
from sharing.orgs.models import Organisation
from sharing.orgs.services import get_organisation


def _party(slug: str, name: str) -> Organisation:
    organisation = get_organisation(slug)
    if organisation is None:
        raise BadRequest("No organisation '%(slug)s'.", {"slug": slug}, fields={name: ["unknown"]})
    return organisation


def _linked(actor: User, model, record_id: int | None, name: str, visible):
    """The need or challenge a transfer names; one the actor may not see is unknown (400)."""
    if record_id is None:
        return None
    found = db.session.get(model, record_id)
    if found is None or not visible(actor, found):
        raise BadRequest(
            "No %(name)s %(id)s.", {"name": name, "id": record_id}, fields={name: ["unknown"]}
        )
    return found


def parties_of(need: Need | None, challenge: Challenge | None) -> list[set[int]]:
    """The pairs of organisations a transfer that names them may be between: a need's company
    and its claimant, a challenge's company and the selected team's organisation."""
    pairs = []
    if need is not None:
        pairs.append({need.company_id, need.claimed_by_org_id})
    if challenge is not None:
        chosen = challenge.awarded_application
        pairs.append({challenge.organisation_id, chosen.organisation_id if chosen else None})
    return pairs


def _between_the_parties(parties: set[int], need: Need | None, challenge: Challenge | None):
    if any(pair != parties for pair in parties_of(need, challenge)):
        raise RuleViolation(
            "A transfer that names a need or a challenge is between its parties.",
            violations=[
                {
                    "code": "not_a_party",
                    "message": "The company and the institute that took it on are its parties.",
                }
            ],
        )


def record_transfer(actor: User, data: dict) -> Transfer:
    """Admins record any transfer; managers those their organisation is a party to."""
    source = _party(data["from_organisation"], "from_organisation")
    target = _party(data["to_organisation"], "to_organisation")
    if not can_record_transfer(actor, {source.id, target.id}):
        raise Forbidden("Admins, and managers of one of its parties, record a transfer.")
    if source.id == target.id:
        raise BadRequest(
            "A transfer has two different parties.", fields={"to_organisation": ["same party"]}
        )
    if not data["title"].strip():
        raise BadRequest("A transfer needs a title.", fields={"title": ["required"]})
    not_in_future(data["signed_on"], "signed_on")
    need = _linked(actor, Need, data.get("need_id"), "need_id", can_see_need)
    challenge = _linked(
        actor, Challenge, data.get("challenge_id"), "challenge_id", can_see_challenge
    )
    _between_the_parties({source.id, target.id}, need, challenge)
    transfer = Transfer(
        title=data["title"].strip(),
        kind=TransferKind(data["kind"]),
        from_org_id=source.id,
        to_org_id=target.id,
        amount=data["amount"],
        signed_on=data["signed_on"],
        need_id=need.id if need else None,
        challenge_id=challenge.id if challenge else None,
        recorded_by_id=actor.id,
    )
    db.session.add(transfer)
    db.session.flush()
    return transfer


def list_transfers(
    start: date | None = None,
    end: date | None = None,
    organisation_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """Transfers signed within [start, end], newest first; public, as the district reports them."""
    statement = select(Transfer).options(joinedload(Transfer.from_org), joinedload(Transfer.to_org))
    if start is not None:
        statement = statement.where(Transfer.signed_on >= start)
    if end is not None:
        statement = statement.where(Transfer.signed_on <= end)
    if organisation_id is not None:
        statement = statement.where(
            or_(Transfer.from_org_id == organisation_id, Transfer.to_org_id == organisation_id)
        )
    statement = statement.order_by(Transfer.signed_on.desc(), Transfer.id.desc())
    return paginate(statement, page, per_page)
