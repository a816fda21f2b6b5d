"""The report figures: utilisation (booked over open hours) and the yearly large-instrument
figures (有效工作机时, 对外服务机时 and the sharing rate between them), to four places."""

from datetime import timedelta
from decimal import Decimal

from sharing.billing.reports import large_instrument_year, utilisation
from sharing.instruments.rules import OpenWindow
from sharing.timeutil import Interval, utcnow
from tests.fixtures.bookings import SHANGHAI


def _used_session(client, manager_headers, instrument, user, start, hours):
    body = {
        "instrument_id": instrument.id,
        "user_id": user.id,
        "start": start.isoformat(),
        "end": (start + timedelta(hours=hours)).isoformat(),
    }
    booking = client.post("/api/v1/bookings", json=body, headers=manager_headers).json
    usage = {"start": body["start"], "end": body["end"]}
    response = client.post(
        f"/api/v1/bookings/{booking['id']}/usage", json=usage, headers=manager_headers
    )
    assert response.status_code == 200, response.json


def test_figures_of_one_day(client, make, token_for):
    owner = make.org("institute")
    manager = make.user("manager", owner)
    instrument = make.instrument(
        manager=manager, original_value=Decimal("1200000.00"), rules={"open_hours": []}
    )
    guest = make.user("researcher")  # of another organisation: external service
    colleague = make.user("researcher", owner)
    day = (
        (utcnow() - timedelta(days=2))
        .astimezone(SHANGHAI)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    headers = token_for(manager)
    _used_session(client, headers, instrument, guest, day.replace(hour=9), 2)
    _used_session(client, headers, instrument, colleague, day.replace(hour=13), 1)

    [row] = utilisation(Interval(day, day + timedelta(days=1)), owner.id)
    assert (row["open_hours"], row["booked_hours"], row["used_hours"]) == (
        Decimal("24.00"),
        Decimal("3.00"),
        Decimal("3.00"),
    )
    assert row["utilisation"] == Decimal("0.1250")

    [year] = large_instrument_year(day.year, owner.id)
    assert (year["effective_hours"], year["external_hours"]) == (Decimal("3.00"), Decimal("2.00"))
    assert year["sharing_rate"] == Decimal("0.6667")


def test_nothing_of_nothing_is_zero(make):
    owner = make.org("institute")
    weekdays = [OpenWindow(d, 8 * 60, 20 * 60) for d in range(5)]
    make.instrument(org=owner, original_value=Decimal("900000.00"), rules={"open_hours": weekdays})
    saturday = utcnow().astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    while saturday.weekday() != 5:
        saturday -= timedelta(days=1)
    [row] = utilisation(Interval(saturday, saturday + timedelta(days=1)), owner.id)
    assert (row["open_hours"], row["utilisation"]) == (Decimal("0.00"), Decimal("0"))
    [year] = large_instrument_year(saturday.year, owner.id)
    assert (year["effective_hours"], year["sharing_rate"]) == (Decimal("0.00"), Decimal("0"))
