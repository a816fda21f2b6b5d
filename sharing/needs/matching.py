"""Who could answer a need or a challenge: organisations, experts and instruments, ranked by
BM25 over their text (sharing.needs.ranking), each with a score and a reason a person can check;
and, the other way round, the open needs that fit an institute.

The indexes are built once per process and catalog version (the feed versions move with every
change of instruments, organisations, challenges, needs and experts) and kept until it moves.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import Application, Challenge, ChallengeField
from sharing.core.feedversions import CATALOG_KEY, CHALLENGES_KEY, NEEDS_KEY, FeedVersion
from sharing.extensions import db
from sharing.instruments.models import Category, Instrument, InstrumentStatus
from sharing.needs.lifecycle import OPEN_STAGES
from sharing.needs.models import Expert, Need, NeedStatus
from sharing.needs.ranking import Hit, Ranker, readable, tokenize
from sharing.orders.lifecycle import OrderStatus
from sharing.orders.models import Order
from sharing.orgs.models import ACADEMIC_KINDS, Organisation

Kind = Literal["organisation", "expert", "instrument"]
PER_KIND = 5
# A need's field in the words the catalog and the institutes use for it.
FIELD_WORDS = {
    ChallengeField.MARINE_EQUIPMENT: "海洋装备 水下 深海 装备",
    ChallengeField.MARINE_BIOMEDICINE: "海洋生物医药 生物医药 药物",
    ChallengeField.FISHERIES: "水产 渔业 养殖",
    ChallengeField.MARINE_INFORMATION: "海洋信息 观测 数据",
    ChallengeField.NEW_MATERIALS: "新材料 材料",
    ChallengeField.ENVIRONMENT_ENERGY: "环境 能源",
    ChallengeField.OTHER: "",
}
FIELD_NAMES = {
    ChallengeField.MARINE_EQUIPMENT: "海洋装备",
    ChallengeField.MARINE_BIOMEDICINE: "海洋生物医药",
    ChallengeField.FISHERIES: "水产渔业",
    ChallengeField.MARINE_INFORMATION: "海洋信息",
    ChallengeField.NEW_MATERIALS: "新材料",
    ChallengeField.ENVIRONMENT_ENERGY: "环境与能源",
    ChallengeField.OTHER: "其他",
}


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    id: int
    name: str
    score: float  # 0..1, the best of its kind scoring 1 before evidence of past work
    why: str


@dataclass
class _Indexes:
    instruments: Ranker
    organisations: Ranker
    experts: Ranker
    needs: Ranker
    names: dict[tuple[str, int], str]
    owner: dict[int, int]  # instrument -> organisation


_lock = threading.Lock()
_cache: dict[str, tuple[object, _Indexes]] = {}
_memo: dict[tuple[str, str, int], tuple[object, list[str]]] = {}


def forget_indexes() -> None:
    """Drop every built index (tests that empty the database call this)."""
    with _lock:
        _cache.clear()
        _memo.clear()


INSTRUMENT_COLUMNS = (
    Instrument.id,
    Instrument.updated_at,
    Instrument.organisation_id,
    Instrument.name,
    Instrument.name_en,
    Instrument.model,
    Category.name,
    Category.name_en,
    Instrument.specifications,
    Instrument.functions,
    Instrument.applications,
)


def _tokens(url: str, kind: str, key: int, stamp, text) -> list[str]:
    """The tokens of one record, tokenized again only when its stamp moved: after a change of
    one instrument the rebuild costs the reading, not jieba's work on every record."""
    memo_key = (url, kind, key)
    known = _memo.get(memo_key)
    if known is not None and known[0] == stamp:
        return known[1]
    tokens = tokenize(text())
    _memo[memo_key] = (stamp, tokens)
    return tokens


def _expert_text(expert: Expert) -> str:
    fields = " ".join(FIELD_WORDS[field] for field in expert.field_list)
    machines = " ".join(i.name for i in expert.instruments)
    return " ".join((expert.title, expert.expertise, fields, machines))


