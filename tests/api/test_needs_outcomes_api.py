"""What came of the matching: milestones through to completion, results transferred, experts,
the alliance, and the impact figures against hand-counted ones (a year earlier and growth)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sharing.extensions import db
from sharing.needs.impact import Window, figures, growth
from sharing.needs.models import Need, NeedStatus, Transfer, TransferKind, Visit
from tests.fixtures.world import World


@pytest.fixture
def world(client, make):
    return World(client, make)


def test_milestones_run_to_completion_with_their_amounts(world):
    target = world.awarded_challenge()
    challenge = target["challenge"]
    path = f"/challenges/{challenge}/milestones"
    first = world.call("enterprise", "POST", path, world.milestone_body(), expect=201).json
    second_body = {"title": "海试验收", "due": "2027-06-30", "amount": "300000.00"}
    second = world.call("enterprise", "POST", path, second_body, expect=201).json
    assert first["status"] == "planned"
    deliver = f"/milestones/{first['id']}/deliver"
    world.call("researcher", "POST", deliver, {"note": "样机与测试报告"}, expect=200)
    rejected = world.call(
        "enterprise", "POST", f"/milestones/{first['id']}/reject", {"reason": "缺少压力试验"}
    )
    assert rejected.json["status"] == "rejected" and rejected.json["rejection_reason"]
    world.call("researcher", "POST", deliver, {"note": "补充压力试验"}, expect=200)
    world.call("enterprise", "POST", f"/milestones/{first['id']}/accept", expect=200)
    board = world.call("enterprise", "GET", f"/challenges/{challenge}").json
    assert board["status"] == "awarded"
    early = world.call(
        "enterprise", "POST", f"/challenges/{challenge}/complete", {"contract_amount": "1.00"}
    )
    assert early.status_code == 409
    world.call("researcher", "POST", f"/milestones/{second['id']}/deliver", {}, expect=200)
    world.call("enterprise", "POST", f"/milestones/{second['id']}/accept", expect=200)
    done = world.call("enterprise", "GET", f"/challenges/{challenge}").json
    assert done["status"] == "completed" and done["contract_amount"] == "500000.00"
    late = world.call("enterprise", "POST", path, world.milestone_body())
    assert late.status_code == 409 and late.json["error"]["code"] == "invalid_state"


def test_milestone_steps_in_the_wrong_order_are_409(world):
    target = world.milestone()
    milestone = target["milestone"]
    accept = world.call("enterprise", "POST", f"/milestones/{milestone}/accept")
    assert accept.status_code == 409
    no_reason = world.call("enterprise", "POST", f"/milestones/{milestone}/reject", {"reason": ""})
    assert no_reason.status_code == 400
    open_challenge = world.open_challenge()
    before_award = world.call(
        "enterprise",
        "POST",
        f"/challenges/{open_challenge['challenge']}/milestones",
        world.milestone_body(),
    )
    assert before_award.status_code == 409


def test_transfers_are_recorded_and_listed_by_dates(world):
    body = world.transfer_body()
    made = world.call("manager", "POST", "/transfers", body, expect=201).json
    assert made["amount"] == "800000.00" and made["from_organisation"] == "lab"
    listed = world.call("anonymous", "GET", "/transfers").json
    assert listed["total"] == 1
    old = world.call("anonymous", "GET", "/transfers?to=2020-01-01").json
    assert old["total"] == 0
    same = world.call("admin", "POST", "/transfers", {**body, "to_organisation": "lab"})
    assert same.status_code == 400
    unknown = world.call("admin", "POST", "/transfers", {**body, "need_id": 999999})
    assert unknown.status_code == 400 and "need_id" in unknown.json["error"]["fields"]
    kind = world.call("admin", "POST", "/transfers", {**body, "kind": "gift"})
    assert kind.status_code == 400


def test_experts_are_searched_by_words_and_field(world):
    body = {
        "name": "刘海洋",
        "title": "研究员",
        "organisation": "lab",
        "fields": ["marine-biomedicine"],
        "expertise": "海洋多糖 结构解析",
        "instruments": [world.instrument.id],
    }
    made = world.call("admin", "POST", "/experts", body, expect=201).json
    assert made["instruments"] == [{"id": world.instrument.id, "name": world.instrument.name}]
    assert world.call("anonymous", "GET", "/experts?q=多糖").json["total"] == 1
    assert world.call("anonymous", "GET", "/experts?field=fisheries-aquaculture").json["total"] == 0
    bad = world.call("admin", "POST", "/experts", {**body, "instruments": [999999]})
    assert bad.status_code == 400


def test_alliance_membership_is_set_by_admins_and_shown(world):
    body = {"alliance_member": True, "alliance_kind": "enterprise", "joined_on": "2026-03-01"}
    changed = world.call("admin", "PATCH", "/organisations/company", body, expect=200).json
    assert changed["alliance_member"] is True and changed["joined_on"] == "2026-03-01"
    half = world.call("admin", "PATCH", "/organisations/lab", {"alliance_member": True})
    assert half.status_code == 400
    assert world.call("admin", "PATCH", "/organisations/nobody", body).status_code == 404


def _fixture_records(make):
    """Hand-counted: this window has 2 companies visited (3 visits), 3 needs collected, 2 claimed,
    1 in talks, 1 contracted (¥50,000), 2 transfers (¥1,000,000.50); a year earlier 1 company,
    1 need, 1 transfer (¥400,000)."""
    staff = make.admin()
    a, b = make.org("enterprise"), make.org("enterprise")
    lab = make.org("institute")
    lab.alliance_member, lab.alliance_kind, lab.joined_on = True, "platform", date(2024, 5, 1)
    a.alliance_member, a.alliance_kind, a.joined_on = True, "enterprise", date(2026, 4, 1)
    for company, day in ((a, date(2026, 3, 1)), (a, date(2026, 4, 2)), (b, date(2026, 5, 1))):
        db.session.add(Visit(company=company, visited_on=day, recorded_by_id=staff.id))
    db.session.add(Visit(company=b, visited_on=date(2025, 3, 1), recorded_by_id=staff.id))

    def need(company, collected, **stages):
        db.session.add(
            Need(
                company=company,
                title="t",
                field="other",
                collected_on=collected,
                created_by_id=staff.id,
                status=stages.pop("status", NeedStatus.COLLECTED),
                **stages,
            )
        )

    need(a, date(2026, 3, 1))
    need(
        a,
        date(2026, 3, 2),
        status=NeedStatus.CLAIMED,
        claimed_by_org_id=lab.id,
        claimed_on=date(2026, 3, 5),
    )
    need(
        b,
        date(2026, 5, 1),
        status=NeedStatus.CONTRACTED,
        claimed_by_org_id=lab.id,
        claimed_on=date(2026, 5, 2),
        talks_on=date(2026, 5, 9),
        contract_org_id=lab.id,
        contract_amount=Decimal("50000.00"),
        signed_on=date(2026, 6, 1),
    )
    need(b, date(2025, 3, 1))
    for amount, day in (
        ("600000.00", date(2026, 2, 1)),
        ("400000.50", date(2026, 9, 30)),
        ("400000.00", date(2025, 7, 1)),
    ):
        db.session.add(
            Transfer(
                title="x",
                kind=TransferKind.LICENCE,
                from_org_id=lab.id,
                to_org_id=a.id,
                amount=Decimal(amount),
                signed_on=day,
                recorded_by_id=staff.id,
            )
        )
    db.session.commit()


def test_impact_equals_hand_counted_figures_with_the_year_before(make, client):
    _fixture_records(make)
    window = Window(date(2026, 1, 1), date(2026, 10, 31))
    now = figures(window)
    assert (now["companies_visited"], now["needs_collected"], now["needs_claimed"]) == (2, 3, 2)
    assert (now["needs_in_talks"], now["needs_contracted"], now["transfers"]) == (1, 1, 2)
    assert now["transfer_amount"] == Decimal("1000000.50")
    assert now["contract_amount"] == Decimal("50000.00")
    assert now["alliance_members"] == 2
    before = figures(window.year_earlier())
    assert (before["companies_visited"], before["needs_collected"], before["transfers"]) == (
        1,
        1,
        1,
    )
    assert before["alliance_members"] == 1
    body = client.get("/api/v1/impact?from=2026-01-01&to=2026-10-31").json
    assert body["companies_visited"] == 2 and body["transfer_amount"] == "1000000.50"
    assert body["previous"]["transfer_amount"] == "400000.00"
    assert body["previous"]["companies_visited"] == 1
    assert body["growth"]["transfers"] == "1.0000"
    assert body["growth"]["needs_claimed"] is None  # nothing claimed a year earlier
    assert body["from"] == "2026-01-01" and body["to"] == "2026-10-31"
    assert growth(56, 34) == Decimal("0.6471") and growth(98, 23) == Decimal("3.2609")
    csv = client.get("/api/v1/impact.csv?from=2026-01-01&to=2026-10-31")
    assert csv.status_code == 200 and csv.data.decode("utf-8-sig").splitlines()[1].endswith(
        ",2,1,1.0000"
    )


def test_impact_dates_are_checked(client):
    assert client.get("/api/v1/impact?from=2026-05-02&to=2026-05-01").status_code == 400
    assert client.get("/api/v1/impact?from=yesterday").status_code == 400
    default = client.get("/api/v1/impact").json
    assert default["from"].endswith("-01-01")


def test_a_leap_day_a_year_earlier_is_the_28th():
    assert Window(date(2028, 2, 29), date(2028, 2, 29)).year_earlier() == Window(
        date(2027, 2, 28), date(2027, 2, 28)
    )
    assert date(2026, 1, 1) - timedelta(days=1) == date(2025, 12, 31)
