"""Every request's input checked once, before any view or query sees it.

Pages and API alike: path variables, query and form fields, uploaded file names and JSON bodies
carry no control characters, JSON nests no deeper than `MAX_JSON_DEPTH` and parses without
blowing the stack, and headers that parsers choke on are refused. A refusal is a 400 in the
shape of the face that was asked (the JSON envelope under /api, an error page elsewhere).
"""

from __future__ import annotations

import json

from flask import Flask, current_app, request
from flask.json.provider import DefaultJSONProvider

from sharing.core.errors import BadRequest
from sharing.util.inputs import (
    MAX_JSON_DEPTH,
    has_forbidden_characters,
    json_depth_exceeds,
    walk_strings,
)

MAX_CONTENT_TYPE_LENGTH = 200


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but bodies that would exhaust the stack or nest absurdly are malformed."""

    def loads(self, s, **kwargs):
        try:
            value = json.loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error
        if json_depth_exceeds(value, MAX_JSON_DEPTH):
            raise ValueError("JSON nested too deeply")
        return value


def _refuse(field: str, why: str) -> None:
    raise BadRequest(
        "The request carries characters or values that are not accepted.", fields={field: [why]}
    )


def _check_pairs(pairs) -> None:
    for key, value in pairs:
        if has_forbidden_characters(key):
            _refuse("?", "control character")
        if isinstance(value, str) and has_forbidden_characters(value):
            _refuse(key, "control character")


def check_request() -> None:
    """Refuse what no view may receive (runs before every view)."""
    if len(request.headers.get("Content-Type", "")) > MAX_CONTENT_TYPE_LENGTH:
        _refuse("Content-Type", "too long")
    if has_forbidden_characters(request.path):
        _refuse("path", "control character")
    _check_pairs((request.view_args or {}).items())
    _check_pairs(request.args.items(multi=True))
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        _check_pairs(request.form.items(multi=True))
        for name, upload in request.files.items(multi=True):
            if has_forbidden_characters(upload.filename or ""):
                _refuse(name, "control character")
    elif request.is_json and request.content_length:
        _check_json(request.get_data(cache=True))


def _check_json(raw: bytes) -> None:
    """Parse the body once here: the views' parsers would let a deep or huge one crash them."""
    try:
        body = current_app.json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        _refuse("body", "malformed JSON")
    if any(has_forbidden_characters(text) for text in walk_strings(body)):
        _refuse("body", "control character")


def install_request_guard(app: Flask) -> None:
    """Use the guarded JSON parser and check every request before its view."""
    app.json_provider_class = GuardedJSONProvider
    app.json = GuardedJSONProvider(app)
    app.before_request(check_request)
