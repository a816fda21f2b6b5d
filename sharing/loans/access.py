"""Who may see and do what with a loan: the predicates and the matching SQL scope, in one place.

The borrower's organisation sees its loans; each owner's managers see the loans naming one of
their instruments and act on those items alone; admins see and do everything.
"""

from __future__ import annotations

from sqlalchemy import exists, select, true

from sharing.auth.models import Role, User
from sharing.instruments.access import can_manage_instrument, can_manage_organisation
from sharing.loans.models import Loan, LoanItem


def _signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_borrower_side(user: User | None, loan: Loan) -> bool:
    """The borrower and the members of the borrower's organisation."""
    return _signed_in(user) and (
        loan.borrower_id == user.id or loan.organisation_id == user.organisation_id
    )


def owns_an_item(user: User | None, loan: Loan) -> bool:
    """A manager of the owner of at least one item (admins: always)."""
    return _signed_in(user) and any(
        can_manage_organisation(user, item.owner_org_id) for item in loan.items
    )


def can_view_loan(user: User | None, loan: Loan) -> bool:
    return is_borrower_side(user, loan) or owns_an_item(user, loan)


def can_decide_item(user: User | None, item: LoanItem) -> bool:
    """Approve, decline, take the deposit, dispatch, return, inspect: the item's owner."""
    return _signed_in(user) and can_manage_instrument(user, item.instrument)


def can_borrow_for(user: User | None, loan: Loan) -> bool:
    """Cancel, set the insurance policy: the borrower (and admins)."""
    return _signed_in(user) and (loan.borrower_id == user.id or user.role == Role.ADMIN)


def can_extend(user: User | None, loan: Loan) -> bool:
    """The borrower or the owners' managers."""
    return can_borrow_for(user, loan) or owns_an_item(user, loan)


def visible_loans(user: User):
    """SQL condition: the loans `user` may see (as `can_view_loan` says)."""
    if user.role == Role.ADMIN:
        return true()
    owned = exists(
        select(LoanItem.id)
        .where(LoanItem.loan_id == Loan.id)
        .where(LoanItem.owner_org_id == user.organisation_id)
    )
    mine = (Loan.borrower_id == user.id) | (Loan.organisation_id == user.organisation_id)
    return mine | owned if user.role == Role.MANAGER else mine
