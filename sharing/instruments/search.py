"""Catalog search that finds what people call things: synonyms, abbreviations, either language.

Each instrument keeps two folded search columns (see `fold`): `search_name` (its Chinese and
English names) and `search_text` (names, model, manufacturer, specifications and its category's
names). A query is read into words; each word, or run of words, that names a synonym group
(synonyms.toml) becomes the group's searchable terms, any of which may match; every word must
match. Relevance ranks a match in the name above a match elsewhere.

Pure: no Flask, no database; the catalog query in services.py turns `QueryWords` into SQL.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).with_name("synonyms.toml")
SEPARATORS = re.compile(r"[\s\-_/·.,，、()（）]+")
SHORT_LATIN = re.compile(r"[a-z0-9]{1,4}")
LONGEST_PHRASE = 5  # words; no synonym term is longer


def fold(text: str) -> str:
    """Text as search compares it: NFKC (full-width to half-width), lower case, and without the
    spaces and punctuation people write differently ("LC-MS", "lc ms", "LCMS")."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text).lower())


def is_searchable(term: str) -> bool:
    """Short Latin abbreviations are looked up, never searched for inside other words."""
    return SHORT_LATIN.fullmatch(term) is None


@cache
def synonym_index() -> dict[str, frozenset[str]]:
    """Every folded term of the table -> the searchable terms of every group it belongs to."""
    groups = tomllib.loads(SYNONYMS_FILE.read_text(encoding="utf-8"))["group"]
    index: dict[str, set[str]] = {}
    for group in groups:
        terms = {fold(term) for term in group["terms"]}
        searchable = {term for term in terms if is_searchable(term)}
        for term in terms:
            index.setdefault(term, set()).update(searchable)
    return {term: frozenset(found) for term, found in index.items()}


@dataclass(frozen=True)
class Alternatives:
    """One word of a query: any of `terms` in the folded text, or `model_word` in the model.

    A short abbreviation is searched as itself in the model only ("EM 124" is a multibeam
    echosounder's model, "EM" also the electron microscopes): the model is short, so "em"
    there is rarely part of another word.
    """

    terms: frozenset[str]
    model_word: str | None = None


@dataclass(frozen=True)
class QueryWords:
    """What a query asks for: every word's alternatives must match."""

    words: tuple[Alternatives, ...]

    def __bool__(self) -> bool:
        return bool(self.words)


def _without_longer_forms(terms: set[str]) -> frozenset[str]:
    """Drop every term that contains another: whatever matches it matches the shorter one."""
    return frozenset(t for t in terms if not any(o != t and o in t for o in terms))


def _plain_word(word: str) -> Alternatives:
    """A word the table does not know: itself, and an English plural's singular."""
    forms = {word}
    if word.isascii() and len(word) > 4 and word.endswith("s"):
        forms.add(word[:-1])
    return Alternatives(_without_longer_forms(forms))


def _known_phrase(phrase: str, index: dict[str, frozenset[str]]) -> Alternatives:
    if is_searchable(phrase):
        return Alternatives(_without_longer_forms(index[phrase] | {phrase}))
    return Alternatives(_without_longer_forms(set(index[phrase])), model_word=phrase)


def read_query(text: str) -> QueryWords:
    """The words of a query, with runs of words that name a synonym group taken together."""
    words = [w for w in unicodedata.normalize("NFKC", text).split() if fold(w)]
    index = synonym_index()
    found = []
    position = 0
    while position < len(words):
        for end in range(min(len(words), position + LONGEST_PHRASE), position, -1):
            phrase = fold(" ".join(words[position:end]))
            if phrase in index:
                found.append(_known_phrase(phrase, index))
                position = end
                break
        else:
            found.append(_plain_word(fold(words[position])))
            position += 1
    return QueryWords(tuple(found))


def search_columns(
    name: str,
    name_en: str,
    model: str,
    manufacturer: str,
    specifications: str,
    category_names: tuple[str, ...] = (),
) -> tuple[str, str]:
    """The folded `search_name` and `search_text` of an instrument record."""
    names = " ".join((name, name_en))
    everything = " ".join((names, model, manufacturer, specifications, *category_names))
    return fold(names), fold(everything)
