"""What the production tests share: the required-or-skip rule and a plain HTTP call."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

import pytest

# `.ci/run` sets this: there a missing tool or service fails the run instead of skipping.
REQUIRED = os.environ.get("SHARING_REQUIRE_OPS") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip without `condition` locally; fail without it where SHARING_REQUIRE_OPS=1."""
    if condition:
        return
    if REQUIRED:
        pytest.fail(f"SHARING_REQUIRE_OPS=1 but {reason}")
    pytest.skip(reason)


def http(
    url: str, headers: dict | None = None, data: bytes | None = None, method: str | None = None
) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request (POST when `data` is given, unless `method`
    says otherwise); status 0 when the connection itself failed."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except OSError:
        return 0, {}, b""
