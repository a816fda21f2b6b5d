"""The assessment pages: achievements recorded after completed work and confirmed by the
manager; the yearly report with its files and its one-page summary."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from sharing.assessment.models import Achievement
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import SHANGHAI, hour_ago, used_session


def completed_session(client, make, token_for):
    owner = make.org("institute")
    manager = make.user("manager", owner)
    instrument = make.instrument(
        manager=manager,
        name="透射电子显微镜",
        original_value=Decimal("8600000.00"),
        rules={"open_hours": []},
    )
    user = make.user("researcher")
    headers = token_for(manager)
    booking = used_session(client, headers, instrument, user, hour_ago(), hours=2)
    return manager, instrument, user, booking


def test_a_paper_recorded_after_the_session_is_confirmed_and_counted(
    client, login, make, token_for
):
    manager, instrument, user, booking = completed_session(client, make, token_for)
    login(user)
    client.post(f"/bookings/{booking}/rating", data={"score": "5"})
    page = client.get(f"/bookings/{booking}").get_data(as_text=True)
    assert f"/achievements/new?instrument={instrument.id}" in page
    form = client.get(f"/achievements/new?instrument={instrument.id}").get_data(as_text=True)
    assert f'<option selected value="{instrument.id}">' in form
    year = utcnow().astimezone(SHANGHAI).year
    recorded = client.post(
        "/achievements/new",
        data={
            "kind": "paper",
            "title": "纳米颗粒在海洋沉积物中的迁移",
            "year": str(year),
            "reference": "10.1021/acs.est.6b00001",
            "instrument_ids": [str(instrument.id)],
        },
    )
    assert recorded.status_code == 302, recorded.get_data(as_text=True)[:1500]
    refused = client.post(
        "/achievements/new",
        data={"kind": "paper", "title": "", "year": "1800", "instrument_ids": []},
    )
    assert refused.status_code == 400
    client.post("/logout")

    login(manager)
    waiting = client.get("/achievements?status=claimed").get_data(as_text=True)
    assert "纳米颗粒在海洋沉积物中的迁移" in waiting and "确认" in waiting
    achievement = db.session.scalar(select(Achievement))
    client.post(f"/achievements/{achievement.id}/confirm")
    db.session.refresh(achievement)
    assert achievement.status.value == "confirmed"
    report = client.get(f"/reports/assessment?year={year}").get_data(as_text=True)
    assert "透射电子显微镜" in report and "国家报表（XLSX）" in report
    assert f"/api/v1/reports/large-instruments.xlsx?year={year}" in report
    summary = client.get(f"/reports/assessment/summary?year={year}").get_data(as_text=True)
    assert "年度考核" in summary and "透射电子显微镜" in summary and "2.00" in summary


def test_the_report_is_for_managers_and_admins(client, login, make):
    login(make.user("researcher"))
    assert client.get("/reports/assessment").status_code == 403
    assert client.get("/reports/assessment/summary").status_code == 403


def test_admins_see_each_organisations_totals_and_its_summary(client, login, make, token_for):
    first = completed_session(client, make, token_for)
    second = completed_session(client, make, token_for)
    login(make.admin())
    year = utcnow().astimezone(SHANGHAI).year
    page = client.get(f"/reports/assessment?year={year}").get_data(as_text=True)
    assert 'id="per-organisation"' in page
    for manager, *_rest in (first, second):
        slug = manager.organisation.slug
        assert f"/reports/assessment/summary?year={year}&amp;organisation={slug}" in page
    slug = first[0].organisation.slug
    one = client.get(f"/reports/assessment/summary?year={year}&organisation={slug}")
    assert one.status_code == 200
    assert first[0].organisation.name in one.get_data(as_text=True)
    assert second[0].organisation.name not in one.get_data(as_text=True)
