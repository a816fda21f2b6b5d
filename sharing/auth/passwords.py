"""Password hashing and the platform's password rule."""

from __future__ import annotations

import hashlib

from werkzeug.security import check_password_hash, generate_password_hash

MIN_PASSWORD_LENGTH = 8
# Werkzeug's default, about 0.1 s a hash by design. Each hash names its method, so hashes made
# with another method (the test suite's cheap one) still verify.
DEFAULT_HASH_METHOD = "scrypt"


def password_problems(password: str) -> list[str]:
    """Why a password is refused; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"at least {MIN_PASSWORD_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        problems.append("letters and digits or symbols mixed")
    return problems


def hash_password(password: str, method: str = DEFAULT_HASH_METHOD) -> str:
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: what sessions and reset links are bound to, so that
    a new password ends every other session and spends every reset link."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]
