"""Argon2id password hashes; a password is never stored, shown or logged in clear.

The parameters are at least OWASP's minimum for Argon2id (19 MiB of memory, two passes, one
lane); a stored hash carries its own parameters, so raising them later still verifies old ones
and ``needs_rehash`` says when to store a stronger hash at the next sign-in.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MEMORY_COST_KIB = 19_456
TIME_COST = 2
PARALLELISM = 1
MIN_LENGTH = 8
MAX_LENGTH = 200


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(
        time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM, type=Type.ID
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches; a malformed stored hash never matches."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher().check_needs_rehash(stored_hash)
    except Exception:  # an unreadable hash is replaced at the next successful sign-in
        return True


@cache
def dummy_hash() -> str:
    """A hash to verify against for unknown user names, so they take as long as known ones."""
    return hash_password("no account has this password")


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be used, or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a short phrase is easiest to remember."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    if not password.strip():
        return "A password of spaces only is too easy to guess."
    return None
