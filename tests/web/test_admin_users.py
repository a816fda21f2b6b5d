"""The admin's user list: searched by words, organisation and lockout, paged, and returned to."""

import re
from datetime import timedelta

import pytest

from sharing.auth.models import User
from sharing.extensions import db
from sharing.util.timeutil import utcnow

LISTED_EMAIL = re.compile(r'<small class="text-muted">([^<]+@[^<]+)</small>')


def listed(client, query: str = "") -> list[str]:
    response = client.get("/admin/users" + query)
    assert response.status_code == 200
    return LISTED_EMAIL.findall(response.get_data(as_text=True))


@pytest.fixture
def admin_client(client, make, login):
    admin = make.admin()
    login(admin)
    return client


def test_words_match_names_and_addresses_and_every_word_must_match(admin_client, make):
    ocean = make.org("institute", slug="ouc", name="中国海洋大学")
    make.user(org=ocean, name="王海洋", email="wang.hy@ouc.example")
    make.user(org=ocean, name="李娜", email="lina@ouc.example")
    make.user(name="王强", email="wq@sdu.example")
    assert listed(admin_client, "?q=王") == ["wang.hy@ouc.example", "wq@sdu.example"]
    assert listed(admin_client, "?q=OUC.example") == ["lina@ouc.example", "wang.hy@ouc.example"]
    assert listed(admin_client, "?q=王+ouc") == ["wang.hy@ouc.example"]
    assert listed(admin_client, "?q=%25") == []  # a LIKE wildcard is a plain character
    assert "没有符合条件的账号" in admin_client.get("/admin/users?q=nobody").get_data(as_text=True)


def test_filters_by_organisation_and_by_lockout(admin_client, make):
    ocean = make.org("institute", slug="ouc")
    mine = make.user(org=ocean, email="a@ouc.example")
    make.user(email="b@sdu.example")
    locked = make.user(email="c@fio.example")
    expired = make.user(email="d@fio.example")
    locked.locked_until = utcnow() + timedelta(minutes=10)
    expired.locked_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert listed(admin_client, "?organisation=ouc") == [mine.email]
    assert listed(admin_client, "?locked=1") == ["c@fio.example"]
    assert listed(admin_client, "?locked=1&organisation=ouc") == []


def test_long_lists_are_paged_and_odd_page_numbers_are_harmless(admin_client, make):
    crowd = make.org("institute", slug="crowd")
    for number in range(55):
        make.user(org=crowd, email=f"p{number:02d}@crowd.example", name=f"研究员{number:02d}")
    first = listed(admin_client, "?organisation=crowd")
    second = listed(admin_client, "?organisation=crowd&page=2")
    assert len(first) == 50 and len(second) == 5 and not set(first) & set(second)
    assert "共 55 个账号" in admin_client.get("/admin/users?organisation=crowd").get_data(
        as_text=True
    )
    assert listed(admin_client, "?organisation=crowd&page=abc") == first
    assert listed(admin_client, "?organisation=crowd&page=0") == first
    assert listed(admin_client, "?organisation=crowd&page=99999999999999999999") == first
    assert listed(admin_client, "?organisation=crowd&page=7") == second  # past the end: the last


def test_a_change_returns_to_the_list_as_it_was_searched(admin_client, make):
    user = make.user(email="x@ouc.example")
    user.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    back = "/admin/users?q=ouc&locked=1&page=1"
    response = admin_client.post(f"/admin/users/{user.id}", data={"unlock": "1", "back": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is None
    elsewhere = admin_client.post(
        f"/admin/users/{user.id}", data={"role": "manager", "back": "https://evil.example/"}
    )
    assert elsewhere.headers["Location"] == "/admin/users"


def test_every_row_carries_the_way_back(admin_client, make):
    make.user(email="y@ouc.example")
    page = admin_client.get("/admin/users?q=ouc").get_data(as_text=True)
    assert page.count('name="back" value="/admin/users?q=ouc"') == 2  # role and account forms


def test_the_new_account_form_starts_safe_and_needs_an_organisation(admin_client, make):
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert '<option selected value="manager">' in page  # never an admin by a slip
    assert 'value="">请选择单位</option>' in page
    body = {"name": "冯磊", "email": "feng@heu.example", "password": "manager-2026"}
    refused = admin_client.post("/admin/users", data={**body, "role": "manager"})
    assert refused.status_code == 400 and "is-invalid" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(User).where(User.email == "feng@heu.example")) is None
