"""The HTTP session the sign-in clients talk to servers with: every call has a time limit, so
a server that hangs costs the person seconds, not a worker forever."""

from __future__ import annotations

import requests
from flask import current_app


class TimedSession(requests.Session):
    """A requests session whose calls wait at most `timeout` seconds unless told otherwise."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(method, url, *args, **kwargs)


def timeout() -> float:
    return float(current_app.config.get("SSO_TIMEOUT_SECONDS", 10))


def timed_session() -> TimedSession:
    return TimedSession(timeout())
