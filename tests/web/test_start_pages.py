"""After signing in, each role lands on its own start page."""

import pytest

from sharing.demo.seed import seed_demo
from sharing.extensions import db


@pytest.fixture
def demo(app):
    seed_demo()
    db.session.commit()


class Person:
    def __init__(self, email):
        self.email = email


@pytest.mark.parametrize(
    ("email", "role", "shown"),
    [
        ("researcher@sdu.example", "researcher", "您接下来的预约"),
        ("manager@qnlm.example", "manager", "今日机时"),
        ("enterprise@biomed.example", "enterprise", "进行中的订单"),
        ("admin@bluevalley.example", "admin", "本月收入"),
    ],
)
def test_each_role_lands_on_its_start_page(client, demo, email, role, shown):
    signed_in = client.post("/login", data={"email": email, "password": "BlueValley2026"})
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"].endswith("/start")
    page = client.get("/start").get_data(as_text=True)
    assert f'data-role="{role}"' in page
    assert shown in page


def test_the_researchers_start_shows_training_and_a_qualification_to_renew(client, demo):
    client.post("/login", data={"email": "researcher@sdu.example", "password": "BlueValley2026"})
    page = client.get("/start").get_data(as_text=True)
    assert "资格有效期至" in page  # the grant that lapses in ten days


def test_a_next_page_wins_over_the_start_page(client, demo):
    signed_in = client.post(
        "/login?next=/instruments",
        data={
            "email": "researcher@sdu.example",
            "password": "BlueValley2026",
            "next": "/instruments",
        },
    )
    assert signed_in.headers["Location"].endswith("/instruments")
