"""Fixtures of the API tests."""

from __future__ import annotations

import pytest

from sharing.auth.passwords import hash_password


@pytest.fixture
def quick_hashes(monkeypatch):
    """Hash the factory's one password once: scrypt costs 90 ms, and each row has six people."""
    from sharing.auth import services

    cache: dict[str, str] = {}

    def hash_once(password: str) -> str:
        if password not in cache:
            cache[password] = hash_password(password)
        return cache[password]

    monkeypatch.setattr(services, "hash_password", hash_once)
