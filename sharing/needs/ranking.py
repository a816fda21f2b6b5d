"""Text ranking for matching needs to answerers: jieba words, synonym concepts, BM25.

Chinese has no spaces, so words come from jieba (search mode: long words and the words inside
them). Every word, or pair of neighbouring Latin words, that is a term of the catalog's synonym
table (instruments/synonyms.toml) also yields its groups' concept tokens, so "扫描电镜" in a need
meets "场发射扫描电子显微镜" in the catalog. Documents are ranked with BM25L (rank_bm25): like Okapi
BM25 a word found nearly everywhere weighs almost nothing, but no weight turns negative in a
corpus of a few documents (Okapi's do, and a single need could then never be suggested),
scored only where they share a token with the query.

Pure: no Flask, no database.
"""

from __future__ import annotations

import itertools
import logging
import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass
from functools import cache

import jieba
from rank_bm25 import BM25L

from sharing.instruments.search import SYNONYMS_FILE, fold

jieba.setLogLevel(logging.WARNING)

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[a-z][a-z0-9+]*|[0-9]+[a-z][a-z0-9]*")
# Words that say nothing about what a need is about.
STOP_WORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "对",
        "为",
        "以",
        "中",
        "上",
        "下",
        "我们",
        "我司",
        "公司",
        "企业",
        "需要",
        "需求",
        "希望",
        "寻求",
        "进行",
        "开展",
        "相关",
        "方面",
        "问题",
        "一种",
        "提供",
        "能够",
        "可以",
        "目前",
        "现有",
        "已经",
        "通过",
        "实现",
        "解决",
        "开发",
        "研发",
        "项目",
        "工作",
        "合作",
        "the",
        "and",
        "for",
        "with",
        "of",
        "to",
        "in",
        "on",
        "a",
        "an",
        "is",
        "are",
        "by",
        "from",
        "as",
    ]
)
CONCEPT_PREFIX = "≈"  # concept tokens cannot collide with words


@cache
def _concepts() -> dict[str, tuple[str, ...]]:
    """Folded synonym term -> the concept tokens of every group it belongs to."""
    groups = tomllib.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))["group"]
    index: dict[str, set[str]] = defaultdict(set)
    for number, group in enumerate(groups):
        for term in group["terms"]:
            index[fold(term)].add(f"{CONCEPT_PREFIX}{number}")
    return {term: tuple(sorted(tokens)) for term, tokens in index.items()}


def warm() -> None:
    """Load jieba's dictionary and the synonym table now (a second or so), not on the first
    need someone reads."""
    jieba.initialize()
    tokenize("深海 warm")


@cache
def _load_dictionary() -> None:
    """Teach jieba the table's Chinese terms, so that they come out whole."""
    for term in _concepts():
        if CJK.search(term):
            jieba.add_word(term, freq=2000)


def _is_word(token: str) -> bool:
    if token in STOP_WORDS:
        return False
    if CJK.search(token):
        return len(token) >= 2
    return LATIN_WORD.fullmatch(token) is not None and len(token) >= 2


def _words(text: str) -> tuple[list[str], list[str]]:
    """The words of `text`, and every candidate term of the synonym table in it (each word and
    each pair of neighbouring Latin words)."""
    _load_dictionary()
    normal = unicodedata.normalize("NFKC", text).lower()
    raw = [token.strip() for token in jieba.lcut_for_search(normal, HMM=False)]
    words = [token for token in raw if _is_word(token)]
    latin = [token for token in raw if token and LATIN_WORD.fullmatch(token)]
    return words, words + [a + b for a, b in itertools.pairwise(latin)]


def tokenize(text: str) -> list[str]:
    """The words of `text` (lower case, without stop words) and the synonym concepts in it."""
    words, candidates = _words(text)
    concepts = _concepts()
    found: list[str] = []
    for token in candidates:
        found.extend(concepts.get(fold(token), ()))
    return words + found


def naming(concepts: tuple[str, ...], text: str) -> list[str]:
    """The words of `text` that name any of `concepts` (扫描电镜 for the group of electron
    microscopes), in the text's order."""
    wanted, table = set(concepts), _concepts()
    _words_only, candidates = _words(text)
    return list(dict.fromkeys(w for w in candidates if wanted & set(table.get(fold(w), ()))))


def readable(matched: tuple[str, ...], text: str) -> list[str]:
    """The matched words as a person reads them in `text`: the longest first, none that
    overlaps a longer one (水下机器人 yields 水下 and 机器人, never 下机), in the text's order."""
    normal = unicodedata.normalize("NFKC", text).lower()
    kept: list[tuple[int, int, str]] = []
    for word in sorted(matched, key=lambda w: (-len(w), normal.find(w))):
        start = normal.find(word)
        if start < 0:
            continue
        end = start + len(word)
        if all(end <= a or start >= b for a, b, _w in kept):
            kept.append((start, end, word))
    return [word for _a, _b, word in sorted(kept)]


def is_concept(token: str) -> bool:
    return token.startswith(CONCEPT_PREFIX)


@dataclass(frozen=True)
class Hit:
    key: Hashable
    score: float
    matched: tuple[str, ...]  # the query's words the document contains (concepts left out)
    concepts: tuple[str, ...] = ()  # the synonym concepts they share (the same thing named)


class Ranker:
    """BM25 over a fixed set of documents, each a key and its tokens."""

    def __init__(self, documents: list[tuple[Hashable, list[str]]]):
        self.keys = [key for key, _tokens in documents]
        corpus = [tokens or ["∅"] for _key, tokens in documents]  # BM25 cannot hold empty ones
        self.postings: dict[str, list[int]] = defaultdict(list)
        for position, tokens in enumerate(corpus):
            for token in set(tokens):
                self.postings[token].append(position)
        self.bm25 = BM25L(corpus) if corpus else None
        self.tokens = [set(tokens) for tokens in corpus]
        self.positions = {key: position for position, key in enumerate(self.keys)}
        self.corpus = corpus

    def document(self, key: Hashable) -> list[str]:
        """The tokens a document was indexed with (repeated words repeated), [] if unknown."""
        position = self.positions.get(key)
        return [] if position is None else self.corpus[position]

    def __len__(self) -> int:
        return len(self.keys)

    def rank(self, query: list[str], limit: int = 10) -> list[Hit]:
        """The best `limit` documents that share a token with the query, best first; ties by
        the order the documents were given in."""
        terms = list(dict.fromkeys(token for token in query if token in self.postings))
        if self.bm25 is None or not terms:
            return []
        # Documents that share only words found nearly everywhere (海洋, 分析) cannot rank
        # high: candidates come from the more selective words when there are any.
        common = max(50, len(self.keys) // 10)
        selective = [token for token in terms if len(self.postings[token]) <= common] or terms
        candidates = sorted({p for token in selective for p in self.postings[token]})
        scores = self.bm25.get_batch_scores(terms, candidates)
        ranked = sorted(zip(candidates, scores, strict=True), key=lambda pair: (-pair[1], pair[0]))
        hits = []
        for position, score in ranked[:limit]:
            if score <= 0:
                continue
            shared = [t for t in terms if t in self.tokens[position]]
            matched = tuple(t for t in shared if not is_concept(t))
            concepts = tuple(t for t in shared if is_concept(t))
            hits.append(Hit(self.keys[position], float(score), matched, concepts))
        return hits
