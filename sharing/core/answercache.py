"""Answers kept by their ETag, so that a repeat is sent without being built again.

An ETag here is made from everything an answer depends on (the request, what else the view
reads, the versions of what it shows), so the same ETag means the same bytes: a feed or an API
answer built once is sent again to anyone who asks while its versions stand, whether or not
they hold a copy themselves. Per process, least recently used out first, bounded in bytes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict


class AnswerCache:
    """Bodies by ETag, least recently used out first, bounded in bytes (per process)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            body = self.entries.get(key)
            if body is not None:
                self.entries.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        if len(body) > self.limit:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = body
            self.size += len(body)
            while self.size > self.limit:
                _old, evicted = self.entries.popitem(last=False)
                self.size -= len(evicted)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0
