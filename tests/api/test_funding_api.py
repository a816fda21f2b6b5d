"""Funding accounts (课题/经费卡): opened by the organisation, members approved by the holder,
named by bookings and orders, carried by charges, grouped on statements."""

from datetime import date, timedelta

import pytest

from sharing.util.formatting import local_today
from sharing.util.timeutil import utcnow
from tests.fixtures.billing import walk_in
from tests.fixtures.bookings import SHANGHAI
from tests.fixtures.orders import upload


@pytest.fixture
def grant(client, make, lab, token_for):
    """A university with its manager, a PI holding an account, a student and a colleague."""
    university = make.org("university", slug="sdu-qd", name="山东大学（青岛）")
    manager = make.user("manager", university)
    pi = make.user("researcher", university, name="王教授")
    student = make.user("researcher", university, name="李同学")
    body = {
        "code": "NSFC-42176001",
        "name": "海洋微塑料溯源",
        "organisation": "sdu-qd",
        "holder_id": pi.id,
        "valid_from": (local_today() - timedelta(days=60)).isoformat(),
        "valid_until": (local_today() + timedelta(days=365)).isoformat(),
    }
    opened = client.post("/api/v1/accounts", json=body, headers=token_for(manager))
    assert opened.status_code == 201, opened.json
    return {
        "account": opened.json,
        "body": body,
        "university": university,
        "manager": manager,
        "pi": pi,
        "student": student,
        "as_pi": token_for(pi),
        "as_student": token_for(student),
        "as_manager": token_for(manager),
    }


def _book(client, lab, user, account_id, days_ahead=3):
    """The lab's manager books a session for `user` on `account_id`."""
    start = walk_start(days_ahead)
    return client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": lab["instrument"].id,
            "user_id": user.id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2)).isoformat(),
            "account_id": account_id,
        },
        headers=lab["as_manager"],
    )


def walk_start(days: int):
    return (
        (utcnow() + timedelta(days=days))
        .astimezone(SHANGHAI)
        .replace(hour=9, minute=0, second=0, microsecond=0)
    )


def test_an_account_opened_by_the_organisation_with_its_holder_as_member(client, grant, token_for):
    account = grant["account"]
    assert account["code"] == "NSFC-42176001" and account["organisation"] == "sdu-qd"
    assert account["holder_id"] == grant["pi"].id and account["valid_today"] is True
    assert [m["user_id"] for m in account["members"]] == [grant["pi"].id]
    again = client.post("/api/v1/accounts", json=grant["body"], headers=grant["as_manager"])
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    by_pi = client.post(
        "/api/v1/accounts", json={**grant["body"], "code": "X-1"}, headers=grant["as_pi"]
    )
    assert by_pi.status_code == 403
    backwards = {
        **grant["body"],
        "code": "X-2",
        "valid_until": (local_today() - timedelta(days=365)).isoformat(),
    }
    refused = client.post("/api/v1/accounts", json=backwards, headers=grant["as_manager"])
    assert refused.status_code == 400 and "valid_until" in refused.json["error"]["fields"]


def test_holder_approves_members_once_and_only_the_holder(client, grant, make, token_for):
    url = f"/api/v1/accounts/{grant['account']['id']}/members"
    student = grant["student"]
    hidden = client.post(url, json={"user_id": student.id}, headers=grant["as_student"])
    assert hidden.status_code == 404  # not a member: the account is not even shown
    added = client.post(url, json={"user_id": student.id}, headers=grant["as_pi"])
    assert added.status_code == 201 and added.json["name"] == "李同学"
    again = client.post(url, json={"user_id": student.id}, headers=grant["as_pi"])
    assert again.status_code == 409 and again.json["error"]["code"] == "duplicate"
    colleague = make.user("researcher", grant["university"])
    by_member = client.post(url, json={"user_id": colleague.id}, headers=grant["as_student"])
    assert by_member.status_code == 403  # members charge it; the holder decides who
    outsider = make.user("researcher")
    foreign = client.post(url, json={"user_id": outsider.id}, headers=grant["as_pi"])
    assert foreign.status_code == 400 and "user_id" in foreign.json["error"]["fields"]
    detail = client.get(f"/api/v1/accounts/{grant['account']['id']}", headers=grant["as_student"])
    assert [m["name"] for m in detail.json["members"]] == ["王教授", "李同学"]
    assert (
        client.get(
            f"/api/v1/accounts/{grant['account']['id']}", headers=token_for(outsider)
        ).status_code
        == 404
    )
    holder_out = client.delete(f"{url}/{grant['pi'].id}", headers=grant["as_pi"])
    assert holder_out.status_code == 409


