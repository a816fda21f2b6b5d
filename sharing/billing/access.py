"""Who may do what with usage, statements, months, suspensions and reports: predicates and the
scopes that match them, one place for pages, API and services."""

from __future__ import annotations

from sharing.auth.access import can_manage_any, is_admin, own_organisation_scope
from sharing.bookings.lifecycle import BookingStatus
from sharing.instruments.access import can_manage_instrument, can_manage_organisation


def usage_actions(user, booking) -> set[str]:
    """check_in, check_out (booker or manager), record and no_show (managers)."""
    manager = can_manage_instrument(user, booking.instrument)
    booker = booking.user_id == getattr(user, "id", None)
    actions: set[str] = set()
    if booking.status == BookingStatus.APPROVED and (manager or booker):
        actions.add("check_out" if booking.checked_in_at else "check_in")
    if manager and booking.status in (BookingStatus.APPROVED, BookingStatus.COMPLETED):
        actions.add("record")
    if manager and booking.status == BookingStatus.APPROVED and booking.checked_in_at is None:
        actions.add("no_show")
    return actions


def can_see_statement(user, organisation) -> bool:
    """Members read their own organisation's statements; admins every one."""
    return is_admin(user) or user.organisation_id == organisation.id


def statements_scope(user) -> int | None:
    """The customer organisation whose statements and charges a list shows (None: all)."""
    return own_organisation_scope(user)


def can_close_months(user) -> bool:
    return is_admin(user)


def can_add_adjustments(user) -> bool:
    return is_admin(user)


def can_lift_suspension(user, suspension) -> bool:
    return can_manage_organisation(user, suspension.organisation_id)


def suspensions_scope(user) -> int | None:
    """The owning organisation whose suspensions a manager sees (None: all, for admins)."""
    return own_organisation_scope(user)


def can_see_reports(user) -> bool:
    return can_manage_any(user)


def report_scope(user, requested_organisation_id: int | None = None) -> int | None:
    """The owning organisation a report covers: a manager's own whatever was asked, an admin's
    choice (None: every organisation)."""
    return requested_organisation_id if is_admin(user) else user.organisation_id


def can_keep_books(user, provider_org_id: int) -> bool:
    """A provider's receivables and invoices: its managers, and admins."""
    return is_admin(user) or (
        getattr(user, "role", None) == "manager" and user.organisation_id == provider_org_id
    )
