"""Cruises as their readers see them: obligations of today, and the costs with the shares a
reader may read (all for the vessel's managers and the chief scientist, one's own else)."""

from __future__ import annotations

from sharing.auth.models import User
from sharing.cruises.access import (
    can_allocate,
    can_manage_cruise,
    is_chief_scientist,
    may_apply,
    reads_all_applications,
)
from sharing.cruises.completion import costs_of
from sharing.cruises.duties import obligations_for
from sharing.cruises.lifecycle import ApplicationStatus, CruiseStatus
from sharing.cruises.models import Cruise
from sharing.util.formatting import local_today


def detail_of(cruise: Cruise) -> Cruise:
    """The cruise with `obligations` as of today (what the detail schema shows)."""
    cruise.obligations = obligations_for(cruise, local_today())
    return cruise


def costs_for_reader(reader: User, cruise: Cruise) -> dict:
    """The costs; every share for those who read every application, the reader's own else."""
    costs = costs_of(cruise)
    every = reads_all_applications(reader, cruise)
    shares = [
        {
            "application_id": share.application_id,
            "organisation": application.organisation.slug,
            "organisation_name": application.organisation.name,
            "share": f"{share.share:.4f}",
            "amount": share.amount,
        }
        for share, application in costs.shares
        if every or application.applicant_id == reader.id
    ]
    return {
        "days": costs.days,
        "day_rate": costs.day_rate,
        "total": costs.total,
        "estimate": costs.estimate,
        "shares": shares,
    }


def _left(cruise: Cruise) -> dict:
    vessel = cruise.capacity
    left = {
        "berths": vessel.berths if vessel else 0,
        "deck_m2": vessel.deck_m2 if vessel else 0,
        "lab_m2": vessel.lab_m2 if vessel else 0,
    }
    asked = dict.fromkeys(left, 0)
    for application in cruise.applications:
        if application.status == ApplicationStatus.ALLOCATED:
            left["berths"] -= application.allocated_berths or 0
            left["deck_m2"] -= application.allocated_deck_m2 or 0
            left["lab_m2"] -= application.allocated_lab_m2 or 0
        if application.status == ApplicationStatus.SUBMITTED:
            for name in asked:
                asked[name] += getattr(application, name)
    return {"left": left, "asked": asked}


def cruise_page(reader: User, cruise: Cruise) -> dict:
    """What the cruise page shows this reader, decided by the same predicates as the API."""
    every = reads_all_applications(reader, cruise)
    visible = [a for a in cruise.applications if every or a.applicant_id == reader.id]
    mine = next((a for a in cruise.applications if a.applicant_id == reader.id), None)
    return {
        "cruise": cruise,
        "applications": visible,
        "reads_all": every,
        "space": _left(cruise),
        "can_manage": can_manage_cruise(reader, cruise),
        "can_allocate": can_allocate(reader, cruise) and cruise.status == CruiseStatus.OPEN,
        "is_chief": is_chief_scientist(reader, cruise),
        "may_apply": may_apply(reader) and mine is None and cruise.status == CruiseStatus.OPEN,
        "mine": mine,
        "obligations": obligations_for(cruise, local_today()),
    }
