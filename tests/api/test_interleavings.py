"""Conflicting decisions in every order: Hypothesis draws which requests race and how far apart
they start, gunicorn runs them, and whatever the interleaving every success writes one history
row and its mail, no state is left twice, and every other request is refused with 409."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sharing.bookings.models import Booking, BookingEvent
from sharing.challenges.models import Application
from sharing.extensions import db
from tests.fixtures.concurrency import Call, burst, mails_delivered
from tests.fixtures.world import World


@pytest.fixture
def world(client, make):
    """One world for all the examples of a test; each example makes its own targets."""
    return World(client, make)


RACES = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,  # CI runs the same interleavings every time
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Who may try what on a pending booking: the manager decides, the booker withdraws.
DECISIONS = [("manager", "approve"), ("manager", "reject"), ("manager", "cancel")]
BOOKER = ("researcher", "cancel")
DELAYS = st.integers(min_value=0, max_value=25).map(lambda ms: ms / 1000)


@RACES
@given(
    moves=st.lists(st.tuples(st.sampled_from([*DECISIONS, BOOKER]), DELAYS), min_size=2, max_size=4)
)
def test_racing_decisions_leave_one_chain_of_history(server, world, moves):
    url, inbox = server
    booking_id = world.pending_booking()["booking"]
    calls = [
        Call("POST", f"/api/v1/bookings/{booking_id}/{action}", {}, world.headers(role), delay)
        for (role, action), delay in moves
    ]
    mails_before = mails_delivered(inbox)
    answers = burst(url, calls)

    db.session.rollback()
    events = db.session.scalars(
        select(BookingEvent).where(BookingEvent.booking_id == booking_id).order_by(BookingEvent.id)
    ).all()
    pairs = list(zip(moves, answers, strict=True))
    succeeded = [move for (move, _delay), answer in pairs if answer.status_code == 200]
    refused = [answer for answer in answers if answer.status_code != 200]
    # Each success wrote one history row; the rest were refused on the state they found.
    assert len(events) == 1 + len(succeeded), [answer.status_code for answer in answers]
    assert all(answer.json["error"]["code"] == "invalid_state" for answer in refused)
    # The history is one chain: no state was left twice (never approved and rejected).
    for earlier, later in itertools.pairwise(events):
        assert later.from_status == earlier.to_status
    assert db.session.get(Booking, booking_id).status == events[-1].to_status
    assert sum(action in ("approve", "reject") for _role, action in succeeded) <= 1
    # The booker is mailed about each manager's decision; nobody about their own action.
    manager_moves = sum(role == "manager" for role, _action in succeeded)
    assert mails_delivered(inbox) - mails_before == manager_moves


@RACES
@given(
    delays=st.lists(DELAYS, min_size=2, max_size=4),
    choices=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_one_award_stands_among_rival_awards(server, world, make, delays, choices):
    url, inbox = server
    target = world.applied_challenge()
    challenge_id, first = target["challenge"], target["application"]
    rival = make.user("researcher", world.customer_org)
    path = f"/api/v1/challenges/{challenge_id}/applications"
    second = world.client.post(
        path, json=world.application_body(), headers=world.headers_for(rival)
    ).json["id"]
    owner = world.headers("enterprise")
    calls = [
        Call(
            "POST",
            f"/api/v1/challenges/{challenge_id}/award",
            {"application_id": first if pick else second},
            owner,
            delay,
        )
        for delay, pick in zip(delays, choices, strict=False)
    ]
    mails_before = mails_delivered(inbox)
    answers = burst(url, calls)

    winners = [answer for answer in answers if answer.status_code == 200]
    assert len(winners) == 1, [answer.status_code for answer in answers]
    assert all(answer.status_code == 409 for answer in answers if answer not in winners)
    db.session.rollback()
    statuses = dict(
        db.session.execute(
            select(Application.id, Application.status).where(
                Application.challenge_id == challenge_id
            )
        ).all()
    )
    awarded = winners[0].json["awarded_application_id"]
    assert statuses[awarded].value == "selected"
    assert [s.value for a, s in statuses.items() if a != awarded] == ["not_selected"]
    assert mails_delivered(inbox) - mails_before == 2  # one "selected", one "not selected"
    assert awarded in (first, second)
