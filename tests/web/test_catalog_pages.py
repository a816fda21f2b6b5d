"""Catalog pages: search, the instrument page, editing rights, organisation and admin pages."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from sharing.auth.models import Role, User
from sharing.extensions import db
from sharing.instruments.models import Instrument, InstrumentStatus
from sharing.orgs.models import Organisation
from tests.conftest import count_queries
from tests.fixtures.catalog import bulk_instruments


def test_chinese_search_finds_the_mass_spectrometers(client, make):
    org = make.org()
    make.instrument(org=org, name="高分辨液相色谱-质谱联用仪", category="mass-spectrometry")
    make.instrument(org=org, name="电感耦合等离子体质谱仪", category="mass-spectrometry")
    make.instrument(org=org, name="透射电子显微镜", category="electron-microscopy")
    page = client.get("/instruments?q=质谱").get_data(as_text=True)
    assert "高分辨液相色谱-质谱联用仪" in page and "电感耦合等离子体质谱仪" in page
    assert "透射电子显微镜" not in page
    assert "共找到 2 台仪器" in page


def test_the_organisation_filter_offers_the_organisations_with_instruments(client, make):
    owner = make.org(name="海洋仪器研究所")
    make.instrument(org=owner, name="多波束测深系统")
    make.org(kind="enterprise", name="即墨服装有限公司")  # visited by the survey, owns nothing
    page = client.get("/instruments").get_data(as_text=True)
    assert f'<option value="{owner.slug}" >海洋仪器研究所</option>' in page
    assert "即墨服装有限公司" not in page


def test_filters_and_pagination(client, make):
    manager = make.user("manager")
    bulk_instruments(manager, 45)
    first = client.get("/instruments?category=chromatography").get_data(as_text=True)
    assert "共找到 45 台仪器" in first
    assert first.count('class="card mb-3 instrument-card"') == 20
    third = client.get("/instruments?category=chromatography&page=3").get_data(as_text=True)
    assert third.count('class="card mb-3 instrument-card"') == 5
    assert client.get("/instruments?page=abc").status_code == 200  # falls back to page 1
    priced = client.get("/instruments?max_price=4&min_price=2").get_data(as_text=True)
    assert "共找到 3 台仪器" in priced
    garbage = client.get("/instruments?min_price=abc&status=nonsense")
    assert garbage.status_code == 200


def test_instrument_page_shows_the_viewers_rate(client, make, login):
    owner = make.org(slug="owner-lab")
    instrument = make.instrument(org=owner, requires_training=True, specifications="分辨率 0.8 nm")
    anonymous = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert "分辨率 0.8 nm" in anonymous and "您的价格" not in anonymous
    login(make.user("enterprise"))
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    row = page.split("您的价格")[0].rsplit("<tr", 1)[1]
    assert "企业" in row
    assert "¥300.00" in page.split("您的价格")[1].split("</tr>")[0]
    assert "仅限经培训授权的用户预约" in page


def test_instrument_page_in_english(client, make):
    instrument = make.instrument(name="扫描电镜", name_en="Scanning electron microscope")
    client.set_cookie("lang", "en")
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert '<h1 class="h3 mb-1">Scanning electron microscope</h1>' in page
    assert "Booking rules" in page


def test_unknown_instrument_page_is_404(client):
    assert client.get("/instruments/424242").status_code == 404


def test_manager_edits_own_instrument_but_not_anothers(client, make, login):
    manager = make.user("manager")
    own = make.instrument(manager=manager)
    foreign = make.instrument()
    login(manager)
    assert client.get(f"/instruments/{foreign.id}/edit").status_code == 403
    assert client.post(f"/instruments/{foreign.id}/edit", data={"name": "x"}).status_code == 403
    form = client.get(f"/instruments/{own.id}/edit")
    assert form.status_code == 200
    data = _form_data(own, name="改名后的质谱仪", rate_academic_hour="450.00", open_0="09:00-17:00")
    response = client.post(f"/instruments/{own.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    changed = db.session.get(Instrument, own.id)
    assert changed.name == "改名后的质谱仪"
    assert {(r.category.value, r.price) for r in changed.rates} >= {("academic", Decimal("450.00"))}
    assert [(w.weekday, w.start_minute, w.end_minute) for w in changed.open_hours] == [
        (0, 540, 1020)
    ]


def test_edit_form_shows_errors_in_place(client, make, login):
    manager = make.user("manager")
    own = make.instrument(manager=manager)
    login(manager)
    data = _form_data(own, open_2="nine to five", min_minutes="120", max_minutes="60")
    response = client.post(f"/instruments/{own.id}/edit", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "请按 08:00-12:00, 13:00-20:00 的格式填写。" in page


def test_rules_that_do_not_fit_are_shown_on_the_form(client, make, login):
    manager = make.user("manager")
    own = make.instrument(manager=manager)
    login(manager)
    response = client.post(
        f"/instruments/{own.id}/edit", data=_form_data(own, min_minutes="120", max_minutes="60")
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "预约规则相互矛盾" in page and "不得短于最短预约时长" in page  # the field's own reason


def test_manager_adds_an_instrument_through_the_form(client, make, login):
    manager = make.user("manager")
    login(manager)
    assert client.get("/instruments/new").status_code == 200
    data = {
        "name": "新购拉曼光谱仪",
        "category": "spectroscopy",
        "status": "available",
        "slot_minutes": "30",
        "min_minutes": "30",
        "max_minutes": "240",
        "notice_hours": "2",
        "horizon_days": "60",
        "increment_minutes": "30",
        "always_open": "y",
        "rate_academic_hour": "120",
        "rate_enterprise_sample": "80.5",
    }
    response = client.post("/instruments/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    created = db.session.scalar(select(Instrument).where(Instrument.name == "新购拉曼光谱仪"))
    assert created.organisation_id == manager.organisation_id
    assert created.open_hours == []
    assert sorted((r.category.value, r.unit.value, r.price) for r in created.rates) == [
        ("academic", "hour", Decimal("120.00")),
        ("enterprise", "sample", Decimal("80.50")),
    ]


@pytest.mark.parametrize("role", ["researcher", "enterprise"])
def test_non_managers_cannot_add_instruments(client, make, login, role):
    login(make.user(role))
    assert client.get("/instruments/new").status_code == 403


def test_qualified_users_page(client, make, login):
    manager = make.user("manager")
    instrument = make.instrument(manager=manager, requires_training=True)
    trainee = make.user("researcher", email="trainee@example.org")
    login(manager)
    client.post(
        f"/instruments/{instrument.id}/qualified",
        data={"email": "trainee@example.org", "action": "add"},
    )
    page = client.get(f"/instruments/{instrument.id}/qualified").get_data(as_text=True)
    assert "trainee@example.org" in page
    client.post(
        f"/instruments/{instrument.id}/qualified",
        data={"email": "trainee@example.org", "action": "remove"},
    )
    assert "trainee@example.org" not in client.get(
        f"/instruments/{instrument.id}/qualified"
    ).get_data(as_text=True)
    unknown = client.post(
        f"/instruments/{instrument.id}/qualified",
        data={"email": "ghost@example.org"},
        follow_redirects=True,
    )
    assert "没有使用 ghost@example.org 的账号" in unknown.get_data(as_text=True)
    assert trainee.id


def test_organisation_pages(client, make):
    org = make.org(slug="fio", name="第一海洋研究所")
    make.instrument(org=org, name="温盐深剖面仪")
    assert "第一海洋研究所" in client.get("/organisations").get_data(as_text=True)
    page = client.get("/organisations/fio").get_data(as_text=True)
    assert "温盐深剖面仪" in page
    assert "有效工作机时" not in page  # no instrument of 500,000 yuan or more yet
    make.instrument(org=org, name="全海深多波束", original_value=Decimal("15000000.00"))
    page = client.get("/organisations/fio").get_data(as_text=True)
    assert "有效工作机时" in page and 'id="chart-large"' in page
    assert client.get("/organisations/nowhere").status_code == 404


def test_admin_pages_are_for_admins_only(client, make, login):
    login(make.user("manager"))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/organisations").status_code == 403


def test_admin_creates_orgs_and_appoints_managers(client, make, login):
    admin = make.admin()
    login(admin)
    response = client.post(
        "/admin/organisations",
        data={"slug": "heu-qd", "name": "哈工程青岛基地", "kind": "university"},
    )
    assert response.status_code == 302
    duplicate = client.post(
        "/admin/organisations", data={"slug": "heu-qd", "name": "X", "kind": "university"}
    )
    assert duplicate.status_code == 400
    response = client.post(
        "/admin/users",
        data={
            "name": "冯磊",
            "email": "feng@heu.example",
            "password": "manager-2026",
            "role": "manager",
            "organisation": "heu-qd",
        },
    )
    assert response.status_code == 302
    manager = db.session.scalar(select(User).where(User.email == "feng@heu.example"))
    assert manager.role == Role.MANAGER
    assert manager.organisation.slug == "heu-qd"
    client.post(f"/admin/users/{manager.id}", data={"role": "researcher"})
    client.post(f"/admin/users/{manager.id}", data={"active": "0"})
    db.session.refresh(manager)
    assert manager.role == Role.RESEARCHER and manager.active is False
    client.post(f"/admin/users/{admin.id}", data={"active": "0"})
    db.session.refresh(admin)
    assert admin.active is True  # admins cannot lock themselves out
    assert (
        db.session.scalar(select(Organisation).where(Organisation.slug == "heu-qd")).kind.value
        == "university"
    )


def _form_data(instrument, **changes) -> dict:
    data = {
        "name": instrument.name,
        "name_en": instrument.name_en,
        "category": instrument.category.slug,
        "status": InstrumentStatus.AVAILABLE.value,
        "slot_minutes": "30",
        "min_minutes": "30",
        "max_minutes": "480",
        "notice_hours": "2",
        "horizon_days": "90",
        "increment_minutes": "30",
        "late_cancel_share": "0.50",
        "no_show_share": "1.00",
        "cancel_window_hours": "24",
    }
    data.update(changes)
    return data


def catalog_queries(client, count: int) -> int:
    with count_queries() as statements:
        response = client.get("/instruments")
    assert response.status_code == 200
    assert f"共找到 {count} 台仪器" in response.get_data(as_text=True)
    return len(statements)


def test_catalog_page_query_count_does_not_grow(client, make):
    manager = make.user("manager")
    bulk_instruments(manager, 10)
    at_ten = catalog_queries(client, 10)
    bulk_instruments(manager, 490, start=10)
    assert catalog_queries(client, 500) == at_ten


def test_catalog_sorts_by_the_name_in_the_readers_language(client, make):
    org = make.org()
    make.instrument(org=org, name="啊质谱", name_en="Zeta mass spectrometer")
    make.instrument(org=org, name="质谱仪", name_en="Alpha mass spectrometer")
    chinese = client.get("/instruments").get_data(as_text=True)
    assert chinese.index("啊质谱") < chinese.index("质谱仪")
    client.set_cookie("lang", "en")
    english = client.get("/instruments").get_data(as_text=True)
    assert english.index("Alpha mass spectrometer") < english.index("Zeta mass spectrometer")


@pytest.mark.parametrize("path", ["/instruments", "/instruments?q=质谱", "/"])
def test_catalog_cards_read_no_open_hours_but_the_api_does(client, make, path):
    manager = make.user("manager")
    make.instrument(manager=manager, name="液相色谱质谱联用仪")
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    assert not [s for s in statements if "FROM open_hours" in s]
    with count_queries() as statements:
        assert client.get("/api/v1/instruments?q=质谱").status_code == 200
    assert len([s for s in statements if "FROM open_hours" in s]) == 1


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_purchase_day_outside_the_platforms_years_is_a_form_message(client, make, login, day):
    manager = make.user("manager")
    own = make.instrument(manager=manager)
    login(manager)
    response = client.post(f"/instruments/{own.id}/edit", data=_form_data(own, purchased_on=day))
    assert response.status_code == 400
    assert "请选择 1970-01-01 至 2199-12-31 之间的日期。" in response.get_data(as_text=True)
    db.session.refresh(own)
    assert own.purchased_on is None
    kept = client.post(
        f"/instruments/{own.id}/edit", data=_form_data(own, purchased_on="2019-05-20")
    )
    assert kept.status_code == 302
    db.session.refresh(own)
    assert str(own.purchased_on) == "2019-05-20"
