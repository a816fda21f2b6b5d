"""An organisation's record that admins keep: alliance membership (who is a member of the marine
science and technology innovation alliance, as what, since when) and the facts the city's
innovation vouchers ask of a firm (registered city, SME, high-tech, related organisations)."""

from __future__ import annotations

from sqlalchemy import select

from sharing.auth.access import is_admin
from sharing.auth.models import User
from sharing.core.errors import BadRequest, Forbidden
from sharing.core.locking import lock_row
from sharing.extensions import db
from sharing.orgs.models import AllianceKind, Organisation

EDITABLE = (
    "alliance_member",
    "alliance_kind",
    "joined_on",
    "description",
    "fields_of_work",
    "registered_city",
    "sme",
    "high_tech",
)


def update_organisation(actor: User, organisation: Organisation, data: dict) -> Organisation:
    """Admins set an organisation's alliance membership and what it works on."""
    if not is_admin(actor):
        raise Forbidden("Admins keep the organisations' records.")
    lock_row(organisation)
    for name in EDITABLE:
        if name in data:
            setattr(organisation, name, data[name])
    if "related_to" in data:
        _relate(organisation, data["related_to"])
    if organisation.alliance_member and (
        organisation.alliance_kind is None or organisation.joined_on is None
    ):
        raise BadRequest(
            "An alliance member has a kind and the day it joined.",
            fields={"alliance_kind": ["required"], "joined_on": ["required"]},
        )
    db.session.flush()
    return organisation


def _relate(organisation: Organisation, slugs: list[str]) -> None:
    """Related parties both ways: a firm and its parent institute find each other."""
    wanted = set(slugs) - {organisation.slug}
    related = list(db.session.scalars(select(Organisation).where(Organisation.slug.in_(wanted))))
    if len(related) != len(wanted):
        raise BadRequest(
            "Some related organisations do not exist.", fields={"related_to": ["unknown"]}
        )
    for former in organisation.related:
        if former not in related and organisation in former.related:
            former.related.remove(organisation)
    organisation.related = related
    for other in related:
        if organisation not in other.related:
            other.related.append(organisation)


def list_members(kind: AllianceKind | None = None) -> list[Organisation]:
    """Alliance members by the day they joined, then by name."""
    statement = select(Organisation).where(Organisation.alliance_member.is_(True))
    if kind is not None:
        statement = statement.where(Organisation.alliance_kind == kind)
    return list(db.session.scalars(statement.order_by(Organisation.joined_on, Organisation.name)))
