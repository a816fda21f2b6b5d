"""Time arithmetic in SQL: the same exact answers on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import bindparam, select

from sharing.core.dbtypes import UTCDateTime
from sharing.core.sqltime import earlier_of, later_of, microseconds_between
from sharing.extensions import db

NOON = datetime(2026, 12, 31, 12, 0, 0, 1, tzinfo=UTC)


def evaluated(expression, first, second):
    params = {"first": first, "second": second}
    return db.session.execute(select(expression), params).scalar_one()


def times():
    return bindparam("first", type_=UTCDateTime), bindparam("second", type_=UTCDateTime)


@pytest.mark.parametrize(
    "later",
    [
        NOON,
        NOON + timedelta(microseconds=999_999),
        NOON + timedelta(days=1, seconds=1, microseconds=-2),  # across the year's end
        NOON - timedelta(hours=3, microseconds=5),  # before: negative
    ],
)
def test_microseconds_between_is_exact(app, later):
    first, second = times()
    expected = (later - NOON) // timedelta(microseconds=1)
    assert evaluated(microseconds_between(first, second), later, NOON) == expected


def test_earlier_and_later_of_two_times(app):
    first, second = times()
    soon = NOON + timedelta(microseconds=1)
    picked = db.session.execute(
        select(earlier_of(first, second), later_of(first, second)),
        {"first": soon, "second": NOON},
    ).one()
    assert tuple(picked) == (NOON, soon)
