"""The lab hears of new orders; the customer of quotes and delivered results."""

import pytest

from tests.fixtures.orders import PDF, step, submit, upload


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def test_order_mails(client, shop, smtp):
    _port, inbox = smtp
    oid = submit(client, shop).json["id"]
    [to_lab] = inbox.wait_for(1)
    assert to_lab["To"] == shop["manager"].email and "新的送样检测订单" in to_lab["Subject"]
    step(client, shop, oid, "quote", "lab")
    to_customer = inbox.wait_for(2)[1]
    assert to_customer["To"] == shop["customer"].email and "已报价" in to_customer["Subject"]
    step(client, shop, oid, "accept", "cust")
    step(client, shop, oid, "receive", "lab", {"received_samples": 6})
    step(client, shop, oid, "start", "lab")
    upload(client, shop, oid, data=PDF)
    step(client, shop, oid, "deliver", "lab")
    results = inbox.wait_for(3)[2]
    assert "结果已出" in results["Subject"] and f"/orders/{oid}" in results.get_content()
