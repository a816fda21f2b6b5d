"""Rating from the pages: the form on a completed session or order, once; the instrument shows
the average; its managers read the comments and see low scores on their start page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharing.assessment.models import Rating
from sharing.extensions import db
from tests.fixtures.bookings import hour_ago, used_session


@pytest.fixture
def finished(client, make, token_for):
    owner = make.org("institute")
    manager = make.user("manager", owner)
    instrument = make.instrument(manager=manager, rules={"open_hours": []}, name="拉曼光谱仪")
    researcher = make.user("researcher")
    lab = token_for(manager)
    booking = used_session(client, lab, instrument, researcher, hour_ago())
    return {
        "booking": booking,
        "researcher": researcher,
        "manager": manager,
        "instrument": instrument,
    }


def test_the_user_rates_from_the_booking_page_and_the_manager_reads_it(client, login, finished):
    login(finished["researcher"])
    page = client.get(f"/bookings/{finished['booking']}").get_data(as_text=True)
    assert "使用体验如何" in page and 'name="score"' in page
    missing = client.post(f"/bookings/{finished['booking']}/rating", data={"comment": "x"})
    assert missing.status_code == 302 and db.session.scalar(select(Rating)) is None
    sent = client.post(
        f"/bookings/{finished['booking']}/rating",
        data={"score": "2", "comment": "激光功率不稳"},
        follow_redirects=True,
    )
    text = sent.get_data(as_text=True)
    assert "感谢" in text and "您的评价" in text and 'name="score"' not in text
    again = client.post(
        f"/bookings/{finished['booking']}/rating", data={"score": "5"}, follow_redirects=True
    )
    assert "已经评价" in again.get_data(as_text=True)
    assert db.session.scalar(select(Rating.score)) == 2

    public = client.get(f"/instruments/{finished['instrument'].id}").get_data(as_text=True)
    assert "2.0" in public and "激光功率不稳" not in public
    client.post("/logout")
    login(finished["manager"])
    managed = client.get(f"/instruments/{finished['instrument'].id}").get_data(as_text=True)
    assert "激光功率不稳" in managed
    start = client.get("/start").get_data(as_text=True)
    assert 'id="low-ratings"' in start and "激光功率不稳" in start


def test_no_form_before_completion_or_for_others(client, login, make, finished):
    login(finished["manager"])
    page = client.get(f"/bookings/{finished['booking']}").get_data(as_text=True)
    assert 'name="score"' not in page
    refused = client.post(
        f"/bookings/{finished['booking']}/rating", data={"score": "5"}, follow_redirects=True
    )
    assert "只有使用仪器的人" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Rating)) is None
