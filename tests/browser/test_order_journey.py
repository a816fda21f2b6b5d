"""Company orders testing; the lab quotes, receives, runs, uploads, completes; the company
downloads the result and sees the charge on its statement."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import INSTRUMENT, open_user_menu, sign_in

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.7\n% ICP-MS results\n"


def next_thursday() -> date:
    day = date.today() + timedelta(days=3)
    while day.weekday() != 3:
        day += timedelta(days=1)
    return day


def test_sample_order_from_submission_to_statement(browser, live_server):
    company = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="zh-CN", accept_downloads=True
    )
    customer = company.new_page()
    sign_in(customer, live_server, "enterprise@jimo-auto.example")
    customer.goto(live_server + "/instruments?q=" + INSTRUMENT)
    customer.get_by_role("link", name=INSTRUMENT).click()
    customer.get_by_role("link", name="送样检测", exact=True).click()
    customer.get_by_label("样品数量").fill("4")
    customer.get_by_label("样品类型").fill("涂层剥离液")
    customer.get_by_label("检测项目").fill("Cr, Ni, Zn")
    customer.get_by_role("button", name="提交订单").click()
    expect(customer.get_by_text("订单已提交给实验室。")).to_be_visible()
    order_url = customer.url

    lab = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    desk = lab.new_page()
    sign_in(desk, live_server, "manager@fio.example")
    desk.goto(order_url)
    expect(desk.get_by_label("每样品价格（元）")).to_have_value(
        "420.00"
    )  # enterprise per-sample rate
    desk.get_by_role("button", name="发送报价").click()
    expect(desk.locator("#quote-total")).to_have_text("¥1,680.00")

    customer.reload()
    customer.get_by_role("button", name="接受报价").click()
    expect(customer.locator("#order-status")).to_have_text("已接受")

    desk.reload()
    desk.get_by_role("button", name="登记收样").click()
    thursday = next_thursday().isoformat()
    # The run is placed on the instrument's calendar, the one place that schedules runs.
    desk.get_by_role("link", name="在仪器日历上选择时间").click()
    desk.get_by_label("开始", exact=True).fill(f"{thursday}T17:00")
    desk.get_by_label("结束", exact=True).fill(f"{thursday}T18:00")
    desk.get_by_role("button", name="申请此时段").click()
    expect(desk.get_by_text("送样检测上机时段已预约。")).to_be_visible()
    desk.get_by_role("button", name="开始检测").click()
    desk.set_input_files(
        "#file", files=[{"name": "icp-ms.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    desk.get_by_role("button", name="上传").click()
    expect(desk.get_by_role("link", name="icp-ms.pdf")).to_be_visible()
    desk.get_by_role("button", name="交付结果").click()
    desk.get_by_label("实测样品数").fill("3")
    desk.get_by_role("button", name="完成并计费").click()
    expect(desk.locator("#order-status")).to_have_text("已完成")
    lab.close()

    customer.reload()
    with customer.expect_download() as download:
        customer.get_by_role("link", name="icp-ms.pdf").click()
    assert download.value.suggested_filename == "icp-ms.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    open_user_menu(customer)
    customer.get_by_role("link", name="对账单").click()
    customer.locator("main").get_by_role("link", name="对账单").click()
    expect(customer.locator("tbody tr", has_text="送样检测").locator("td").last).to_have_text(
        "¥1,260.00"
    )  # 3 measured × 420
    company.close()
