"""Instrument endpoints: search, records, create/patch rights, qualified users, list rules."""

from decimal import Decimal

import pytest

from sharing.extensions import db
from tests.conftest import count_queries
from tests.fixtures.catalog import bulk_instruments


def _instrument_body(**overrides):
    body = {
        "name": "场发射扫描电镜",
        "name_en": "FE-SEM",
        "category": "electron-microscopy",
        "model": "Sigma 500",
        "manufacturer": "Zeiss",
        "original_value": "3200000.00",
        "requires_approval": True,
        "rules": {
            "slot_minutes": 30,
            "max_minutes": 240,
            "open_hours": [{"weekday": 0, "start": "08:00", "end": "20:00"}],
        },
        "rates": [
            {"category": "internal", "unit": "hour", "price": "300.00"},
            {"category": "academic", "unit": "hour", "price": "400.00"},
            {"category": "enterprise", "unit": "sample", "price": "1280.50"},
        ],
        "billing": {"increment_minutes": 15, "late_cancel_share": "0.25"},
    }
    body.update(overrides)
    return body


def test_manager_creates_instrument_in_own_org(client, make, token_for):
    manager = make.user("manager")
    response = client.post(
        "/api/v1/instruments", json=_instrument_body(), headers=token_for(manager)
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["organisation"] == manager.organisation.slug
    assert body["category"] == "electron-microscopy"
    assert body["original_value"] == "3200000.00"
    assert body["rules"] == {
        "slot_minutes": 30,
        "min_minutes": 30,
        "max_minutes": 240,
        "notice_hours": 2,
        "horizon_days": 90,
        "buffer_minutes": 0,
        "max_future_bookings": None,
        "max_hours_per_week": None,
        "open_hours": [{"weekday": 0, "start": "08:00", "end": "20:00"}],
        # A day instrument's (api.md, "Sea-going equipment"); their defaults for any other.
        "min_days": 1,
        "max_days": 30,
        "turnaround_days": 0,
    }
    assert body["booking_unit"] == "slot" and body["deposit"] == "0.00"
    assert body["replacement_value"] is None and body["insurance_required"] is False
    assert {"category": "academic", "unit": "hour", "price": "400.00"} in body["rates"]
    assert {"category": "enterprise", "unit": "sample", "price": "1280.50"} in body["rates"]
    assert body["sample_quote_required"] is True
    assert body["billing"] == {
        "increment_minutes": 15,
        "minimum_quantity": "0.00",
        "cancel_window_hours": 24,
        "late_cancel_share": "0.25",
        "no_show_share": "1.00",
        "no_show_grace_minutes": 30,
        "check_in_window_minutes": 30,
    }
    fetched = client.get(f"/api/v1/instruments/{body['id']}").json
    assert fetched == body


def test_admin_names_the_organisation(client, make, token_for):
    org = make.org(slug="ndsc")
    admin = make.admin()
    missing = client.post("/api/v1/instruments", json=_instrument_body(), headers=token_for(admin))
    assert missing.status_code == 400
    assert "organisation" in missing.json["error"]["fields"]
    response = client.post(
        "/api/v1/instruments", json=_instrument_body(organisation="ndsc"), headers=token_for(admin)
    )
    assert response.status_code == 201
    assert response.json["organisation"] == org.slug


@pytest.mark.parametrize("role", ["researcher", "enterprise"])
def test_non_managers_cannot_create(client, make, token_for, role):
    user = make.user(role)
    response = client.post("/api/v1/instruments", json=_instrument_body(), headers=token_for(user))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_anonymous_writes_are_401(client, make):
    instrument = make.instrument()
    for method, url in [
        ("post", "/api/v1/instruments"),
        ("patch", f"/api/v1/instruments/{instrument.id}"),
        ("post", f"/api/v1/instruments/{instrument.id}/qualified-users"),
        ("delete", f"/api/v1/instruments/{instrument.id}/qualified-users/1"),
        ("post", "/api/v1/me/calendar-token"),
    ]:
        response = getattr(client, method)(url, json={})
        assert response.status_code == 401, url
        assert response.json["error"]["code"] == "unauthorized"


def test_manager_of_another_org_gets_403(client, make, token_for):
    instrument = make.instrument()
    outsider = make.user("manager")
    response = client.patch(
        f"/api/v1/instruments/{instrument.id}",
        json={"name": "hijacked"},
        headers=token_for(outsider),
    )
    assert response.status_code == 403
    db.session.refresh(instrument)
    assert instrument.name != "hijacked"


def test_patch_changes_only_what_it_names(client, make, token_for):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager, rules={"buffer_minutes": 15, "notice_hours": 4})
    response = client.patch(
        f"/api/v1/instruments/{instrument.id}",
        json={"rules": {"max_minutes": 120}, "status": "maintenance"},
        headers=token_for(manager),
    )
    assert response.status_code == 200, response.json
    rules = response.json["rules"]
    assert (rules["max_minutes"], rules["buffer_minutes"], rules["notice_hours"]) == (120, 15, 4)
    assert response.json["status"] == "maintenance"
    assert len(response.json["rates"]) == 3  # rates left out stay as they were


