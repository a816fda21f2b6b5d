"""The reports sum in SQL what they once summed in Python: the union of each instrument's
stretches (booked or used time), whatever their overlaps."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import literal, select, union_all

from sharing.billing.reports import _union_seconds
from sharing.core.dbtypes import UTCDateTime
from tests.fixtures.agents import yesterday


def test_overlapping_stretches_count_once(make):
    """The union summed in SQL: nested, overlapping and touching stretches count once."""
    day = yesterday(0)

    def stretch(instrument_id, start, end):
        return select(
            literal(instrument_id).label("instrument_id"),
            literal(day + timedelta(hours=start), UTCDateTime).label("start"),
            literal(day + timedelta(hours=end), UTCDateTime).label("end"),
        )

    rows = union_all(
        stretch(1, 9, 11),
        stretch(1, 10, 12),
        stretch(1, 10.5, 10.75),  # inside the first two
        stretch(1, 12, 13),  # touching
        stretch(1, 15, 16),
        stretch(2, 8, 9),
    ).subquery()
    # instrument 1: 09:00-13:00 and 15:00-16:00
    assert _union_seconds(rows) == {1: Decimal(5 * 3600), 2: Decimal(3600)}