def test_a_booking_names_a_usable_account_else_account_not_usable(client, grant, lab):
    account_id = grant["account"]["id"]
    student = grant["student"]

    def refusal(response):
        assert response.status_code == 422, response.json
        [violation] = response.json["error"]["violations"]
        assert response.json["error"]["code"] == "rule_violation"
        assert violation["code"] == "account_not_usable"
        return violation["reason"]

    assert refusal(_book(client, lab, student, account_id)) == "not_member"
    assert refusal(_book(client, lab, student, 999_999)) == "unknown"
    assert refusal(_book(client, lab, lab["customer"], account_id)) == "unknown"  # another org
    client.post(
        f"/api/v1/accounts/{account_id}/members",
        json={"user_id": student.id},
        headers=grant["as_pi"],
    )
    booked = _book(client, lab, student, account_id)
    assert booked.status_code == 201 and booked.json["account_id"] == account_id
    assert refusal(_book(client, lab, student, account_id, days_ahead=400)) == "lapsed"
    usable = client.get("/api/v1/accounts/usable", headers=grant["as_student"]).json["items"]
    assert [a["id"] for a in usable] == [account_id]
    early = (local_today() - timedelta(days=61)).isoformat()
    assert (
        client.get(f"/api/v1/accounts/usable?on={early}", headers=grant["as_student"]).json["items"]
        == []
    )
    assert (
        client.delete(
            f"/api/v1/accounts/{account_id}/members/{student.id}", headers=grant["as_pi"]
        ).status_code
        == 204
    )
    assert refusal(_book(client, lab, student, account_id, days_ahead=5)) == "not_member"


def test_charges_carry_the_account_and_the_holder_sees_them_by_member_and_month(client, grant, lab):
    account_id = grant["account"]["id"]
    student = grant["student"]
    client.post(
        f"/api/v1/accounts/{account_id}/members",
        json={"user_id": student.id},
        headers=grant["as_pi"],
    )
    start = walk_start(-2).replace(hour=14)
    booked = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": lab["instrument"].id,
            "user_id": student.id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2, minutes=30)).isoformat(),
            "account_id": account_id,
        },
        headers=lab["as_manager"],
    )
    assert booked.status_code == 201, booked.json
    used = client.post(
        f"/api/v1/bookings/{booked.json['id']}/usage",
        json={
            "start": start.isoformat(),
            "end": (start + timedelta(hours=2, minutes=30)).isoformat(),
        },
        headers=lab["as_manager"],
    )
    charge = used.json["charge"]
    assert (charge["account"], charge["account_id"], charge["user_id"]) == (
        "NSFC-42176001",
        account_id,
        student.id,
    )
    assert (charge["quantity"], charge["amount"]) == ("2.5", "500.00")  # academic, 200/h
    # The PI's own walk-in, on no account.
    own, own_start = walk_in(client, lab, days_ago=2, user=grant["pi"])
    client.post(
        f"/api/v1/bookings/{own['id']}/usage",
        json={"start": own_start.isoformat(), "end": (own_start + timedelta(hours=1)).isoformat()},
        headers=lab["as_manager"],
    )
    month = start.strftime("%Y-%m")
    detail = client.get(f"/api/v1/accounts/{account_id}", headers=grant["as_pi"]).json
    assert detail["usage"] == [
        {
            "month": month,
            "user_id": student.id,
            "user_name": "李同学",
            "lines": 1,
            "amount": "500.00",
        }
    ]
    assert detail["charged"] == "500.00"
    statement = client.get(
        f"/api/v1/statements/sdu-qd/{month}?group=account", headers=grant["as_pi"]
    ).json
    assert statement["group"] == "account"
    by_account = {row["account"]: row["amount"] for row in statement["subtotals"]}
    assert by_account["NSFC-42176001"] == "500.00"
    assert sum(float(a) for a in by_account.values()) == float(statement["total"])
    assert None in by_account  # the PI's session, charged to no account
    bad = client.get(f"/api/v1/statements/sdu-qd/{month}?group=user", headers=grant["as_pi"])
    assert bad.status_code == 400


