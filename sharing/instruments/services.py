"""Catalog operations: search, create and edit instruments, qualified users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache, cached_property

from sqlalchemy import (
    Select,
    Text,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased, joinedload, selectinload

from sharing.auth.access import is_admin, is_manager
from sharing.auth.models import User
from sharing.core.dbsetup import plan_for_its_parameters
from sharing.core.errors import BadRequest, Conflict, Forbidden, NotFound, readable
from sharing.core.locking import advisory_lock_of, is_postgresql, lock_row
from sharing.core.pagination import Page
from sharing.extensions import db
from sharing.instruments.access import can_manage_instrument
from sharing.instruments.models import (
    Category,
    Instrument,
    InstrumentStatus,
    OpenHours,
    QualifiedUser,
    Rate,
)
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
from sharing.instruments.search import Alternatives, QueryWords, read_query
from sharing.orgs.models import Organisation
from sharing.orgs.services import get_organisation
from sharing.util.timeutil import utcnow

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
# The orders a catalog may be sorted in (api.md: `sort=`); with words, relevance comes first.
SORTS = ("relevance", "price", "name", "newest")


@dataclass(frozen=True)
class CatalogQuery:
    """What a catalog search asks for; prices filter the hourly rate of `price_category`."""

    q: str = ""
    category: str | None = None
    organisation: str | None = None
    status: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    price_category: CustomerCategory = CustomerCategory.ACADEMIC
    english_order: bool = False
    sort: str | None = None  # one of SORTS; None: relevance with words, else name
    page: int = 1
    per_page: int = 20

    @cached_property
    def words(self) -> QueryWords:
        """Read once per query: the filter and the order both use it."""
        return read_query(self.q)


def list_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position)))


def list_instrument_owners() -> list[Organisation]:
    """The organisations with instruments in the catalog, by kind then name: the catalog's
    filter (the platform also holds hundreds of companies that own none)."""
    owns = select(Instrument.id).where(Instrument.organisation_id == Organisation.id).exists()
    statement = select(Organisation).where(owns).order_by(Organisation.kind, Organisation.name)
    return list(db.session.scalars(statement))


def get_category(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def _matches(column, terms: frozenset[str]) -> list:
    return [column.contains(term, autoescape=True) for term in sorted(terms)]


def _pairs_of(term: str) -> list[str]:
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})


def _with_pairs(condition, pairs: list[str], indexed: bool):
    """`condition`, first narrowed through PostgreSQL's index of character pairs (migration
    0015) where trigrams cannot narrow it: the index finds the candidates, the LIKE checks them."""
    if not indexed or not pairs:
        return condition
    record_pairs = func.instrument_search_pairs(Instrument.search_text, Instrument.model)
    return and_(record_pairs.op("@>")(cast(pairs, ARRAY(Text))), condition)


def _word_matches(word: Alternatives, indexed: bool):
    found = [
        _with_pairs(
            Instrument.search_text.contains(term, autoescape=True),
            [term] if len(term) == 2 and not term.isascii() else [],
            indexed,
        )
        for term in sorted(word.terms)
    ]
    if word.model_word:
        in_model = func.lower(Instrument.model).contains(word.model_word, autoescape=True)
        found.append(_with_pairs(in_model, _pairs_of(word.model_word), indexed))
    return or_(*found)


def _relevance(words: QueryWords):
    """Per word: 3 when the name matches it, else 1 (it matched elsewhere)."""
    per_word = [
        case((or_(false(), *_matches(Instrument.search_name, word.terms)), 3), else_=1)
        for word in words.words
    ]
    return sum(per_word, literal_column("0"))


def _catalog_filter(query: CatalogQuery) -> Select:
    statement = select(Instrument.id)
    indexed = db.session.get_bind().dialect.name == "postgresql"
    for word in query.words.words:
        statement = statement.where(_word_matches(word, indexed))
    if query.category:
        # The category's id first (a subquery, not a join): the per-category index then gives
        # the page in order without reading the rest of the category.
        category = select(Category.id).where(Category.slug == query.category).scalar_subquery()
        statement = statement.where(Instrument.category_id == category)
    if query.organisation:
        owner = select(Organisation.id).where(Organisation.slug == query.organisation)
        statement = statement.where(Instrument.organisation_id == owner.scalar_subquery())
    if query.status:
        statement = statement.where(Instrument.status == query.status)
    else:
        statement = statement.where(Instrument.status != InstrumentStatus.RETIRED)
    if query.min_price is not None or query.max_price is not None:
        price_conditions = [Rate.category == query.price_category, Rate.unit == RateUnit.HOUR]
        if query.min_price is not None:
            price_conditions.append(Rate.price >= query.min_price)
        if query.max_price is not None:
            price_conditions.append(Rate.price <= query.max_price)
        statement = statement.where(
            select(Rate.id)
            .where(Rate.instrument_id == Instrument.id, and_(*price_conditions))
            .exists()
        )
    return statement


def _name_order(query: CatalogQuery) -> tuple:
    if query.english_order:
        # Instruments without an English name sort after those with one.
        return (
            Instrument.name_en == "",
            Instrument.name_en,
            Instrument.name_sort,
            Instrument.id,
        )
    return (Instrument.name_sort, Instrument.name, Instrument.id)  # by pinyin


def _ordered(statement: Select, query: CatalogQuery) -> Select:
    """The catalog's matches in the order asked for."""
    words = query.words
    sort = query.sort or ("relevance" if words else "name")
    if sort == "relevance" and words:
        return statement.order_by(_relevance(words).desc(), *_name_order(query))
    if sort == "price":
        # One hourly rate per instrument and customer category (a unique key): joined, not
        # looked up per match, so thousands of matches are sorted from one pass over the rates.
        hourly = aliased(Rate)
        statement = statement.outerjoin(
            hourly,
            and_(
                hourly.instrument_id == Instrument.id,
                hourly.category == query.price_category,
                hourly.unit == RateUnit.HOUR,
            ),
        )
        # Instruments without an hourly price for the viewer come last.
        return statement.order_by(hourly.price.is_(None), hourly.price, *_name_order(query))
    if sort == "newest":
        return statement.order_by(Instrument.created_at.desc(), Instrument.id.desc())
    return statement.order_by(*_name_order(query))


