"""The `next` redirect check: a redirect target must stay on this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(target: str | None, fallback: str) -> str:
    """`target` when it is a local path, else `fallback` (no scheme, host, or leading //)."""
    if not target:
        return fallback
    target = target.strip()
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
