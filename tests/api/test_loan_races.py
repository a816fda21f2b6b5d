"""Loans racing behind gunicorn (both backends; on PostgreSQL the row locks, the instruments'
locks and the exclusion constraints decide): two different requests for overlapping days of
the same gear, one holds them; two owners giving one operator to overlapping loans, one wins;
inspections sent at once write the charges once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from sharing.billing.models import Charge
from sharing.extensions import db
from sharing.loans.lifecycle import HOLDING_STATUSES
from sharing.loans.models import LoanItem, Operator
from sharing.util.formatting import local_today
from tests.fixtures.concurrency import Call, burst
from tests.fixtures.world import World


@pytest.fixture
def world(client, make):
    return World(client, make)


def _days(first: int, last: int) -> dict:
    today = local_today()
    return {
        "start_date": (today + timedelta(days=first)).isoformat(),
        "end_date": (today + timedelta(days=last)).isoformat(),
    }


def test_two_loans_for_the_same_days_at_once_one_holds_them(server, world):
    url, _inbox = server
    rov, ctd = world.day_instrument_record(), world.day_instrument_record()
    both = {"items": [{"instrument_id": ctd.id}, {"instrument_id": rov.id}], **_days(10, 14)}
    alone = {"items": [{"instrument_id": rov.id}], **_days(12, 16)}
    answers = burst(
        url,
        [
            Call("POST", "/api/v1/loans", both, world.headers("researcher")),
            Call("POST", "/api/v1/loans", alone, world.headers("enterprise")),
        ],
    )
    assert sorted(a.status_code for a in answers) == [201, 409], [a.json for a in answers]
    refused = next(a for a in answers if a.status_code == 409)
    assert refused.json["error"]["code"] == "conflict"
    assert {c["instrument_id"] for c in refused.json["error"]["conflicts"]} == {rov.id}
    db.session.rollback()
    holding = db.session.scalars(
        select(LoanItem.loan_id).where(
            LoanItem.instrument_id == rov.id, LoanItem.status.in_(sorted(HOLDING_STATUSES))
        )
    ).all()
    assert len(holding) == 1
    # All or nothing: the loser held no item at all (the CTD too, when it was the pair).
    assert db.session.scalar(select(func.count(LoanItem.id))) == (
        2 if answers[0].status_code == 201 else 1
    )


def test_one_operator_given_to_two_overlapping_loans_at_once_goes_with_one(server, world):
    url, _inbox = server
    first, second = world.day_instrument_record(), world.day_instrument_record()
    pilot = world.make.user("manager", world.users["manager"].organisation)
    operators = [
        Operator(instrument_id=i.id, user_id=pilot.id, day_rate=Decimal("3000.00"))
        for i in (first, second)
    ]
    db.session.add_all(operators)
    db.session.commit()
    loans = [
        world.call(
            "researcher",
            "POST",
            "/loans",
            {"items": [{"instrument_id": i.id, "with_operator": True}], **_days(20, 23)},
            expect=201,
        ).json["id"]
        for i in (first, second)
    ]
    answers = burst(
        url,
        [
            Call(
                "POST",
                f"/api/v1/loans/{loan}/items/{instrument.id}/approve",
                {"operator_id": operator.id},
                world.headers("manager"),
            )
            for loan, instrument, operator in zip(loans, (first, second), operators, strict=True)
        ],
    )
    assert sorted(a.status_code for a in answers) == [200, 409], [a.json for a in answers]
    db.session.rollback()
    assigned = db.session.scalar(
        select(func.count(LoanItem.id)).where(LoanItem.operator_user_id == pilot.id)
    )
    assert assigned == 1


def test_four_inspections_at_once_write_the_charges_once(server, world):
    url, _inbox = server
    target = world.returned_loan()
    path = f"/api/v1/loans/{target['loan']}/items/{target['item']}/inspect"
    answers = burst(
        url, [Call("POST", path, {"outcome": "ok"}, world.headers("manager")) for _ in range(4)]
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    db.session.rollback()
    charges = db.session.scalars(select(Charge).where(Charge.instrument_id == target["item"])).all()
    assert [(c.kind.value, c.amount) for c in charges] == [("usage", Decimal("6000.00"))]
