"""The booking form's live estimate: a first estimate rendered by the page, and the dry run
its script calls with the browser's session as the times change."""

from sqlalchemy import func, select

from sharing.bookings.models import Booking
from sharing.extensions import db
from tests.fixtures.bookings import next_weekday, weekday_instrument


def local(day, hour):
    return day.replace(hour=hour).strftime("%Y-%m-%dT%H:%M")


def test_the_form_shows_a_first_estimate_and_loads_the_live_one(client, make, login):
    instrument = weekday_instrument(make)
    login(make.user("researcher"))
    page = client.get(f"/instruments/{instrument.id}/book").get_data(as_text=True)
    assert 'id="live-estimate"' in page and 'data-url="/api/v1/bookings"' in page
    assert 'src="/static/js/estimate.js' in page and 'data-utc-offset="+08:00"' in page
    day = next_weekday()
    # Refused (outside open hours): the form comes back with the estimate of its times,
    # two hours at the academic 200.00 an hour (tests.factories).
    refused = client.post(
        f"/instruments/{instrument.id}/book", data={"start": local(day, 6), "end": local(day, 8)}
    )
    assert refused.status_code == 422
    assert "¥400.00" in refused.get_data(as_text=True).split('id="live-estimate-amount"')[1][:200]


def test_the_dry_run_answers_the_page_session(client, make, login):
    instrument = weekday_instrument(make)
    login(make.user("researcher"))
    day = next_weekday()
    answer = client.post(
        "/api/v1/bookings",
        json={
            "instrument_id": instrument.id,
            "start": day.replace(hour=9).isoformat(),
            "end": day.replace(hour=11).isoformat(),
            "dry_run": True,
        },
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.json["estimate"] == "400.00" and answer.json["violations"] == []
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
