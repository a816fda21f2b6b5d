"""The pure rules of shared cruises: ship days, the fen-exact split for every `share_by` and odd
totals, the cruise's state machine, the duties after return and the longest embargo."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from sharing.cruises.costs import Party, cruise_total, largest_remainder, ship_days, split_cost
from sharing.cruises.lifecycle import CruiseStatus, can_step, next_status
from sharing.cruises.obligations import Delivery, latest_embargo, obligations_of
from sharing.cruises.schedule import day_window, first_held_day

D = Decimal


@pytest.mark.parametrize(
    ("departs", "returns", "mobilisation", "days"),
    [
        (date(2027, 5, 3), date(2027, 5, 12), 2, 12),
        (date(2027, 5, 3), date(2027, 5, 3), 0, 1),  # a day trip is a day
        (date(2027, 4, 28), date(2027, 5, 2), 1, 6),  # across a month
    ],
)
def test_ship_days_count_mobilisation_and_both_ends(departs, returns, mobilisation, days):
    assert ship_days(departs, returns, mobilisation) == days


@pytest.mark.parametrize(
    ("total", "berths", "share_by", "amounts", "shares"),
    [
        ("100.00", [1, 1, 1], "equal", ["33.34", "33.33", "33.33"], ["0.3334", "0.3333", "0.3333"]),
        ("0.02", [1, 1, 1], "equal", ["0.01", "0.01", "0.00"], ["0.3334", "0.3333", "0.3333"]),
        ("504000.00", [2, 1], "berths", ["336000.00", "168000.00"], ["0.6667", "0.3333"]),
        (
            "1000.01",
            [3, 3, 1],
            "berths",
            ["428.58", "428.57", "142.86"],
            ["0.4286", "0.4286", "0.1428"],
        ),
        # The largest remainder takes the fen, not the first party.
        ("10.00", [1, 2], "berths", ["3.33", "6.67"], ["0.3333", "0.6667"]),
        # Nobody with a berth (deck space only): equal parts.
        ("9.99", [0, 0], "berths", ["5.00", "4.99"], ["0.5000", "0.5000"]),
        ("0.00", [4, 2], "berths", ["0.00", "0.00"], ["0.6667", "0.3333"]),
        ("7.00", [5], "berths", ["7.00"], ["1.0000"]),
    ],
)
def test_shares_sum_to_the_total_exactly(total, berths, share_by, amounts, shares):
    parties = [Party(i + 1, b) for i, b in enumerate(berths)]
    split = split_cost(D(total), parties, share_by)
    assert [f"{s.amount:.2f}" for s in split] == amounts
    assert [f"{s.share:.4f}" for s in split] == shares
    assert sum(s.amount for s in split) == D(total)
    assert sum(s.share for s in split) == D(1)


def test_no_parties_share_nothing():
    assert split_cost(D("100.00"), [], "berths") == []
    assert largest_remainder(7, []) == []


@pytest.mark.parametrize("units", [0, 1, 7, 99_999_999_999_999])
def test_largest_remainder_never_loses_a_unit(units):
    parts = largest_remainder(units, [3, 7, 11, 13])
    assert sum(parts) == units and all(p >= 0 for p in parts)


def test_the_total_is_days_times_the_rate():
    assert cruise_total(14, D("36000.00")) == D("504000.00")
    assert cruise_total(3, D("1000.01")) == D("3000.03")


STEPS = [
    ("planning", "open", "open"),
    ("planning", "allocate", None),
    ("open", "allocate", "allocated"),
    ("open", "depart", None),
    ("allocated", "depart", "at_sea"),
    ("at_sea", "complete", "completed"),
    ("allocated", "complete", None),
    ("completed", "complete", None),
    ("planning", "cancel", "cancelled"),
    ("open", "cancel", "cancelled"),
    ("allocated", "cancel", "cancelled"),
    ("at_sea", "cancel", None),
    ("cancelled", "open", None),
    ("completed", "cancel", None),
]


@pytest.mark.parametrize(("status", "step", "after"), STEPS)
def test_the_cruise_moves_one_way(status, step, after):
    assert next_status(CruiseStatus(status), step) == (after and CruiseStatus(after))
    assert can_step(CruiseStatus(status), step) is (after is not None)


def test_nothing_is_owed_before_return():
    assert obligations_of(None, None, 60, [Delivery(1, None)], date(2027, 9, 1)) == []


def test_the_report_in_seven_days_and_the_data_in_the_cruise_days():
    back = date(2027, 5, 12)
    owed = obligations_of(
        back, None, 60, [Delivery(1, None), Delivery(2, date(2027, 6, 1))], date(2027, 5, 19)
    )
    assert [(o.kind, o.application_id, o.due_on, o.overdue) for o in owed] == [
        ("cruise_report", None, date(2027, 5, 19), False),  # due today: not yet overdue
        ("data", 1, date(2027, 7, 11), False),
        ("data", 2, date(2027, 7, 11), False),
    ]
    later = obligations_of(back, None, 60, [Delivery(1, None)], date(2027, 7, 12))
    assert [o.overdue for o in later] == [True, True]
    done = obligations_of(
        back, date(2027, 5, 14), 60, [Delivery(1, date(2027, 7, 1))], date(2028, 1, 1)
    )
    assert [o.overdue for o in done] == [False, False]


@pytest.mark.parametrize(
    ("delivered", "latest"),
    [(date(2027, 7, 1), date(2029, 7, 1)), (date(2028, 2, 29), date(2030, 2, 28))],
)
def test_an_embargo_runs_at_most_two_years(delivered, latest):
    assert latest_embargo(delivered) == latest


def test_the_hold_is_whole_local_days_from_the_first_mobilisation_day():
    assert first_held_day(date(2027, 5, 3), 2) == date(2027, 5, 1)
    window = day_window(date(2027, 5, 1), date(2027, 5, 12), ZoneInfo("Asia/Shanghai"))
    assert window.start == datetime(2027, 4, 30, 16, tzinfo=UTC)
    assert window.end == datetime(2027, 5, 12, 16, tzinfo=UTC)
