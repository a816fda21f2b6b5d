"""Who may do and read what on a cruise: one predicate each, for the API and the pages."""

from __future__ import annotations

from sharing.auth.models import Role, User
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.instruments.access import can_manage_instrument

APPLYING_ROLES = (Role.RESEARCHER, Role.ENTERPRISE)


def can_manage_cruise(user: User | None, cruise: Cruise) -> bool:
    """The vessel's managers (and admins) publish, open, depart, complete and cancel it."""
    return can_manage_instrument(user, cruise.vessel)


def is_chief_scientist(user: User | None, cruise: Cruise) -> bool:
    return user is not None and user.id == cruise.chief_scientist_id


def can_allocate(user: User | None, cruise: Cruise) -> bool:
    """The vessel's managers or the cruise's chief scientist share out its capacity."""
    return can_manage_cruise(user, cruise) or is_chief_scientist(user, cruise)


def reads_all_applications(user: User | None, cruise: Cruise) -> bool:
    """The vessel's managers, the chief scientist and admins see every application side by
    side; anyone else sees their own alone."""
    return can_allocate(user, cruise)


def can_read_application(user: User | None, application: CruiseApplication) -> bool:
    return application.applicant_id == getattr(user, "id", None) or reads_all_applications(
        user, application.cruise
    )


def may_apply(user: User | None) -> bool:
    """Researchers and enterprise users of any organisation ask to join cruises."""
    return user is not None and user.role in APPLYING_ROLES
