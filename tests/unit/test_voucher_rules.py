"""The voucher rules without a database: each reason a fee is refused, the split (10 %, 20 %
for high-tech firms, 10 % to the provider) and each cap cutting a line."""

from decimal import Decimal

import pytest

from sharing.vouchers.rules import Fee, Firm, Terms, refusal, split

TERMS = Terms("青岛", Decimal("0.10"), Decimal("0.20"), Decimal("0.10"))
LOCAL_SME = Firm("青岛", True, False, frozenset({7}))
LOTS = Decimal("500000.00")


def fee(amount="1000.00", provider=3, paid=True, claimed=False) -> Fee:
    return Fee(Decimal(amount), provider, paid, claimed)


@pytest.mark.parametrize(
    ("firm", "charge", "reason"),
    [
        (LOCAL_SME, fee(), ""),
        (Firm("济南", True, False, frozenset()), fee(), "not_local"),
        (Firm("", True, False, frozenset()), fee(), "not_local"),
        (Firm("青岛", False, False, frozenset()), fee(), "not_sme"),
        (LOCAL_SME, fee(provider=7), "related_party"),
        (LOCAL_SME, fee(provider=None), "related_party"),  # an adjustment has no provider
        (LOCAL_SME, fee(paid=False), "not_paid"),
        (LOCAL_SME, fee(claimed=True), "already_claimed"),
        (Firm("济南", False, False, frozenset()), fee(paid=False), "not_local"),  # first reason
    ],
)
def test_each_reason(firm, charge, reason):
    assert refusal(TERMS, firm, charge) == reason


def test_the_split_pays_back_ten_percent_and_the_provider_ten_percent_on_top():
    result = split(TERMS, LOCAL_SME, fee("1234.56"), LOTS, LOTS)
    assert (result.eligible, result.reason) == (True, "")
    assert (result.enterprise, result.provider) == (Decimal("123.46"), Decimal("123.46"))


def test_high_tech_firms_get_twenty_percent():
    high_tech = Firm("青岛", True, True, frozenset())
    result = split(TERMS, high_tech, fee("1000.00"), LOTS, LOTS)
    assert (result.enterprise, result.provider) == (Decimal("200.00"), Decimal("100.00"))


def test_the_firms_cap_cuts_a_line_then_refuses_the_next():
    cut = split(TERMS, LOCAL_SME, fee("1000.00"), Decimal("30.00"), LOTS)
    assert (cut.eligible, cut.reason, cut.enterprise) == (True, "over_cap", Decimal("30.00"))
    assert cut.provider == Decimal("100.00")
    refused = split(TERMS, LOCAL_SME, fee("1000.00"), Decimal("0.00"), LOTS)
    assert (refused.eligible, refused.reason, refused.enterprise, refused.provider) == (
        False,
        "over_cap",
        Decimal("0.00"),
        Decimal("0.00"),
    )


def test_the_providers_cap_cuts_its_share_only():
    result = split(TERMS, LOCAL_SME, fee("1000.00"), LOTS, Decimal("40.00"))
    assert (result.eligible, result.reason) == (True, "over_cap")
    assert (result.enterprise, result.provider) == (Decimal("100.00"), Decimal("40.00"))
    spent = split(TERMS, LOCAL_SME, fee("1000.00"), LOTS, Decimal("-5.00"))
    assert spent.provider == Decimal("0.00") and spent.eligible
