"""The yearly assessment figures of a small year, against a hand count; the CSV and XLSX read
back in the national form's order with numbers as numbers."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from sharing.assessment.models import Achievement, AchievementKind, AchievementStatus
from sharing.assessment.yearly import NATIONAL_FIELDS, totals, yearly_report
from sharing.extensions import db
from sharing.training.models import TrainingRequest, TrainingStatus
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import SHANGHAI, used_session


@pytest.fixture
def year_of_work(client, make, token_for):
    """Hand count, for an always-open instrument of 1.2 million yuan:
    - a colleague of the owner uses it 2 h (internal: 2 h x 100 = 200 yuan);
    - a guest researcher uses it 3 h with 4 samples, then 1 h (external: 4 h, 800 yuan);
    - a company's order of 5 samples runs 2 h on it and is completed at 300 yuan a sample
      (external: 2 h, 5 samples, 1,500 yuan; the run serves the company);
    - one trainee granted this year; one confirmed paper this year (one unconfirmed, one of
      last year); the guest rates his sessions 4 and 5.
    Effective 8 h, external 6 h, sharing 0.75, samples 9, income 200 inside and 2,300 outside,
    3 people and 3 organisations served."""
    owner = make.org("institute", slug="owner-lab")
    manager = make.user("manager", owner)
    instrument = make.instrument(
        manager=manager,
        name="电感耦合等离子体质谱仪",
        original_value=Decimal("1200000.00"),
        accepts_samples=True,
        rules={"open_hours": [], "notice_hours": 0},
        rates=[
            {"category": "internal", "unit": "hour", "price": Decimal("100.00")},
            {"category": "academic", "unit": "hour", "price": Decimal("200.00")},
        ],
    )
    lab = token_for(manager)
    colleague = make.user("researcher", owner)
    guest = make.user("researcher", make.org("university", slug="guest-uni"))
    company = make.org("enterprise", slug="client-co")
    buyer = make.user("enterprise", company)
    base = (utcnow() - timedelta(days=3)).astimezone(SHANGHAI)
    base = base.replace(hour=0, minute=0, second=0, microsecond=0)

    def session(user, hour, hours, samples=None):
        start = base + timedelta(hours=hour)
        return used_session(client, lab, instrument, user, start, hours, samples)

    session(colleague, 8, 2)
    first = session(guest, 11, 3, samples=4)
    second = session(guest, 15, 1)
    buyer_headers = token_for(buyer)
    order = client.post(
        "/api/v1/orders",
        json={"instrument_id": instrument.id, "samples": 5, "delivery": "in_person"},
        headers=buyer_headers,
    ).json["id"]

    def step(action, headers, body=None):
        response = client.post(f"/api/v1/orders/{order}/{action}", json=body or {}, headers=headers)
        assert response.status_code in (200, 201), (action, response.json)
        return response.json

    step(
        "quote",
        lab,
        {
            "lines": [
                {
                    "description": "ICP-MS",
                    "quantity": "5",
                    "unit_price": "300.00",
                    "per_sample": True,
                }
            ]
        },
    )
    step("accept", buyer_headers)
    step("receive", lab, {"received_samples": 5})
    # The run is scheduled ahead, as runs are; then the days pass and it took place.
    ahead = base + timedelta(days=5, hours=18)
    run = step(
        "runs",
        lab,
        {"start": ahead.isoformat(), "end": (ahead + timedelta(hours=2)).isoformat()},
    )
    from sharing.bookings.models import Booking

    held = db.session.get(Booking, run["id"])
    held.start, held.end = base + timedelta(hours=18), base + timedelta(hours=20)
    held.blocked_until = held.end
    db.session.commit()
    usage = {"start": held.start.isoformat(), "end": held.end.isoformat()}
    used = client.post(f"/api/v1/bookings/{run['id']}/usage", json=usage, headers=lab)
    assert used.status_code == 200, used.json
    step("start", lab)
    from tests.fixtures.orders import PDF

    uploaded = client.post(
        f"/api/v1/orders/{order}/results",
        data={"file": (io.BytesIO(PDF), "result.pdf")},
        headers=lab,
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 201
    step("deliver", lab)
    step("complete", lab, {"measured_samples": 5})

    trainee = make.user("researcher")
    db.session.add(
        TrainingRequest(
            instrument_id=instrument.id, user_id=trainee.id, status=TrainingStatus.GRANTED
        )
    )
    this_year = base.year
    for year, status in (
        (this_year, AchievementStatus.CONFIRMED),
        (this_year, AchievementStatus.CLAIMED),
        (this_year - 1, AchievementStatus.CONFIRMED),
    ):
        db.session.add(
            Achievement(
                kind=AchievementKind.PAPER,
                title="近岸海水重金属的形态分析",
                year=year,
                organisation_id=guest.organisation_id,
                added_by_id=guest.id,
                status=status,
                instruments=[instrument],
            )
        )
    db.session.commit()
    guest_headers = token_for(guest)
    for booking, score in ((first, 4), (second, 5)):
        rated = client.post(
            f"/api/v1/bookings/{booking}/rating", json={"score": score}, headers=guest_headers
        )
        assert rated.status_code == 201
    return {
        "instrument": instrument,
        "year": this_year,
        "owner": owner,
        "lab": lab,
        "manager": manager,
    }


def test_the_figures_of_a_year_equal_the_hand_count(year_of_work):
    [row] = yearly_report(year_of_work["year"], year_of_work["owner"].id)
    figures = {
        key: row[key]
        for key in (
            "effective_hours",
            "external_hours",
            "sharing_rate",
            "samples",
            "internal_income",
            "external_income",
            "users_served",
            "organisations_served",
            "trainees",
            "achievements",
            "rating_average",
            "rating_count",
        )
    }
    assert figures == {
        "effective_hours": Decimal("8.00"),
        "external_hours": Decimal("6.00"),
        "sharing_rate": Decimal("0.7500"),
        "samples": 9,
        "internal_income": Decimal("200.00"),
        "external_income": Decimal("2300.00"),
        "users_served": 3,
        "organisations_served": 3,
        "trainees": 1,
        "achievements": 1,
        "rating_average": Decimal("4.5"),
        "rating_count": 2,
    }
    summed = totals([row])
    assert summed["external_income"] == Decimal("2300.00") and summed["sharing_rate"] == Decimal(
        "0.7500"
    )
    assert (
        yearly_report(year_of_work["year"] - 1, year_of_work["owner"].id)[0]["effective_hours"] == 0
    )


def test_the_api_answers_the_managers_own_and_refuses_researchers(
    client, year_of_work, make, token_for
):
    found = client.get(
        "/api/v1/reports/large-instruments",
        query_string={"year": year_of_work["year"]},
        headers=year_of_work["lab"],
    )
    assert found.status_code == 200, found.json
    [item] = found.json["items"]
    assert item["external_income"] == "2300.00" and item["rating"] == {"average": 4.5, "count": 2}
    assert item["users_served"] == 3 and item["sharing_rate"] == "0.7500"
    researcher = token_for(make.user("researcher"))
    refused = client.get(
        "/api/v1/reports/large-instruments", query_string={"year": 2026}, headers=researcher
    )
    assert refused.status_code == 403
    assert (
        client.get("/api/v1/reports/large-instruments", headers=year_of_work["lab"]).status_code
        == 400
    )


def test_csv_and_xlsx_read_back_in_the_national_order(client, year_of_work):
    args = {"year": year_of_work["year"]}
    headers = {**year_of_work["lab"], "Accept-Language": "zh-CN"}
    sheet_csv = client.get(
        "/api/v1/reports/large-instruments.csv", query_string=args, headers=headers
    )
    assert sheet_csv.status_code == 200 and sheet_csv.mimetype == "text/csv"
    text = sheet_csv.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == [column.label_zh for column in NATIONAL_FIELDS]
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["仪器名称"] == "电感耦合等离子体质谱仪"
    assert record["有效工作机时（小时）"] == "8.00" and record["对外服务收入（元）"] == "2300.00"
    assert record["共享模式"] == "对外开放共享"

    workbook = client.get(
        "/api/v1/reports/large-instruments.xlsx", query_string=args, headers=headers
    )
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == [column.label_zh for column in NATIONAL_FIELDS]
    record = dict(zip(values[0], values[1], strict=True))
    assert record["有效工作机时（小时）"] == 8 and isinstance(
        record["对外服务收入（元）"], (int, float)
    )
    assert record["对外服务收入（元）"] == 2300 and record["服务样品数"] == 9
    # Headers follow the reader's saved language.
    year_of_work["manager"].locale = "en"
    db.session.commit()
    english = client.get(
        "/api/v1/reports/large-instruments.csv", query_string=args, headers=year_of_work["lab"]
    ).get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith("Instrument,Organisation,Category code")
    assert ",Open to outside users," in english
