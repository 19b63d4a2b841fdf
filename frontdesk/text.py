"""Text every database can store: the one check services run on what was typed or pasted.

PostgreSQL refuses the NUL character (``\\x00``) that SQLite stores without complaint, and
neither can store half of a surrogate pair. Such characters are invisible on screen and arrive
by pasting from another program or from a script. Refusing them at the field, on both
databases alike, keeps a clinic's data portable and turns a driver error into a message.
"""

from __future__ import annotations

from collections.abc import Iterable


def _unstorable(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text)


def unstorable_problem(value: str | Iterable[str], label: str) -> str | None:
    """Why ``value`` (a text, or a list of texts) cannot be saved as it is, or None."""
    texts = [value] if isinstance(value, str) else list(value)
    if any(_unstorable(text) for text in texts):
        return (
            f"The {label} contains an invisible character (such as NUL) that cannot be "
            "saved; delete it, or type that part again instead of pasting it."
        )
    return None


def unstorable_errors(fields: Iterable[tuple[str, str | Iterable[str], str]]) -> dict[str, str]:
    """One message per field that cannot be saved, from ``(field, value, label)`` triples."""
    errors: dict[str, str] = {}
    for field, value, label in fields:
        problem = unstorable_problem(value, label)
        if problem:
            errors[field] = problem
    return errors
