"""The marine science and technology innovation alliance: who is a member, as what, since when."""

from __future__ import annotations

from sqlalchemy import select

from sharing.auth.access import is_admin
from sharing.auth.models import User
from sharing.errors import BadRequest, Forbidden
from sharing.extensions import db
from sharing.locking import lock_row
from sharing.orgs.models import AllianceKind, Organisation

EDITABLE = ("alliance_member", "alliance_kind", "joined_on", "description", "fields_of_work")


def update_organisation(actor: User, organisation: Organisation, data: dict) -> Organisation:
    """Admins set an organisation's alliance membership and what it works on."""
    if not is_admin(actor):
        raise Forbidden("Admins keep the organisations' records.")
    lock_row(organisation)
    for name in EDITABLE:
        if name in data:
            setattr(organisation, name, data[name])
    if organisation.alliance_member and (
        organisation.alliance_kind is None or organisation.joined_on is None
    ):
        raise BadRequest(
            "An alliance member has a kind and the day it joined.",
            fields={"alliance_kind": ["required"], "joined_on": ["required"]},
        )
    db.session.flush()
    return organisation


def list_members(kind: AllianceKind | None = None) -> list[Organisation]:
    """Alliance members by the day they joined, then by name."""
    statement = select(Organisation).where(Organisation.alliance_member.is_(True))
    if kind is not None:
        statement = statement.where(Organisation.alliance_kind == kind)
    return list(db.session.scalars(statement.order_by(Organisation.joined_on, Organisation.name)))
