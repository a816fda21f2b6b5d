"""The expert directory: who at which institute works on what, and which instruments they run."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from sharing.auth.access import is_admin
from sharing.auth.models import User
from sharing.challenges.models import ChallengeField
from sharing.core.errors import BadRequest, Forbidden, NotFound
from sharing.core.locking import lock_row
from sharing.core.pagination import Page, paginate
from sharing.extensions import db
from sharing.instruments.models import Instrument
from sharing.needs.models import Expert
from sharing.orgs.services import get_organisation

EDITABLE = ("name", "title", "expertise")


def _instruments(ids: list[int]) -> list[Instrument]:
    wanted = sorted(set(ids))
    found = list(db.session.scalars(select(Instrument).where(Instrument.id.in_(wanted))))
    if len(found) != len(wanted):
        raise BadRequest("Some instruments do not exist.", fields={"instruments": ["unknown"]})
    return found


def _apply(expert: Expert, data: dict) -> None:
    for name in EDITABLE:
        if name in data:
            setattr(expert, name, data[name].strip())
    if "fields" in data:
        expert.fields = ",".join(ChallengeField(value).value for value in data["fields"])
    if "instruments" in data:
        expert.instruments = _instruments(data["instruments"])
    if "organisation" in data:
        organisation = get_organisation(data["organisation"])
        if organisation is None:
            raise BadRequest("Unknown organisation.", fields={"organisation": ["unknown"]})
        expert.organisation = organisation
    if not expert.name:
        raise BadRequest("An expert needs a name.", fields={"name": ["required"]})


def save_expert(actor: User, data: dict, expert: Expert | None = None) -> Expert:
    """Admins add an expert or change one."""
    if not is_admin(actor):
        raise Forbidden("Admins maintain the expert directory.")
    if expert is None:
        if "organisation" not in data:
            raise BadRequest(
                "Name the expert's organisation.", fields={"organisation": ["required"]}
            )
        expert = Expert(name="")
    else:
        lock_row(expert)
    _apply(expert, data)
    db.session.add(expert)
    db.session.flush()
    return expert


def get_expert(expert_id: int) -> Expert:
    expert = db.session.get(Expert, expert_id)
    if expert is None:
        raise NotFound("No expert %(id)s.", {"id": expert_id})
    return expert


def list_experts(
    q: str = "",
    field: ChallengeField | None = None,
    organisation_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Page:
    """The directory by name, filtered by words (name, title, expertise) and field."""
    statement = select(Expert).options(
        joinedload(Expert.organisation), selectinload(Expert.instruments)
    )
    for word in q.split():
        pattern = f"%{word}%"
        statement = statement.where(
            or_(
                Expert.name.ilike(pattern),
                Expert.title.ilike(pattern),
                Expert.expertise.ilike(pattern),
            )
        )
    if field is not None:
        statement = statement.where(Expert.fields.contains(field.value))
    if organisation_id is not None:
        statement = statement.where(Expert.organisation_id == organisation_id)
    return paginate(statement.order_by(Expert.name, Expert.id), page, per_page)
