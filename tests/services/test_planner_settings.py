"""PostgreSQL's planner: statements may keep a plan made once (the booking path's), except the
catalog's search, planned for its own words each time."""

import pytest
from sqlalchemy import text

from sharing.extensions import db
from sharing.instruments.catalog import CatalogQuery, search_instruments
from tests.conftest import count_queries
from tests.fixtures.bookings import at, next_weekday, weekday_instrument

pytestmark = pytest.mark.postgresql_only


def _setting(name: str) -> str:
    return db.session.scalar(text(f"SHOW {name}"))


def test_a_connection_lets_postgresql_keep_a_plan(app):
    assert _setting("plan_cache_mode") == "auto"
    assert _setting("random_page_cost") == "1.1"
    assert _setting("max_parallel_workers_per_gather") == "0"


def test_a_catalog_search_is_planned_for_its_words_until_its_transaction_ends(app, make):
    make.instrument(name="质谱仪")
    db.session.commit()
    with count_queries() as statements:
        page = search_instruments(CatalogQuery(q="质谱"))
    assert page.total == 1
    assert "set_config('plan_cache_mode', 'force_custom_plan', true)" in statements[0]
    assert _setting("plan_cache_mode") == "force_custom_plan"
    db.session.commit()
    assert _setting("plan_cache_mode") == "auto"


def test_a_booking_leaves_the_plans_alone(app, make, token_for):
    instrument, headers, day = weekday_instrument(make), token_for(make.user()), next_weekday()
    body = {"instrument_id": instrument.id, "start": at(day, 9), "end": at(day, 10)}
    with count_queries() as statements:
        assert app.test_client().post(
            "/api/v1/bookings", json=body, headers=headers
        ).status_code == (201)
    assert not [s for s in statements if "plan_cache_mode" in s], statements
