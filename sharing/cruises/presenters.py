"""Cruises as their readers see them: obligations of today, and the costs with the shares a
reader may read (all for the vessel's managers and the chief scientist, one's own else)."""

from __future__ import annotations

from sharing.auth.models import User
from sharing.cruises.access import reads_all_applications
from sharing.cruises.completion import costs_of
from sharing.cruises.duties import obligations_for
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