def _build(url: str) -> _Indexes:
    rows = db.session.execute(
        select(*INSTRUMENT_COLUMNS)
        .join(Category, Category.id == Instrument.category_id)
        .where(Instrument.status != InstrumentStatus.RETIRED)
        .order_by(Instrument.id)
    ).all()
    experts = list(
        db.session.scalars(
            select(Expert).options(selectinload(Expert.instruments)).order_by(Expert.id)
        )
    )
    academic = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.kind.in_(ACADEMIC_KINDS))
            .order_by(Organisation.id)
        )
    )
    instrument_tokens = {
        row.id: _tokens(
            url, "instrument", row.id, row.updated_at, lambda row=row: " ".join(row[3:])
        )
        for row in rows
    }
    expert_tokens = {e.id: tokenize(_expert_text(e)) for e in experts}
    profile: dict[int, list[str]] = {org.id: [] for org in academic}
    for org in academic:
        profile[org.id] += tokenize(f"{org.name} {org.description} {org.fields_of_work}")
    for row in rows:
        if row.organisation_id in profile:
            text = f"{row.name} {row[6]} {row.applications}"
            profile[row.organisation_id] += _tokens(
                url, "profile", row.id, row.updated_at, lambda text=text: text
            )
    for expert in experts:
        if expert.organisation_id in profile:
            profile[expert.organisation_id] += expert_tokens[expert.id]
    for org_id, title in _led_challenge_titles():
        if org_id in profile:
            profile[org_id] += tokenize(title)
    open_needs = db.session.execute(
        select(Need.id, Need.updated_at, Need.title, Need.description, Need.field)
        .where(Need.status.in_(OPEN_STAGES))
        .order_by(Need.id)
    ).all()
    # A need is read with its field's words, as suggest() reads it: an institute of the field
    # finds it by them, and a need of another field that shares only a word or two ranks lower.
    need_tokens = [
        (
            n.id,
            _tokens(
                url,
                "need",
                n.id,
                n.updated_at,
                lambda n=n: f"{n.title} {n.description} {FIELD_WORDS[n.field]}",
            ),
        )
        for n in open_needs
    ]
    names = {("instrument", row.id): row.name for row in rows}
    names.update({("expert", e.id): e.name for e in experts})
    names.update({("organisation", o.id): o.name for o in academic})
    names.update({("need", n.id): n.title for n in open_needs})
    return _Indexes(
        instruments=Ranker(list(instrument_tokens.items())),
        organisations=Ranker(list(profile.items())),
        experts=Ranker(list(expert_tokens.items())),
        needs=Ranker(need_tokens),
        names=names,
        owner={row.id: row.organisation_id for row in rows},
    )


def _led_challenge_titles() -> list[tuple[int, str]]:
    """Challenges each organisation took the lead on: past work that speaks for it."""
    rows = db.session.execute(
        select(Application.organisation_id, Challenge.title)
        .join(Challenge, Challenge.awarded_application_id == Application.id)
        .where(Challenge.status.in_((ChallengeStatus.AWARDED, ChallengeStatus.COMPLETED)))
    )
    return [(org_id, title) for org_id, title in rows]


def _indexes() -> _Indexes:
    url = str(db.session.get_bind().url)
    # Each source's own version: the latest of them all would miss a new need while the
    # catalog's version stands ahead of it (versions step a second past a busy one).
    version = tuple(
        db.session.execute(
            select(FeedVersion.key, FeedVersion.changed_at)
            .where(FeedVersion.key.in_([CATALOG_KEY, CHALLENGES_KEY, NEEDS_KEY]))
            .order_by(FeedVersion.key)
        ).all()
    )
    with _lock:
        cached = _cache.get(url)
        if cached is not None and cached[0] == version:
            return cached[1]
    built = _build(url)
    with _lock:
        _cache[url] = (version, built)
    return built


def _completed_orders(instrument_ids: list[int]) -> Counter:
    if not instrument_ids:
        return Counter()
    rows = db.session.execute(
        select(Order.instrument_id, func.count())
        .where(Order.instrument_id.in_(instrument_ids), Order.status == OrderStatus.COMPLETED)
        .group_by(Order.instrument_id)
    )
    return Counter(dict(rows.all()))


def _led_in_field(field: ChallengeField) -> Counter:
    rows = db.session.execute(
        select(Application.organisation_id, func.count())
        .join(Challenge, Challenge.awarded_application_id == Application.id)
        .where(
            Challenge.field == field,
            Challenge.status.in_((ChallengeStatus.AWARDED, ChallengeStatus.COMPLETED)),
        )
        .group_by(Application.organisation_id)
    )
    return Counter(dict(rows.all()))


def _reason(hit: Hit, shown: str) -> str:
    """The words of `shown` (the query's text, or the need's) the match rests on, as a person
    reads them there."""
    words = readable(hit.matched, shown)[:4]
    return "匹配：" + ("、".join(words) if words else "同义的仪器名称")


