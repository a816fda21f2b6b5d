"""Time arithmetic in SQL that gives the same exact answer on SQLite and PostgreSQL.

SQLite stores a UTCDateTime as text of one fixed shape ('YYYY-MM-DD HH:MM:SS.ffffff', UTC), so
text order is time order there and whole seconds and microseconds can be read off the text:
its julianday() is a float, about 40 microseconds coarse at today's dates, and a quota decided
on the boundary must not depend on rounding.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from sharing.core.dbtypes import UTCDateTime


class earlier_of(FunctionElement):  # noqa: N801 - reads as SQL
    """The earlier of two times."""

    type = UTCDateTime()
    inherit_cache = True


class later_of(FunctionElement):  # noqa: N801 - reads as SQL
    """The later of two times."""

    type = UTCDateTime()
    inherit_cache = True


class microseconds_between(FunctionElement):  # noqa: N801 - reads as SQL
    """How many microseconds `later` lies after `earlier` (negative when it lies before)."""

    type = BigInteger()
    inherit_cache = True


def _compile_as(element: type[FunctionElement], name: str, sqlite_name: str) -> None:
    """Compile `element` as the SQL function `name`, on SQLite as `sqlite_name`."""

    def as_function(function_name):
        def compile_(element, compiler, **kw):
            return f"{function_name}({compiler.process(element.clauses, **kw)})"

        return compile_

    compiles(element)(as_function(name))
    compiles(element, "sqlite")(as_function(sqlite_name))


# SQLite's min() and max() of several arguments are PostgreSQL's least() and greatest().
_compile_as(earlier_of, "least", "min")
_compile_as(later_of, "greatest", "max")


@compiles(microseconds_between)
def _epoch_microseconds(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(round(extract(epoch FROM ({later}) - ({earlier})) * 1000000) AS BIGINT)"


@compiles(microseconds_between, "sqlite")
def _sqlite_microseconds(element, compiler, **kw):
    later, earlier = (compiler.process(clause, **kw) for clause in element.clauses)

    # The whole seconds from the text without its fraction: SQLite's own date functions keep
    # milliseconds, and round 12:00:00.999999 up to the next second.
    def seconds(moment):
        return f"CAST(strftime('%s', substr({moment}, 1, 19)) AS INTEGER)"

    def fraction(moment):
        return f"CAST(substr({moment}, 21, 6) AS INTEGER)"

    return (
        f"(({seconds(later)} - {seconds(earlier)}) * 1000000"
        f" + {fraction(later)} - {fraction(earlier)})"
    )


class days_after(FunctionElement):  # noqa: N801 - reads as SQL
    """The date `days` (a whole number, a column or a value) after a date column."""

    type = Date()
    inherit_cache = True


@compiles(days_after)
def _days_after(element, compiler, **kw):
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(({day}) + CAST({days} AS INTEGER))"  # PostgreSQL: date + integer is a date


@compiles(days_after, "sqlite")
def _sqlite_days_after(element, compiler, **kw):
    # SQLite keeps a Date as 'YYYY-MM-DD' text, and date() answers in the same shape.
    day, days = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"date({day}, printf('%+d days', {days}))"
