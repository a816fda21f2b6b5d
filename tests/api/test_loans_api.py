"""Loans of sea-going gear through the API: several items of two owners held together or not at
all, each owner's decisions, deposit and insurance gates, handover checklists, inspection that
writes the charges once, extension, and who reads what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharing.billing.models import Charge
from sharing.extensions import db
from tests.fixtures.loans import checklist, days_ahead, loan_body, sea_gear


@pytest.fixture
def gear(make, token_for):
    return sea_gear(make, token_for)


def ask(client, gear, **extra):
    return client.post("/api/v1/loans", json=loan_body(gear, **extra), headers=gear["as_borrower"])


def approve_both(client, gear, loan_id):
    rov, ctd = gear["rov"].id, gear["ctd"].id
    answer = client.post(
        f"/api/v1/loans/{loan_id}/items/{rov}/approve",
        json={"operator_id": gear["operator"]},
        headers=gear["as_rov"],
    )
    assert answer.status_code == 200, answer.json
    answer = client.post(
        f"/api/v1/loans/{loan_id}/items/{ctd}/approve", json={}, headers=gear["as_ctd"]
    )
    assert answer.status_code == 200, answer.json
    return answer


def test_a_request_of_two_owners_is_held_with_its_quote(client, gear):
    answer = ask(client, gear)
    assert answer.status_code == 201, answer.json
    loan = answer.json
    assert loan["status"] == "requested" and loan["days"] == 5
    assert {i["organisation"] for i in loan["items"]} == {
        gear["rov"].organisation.slug,
        gear["ctd"].organisation.slug,
    }
    assert [i["status"] for i in loan["items"]] == ["requested", "requested"]
    lines = {line["description"]: line for line in loan["quote"]["lines"]}
    rov = gear["rov"].name
    assert lines[rov]["quantity"] == "5" and lines[rov]["amount"] == "375000.00"
    assert lines[f"{rov}: mobilisation"]["amount"] == "20000.00"
    assert lines[f"{rov}: operator"]["amount"] == "15000.00"
    assert lines[gear["ctd"].name]["amount"] == "10000.00"
    assert loan["quote"]["total"] == "420000.00" and loan["quote"]["deposit"] == "50000.00"
    assert loan["delivery"] == "with_cruise" and loan["insurance_policy"] == ""
    assert loan["items"][0]["deposit_status"] == "none"


def test_the_dry_run_quotes_and_holds_nothing(client, gear):
    answer = ask(client, gear, dry_run=True)
    assert answer.status_code == 200
    assert answer.json["quote"]["total"] == "420000.00" and answer.json["conflicts"] == []
    assert ask(client, gear).status_code == 201


def test_a_conflict_on_one_item_holds_nothing_and_names_it(client, gear, make, token_for):
    other = token_for(make.user("researcher"))
    ctd_only = {
        "items": [{"instrument_id": gear["ctd"].id}],
        "start_date": days_ahead(12).isoformat(),
        "end_date": days_ahead(12).isoformat(),
    }
    assert client.post("/api/v1/loans", json=ctd_only, headers=other).status_code == 201
    answer = ask(client, gear)
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"
    assert [c["instrument_id"] for c in answer.json["error"]["conflicts"]] == [gear["ctd"].id]
    assert answer.json["error"]["conflicts"][0]["kind"] == "loan"
    # The ROV was not held: another loan of it alone on those days goes through.
    rov_only = {
        "items": [{"instrument_id": gear["rov"].id}],
        "start_date": days_ahead(10).isoformat(),
        "end_date": days_ahead(14).isoformat(),
    }
    assert client.post("/api/v1/loans", json=rov_only, headers=other).status_code == 201


def test_turnaround_days_keep_the_gear_after_a_loan(client, gear, make, token_for):
    assert ask(client, gear).status_code == 201
    other = token_for(make.user("researcher"))

    def rov_from(first, last):
        body = {
            "items": [{"instrument_id": gear["rov"].id}],
            "start_date": days_ahead(first).isoformat(),
            "end_date": days_ahead(last).isoformat(),
        }
        return client.post("/api/v1/loans", json=body, headers=other)

    assert rov_from(15, 16).status_code == 409  # the day after the end is the inspection's
    assert rov_from(16, 17).status_code == 201


def test_rules_break_with_the_bookings_codes(client, gear):
    answer = client.post(
        "/api/v1/loans",
        json={
            "items": [{"instrument_id": gear["rov"].id}],
            "start_date": days_ahead(3).isoformat(),
            "end_date": days_ahead(3).isoformat(),
        },
        headers=gear["as_borrower"],
    )
    assert answer.status_code == 422
    assert [v["code"] for v in answer.json["error"]["violations"]] == ["too_short"]
    past = ask(client, gear, start_date=days_ahead(-3).isoformat())
    assert past.status_code == 422 and "too_soon" in [
        v["code"] for v in past.json["error"]["violations"]
    ]


def test_slot_bookings_of_a_day_instrument_are_refused(client, gear):
    answer = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": gear["ctd"].id,
            "start": f"{days_ahead(3).isoformat()}T09:00:00+08:00",
            "end": f"{days_ahead(3).isoformat()}T10:00:00+08:00",
        },
        headers=gear["as_borrower"],
    )
    assert answer.status_code == 422
    assert [v["code"] for v in answer.json["error"]["violations"]] == ["loan_only"]


def test_availability_lists_the_loan_as_whole_days(client, gear):
    assert ask(client, gear).status_code == 201
    first, last = days_ahead(10), days_ahead(16)
    answer = client.get(
        f"/api/v1/instruments/{gear['rov'].id}/availability?from={first}T00:00:00%2B08:00&to={last}T00:00:00%2B08:00"
    )
    assert answer.status_code == 200
    loans = [b for b in answer.json["busy"] if b["kind"] == "loan"]
    assert loans == [
        {
            "start": f"{first}T00:00:00+08:00",
            "end": f"{days_ahead(16)}T00:00:00+08:00",
            "kind": "loan",
        }
    ]


def test_one_decline_frees_every_item(client, gear, make, token_for):
    loan = ask(client, gear).json
    approve = client.post(
        f"/api/v1/loans/{loan['id']}/items/{gear['rov'].id}/approve",
        json={},
        headers=gear["as_rov"],
    )
    assert approve.json["status"] == "requested"
    declined = client.post(
        f"/api/v1/loans/{loan['id']}/items/{gear['ctd'].id}/decline",
        json={"reason": "In the dock for calibration"},
        headers=gear["as_ctd"],
    )
    assert declined.status_code == 200
    assert declined.json["status"] == "declined"
    assert {i["status"] for i in declined.json["items"]} == {"declined"}
    assert ask(client, gear).status_code == 201  # nothing is held any more


def test_owners_decide_only_their_own_items(client, gear):
    loan = ask(client, gear).json
    answer = client.post(
        f"/api/v1/loans/{loan['id']}/items/{gear['ctd'].id}/approve",
        json={},
        headers=gear["as_rov"],
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/api/v1/loans/{loan['id']}/items/{gear['ctd'].id}/approve",
        json={},
        headers=gear["as_borrower"],
    )
    assert answer.status_code == 403


def test_cancel_by_the_borrower_frees_all(client, gear):
    loan = ask(client, gear).json
    assert (
        client.post(
            f"/api/v1/loans/{loan['id']}/cancel", json={}, headers=gear["as_rov"]
        ).status_code
        == 403
    )
    cancelled = client.post(
        f"/api/v1/loans/{loan['id']}/cancel", json={}, headers=gear["as_borrower"]
    )
    assert cancelled.json["status"] == "cancelled"
    again = client.post(f"/api/v1/loans/{loan['id']}/cancel", json={}, headers=gear["as_borrower"])
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    assert ask(client, gear).status_code == 201


def _dispatch(client, gear, loan_id, instrument, headers, lines):
    return client.post(
        f"/api/v1/loans/{loan_id}/items/{instrument.id}/dispatch",
        json={"checklist": lines, "tracking_number": "SF1234567"},
        headers=headers,
    )


def test_dispatch_needs_deposit_insurance_and_the_whole_checklist(client, gear):
    loan = ask(client, gear).json
    approve_both(client, gear, loan["id"])
    rov = gear["rov"]
    answer = _dispatch(client, gear, loan["id"], rov, gear["as_rov"], checklist(gear))
    assert answer.status_code == 409 and answer.json["error"]["code"] == "deposit_missing"
    deposit = client.post(
        f"/api/v1/loans/{loan['id']}/deposit",
        json={
            "instrument_id": rov.id,
            "amount": "50000.00",
            "received_on": days_ahead(0).isoformat(),
            "reference": "BOC-77",
        },
        headers=gear["as_rov"],
    )
    assert deposit.status_code == 200 and deposit.json["items"][0]["deposit_status"] == "received"
    answer = _dispatch(client, gear, loan["id"], rov, gear["as_rov"], checklist(gear))
    assert answer.status_code == 409 and answer.json["error"]["code"] == "insurance_missing"
    policy = client.patch(
        f"/api/v1/loans/{loan['id']}",
        json={"insurance_policy": "PICC-2026-0042"},
        headers=gear["as_borrower"],
    )
    assert policy.status_code == 200 and policy.json["insurance_policy"] == "PICC-2026-0042"
    answer = _dispatch(client, gear, loan["id"], rov, gear["as_rov"], checklist(gear)[:1])
    assert answer.status_code == 422
    assert [v["code"] for v in answer.json["error"]["violations"]] == ["incomplete_checklist"]
    answer = _dispatch(client, gear, loan["id"], rov, gear["as_rov"], checklist(gear))
    assert answer.status_code == 200, answer.json
    item = answer.json["items"][0]
    assert item["status"] == "on_loan" and item["tracking_number"] == "SF1234567"
    assert len(item["checklists"]["dispatch"]) == 2


def _out_and_back(client, gear, loan_id, condition="ok"):
    rov, ctd = gear["rov"], gear["ctd"]
    client.post(
        f"/api/v1/loans/{loan_id}/deposit",
        json={
            "instrument_id": rov.id,
            "amount": "50000.00",
            "received_on": days_ahead(0).isoformat(),
        },
        headers=gear["as_rov"],
    )
    client.patch(
        f"/api/v1/loans/{loan_id}", json={"insurance_policy": "PICC-1"}, headers=gear["as_borrower"]
    )
    first, last = days_ahead(10), days_ahead(14)
    for instrument, headers, lines in (
        (rov, gear["as_rov"], checklist(gear)),
        (ctd, gear["as_ctd"], []),
    ):
        answer = client.post(
            f"/api/v1/loans/{loan_id}/items/{instrument.id}/dispatch",
            json={"checklist": lines, "at": f"{first}T08:00:00+08:00"},
            headers=headers,
        )
        assert answer.status_code == 200, answer.json
        answer = client.post(
            f"/api/v1/loans/{loan_id}/items/{instrument.id}/return",
            json={
                "checklist": checklist(gear, condition) if lines else [],
                "at": f"{last}T17:00:00+08:00",
            },
            headers=headers,
        )
        assert answer.status_code == 200, answer.json
    return answer


def test_inspection_writes_the_charges_once_and_releases_the_deposit(client, gear):
    loan = ask(client, gear).json
    approve_both(client, gear, loan["id"])
    returned = _out_and_back(client, gear, loan["id"])
    assert returned.json["status"] == "returned"
    url = f"/api/v1/loans/{loan['id']}/items/{gear['rov'].id}/inspect"
    answer = client.post(url, json={"outcome": "ok"}, headers=gear["as_rov"])
    assert answer.status_code == 200, answer.json
    item = answer.json["items"][0]
    assert item["status"] == "closed" and item["deposit_status"] == "released"
    again = client.post(url, json={"outcome": "ok"}, headers=gear["as_rov"])
    assert again.status_code == 409 and again.json["error"]["code"] == "invalid_state"
    charges = db.session.scalars(select(Charge).where(Charge.instrument_id == gear["rov"].id)).all()
    amounts = {c.kind.value: sum(x.amount for x in charges if x.kind == c.kind) for c in charges}
    assert {k: f"{v:.2f}" for k, v in amounts.items()} == {
        "usage": "375000.00",
        "mobilisation": "20000.00",
        "operator": "15000.00",
    }


def test_damage_is_capped_at_the_replacement_value_and_keeps_the_deposit(client, gear):
    loan = ask(client, gear).json
    approve_both(client, gear, loan["id"])
    _out_and_back(client, gear, loan["id"], condition="damaged")
    answer = client.post(
        f"/api/v1/loans/{loan['id']}/items/{gear['ctd'].id}/inspect",
        json={"outcome": "damaged", "damage_amount": "900000.00", "note": "Housing cracked"},
        headers=gear["as_ctd"],
    )
    assert answer.status_code == 200, answer.json
    item = answer.json["items"][1]
    assert item["damage_amount"] == "400000.00" and item["incident_id"] is not None
    damage = db.session.scalar(
        select(Charge).where(Charge.instrument_id == gear["ctd"].id, Charge.kind == "damage")
    )
    assert damage.amount == 400000


def test_extend_into_a_taken_day_changes_nothing(client, gear, make, token_for):
    loan = ask(client, gear).json
    other = token_for(make.user("researcher"))
    later = {
        "items": [{"instrument_id": gear["ctd"].id}],
        "start_date": days_ahead(17).isoformat(),
        "end_date": days_ahead(18).isoformat(),
    }
    assert client.post("/api/v1/loans", json=later, headers=other).status_code == 201
    answer = client.post(
        f"/api/v1/loans/{loan['id']}/extend",
        json={"end_date": days_ahead(17).isoformat()},
        headers=gear["as_borrower"],
    )
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"
    shown = client.get(f"/api/v1/loans/{loan['id']}", headers=gear["as_borrower"]).json
    assert shown["end_date"] == days_ahead(14).isoformat()
    answer = client.post(
        f"/api/v1/loans/{loan['id']}/extend",
        json={"end_date": days_ahead(16).isoformat()},
        headers=gear["as_borrower"],
    )
    assert answer.status_code == 200 and answer.json["days"] == 7


def test_an_operator_is_on_one_loan_a_day(client, gear, make, token_for):
    loan = ask(client, gear).json
    approve_both(client, gear, loan["id"])
    second_rov = make.instrument(
        manager=gear["pilot"], category="underwater-vehicles", booking_unit="day", rates=[]
    )
    from sharing.loans.models import Operator

    operator = Operator(instrument_id=second_rov.id, user_id=gear["pilot"].id, day_rate=3000)
    db.session.add(operator)
    db.session.commit()
    other = client.post(
        "/api/v1/loans",
        json={
            "items": [{"instrument_id": second_rov.id, "with_operator": True}],
            "start_date": days_ahead(12).isoformat(),
            "end_date": days_ahead(13).isoformat(),
        },
        headers=token_for(make.user("researcher")),
    ).json
    answer = client.post(
        f"/api/v1/loans/{other['id']}/items/{second_rov.id}/approve",
        json={"operator_id": operator.id},
        headers=gear["as_pilot"],
    )
    assert answer.status_code == 409 and answer.json["error"]["code"] == "conflict"


def test_loans_are_seen_by_the_borrower_side_and_the_owners(client, gear, make, token_for):
    loan = ask(client, gear).json
    for headers in (gear["as_borrower"], gear["as_rov"], gear["as_ctd"]):
        assert client.get(f"/api/v1/loans/{loan['id']}", headers=headers).status_code == 200
        listed = client.get("/api/v1/loans", headers=headers).json
        assert [x["id"] for x in listed["items"]] == [loan["id"]]
    stranger = token_for(make.user("researcher"))
    assert client.get(f"/api/v1/loans/{loan['id']}", headers=stranger).status_code == 404
    assert client.get("/api/v1/loans", headers=stranger).json["items"] == []
    assert client.get("/api/v1/loans?status=nonsense", headers=stranger).status_code == 400


def test_components_and_operators_by_the_managers(client, gear):
    rov = gear["rov"].id
    made = client.post(
        f"/api/v1/instruments/{rov}/components",
        json={"name": "Manipulator arm", "serial": "ARM-9", "required": True},
        headers=gear["as_rov"],
    )
    assert made.status_code == 201 and made.json["serial"] == "ARM-9"
    twice = client.post(
        f"/api/v1/instruments/{rov}/components",
        json={"name": "Manipulator arm", "serial": "ARM-9"},
        headers=gear["as_rov"],
    )
    assert twice.status_code == 409 and twice.json["error"]["code"] == "duplicate"
    refused = client.post(
        f"/api/v1/instruments/{rov}/components",
        json={"name": "x", "serial": "y"},
        headers=gear["as_ctd"],
    )
    assert refused.status_code == 403
    listed = client.get(f"/api/v1/instruments/{rov}/components", headers=gear["as_borrower"]).json
    assert [c["serial"] for c in listed["items"]] == ["TT-001", "CAM-7", "TH-3", "ARM-9"]
    operator = client.post(
        f"/api/v1/instruments/{rov}/operators",
        json={"user_id": gear["pilot"].id, "day_rate": "3500.00"},
        headers=gear["as_rov"],
    )
    assert operator.status_code == 409  # already an operator of this ROV


def test_a_manager_makes_a_day_instrument_through_the_api(client, gear):
    body = {
        "name": "浅水 ADCP",
        "category": "ocean-observation",
        "booking_unit": "day",
        "deposit": "5000.00",
        "replacement_value": "850000.00",
        "insurance_required": True,
        "mobilisation_fee": "500.00",
        "rules": {"min_days": 2, "max_days": 60, "turnaround_days": 1},
        "rates": [{"category": "academic", "unit": "day", "price": "1200.00"}],
    }
    made = client.post("/api/v1/instruments", json=body, headers=gear["as_ctd"])
    assert made.status_code == 201, made.json
    shown = made.json
    assert (shown["booking_unit"], shown["deposit"], shown["mobilisation_fee"]) == (
        "day",
        "5000.00",
        "500.00",
    )
    assert shown["replacement_value"] == "850000.00" and shown["insurance_required"] is True
    assert (shown["rules"]["min_days"], shown["rules"]["max_days"]) == (2, 60)
    assert shown["rules"]["turnaround_days"] == 1
    assert shown["rates"] == [{"category": "academic", "unit": "day", "price": "1200.00"}]
    bad = client.post(
        "/api/v1/instruments",
        json={**body, "rules": {"min_days": 5, "max_days": 2}},
        headers=gear["as_ctd"],
    )
    assert bad.status_code == 400 and "max_days" in bad.json["error"]["fields"]
