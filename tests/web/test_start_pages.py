"""After signing in, each role lands on its own start page (one demo seeding for them all)."""

import pytest

from sharing.demo.seed import seed_demo
from sharing.extensions import db

# The statuses and validation are the app's, not the backend's: PostgreSQL, the stricter (NUL
# in text, 32-bit integers), answers for both when it is switched on.
pytestmark = pytest.mark.one_backend

ROLES = [
    ("researcher@sdu.example", "researcher", "您接下来的预约"),
    ("manager@qnlm.example", "manager", "今日机时"),
    ("enterprise@biomed.example", "enterprise", "进行中的订单"),
    ("admin@bluevalley.example", "admin", "本月收入"),
]


def sign_in(client, email, **query):
    path = "/login" + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(path, data={"email": email, "password": "BlueValley2026", **query})


def test_each_role_lands_on_its_start_page_and_a_next_page_wins(app, client):
    seed_demo()
    db.session.commit()
    for email, role, shown in ROLES:
        signed_in = sign_in(client, email)
        assert signed_in.status_code == 302, email
        assert signed_in.headers["Location"].endswith("/start"), email
        page = client.get("/start").get_data(as_text=True)
        assert f'data-role="{role}"' in page, email
        assert shown in page, email
        if role == "researcher":
            assert "资格有效期至" in page  # the grant that lapses in ten days
        client.post("/logout")
    asked = sign_in(client, "researcher@sdu.example", next="/instruments")
    assert asked.headers["Location"].endswith("/instruments")
