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
