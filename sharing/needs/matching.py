"""Who could answer a need or a challenge: organisations, experts and instruments, ranked by
BM25 over their text (sharing.needs.ranking), each with a score and a reason a person can check;
and, the other way round, the open needs that fit an institute.

The indexes are sharing.needs.indexes; what makes a suggestion fit beyond shared words is
sharing.needs.fit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, select

from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import Application, Challenge, ChallengeField
from sharing.extensions import db
from sharing.needs.fit import FIELD_NAMES, FIELD_WORDS, fits_field, subject_words
from sharing.needs.indexes import Indexes, current, forget_indexes
from sharing.needs.models import Need, NeedStatus
from sharing.needs.ranking import Hit, naming, readable, tokenize
from sharing.orders.lifecycle import OrderStatus
from sharing.orders.models import Order
from sharing.orgs.models import Organisation

__all__ = ["forget_indexes"]  # tests drop the indexes through here

Kind = Literal["organisation", "expert", "instrument"]
PER_KIND = 5


@dataclass(frozen=True)
class Reason:
    """One reason a suggestion fits, in words (str() is the Chinese the API answers with)."""

    kind: Literal["words", "instruments", "orders", "led"]
    words: tuple[str, ...] = ()
    count: int = 0
    field: ChallengeField | None = None

    def __str__(self) -> str:
        if self.kind == "words":
            return "匹配：" + "、".join(self.words)
        if self.kind == "instruments":
            return f"该单位有 {self.count} 台相关仪器"
        if self.kind == "orders":
            return f"已完成 {self.count} 个送样检测订单"
        return f"牵头完成 {self.count} 项{FIELD_NAMES[self.field]}揭榜项目"


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    id: int
    name: str
    score: float  # 0..1, the best of its kind scoring 1 before evidence of past work
    reason_list: tuple[Reason, ...]
    # The organisation it belongs to (itself for an organisation): pages group by it.
    organisation_id: int
    organisation_slug: str
    organisation_name: str

    @property
    def reasons(self) -> list[str]:
        return [str(reason) for reason in self.reason_list]

    @property
    def why(self) -> str:
        return "；".join(self.reasons)


@dataclass
class Group:
    """One organisation's suggestions: itself (when it is suggested), its experts, its
    instruments."""

    organisation_id: int
    slug: str
    name: str
    suggestion: Suggestion | None = None
    experts: list[Suggestion] = field(default_factory=list)
    instruments: list[Suggestion] = field(default_factory=list)


def by_organisation(suggestions: list[Suggestion]) -> list[Group]:
    """The suggestions grouped by organisation: the suggested organisations in their order,
    then the others whose experts or instruments are suggested, in the order of those."""
    groups: dict[int, Group] = {}
    ordered = sorted(suggestions, key=lambda s: s.kind != "organisation")
    for s in ordered:
        group = groups.setdefault(
            s.organisation_id, Group(s.organisation_id, s.organisation_slug, s.organisation_name)
        )
        if s.kind == "organisation":
            group.suggestion = s
        elif s.kind == "expert":
            group.experts.append(s)
        else:
            group.instruments.append(s)
    return list(groups.values())


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
    """The words of `shown` (the need's title) the match rests on, as a person reads them."""
    words = readable(hit.matched, shown)[:4]
    return "匹配：" + ("、".join(words) if words else "同义的仪器名称")


@dataclass(frozen=True)
class _Need:
    """What a suggestion is matched against: the need's text, its own words, its field."""

    text: str
    words: frozenset[str]
    field: ChallengeField

    def subject(self, hit: Hit) -> tuple[str, ...]:
        """The words of what the need is about that the hit shares, as the need writes them;
        the need's names of an instrument the hit is a synonym of when it shares no word."""
        words = readable(tuple(subject_words(hit.matched, self.words)), self.text)
        if not words:
            words = naming(tuple(c for c in hit.concepts if c in self.words), self.text)
        return tuple(words[:4])


def suggest(
    text: str, field: ChallengeField, exclude_org_id: int | None = None
) -> list[Suggestion]:
    """Organisations, experts and instruments that could answer `text`, best first per kind;
    each shares with it a word of its subject (sharing.needs.fit), and an instrument is of a
    kind the field uses."""
    indexes = current()
    need = _Need(text, frozenset(tokenize(text)), field)
    query = tokenize(f"{text} {FIELD_WORDS[field]}")
    instrument_hits = [
        (hit, share, words)
        for hit, share in _normalised(
            [
                hit
                for hit in indexes.instruments.rank(query, limit=50)
                if fits_field(field, indexes.category[hit.key])
            ],
            need,
        )
        if (words := need.subject(hit))
    ]
    orders = _completed_orders([hit.key for hit, _share, _words in instrument_hits])
    return [
        *_organisations(indexes, query, need, instrument_hits, orders, exclude_org_id),
        *_experts(indexes, indexes.experts.rank(query, 3 * PER_KIND), need),
        *_instruments(indexes, instrument_hits[:PER_KIND], orders),
    ]


MEANINGFUL = 0.1  # below a tenth of the best match a suggestion is noise


def _normalised(hits: list[Hit], need: _Need | None = None) -> list[tuple[Hit, float]]:
    """Each hit with its share of the best one's score, the noise left out; with `need`, only
    the hits that share a word of its subject (the best of those scoring 1)."""
    if need is not None:
        hits = [hit for hit in hits if need.subject(hit)]
    top = hits[0].score if hits else 1.0
    return [(hit, hit.score / top) for hit in hits if hit.score / top >= MEANINGFUL]


def _owner(indexes: Indexes, org_id: int) -> dict:
    return {
        "organisation_id": org_id,
        "organisation_slug": indexes.slugs.get(org_id, ""),
        "organisation_name": indexes.names.get(("organisation", org_id), ""),
    }


def _experts(indexes: Indexes, hits: list[Hit], need: _Need) -> list[Suggestion]:
    return [
        Suggestion(
            "expert",
            hit.key,
            indexes.names[("expert", hit.key)],
            round(share, 3),
            (Reason("words", need.subject(hit)),),
            **_owner(indexes, indexes.expert_org[hit.key]),
        )
        for hit, share in _normalised(hits, need)[:PER_KIND]
    ]


def _instruments(indexes: Indexes, hits, orders: Counter) -> list[Suggestion]:
    found = []
    for hit, share, words in hits:
        reasons = [Reason("words", words)]
        if orders[hit.key]:
            reasons.append(Reason("orders", count=orders[hit.key]))
        found.append(
            Suggestion(
                "instrument",
                hit.key,
                indexes.names[("instrument", hit.key)],
                round(share, 3),
                tuple(reasons),
                **_owner(indexes, indexes.owner[hit.key]),
            )
        )
    return found


def _organisations(indexes, query, need, instrument_hits, orders, exclude_org_id):
    """An institute's profile match, raised by completed orders on its fitting instruments and
    by challenges it led in the need's field (each raise named in its reasons)."""
    hits = [h for h in indexes.organisations.rank(query, 3 * PER_KIND) if h.key != exclude_org_id]
    related: dict[int, list[int]] = {}
    for hit, _share, _words in instrument_hits:
        related.setdefault(indexes.owner[hit.key], []).append(hit.key)
    led = _led_in_field(need.field)
    found = []
    for hit, share in _normalised(hits, need)[:PER_KIND]:
        reasons = [Reason("words", need.subject(hit))]
        mine = related.get(hit.key, [])
        if mine:
            reasons.append(Reason("instruments", count=len(mine)))
        done = sum(orders[key] for key in mine)
        if done:
            reasons.append(Reason("orders", count=done))
        if led[hit.key]:
            reasons.append(Reason("led", count=led[hit.key], field=need.field))
        bonus = min(0.2, 0.05 * done) + (0.1 if led[hit.key] else 0.0)
        found.append(
            Suggestion(
                "organisation",
                hit.key,
                indexes.names[("organisation", hit.key)],
                round(share + bonus, 3),
                tuple(reasons),
                **_owner(indexes, hit.key),
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
    indexes = current()
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
