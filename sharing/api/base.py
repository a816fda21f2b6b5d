"""The API's building blocks: a smorest Blueprint whose bad input is 400, pagination, fields."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from decimal import Decimal

import marshmallow as ma
from flask import Response, abort, after_this_request, request
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser

from sharing.api.idempotent import begin_idempotent_request
from sharing.core.answercache import AnswerCache
from sharing.core.feedversions import NEVER_CHANGED, latest
from sharing.core.session import UNSAFE_METHODS, api_actor, require_actor
from sharing.util.formatting import platform_zone
from sharing.util.inputs import FIRST_DAY, LAST_DAY, day_in_range
from sharing.util.money import format_money
from sharing.util.numbers import (
    FIRST_YEAR,
    LAST_YEAR,
    NumberError,
    format_rate,
    json_integer,
    parse_count,
    parse_decimal,
    parse_money,
    parse_rate,
)
from sharing.util.numbers import (
    MAX_INTEGER as MAX_RECORD_ID,
)
from sharing.util.timeutil import TimeFormatError, format_datetime, parse_datetime

API_ROOT = "/api/v1"
# Answers of the GETs that `answer_repeats` tags, by ETag (the feeds keep theirs apart).
API_ANSWERS = AnswerCache(16 * 1024 * 1024)
ANONYMOUS_WRITES = frozenset({f"{API_ROOT}/auth/tokens"})


def authenticate_api_request() -> None:
    """Identify the caller first: a bad token is 401, and so is any anonymous write."""
    if request.path in ANONYMOUS_WRITES:
        return
    if request.method in UNSAFE_METHODS:
        require_actor()
    else:
        api_actor()


class BadRequestParser(FlaskParser):
    """api.md answers malformed input with 400 `bad_request`, keeping 422 for broken rules."""

    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(SmorestBlueprint):
    """Every API blueprint: bad input is 400 and the caller is identified before anything else."""

    ARGUMENTS_PARSER = BadRequestParser()
    # Who is calling, then their Idempotency-Key: people with bearer tokens or sessions here.
    CALLER_HOOKS = (authenticate_api_request, begin_idempotent_request)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for hook in self.CALLER_HOOKS:
            self.before_request(hook)

    def arguments(self, schema, *args, **kwargs):
        """Input read by `schema`: a class is made an instance once, here, where webargs would
        make one on every request (0.15 ms of a booking's 3 ms in the profile)."""
        if isinstance(schema, type):
            schema = schema()
        if kwargs.get("location") == "query":
            for field in schema.fields.values():
                if isinstance(field, Whole | Money):
                    field.in_query = True
        return super().arguments(schema, *args, **kwargs)

    @staticmethod
    def answer_repeats(keys: list[str], *identity) -> None:
        """ETag a GET whose answer changes only with the request, `identity` (what else the
        view reads, e.g. whether the caller may see names) and the versions of `keys`; a copy
        that is still current gets 304 here, before anything is loaded or built.
        """
        version = latest(keys) or NEVER_CHANGED
        seed = json.dumps([request.full_path, *identity, version.isoformat()], default=str)
        etag = hashlib.sha256(seed.encode()).hexdigest()[:32]
        if request.if_none_match.contains(etag):
            # A bare answer, past the JSON error envelope: a 304 has no body.
            abort(Response(status=304, headers={"ETag": f'"{etag}"'}))
        kept = API_ANSWERS.get(etag)
        if kept is not None:
            # The same ETag is the same answer: sent again to a caller without a copy.
            answer = Response(kept, status=200, mimetype="application/json")
            answer.set_etag(etag)
            abort(answer)

        @after_this_request
        def tag(response: Response) -> Response:
            if response.status_code == 200:
                response.set_etag(etag)
                API_ANSWERS.put(etag, response.get_data())
            return response


class Day(ma.fields.Date):
    """A day (YYYY-MM-DD) between inputs.FIRST_DAY and inputs.LAST_DAY."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        try:
            return day_in_range(day)
        except ValueError as exc:
            raise ma.ValidationError(f"Give a day between {FIRST_DAY} and {LAST_DAY}.") from exc


class Money(ma.fields.Field):
    """CNY as a JSON string with exactly two decimals ("1280.00"): never a JSON number, an
    exponent or other digits (numbers.parse_money); `positive` for amounts above zero. A filter
    in a query string is typed by a person: at most two decimals ("100")."""

    allow_negative = False
    in_query = False

    def __init__(self, *, positive: bool = False, **kwargs):
        self.positive = positive
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_money(value)

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        try:
            return parse_money(
                value,
                exact=not self.in_query,
                allow_negative=self.allow_negative,
                positive=self.positive,
            )
        except NumberError as exc:
            raise ma.ValidationError(str(exc)) from exc


class SignedMoney(Money):
    """Money that may be negative (credits)."""

    allow_negative = True


class Whole(ma.fields.Integer):
    """A whole number: a JSON integer in a body (a string, float or boolean is refused), ASCII
    digits in a query string (`Blueprint.arguments` marks the fields of query schemas)."""

    in_query = False

    def __init__(self, **kwargs):
        kwargs.pop("strict", None)
        super().__init__(strict=True, **kwargs)

    def _validated(self, value) -> int:
        if self.in_query:
            try:
                return parse_count(value) if isinstance(value, str) else json_integer(value)
            except NumberError as exc:
                raise ma.ValidationError(str(exc)) from exc
        return super()._validated(value)


class RecordId(Whole):
    """The id of a record in a request: a positive integer the database can hold."""

    def __init__(self, **kwargs):
        super().__init__(validate=ma.validate.Range(1, MAX_RECORD_ID), **kwargs)


class Year(Whole):
    """A year the platform serves (numbers.FIRST_YEAR..LAST_YEAR)."""

    def __init__(self, **kwargs):
        super().__init__(validate=ma.validate.Range(FIRST_YEAR, LAST_YEAR), **kwargs)


class DecimalText(ma.fields.Decimal):
    """An exact decimal as a JSON string. Read with at most `places` decimals (four when not
    given; never rounded: more is refused) up to `maximum`; written with `places` decimals, or
    as it is held when not given."""

    def __init__(self, places: int | None = None, maximum: Decimal = Decimal(10**12), **kwargs):
        self.max_places, self.maximum = places or 4, maximum
        super().__init__(places=places, as_string=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        try:
            return parse_decimal(value, self.max_places, self.maximum)
        except NumberError as exc:
            raise ma.ValidationError(str(exc)) from exc


class Rate(DecimalText):
    """A rate or share between 0 and 1 as a string: read with at most `places` decimals (four
    for the vouchers' rates, two for the instruments' shares, as their columns hold), never
    rounded; written with two to four decimals ("0.10", "0.1234")."""

    def __init__(self, places: int = 4, **kwargs):
        super().__init__(maximum=Decimal(1), **kwargs)
        self.max_places = places

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return format_rate(Decimal(value))

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        try:
            return parse_rate(value, self.max_places)
        except NumberError as exc:
            raise ma.ValidationError(str(exc)) from exc


class ZonedDateTime(ma.fields.Field):
    """RFC 3339: read with any offset (none: the platform zone), written in the platform zone."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        return format_datetime(value, platform_zone())

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        try:
            return parse_datetime(value, platform_zone())
        except TimeFormatError as exc:
            raise ma.ValidationError(str(exc)) from exc


class PageArgs(ma.Schema):
    """`page` from 1 and `per_page` 1..100 (default 20)."""

    page = Whole(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = Whole(load_default=20, validate=ma.validate.Range(min=1, max=100))


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A list envelope `{"items", "total", "page", "per_page"}` around `item_schema`."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "total": ma.fields.Integer(),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
        },
        name=name,
    )


def page_body(page) -> dict:
    """A services.Page as the list envelope."""
    return {"items": page.items, "total": page.total, "page": page.page, "per_page": page.per_page}
