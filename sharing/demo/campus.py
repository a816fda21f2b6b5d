"""Demo campus sign-in (统一身份认证): Shandong University signs its people in through CAS,
the Ocean University of China's institute through OpenID Connect; a few of their people have
already signed in that way (accounts without a password, found by their campus user name)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from sharing.auth.campus import CampusPerson, configure_campus_sign_in, sign_in_with_campus_account
from sharing.auth.services import get_user_by_email
from sharing.demo.data import USERS
from sharing.extensions import db
from sharing.orgs.services import get_organisation
from sharing.sso.models import SignInServer
from sharing.sso.services import server_of

# slug, settings (api.md's "sso" object). The servers are the institutes' own (invented here);
# the demo's password accounts use other domains, so they still sign in with passwords.
SERVERS = [
    (
        "sdu-qd",
        {
            "protocol": "cas",
            "server_url": "https://pass.sdu.example/cas",
            "email_domains": ["mail.sdu.example"],
            "default_role": "researcher",
        },
    ),
    (
        "ouc-bv",
        {
            "protocol": "oidc",
            "issuer": "https://id.ouc.example",
            "client_id": "bluevalley-sharing",
            "client_secret": "demo-only-secret-sealed-in-the-database",
            "email_domains": ["stu.ouc.example"],
            "default_role": "researcher",
        },
    ),
]
# Who has signed in already: organisation, the server's subject, address, name.
PEOPLE = [
    ("sdu-qd", "202120301187", "sun.yue@mail.sdu.example", "孙悦（硕士生）"),
    ("sdu-qd", "200611042", "qian.lei@mail.sdu.example", "钱磊（副教授）"),
    ("ouc-bv", "8d0f6a52-3c1e-4b7e-9a55-1f0c2b7e4d19", "li.hang@stu.ouc.example", "李航（博士生）"),
]


def seed_campus(existing: Counter, created: Counter) -> None:
    if count := db_count():
        existing["campus sign-ins"] += count
        return
    admin = get_user_by_email(USERS[0][0])
    for slug, settings in SERVERS:
        configure_campus_sign_in(admin, get_organisation(slug), settings)
        created["campus sign-ins"] += 1
    for slug, subject, email, name in PEOPLE:
        server = server_of(get_organisation(slug))
        sign_in_with_campus_account(server, CampusPerson(subject=subject, email=email, name=name))
        created["users"] += 1


def db_count() -> int:
    return db.session.scalar(select(func.count(SignInServer.id))) or 0
