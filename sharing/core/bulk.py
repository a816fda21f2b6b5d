"""Insert rows by one Core statement and get back the mapped objects, as if loaded.

The ORM's ways of inserting (the unit of work's flush, its bulk INSERT ... RETURNING of whole
objects) cost about twice the statement itself on the booking path (bench/http.py's profile).
Every column of the tables inserted this way has its default in Python, so the objects can be
built from the rows and the returned ids and attached to the session as persistent and clean.
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from sqlalchemy import Insert, Table, insert
from sqlalchemy.orm import make_transient_to_detached

from sharing.extensions import db

Model = TypeVar("Model")


def column_defaults(model: type, row: dict) -> dict:
    """`row` with every other column's Python default, as an INSERT would store it."""
    complete = dict(row)
    for column in model.__table__.columns:
        if column.key in complete or column.primary_key:
            continue
        default = column.default
        if default is None and column.server_default is not None:
            continue  # the database fills it in (loaded when read)
        if default is None:
            complete[column.key] = None
        elif default.is_callable:
            complete[column.key] = default.arg(None)
        elif default.is_scalar:
            complete[column.key] = default.arg
        else:  # a SQL expression: leave it to the database (loaded when read)
            continue
    return complete


@cache
def _insert_returning_ids(table: Table) -> Insert:
    return insert(table).returning(table.c.id, sort_by_parameter_order=True)


def as_loaded(model: type[Model], object_id: int, values: dict) -> Model:
    """The object of a row just inserted (`values` complete, from `column_defaults`), in the
    session as persistent and clean."""
    instance = model(id=object_id, **values)
    # Its attribute history reset as though just loaded: the flush has nothing to write.
    make_transient_to_detached(instance)
    db.session.add(instance)
    return instance


def insert_loaded(model: type[Model], rows: list[dict]) -> list[Model]:
    """Insert `rows` (one statement, in order) and return them as persistent objects."""
    complete = [column_defaults(model, row) for row in rows]
    ids = db.session.scalars(_insert_returning_ids(model.__table__), complete).all()
    return [as_loaded(model, i, values) for i, values in zip(ids, complete, strict=True)]
