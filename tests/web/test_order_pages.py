"""Order pages: the form explains refusals; others' orders stay hidden."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from sharing.extensions import db
from sharing.funding.models import AccountMember, FundingAccount
from sharing.orders.models import Order
from sharing.util.formatting import local_today
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


def test_the_order_form_shows_the_customers_price_and_asks_for_tracking_only_by_courier(
    client, make, login, shop
):
    login(shop["customer"])
    page = client.get(f"/instruments/{shop['instrument'].id}/order").get_data(as_text=True)
    # The company pays the enterprise rate, not the academic one.
    assert "¥280.00" in page and "¥200.00" not in page
    assert "5 天" in page
    assert 'data-shown-for-delivery="courier"' in page and "js/order-form.js" in page
    quoted = make.instrument(manager=shop["manager"], accepts_samples=True)  # no sample rate
    page = client.get(f"/instruments/{quoted.id}/order").get_data(as_text=True)
    assert "按报价计费" in page and "¥" not in page.split('id="price"')[1].split("</div>")[0]


def test_a_managers_order_list_keeps_orders_to_his_lab_apart_from_orders_placed_elsewhere(
    client, make, login, shop
):
    to_lab = submit(client, shop).json["id"]
    elsewhere_lab = make.org("institute", slug="ouc")
    elsewhere = make.instrument(
        manager=make.user("manager", elsewhere_lab), name="同位素比值质谱仪", accepts_samples=True
    )
    login(shop["manager"])
    placed = client.post(
        f"/instruments/{elsewhere.id}/order", data={"samples": "1", "delivery": "in_person"}
    )
    assert placed.status_code == 302
    placed_id = int(placed.headers["Location"].rsplit("/", 1)[1])
    page = client.get("/orders").get_data(as_text=True)
    lab_part, placed_part = page.split('id="placed"')
    assert 'id="to-lab"' in lab_part
    assert f">{to_lab}</a>" in lab_part and f">{placed_id}</a>" not in lab_part
    assert f">{placed_id}</a>" in placed_part and f">{to_lab}</a>" not in placed_part
    order = db.session.get(Order, to_lab)
    placed_on = order.created_at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d")
    assert placed_on in lab_part


def test_the_order_form_offers_the_firms_accounts_and_the_order_names_one(
    client, make, login, shop
):
    customer = shop["customer"]
    account = FundingAccount(
        organisation_id=customer.organisation_id,
        code="RD-2026-03",
        name="新品研发检测费",
        holder_id=customer.id,
        valid_from=local_today() - timedelta(days=10),
        valid_until=local_today() + timedelta(days=100),
        created_by_id=customer.id,
    )
    account.members.append(AccountMember(user_id=customer.id, approved_by_id=customer.id))
    db.session.add(account)
    db.session.commit()
    login(customer)
    url = f"/instruments/{shop['instrument'].id}/order"
    form = client.get(url).get_data(as_text=True)
    assert f'<option value="{account.id}" selected>RD-2026-03' in form
    refused = client.post(url, data={"samples": "2", "account_id": "999999"})
    assert refused.status_code == 400 and "没有您可使用的经费账户" in refused.get_data(as_text=True)
    sent = client.post(url, data={"samples": "2", "account_id": str(account.id)})
    assert sent.status_code == 302
    order = db.session.scalar(select(Order))
    assert order.account_id == account.id
    assert "RD-2026-03" in client.get(f"/orders/{order.id}").get_data(as_text=True)