def suggest(
    text: str, field: ChallengeField, exclude_org_id: int | None = None
) -> list[Suggestion]:
    """Organisations, experts and instruments that could answer `text`, best first per kind."""
    indexes = _indexes()
    query = tokenize(f"{text} {FIELD_WORDS[field]}")
    shown = f"{text} {FIELD_WORDS[field]}"
    instrument_hits = indexes.instruments.rank(query, limit=50)
    orders = _completed_orders([hit.key for hit in instrument_hits])
    led = _led_in_field(field)
    best_instrument: dict[int, Hit] = {}
    for hit in instrument_hits:
        best_instrument.setdefault(indexes.owner[hit.key], hit)
    found = [
        *_organisations(indexes, query, shown, best_instrument, orders, led, field, exclude_org_id),
        *_scored("expert", indexes, indexes.experts.rank(query, PER_KIND), shown),
        *_instruments(indexes, instrument_hits[:PER_KIND], orders, shown),
    ]
    return found


MEANINGFUL = 0.1  # below a tenth of the best match a suggestion is noise


def _normalised(hits: list[Hit]) -> list[tuple[Hit, float]]:
    top = hits[0].score if hits else 1.0
    return [(hit, hit.score / top) for hit in hits if hit.score / top >= MEANINGFUL]


def _scored(kind: Kind, indexes: _Indexes, hits: list[Hit], shown) -> list[Suggestion]:
    return [
        Suggestion(
            kind, hit.key, indexes.names[(kind, hit.key)], round(share, 3), _reason(hit, shown)
        )
        for hit, share in _normalised(hits)
    ]


def _instruments(indexes: _Indexes, hits: list[Hit], orders: Counter, shown) -> list[Suggestion]:
    found = []
    for hit, share in _normalised(hits):
        why = _reason(hit, shown)
        if orders[hit.key]:
            why += f"；已完成 {orders[hit.key]} 个送样检测订单"
        found.append(
            Suggestion(
                "instrument", hit.key, indexes.names[("instrument", hit.key)], round(share, 3), why
            )
        )
    return found


def _organisations(indexes, query, shown, best_instrument, orders, led, field, exclude_org_id):
    """An institute's profile match, raised by completed orders on its matching instruments and
    by challenges it led in the need's field (each raise named in the reason)."""
    hits = [h for h in indexes.organisations.rank(query, PER_KIND + 1) if h.key != exclude_org_id]
    found = []
    for hit, share in _normalised(hits[:PER_KIND]):
        reasons = [_reason(hit, shown)]
        instrument = best_instrument.get(hit.key)
        bonus = 0.0
        if instrument is not None:
            done = orders[instrument.key]
            if done:
                reasons.append(f"{done} 个已完成的送样检测订单")
                bonus += min(0.2, 0.05 * done)
            reasons.append(f"仪器：{indexes.names[('instrument', instrument.key)]}")
        if led[hit.key]:
            reasons.append(f"牵头完成 {led[hit.key]} 项{FIELD_NAMES[field]}揭榜项目")
            bonus += 0.1
        found.append(
            Suggestion(
                "organisation",
                hit.key,
                indexes.names[("organisation", hit.key)],
                round(share + bonus, 3),
                "；".join(reasons),
            )
        )
    found.sort(key=lambda s: -s.score)
    return found


def suggest_for_need(need: Need) -> list[Suggestion]:
    return suggest(f"{need.title} {need.description}", need.field)


def suggest_for_challenge(challenge: Challenge) -> list[Suggestion]:
    return suggest(f"{challenge.title} {challenge.description}", challenge.field)


@dataclass(frozen=True)
class FittingNeed:
    need_id: int
    title: str
    score: float
    why: str


def needs_for_organisation(
    organisation: Organisation, limit: int = 20, among: set[int] | None = None
) -> list[FittingNeed]:
    """Open needs that fit what the institute does, its instruments and its experts; `among`
    keeps only those (a search of the desk), ranked the same way."""
    indexes = _indexes()
    # What the institute is most about weighs most: its profile's words, repeats and all.
    query = indexes.organisations.document(organisation.id)
    if not query:
        return []
    hits = indexes.needs.rank(query, limit=len(indexes.needs) if among is not None else limit)
    if among is not None:
        hits = [hit for hit in hits if hit.key in among][:limit]
    collected = set(
        db.session.scalars(
            select(Need.id).where(
                Need.id.in_([hit.key for hit in hits]), Need.status == NeedStatus.COLLECTED
            )
        )
    )
    return [
        FittingNeed(
            hit.key,
            indexes.names[("need", hit.key)],
            round(share, 3),
            _reason(hit, indexes.names[("need", hit.key)]),
        )
        for hit, share in _normalised(hits)
        if hit.key in collected
    ]
