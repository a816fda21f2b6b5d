"""OpenID Connect sign-in against a real provider (django-oidc-provider in tests/idp), the
client secret that no answer shows, signing out at the server, and tokens for campus accounts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from sharing.auth.models import ApiToken
from sharing.extensions import db
from sharing.sso.models import SignInServer
from tests.fixtures.idp import (
    APP,
    CLIENT_SECRET,
    begin,
    campus,
    closed_port_url,
    come_back,
    sign_in,
)


def _me(client):
    return client.get("/api/v1/me")


def test_first_and_later_oidc_sign_in(client, idp, oidc_org):
    idp.add_user("ouc-2024-881", "huang.min@ouc.edu.cn", first="敏", last="黄")
    start = begin(client, "ouc")
    asked = parse_qs(urlsplit(start).query)
    assert start.startswith(idp.issuer + "/authorize")
    assert asked["scope"] == ["openid email profile"]
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["nonce"] and asked["state"]
    done = come_back(client, idp.sign_in(start, "ouc-2024-881"))
    assert (done.status_code, done.headers["Location"]) == (302, "/bookings")
    me = _me(client).json
    assert (me["email"], me["name"], me["role"]) == ("huang.min@ouc.edu.cn", "黄敏", "researcher")
    assert me["organisation"]["slug"] == "ouc"
    client.post("/logout")
    sign_in(client, idp, "ouc", "ouc-2024-881")
    assert _me(client).json["id"] == me["id"]


def test_a_wrong_state_is_refused(client, idp, oidc_org):
    idp.add_user("ouc-state", "state@ouc.edu.cn")
    back = idp.sign_in(begin(client, "ouc"), "ouc-state")
    tampered = back.replace("state=", "state=other", 1)
    page = come_back(client, tampered)
    assert page.status_code == 400
    assert "不属于在此浏览器中开始的登录" in page.get_data(as_text=True)
    assert _me(client).status_code == 401


def test_an_expired_code_is_refused_by_the_provider(client, idp, oidc_org):
    idp.add_user("ouc-late", "late@ouc.edu.cn")
    back = idp.sign_in(begin(client, "ouc"), "ouc-late")
    assert idp.expire_codes() >= 1
    page = come_back(client, back)
    assert page.status_code == 400
    assert "不接受此授权码" in page.get_data(as_text=True)
    assert _me(client).status_code == 401


def test_a_code_used_twice_is_refused(client, idp, oidc_org):
    idp.add_user("ouc-twice", "twice@ouc.edu.cn")
    back = idp.sign_in(begin(client, "ouc"), "ouc-twice")
    with client.session_transaction() as session:
        kept = dict(session)
    assert come_back(client, back).status_code == 302
    client.post("/logout")
    with client.session_transaction() as session:
        session.update({k: v for k, v in kept.items() if k.startswith(("_state_", "campus_"))})
    page = come_back(client, back)
    assert page.status_code == 400
    assert _me(client).status_code == 401


def test_a_wrong_nonce_is_refused(client, idp, oidc_org):
    idp.add_user("ouc-nonce", "nonce@ouc.edu.cn")
    back = idp.sign_in(begin(client, "ouc"), "ouc-nonce")
    with client.session_transaction() as session:
        key = next(k for k in session if k.startswith("_state_campus-ouc_"))
        state = dict(session[key])
        state["data"] = {**state["data"], "nonce": "not-the-nonce-sent"}
        session[key] = state
    page = come_back(client, back)
    assert page.status_code == 400
    assert "未通过校验" in page.get_data(as_text=True)
    assert _me(client).status_code == 401


def test_a_provider_that_is_down_gives_a_clear_page(client, make, idp):
    campus(
        make,
        "gone",
        {
            "protocol": "oidc",
            "issuer": closed_port_url() + "/openid",
            "client_id": "x",
            "client_secret": "y",
            "email_domains": ["gone.cn"],
        },
    )
    page = client.get("/auth/sso/gone/login")
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "暂时没有响应" in text
    assert "/auth/sso/gone/login" in text  # try again


def test_a_provider_without_discovery_gives_the_same_page(client, make, idp):
    campus(
        make,
        "nodisc",
        {
            "protocol": "oidc",
            "issuer": idp.url + "/nothing-here",
            "client_id": "x",
            "client_secret": "y",
            "email_domains": ["nodisc.cn"],
        },
    )
    assert client.get("/auth/sso/nodisc/login").status_code == 503


def test_the_client_secret_is_in_no_answer(client, make, login, token_for, idp, oidc_org):
    admin = make.admin()
    headers = token_for(admin)
    sealed = db.session.scalar(select(SignInServer.client_secret_sealed))
    assert sealed and CLIENT_SECRET not in sealed
    answers = [
        client.patch(
            "/api/v1/organisations/ouc",
            json={
                "sso": {
                    "protocol": "oidc",
                    "issuer": idp.issuer,
                    "client_id": "platform-ouc",
                    "email_domains": ["ouc.edu.cn"],
                }
            },
            headers=headers,
        ),
        client.get("/api/v1/organisations?per_page=100"),
        client.get("/api/v1/auth/sso"),
        client.get("/api/v1/openapi.json"),
        client.get("/login"),
        client.get("/organisations/ouc"),
    ]
    login(admin)
    answers += [client.get("/admin/organisations"), client.get("/admin/organisations/ouc/sign-in")]
    for answer in answers:
        assert answer.status_code == 200, answer.request.path
        assert CLIENT_SECRET not in answer.get_data(as_text=True), answer.request.path
    assert answers[0].json["sso"]["client_secret_set"] is True
    # Kept, though the PATCH named no secret: the provider still takes it.
    client.post("/logout")
    idp.add_user("ouc-kept", "kept@ouc.edu.cn")
    assert sign_in(client, idp, "ouc", "ouc-kept").status_code == 302


def test_signing_out_continues_at_the_provider(client, idp, oidc_org):
    idp.add_user("ouc-out", "out@ouc.edu.cn")
    sign_in(client, idp, "ouc", "ouc-out")
    out = client.post("/logout")
    assert out.headers["Location"] == "/auth/sso/signed-out"
    assert _me(client).status_code == 401
    page = client.get("/auth/sso/signed-out")
    text = page.get_data(as_text=True)
    assert idp.issuer + "/end-session?" in text
    assert "id_token_hint=" in text and "data-follow" in text
    assert client.get("/auth/sso/signed-out").status_code == 302  # once


def test_signing_out_of_cas_continues_at_the_cas_server(client, idp, cas_org):
    idp.add_user("cas-out", "out@sdu.edu.cn")
    sign_in(client, idp, "sdu", "cas-out")
    assert client.post("/logout").headers["Location"] == "/auth/sso/signed-out"
    text = client.get("/auth/sso/signed-out").get_data(as_text=True)
    assert f"{idp.cas_url}/logout?service=http%3A%2F%2Flocalhost%2F" in text


def test_a_password_account_signs_out_as_before(client, make, login):
    login(make.user("researcher"))
    assert client.post("/logout").headers["Location"] == "/"


def test_campus_accounts_make_list_and_revoke_api_tokens(client, idp, cas_org):
    idp.add_user("201900200", "tokens@sdu.edu.cn")
    sign_in(client, idp, "sdu", "201900200")
    profile = client.get("/profile").get_data(as_text=True)
    assert "/profile/password" not in profile  # no password to change
    made = client.post("/profile/tokens", data={"label": "月度导出脚本"})
    assert made.status_code == 200
    assert made.headers["Cache-Control"] == "no-store"
    token = made.get_data(as_text=True).split('id="new-token" value="')[1].split('"')[0]
    api = client.application.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listed = client.get("/profile").get_data(as_text=True)
    assert "月度导出脚本" in listed and token not in listed
    record = db.session.scalar(select(ApiToken))
    client.post("/profile/tokens/revoke", data={"token": str(record.id)})
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    too_long = client.post("/profile/tokens", data={"label": "x" * 81})
    assert too_long.status_code == 400


def test_the_server_page_of_the_login_is_unknown_without_a_sign_in(client):
    assert client.get("/auth/sso/nobody/login").status_code == 404
    assert client.get("/auth/sso/nobody/callback?ticket=ST-1").status_code == 404
    assert APP == "http://localhost"
