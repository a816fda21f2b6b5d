"""Usage and billing through the API: charges, statements, CSV, closing months, visibility."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from sharing.billing.models import Charge
from sharing.billing.services import sweep_no_shows
from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking, Suspension
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.billing import walk_in
from tests.fixtures.bookings import SHANGHAI


def test_usage_makes_a_charge_with_its_price(client, lab):
    booking, start = walk_in(client, lab)
    end = start + timedelta(hours=2, minutes=40)
    response = client.post(
        f"/api/v1/bookings/{booking['id']}/usage",
        json={"start": start.isoformat(), "end": end.isoformat()},
        headers=lab["as_manager"],
    )
    assert response.status_code == 200, response.json
    charge = response.json["charge"]
    assert response.json["status"] == "completed"
    assert (charge["unit"], charge["quantity"], charge["unit_price"], charge["amount"]) == (
        "hour",
        "3",
        "300.00",
        "900.00",
    )
    assert (charge["kind"], charge["category"], charge["organisation"], charge["owner"]) == (
        "usage",
        "enterprise",
        "bv-biomed",
        "fio",
    )


def test_samples_use_the_per_sample_rate(client, lab):
    booking, start = walk_in(client, lab)
    response = client.post(
        f"/api/v1/bookings/{booking['id']}/usage",
        json={
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
            "samples": 6,
        },
        headers=lab["as_manager"],
    )
    assert (
        response.json["charge"]["amount"] == "1680.00"
        and response.json["charge"]["unit"] == "sample"
    )


def test_check_in_and_out(client, lab):
    booking, start = walk_in(client, lab, days_ago=0, hours=1)
    booking_id = booking["id"]
    assert (
        client.post(
            f"/api/v1/bookings/{booking_id}/check-out",
            json={"at": (start - timedelta(hours=1)).isoformat()},
            headers=lab["as_customer"],
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/api/v1/bookings/{booking_id}/check-in",
            json={"at": start.isoformat()},
            headers=lab["as_customer"],
        ).status_code
        == 200
    )
    assert (
        client.post(
            f"/api/v1/bookings/{booking_id}/check-in", headers=lab["as_customer"]
        ).status_code
        == 409
    )
    out = client.post(
        f"/api/v1/bookings/{booking_id}/check-out",
        json={"at": (start + timedelta(minutes=75)).isoformat()},
        headers=lab["as_customer"],
    )
    assert out.json["charge"]["amount"] == "450.00"  # 1.5 h: used more than booked
    assert (
        client.post(
            f"/api/v1/bookings/{booking_id}/check-out", headers=lab["as_customer"]
        ).status_code
        == 409
    )


def test_rate_change_leaves_charges_alone(client, lab):
    booking, start = walk_in(client, lab)
    client.post(
        f"/api/v1/bookings/{booking['id']}/usage",
        json={"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()},
        headers=lab["as_manager"],
    )
    client.patch(
        f"/api/v1/instruments/{lab['instrument'].id}",
        json={"rates": [{"category": "enterprise", "unit": "hour", "price": "999.00"}]},
        headers=lab["as_manager"],
    )
    [charge] = client.get("/api/v1/charges", headers=lab["as_customer"]).json["items"]
    assert (charge["unit_price"], charge["amount"]) == ("300.00", "600.00")
    # A correction keeps the price the charge was made with.
    corrected = client.post(
        f"/api/v1/bookings/{booking['id']}/usage",
        json={"start": start.isoformat(), "end": (start + timedelta(hours=3)).isoformat()},
        headers=lab["as_manager"],
    )
    assert (corrected.json["charge"]["unit_price"], corrected.json["charge"]["amount"]) == (
        "300.00",
        "900.00",
    )
    assert db.session.scalar(select(db.func.count(Charge.id))) == 1


def test_statement_subtotals_total_csv_and_visibility(client, make, lab, token_for):
    booking, start = walk_in(client, lab)
    client.post(
        f"/api/v1/bookings/{booking['id']}/usage",
        json={"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()},
        headers=lab["as_manager"],
    )
    month = start.strftime("%Y-%m")
    url = f"/api/v1/statements/bv-biomed/{month}"
    statement = client.get(url, headers=lab["as_customer"]).json
    assert statement["total"] == "600.00" and statement["status"] == "open"
    assert statement["subtotals"] == [{"owner": "fio", "amount": "600.00"}]
    assert client.get(url, headers=token_for(make.user("enterprise"))).status_code == 404
    assert client.get(url, headers=lab["as_manager"]).status_code == 404  # another organisation's
    assert client.get(url, headers=token_for(make.admin())).status_code == 200
    listing = client.get(f"/api/v1/statements?month={month}", headers=lab["as_customer"]).json[
        "items"
    ]
    assert listing == [
        {"organisation": "bv-biomed", "month": month, "total": "600.00", "status": "open"}
    ]
    download = client.get(url + ".csv", headers=lab["as_customer"])
    assert download.mimetype == "text/csv" and download.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert (
        rows[0][0] == "日期"
        and rows[1][1] == "电感耦合等离子体质谱仪"
        and rows[1][2] == "第一海洋研究所"
    )
    assert rows[-1][1] == "合计" and rows[-1][-1] == "600.00"
    assert (
        client.get("/api/v1/statements/bv-biomed/2026-13", headers=lab["as_customer"]).status_code
        == 400
    )


def test_closed_month_refuses_changes_and_adjustments_go_to_the_open_month(
    client, make, lab, token_for
):
    booking, start = walk_in(client, lab, days_ago=40)
    month = start.strftime("%Y-%m")
    admin = token_for(make.admin())
    assert (
        client.post(f"/api/v1/statements/{month}/close", headers=lab["as_manager"]).status_code
        == 403
    )
    assert client.post(f"/api/v1/statements/{month}/close", headers=admin).status_code == 200
    assert (
        client.post(f"/api/v1/statements/{month}/close", headers=admin).json["error"]["code"]
        == "closed_period"
    )
    refused = client.post(
        f"/api/v1/bookings/{booking['id']}/usage",
        json={"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()},
        headers=lab["as_manager"],
    )
    assert refused.status_code == 409 and refused.json["error"]["code"] == "closed_period"
    assert (
        db.session.get(Booking, booking["id"]).status == BookingStatus.APPROVED
    )  # nothing half-written
    credit = client.post(
        "/api/v1/adjustments",
        json={"organisation": "bv-biomed", "amount": "-120.50", "reason": "超时计费更正"},
        headers=admin,
    )
    assert credit.status_code == 201 and credit.json["amount"] == "-120.50"
    assert credit.json["date"][:7] == utcnow().astimezone(SHANGHAI).strftime("%Y-%m")
    assert (
        client.post(
            "/api/v1/adjustments",
            json={"organisation": "bv-biomed", "amount": "1.005", "reason": "x"},
            headers=admin,
        ).status_code
        == 400
    )


def test_no_show_charge_suspension_and_sweep(client, lab, app):
    lab["instrument"].organisation.no_show_limit = 2
    db.session.commit()
    ids = [walk_in(client, lab, days_ago=d)[0]["id"] for d in (3, 2)]
    # Bookings entered before their start are swept; walk-ins entered afterwards are not.
    db.session.execute(
        db.update(Booking)
        .where(Booking.id.in_(ids))
        .values(created_at=utcnow() - timedelta(days=10))
    )
    db.session.commit()
    walk_in_id = walk_in(client, lab, days_ago=1)[0]["id"]
    assert sweep_no_shows() == 2
    db.session.commit()
    statuses = {b.id: b.status for b in db.session.scalars(select(Booking))}
    assert [statuses[i] for i in ids] == [BookingStatus.NO_SHOW, BookingStatus.NO_SHOW]
    assert statuses[walk_in_id] == BookingStatus.APPROVED
    charges = db.session.scalars(select(Charge).where(Charge.kind == "no_show")).all()
    assert [c.amount for c in charges] == [Decimal("600.00"), Decimal("600.00")]
    assert db.session.scalar(select(Suspension.reason)) == "90 天内爽约 2 次"  # platform language
    start = (utcnow() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    refused = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": lab["instrument"].id,
            "start": start.isoformat(),
            "end": (start + timedelta(hours=1)).isoformat(),
        },
        headers=lab["as_customer"],
    )
    assert refused.status_code == 422 and [
        v["code"] for v in refused.json["error"]["violations"]
    ] == ["suspended"]


def test_late_cancellation_fee(client, lab):
    start = (utcnow() + timedelta(hours=5)).replace(minute=0, second=0, microsecond=0)
    body = {
        "instrument_id": lab["instrument"].id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=2)).isoformat(),
    }
    booking = client.post("/api/v1/bookings", json=body, headers=lab["as_customer"]).json
    client.post(f"/api/v1/bookings/{booking['id']}/cancel", headers=lab["as_customer"])
    [fee] = client.get("/api/v1/charges", headers=lab["as_customer"]).json["items"]
    assert (fee["kind"], fee["amount"]) == ("late_cancellation", "300.00")  # 50 % of 600.00
    far = {
        **body,
        "start": (start + timedelta(days=5)).isoformat(),
        "end": (start + timedelta(days=5, hours=1)).isoformat(),
    }
    early = client.post("/api/v1/bookings", json=far, headers=lab["as_customer"]).json
    client.post(f"/api/v1/bookings/{early['id']}/cancel", headers=lab["as_customer"])
    assert len(client.get("/api/v1/charges", headers=lab["as_customer"]).json["items"]) == 1


def test_usage_permissions(client, make, lab, token_for):
    booking, start = walk_in(client, lab)
    body = {"start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()}
    assert (
        client.post(
            f"/api/v1/bookings/{booking['id']}/usage", json=body, headers=lab["as_customer"]
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/bookings/{booking['id']}/no-show", headers=lab["as_customer"]
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/bookings/{booking['id']}/usage",
            json=body,
            headers=token_for(make.user("manager")),
        ).status_code
        == 404
    )
    assert (
        client.get(
            "/api/v1/reports/utilisation?from=2026-01-01T00:00:00&to=2026-02-01T00:00:00",
            headers=lab["as_customer"],
        ).status_code
        == 403
    )
