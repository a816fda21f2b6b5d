"""Issue 37.6 wording: each page names what its figures are about, in one unit, and English
pages mark the data kept only in Chinese."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from sharing.core.mail import mails_queued
from sharing.extensions import db
from sharing.instruments.attached import QualifiedUser
from sharing.needs.models import Transfer
from sharing.training.reminders import qualifications_expiring
from sharing.util.formatting import format_budget, format_local
from sharing.util.timeutil import utcnow
from tests.fixtures.billing import LAST_MONTH, owed


def _in_english(client):
    client.get("/lang/en")


# 1. An expiring qualification names its instrument -------------------------------------


def _expiring_grant(make):
    instrument = make.instrument(name="场发射扫描电镜", name_en="FE-SEM")
    user = make.user("researcher")
    expires = utcnow() + timedelta(days=10)
    db.session.add(QualifiedUser(instrument_id=instrument.id, user_id=user.id, expires_at=expires))
    db.session.commit()
    return instrument, user, format_local(expires, "%Y-%m-%d")


def _expiring_item(page: str, instrument_id: int) -> str:
    found = re.search(rf'<li data-expiring="{instrument_id}">(.*?)</li>', page, re.S)
    assert found, "the expiring qualification is listed"
    return found.group(1)


def test_the_start_page_names_the_instrument_of_an_expiring_qualification(client, login, make):
    instrument, user, day = _expiring_grant(make)
    login(user)
    item = _expiring_item(client.get("/start").get_data(as_text=True), instrument.id)
    assert f"场发射扫描电镜 资格有效期至 {day}" in item
    _in_english(client)
    item = _expiring_item(client.get("/start").get_data(as_text=True), instrument.id)
    assert f"Qualification for FE-SEM until {day}" in item


def test_the_qualification_reminder_names_the_instrument(app, make):
    instrument, user, day = _expiring_grant(make)
    sent = []
    with mails_queued.connected_to(lambda sender, mails: sent.extend(mails)):
        assert qualifications_expiring(utcnow()) == 1
    db.session.commit()
    (mail,) = sent
    assert mail.to == user.email and instrument.name in mail.subject
    assert f"您的场发射扫描电镜使用资格将于 {day} 到期" in mail.body


# 2. Receivables: headed 客户单位, the lab's own use apart -------------------------------


def _lab_with_internal_use(make):
    lab = make.org("institute", slug="lab", name="试点实验室")
    customer = make.org("university", slug="sdu", name="山东大学（青岛校区）")
    owed(lab, customer, "2500.00")
    owed(lab, lab, "777.00")  # the lab's own use of its instruments
    return lab, make.user("manager", lab)


def test_receivables_are_headed_by_customer_organisation(client, login, make):
    _lab, manager = _lab_with_internal_use(make)
    login(manager)
    page = client.get(f"/receivables?month={LAST_MONTH}").get_data(as_text=True)
    assert '<th scope="col">客户单位</th>' in page
    _in_english(client)
    page = client.get(f"/receivables?month={LAST_MONTH}").get_data(as_text=True)
    assert '<th scope="col">Customer organisation</th>' in page


def test_the_labs_own_use_is_apart_from_its_receivables(client, login, make):
    _lab, manager = _lab_with_internal_use(make)
    login(manager)
    page = client.get(f"/receivables?month={LAST_MONTH}").get_data(as_text=True)
    table = page[page.index("<table") : page.index("</table>")]
    assert 'data-customer="sdu"' in table and 'data-customer="lab"' not in table
    assert "¥777.00" not in table and "¥3,277.00" not in table
    footer = table[table.index("<tfoot>") :]
    assert "¥2,500.00" in footer
    box = page[
        page.index('id="internal-use"') : page.index("</section>", page.index("internal-use"))
    ]
    assert "内部使用" in box and "¥777.00" in box and "试点实验室" in box
    text = client.get(f"/receivables.csv?month={LAST_MONTH}").data.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text)) if row}
    assert "山东大学（青岛校区）" in rows and "试点实验室" not in rows
    assert "777.00" not in text


# 3. Impact: one unit per figure ---------------------------------------------------------


def test_format_budget_names_one_unit(app):
    assert format_budget(Decimal("9500"), chinese=True) == "9500 元"
    assert format_budget(Decimal("1500000"), chinese=True) == "150 万元"
    assert format_budget(Decimal("99990000"), chinese=True) == "9999 万元"
    assert format_budget(Decimal("100000000"), chinese=True) == "1 亿元"
    assert format_budget(Decimal("250000000"), chinese=True) == "2.5 亿元"
    assert format_budget(Decimal("250000000"), chinese=False) == "¥250,000,000"
    assert format_budget(None, chinese=True) == ""


def test_the_impact_page_shows_250_million_as_2_5_yi(client, make):
    company, institute = make.org("enterprise"), make.org("institute")
    db.session.add(
        Transfer(
            title="一种海洋防污涂层",
            kind="licence",
            from_org_id=institute.id,
            to_org_id=company.id,
            amount=250_000_000,
            signed_on=date(2026, 3, 1),
            recorded_by_id=make.user("researcher", make.org("operator")).id,
        )
    )
    db.session.commit()
    page = client.get("/impact?from=2026-01-01&to=2026-06-30").get_data(as_text=True)
    assert "2.5 亿元" in page and "25000 万元" not in page
    cards = re.findall(r'<div class="small text-muted">(.*?)</div>\s*<div[^>]*>(.*?)</div>', page)
    assert ("转化合同金额", "2.5 亿元") in cards
    for card in cards:
        assert not ("（元）" in card[0] and ("万元" in card[1] or "亿元" in card[1])), card
    assert "（元）" not in page


# 4. English instrument page ------------------------------------------------------------


def test_the_english_instrument_page_heads_its_record_and_marks_chinese_only_data(
    client, login, make
):
    instrument = make.instrument(model="深海型", manufacturer="青岛海仪", location="A 楼 101 室")
    login(make.user("researcher"))
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert '<h2 class="h5">基本信息</h2>' in page and "zh-only" not in page
    _in_english(client)
    page = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert '<h2 class="h5">About the instrument</h2>' in page
    assert '<h2 class="h5">Record</h2>' not in page
    for value in ("深海型", "青岛海仪", "A 楼 101 室"):
        assert f'<span lang="zh-CN">{value}</span> <span class="badge' in page, value
    assert page.count('zh-only" title="Only in Chinese">中文</span>') >= 3


def test_english_catalog_cards_mark_chinese_only_data(client, make):
    """Issue 37: the catalog's cards showed maker, model and location in Chinese on English
    pages with nothing to say so; each is now lang="zh-CN" and the card says "(in Chinese)"."""
    chinese = make.instrument(
        name_en="Deep-sea profiler", model="深海型", manufacturer="青岛海仪", location="A 楼 101 室"
    )
    english = make.instrument(
        name_en="Bruker D8 diffractometer", model="D8", manufacturer="Bruker", location="Lab 3"
    )
    _in_english(client)
    page = client.get("/instruments").get_data(as_text=True)
    cards = {
        instrument.id: page[page.index(f'href="/instruments/{instrument.id}"') :].split(
            "</article>"
        )[0]
        for instrument in (chinese, english)
    }
    for value in ("深海型", "青岛海仪", "A 楼 101 室"):
        assert f'<span lang="zh-CN">{value}</span>' in cards[chinese.id], value
    assert 'class="zh-only-note' in cards[chinese.id] and "(in Chinese)" in cards[chinese.id]
    assert "zh-only-note" not in cards[english.id] and 'lang="zh-CN"' not in cards[english.id]

    client.get("/lang/zh")
    page = client.get("/instruments").get_data(as_text=True)
    assert "zh-only-note" not in page and '<span lang="zh-CN">深海型</span>' not in page


def _zh_filter(app, lang, value):
    with app.test_request_context("/", headers={"Cookie": f"lang={lang}"}):
        return str(app.jinja_env.filters["zh"](value))


def test_the_zh_filter_marks_chinese_only_data_on_english_pages(app):
    marked = _zh_filter(app, "en", "青岛<海仪>")
    assert marked.startswith('<span lang="zh-CN">青岛&lt;海仪&gt;</span>')
    assert ">中文</span>" in marked
    assert _zh_filter(app, "en", "Bruker D8") == "Bruker D8"
    assert _zh_filter(app, "en", None) == ""
    assert _zh_filter(app, "zh", "青岛<海仪>") == "青岛&lt;海仪&gt;"
