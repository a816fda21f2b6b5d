"""Needs pages: staff log a visit and write the need down, an institute claims it, meets and
signs; companies see their own; the public pages (impact, transfers, experts, alliance); the
milestones of an awarded challenge on its page."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sharing.extensions import db
from sharing.needs.models import Need, NeedStatus, Transfer
from sharing.util.formatting import local_today


@pytest.fixture
def people(make):
    operator = make.org("operator", slug="operator")
    company = make.org("enterprise", slug="haina-equip", name="青岛海纳海洋装备有限公司")
    institute = make.org("institute", slug="ndsc", name="国家深海基地管理中心")
    return {
        "staff": make.user("researcher", operator),
        "company": make.user("enterprise", company),
        "researcher": make.user("researcher", institute),
        "manager": make.user("manager", institute),
        "outsider": make.user("enterprise", make.org("enterprise")),
    }


def _as(client, login, user):
    client.post("/logout")
    login(user)


def test_staff_log_a_visit_then_write_the_need_and_an_institute_takes_it_to_contract(
    client, login, people
):
    today = local_today().isoformat()
    _as(client, login, people["staff"])
    logged = client.post("/visits", data={"company": "haina-equip", "date": today, "notes": "座谈"})
    assert logged.status_code == 302 and "company=haina-equip" in logged.headers["Location"]
    form = client.get(logged.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<option selected value="haina-equip">', form)
    written = client.post(
        "/needs/new",
        data={
            "company": "haina-equip",
            "title": "水下机器人的海试与作业能力验证",
            "field": "marine-equipment",
            "description": "需要深海作业验证",
        },
    )
    assert written.status_code == 302
    need = db.session.query(Need).one()
    assert need.visit_id is not None

    _as(client, login, people["researcher"])
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "以国家深海基地管理中心名义认领" in page
    client.post(f"/needs/{need.id}/claim")
    client.post(f"/needs/{need.id}/meetings", data={"date": today, "notes": "确认方案"})
    client.post(f"/needs/{need.id}/contract", data={"amount": "260000.00", "signed_on": today})
    db.session.expire_all()
    need = db.session.get(Need, need.id)
    assert need.status == NeedStatus.CONTRACTED and need.contract_amount == 260000
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "确认方案" in page and "签订合同" in page and 'data-status="contracted"' in page

    _as(client, login, people["company"])
    mine = client.get("/needs").get_data(as_text=True)
    assert "水下机器人的海试与作业能力验证" in mine and "国家深海基地管理中心" in mine


def test_the_need_page_says_who_could_answer_in_words_grouped_and_linked(
    client, login, people, make
):
    institute = people["researcher"].organisation
    chamber = make.instrument(
        org=institute,
        name="深海压力模拟试验舱",
        category="environmental-testing",
        specifications="深海 压力 110 MPa，耐压壳体与密封件试验",
    )
    vehicle = make.instrument(
        org=people["company"].organisation,
        name="整车环境模拟舱",
        category="environmental-testing",
        specifications="温度 -40 至 +60 ℃ 环境模拟试验",
    )
    need = Need(
        company_id=people["company"].organisation_id,
        title="深海密封件的低温环境模拟试验",
        description="",
        field="marine-equipment",
        status=NeedStatus.COLLECTED,
        collected_on=local_today(),
        created_by_id=people["company"].id,
    )
    db.session.add(need)
    db.session.commit()
    _as(client, login, people["staff"])
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    section = page[page.index('id="suggest-title"') :]
    group = re.search(r'data-organisation="ndsc">(.*?)</li>\s*</ol>', section, re.S).group(1)
    assert 'href="/organisations/ndsc"' in group
    assert f'href="/instruments/{chamber.id}"' in group
    assert "匹配：深海" in group and "该单位有 1 台相关仪器" in group
    assert f"/instruments/{vehicle.id}" not in section
    assert not re.search(r">\s*[01]\.\d\d\s*<", section)  # no raw scores
    client.post("/logout")
    client.set_cookie("lang", "en")
    login(people["staff"])
    english = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "Matches: 深海" in english and "1 related instrument here" in english


def test_a_refused_step_is_said_on_the_page(client, login, people, make):
    _as(client, login, people["company"])
    client.post("/needs/new", data={"title": "t", "field": "other", "description": ""})
    need = db.session.query(Need).one()
    _as(client, login, people["researcher"])
    client.post(f"/needs/{need.id}/claim")
    _as(client, login, people["manager"])
    again = client.post(f"/needs/{need.id}/claim", follow_redirects=True)
    assert "cannot claim a need that is claimed" in again.get_data(as_text=True)


def test_who_may_open_which_needs_page(client, login, people):
    _as(client, login, people["company"])
    client.post("/needs/new", data={"title": "鲍鱼养殖", "field": "fisheries-aquaculture"})
    need = db.session.query(Need).one()
    _as(client, login, people["outsider"])
    assert client.get(f"/needs/{need.id}").status_code == 404
    assert client.get("/visits").status_code == 403
    _as(client, login, people["researcher"])
    assert client.get("/needs/new").status_code == 403
    client.post("/logout")
    assert client.get("/needs").status_code == 302  # to sign in


def test_impact_page_shows_the_figures_with_a_csv(client, people, make):
    staff = people["staff"]
    db.session.add(
        Transfer(
            title="一种海洋防污涂层",
            kind="licence",
            from_org_id=people["researcher"].organisation_id,
            to_org_id=people["company"].organisation_id,
            amount=1_250_000,
            signed_on=date(2026, 3, 1),
            recorded_by_id=staff.id,
        )
    )
    db.session.commit()
    page = client.get("/impact?from=2026-01-01&to=2026-06-30").get_data(as_text=True)
    assert 'data-figure="transfers"' in page and "成果转化" in page
    assert "¥1,250,000.00" in page
    assert 'id="chart-funnel"' in page
    csv = client.get("/impact.csv?from=2026-01-01&to=2026-06-30")
    assert csv.mimetype == "text/csv"
    assert "成果转化,1,0," in csv.data.decode("utf-8-sig")
    kinds = client.get("/impact.csv?table=transfers&from=2026-01-01&to=2026-06-30")
    assert "专利许可,1,1250000.00" in kinds.data.decode("utf-8-sig")
    fields = client.get("/impact.csv?table=needs&from=2026-01-01&to=2026-06-30")
    assert fields.data.decode("utf-8-sig").startswith("领域,征集,认领,签约")
    swapped = client.get("/impact?from=2026-06-30&to=2026-01-01")
    assert swapped.status_code == 200
    listed = client.get("/transfers").get_data(as_text=True)
    assert "一种海洋防污涂层" in listed


def test_managers_record_transfers_of_their_organisation_on_the_page(client, login, people):
    _as(client, login, people["manager"])
    page = client.get("/transfers").get_data(as_text=True)
    assert 'name="from_organisation"' in page
    client.post(
        "/transfers",
        data={
            "title": "深海作业技术服务",
            "kind": "technical_service",
            "from_organisation": "ndsc",
            "to_organisation": "haina-equip",
            "amount": "300000.00",
            "signed_on": local_today().isoformat(),
        },
    )
    assert db.session.query(Transfer).one().amount == 300000
    _as(client, login, people["researcher"])
    assert 'name="from_organisation"' not in client.get("/transfers").get_data(as_text=True)


def test_alliance_and_experts_pages(client, people, make):
    org = people["company"].organisation
    org.alliance_member, org.alliance_kind, org.joined_on = True, "enterprise", date(2025, 5, 1)
    db.session.commit()
    page = client.get("/alliance").get_data(as_text=True)
    assert "青岛海纳海洋装备有限公司" in page and "重点企业" in page
    assert "青岛海纳" not in client.get("/alliance?kind=service").get_data(as_text=True)
    assert client.get("/experts").status_code == 200
    assert client.get("/experts/999999").status_code == 404


def test_an_institute_claims_a_fitting_need_in_one_click(client, login, people):
    institute = people["researcher"].organisation
    institute.fields_of_work = "水下机器人 深海作业 压力试验"
    db.session.commit()
    _as(client, login, people["company"])
    client.post("/needs/new", data={"title": "水下机器人的海试验证", "field": "marine-equipment"})
    need = db.session.query(Need).one()
    _as(client, login, people["researcher"])
    desk = client.get("/needs").get_data(as_text=True)
    assert "适合国家深海基地管理中心的需求" in desk
    assert f'action="/needs/{need.id}/claim"' in desk
    client.post(f"/needs/{need.id}/claim")
    db.session.expire_all()
    assert db.session.get(Need, need.id).claimed_by_org_id == institute.id


def test_milestones_on_the_challenge_page(client, login, make):
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from sharing.challenges.models import Milestone
    from sharing.challenges.services import apply_to_challenge, award_challenge, post_challenge

    company = make.user("enterprise", make.org("enterprise"))
    researcher = make.user("researcher", make.org("institute"))
    challenge = post_challenge(
        company,
        {
            "title": "浮标能源管理",
            "field": "marine-equipment",
            "budget": Decimal("100000.00"),
            "deadline": datetime.now(UTC) + timedelta(days=9),
            "status": "open",
        },
    )
    application = apply_to_challenge(
        researcher, challenge, {"proposal": "方案", "quote": Decimal("90000.00")}
    )
    award_challenge(company, challenge, application.id)
    db.session.commit()
    login(company)
    client.post(
        f"/challenges/{challenge.id}/milestones",
        data={"title": "样机", "due": "2027-03-01", "amount": "80000.00"},
    )
    milestone = db.session.query(Milestone).one()
    assert f'data-milestone="{milestone.id}"' in client.get(f"/challenges/{challenge.id}").text
    over = client.post(
        f"/challenges/{challenge.id}/milestones",
        data={"title": "量产", "due": "2027-06-01", "amount": "10000.01"},
        follow_redirects=True,
    )
    assert "里程碑合计将超过中标金额" in over.text  # 80,000 + 10,000.01 > the quote of 90,000
    assert db.session.query(Milestone).count() == 1
    client.post("/logout")
    login(researcher)
    client.post(f"/milestones/{milestone.id}/deliver", data={"note": "样机报告"})
    client.post("/logout")
    login(company)
    accepted = client.post(f"/milestones/{milestone.id}/accept", follow_redirects=True)
    assert "已验收" in accepted.text
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).challenge.status == "completed"


def test_a_search_of_the_desk_keeps_the_fitting_needs_among_what_it_finds(client, login, people):
    institute = people["researcher"].organisation
    institute.fields_of_work = "水下机器人 深海作业 压力试验"
    db.session.commit()
    _as(client, login, people["company"])
    for title in ("水下机器人的海试验证", "水下机器人的压力试验"):
        client.post("/needs/new", data={"title": title, "field": "marine-equipment"})
    _as(client, login, people["researcher"])
    everything = client.get("/needs").text.split("<table", 1)[0]
    assert "水下机器人的海试验证" in everything and "水下机器人的压力试验" in everything
    searched = client.get("/needs?q=海试").text.split("<table", 1)[0]
    assert "水下机器人的海试验证" in searched and "水下机器人的压力试验" not in searched
