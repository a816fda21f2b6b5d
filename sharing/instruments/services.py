"""An instrument's record: reading one, creating and editing it with its rules, rates, open
hours and register fields."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from sqlalchemy import (
    Select,
    bindparam,
    select,
)
from sqlalchemy.orm import joinedload, selectinload

from sharing.auth.access import is_admin, is_manager
from sharing.auth.models import User
from sharing.core.errors import BadRequest, Forbidden, NotFound, readable
from sharing.core.locking import advisory_lock_of, is_postgresql
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.catalog import get_category
from sharing.instruments.models import Instrument, InstrumentStatus, OpenHours, Rate
from sharing.instruments.register import (
    InstrumentSource,
    ShareMode,
    normal_country,
    register_problems,
)
from sharing.instruments.rules import (
    DEFAULT_BILLING,
    DEFAULT_RULES,
    CustomerCategory,
    OpenWindow,
    RateUnit,
)
from sharing.orgs.models import Organisation
from sharing.orgs.services import get_organisation

CATALOG_FIELDS = (
    "name",
    "name_en",
    "model",
    "manufacturer",
    "location",
    "original_value",
    "year_commissioned",
    "specifications",
    "functions",
    "applications",
    "photo_url",
    "contact_name",
    "contact_phone",
    "contact_email",
    "requires_approval",
    "requires_training",
    "accepts_samples",
    "turnaround_days",
    "sample_quote_required",
    "qualification_months",
    "waitlist_hold_minutes",
)
# Day instruments (sharing.loans): lent by whole days, with their terms.
LOAN_FIELDS = (
    "booking_unit",
    "deposit",
    "replacement_value",
    "insurance_required",
    "mobilisation_fee",
)
LOAN_RULE_FIELDS = ("min_days", "max_days")
# The national register's fields (register.py); checked together in `_check_register`.
REGISTER_FIELDS = ("national_code", "source", "country_of_origin", "share_mode", "purchased_on")
RULE_FIELDS = (
    "slot_minutes",
    "min_minutes",
    "max_minutes",
    "notice_hours",
    "horizon_days",
    "buffer_minutes",
    "max_future_bookings",
    "max_hours_per_week",
)
BILLING_FIELDS = (
    "increment_minutes",
    "minimum_quantity",
    "cancel_window_hours",
    "late_cancel_share",
    "no_show_share",
    "no_show_grace_minutes",
    "check_in_window_minutes",
)
_BY_ID = select(Instrument).where(Instrument.id == bindparam("instrument_id"))
# Built once: every booking reads its instrument, and building the statement cost a third of
# running it.
_ONE_INSTRUMENT = _BY_ID.options(
    joinedload(Instrument.organisation),
    joinedload(Instrument.category),
    joinedload(Instrument.open_hours),
)
# A writer's read: the instrument, its open hours (its rules) and its rates (the estimate the
# booking's answer shows), without the organisation and category that pages show (loaded if
# touched): their joined rows were a third of a booking's read of the instrument. The rates come
# in the same statement: loaded on first touch they were a statement more per booking.
_TO_WRITE = _BY_ID.options(joinedload(Instrument.open_hours), joinedload(Instrument.rates))


def get_instrument(instrument_id: int, lock: int | None = None) -> Instrument:
    """The instrument, or NotFound.

    `lock`: a namespace of `sharing.core.locking` whose transaction lock on the instrument's id the
    same statement takes (PostgreSQL; SQLite's writers hold the database's lock already), a
    round trip less for the booking path, which reads the instrument and then locks it. A read
    that locks loads what rules need, not what a page shows (`_TO_WRITE`).
    """
    statement = _ONE_INSTRUMENT if lock is None else _TO_WRITE
    params = {"instrument_id": instrument_id}
    if lock is not None and is_postgresql():
        statement, params["lock_namespace"] = _locked_to_write(), lock
    instrument = db.session.scalars(statement, params).unique().one_or_none()
    if instrument is None:
        raise NotFound("No instrument %(id)s.", {"id": instrument_id})
    return instrument


@cache
def _locked_to_write() -> Select:
    return _TO_WRITE.add_columns(advisory_lock_of(bindparam("lock_namespace"), Instrument.id))


def list_organisation_instruments(organisation_id: int) -> list[Instrument]:
    statement = (
        select(Instrument)
        .where(Instrument.organisation_id == organisation_id)
        .options(joinedload(Instrument.category), selectinload(Instrument.rates))
        .order_by(Instrument.name)
    )
    return list(db.session.scalars(statement).unique())


def _check_rules(instrument: Instrument) -> None:
    fields: dict[str, list[str]] = {}
    if (instrument.max_days or 30) < (instrument.min_days or 1):
        fields["max_days"] = [readable("must not be fewer than min_days")]
    if instrument.max_minutes < instrument.min_minutes:
        fields["max_minutes"] = [readable("must not be shorter than min_minutes")]
    for name in ("min_minutes", "max_minutes"):
        if getattr(instrument, name) % instrument.slot_minutes:
            fields.setdefault(name, []).append(readable("must be a multiple of slot_minutes"))
    if fields:
        raise BadRequest("The booking rules do not fit together.", fields=fields)


def _replace_children(collection: list) -> None:
    """Empty a child collection, deleting the old rows first so unique keys can be reused."""
    collection.clear()
    if db.session.new or db.session.dirty or db.session.deleted:
        db.session.flush()


def _apply_rates(instrument: Instrument, rates: list[dict]) -> None:
    seen = set()
    _replace_children(instrument.rates)
    for rate in rates:
        key = (CustomerCategory(rate["category"]), RateUnit(rate["unit"]))
        if key in seen:
            raise BadRequest(
                "Two rates for %(category)s per %(unit)s.",
                {"category": key[0].value, "unit": key[1].value},
                fields={"rates": ["duplicate"]},
            )
        seen.add(key)
        instrument.rates.append(Rate(category=key[0], unit=key[1], price=Decimal(rate["price"])))


def _apply_open_hours(instrument: Instrument, windows: list[OpenWindow]) -> None:
    _replace_children(instrument.open_hours)
    for window in windows:
        instrument.open_hours.append(
            OpenHours(
                weekday=window.weekday,
                start_minute=window.start_minute,
                end_minute=window.end_minute,
            )
        )


def _copy_fields(instrument: Instrument, values: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in values:
            setattr(instrument, name, values[name])


def _apply_changes(instrument: Instrument, data: dict) -> None:
    # No autoflush: the rules are checked as a whole before the database sees any of them.
    with db.session.no_autoflush:
        _copy_fields(instrument, data, CATALOG_FIELDS)
        _apply_register(instrument, data)
        if "status" in data:
            instrument.status = InstrumentStatus(data["status"])
        if "category" in data:
            category = get_category(data["category"])
            if category is None:
                raise BadRequest(
                    "Unknown category '%(category)s'.",
                    {"category": data["category"]},
                    fields={"category": ["unknown"]},
                )
            instrument.category = category
        rules = data.get("rules") or {}
        _copy_fields(instrument, rules, RULE_FIELDS)
        _copy_fields(instrument, data, LOAN_FIELDS)
        _copy_fields(instrument, rules, LOAN_RULE_FIELDS)
        if "turnaround_days" in rules:  # the loans' turnaround (the top-level one is samples')
            instrument.loan_turnaround_days = rules["turnaround_days"]
        _copy_fields(instrument, data.get("billing") or {}, BILLING_FIELDS)
        _check_rules(instrument)
    if "open_hours" in rules:
        _apply_open_hours(instrument, rules["open_hours"])
    if "rates" in data:
        _apply_rates(instrument, data["rates"])


def _apply_register(instrument: Instrument, data: dict) -> None:
    given = {name: data[name] for name in REGISTER_FIELDS if name in data}
    problems = register_problems(given)
    if problems:
        raise BadRequest("Check the register fields.", fields=problems)
    if "national_code" in given:
        instrument.national_code = (given["national_code"] or "").strip()
    if "country_of_origin" in given:
        instrument.country_of_origin = normal_country(given["country_of_origin"] or "")
    if "source" in given:
        instrument.source = InstrumentSource(given["source"]) if given["source"] else None
    if "share_mode" in given:
        instrument.share_mode = ShareMode(given["share_mode"])
    if "purchased_on" in given:
        instrument.purchased_on = given["purchased_on"]


def _owning_organisation(actor: User, data: dict) -> Organisation:
    if is_admin(actor):
        slug = data.get("organisation")
        if not slug:
            raise BadRequest("Name the owning organisation.", fields={"organisation": ["required"]})
        org = get_organisation(slug)
        if org is None:
            raise BadRequest(
                "No organisation '%(slug)s'.", {"slug": slug}, fields={"organisation": ["unknown"]}
            )
        return org
    if is_manager(actor):
        slug = data.get("organisation")
        if slug and slug != actor.organisation.slug:
            raise Forbidden("Managers keep instruments of their own organisation only.")
        return actor.organisation
    raise Forbidden("Only instrument managers and admins add instruments.")


def create_instrument(actor: User, data: dict) -> Instrument:
    """Add an instrument to the actor's organisation (admins name the organisation)."""
    organisation = _owning_organisation(actor, data)
    if "category" not in data or not data.get("name"):
        raise BadRequest(
            "An instrument needs a name and a category.",
            fields={k: ["required"] for k in ("name", "category") if not data.get(k)},
        )
    instrument = Instrument(
        organisation=organisation,
        rates=[],
        open_hours=[],
        **{name: getattr(DEFAULT_RULES, name) for name in RULE_FIELDS},
        **{name: getattr(DEFAULT_BILLING, name) for name in BILLING_FIELDS},
    )
    # Added only once complete: a half-built row must never be flushed.
    _apply_changes(instrument, data)
    db.session.add(instrument)
    return _flushed_in_order(instrument)


def update_instrument(actor: User, instrument: Instrument, data: dict) -> Instrument:
    """Change an instrument; only its organisation's managers and admins may."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    if "organisation" in data:
        instrument.organisation = _owning_organisation(actor, data)
    _apply_changes(instrument, data)
    return _flushed_in_order(instrument)


def _flushed_in_order(instrument: Instrument) -> Instrument:
    """Flush, then read the rates and open hours back in their stored order, as every later
    read shows them (the answer is made before the request commits)."""
    db.session.flush()
    db.session.refresh(instrument, ["rates", "open_hours"])
    return instrument
