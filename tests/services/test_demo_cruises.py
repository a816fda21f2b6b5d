"""The demo's ship time (issue 32, acceptance), relative to the demo's today: a completed cruise
with obligations met and one overdue, an allocated cruise leaving next month, an open call; and
the assessment's ship time figures come from the demo's own cruises."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.cruises.costs import ship_days
from sharing.cruises.duties import obligations_for
from sharing.cruises.figures import ship_time_year
from sharing.cruises.models import Cruise
from sharing.demo.seed import seed_demo
from sharing.extensions import db
from sharing.util.formatting import local_today

# The demo's cruises are the same on both databases: seeded and read once (on PostgreSQL when
# it is switched on); cli test_commands seeds the demo on each.
pytestmark = pytest.mark.one_backend


def test_the_demo_has_cruises_in_the_states_the_acceptance_asks_for(app):
    seed_demo()
    db.session.commit()
    today = local_today()
    cruises = list(db.session.scalars(select(Cruise)))
    by_state = {}
    for cruise in cruises:
        by_state.setdefault(cruise.status.value, []).append(cruise)
    [completed] = by_state["completed"]
    owed = obligations_for(completed, today)
    report = [o for o in owed if o.kind == "cruise_report"]
    assert report and report[0].done_on is not None  # the report is in
    data = [o for o in owed if o.kind == "data"]
    assert any(o.done_on is not None for o in data)  # obligations met ...
    assert any(o.overdue for o in data)  # ... and one overdue
    assert completed.returned_on > completed.returns_on  # back late
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    assert any(
        (c.departs_on.year, c.departs_on.month) == (next_month.year, next_month.month)
        for c in by_state["allocated"]
    )
    [call] = by_state["open"]
    assert call.apply_by >= today and call.applications
    # The figures of the completed cruise's year are the demo's cruises', not made up.
    year = completed.returned_on.year
    figures = ship_time_year(year)
    counted = [c for c in by_state["completed"] if c.returned_on.year == year]
    expected_days = sum(
        ship_days(c.departs_on, c.returned_on, c.mobilisation_days) for c in counted
    )
    if all(c.departs_on.year == year for c in counted):
        assert figures["ship_days"] == expected_days
        at_sea = (completed.returned_on - completed.departs_on).days + 1
        berths = sum(a.allocated_berths or 0 for a in completed.applications)
        assert figures["berth_days"] == berths * at_sea
    assert figures["cruises"] == len(counted) and figures["external_share"] > 0
