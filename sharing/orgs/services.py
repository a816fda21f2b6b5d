"""Creating and looking up organisations."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from sharing.core.errors import BadRequest, Conflict, NotFound
from sharing.extensions import db
from sharing.orgs.models import Organisation, OrgKind

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def create_organisation(
    slug: str, name: str, kind: str, name_en: str | None = "", **details: str
) -> Organisation:
    """Add an organisation; refuses a malformed or taken slug and an unknown kind."""
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise BadRequest(
            "A slug is 1-40 lowercase letters, digits or dashes.", fields={"slug": ["invalid"]}
        )
    try:
        org_kind = OrgKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in OrgKind)
        raise BadRequest(
            "Unknown kind '%(kind)s'; use one of %(allowed)s.",
            {"kind": kind, "allowed": allowed},
        ) from None
    if not name.strip():
        raise BadRequest("An organisation needs a name.", fields={"name": ["required"]})
    if get_organisation(slug) is not None:
        raise Conflict(
            "An organisation with slug '%(slug)s' exists already.",
            code="duplicate",
            params={"slug": slug},
        )
    org = Organisation(slug=slug, name=name.strip(), name_en=(name_en or "").strip(), kind=org_kind)
    for key, value in details.items():
        setattr(org, key, value)
    db.session.add(org)
    db.session.flush()
    return org


def get_organisation(slug: str) -> Organisation | None:
    """The organisation with this slug, or None."""
    return db.session.scalar(select(Organisation).where(Organisation.slug == slug))


def require_organisation(slug: str) -> Organisation:
    """The organisation with this slug, or NotFound."""
    org = get_organisation(slug)
    if org is None:
        raise NotFound("No organisation '%(slug)s'.", {"slug": slug})
    return org


def list_organisations(kinds: set[OrgKind] | None = None) -> list[Organisation]:
    """Organisations by kind then name."""
    query = select(Organisation).order_by(Organisation.kind, Organisation.name)
    if kinds:
        query = query.where(Organisation.kind.in_(kinds))
    return list(db.session.scalars(query))


def count_organisations() -> int:
    return db.session.scalar(select(func.count(Organisation.id))) or 0
