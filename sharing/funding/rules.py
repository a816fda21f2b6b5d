"""Whether an account may pay for something: plain code, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Why an account cannot pay (the refusal's `reason`, beside the code `account_not_usable`).
NOT_MEMBER = "not_member"
OTHER_ORGANISATION = "other_organisation"
NOT_YET_VALID = "not_yet_valid"
LAPSED = "lapsed"


@dataclass(frozen=True)
class AccountTerms:
    organisation_id: int
    valid_from: date | None
    valid_until: date
    member_ids: frozenset[int]


def refusal(
    terms: AccountTerms, user_id: int, organisation_id: int, days: list[date]
) -> str | None:
    """The first reason the account cannot pay for `user_id` on every one of `days`, else None.

    The validity dates are inclusive: an account valid until 31 December pays for that day.
    """
    if organisation_id != terms.organisation_id:
        return OTHER_ORGANISATION
    if user_id not in terms.member_ids:
        return NOT_MEMBER
    if terms.valid_from is not None and min(days) < terms.valid_from:
        return NOT_YET_VALID
    if max(days) > terms.valid_until:
        return LAPSED
    return None
