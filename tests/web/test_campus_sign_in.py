"""Campus sign-in against real servers (tests/idp: django-cas-server, django-oidc-provider):
first and later sign-ins, the organisation and role, forged and replayed tickets, a wrong
state, an expired code, a wrong nonce, an off-site next, a server that is down."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sharing.auth.models import ExternalIdentity, User
from sharing.extensions import db
from tests.fixtures.idp import (
    begin,
    campus,
    closed_port_url,
    come_back,
    sign_in,
)


def _me(client):
    return client.get("/api/v1/me")


def test_cas_first_sign_in_makes_the_account_and_later_ones_find_it(client, idp, cas_org):
    idp.add_user("201900123", "zhang.san@mail.sdu.edu.cn", first="三", last="张")
    first = sign_in(client, idp, "sdu", "201900123")
    assert first.status_code == 302
    assert first.headers["Location"] == "/bookings"
    me = _me(client).json
    assert me["email"] == "zhang.san@mail.sdu.edu.cn"
    assert me["organisation"]["slug"] == "sdu"
    assert me["role"] == "researcher"
    assert me["name"] == "张三"

    client.post("/logout")
    assert _me(client).status_code == 401
    again = sign_in(client, idp, "sdu", "201900123", next_url="/profile")
    assert again.headers["Location"] == "/profile"
    assert _me(client).json["id"] == me["id"]
    assert db.session.scalar(select(func.count(User.id)).where(User.email.like("%sdu.edu.cn"))) == 1
    identity = db.session.scalar(select(ExternalIdentity))
    assert (identity.subject, identity.protocol, identity.user_id) == ("201900123", "cas", me["id"])


def test_a_new_address_at_the_server_follows_the_account(client, idp, cas_org):
    idp.add_user("201900124", "li.si@sdu.edu.cn")
    sign_in(client, idp, "sdu", "201900124")
    first = _me(client).json
    client.post("/logout")
    idp.add_user("201900124", "si.li@mail.sdu.edu.cn")
    sign_in(client, idp, "sdu", "201900124")
    later = _me(client).json
    assert later["id"] == first["id"]
    assert later["email"] == "si.li@mail.sdu.edu.cn"


def test_an_address_the_server_gives_another_subject_opens_no_linked_account(
    client,
    idp,
    cas_org,
):
    idp.add_user("201900125", "wang.wu@sdu.edu.cn")
    sign_in(client, idp, "sdu", "201900125")
    client.post("/logout")
    # The address was given to someone else at the university: not by e-mail alone.
    idp.add_user("201900999", "wang.wu@sdu.edu.cn")
    refused = sign_in(client, idp, "sdu", "201900999")
    assert refused.status_code == 403
    assert "wang.wu@sdu.edu.cn" in refused.get_data(as_text=True)
    assert _me(client).status_code == 401
    assert db.session.scalar(select(func.count(ExternalIdentity.id))) == 1


def test_an_account_made_before_the_sign_in_is_linked_at_its_first_campussign_in(
    client,
    make,
    idp,
    cas_org,
):
    existing = make.user("manager", cas_org, email="chen.jing@sdu.edu.cn")
    idp.add_user("t0001", "chen.jing@sdu.edu.cn")
    sign_in(client, idp, "sdu", "t0001")
    me = _me(client).json
    assert (me["id"], me["role"]) == (existing.id, "manager")


def test_an_address_of_another_organisation_or_outside_the_domains_is_refused(
    client,
    make,
    idp,
    cas_org,
):
    make.user("researcher", make.org("institute"), email="moved@sdu.edu.cn")
    idp.add_user("201900126", "moved@sdu.edu.cn")
    elsewhere = sign_in(client, idp, "sdu", "201900126")
    assert elsewhere.status_code == 403
    assert "另一单位" in elsewhere.get_data(as_text=True)
    idp.add_user("201900127", "someone@gmail.com")
    outside = sign_in(client, idp, "sdu", "201900127")
    assert outside.status_code == 403
    assert "someone@gmail.com" in outside.get_data(as_text=True)
    idp.add_user("201900128", "")
    no_mail = sign_in(client, idp, "sdu", "201900128")
    assert no_mail.status_code == 403
    assert _me(client).status_code == 401
    assert db.session.scalar(select(func.count(ExternalIdentity.id))) == 0


def test_the_default_role_and_organisation_of_a_company(client, make, idp):
    campus(
        make,
        "haida",
        {"protocol": "cas", "server_url": idp.cas_url, "email_domains": ["haida.com.cn"]},
        kind="enterprise",
        name="海大水产",
    )
    idp.add_user("hd-07", "ma.chao@haida.com.cn")
    sign_in(client, idp, "haida", "hd-07")
    me = _me(client).json
    assert (me["role"], me["organisation"]["slug"]) == ("enterprise", "haida")


def _ticketcome_back(client, idp, username):
    """Where the CAS server sends the person back: the service URL with state and ticket."""
    idp.add_user(username, f"{username}@sdu.edu.cn")
    return idp.sign_in(begin(client, "sdu"), username)


def test_a_forged_ticket_is_refused(client, idp, cas_org):
    back = _ticketcome_back(client, idp, "forger")
    forged = back.split("&ticket=")[0] + "&ticket=ST-1-forged0000000000000000"
    page = come_back(client, forged)
    assert page.status_code == 400
    assert "不接受此登录票据" in page.get_data(as_text=True)
    assert _me(client).status_code == 401


def test_a_replayed_ticket_is_refused_by_the_server(client, idp, cas_org):
    back = _ticketcome_back(client, idp, "replayer")
    with client.session_transaction() as kept:
        flow = dict(kept["campus_flow"])
    assert come_back(client, back).status_code == 302
    client.post("/logout")
    with client.session_transaction() as session:
        session["campus_flow"] = flow  # the same state again: only the server stops the replay
    replayed = come_back(client, back)
    assert replayed.status_code == 400
    assert "不接受此登录票据" in replayed.get_data(as_text=True)
    assert _me(client).status_code == 401


def test_a_return_with_another_state_is_refused(client, idp, cas_org):
    back = _ticketcome_back(client, idp, "stranger")
    tampered = back.replace("state=", "state=x", 1)
    page = come_back(client, tampered)
    assert page.status_code == 400
    assert "不属于在此浏览器中开始的登录" in page.get_data(as_text=True)
    assert _me(client).status_code == 401
    # A return with no sign-in begun in this browser at all (login CSRF) is refused too.
    fresh = client.application.test_client()
    assert come_back(fresh, back).status_code == 400


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/steal", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_an_off_site_next_leads_to_the_start_page(client, idp, cas_org, next_url):
    idp.add_user("201900130", "next@sdu.edu.cn")
    done = sign_in(client, idp, "sdu", "201900130", next_url=next_url)
    assert done.status_code == 302
    assert done.headers["Location"] == "/start"


def test_an_address_of_a_campus_domain_cannot_use_a_password(client, make, cas_org):
    make.user("researcher", cas_org, email="old@sdu.edu.cn")
    page = client.post("/login", data={"email": "old@sdu.edu.cn", "password": make.PASSWORD})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "使用统一身份认证账号登录" in text
    assert "/auth/sso/sdu/login" in text
    sub = client.post("/login", data={"email": "x@lab.sdu.edu.cn", "password": "whatever-1"})
    assert sub.status_code == 400
    assert _me(client).status_code == 401
    token = client.post(
        "/api/v1/auth/tokens", json={"email": "old@sdu.edu.cn", "password": make.PASSWORD}
    )
    assert token.status_code == 401
    error = token.json["error"]
    assert (error["code"], error["reason"], error["organisation"]) == (
        "invalid_credentials",
        "sso_required",
        "sdu",
    )
    assert error["login_url"] == "http://localhost/auth/sso/sdu/login"
    signup = client.post(
        "/signup",
        data={
            "name": "新人",
            "email": "new@sdu.edu.cn",
            "organisation": "sdu",
            "password": "a-good-pass-42",
            "confirm": "a-good-pass-42",
        },
    )
    assert signup.status_code == 400
    assert "/auth/sso/sdu/login" in signup.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "new@sdu.edu.cn")) is None


def test_the_sign_in_page_offers_the_campus_servers(client, cas_org, oidc_org):
    page = client.get("/login").get_data(as_text=True)
    assert "data-campus-servers" in page
    assert "sdu.edu.cn" in page and "ouc.edu.cn" in page
    assert "/static/js/campus-sign-in.js" in page
    assert "<script>" not in page  # the script is a file: CSP allows no inline script


def test_a_cas_server_that_is_down_gives_a_clear_page(client, make, idp):
    down = closed_port_url()
    campus(make, "down", {"protocol": "cas", "server_url": down, "email_domains": ["down.cn"]})
    start = begin(client, "down")
    assert start.startswith(down + "/login?service=")
    state = start.split("state%3D")[1]
    page = client.get(f"/auth/sso/down/callback?state={state}&ticket=ST-1-abc")
    assert page.status_code == 503
    assert "无法连接" in page.get_data(as_text=True)


def test_a_server_answering_nonsense_gives_the_same_clear_page(client, make, idp):
    # The provider's discovery document is JSON, not a CAS answer.
    campus(
        make,
        "odd",
        {"protocol": "cas", "server_url": idp.url + "/openid/jwks", "email_domains": ["odd.cn"]},
    )
    state = begin(client, "odd").split("state%3D")[1]
    page = client.get(f"/auth/sso/odd/callback?state={state}&ticket=ST-1-abc")
    assert page.status_code == 503