def test_patch_replaces_rates_and_open_hours(client, make, token_for):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager)
    response = client.patch(
        f"/api/v1/instruments/{instrument.id}",
        json={
            "rates": [{"category": "academic", "unit": "hour", "price": "250.00"}],
            "rules": {"open_hours": [{"weekday": 4, "start": "20:00", "end": "02:00"}]},
        },
        headers=token_for(manager),
    )
    assert response.status_code == 200, response.json
    assert response.json["rates"] == [{"category": "academic", "unit": "hour", "price": "250.00"}]
    assert response.json["rules"]["open_hours"] == [
        {"weekday": 4, "start": "20:00", "end": "02:00"}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rates": [{"category": "academic", "unit": "hour", "price": 1.5}]}, "rates"),
        ({"rates": [{"category": "academic", "unit": "hour", "price": "1.005"}]}, "rates"),
        ({"rates": [{"category": "academic", "unit": "hour", "price": "400"}]}, "rates"),
        ({"rates": [{"category": "academic", "unit": "hour", "price": 400}]}, "rates"),
        ({"rates": [{"category": "academic", "unit": "hour", "price": "4e2"}]}, "rates"),
        ({"billing": {"late_cancel_share": "0.505"}}, "billing"),
        ({"rules": {"slot_minutes": "30"}}, "rules"),
        ({"rules": {"slot_minutes": 30.0}}, "rules"),
        ({"rates": [{"category": "vip", "unit": "hour", "price": "1"}]}, "rates"),
        ({"rules": {"slot_minutes": 0}}, "rules"),
        ({"rules": {"open_hours": [{"weekday": 7, "start": "08:00", "end": "09:00"}]}}, "rules"),
        ({"rules": {"open_hours": [{"weekday": 1, "start": "8am", "end": "09:00"}]}}, "rules"),
        ({"billing": {"no_show_share": "1.5"}}, "billing"),
        ({"category": "astrology"}, "category"),
        ({"status": "broken"}, "status"),
        ({"name": ""}, "name"),
        ({"original_value": "-5"}, "original_value"),
    ],
)
def test_bad_instrument_fields_are_400_with_the_field_named(client, make, token_for, body, field):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager)
    response = client.patch(
        f"/api/v1/instruments/{instrument.id}", json=body, headers=token_for(manager)
    )
    assert response.status_code == 400, response.json
    assert response.json["error"]["code"] == "bad_request"
    assert field in response.json["error"]["fields"]


def test_inconsistent_rules_are_400_and_nothing_changes(client, make, token_for):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager)
    response = client.patch(
        f"/api/v1/instruments/{instrument.id}",
        json={"name": "changed", "rules": {"min_minutes": 120, "max_minutes": 60}},
        headers=token_for(manager),
    )
    assert response.status_code == 400
    assert "max_minutes" in response.json["error"]["fields"]
    db.session.expire_all()
    assert db.session.get(type(instrument), instrument.id).name != "changed"


def test_duplicate_rates_are_refused(client, make, token_for):
    manager = make.user("manager")
    rate = {"category": "academic", "unit": "hour", "price": "1.00"}
    response = client.post(
        "/api/v1/instruments", json=_instrument_body(rates=[rate, rate]), headers=token_for(manager)
    )
    assert response.status_code == 400
    assert response.json["error"]["fields"] == {"rates": ["duplicate"]}


def test_unknown_instrument_is_404(client):
    response = client.get("/api/v1/instruments/999999")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "query", ["per_page=1000", "per_page=0", "page=0", "page=abc", "per_page=x", "page=-1"]
)
def test_bad_pagination_is_400(client, query):
    response = client.get(f"/api/v1/instruments?{query}")
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "bad_request"
    assert set(error["fields"]) & {"page", "per_page"}


