"""api.md "Campus sign-in": PATCH /organisations/<slug> with "sso", GET /auth/sso, and every
field of the "sso" object under hostile input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sharing.extensions import db
from sharing.sso.models import SignInDomain, SignInServer
from tests.fixtures.hostile import HOSTILE_TEXT
from tests.fixtures.idp import closed_port_url

CAS = {
    "protocol": "cas",
    "server_url": "https://pass.sdu.edu.cn/cas/",
    "email_domains": ["sdu.edu.cn", "Mail.SDU.edu.cn"],
    "default_role": "researcher",
}
OIDC = {
    "protocol": "oidc",
    "issuer": "https://id.ouc.edu.cn",
    "client_id": "bluevalley",
    "client_secret": "s3cret-never-shown",
    "email_domains": ["ouc.edu.cn"],
}


@pytest.fixture
def admin_headers(make, token_for):
    return token_for(make.admin())


def _patch(client, headers, slug, sso):
    return client.patch(f"/api/v1/organisations/{slug}", json={"sso": sso}, headers=headers)


def test_admins_set_cas_and_the_list_offers_it(client, make, admin_headers):
    make.org("university", slug="sdu", name="山东大学")
    answer = _patch(client, admin_headers, "sdu", CAS)
    assert answer.status_code == 200, answer.json
    assert answer.json["sso"] == {
        "protocol": "cas",
        "server_url": "https://pass.sdu.edu.cn/cas",
        "email_domains": ["mail.sdu.edu.cn", "sdu.edu.cn"],
        "default_role": "researcher",
        "login_url": "http://localhost/auth/sso/sdu/login",
    }
    listed = client.get("/api/v1/auth/sso")  # no credentials needed
    assert listed.status_code == 200
    assert listed.json["total"] == 1
    item = listed.json["items"][0]
    assert (item["slug"], item["name"], item["login_url"]) == (
        "sdu",
        "山东大学",
        "http://localhost/auth/sso/sdu/login",
    )
    assert "sso" not in client.get("/api/v1/organisations").json["items"][0]


def test_oidc_keeps_its_secret_sealed_and_never_returns_it(client, make, admin_headers):
    make.org("university", slug="ouc")
    answer = _patch(client, admin_headers, "ouc", OIDC)
    assert answer.status_code == 200, answer.json
    sso = answer.json["sso"]
    assert "client_secret" not in sso and sso["client_secret_set"] is True
    assert sso["default_role"] == "researcher"  # a university's default
    assert "s3cret-never-shown" not in answer.get_data(as_text=True)
    stored = db.session.scalar(select(SignInServer))
    assert stored.client_secret_sealed and "s3cret" not in stored.client_secret_sealed
    # Changing the domains keeps the secret; a new client id needs its own.
    kept = _patch(client, admin_headers, "ouc", {**OIDC, "client_secret": None})
    assert kept.status_code == 400  # null is not a secret
    without = {k: v for k, v in OIDC.items() if k != "client_secret"}
    assert (
        _patch(client, admin_headers, "ouc", {**without, "email_domains": ["x.cn"]}).status_code
        == 200
    )
    refused = _patch(client, admin_headers, "ouc", {**without, "client_id": "other"})
    assert refused.status_code == 400
    assert "client_secret" in refused.json["error"]["fields"]


def test_an_environment_secret_needs_none_in_the_request(app, client, make, admin_headers):
    make.org("university", slug="heu-qd")
    app.config["SSO_CLIENT_SECRETS"] = {"heu-qd": "from-the-environment"}
    without = {k: v for k, v in OIDC.items() if k != "client_secret"}
    answer = _patch(client, admin_headers, "heu-qd", {**without, "email_domains": ["hrbeu.cn"]})
    assert answer.status_code == 200, answer.json
    assert answer.json["sso"]["client_secret_set"] is False
    assert db.session.scalar(select(SignInServer.client_secret_sealed)) == ""


def test_null_removes_the_sign_in(client, make, admin_headers):
    make.org("university", slug="sdu")
    _patch(client, admin_headers, "sdu", CAS)
    answer = _patch(client, admin_headers, "sdu", None)
    assert answer.status_code == 200 and answer.json["sso"] is None
    assert db.session.scalar(select(func.count(SignInDomain.domain))) == 0
    assert client.get("/api/v1/auth/sso").json["items"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"protocol": "saml"}, "protocol"),
        ({"server_url": "ftp://pass.sdu.edu.cn"}, "server_url"),
        ({"server_url": "https://user:pw@pass.sdu.edu.cn"}, "server_url"),
        ({"server_url": "/cas"}, "server_url"),
        ({"email_domains": []}, "email_domains"),
        ({"email_domains": ["not a domain"]}, "email_domains"),
        ({"email_domains": ["@sdu.edu.cn"]}, "email_domains"),
        ({"email_domains": ["cn"]}, "email_domains"),
        ({"email_domains": [f"d{i}.cn" for i in range(21)]}, "email_domains"),
        ({"default_role": "admin"}, "default_role"),
        ({"default_role": "manager"}, "default_role"),
        ({"issuer": "https://id.sdu.edu.cn"}, "issuer"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_settings_are_400_with_the_field(client, make, admin_headers, change, field):
    make.org("university", slug="sdu")
    answer = _patch(client, admin_headers, "sdu", {**CAS, **change})
    assert answer.status_code == 400, answer.json
    assert answer.json["error"]["code"] == "bad_request"
    assert field in str(answer.json["error"]["fields"])
    assert db.session.scalar(select(func.count(SignInServer.id))) == 0


def test_oidc_needs_its_issuer_and_client(client, make, admin_headers):
    make.org("university", slug="ouc")
    for missing in ("issuer", "client_id", "client_secret"):
        body = {k: v for k, v in OIDC.items() if k != missing}
        answer = _patch(client, admin_headers, "ouc", body)
        assert answer.status_code == 400
        assert missing in answer.json["error"]["fields"]


def test_a_domain_belongs_to_one_organisation(client, make, admin_headers):
    make.org("university", slug="sdu")
    make.org("university", slug="other")
    _patch(client, admin_headers, "sdu", CAS)
    taken = _patch(client, admin_headers, "other", {**CAS, "email_domains": ["SDU.edu.cn"]})
    assert taken.status_code == 409
    assert taken.json["error"]["code"] == "duplicate"
    assert (
        _patch(client, admin_headers, "sdu", {**CAS, "email_domains": ["sdu.edu.cn"]}).status_code
        == 200
    )


def test_only_admins_set_it(client, make, token_for):
    org = make.org("university", slug="sdu")
    for role in ("manager", "researcher"):
        headers = token_for(make.user(role, org))
        assert _patch(client, headers, "sdu", CAS).status_code == 403
    assert client.patch("/api/v1/organisations/sdu", json={"sso": CAS}).status_code == 401
    assert _patch(client, token_for(make.admin()), "nowhere", CAS).status_code == 404


def test_every_field_of_the_sso_object_survives_hostile_input(client, make, admin_headers):
    make.org("university", slug="sdu")
    fields = ["protocol", "server_url", "issuer", "client_id", "client_secret", "default_role"]
    for base in (CAS, OIDC):
        for name in [*fields, "email_domains"]:
            for text in HOSTILE_TEXT:
                value = [text] if name == "email_domains" else text
                answer = _patch(client, admin_headers, "sdu", {**base, name: value})
                assert answer.status_code in (200, 400, 409), (name, text, answer.status_code)
            for odd in (None, 0, -1, 1.5, 10**23, True, [], {}, ["sdu.edu.cn"] * 3):
                answer = _patch(client, admin_headers, "sdu", {**base, name: odd})
                assert answer.status_code in (200, 400), (name, odd, answer.status_code)
    for odd in ("\x00", "x" * 5000, 7, [CAS], True):
        answer = client.patch("/api/v1/organisations/sdu", json={"sso": odd}, headers=admin_headers)
        assert answer.status_code == 400


@pytest.mark.parametrize("protocol", ["cas", "oidc"])
def test_the_sign_in_routes_survive_hostile_input(client, make, admin_headers, protocol):
    make.org("university", slug="sdu")
    down = closed_port_url()
    settings = {**CAS, "server_url": down} if protocol == "cas" else {**OIDC, "issuer": down}
    assert _patch(client, admin_headers, "sdu", settings).status_code == 200
    for text in HOSTILE_TEXT:
        query = dict.fromkeys(("next", "ticket", "state", "code", "error"), text)
        for path in ("/auth/sso/sdu/login", "/auth/sso/sdu/callback", f"/auth/sso/{text}/login"):
            status = client.get(path, query_string=query).status_code
            # The server is down: its clear page (503) or a refusal, never an error of ours.
            assert status in (302, 400, 404, 503), (path, text, status)
