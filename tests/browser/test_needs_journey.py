"""企业出题、院所答题 in a browser: platform staff log a visit to a company and write its need
down; the institute the platform suggests claims it, meets the company and signs; the impact
page's funnel moves by one at every stage."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import open_matching_menu, sign_in

pytestmark = pytest.mark.browser
COMPANY = "即墨汽车零部件科技有限公司"  # a demo company the survey team has not visited yet
TITLE = "汽车零部件在海洋大气中的盐雾腐蚀与防护涂层评价"
STAGES = ("走访企业", "征集需求", "院所认领", "对接洽谈", "签约需求")


def _funnel(page, live_server) -> list[int]:
    page.goto(live_server + "/impact")
    rows = page.locator("#figures tbody tr")
    return [int(rows.filter(has_text=stage).locator("td").first.inner_text()) for stage in STAGES]


def test_a_visit_becomes_a_contract_and_the_funnel_moves(browser, live_server):
    staff_context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    staff = staff_context.new_page()
    sign_in(staff, live_server, "staff@bluevalley.example")
    before = _funnel(staff, live_server)

    open_matching_menu(staff)
    staff.get_by_role("link", name="走访记录").click()
    staff.get_by_label("企业", exact=True).select_option(label=COMPANY)
    staff.get_by_label("走访日期").fill(date.today().isoformat())
    staff.get_by_label("备注").fill("与技术中心座谈：出口零部件在沿海地区锈蚀")
    staff.get_by_role("button", name="登记走访").click()
    expect(staff.get_by_text("走访已登记。")).to_be_visible()
    expect(staff.get_by_label("企业", exact=True)).to_have_value("jimo-auto")
    staff.get_by_label("标题").fill(TITLE)
    staff.get_by_label("领域").select_option(label="新材料")
    staff.get_by_label("企业需求").fill("需要盐雾试验、成分检测和涂层失效分析，确定防护方案。")
    staff.get_by_role("button", name="保存需求").click()
    expect(staff.get_by_text("需求已登记。")).to_be_visible()
    # Who could answer it, grouped by organisation, linked, with reasons in words.
    suggested = staff.locator('[data-kind="organisation-group"]').first
    expect(suggested.get_by_role("link", name="山东海洋检验检测集团")).to_have_attribute(
        "href", "/organisations/smit"
    )
    expect(suggested).to_contain_text("盐雾")
    expect(suggested).not_to_contain_text(re.compile(r"\b[01]\.\d\d\b"))
    need_url = staff.url

    lab_context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    lab = lab_context.new_page()
    sign_in(lab, live_server, "manager@smit.example")
    open_matching_menu(lab)
    lab.get_by_role("link", name="企业需求").click()
    # The platform suggests the need to the institute whose instruments and experts fit it;
    # a search of the desk keeps the suggestions among what it finds.
    lab.get_by_placeholder("关键词").fill("汽车零部件")
    lab.get_by_role("button", name="搜索").click()
    fitting = lab.get_by_role("region", name="适合山东海洋检验检测集团的需求")
    fitting.get_by_role("link", name=TITLE).click()
    lab.get_by_role("button", name="以山东海洋检验检测集团名义认领").click()
    expect(lab.get_by_text("已为本单位认领", exact=False)).to_be_visible()
    lab.get_by_label("备注").fill("赴企业现场取样，确定试验方案")
    lab.get_by_role("button", name="登记对接").click()
    expect(lab.get_by_text("对接已登记。")).to_be_visible()
    expect(lab.get_by_text("赴企业现场取样，确定试验方案").first).to_be_visible()
    lab.get_by_label("合同金额（元）").fill("180000")
    lab.get_by_role("button", name="登记合同").click()
    expect(lab.get_by_text("合同已登记。")).to_be_visible()
    expect(lab.locator("[data-status]")).to_have_attribute("data-status", "contracted")
    lab_context.close()

    staff.goto(need_url)
    expect(staff.get_by_text("山东海洋检验检测集团于", exact=False)).to_be_visible()
    after = _funnel(staff, live_server)
    assert after == [count + 1 for count in before], (before, after)
    staff_context.close()
