"""The booking state machine: every (state, action) pair is either in the table or refused."""

import pytest

from sharing.bookings.lifecycle import (
    ACTIVE_STATUSES,
    TRANSITIONS,
    Action,
    BookingStatus,
    IllegalTransition,
    next_status,
)

ALL_PAIRS = [(status, action) for status in BookingStatus for action in Action]


@pytest.mark.parametrize(("status", "action"), ALL_PAIRS)
def test_every_pair(status, action):
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) == TRANSITIONS[(status, action)]
    else:
        with pytest.raises(IllegalTransition):
            next_status(status, action)


def test_only_active_bookings_move_and_final_states_stay_final():
    assert {status for status, _action in TRANSITIONS} == ACTIVE_STATUSES
    assert {BookingStatus.PENDING, BookingStatus.APPROVED} == ACTIVE_STATUSES
    assert TRANSITIONS[(BookingStatus.PENDING, Action.APPROVE)] == BookingStatus.APPROVED
    assert TRANSITIONS[(BookingStatus.APPROVED, Action.CANCEL)] == BookingStatus.CANCELLED
    assert (BookingStatus.APPROVED, Action.APPROVE) not in TRANSITIONS
