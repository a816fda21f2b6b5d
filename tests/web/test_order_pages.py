"""Order pages: the form explains refusals; others' orders stay hidden."""

from sqlalchemy import select

from sharing.extensions import db
from sharing.orders.models import Order
from tests.fixtures.bookings import next_weekday
from tests.fixtures.orders import step, submit


def test_order_form_and_pages(client, make, login, shop):
    login(shop["customer"])
    url = f"/instruments/{shop['instrument'].id}/order"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"samples": "0"}).status_code == 400
    courier = client.post(url, data={"samples": "2", "delivery": "courier"})
    assert courier.status_code == 400 and "tracking" in courier.get_data(as_text=True)
    created = client.post(
        url, data={"samples": "2", "sample_type": "海水", "delivery": "in_person"}
    )
    assert created.status_code == 302
    order = db.session.scalar(select(Order))
    assert "海水" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert str(order.id) in client.get("/orders").get_data(as_text=True)
    client.post("/logout")
    login(make.user("enterprise"))
    assert client.get(f"/orders/{order.id}").status_code == 404
    assert client.post(f"/orders/{order.id}/cancel").status_code == 404


def test_instrument_without_samples_explains_itself(client, make, login, shop):
    plain = make.instrument(manager=shop["manager"], accepts_samples=False)
    login(shop["customer"])
    response = client.post(f"/instruments/{plain.id}/order", data={"samples": "1"})
    assert response.status_code == 400 and "此仪器不接受送样检测" in response.get_data(as_text=True)


def test_lab_places_a_run_from_the_instrument_calendar(client, make, login, shop):
    oid = submit(client, shop).json["id"]
    step(client, shop, oid, "quote", "lab")
    step(client, shop, oid, "accept", "cust")
    login(shop["manager"])
    url = f"/instruments/{shop['instrument'].id}/book?order={oid}"
    page = client.get(url).get_data(as_text=True)
    assert f"订单 {oid}" in page and 'id="calendar"' in page
    day = next_weekday().strftime("%Y-%m-%d")
    response = client.post(url, data={"start": f"{day}T09:00", "end": f"{day}T10:00"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/orders/{oid}")
    from sharing.bookings.models import Booking

    assert db.session.scalar(select(Booking.order_id)) == oid
    client.post("/logout")
    login(shop["customer"])
    assert client.get(url).status_code == 404  # only the lab places runs


def test_lab_quotes_a_per_sample_price_from_the_order_page(client, login, shop):
    oid = submit(client, shop).json["id"]
    login(shop["manager"])
    client.post(f"/orders/{oid}/quote", data={"per_sample_price": "300.00"})
    db.session.expire_all()
    [line] = db.session.get(Order, oid).quote_lines
    assert (line.description, line.quantity, line.unit_price, line.per_sample) == (
        "每样品",  # in the lab's language, as printed on the customer's statement
        6,
        300,
        True,
    )
    assert line.amount == 1800
