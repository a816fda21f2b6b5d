"""Training through the pages: ask on the instrument page, the manager schedules and grants."""

from sqlalchemy import select

from sharing.extensions import db
from sharing.training.models import TrainingRequest
from tests.fixtures.bookings import next_weekday, weekday_instrument


def test_ask_schedule_grant_through_the_pages(client, make, login):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_training=True)
    researcher = make.user("researcher")
    login(researcher)
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'data-status="none"' in page and 'id="training-request"' in page
    asked = client.post(f"/instruments/{instrument.id}/training", data={"note": "测 SEM 形貌"})
    assert asked.status_code == 302
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'data-status="requested"' in page
    assert client.get("/manage/training").status_code == 403

    client.post("/logout")
    login(manager)
    desk = client.get("/manage/training").get_data(as_text=True)
    assert researcher.name in desk and "测 SEM 形貌" in desk
    training = db.session.scalar(select(TrainingRequest))
    day = next_weekday().strftime("%Y-%m-%d")
    scheduled = client.post(
        f"/manage/training/{training.id}/schedule",
        data={"start": f"{day}T14:00", "end": f"{day}T16:00"},
    )
    assert scheduled.status_code == 302
    granted = client.post(f"/manage/training/{training.id}/grant", data={"expires_on": ""})
    assert granted.status_code == 302
    db.session.refresh(training)
    assert training.status.value == "granted"
    assert training.booking.start.hour == 6  # 14:00 in Qingdao

    client.post("/logout")
    login(researcher)
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert 'data-status="qualified"' in page


def test_declining_needs_a_reason(client, make, login):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_training=True)
    researcher = make.user("researcher")
    login(researcher)
    client.post(f"/instruments/{instrument.id}/training", data={"note": ""})
    client.post("/logout")
    login(manager)
    training = db.session.scalar(select(TrainingRequest))
    client.post(f"/manage/training/{training.id}/decline", data={"reason": ""})
    db.session.refresh(training)
    assert training.status.value == "requested"
    client.post(f"/manage/training/{training.id}/decline", data={"reason": "名额已满"})
    db.session.refresh(training)
    assert training.status.value == "declined"
