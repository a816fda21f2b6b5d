"""Order pages: the form explains refusals; others' orders stay hidden."""

from sqlalchemy import select

from sharing.extensions import db
from sharing.orders.models import Order
from tests.api.test_orders_api import shop

__all__ = ["shop"]


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
