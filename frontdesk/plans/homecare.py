"""Home-care advice as a plan revision keeps it: each chosen item with the words it was saved with.

A revision's ``homecare`` JSON column holds ``{"id": "rest", "text": "Rest well, ..."}`` for a
library item and ``{"text": "..."}`` for advice written for one patient, so the clinic can
reword or remove library items without changing what an already printed revision says.

Revisions saved before the wording was kept hold plain strings: a library item id, or the
patient's own advice. They are still read; an id is given the library's current wording (the
best there is, since the original words were never stored) and anything else reads as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from frontdesk.plans.library import HomecareLibrary, load_library
from frontdesk.plans.types import HomecareEntry


def clean_entries(entries: Iterable[HomecareEntry]) -> tuple[HomecareEntry, ...]:
    """Entries as they will be stored: one-line texts, blanks dropped, each item once."""
    out: list[HomecareEntry] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        text = " ".join(entry.text.split())
        item_id = (entry.item_id or "").strip() or None
        key = ("id", item_id) if item_id else ("text", text)
        if text and key not in seen:
            seen.add(key)
            out.append(HomecareEntry(text, item_id))
    return tuple(out)


def entries_to_json(entries: Iterable[HomecareEntry]) -> list[dict[str, str]]:
    """The column value for these entries (``id`` left out for the patient's own advice)."""
    return [{"id": e.item_id, "text": e.text} if e.item_id else {"text": e.text} for e in entries]


def entries_from_json(
    raw: Iterable[Any] | None, library: HomecareLibrary | None = None
) -> tuple[HomecareEntry, ...]:
    """A stored column value as entries, old plain-string rows included.

    The library is only consulted (and only loaded, when not given) for old plain-string rows;
    if it cannot be read, such a row reads as its bare string rather than failing the plan.
    """
    out: list[HomecareEntry] = []
    for value in raw or ():
        if isinstance(value, dict) and str(value.get("text") or "").strip():
            item_id = value.get("id")
            out.append(HomecareEntry(str(value["text"]), str(item_id) if item_id else None))
            continue
        old = str(value.get("id") or "") if isinstance(value, dict) else str(value)
        if not old:
            continue
        if library is None:
            try:
                library = load_library()
            except ValueError:
                out.append(HomecareEntry(old, None))
                continue
        out.append(library.entry(old))
    return tuple(out)
