"""The report figures: utilisation (booked over open hours) and the yearly large-instrument
figures (有效工作机时, 对外服务机时 and the sharing rate between them), to four places."""

from datetime import timedelta
from decimal import Decimal

from sharing.billing.reports import large_instrument_year, utilisation
from sharing.instruments.rules import OpenWindow
from sharing.util.timeutil import Interval, utcnow
from tests.fixtures.bookings import SHANGHAI, used_session


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
    used_session(client, headers, instrument, guest, day.replace(hour=9), 2)
    used_session(client, headers, instrument, colleague, day.replace(hour=13), 1)

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


def test_available_hours_are_the_open_hours_inside_the_window_less_downtimes(make):
    """Hand count for one week of a weekday 08:00-20:00 instrument (12 h x 5 = 60 h): a downtime
    from Tuesday 18:00 to Wednesday 10:00 takes 2 h of Tuesday and 2 h of Wednesday; the window
    starts Monday at 12:00, so Monday gives 8 h. 60 - 4 - 2 - 2 = 52 h."""
    from sharing.bookings.models import Downtime
    from sharing.extensions import db

    owner = make.org("institute")
    weekdays = [OpenWindow(d, 8 * 60, 20 * 60) for d in range(5)]
    instrument = make.instrument(org=owner, rules={"open_hours": weekdays})
    monday = utcnow().astimezone(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0)
    monday -= timedelta(days=monday.weekday() + 7)
    db.session.add(
        Downtime(
            instrument_id=instrument.id,
            start=monday + timedelta(days=1, hours=18),
            end=monday + timedelta(days=2, hours=10),
            reason="真空泵更换",
        )
    )
    db.session.commit()
    window = Interval(monday + timedelta(hours=12), monday + timedelta(days=7))
    [row] = utilisation(window, owner.id)
    assert row["open_hours"] == Decimal("52.00")


def test_subtract_cuts_holes_out_of_intervals():
    from datetime import UTC, datetime

    from sharing.bookings.policy import subtract

    def at(hour):
        return datetime(2026, 11, 2, hour, tzinfo=UTC)

    spans = [Interval(at(8), at(12)), Interval(at(13), at(18))]
    holes = [Interval(at(10), at(14)), Interval(at(17), at(20)), Interval(at(6), at(7))]
    assert subtract(spans, holes) == [Interval(at(8), at(10)), Interval(at(14), at(17))]
    assert subtract(spans, []) == spans
    assert subtract([], holes) == []
