"""Whether an account may pay: organisation, membership, validity (inclusive dates)."""

from datetime import date

import pytest

from sharing.funding.rules import AccountTerms, refusal

TERMS = AccountTerms(7, date(2026, 1, 1), date(2026, 12, 31), frozenset({1, 2}))


@pytest.mark.parametrize(
    ("user", "organisation", "days", "reason"),
    [
        (1, 7, [date(2026, 1, 1), date(2026, 12, 31)], None),  # both edges are valid days
        (3, 7, [date(2026, 6, 1)], "not_member"),
        (1, 8, [date(2026, 6, 1)], "other_organisation"),
        (1, 7, [date(2025, 12, 31)], "not_yet_valid"),
        (2, 7, [date(2026, 12, 1), date(2027, 1, 1)], "lapsed"),  # one late occurrence spoils
    ],
)
def test_refusal(user, organisation, days, reason):
    assert refusal(TERMS, user, organisation, days) == reason


def test_an_account_without_a_start_pays_for_any_day_until_it_lapses():
    open_ended = AccountTerms(7, None, date(2026, 12, 31), frozenset({1}))
    assert refusal(open_ended, 1, 7, [date(1999, 1, 1)]) is None
    assert refusal(open_ended, 1, 7, [date(2027, 1, 1)]) == "lapsed"
