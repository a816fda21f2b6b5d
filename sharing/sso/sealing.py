"""The OpenID Connect client secrets: sealed with Fernet before they reach the database, or
kept in the environment and never stored at all.

The keys come from the configuration: SSO_ENCRYPTION_KEYS (Fernet keys, the first seals, every
one opens, so a key is rotated by putting the new one first), else a key derived from
SECRET_KEY. SSO_CLIENT_SECRETS maps an organisation's slug to a secret from the environment
(SSO_CLIENT_SECRET_<SLUG>), which wins over a stored one.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class SecretUnreadable(RuntimeError):
    """A stored secret that none of the configured keys opens (the key changed)."""


def _keys() -> MultiFernet:
    configured = [key for key in current_app.config.get("SSO_ENCRYPTION_KEYS", ()) if key]
    if not configured:
        digest = hashlib.sha256(b"sso-client-secret:" + current_app.config["SECRET_KEY"].encode())
        configured = [base64.urlsafe_b64encode(digest.digest())]
    return MultiFernet([Fernet(key) for key in configured])


def seal(secret: str) -> str:
    """The secret encrypted (and authenticated) for the database."""
    return _keys().encrypt(secret.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The plain secret of a sealed one; SecretUnreadable when no configured key opens it."""
    try:
        return _keys().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError) as exc:
        message = "The stored client secret cannot be read with today's keys."
        raise SecretUnreadable(message) from exc


def environment_secret(slug: str) -> str:
    """The secret the environment holds for this organisation, or ''."""
    return current_app.config.get("SSO_CLIENT_SECRETS", {}).get(slug, "")
