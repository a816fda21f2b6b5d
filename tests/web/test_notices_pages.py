"""The bell and the notification list: unread count, open one, read all."""

from sharing.extensions import db
from sharing.notices.services import leave_notice


def test_bell_counts_unread_and_the_list_reads_them(client, make, login):
    user = make.user("researcher")
    leave_notice(user.id, "预约已批准：场发射扫描电子显微镜", "/bookings/mine")
    leave_notice(user.id, "培训已安排", "")
    db.session.commit()
    login(user)
    home = client.get("/").get_data(as_text=True)
    assert 'id="notice-count">2' in home

    page = client.get("/notifications").get_data(as_text=True)
    assert "预约已批准：场发射扫描电子显微镜" in page and "培训已安排" in page
    first = client.get("/notifications?unread=1")
    assert first.status_code == 200

    notice_id = db.session.execute(
        db.text("SELECT id FROM notifications WHERE url = '/bookings/mine'")
    ).scalar()
    opened = client.post(f"/notifications/{notice_id}/read", data={"csrf_token": ""})
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith("/bookings/mine")
    assert 'id="notice-count">1' in client.get("/").get_data(as_text=True)

    client.post("/notifications/read-all")
    assert 'id="notice-count"' not in client.get("/").get_data(as_text=True)


def test_someone_elses_notice_is_not_found_and_anonymous_sign_in(client, make, login):
    owner = make.user("researcher")
    notice = leave_notice(owner.id, "只给我看的", "/bookings/mine")
    db.session.commit()
    assert client.get("/notifications").status_code == 302
    login(make.user("researcher"))
    assert client.post(f"/notifications/{notice.id}/read").status_code == 404
    assert "只给我看的" not in client.get("/notifications").get_data(as_text=True)


def test_the_profile_sets_the_reminder_lead_time(client, make, login):
    user = make.user("researcher")
    login(user)
    assert 'name="reminder_hours"' in client.get("/profile").get_data(as_text=True)
    saved = client.post("/profile", data={"name": user.name, "phone": "", "reminder_hours": "1"})
    assert saved.status_code == 302
    db.session.refresh(user)
    assert user.reminder_hours == 1
    refused = client.post("/profile", data={"name": user.name, "reminder_hours": "5"})
    assert refused.status_code == 200  # not a choice: the form says so
    db.session.refresh(user)
    assert user.reminder_hours == 1


def test_the_favicon_is_served(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.data.startswith(b"\x00\x00\x01\x00")  # an ICO file


def test_the_queue_counts_in_the_navigation_and_asks_for_a_tick(client, make, login, token_for):
    from tests.fixtures.bookings import at, next_weekday, weekday_instrument

    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_approval=True)
    day = next_weekday()
    for hour in (9, 11):
        body = {"instrument_id": instrument.id, "start": at(day, hour), "end": at(day, hour + 1)}
        asked = client.post(
            "/api/v1/bookings", json=body, headers=token_for(make.user("researcher"))
        )
        assert asked.status_code == 201
    login(manager)
    page = client.get("/manage/queue").get_data(as_text=True)
    assert 'id="queue-count">2' in page
    nothing = client.post("/manage/queue", data={"decision": "approve"}, follow_redirects=True)
    assert "请先勾选要处理的申请。" in nothing.get_data(as_text=True)
    assert 'id="queue-count">2' in client.get("/").get_data(as_text=True)
