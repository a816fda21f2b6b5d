"""Conditional GET for feeds: ETag and Last-Modified from a version, 304 without building."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from flask import Response, request

from sharing.core.answercache import AnswerCache
from sharing.core.feedversions import NEVER_CHANGED
from sharing.util.timeutil import utcnow

CACHE_BYTES = 32 * 1024 * 1024

feed_cache = AnswerCache(CACHE_BYTES)


def feed_response(
    identity: str,
    version: datetime | None,
    build: Callable[[], bytes],
    filename: str,
    private: bool,
) -> Response:
    """Answer 304 when the client's copy is current; otherwise build and send the feed."""
    version = version or NEVER_CHANGED
    etag = hashlib.sha256(f"{identity}|{version.isoformat()}".encode()).hexdigest()[:32]
    headers = {
        "ETag": f'"{etag}"',
        "Cache-Control": ("private" if private else "public") + ", max-age=0, must-revalidate",
    }
    # RFC 9110: a Last-Modified in the future is replaced by now. The comparison below still
    # uses the true version, so a client holding the earlier date is never told "not modified".
    headers["Last-Modified"] = _http_date(min(version, utcnow()))
    if _not_modified(etag, version):
        return Response(status=304, headers=headers)
    body = feed_cache.get(etag)
    if body is None:
        body = build()
        feed_cache.put(etag, body)
    response = Response(body, mimetype="text/calendar", headers=headers)
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _not_modified(etag: str, version: datetime) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return since is not None and version <= since


def _http_date(moment: datetime) -> str:
    from werkzeug.http import http_date

    return http_date(moment)
