"""Sample testing orders: lifecycle, illegal transitions, visibility, quotes, charges, files."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.billing.models import Charge
from sharing.core.errors import Conflict
from sharing.extensions import db
from sharing.orders.lifecycle import TRANSITIONS, OrderAction, OrderStatus
from sharing.orders.models import Order
from sharing.orders.services import complete_order
from tests.fixtures.bookings import at, next_weekday
from tests.fixtures.orders import PDF, step, submit, upload


def test_whole_lifecycle_with_quote_arithmetic_and_charges(client, shop):
    order = submit(client, shop)
    assert (
        order.status_code == 201
        and order.json["status"] == "submitted"
        and order.json["organisation"] == "bv-biomed"
    )
    oid = order.json["id"]
    quoted = step(
        client,
        shop,
        oid,
        "quote",
        "lab",
        {
            "lines": [
                {
                    "description": "ICP-MS per sample",
                    "quantity": "6",
                    "unit_price": "280.00",
                    "per_sample": True,
                },
                {"description": "Acid digestion", "quantity": "1", "unit_price": "150.50"},
            ]
        },
    )
    assert quoted.json["status"] == "quoted" and quoted.json["quote_total"] == "1830.50"
    assert [line["amount"] for line in quoted.json["quote_lines"]] == ["1680.00", "150.50"]
    assert (
        step(client, shop, oid, "accept", "colleague").json["status"] == "accepted"
    )  # anyone of the company
    assert (
        step(client, shop, oid, "receive", "lab", {"received_samples": 5}).json["received_samples"]
        == 5
    )
    assert step(client, shop, oid, "start", "lab").json["status"] == "in_analysis"
    assert (
        step(client, shop, oid, "deliver", "lab").json["error"]["code"] == "invalid_state"
    )  # no results yet
    assert upload(client, shop, oid).status_code == 201
    assert step(client, shop, oid, "deliver", "lab").json["status"] == "delivered"
    done = step(client, shop, oid, "complete", "lab", {"measured_samples": 5})
    assert done.json["status"] == "completed" and done.json["measured_samples"] == 5
    charges = client.get("/api/v1/charges", headers=shop["cust"]).json["items"]
    assert sorted((c["kind"], c["quantity"], c["amount"]) for c in charges) == [
        ("sample_testing", "1", "150.50"),
        ("sample_testing", "5", "1400.00"),  # measured, not sent
    ]
    history = client.get(f"/api/v1/orders/{oid}/history", headers=shop["cust"]).json["items"]
    assert [h["to_status"] for h in history] == [
        "submitted",
        "quoted",
        "accepted",
        "received",
        "in_analysis",
        "delivered",
        "completed",
    ]


def test_rate_card_quote_when_the_lab_gives_no_lines(client, shop):
    oid = submit(client, shop).json["id"]
    quoted = step(client, shop, oid, "quote", "lab", {})
    assert (
        quoted.json["quote_total"] == "1680.00"
        and quoted.json["quote_lines"][0]["per_sample"] is True
    )


def test_no_quote_step_accepts_at_list_price(client, shop):
    shop["instrument"].sample_quote_required = False
    db.session.commit()
    order = submit(client, shop).json
    assert order["status"] == "accepted" and order["quote_total"] == "1680.00"


def test_generated_words_are_in_the_language_of_whoever_caused_them(client, shop):
    shop["instrument"].sample_quote_required = False
    db.session.commit()
    chinese = submit(client, shop).json
    assert chinese["quote_lines"][0]["description"] == "每样品"
    shop["customer"].locale = "en"
    db.session.commit()
    english = submit(client, shop).json
    assert english["quote_lines"][0]["description"] == "per sample"
    oid = chinese["id"]
    step(client, shop, oid, "receive", "lab", {"received_samples": 6})
    step(client, shop, oid, "start", "lab")
    upload(client, shop, oid)
    step(client, shop, oid, "deliver", "lab")
    step(client, shop, oid, "complete", "lab", {"measured_samples": 6})
    history = client.get(f"/api/v1/orders/{oid}/history", headers=shop["cust"]).json["items"]
    # the counts live on the order; a note is what a person wrote
    assert len(history) == 6 and all(event["note"] == "" for event in history)
    charges = client.get("/api/v1/charges", headers=shop["cust"]).json["items"]
    assert [c["description"] for c in charges] == ["电感耦合等离子体质谱仪 · 每样品"]


def test_instrument_without_sample_service_is_422(client, make, shop):
    plain = make.instrument(manager=shop["manager"], accepts_samples=False)
    response = submit(client, shop, instrument_id=plain.id)
    assert response.status_code == 422
    assert response.json["error"]["violations"][0]["code"] == "no_sample_service"
    assert submit(client, shop, tracking_number="").status_code == 400  # a courier needs tracking
    assert submit(client, shop, samples=0).status_code == 400


@pytest.mark.parametrize("action", [a for a in OrderAction if a not in (OrderAction.QUOTE,)])
def test_each_illegal_transition_from_submitted_is_409(client, shop, action):
    oid = submit(client, shop).json["id"]
    if (OrderStatus.SUBMITTED, action) in TRANSITIONS:
        return
    who = (
        "cust" if action in (OrderAction.ACCEPT, OrderAction.DECLINE, OrderAction.CANCEL) else "lab"
    )
    body = (
        {"received_samples": 1}
        if action == OrderAction.RECEIVE
        else {"measured_samples": 1}
        if action == OrderAction.COMPLETE
        else {}
    )
    response = step(client, shop, oid, action.value, who, body)
    assert response.status_code == 409 and response.json["error"]["code"] == "invalid_state"


def test_final_states_refuse_everything(client, shop):
    cancelled = submit(client, shop).json["id"]
    step(client, shop, cancelled, "cancel", "cust")
    declined = submit(client, shop).json["id"]
    step(client, shop, declined, "quote", "lab")
    step(client, shop, declined, "decline", "cust")
    for oid in (cancelled, declined):
        for action, who in (
            ("quote", "lab"),
            ("accept", "cust"),
            ("cancel", "cust"),
            ("start", "lab"),
        ):
            assert step(client, shop, oid, action, who).status_code == 409


def test_sides_may_only_do_their_own_steps(client, shop):
    oid = submit(client, shop).json["id"]
    assert step(client, shop, oid, "quote", "cust").status_code == 403
    step(client, shop, oid, "quote", "lab")
    assert step(client, shop, oid, "accept", "lab").status_code == 403


def test_visibility_of_orders_and_results(client, make, shop, token_for):
    oid = submit(client, shop).json["id"]
    stranger = token_for(make.user("enterprise"))
    other_lab = token_for(make.user("manager"))
    for headers in (stranger, other_lab):
        assert client.get(f"/api/v1/orders/{oid}", headers=headers).status_code == 404
    assert client.get("/api/v1/orders", headers=stranger).json["items"] == []
    assert [o["id"] for o in client.get("/api/v1/orders", headers=shop["lab"]).json["items"]] == [
        oid
    ]
    step(client, shop, oid, "quote", "lab")
    step(client, shop, oid, "accept", "cust")
    step(client, shop, oid, "receive", "lab", {"received_samples": 6})
    file_id = upload(client, shop, oid).json["id"]
    url = f"/api/v1/orders/{oid}/results/{file_id}"
    assert client.get(url, headers=shop["cust"]).data == PDF
    assert client.get(url, headers=shop["colleague"]).status_code == 200
    assert client.get(url, headers=stranger).status_code == 404
    assert client.get(url, headers=other_lab).status_code == 404
    assert upload(client, shop, oid, who="cust").status_code == 403


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("result.exe", b"MZ\x90\x00", "type refused"),
        ("result.pdf", b"<html>not a pdf</html>", "content does not match type"),
        ("result.png", PDF, "content does not match type"),
        ("result.csv", b"\xff\xfe\x00bad", "not text"),
        ("result.pdf", b"", "empty"),
        ("result.pdf", b"%PDF" + b"0" * (20 * 1024 * 1024), "too large"),
    ],
)
def test_refused_uploads(client, shop, name, data, problem):
    oid = submit(client, shop).json["id"]
    step(client, shop, oid, "quote", "lab")
    step(client, shop, oid, "accept", "cust")
    step(client, shop, oid, "receive", "lab", {"received_samples": 6})
    response = upload(client, shop, oid, name=name, data=data)
    assert response.status_code == 400
    assert response.json["error"]["fields"]["file"] == [problem]


def test_runs_are_bookings_under_every_rule(client, shop):
    oid = submit(client, shop).json["id"]
    day = next_weekday()
    assert (
        client.post(
            f"/api/v1/orders/{oid}/runs",
            json={"start": at(day, 9), "end": at(day, 11)},
            headers=shop["lab"],
        ).status_code
        == 409
    )
    step(client, shop, oid, "quote", "lab")
    step(client, shop, oid, "accept", "cust")
    run = client.post(
        f"/api/v1/orders/{oid}/runs",
        json={"start": at(day, 9), "end": at(day, 11)},
        headers=shop["lab"],
    )
    assert run.status_code == 201 and run.json["purpose"] == f"送样检测 #{oid}"
    clash = client.post(
        f"/api/v1/orders/{oid}/runs",
        json={"start": at(day, 10), "end": at(day, 12)},
        headers=shop["lab"],
    )
    assert clash.status_code == 409 and clash.json["error"]["code"] == "conflict"
    assert (
        client.post(
            f"/api/v1/orders/{oid}/runs",
            json={"start": at(day, 13), "end": at(day, 14)},
            headers=shop["cust"],
        ).status_code
        == 403
    )


def test_completion_in_a_closed_month_is_refused_whole(client, make, shop, token_for):
    from sharing.billing.services import month_of
    from sharing.util.timeutil import utcnow

    oid = submit(client, shop).json["id"]
    for action, body in (
        ("quote", {}),
        ("accept", {}),
        ("receive", {"received_samples": 6}),
        ("start", {}),
    ):
        step(client, shop, oid, action, "cust" if action == "accept" else "lab", body)
    upload(client, shop, oid)
    step(client, shop, oid, "deliver", "lab")
    # Only months that have ended close: the lab completes it as of a day of last month.
    last_month_day = utcnow().replace(day=1) - timedelta(days=3)
    admin = token_for(make.admin())
    closing = client.post(f"/api/v1/statements/{month_of(last_month_day)}/close", headers=admin)
    assert closing.status_code == 200
    order = db.session.get(Order, oid)
    with pytest.raises(Conflict) as refused:
        complete_order(shop["manager"], order, 6, now=last_month_day)
    assert refused.value.code == "closed_period"
    db.session.rollback()
    assert client.get(f"/api/v1/orders/{oid}", headers=shop["cust"]).json["status"] == "delivered"
    assert db.session.scalar(select(Charge.id)) is None


def test_lab_runs_need_no_approval(client, shop):
    shop["instrument"].requires_approval = True
    db.session.commit()
    oid = submit(client, shop).json["id"]
    step(client, shop, oid, "quote", "lab")
    step(client, shop, oid, "accept", "cust")
    day = next_weekday()
    run = client.post(
        f"/api/v1/orders/{oid}/runs",
        json={"start": at(day, 9), "end": at(day, 10)},
        headers=shop["lab"],
    )
    assert run.json["status"] == "approved"
