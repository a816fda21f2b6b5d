"""The bell and the notification list: unread count, open one, read all."""

from sharing.extensions import db
from sharing.notices.models import Notification
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


def test_loan_and_cruise_notices_read_in_the_pages_language(client, make, login):
    """Issue 37: loan notices were English on Chinese pages, cruise ones Chinese on English
    pages. Each is stored in its addressee's language and said in the page's."""
    from sharing.notices.messages import leave_message

    user = make.user("researcher")
    # As stored before this change: loans in English, cruises in Chinese.
    leave_notice(user.id, "遥控潜水器 was dispatched for loan #7.", "/loans/7", kind="loan")
    leave_notice(user.id, "航次「黄海秋季航次」已取消：台风", "/cruises/1", kind="cruise")
    leave_notice(user.id, "预约已批准：场发射扫描电子显微镜", "/bookings/mine")  # a mail's copy
    leave_message(user.id, "loan_overdue", "/loans/8", "loan_overdue", loan=8, item="CTD", days=3)
    db.session.commit()
    stored = db.session.scalars(
        db.select(Notification.text).where(Notification.kind == "loan_overdue")
    ).one()
    assert stored == "借用单 8 的CTD已逾期 3 天。"  # the addressee's (the platform's) language
    login(user)

    client.get("/lang/zh")
    page = client.get("/notifications").get_data(as_text=True)
    assert "遥控潜水器已为借用单 7 发出。" in page and "was dispatched" not in page
    assert "航次「黄海秋季航次」已取消：台风" in page
    assert "借用单 8 的CTD已逾期 3 天。" in page
    assert "预约已批准：场发射扫描电子显微镜" in page

    client.get("/lang/en")
    page = client.get("/notifications").get_data(as_text=True)
    assert "遥控潜水器 was dispatched for loan #7." in page
    assert "Cruise “黄海秋季航次” was cancelled: 台风" in page and "已取消" not in page
    assert "CTD of loan #8 is 3 day(s) overdue." in page
    # A mail's copy, stored in Chinese, is marked as Chinese data rather than left unexplained.
    assert '<span lang="zh-CN">预约已批准：场发射扫描电子显微镜</span> <span class="badge' in page
    assert page.count('title="Only in Chinese"') == 1
    # The API's text stays as stored.
    texts = {item["text"] for item in client.get("/api/v1/notifications").json["items"]}
    assert "借用单 8 的CTD已逾期 3 天。" in texts


def test_every_message_reads_back_from_either_language(app):
    from sharing.notices.messages import MESSAGES, compose, read_back

    with app.test_request_context():
        for key, wording in MESSAGES.items():
            names = sorted(set(__import__("re").findall(r"%\((\w+)\)s", str(wording))))
            params = {name: f"{name}-值" for name in names}
            for locale in ("en", "zh"):
                assert read_back(compose(key, locale, **params)) == (key, params), (key, locale)
