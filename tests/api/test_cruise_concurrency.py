"""Cruises racing on PostgreSQL, through gunicorn (two workers, threads), each request on its
own connection: two different allocations at once (one wins, the other 409 and nothing of it
stays), completion sent four times at once (one set of ship-time charges), two cruises asking
for the same days of the vessel (one holds them), and the unique index under the charges."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from sharing.billing.models import Charge, ChargeKind
from sharing.cruises.models import Cruise, CruiseApplication
from sharing.extensions import db
from tests.fixtures.concurrency import Call, burst
from tests.fixtures.world import World

pytestmark = pytest.mark.postgresql_only


def _charges(cruise_id: int) -> list[Charge]:
    db.session.rollback()
    statement = (
        select(Charge)
        .join(CruiseApplication, Charge.cruise_application_id == CruiseApplication.id)
        .where(CruiseApplication.cruise_id == cruise_id)
    )
    return list(db.session.scalars(statement))


def test_two_allocations_at_once_one_wins(server, client, make):
    url, _inbox = server
    world = World(client, make)
    target = world.applied_cruise()
    other = world.call(
        "enterprise",
        "POST",
        f"/cruises/{target['cruise']}/applications",
        {**world.cruise_application_body(), "project": "海上风电"},
        expect=201,
    ).json
    path = f"/api/v1/cruises/{target['cruise']}/allocate"
    first = {"allocations": [{"application_id": target["cruise_application"]}]}
    second = {"allocations": [{"application_id": other["id"]}]}
    answers = burst(
        url,
        [
            Call("POST", path, first, world.headers("manager")),
            Call("POST", path, second, world.headers("researcher")),
        ],
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 409], [a.json for a in answers]
    winner = next(a for a in answers if a.status_code == 200)
    loser = next(a for a in answers if a.status_code == 409)
    assert loser.json["error"]["code"] == "invalid_state"
    db.session.rollback()
    placed = db.session.scalars(
        select(CruiseApplication.id).where(
            CruiseApplication.cruise_id == target["cruise"],
            CruiseApplication.status == "allocated",
        )
    ).all()
    assert len(placed) == 1 and winner.json["status"] == "allocated"


def test_complete_sent_four_times_at_once_charges_once(server, client, make):
    url, _inbox = server
    world = World(client, make)
    target = world.at_sea_cruise()
    path = f"/api/v1/cruises/{target['cruise']}/complete"
    body = {"returned_on": target["returns_on"]}
    answers = burst(url, [Call("POST", path, body, world.headers("manager")) for _ in range(4)])
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409]
    charges = _charges(target["cruise"])
    assert [c.kind for c in charges] == [ChargeKind.SHIP_TIME]


def test_two_cruises_on_the_same_days_one_holds_the_vessel(server, client, make):
    url, _inbox = server
    world = World(client, make)
    body = world.cruise_body()
    named = [{**body, "name": f"航次{n}"} for n in range(3)]
    answers = burst(
        url, [Call("POST", "/api/v1/cruises", b, world.headers("manager")) for b in named]
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409]
    db.session.rollback()
    held = db.session.scalar(
        select(func.count()).select_from(Cruise).where(Cruise.vessel_id == world.vessel.id)
    )
    assert held == 1


def test_the_database_refuses_a_second_charge_of_one_share(client, make):
    world = World(client, make)
    target = world.completed_cruise()
    [charge] = _charges(target["cruise"])
    db.session.add(
        Charge(
            kind=ChargeKind.SHIP_TIME,
            cruise_application_id=charge.cruise_application_id,
            customer_org_id=charge.customer_org_id,
            amount=charge.amount,
            service_date=charge.service_date,
            month=charge.month,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
