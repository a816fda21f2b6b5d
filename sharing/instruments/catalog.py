"""Finding instruments: the catalog's filters, its words and pairs of characters, its orders
and its pages, and the categories and owners it is filtered by."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from sqlalchemy import (
    Select,
    Text,
    and_,
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

from sharing.core.dbsetup import plan_for_its_parameters
from sharing.core.pagination import Page
from sharing.extensions import db
from sharing.instruments.models import Category, Instrument, InstrumentStatus, Rate
from sharing.instruments.rules import (
    CustomerCategory,
    RateUnit,
)
from sharing.instruments.search import Alternatives, QueryWords, read_query
from sharing.orgs.models import Organisation

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
