"""Conditional GET for feeds: ETag and Last-Modified from a version, 304 without building."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Response, request

from sharing.timeutil import utcnow

NEVER = datetime(2026, 1, 1, tzinfo=UTC)  # the version of a feed whose source never changed


def feed_response(
    identity: str,
    version: datetime | None,
    build: Callable[[], bytes],
    filename: str,
    private: bool,
) -> Response:
    """Answer 304 when the client's copy is current; otherwise build and send the feed."""
    version = version or NEVER
    etag = hashlib.sha256(f"{identity}|{version.isoformat()}".encode()).hexdigest()[:32]
    headers = {
        "ETag": f'"{etag}"',
        "Cache-Control": ("private" if private else "public") + ", max-age=0, must-revalidate",
    }
    # Never announce a time in the future (versions can run a second ahead under bursts).
    if version <= utcnow():
        headers["Last-Modified"] = _http_date(version)
    if _not_modified(etag, version):
        return Response(status=304, headers=headers)
    response = Response(build(), mimetype="text/calendar", headers=headers)
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
