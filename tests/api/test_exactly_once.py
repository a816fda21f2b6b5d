"""Exactly once, item by item: idempotency keys, months, check-in window, usage, sample counts,
sample runs, and the security leftovers of the hostile tester's list."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select

from sharing.billing.models import Charge
from sharing.bookings.models import Booking
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.billing import walk_in
from tests.fixtures.bookings import SHANGHAI
from tests.fixtures.orders import step, submit, upload


def _now_slot():
    now = utcnow().astimezone(SHANGHAI)
    return now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)


def _booking(client, lab, start, hours=1):
    body = {
        "instrument_id": lab["instrument"].id,
        "user_id": lab["customer"].id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=hours)).isoformat(),
    }
    response = client.post("/api/v1/bookings", json=body, headers=lab["as_manager"])
    assert response.status_code == 201, response.json
    return response.json["id"]


# -- Idempotency-Key ------------------------------------------------------------------------


def test_a_retried_post_gets_the_first_answer_and_changes_nothing(client, lab):
    headers = {**lab["as_manager"], "Idempotency-Key": "retry-0001"}
    body = {"organisation": "bv-biomed", "amount": "10.00", "reason": "x"}
    start = _now_slot() + timedelta(days=3)
    body = {
        "instrument_id": lab["instrument"].id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    first = client.post("/api/v1/bookings", json=body, headers=headers)
    again = client.post("/api/v1/bookings", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.json == first.json
    assert db.session.scalar(select(func.count(Booking.id))) == 1


def test_the_same_key_with_another_body_is_a_mismatch(client, lab):
    headers = {**lab["as_manager"], "Idempotency-Key": "k-1"}
    start = _now_slot() + timedelta(days=3)
    body = {
        "instrument_id": lab["instrument"].id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    assert client.post("/api/v1/bookings", json=body, headers=headers).status_code == 201
    body["purpose"] = "another"
    refused = client.post("/api/v1/bookings", json=body, headers=headers)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "idempotency_mismatch"


def test_keys_are_per_user_and_malformed_keys_are_400(client, lab):
    start = _now_slot() + timedelta(days=3)
    body = {
        "instrument_id": lab["instrument"].id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=1)).isoformat(),
    }
    mine = client.post(
        "/api/v1/bookings", json=body, headers={**lab["as_manager"], "Idempotency-Key": "same"}
    )
    theirs = client.post(
        "/api/v1/bookings", json=body, headers={**lab["as_customer"], "Idempotency-Key": "same"}
    )
    assert mine.status_code == 201
    assert theirs.status_code == 409 and theirs.json["error"]["code"] == "conflict"  # ran
    for bad in ("", "x" * 65, "é", "a b"):
        response = client.post(
            "/api/v1/bookings", json=body, headers={**lab["as_manager"], "Idempotency-Key": bad}
        )
        assert response.status_code == 400, bad
        assert "Idempotency-Key" in response.json["error"]["fields"]


# -- months ---------------------------------------------------------------------------------


def test_months_are_exactly_yyyy_mm_and_only_ended_months_close(client, make, token_for):
    admin = token_for(make.admin())
    for month in ("2027-1", "２０２６-01", "2026-13", "2026-00", "202６-01", "26-01"):
        response = client.post(f"/api/v1/statements/{month}/close", headers=admin)
        assert response.status_code == 400, month
        listed = client.get(f"/api/v1/statements?month={month}", headers=admin)
        assert listed.status_code == 400, month
    this_month = utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    for month in (this_month, "2099-01"):
        refused = client.post(f"/api/v1/statements/{month}/close", headers=admin)
        assert refused.status_code == 409 and refused.json["error"]["code"] == "invalid_state"
    assert client.post("/api/v1/statements/2020-02/close", headers=admin).status_code == 200


def test_a_page_with_a_malformed_month_is_400(client, make, login):
    login(make.admin())
    assert client.get("/statements?month=２０２６-01").status_code == 400
    assert client.get("/statements?month=2026-1").status_code == 400


# -- check-in window and usage --------------------------------------------------------------


def test_check_in_opens_thirty_minutes_before_the_start(client, lab):
    tomorrow = _now_slot() + timedelta(days=1)
    booking_id = _booking(client, lab, tomorrow)
    early = client.post(f"/api/v1/bookings/{booking_id}/check-in", headers=lab["as_customer"])
    assert early.status_code == 422
    assert early.json["error"]["violations"][0]["code"] == "outside_check_in_window"
    inside = client.post(
        f"/api/v1/bookings/{booking_id}/check-in",
        json={"at": (tomorrow - timedelta(minutes=30)).isoformat()},
        headers=lab["as_customer"],
    )
    assert inside.status_code == 200


def test_check_in_after_the_end_is_refused(client, lab):
    booking, _start = walk_in(client, lab, days_ago=1, hours=1)
    late = client.post(f"/api/v1/bookings/{booking['id']}/check-in", headers=lab["as_customer"])
    assert late.status_code == 422
    assert late.json["error"]["violations"][0]["code"] == "outside_check_in_window"


def test_usage_is_not_recorded_before_the_start(client, lab):
    tomorrow = _now_slot() + timedelta(days=1)
    booking_id = _booking(client, lab, tomorrow)
    response = client.post(
        f"/api/v1/bookings/{booking_id}/usage",
        json={"start": tomorrow.isoformat(), "end": (tomorrow + timedelta(hours=1)).isoformat()},
        headers=lab["as_manager"],
    )
    assert response.status_code in (400, 409)
    assert db.session.scalar(select(func.count(Charge.id))) == 0
    no_show = client.post(f"/api/v1/bookings/{booking_id}/no-show", headers=lab["as_manager"])
    assert no_show.status_code == 409


# -- sample counts and sample runs ----------------------------------------------------------


def _delivered_order(client, shop, samples=2):
    oid = submit(client, shop, samples=samples).json["id"]
    step(client, shop, oid, "quote", "lab", {})
    step(client, shop, oid, "accept", "cust")
    return oid


def test_sample_counts_are_bounded_by_what_came_before(client, shop):
    oid = _delivered_order(client, shop, samples=2)
    negative = step(client, shop, oid, "receive", "lab", {"received_samples": -1})
    assert negative.status_code == 400
    too_many = step(client, shop, oid, "receive", "lab", {"received_samples": 5})
    assert too_many.status_code == 422
    assert too_many.json["error"]["violations"][0]["code"] == "too_many_samples"
    assert step(client, shop, oid, "receive", "lab", {"received_samples": 2}).status_code == 200
    step(client, shop, oid, "start", "lab")
    upload(client, shop, oid)
    step(client, shop, oid, "deliver", "lab")
    refused = step(client, shop, oid, "complete", "lab", {"measured_samples": 10_000})
    assert refused.status_code == 422
    assert db.session.scalar(select(func.count(Charge.id))) == 0
    explained = step(
        client, shop, oid, "complete", "lab", {"measured_samples": 3, "note": "复测一个样品"}
    )
    assert explained.status_code == 200
    assert db.session.scalar(select(func.sum(Charge.amount))) == 3 * 280


def test_a_sample_run_serves_the_customer_and_is_never_swept(client, shop, app):
    from sharing.billing.reports import large_instrument_year
    from sharing.billing.services import sweep_no_shows

    oid = _delivered_order(client, shop)
    start = _now_slot() + timedelta(days=1)
    run = client.post(
        f"/api/v1/orders/{oid}/runs",
        json={"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()},
        headers=shop["lab"],
    )
    assert run.status_code == 201, run.json
    assert run.json["order_id"] == oid and run.json["customer_organisation"] == "bv-biomed"
    assert sweep_no_shows(now=start + timedelta(hours=3)) == 0
    booking = db.session.get(Booking, run.json["id"])
    booking.used_start, booking.used_end = start, start + timedelta(hours=1)
    booking.status = booking.status.__class__("completed")
    db.session.commit()
    shop["instrument"].original_value = 800_000
    db.session.commit()
    [row] = large_instrument_year(start.astimezone(SHANGHAI).year)
    assert row["external_hours"] == row["effective_hours"] > 0
    assert row["sharing_rate"] == 1


# -- security leftovers ---------------------------------------------------------------------


def test_csv_cells_that_start_a_formula_are_neutralised(client, lab, make, token_for):
    lab["instrument"].name = '=HYPERLINK("http://evil.example","x")'
    db.session.commit()
    booking, start = walk_in(client, lab)
    client.post(
        f"/api/v1/bookings/{booking['id']}/usage",
        json={"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()},
        headers=lab["as_manager"],
    )
    month = start.astimezone(SHANGHAI).strftime("%Y-%m")
    text = client.get(
        f"/api/v1/statements/bv-biomed/{month}.csv", headers=lab["as_customer"]
    ).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://evil.example","x")' in cells


def test_changing_the_password_revokes_api_tokens(client, make, login, token_for):
    user = make.user("researcher")
    token = token_for(user)
    assert client.get("/api/v1/me", headers=token).status_code == 200
    login(user)
    response = client.post(
        "/profile/password",
        data={
            "current_password": make.PASSWORD,
            "password": "NewPassw0rd!",
            "confirm": "NewPassw0rd!",
        },
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=token).status_code == 401


def test_signing_out_ends_a_copied_session_cookie(app, make, login, client):
    user = make.user("researcher")
    login(user)
    cookie = client.get_cookie("session").value
    copy = app.test_client()
    copy.set_cookie("session", cookie)
    assert copy.get("/profile").status_code == 200
    client.post("/logout")
    assert copy.get("/profile").status_code == 302  # back to the sign-in page


def test_cancel_redirects_only_inside_the_site(client, lab, login):
    start = _now_slot() + timedelta(days=3)
    booking_id = _booking(client, lab, start)
    login(lab["manager"])
    response = client.post(
        f"/bookings/{booking_id}/cancel", data={"back": "https://evil.example/", "reason": ""}
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_admins_do_not_download_order_results(client, shop, make, token_for):
    oid = _delivered_order(client, shop)
    step(client, shop, oid, "receive", "lab", {"received_samples": 2})
    step(client, shop, oid, "start", "lab")
    file_id = upload(client, shop, oid).json["id"]
    path = f"/api/v1/orders/{oid}/results/{file_id}"
    assert client.get(path, headers=token_for(make.admin())).status_code == 404
    assert client.get(path, headers=shop["cust"]).status_code == 200
    assert client.get(path, headers=shop["lab"]).status_code == 200


def test_locked_until_is_said_in_the_platform_offset(client, make):
    user = make.user("researcher")
    for _ in range(5):
        client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "wrong-1234"})
    locked = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "x1"})
    assert locked.json["error"]["locked_until"].endswith("+08:00")


def test_feed_text_carries_no_control_characters(client, lab, login):
    lab["instrument"].name = "质谱\x0b仪\u2028二号"
    db.session.commit()
    start = _now_slot() + timedelta(days=3)
    booking_id = _booking(client, lab, start)
    body = client.get(f"/calendar/bookings/{booking_id}.ics", headers=lab["as_manager"]).get_data(
        as_text=True
    )
    assert "SUMMARY:" in body
    assert "\x0b" not in body and "\u2028" not in body


def test_the_single_booking_feed_takes_the_api_token(client, lab, make, token_for):
    start = _now_slot() + timedelta(days=3)
    booking_id = _booking(client, lab, start)
    path = f"/calendar/bookings/{booking_id}.ics"
    assert client.get(path, headers=lab["as_customer"]).status_code == 200
    assert client.get(path, headers=token_for(make.user("researcher"))).status_code == 404
    assert client.get(path).status_code == 302  # people sign in first
