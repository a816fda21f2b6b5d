"""Column types that behave the same on SQLite and PostgreSQL: aware UTC times, exact decimals."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes in UTC; always returns them aware in UTC (SQLite drops zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: attach a zone first")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ScaledDecimal(TypeDecorator):
    """An exact decimal with fixed places, stored as a scaled integer (fen for money)."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int = 2):
        super().__init__()
        self.places = places
        self.scale = 10**places
        self.quantum = Decimal(1).scaleb(-places)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        exact = Decimal(value)
        if exact != exact.quantize(self.quantum):
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(exact * self.scale)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(value) / self.scale).quantize(self.quantum)


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in column declarations
    """CNY with two places, stored as integer fen."""
    return ScaledDecimal(2)


def enum_column(enum_cls: type[enum.Enum], name: str, length: int = 20):
    """A portable enum column: VARCHAR plus a named CHECK, storing the values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )
