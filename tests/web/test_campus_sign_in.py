"""Campus sign-in against real servers (tests/idp: django-cas-server, django-oidc-provider):
first and later sign-ins, the organisation and role, forged and replayed tickets, a wrong
state, an expired code, a wrong nonce, an off-site next, a server that is down."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sharing.auth.campus import configure_campus_sign_in
from sharing.auth.models import ExternalIdentity, User
from sharing.extensions import db
from tests.fixtures.idp import closed_port_url, idp  # noqa: F401 - the session's servers

APP = "http://localhost"
SECRET = "oidc-client-secret-do-not-leak-4711"


def _campus(make, slug: str, settings: dict, kind: str = "university", name: str = "山东大学"):
    organisation = make.org(kind, slug=slug, name=name)
    configure_campus_sign_in(make.admin(), organisation, settings)
    db.session.commit()
    return organisation


@pytest.fixture
def cas_org(make, idp):  # noqa: F811
    return _campus(
        make,
        "sdu",
        {"protocol": "cas", "server_url": idp.cas_url, "email_domains": ["sdu.edu.cn"]},
    )


@pytest.fixture
def oidc_org(make, idp):  # noqa: F811
    idp.add_oidc_client("platform-ouc", SECRET, [f"{APP}/auth/sso/ouc/callback"])
    return _campus(
        make,
        "ouc",
        {
            "protocol": "oidc",
            "issuer": idp.issuer,
            "client_id": "platform-ouc",
            "client_secret": SECRET,
            "email_domains": ["ouc.edu.cn"],
            "default_role": "researcher",
        },
        name="中国海洋大学",
    )


def _begin(client, slug: str, next_url: str = "/bookings"):
    response = client.get(f"/auth/sso/{slug}/login", query_string={"next": next_url})
    assert response.status_code == 302, response.data
    return response.headers["Location"]


def _return(client, back: str):
    assert back.startswith(APP + "/auth/sso/"), back
    return client.get(back[len(APP) :])


def _sign_in(client, idp, slug, username, next_url="/bookings"):  # noqa: F811
    return _return(client, idp.sign_in(_begin(client, slug, next_url), username))


def _me(client):
    return client.get("/api/v1/me")


def test_cas_first_sign_in_makes_the_account_and_later_ones_find_it(client, idp, cas_org):  # noqa: F811
    idp.add_user("201900123", "zhang.san@mail.sdu.edu.cn", first="三", last="张")
    first = _sign_in(client, idp, "sdu", "201900123")
    assert first.status_code == 302
    assert first.headers["Location"] == "/bookings"
    me = _me(client).json
    assert me["email"] == "zhang.san@mail.sdu.edu.cn"
    assert me["organisation"]["slug"] == "sdu"
    assert me["role"] == "researcher"
    assert me["name"] == "张三"

    client.post("/logout")
    assert _me(client).status_code == 401
    again = _sign_in(client, idp, "sdu", "201900123", next_url="/profile")
    assert again.headers["Location"] == "/profile"
    assert _me(client).json["id"] == me["id"]
    assert db.session.scalar(select(func.count(User.id)).where(User.email.like("%sdu.edu.cn"))) == 1
    identity = db.session.scalar(select(ExternalIdentity))
    assert (identity.subject, identity.protocol, identity.user_id) == ("201900123", "cas", me["id"])
