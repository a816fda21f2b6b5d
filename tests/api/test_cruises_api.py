"""Ship time shared by cruise (api.md, "Ship time: shared cruises"): publishing holds the
vessel, the call for berths, allocation within capacity and with the gear, costs to the fen,
a late return, completion charged once, cancellation, obligations and the public calendar."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import icalendar
import pytest
from sqlalchemy import select

from sharing.billing.models import Charge, ChargeKind
from sharing.bookings.models import Downtime
from sharing.cruises.models import CruiseApplication
from sharing.extensions import db
from sharing.notices.models import Notification
from tests.fixtures.cruises import today
from tests.fixtures.world import World


@pytest.fixture
def world(client, make):
    return World(client, make)


def _cruise(world, target, role="researcher"):
    return world.call(role, "GET", f"/cruises/{target['cruise']}", expect=200).json


def _apply(world, target, role, expect=201, **changes):
    body = {**world.cruise_application_body(), **changes}
    return world.call(role, "POST", f"/cruises/{target['cruise']}/applications", body, expect)


def _charges(cruise_id: int) -> list[Charge]:
    db.session.rollback()
    statement = (
        select(Charge)
        .join(CruiseApplication, Charge.cruise_application_id == CruiseApplication.id)
        .where(CruiseApplication.cruise_id == cruise_id)
        .order_by(Charge.cruise_application_id)
    )
    return list(db.session.scalars(statement))


# -- vessels and publishing --------------------------------------------------------------


def test_a_vessel_shows_its_capacity_and_other_instruments_none(world):
    vessel = world.call("anonymous", "GET", f"/instruments/{world.vessel.id}", expect=200).json
    assert vessel["category"] == "research-vessels"
    assert vessel["vessel"] == {
        "berths": 20,
        "deck_m2": 120,
        "lab_m2": 60,
        "home_port": "青岛",
        "length_m": "89.8",
        "endurance_days": 40,
    }
    other = world.call("anonymous", "GET", f"/instruments/{world.instrument.id}").json
    assert other["vessel"] is None
    patch = {"vessel": {"berths": 24}}
    changed = world.call("manager", "PATCH", f"/instruments/{world.vessel.id}", patch, 200)
    assert changed.json["vessel"]["berths"] == 24
    refused = world.call("manager", "PATCH", f"/instruments/{world.instrument.id}", patch, 400)
    assert "vessel" in refused.json["error"]["fields"]


def test_a_cruise_holds_its_vessel_from_mobilisation_to_return(world):
    body = world.cruise_body()
    made = world.call("manager", "POST", "/cruises", body, expect=201).json
    assert made["status"] == "planning"
    assert made["capacity"] == {"berths": 20, "deck_m2": 120, "lab_m2": 60}
    departs = date.fromisoformat(body["departs_on"])
    # The vessel's availability shows the hold from the first mobilisation day.
    first = departs - timedelta(days=2)
    path = f"/instruments/{world.vessel.id}/availability?from={first}T00:00:00%2B08:00"
    path += f"&to={body['returns_on']}T23:00:00%2B08:00"
    busy = world.call("anonymous", "GET", path, expect=200).json["busy"]
    assert [(b["start"], b["end"]) for b in busy] == [
        (
            f"{first}T00:00:00+08:00",
            f"{date.fromisoformat(body['returns_on']) + timedelta(days=1)}T00:00:00+08:00",
        )
    ]
    # Another cruise on the last mobilisation day is refused, naming what is in the way.
    clash = {**body, "departs_on": body["returns_on"], "mobilisation_days": 0}
    clash["returns_on"] = (date.fromisoformat(body["returns_on"]) + timedelta(days=5)).isoformat()
    refused = world.call("manager", "POST", "/cruises", clash, expect=409).json["error"]
    assert refused["code"] == "conflict"
    assert refused["conflicts"][0]["instrument_id"] == world.vessel.id
    # The day after the return is free.
    clash["departs_on"] = (date.fromisoformat(body["returns_on"]) + timedelta(days=1)).isoformat()
    world.call("manager", "POST", "/cruises", clash, expect=201)


def test_only_the_vessels_managers_publish_and_bad_plans_are_400(world):
    body = world.cruise_body()
    world.call("other_manager", "POST", "/cruises", body, expect=403)
    world.call("researcher", "POST", "/cruises", body, expect=403)
    backwards = {**body, "returns_on": "2020-01-01"}
    fields = world.call("manager", "POST", "/cruises", backwards, 400).json["error"]["fields"]
    assert "returns_on" in fields
    not_a_vessel = {**body, "vessel_id": world.instrument.id}
    fields = world.call("manager", "POST", "/cruises", not_a_vessel, 400).json["error"]["fields"]
    assert "vessel_id" in fields
    world.call("manager", "POST", "/cruises", {**body, "share_by": "weight"}, 400)
    world.call("manager", "POST", "/cruises", {**body, "day_rate": 36000}, 400)


# -- applications ------------------------------------------------------------------------


def test_applications_only_while_open_and_until_the_deadline(world):
    target = world.planning_cruise()
    assert _apply(world, target, "researcher", 409).json["error"]["code"] == "invalid_state"
    world.call("manager", "POST", f"/cruises/{target['cruise']}/open", {}, expect=200)
    made = _apply(world, target, "researcher").json
    assert made["status"] == "submitted" and made["berths"] == 4
    assert _apply(world, target, "researcher", 409).json["error"]["code"] == "duplicate"
    _apply(world, target, "other_manager", 403)
    from sharing.cruises.models import Cruise

    cruise = db.session.get(Cruise, target["cruise"])
    cruise.apply_by = today() - timedelta(days=1)
    db.session.commit()
    assert _apply(world, target, "enterprise", 409).json["error"]["code"] == "deadline_passed"


def test_applicants_see_their_own_and_the_chief_and_managers_all(world, make):
    target = world.open_cruise()
    _apply(world, target, "researcher")
    _apply(world, target, "enterprise", project="海上风电基础冲刷")
    path = f"/cruises/{target['cruise']}/applications"
    for role in ("manager", "admin", "researcher"):  # the researcher is the chief scientist
        assert len(world.call(role, "GET", path, expect=200).json["items"]) == 2
    mine = world.call("enterprise", "GET", path, expect=200).json["items"]
    assert [a["project"] for a in mine] == ["海上风电基础冲刷"]
    assert world.call("other_manager", "GET", path, expect=200).json["items"] == []


# -- allocation --------------------------------------------------------------------------


def test_allocation_within_capacity_declines_the_rest_and_tells_them(world):
    target = world.applied_cruise()
    other = _apply(world, target, "enterprise", project="海上风电基础冲刷").json
    path = f"/cruises/{target['cruise']}/allocate"
    too_many = {"allocations": [{"application_id": target["cruise_application"], "berths": 21}]}
    error = world.call("manager", "POST", path, too_many, expect=422).json["error"]
    assert error["violations"][0]["code"] == "over_capacity"
    assert _cruise(world, target)["status"] == "open"
    world.call("enterprise", "POST", path, world.allocation_body(target=target), expect=403)
    body = {"allocations": [{"application_id": target["cruise_application"], "berths": 6}]}
    done = world.call("researcher", "POST", path, body, expect=200).json  # the chief scientist
    assert done["status"] == "allocated"
    assert done["capacity_left"] == {"berths": 14, "deck_m2": 110, "lab_m2": 54}
    items = world.call("manager", "GET", f"/cruises/{target['cruise']}/applications").json
    assert {a["id"]: a["status"] for a in items["items"]} == {
        target["cruise_application"]: "allocated",
        other["id"]: "declined",
    }
    told = db.session.scalars(
        select(Notification.text).where(Notification.user_id == world.users["enterprise"].id)
    ).all()
    assert any("未能安排" in text for text in told)
    again = world.call("manager", "POST", path, body, expect=409).json["error"]
    assert again["code"] == "invalid_state"


def _day_instrument(make, manager, **fields):
    from sharing.instruments.rules import BookingUnit

    gear = make.instrument(manager=manager, rules={"open_hours": [], "horizon_days": 730}, **fields)
    gear.booking_unit = BookingUnit.DAY
    db.session.commit()
    return gear


def test_allocated_gear_becomes_an_approved_loan_with_the_cruise_and_cancel_frees_it(world, make):
    from sharing.loans.models import Loan

    target = world.open_cruise()
    ctd = _day_instrument(make, world.users["other_manager"])  # another owner's CTD
    made = _apply(world, target, "researcher", equipment=[{"instrument_id": ctd.id}]).json
    allocation = {"allocations": [{"application_id": made["id"]}]}
    world.call("manager", "POST", f"/cruises/{target['cruise']}/allocate", allocation, 200)
    items = world.call("manager", "GET", f"/cruises/{target['cruise']}/applications").json
    loan = db.session.get(Loan, items["items"][0]["loan_id"])
    cruise = _cruise(world, target)
    assert loan.status.value == "approved" and loan.delivery.value == "with_cruise"
    assert loan.borrower_id == world.users["researcher"].id
    assert loan.start_date == date.fromisoformat(cruise["departs_on"]) - timedelta(days=2)
    assert loan.end_date == date.fromisoformat(cruise["returns_on"])
    world.call("manager", "POST", f"/cruises/{target['cruise']}/cancel", {"reason": "台风"}, 200)
    db.session.rollback()
    assert db.session.get(Loan, loan.id).status.value == "cancelled"


def test_allocation_is_all_or_nothing_with_the_equipment(world, make):
    from sharing.loans.models import Loan

    target = world.open_cruise()
    ctd = _day_instrument(make, world.users["manager"])
    adcp = _day_instrument(make, world.users["other_manager"])
    first = _apply(world, target, "researcher", equipment=[{"instrument_id": adcp.id}]).json
    second = _apply(world, target, "enterprise", equipment=[{"instrument_id": ctd.id}]).json
    cruise = _cruise(world, target)
    # The CTD is down for maintenance on the cruise's second day.
    down = date.fromisoformat(cruise["departs_on"]) + timedelta(days=1)
    body = {"start": f"{down}T09:00:00+08:00", "end": f"{down}T12:00:00+08:00", "reason": "标定"}
    world.call("manager", "POST", f"/instruments/{ctd.id}/downtimes", body, expect=201)
    allocation = {"allocations": [{"application_id": a["id"]} for a in (first, second)]}
    path = f"/cruises/{target['cruise']}/allocate"
    error = world.call("manager", "POST", path, allocation, expect=409).json["error"]
    assert error["code"] == "conflict"
    assert {c["instrument_id"] for c in error["conflicts"]} == {ctd.id}
    assert _cruise(world, target)["status"] == "open"
    listed = world.call("manager", "GET", f"/cruises/{target['cruise']}/applications").json
    assert [a["status"] for a in listed["items"]] == ["submitted", "submitted"]
    db.session.rollback()
    assert db.session.scalars(select(Loan)).all() == []  # not even the free ADCP is held


# -- costs, return, charges --------------------------------------------------------------


def test_costs_split_to_the_fen_and_a_late_return_adds_days(world):
    target = world.applied_cruise()
    second = _apply(world, target, "enterprise", project="海上风电基础冲刷").json
    body = {
        "allocations": [
            {"application_id": target["cruise_application"], "berths": 2},
            {"application_id": second["id"], "berths": 1},
        ]
    }
    world.call("manager", "POST", f"/cruises/{target['cruise']}/allocate", body, expect=200)
    costs = world.call("manager", "GET", f"/cruises/{target['cruise']}/costs", expect=200).json
    # 2 mobilisation days + 12 days at sea, at 36,000.00 a day; shares 2:1.
    assert (costs["days"], costs["total"]) == (14, "504000.00")
    assert [(s["share"], s["amount"]) for s in costs["shares"]] == [
        ("0.6667", "336000.00"),
        ("0.3333", "168000.00"),
    ]
    own = world.call("enterprise", "GET", f"/cruises/{target['cruise']}/costs", expect=200).json
    assert [s["application_id"] for s in own["shares"]] == [second["id"]]
    world.call("manager", "POST", f"/cruises/{target['cruise']}/depart", {}, expect=200)
    late = date.fromisoformat(target["returns_on"]) + timedelta(days=2)
    path = f"/cruises/{target['cruise']}/complete"
    done = world.call("manager", "POST", path, {"returned_on": late.isoformat()}, 200).json
    assert done["status"] == "completed" and done["returned_on"] == late.isoformat()
    costs = world.call("manager", "GET", f"/cruises/{target['cruise']}/costs").json
    assert (costs["days"], costs["total"]) == (16, "576000.00")
    charges = _charges(target["cruise"])
    assert [(c.kind, c.amount) for c in charges] == [
        (ChargeKind.SHIP_TIME, Decimal("384000.00")),
        (ChargeKind.SHIP_TIME, Decimal("192000.00")),
    ]
    assert charges[0].customer_org_id == world.users["researcher"].organisation_id
    assert charges[0].owner_org_id == world.vessel.organisation_id
    again = world.call("manager", "POST", path, {"returned_on": late.isoformat()}, 409).json
    assert again["error"]["code"] == "invalid_state"
    assert len(_charges(target["cruise"])) == 2
    # The vessel stays held through the late days.
    hold = db.session.scalars(
        select(Downtime)
        .where(Downtime.instrument_id == world.vessel.id)
        .order_by(Downtime.id.desc())
    ).first()
    assert hold.end.date() == late  # 00:00 of the day after in Shanghai is 16:00 UTC that day


def test_equal_shares_of_an_odd_total_sum_exactly(world):
    body = {**world.cruise_body(), "share_by": "equal", "day_rate": "1000.01"}
    made = world.call("manager", "POST", "/cruises", body, expect=201).json
    target = {"cruise": made["id"]}
    world.call("manager", "POST", f"/cruises/{made['id']}/open", {}, expect=200)
    ids = [
        _apply(world, target, role, project=role).json["id"]
        for role in ("researcher", "enterprise")
    ]
    third = world.make.user("researcher", world.customer_org)
    response = world.client.post(
        f"/api/v1/cruises/{made['id']}/applications",
        json={"project": "第三组"},
        headers=world.headers_for(third),
    )
    ids.append(response.json["id"])
    allocation = {"allocations": [{"application_id": i} for i in ids]}
    world.call("manager", "POST", f"/cruises/{made['id']}/allocate", allocation, expect=200)
    costs = world.call("manager", "GET", f"/cruises/{made['id']}/costs").json
    assert costs["total"] == "14000.14"
    assert [s["amount"] for s in costs["shares"]] == ["4666.72", "4666.71", "4666.71"]
    assert [s["share"] for s in costs["shares"]] == ["0.3334", "0.3333", "0.3333"]


def test_cancelling_frees_the_vessel_and_charges_nothing(world):
    target = world.allocated_cruise()
    cruise = _cruise(world, target)
    path = f"/cruises/{target['cruise']}/cancel"
    world.call("manager", "POST", path, {"reason": ""}, expect=400)
    done = world.call("manager", "POST", path, {"reason": "主机故障"}, expect=200).json
    assert done["status"] == "cancelled"
    assert _charges(target["cruise"]) == []
    same_days = {
        **world.cruise_body(),
        "departs_on": cruise["departs_on"],
        "returns_on": cruise["returns_on"],
    }
    world.call("manager", "POST", "/cruises", same_days, expect=201)
    at_sea = world.at_sea_cruise()
    refused = world.call("manager", "POST", f"/cruises/{at_sea['cruise']}/cancel", {"reason": "x"})
    assert refused.status_code == 409


# -- obligations -------------------------------------------------------------------------


def test_obligations_after_return_and_the_block_on_overdue_groups(world):
    from sharing.cruises.models import Cruise

    target = world.at_sea_cruise()
    # Recorded after the fact: the cruise sailed twelve weeks ago and was back ten weeks ago.
    back = today() - timedelta(days=70)
    cruise = db.session.get(Cruise, target["cruise"])
    cruise.departs_on, cruise.returns_on = back - timedelta(days=11), back
    db.session.commit()
    path = f"/cruises/{target['cruise']}/complete"
    world.call("manager", "POST", path, {"returned_on": back.isoformat()}, expect=200)
    owed = _cruise(world, target)["obligations"]
    assert [(o["kind"], o["due_on"], o["overdue"]) for o in owed] == [
        ("cruise_report", (back + timedelta(days=7)).isoformat(), True),
        ("data", (back + timedelta(days=60)).isoformat(), True),
    ]
    fresh = world.open_cruise()
    error = _apply(world, fresh, "researcher", 422).json["error"]
    assert error["violations"][0]["code"] == "obligations_overdue"
    report = world.cruise_report_body()
    world.call("manager", "POST", f"/cruises/{target['cruise']}/report", report, expect=403)
    world.call("researcher", "POST", f"/cruises/{target['cruise']}/report", report, expect=200)
    data_path = f"/cruise-applications/{target['cruise_application']}/data"
    too_long = {**world.data_body(), "embargo_until": (today() + timedelta(days=800)).isoformat()}
    world.call("researcher", "POST", data_path, too_long, expect=400)
    embargo = {**world.data_body(), "embargo_until": (today() + timedelta(days=700)).isoformat()}
    delivered = world.call("researcher", "POST", data_path, embargo, expect=200).json
    assert delivered["data"]["done_on"] == today().isoformat()
    world.call("researcher", "POST", data_path, embargo, expect=409)
    owed = _cruise(world, target)["obligations"]
    assert [o["overdue"] for o in owed] == [False, False]
    _apply(world, fresh, "researcher", 201)


# -- lists and the public calendar -------------------------------------------------------


def test_the_list_filters_by_status_and_dates(world):
    planning, opened = world.planning_cruise(), world.open_cruise()
    listed = world.call("enterprise", "GET", "/cruises?status=open", expect=200).json
    ids = [c["id"] for c in listed["items"]]
    assert opened["cruise"] in ids and planning["cruise"] not in ids
    cruise = _cruise(world, planning)
    after = (date.fromisoformat(cruise["returns_on"]) + timedelta(days=1)).isoformat()
    later = world.call("enterprise", "GET", f"/cruises?from={after}", expect=200).json
    assert planning["cruise"] not in [c["id"] for c in later["items"]]
    world.call("anonymous", "GET", "/cruises", expect=401)
    world.call("enterprise", "GET", "/cruises?status=sunk", expect=400)


def test_the_public_calendar_has_every_cruise_not_cancelled(world, client):
    kept, dropped = world.open_cruise(), world.open_cruise()
    world.call("manager", "POST", f"/cruises/{dropped['cruise']}/cancel", {"reason": "天气"}, 200)
    response = client.get("/calendar/cruises.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    cruise = _cruise(world, kept)
    ours = [e for e in events if str(e["uid"]).startswith(f"cruise-{kept['cruise']}@")]
    assert [str(e["summary"]) for e in ours] == [cruise["name"]]
    assert ours[0]["dtstart"].dt == date.fromisoformat(cruise["departs_on"])
    assert ours[0]["dtend"].dt == date.fromisoformat(cruise["returns_on"]) + timedelta(days=1)
    assert not [e for e in events if str(e["uid"]).startswith(f"cruise-{dropped['cruise']}@")]
