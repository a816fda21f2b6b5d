"""Word search as every list page does it: each word must appear in one of the searched columns."""

from __future__ import annotations

from sqlalchemy import Select, or_
from sqlalchemy.orm import InstrumentedAttribute


def where_every_word(statement: Select, words: str, columns: tuple[InstrumentedAttribute, ...]):
    """Narrow `statement` to rows where every word appears, in any case, in one of `columns`.

    LIKE's wildcards in a word are plain characters: searching "%" finds a percent sign.
    """
    for word in words.split():
        statement = statement.where(
            or_(*(column.icontains(word, autoescape=True) for column in columns))
        )
    return statement
