"""A newcomer signs up, signs in, searches the catalog in Chinese and opens an instrument."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import open_user_menu

pytestmark = pytest.mark.browser


def test_newcomer_signs_up_searches_and_opens_an_instrument(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("link", name="注册").click()
    page.get_by_label("姓名").fill("王小海")
    page.get_by_label("电子邮箱").fill("xiaohai@ouc.example")
    page.get_by_label("所属单位").select_option(label="中国海洋大学蓝谷研究院")
    page.get_by_label("密码", exact=True).fill("ocean-2026")
    page.get_by_label("再次输入密码").fill("ocean-2026")
    page.get_by_role("button", name="注册").click()
    expect(page.get_by_text("欢迎，王小海！您的账号已开通。")).to_be_visible()

    open_user_menu(page)
    page.get_by_role("button", name="退出").click()
    page.get_by_role("link", name="登录").click()
    page.get_by_label("电子邮箱").fill("xiaohai@ouc.example")
    page.get_by_label("密码").fill("ocean-2026")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="王小海")).to_be_visible()

    page.get_by_label("搜索仪器").fill("质谱")  # the start page's search box
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_label("关键词")).to_have_value("质谱")
    expect(page.get_by_text(re.compile(r"共找到 \d+ 台仪器"))).to_be_visible()
    results = page.locator("article.instrument-card h2 a")
    names = results.all_inner_texts()
    assert names and all("质谱" in name for name in names), names
    page.get_by_role("link", name="电感耦合等离子体质谱仪").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("电感耦合等离子体质谱仪")
    expect(page.get_by_text("您的价格").first).to_be_visible()  # an academic from elsewhere
    expect(page.get_by_text("iCAP RQ").first).to_be_visible()


def test_wrong_password_shows_the_message_in_place(page, live_server):
    page.goto(live_server + "/login")
    page.get_by_label("电子邮箱").fill("researcher@sdu.example")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("邮箱或密码错误。")).to_be_visible()


def test_english_switch_is_remembered(page, live_server):
    page.goto(live_server + "/instruments")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Instruments")).to_be_visible()
    page.goto(live_server + "/")
    expect(page.get_by_role("link", name="中文")).to_be_visible()
