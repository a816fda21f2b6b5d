"""Faults from the instrument page: whoever used it reports; the manager sees it on the start
page, takes the instrument out of service in one step and resolves the fault."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sharing.assessment.models import Incident
from sharing.bookings.models import Downtime
from sharing.extensions import db
from sharing.util.timeutil import utcnow
from tests.fixtures.bookings import SHANGHAI, hour_ago, used_session


def test_a_fault_from_report_to_downtime_to_fixed(client, login, make, token_for):
    owner = make.org("institute")
    manager = make.user("manager", owner)
    instrument = make.instrument(manager=manager, rules={"open_hours": []}, name="场发射电镜")
    user = make.user("researcher")
    stranger = make.user("researcher")
    headers = token_for(manager)
    used_session(client, headers, instrument, user, hour_ago())
    page = f"/instruments/{instrument.id}"

    login(stranger)
    assert f'action="{page}/incidents"' not in client.get(page).get_data(as_text=True)
    refused = client.post(f"{page}/incidents", data={"kind": "fault", "description": "x"})
    assert refused.status_code == 403
    client.post("/logout")

    login(user)
    form = client.get(page).get_data(as_text=True)
    assert 'value="fault"' in form and 'value="maintenance"' not in form
    sent = client.post(
        f"{page}/incidents",
        data={"kind": "fault", "description": "电子枪无法点亮"},
        follow_redirects=True,
    )
    assert "感谢报告" in sent.get_data(as_text=True)
    incident = db.session.scalar(select(Incident))
    assert incident.status.value == "open"
    client.post("/logout")

    login(manager)
    assert "电子枪无法点亮" in client.get("/start").get_data(as_text=True)
    managed = client.get(page).get_data(as_text=True)
    assert "1 个未处理故障" in managed and 'value="calibration"' in managed
    tomorrow = (utcnow() + timedelta(days=1)).astimezone(SHANGHAI).strftime("%Y-%m-%dT09:00")
    later = (utcnow() + timedelta(days=3)).astimezone(SHANGHAI).strftime("%Y-%m-%dT18:00")
    out = client.post(f"/incidents/{incident.id}/downtime", data={"start": tomorrow, "end": later})
    assert out.status_code == 302 and out.headers["Location"].endswith(
        f"/instruments/{instrument.id}/downtimes"
    )
    downtime = db.session.scalar(select(Downtime))
    assert downtime.reason == "电子枪无法点亮"
    db.session.refresh(incident)
    assert incident.downtime_id == downtime.id
    twice = client.post(
        f"/incidents/{incident.id}/downtime", data={"start": tomorrow, "end": later}
    )
    assert twice.status_code == 302
    assert db.session.scalar(select(db.func.count()).select_from(Downtime)) == 1
    fixed = client.post(
        f"/incidents/{incident.id}/resolve", data={"resolution": "更换灯丝"}, follow_redirects=True
    )
    assert "已标记为处理完毕" in fixed.get_data(as_text=True)
    db.session.refresh(incident)
    assert incident.status.value == "resolved"
    assert "电子枪无法点亮" not in client.get("/start").get_data(as_text=True)
