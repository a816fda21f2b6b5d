"""Booking pages: the form explains refusals in place; lists, queue and downtimes work."""

from sqlalchemy import select

from sharing.bookings.lifecycle import BookingStatus
from sharing.bookings.models import Booking
from sharing.extensions import db
from tests.fixtures.bookings import next_weekday, weekday_instrument


def local(day, hour, minute=0):
    return day.replace(hour=hour, minute=minute).strftime("%Y-%m-%dT%H:%M")


def test_booking_through_the_form(client, make, login):
    instrument = weekday_instrument(make)
    login(make.user("researcher"))
    day = next_weekday()
    page = client.get(f"/instruments/{instrument.id}/book")
    assert page.status_code == 200 and b'id="calendar"' in page.data
    response = client.post(
        f"/instruments/{instrument.id}/book",
        data={"start": local(day, 9), "end": local(day, 11), "purpose": "TEM grids"},
    )
    assert response.status_code == 302
    booking = db.session.scalar(select(Booking))
    assert booking.status == BookingStatus.APPROVED and booking.purpose == "TEM grids"
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "已确认" in detail and "TEM grids" in detail
    # Cost before commitment: two hours at the academic 200.00 an hour (tests.factories).
    assert 'id="booking-estimate">¥400.00' in detail


def test_refusals_are_explained_with_suggestions(client, make, login):
    instrument = weekday_instrument(make)
    login(make.user("researcher"))
    day = next_weekday()
    client.post(
        f"/instruments/{instrument.id}/book", data={"start": local(day, 9), "end": local(day, 11)}
    )
    taken = client.post(
        f"/instruments/{instrument.id}/book", data={"start": local(day, 10), "end": local(day, 12)}
    )
    assert taken.status_code == 409
    page = taken.get_data(as_text=True)
    assert "该时段已被占用" in page
    assert page.count('class="btn btn-sm btn-outline-success suggestion"') == 3
    closed = client.post(
        f"/instruments/{instrument.id}/book", data={"start": local(day, 6), "end": local(day, 7)}
    )
    assert closed.status_code == 422
    assert "所选时间不在仪器的开放时间内" in closed.get_data(as_text=True)
    assert (
        client.post(
            f"/instruments/{instrument.id}/book", data={"start": "garbage", "end": ""}
        ).status_code
        == 400
    )


def test_my_bookings_and_cancel(client, make, login):
    instrument = weekday_instrument(make)
    login(make.user("researcher"))
    day = next_weekday()
    client.post(
        f"/instruments/{instrument.id}/book", data={"start": local(day, 9), "end": local(day, 10)}
    )
    booking = db.session.scalar(select(Booking))
    page = client.get("/my/bookings").get_data(as_text=True)
    assert instrument.name in page and "已确认" in page
    assert 'booking-estimate">¥200.00' in page
    client.post(f"/bookings/{booking.id}/cancel", data={"back": "/my/bookings"})
    db.session.refresh(booking)
    assert booking.status == BookingStatus.CANCELLED
    assert "已取消" in client.get("/my/bookings").get_data(as_text=True)


def test_someone_elses_booking_page_is_404(client, make, login):
    instrument = weekday_instrument(make)
    login(make.user("researcher"))
    day = next_weekday()
    client.post(
        f"/instruments/{instrument.id}/book", data={"start": local(day, 9), "end": local(day, 10)}
    )
    booking_id = db.session.scalar(select(Booking.id))
    client.post("/logout")
    login(make.user("researcher"))
    assert client.get(f"/bookings/{booking_id}").status_code == 404
    assert client.post(f"/bookings/{booking_id}/cancel").status_code == 404


def test_manager_queue_approves_in_bulk(client, make, login):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager, requires_approval=True)
    researcher = make.user("researcher")
    login(researcher)
    day = next_weekday()
    for hour in (9, 11, 13):
        client.post(
            f"/instruments/{instrument.id}/book",
            data={"start": local(day, hour), "end": local(day, hour + 1)},
        )
    client.post("/logout")
    assert client.get("/manage/queue").status_code == 302
    login(researcher)
    assert client.get("/manage/queue").status_code == 403
    client.post("/logout")
    login(manager)
    queue = client.get("/manage/queue").get_data(as_text=True)
    assert queue.count('name="ids"') == 3
    ids = [b.id for b in db.session.scalars(select(Booking).order_by(Booking.start))]
    client.post("/manage/queue", data={"ids": ids[:2], "decision": "approve", "reason": "ok"})
    statuses = [b.status for b in db.session.scalars(select(Booking).order_by(Booking.start))]
    assert statuses == [BookingStatus.APPROVED, BookingStatus.APPROVED, BookingStatus.PENDING]
    assert client.get("/manage/calendar").status_code == 200


def test_downtime_page_cancels_hit_bookings(client, make, login):
    manager = make.user("manager")
    instrument = weekday_instrument(make, manager)
    researcher = make.user("researcher")
    login(researcher)
    day = next_weekday()
    client.post(
        f"/instruments/{instrument.id}/book", data={"start": local(day, 9), "end": local(day, 10)}
    )
    assert client.get(f"/instruments/{instrument.id}/downtimes").status_code == 403
    client.post("/logout")
    login(manager)
    response = client.post(
        f"/instruments/{instrument.id}/downtimes",
        data={"start": local(day, 8), "end": local(day, 12), "reason": "Annual service"},
    )
    assert response.status_code == 302
    page = client.get(f"/instruments/{instrument.id}/downtimes").get_data(as_text=True)
    assert "受此停机影响的预约" in page and researcher.name in page
    downtime_id = db.session.execute(db.text("SELECT id FROM downtimes")).scalar()
    client.post(f"/downtimes/{downtime_id}/cancel-affected", data={"reason": "Annual service"})
    assert db.session.scalar(select(Booking.status)) == BookingStatus.CANCELLED
    bad = client.post(
        f"/instruments/{instrument.id}/downtimes",
        data={"start": local(day, 12), "end": local(day, 8)},
    )
    assert bad.status_code == 400


def test_a_series_is_confirmed_with_all_its_bookings(client, make, login):
    instrument = weekday_instrument(make)
    login(make.user("researcher"))
    day = next_weekday()
    response = client.post(
        f"/instruments/{instrument.id}/book",
        data={"start": local(day, 9), "end": local(day, 10), "repeat": "weekly", "count": 3},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    ids = [b.id for b in db.session.scalars(select(Booking).order_by(Booking.id))]
    assert len(ids) == 3
    assert all(f"#{i} " in page for i in ids)
    assert "¥600.00" in page  # three hours at 200.00 (tests.factories)
