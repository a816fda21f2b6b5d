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
from sharing.core.urls import MAX_RECORD_ID
from sharing.util.formatting import platform_zone
from sharing.util.inputs import FIRST_DAY, LAST_DAY, day_in_range
from sharing.util.money import format_money, parse_money
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
    """CNY as a string with exactly two decimals; accepts strings and integers, never floats."""

    allow_negative = False

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_money(value)

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        if isinstance(value, bool):
            raise ma.ValidationError('Expected an amount such as "1280.00".')
        try:
            return parse_money(value, allow_negative=self.allow_negative)
        except ValueError as exc:
            raise ma.ValidationError(str(exc)) from exc


class SignedMoney(Money):
    """Money that may be negative (credits)."""

    allow_negative = True


class RecordId(ma.fields.Integer):
    """The id of a record in a request: a positive integer the database can hold."""

    def __init__(self, **kwargs):
        kwargs.setdefault("strict", True)  # query strings pass strict=False
        super().__init__(validate=ma.validate.Range(1, MAX_RECORD_ID), **kwargs)


class DecimalText(ma.fields.Decimal):
    """An exact decimal, written as a JSON string (documented as one, not as a number)."""

    def __init__(self, **kwargs):
        super().__init__(as_string=True, **kwargs)


class Fraction(DecimalText):
    """A share between 0 and 1 with two places, as a string."""

    def __init__(self, **kwargs):
        super().__init__(places=2, validate=ma.validate.Range(0, 1), **kwargs)


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

    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=20, validate=ma.validate.Range(min=1, max=100))


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
