"""The ranking indexes matching reads: instruments, organisations (their profiles), experts and
open needs, with what a suggestion names beside them (categories, owners, organisations).

They are built once per process and catalog version (the feed versions move with every change
of instruments, organisations, challenges, needs and experts) and kept until it moves; a record
is tokenized again only when its stamp moved. `warm()` builds them when a server process starts
(gunicorn.conf.py), so that the first person to read a need does not wait for jieba's
dictionary and the first build.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from sharing.challenges.lifecycle import ChallengeStatus
from sharing.challenges.models import Application, Challenge
from sharing.core.feedversions import CATALOG_KEY, CHALLENGES_KEY, NEEDS_KEY, FeedVersion
from sharing.extensions import db
from sharing.instruments.models import Category, Instrument, InstrumentStatus
from sharing.needs import ranking
from sharing.needs.fit import FIELD_WORDS
from sharing.needs.lifecycle import OPEN_STAGES
from sharing.needs.models import Expert, Need
from sharing.needs.ranking import Ranker, tokenize
from sharing.orgs.models import ACADEMIC_KINDS, Organisation


@dataclass
class Indexes:
    instruments: Ranker
    organisations: Ranker
    experts: Ranker
    needs: Ranker
    names: dict[tuple[str, int], str]
    owner: dict[int, int]  # instrument -> organisation
    category: dict[int, str]  # instrument -> its category's slug
    expert_org: dict[int, int]  # expert -> organisation
    slugs: dict[int, str]  # organisation -> slug, for every one named above


_lock = threading.Lock()
_cache: dict[str, tuple[object, Indexes]] = {}
_memo: dict[tuple[str, str, int], tuple[object, list[str]]] = {}


def forget_indexes() -> None:
    """Drop every built index (tests that empty the database call this)."""
    with _lock:
        _cache.clear()
        _memo.clear()


TEXT_COLUMNS = (
    Instrument.name,
    Instrument.name_en,
    Instrument.model,
    Category.name,
    Category.name_en,
    Instrument.specifications,
    Instrument.functions,
    Instrument.applications,
)
INSTRUMENT_COLUMNS = (
    Instrument.id,
    Instrument.updated_at,
    Instrument.organisation_id,
    Category.slug,
    *TEXT_COLUMNS,
)
TEXT_START = 4


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


def _led_challenge_titles() -> list[tuple[int, str]]:
    """Challenges each organisation took the lead on: past work that speaks for it."""
    rows = db.session.execute(
        select(Application.organisation_id, Challenge.title)
        .join(Challenge, Challenge.awarded_application_id == Application.id)
        .where(Challenge.status.in_((ChallengeStatus.AWARDED, ChallengeStatus.COMPLETED)))
    )
    return [(org_id, title) for org_id, title in rows]


def _profiles(url, rows, experts, expert_tokens, academic) -> dict[int, list[str]]:
    """An institute's words: its own, its instruments', its experts' and its led challenges'."""
    profile: dict[int, list[str]] = {org.id: [] for org in academic}
    for org in academic:
        profile[org.id] += tokenize(f"{org.name} {org.description} {org.fields_of_work}")
    for row in rows:
        if row.organisation_id in profile:
            text = f"{row.name} {row[TEXT_START + 3]} {row.applications}"
            profile[row.organisation_id] += _tokens(
                url, "profile", row.id, row.updated_at, lambda text=text: text
            )
    for expert in experts:
        if expert.organisation_id in profile:
            profile[expert.organisation_id] += expert_tokens[expert.id]
    for org_id, title in _led_challenge_titles():
        if org_id in profile:
            profile[org_id] += tokenize(title)
    return profile


def _build(url: str) -> Indexes:
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
            url,
            "instrument",
            row.id,
            row.updated_at,
            lambda row=row: " ".join(row[TEXT_START:]),
        )
        for row in rows
    }
    expert_tokens = {e.id: tokenize(_expert_text(e)) for e in experts}
    profile = _profiles(url, rows, experts, expert_tokens, academic)
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
    owners = {row.organisation_id for row in rows} | {e.organisation_id for e in experts}
    named = db.session.execute(
        select(Organisation.id, Organisation.slug, Organisation.name).where(
            Organisation.id.in_(owners | {o.id for o in academic})
        )
    ).all()
    names = {("instrument", row.id): row.name for row in rows}
    names.update({("expert", e.id): e.name for e in experts})
    names.update({("organisation", o.id): o.name for o in named})
    names.update({("need", n.id): n.title for n in open_needs})
    return Indexes(
        instruments=Ranker(list(instrument_tokens.items())),
        organisations=Ranker(list(profile.items())),
        experts=Ranker(list(expert_tokens.items())),
        needs=Ranker(need_tokens),
        names=names,
        owner={row.id: row.organisation_id for row in rows},
        category={row.id: row.slug for row in rows},
        expert_org={e.id: e.organisation_id for e in experts},
        slugs={o.id: o.slug for o in named},
    )


def current() -> Indexes:
    """The indexes of the session's database, built again if any of their sources moved."""
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


def warm() -> None:
    """Load the tokenizer, then build the indexes of the app's database (inside an app
    context), as the first need read would."""
    ranking.warm()
    current()