def _count(query: CatalogQuery) -> int:
    matching = _catalog_filter(query).subquery()
    return db.session.scalar(select(func.count()).select_from(matching)) or 0


def search_instruments(query: CatalogQuery, with_rules: bool = True) -> Page:
    """One page of the catalog in a fixed number of queries, whatever its size.

    `with_rules=False` leaves out the open hours (the rules' one related table): the catalog's
    cards do not show them, and their query was one of the page's eight.
    """
    plan_for_its_parameters()
    page = (
        _ordered(_catalog_filter(query), query)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    )
    if query.words:
        # The matches found once for both the page and their count; relevance and names are
        # computed for the matches alone, not for the whole catalog.
        rows = db.session.execute(page.add_columns(func.count().over().label("total"))).all()
        ids = [row.id for row in rows]
        total = rows[0].total if rows else _count(query)
    else:
        # Without words an index gives the page in name order, another the count: a count over
        # the window would read every record first.
        ids = list(db.session.scalars(page))
        total = _count(query)
    records = db.session.scalars(
        select(Instrument)
        .where(Instrument.id.in_(ids))
        .options(
            joinedload(Instrument.organisation),
            joinedload(Instrument.category),
            selectinload(Instrument.rates),
            selectinload(Instrument.photos),
            *([selectinload(Instrument.open_hours)] if with_rules else []),
        )
    ).unique()
    by_id = {instrument.id: instrument for instrument in records}
    items = [by_id[instrument_id] for instrument_id in ids]
    return Page(items=items, total=total, page=query.page, per_page=query.per_page)


_BY_ID = select(Instrument).where(Instrument.id == bindparam("instrument_id"))
# Built once: every booking reads its instrument, and building the statement cost a third of
# running it.
_ONE_INSTRUMENT = _BY_ID.options(
    joinedload(Instrument.organisation),
    joinedload(Instrument.category),
    joinedload(Instrument.open_hours),
)
# A writer's read: the instrument and its open hours (its rules), without the organisation and
# category that pages show (loaded if touched): their joined rows were a third of a booking's
# read of the instrument.
_TO_WRITE = _BY_ID.options(joinedload(Instrument.open_hours))


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


def qualification_of(user: User, instrument: Instrument) -> QualifiedUser | None:
    """The user's grant on the instrument, valid or lapsed."""
    return db.session.get(QualifiedUser, {"instrument_id": instrument.id, "user_id": user.id})


def training_standing(user: User, instrument: Instrument, now: datetime) -> str:
    """ "qualified" (or no training needed), "expired" (a grant that lapsed) or "none"."""
    if not instrument.requires_training or can_manage_instrument(user, instrument):
        return "qualified"
    grant = qualification_of(user, instrument)
    if grant is None:
        return "none"
    return "qualified" if grant.is_valid(now) else "expired"


def is_qualified(user: User, instrument: Instrument, now: datetime | None = None) -> bool:
    """Whether `user` may book an instrument that requires training."""
    return training_standing(user, instrument, now or utcnow()) == "qualified"


def list_qualified_users(instrument: Instrument) -> list[QualifiedUser]:
    statement = (
        select(QualifiedUser)
        .where(QualifiedUser.instrument_id == instrument.id)
        .options(joinedload(QualifiedUser.user))
        .order_by(QualifiedUser.granted_at)
    )
    return list(db.session.scalars(statement))


def add_qualified_user(actor: User, instrument: Instrument, user_id: int) -> QualifiedUser:
    """Authorise a trained user to book the instrument."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No user %(id)s.", {"id": user_id})
    key = {"instrument_id": instrument.id, "user_id": user.id}
    if db.session.get(QualifiedUser, key) is not None:
        raise Conflict(
            "%(name)s is qualified already.", code="duplicate", params={"name": user.name}
        )
    grant = QualifiedUser(**key, granted_by_id=actor.id)
    db.session.add(grant)
    db.session.flush()
    return grant


def remove_qualified_user(actor: User, instrument: Instrument, user_id: int) -> None:
    """Withdraw a user's authorisation."""
    if not can_manage_instrument(actor, instrument):
        raise Forbidden("You do not manage this instrument.")
    grant = db.session.get(QualifiedUser, {"instrument_id": instrument.id, "user_id": user_id})
    if grant is None:
        raise NotFound("That user is not qualified on this instrument.")
    lock_row(grant)  # a concurrent removal committed first: NotFound, not a second delete
    db.session.delete(grant)
    db.session.flush()
