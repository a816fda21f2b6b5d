"""Who may do what on the board: one predicate per question."""

from __future__ import annotations

from sharing.auth.models import Role


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_owner(user, challenge) -> bool:
    """Members of the posting company."""
    return _signed_in(user) and user.organisation_id == challenge.organisation_id


def can_post(user) -> bool:
    return _signed_in(user) and user.role in (Role.ENTERPRISE, Role.ADMIN)


def can_see_challenge(user, challenge) -> bool:
    """Drafts are visible to their owners (and admins) alone."""
    if challenge.status.value != "draft":
        return True
    return is_owner(user, challenge) or (_signed_in(user) and user.role == Role.ADMIN)


def can_apply(user, challenge) -> bool:
    """Researchers (and managers) of institutes and universities, never the owner's people."""
    return (
        _signed_in(user)
        and user.role in (Role.RESEARCHER, Role.MANAGER)
        and user.organisation.is_academic
        and not is_owner(user, challenge)
    )


def can_read_all_applications(user, challenge) -> bool:
    return is_owner(user, challenge) or (_signed_in(user) and user.role == Role.ADMIN)


def can_read_application(user, application) -> bool:
    """The applicant's side (its author), the posting company and admins."""
    return application.applicant_id == getattr(user, "id", None) or can_read_all_applications(
        user, application.challenge
    )


def can_withdraw(user, challenge) -> bool:
    """The posting company, and admins (who take down what should not be on the board)."""
    return is_owner(user, challenge) or (_signed_in(user) and user.role == Role.ADMIN)
