"""Ship time beside the instruments' figures in the assessment report (issue 32, item 7): ship
days used, berth-days per organisation and the external share of ship time, by year, computed
from known cruises: one across New Year that came back two days late, one of the owner's own
group, and cruises not completed that do not count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sharing.cruises.figures import days_in_year, ship_time_year
from sharing.cruises.models import Cruise
from sharing.extensions import db
from tests.fixtures.world import World


@pytest.fixture
def world(client, make):
    return World(client, make)


def sailed(world, departs, returns, back, mobilisation, parties, share_by="berths"):
    """A cruise of the world's vessel that sailed on `departs` with `parties` [(user, berths)],
    planned back on `returns`, completed on `back` (recorded after the fact)."""
    body = {**world.cruise_body(), "mobilisation_days": mobilisation, "share_by": share_by}
    cruise = world.call("manager", "POST", "/cruises", body, expect=201).json["id"]
    world.call("manager", "POST", f"/cruises/{cruise}/open", {}, expect=200)
    placed = []
    for user, berths in parties:
        asked = world.client.post(
            f"/api/v1/cruises/{cruise}/applications",
            json={**world.cruise_application_body(), "berths": berths},
            headers=world.headers_for(user),
        )
        assert asked.status_code == 201, asked.json
        placed.append({"application_id": asked.json["id"], "berths": berths})
    path = f"/cruises/{cruise}/allocate"
    world.call("manager", "POST", path, {"allocations": placed}, expect=200)
    world.call("manager", "POST", f"/cruises/{cruise}/depart", {}, expect=200)
    record = db.session.get(Cruise, cruise)
    record.departs_on, record.returns_on = departs, returns
    db.session.commit()
    done = {"returned_on": back.isoformat()}
    world.call("manager", "POST", f"/cruises/{cruise}/complete", done, expect=200)
    # Its duties done, so that its parties may apply again.
    world.call("researcher", "POST", f"/cruises/{cruise}/report", world.cruise_report_body(), 200)
    for (user, _berths), place in zip(parties, placed, strict=True):
        delivered = world.client.post(
            f"/api/v1/cruise-applications/{place['application_id']}/data",
            json=world.data_body(),
            headers=world.headers_for(user),
        )
        assert delivered.status_code == 200, delivered.json
    return cruise


@pytest.fixture
def fleet(world, make):
    """Across New Year: held from 26 December 2025 (two mobilisation days), at sea from the
    28th, planned back on 3 January, back on the 5th; berths 2 (another institute), 1 (a
    company), 1 (the vessel's own lab). In March 2026 the lab's own group alone, one
    mobilisation day, at sea 10-14 March. An open and an at-sea cruise do not count."""
    lab_member = make.user("researcher", world.users["manager"].organisation)
    researcher, company = world.users["researcher"], world.users["enterprise"]
    sailed(
        world,
        date(2025, 12, 28),
        date(2026, 1, 3),
        date(2026, 1, 5),
        2,
        [(researcher, 2), (company, 1), (lab_member, 1)],
    )
    sailed(
        world, date(2026, 3, 10), date(2026, 3, 14), date(2026, 3, 14), 1, [(lab_member, 3)],
        share_by="equal",
    )  # fmt: skip
    world.open_cruise()
    world.at_sea_cruise()
    return {"lab": "lab", "customer": "customer-institute", "company": "company"}


def test_days_in_a_year_count_both_ends():
    assert days_in_year(date(2025, 12, 26), date(2026, 1, 5), 2025) == 6
    assert days_in_year(date(2025, 12, 26), date(2026, 1, 5), 2026) == 5
    assert days_in_year(date(2026, 3, 9), date(2026, 3, 14), 2026) == 6
    assert days_in_year(date(2026, 3, 9), date(2026, 3, 14), 2027) == 0


def test_a_cruise_across_new_year_counts_in_both_years(world, fleet):
    before = ship_time_year(2025)
    # 26-31 December: six ship days; four days at sea times four berths.
    assert (before["cruises"], before["ship_days"], before["berth_days"]) == (1, 6, 16)
    # Three quarters of the berths (the shares) are other organisations': 6 x 0.75.
    assert before["external_ship_days"] == Decimal("4.50")
    assert before["external_share"] == Decimal("0.7500")
    by_org = {r["organisation"]: r["berth_days"] for r in before["berth_days_by_organisation"]}
    assert by_org == {"customer-institute": 8, "company": 4, "lab": 4}
    assert ship_time_year(2024)["cruises"] == 0 and ship_time_year(2027)["ship_days"] == 0


def test_the_late_return_and_the_owners_own_cruise_count_in_their_year(world, fleet):
    after = ship_time_year(2026)
    # 1-5 January (two of them late) and 9-14 March; at sea 5 x 4 and 5 x 3 berth-days.
    assert (after["cruises"], after["ship_days"], after["berth_days"]) == (2, 11, 35)
    assert after["external_ship_days"] == Decimal("3.75")  # 5 x 0.75; March is the lab's
    assert after["external_share"] == Decimal("0.3409")  # 3.75 / 11
    by_org = [(r["organisation"], r["berth_days"]) for r in after["berth_days_by_organisation"]]
    assert by_org == [("lab", 20), ("customer-institute", 10), ("company", 5)]
    [vessel] = after["vessels"]
    assert (vessel["instrument_id"], vessel["organisation"]) == (world.vessel.id, "lab")
    assert (vessel["ship_days"], vessel["berth_days"], vessel["cruises"]) == (11, 35, 2)


def test_the_report_answers_the_ship_time_beside_the_instruments(world, fleet):
    report = world.call("manager", "GET", "/reports/large-instruments?year=2026", expect=200).json
    assert "items" in report
    ship = report["ship_time"]
    assert (ship["ship_days"], ship["external_share"], ship["berth_days"]) == (11, "0.3409", 35)
    assert ship["external_ship_days"] == "3.75"
    assert ship["vessels"][0]["name"] == world.vessel.name
    assert ship["berth_days_by_organisation"][0] == {
        "organisation": "lab",
        "organisation_name": world.users["manager"].organisation.name,
        "berth_days": 20,
    }
    # Another organisation's manager reads the figures of their own vessels: none.
    theirs = world.call("other_manager", "GET", "/reports/large-instruments?year=2026").json
    assert theirs["ship_time"]["cruises"] == 0 and theirs["ship_time"]["vessels"] == []
    chosen = world.call("admin", "GET", "/reports/large-instruments?year=2025&organisation=lab")
    assert chosen.json["ship_time"]["ship_days"] == 6
    world.call("researcher", "GET", "/reports/large-instruments?year=2026", expect=403)


def test_the_assessment_page_and_summary_show_the_ship_time(world, fleet, client, login):
    login(world.users["manager"])
    page = client.get("/reports/assessment?year=2026").get_data(as_text=True)
    assert 'id="ship-time"' in page and f'data-vessel="{world.vessel.id}"' in page
    assert "34.1%" in page and ">35<" in page and 'data-organisation="lab"' in page
    summary = client.get("/reports/assessment/summary?year=2025").get_data(as_text=True)
    assert 'id="ship-time"' in summary and "75.0%" in summary
    empty = client.get("/reports/assessment?year=2024").get_data(as_text=True)
    assert 'id="ship-time-vessels"' not in empty
