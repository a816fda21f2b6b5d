"""A company posts a challenge, a researcher applies, the company selects, the lab sees it."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import open_user_menu, sign_in

pytestmark = pytest.mark.browser
TITLE = "船用复合材料螺旋桨疲劳寿命评估"


def test_post_apply_select(browser, live_server):
    company = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    page = company.new_page()
    sign_in(page, live_server, "enterprise@marine-eq.example")
    open_user_menu(page)
    page.get_by_role("link", name="我们的榜单").click()
    page.get_by_role("link", name="发布榜单").click()
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("领域").select_option(label="海洋装备")
    page.get_by_label("预算（元）").fill("650000")
    deadline = (datetime.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("揭榜截止时间").fill(deadline)
    page.get_by_label("需求描述（Markdown）").fill("## 目标\n\n完成 **10^7** 次循环的疲劳评估。")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_text("榜单已发布", exact=False)).to_be_visible()
    expect(page.locator(".markdown-body strong")).to_have_text("10^7")
    challenge_url = page.url

    lab = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    researcher = lab.new_page()
    sign_in(researcher, live_server, "researcher@fio.example")
    researcher.get_by_role("link", name="揭榜挂帅").click()
    researcher.get_by_role("link", name=TITLE).click()
    researcher.get_by_label("技术方案（Markdown）").fill("依托疲劳试验机开展缩比试验")
    researcher.get_by_label("团队").fill("张伟等 5 人")
    researcher.get_by_label("报价（元）").fill("600000")
    researcher.get_by_role("button", name="揭榜").click()
    expect(researcher.get_by_text("揭榜申请已提交。")).to_be_visible()
    expect(researcher.locator("#my-outcome")).to_have_text("已提交")

    page.goto(challenge_url)
    card = page.locator(".card", has_text="依托疲劳试验机开展缩比试验")
    card.get_by_role("link", name="选定挂帅").click()
    expect(page.get_by_text("此操作无法撤销", exact=False)).to_be_visible()
    page.get_by_role("button", name="确定选定").click()
    expect(page.get_by_text("其他申请人将收到未获选的通知", exact=False)).to_be_visible()
    expect(page.get_by_text("已挂帅，攻关中").first).to_be_visible()
    company.close()

    open_user_menu(researcher)
    researcher.get_by_role("link", name="我的揭榜").click()
    row = researcher.locator("tr", has_text=TITLE)
    expect(row.get_by_text("获选牵头")).to_be_visible()
    researcher.get_by_role("link", name=TITLE).click()
    expect(researcher.locator("#my-outcome")).to_have_text("获选牵头")
    lab.close()