def test_an_order_names_the_account_and_its_charges_carry_it(client, grant, make, token_for):
    lab_org = make.org("institute", slug="oucl", name="测试所")
    manager = make.user("manager", lab_org)
    instrument = make.instrument(
        manager=manager,
        accepts_samples=True,
        sample_quote_required=False,
        rates=[{"category": "academic", "unit": "sample", "price": "150.00"}],
    )
    account_id = grant["account"]["id"]
    sent = client.post(
        "/api/v1/orders",
        json={"instrument_id": instrument.id, "samples": 2, "account_id": account_id},
        headers=grant["as_pi"],
    )
    assert sent.status_code == 201, sent.json
    assert sent.json["account_id"] == account_id
    refused = client.post(
        "/api/v1/orders",
        json={"instrument_id": instrument.id, "samples": 2, "account_id": account_id},
        headers=grant["as_student"],
    )
    assert refused.status_code == 422
    assert refused.json["error"]["violations"][0]["reason"] == "not_member"
    as_lab = token_for(manager)
    order_id = sent.json["id"]
    for step, body in (("receive", {"received_samples": 2}), ("start", {})):
        response = client.post(f"/api/v1/orders/{order_id}/{step}", json=body, headers=as_lab)
        assert response.status_code == 200, (step, response.json)
    assert upload(client, {"lab": as_lab}, order_id).status_code == 201
    delivered = client.post(f"/api/v1/orders/{order_id}/deliver", headers=as_lab)
    assert delivered.status_code == 200, delivered.json
    done = client.post(
        f"/api/v1/orders/{order_id}/complete", json={"measured_samples": 2}, headers=as_lab
    )
    assert done.status_code == 200, done.json
    month = local_today().strftime("%Y-%m")
    [line] = client.get(f"/api/v1/statements/sdu-qd/{month}", headers=grant["as_pi"]).json["lines"]
    assert (line["account"], line["user_id"], line["amount"]) == (
        "NSFC-42176001",
        grant["pi"].id,
        "300.00",
    )


def test_statement_pages_its_lines_and_totals_them_all(client, lab):
    last_month = local_today().replace(day=1) - timedelta(days=1)
    for day in range(1, 6):
        days_ago = (local_today() - last_month.replace(day=day)).days
        booking, start = walk_in(client, lab, days_ago=days_ago)
        client.post(
            f"/api/v1/bookings/{booking['id']}/usage",
            json={"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()},
            headers=lab["as_manager"],
        )
    url = f"/api/v1/statements/bv-biomed/{last_month:%Y-%m}"
    whole = client.get(url, headers=lab["as_customer"]).json
    count = whole["line_count"]
    pages = [
        client.get(f"{url}?per_page=2&page={n}", headers=lab["as_customer"]).json for n in (1, 2, 3)
    ]
    assert count == 5 and [len(p["lines"]) for p in pages] == [2, 2, 1]
    ids = [line["id"] for p in pages for line in p["lines"]]
    assert ids == [line["id"] for line in whole["lines"]]
    assert all(p["total"] == whole["total"] and p["subtotals"] == whole["subtotals"] for p in pages)
    assert client.get(f"{url}?per_page=0", headers=lab["as_customer"]).status_code == 400
    assert client.get(f"{url}?per_page=501", headers=lab["as_customer"]).status_code == 400
    assert date.fromisoformat(whole["lines"][0]["date"]) <= date.fromisoformat(
        whole["lines"][-1]["date"]
    )


def test_an_account_without_a_start_date_pays_until_it_lapses(client, grant, lab):
    body = {
        **grant["body"],
        "code": "OLD-2019-01",
        "valid_until": (local_today() - timedelta(days=1)).isoformat(),
    }
    del body["valid_from"]
    lapsed = client.post("/api/v1/accounts", json=body, headers=grant["as_manager"])
    assert lapsed.status_code == 201, lapsed.json
    assert lapsed.json["valid_from"] is None and lapsed.json["valid_today"] is False
    refused = _book(client, lab, grant["pi"], lapsed.json["id"])
    assert refused.status_code == 422
    assert refused.json["error"]["violations"][0] == {
        "code": "account_not_usable",
        "reason": "lapsed",
        "message": f"Account OLD-2019-01 lapsed on {body['valid_until']}.",
    }
    current = client.post(
        "/api/v1/accounts",
        json={**body, "code": "NEW-1", "valid_until": "2099-12-31"},
        headers=grant["as_manager"],
    )
    long_ago = _book(client, lab, grant["pi"], current.json["id"], days_ahead=-400)
    assert long_ago.status_code == 201, long_ago.json  # no start date: any day until it lapses