def test_search_in_chinese_and_english(client, make):
    org = make.org()
    manager = make.user("manager", org)
    make.instrument(
        manager=manager, name="液相色谱-质谱联用仪", name_en="LC-MS", category="mass-spectrometry"
    )
    make.instrument(
        manager=manager,
        name="电感耦合等离子体质谱仪",
        name_en="ICP-MS",
        category="mass-spectrometry",
    )
    make.instrument(
        manager=manager,
        name="扫描电镜",
        name_en="Scanning electron microscope",
        category="electron-microscopy",
        specifications="分辨率 0.8 nm",
    )

    def names(q):
        return sorted(i["name"] for i in client.get(f"/api/v1/instruments?q={q}").json["items"])

    assert names("质谱") == ["液相色谱-质谱联用仪", "电感耦合等离子体质谱仪"]
    assert names("electron") == ["扫描电镜"]
    assert names("ICP-MS") == ["电感耦合等离子体质谱仪"]
    assert names("0.8 nm") == ["扫描电镜"]
    assert names("质谱 ICP") == ["电感耦合等离子体质谱仪"]  # every word must match
    assert names("100%") == []  # LIKE wildcards are literal


def test_filters_by_category_organisation_status_and_price(client, make):
    lab = make.org(slug="lab-a")
    other = make.org(slug="lab-b")
    cheap = make.instrument(
        org=lab,
        category="nmr",
        rates=[{"category": "academic", "unit": "hour", "price": Decimal("50")}],
    )
    make.instrument(
        org=other,
        category="nmr",
        rates=[{"category": "academic", "unit": "hour", "price": Decimal("500")}],
    )
    retired = make.instrument(org=lab, category="x-ray", status="retired")

    def ids(query):
        return [i["id"] for i in client.get(f"/api/v1/instruments?{query}").json["items"]]

    assert len(ids("category=nmr")) == 2
    assert ids("category=nmr&organisation=lab-a") == [cheap.id]
    assert ids("max_price=100") == [cheap.id]
    assert len(ids("min_price=100&category=nmr")) == 1
    assert retired.id not in ids("")  # retired instruments leave the default catalog
    assert ids("status=retired") == [retired.id]


STATEMENTS: list[str] = []  # the last count's statements, for the failure message


def api_list_queries(client, count: int) -> int:
    with count_queries() as statements:
        response = client.get("/api/v1/instruments?per_page=100")
    assert response.status_code == 200
    assert len(response.json["items"]) == min(100, count)
    STATEMENTS[:] = [" ".join(s.split())[:60] for s in statements]
    return len(statements)


def test_list_query_count_does_not_grow(client, make):
    manager = make.user("manager")
    bulk_instruments(manager, 10)
    at_ten = api_list_queries(client, 10)
    bulk_instruments(manager, 490, start=10)
    at_five_hundred = api_list_queries(client, 500)
    # The version behind the ETag, the page's ids, the count, the records, then their open
    # hours, rates, photos and rating summaries: one statement each, whatever the page holds;
    # on PostgreSQL one more first, the search's planner setting (dbsetup.plan_for_its_parameters).
    planned = db.engine.dialect.name == "postgresql"
    assert at_ten == at_five_hundred <= 8 + planned, STATEMENTS
    assert any("plan_cache_mode" in s for s in STATEMENTS) == planned, STATEMENTS


def test_qualified_users(client, make, token_for):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager, requires_training=True)
    trainee = make.user("researcher")
    headers = token_for(manager)
    url = f"/api/v1/instruments/{instrument.id}/qualified-users"
    created = client.post(url, json={"user_id": trainee.id}, headers=headers)
    assert created.status_code == 201
    assert created.json["user_id"] == trainee.id
    assert (
        client.post(url, json={"user_id": trainee.id}, headers=headers).json["error"]["code"]
        == "duplicate"
    )
    assert client.post(url, json={"user_id": 99999}, headers=headers).status_code == 404
    assert client.post(url, json={"user_id": "abc"}, headers=headers).status_code == 400
    outsider = token_for(make.user("manager"))
    assert client.post(url, json={"user_id": trainee.id}, headers=outsider).status_code == 403
    assert client.delete(f"{url}/{trainee.id}", headers=headers).status_code == 204
    assert client.delete(f"{url}/{trainee.id}", headers=headers).status_code == 404


def test_session_writes_need_the_csrf_token(database_url, make):
    from sharing import create_app
    from tests.conftest import base_config

    app = create_app(base_config(database_url, WTF_CSRF_ENABLED=True))
    manager = make.user("manager")
    client = app.test_client()
    login_page = client.get("/login")
    token = _csrf_from(login_page.data)
    assert (
        client.post(
            "/login", data={"email": manager.email, "password": make.PASSWORD, "csrf_token": token}
        ).status_code
        == 302
    )
    refused = client.post("/api/v1/instruments", json=_instrument_body())
    assert refused.status_code == 403
    accepted = client.post(
        "/api/v1/instruments", json=_instrument_body(), headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 201
    app.extensions["sqlalchemy"].engine.dispose()


def _csrf_from(html: bytes) -> str:
    import re

    return re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1).decode()
