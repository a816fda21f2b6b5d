"""Who may do what with visits, needs, transfers and experts: one predicate per question."""

from __future__ import annotations

from sqlalchemy import or_, true

from sharing.auth.access import is_admin
from sharing.auth.models import Role, User
from sharing.needs.models import Need, NeedStatus
from sharing.orgs.models import OrgKind


def _signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_staff(user: User | None) -> bool:
    """Platform staff: the operator's people and admins visit companies and keep the desk."""
    return _signed_in(user) and (is_admin(user) or user.organisation.kind == OrgKind.OPERATOR)


def is_answerer(user: User | None) -> bool:
    """Researchers and managers of institutes and universities claim needs for their side."""
    return (
        _signed_in(user)
        and user.role in (Role.RESEARCHER, Role.MANAGER)
        and user.organisation.is_academic
    )


def is_company_of(user: User | None, need: Need) -> bool:
    return _signed_in(user) and user.organisation_id == need.company_id


def is_claimant_of(user: User | None, need: Need) -> bool:
    return _signed_in(user) and need.claimed_by_org_id == user.organisation_id


def is_party(user: User | None, need: Need) -> bool:
    """Who reads a need in full, its talks (meetings, history) and contract included: staff,
    the company and the institute that claimed it."""
    return is_staff(user) or is_company_of(user, need) or is_claimant_of(user, need)


def can_see_need(user: User | None, need: Need) -> bool:
    """Its parties; other answerers while it waits to be claimed (collected), never after: a
    claimed need's talks are between the company and the claimant."""
    if is_party(user, need):
        return True
    return is_answerer(user) and need.status == NeedStatus.COLLECTED


def visible_needs(user: User | None):
    """The SQL twin of can_see_need, for lists."""
    if is_staff(user):
        return true()
    if not _signed_in(user):
        return Need.id.is_(None)
    mine = or_(
        Need.company_id == user.organisation_id, Need.claimed_by_org_id == user.organisation_id
    )
    if is_answerer(user):
        return or_(mine, Need.status == NeedStatus.COLLECTED)
    return mine


def can_take_part(user: User | None, need: Need) -> bool:
    """Meetings and the contract are recorded by the need's parties."""
    return is_party(user, need)


def can_close(user: User | None, need: Need) -> bool:
    return is_staff(user) or is_company_of(user, need)


def can_publish(user: User | None, need: Need) -> bool:
    """The company's own people and staff put a need on the board as a challenge."""
    return is_staff(user) or (is_company_of(user, need) and user.role == Role.ENTERPRISE)


def can_record_transfer(user: User | None, organisation_ids: set[int]) -> bool:
    """Admins, and managers for a transfer their organisation is a party to."""
    if is_admin(user):
        return True
    return (
        _signed_in(user) and user.role == Role.MANAGER and user.organisation_id in organisation_ids
    )


def can_see_suggestions(user: User | None, challenge) -> bool:
    """Who could answer a challenge: shown to its company and platform staff."""
    return is_staff(user) or (
        _signed_in(user) and user.organisation_id == challenge.organisation_id
    )
