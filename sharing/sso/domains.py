"""E-mail domains of campus sign-in: how they are written and which address lies in which.

Pure: no Flask, no database.
"""

from __future__ import annotations

import re

# One DNS label: letters, digits and inner hyphens, at most 63 characters (RFC 1035).
LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_DOMAIN_LENGTH = 253


def normalise_domain(text: str) -> str | None:
    """The domain in its lower-case ASCII form (IDNA for Chinese names), or None when it is not
    a domain of at least two labels."""
    candidate = text.strip().lower().rstrip(".")
    if not candidate or any(ord(ch) < 33 for ch in candidate) or "@" in candidate:
        return None
    try:
        candidate = candidate.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = candidate.split(".")
    if len(candidate) > MAX_DOMAIN_LENGTH or len(labels) < 2:
        return None
    if not all(LABEL.match(label) for label in labels) or labels[-1].isdigit():
        return None
    return candidate


def domain_of(address: str) -> str | None:
    """The normalised domain of an e-mail address, or None."""
    _local, at, domain = address.strip().rpartition("@")
    return normalise_domain(domain) if at else None


def candidates(domain: str) -> list[str]:
    """The domain and each parent of it with two labels or more: an address at
    mail.sdu.edu.cn lies in a sign-in for sdu.edu.cn."""
    labels = domain.split(".")
    return [".".join(labels[index:]) for index in range(len(labels) - 1)]


def covers(configured: list[str], address: str) -> bool:
    """Whether the address lies in one of the configured domains (or a subdomain of one)."""
    domain = domain_of(address)
    return domain is not None and bool(set(candidates(domain)) & set(configured))
