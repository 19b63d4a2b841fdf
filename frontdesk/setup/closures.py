"""Closures the clinic sets itself (renovation, training day).

Adding and listing are the scheduling service's own functions, re-exported so the Settings
page has one place to call; removing one is new here.
"""

from __future__ import annotations

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import Closure
from frontdesk.domain import NotFound
from frontdesk.scheduling.closures import add_closure, list_closures

__all__ = ["add_closure", "list_closures", "remove_closure"]


@operation("remove_closure")
def remove_closure(db: Database, closure_id: int) -> None:
    """Open the clinic again on a closure's days (appointments were never removed by it)."""
    with db.write() as s:
        row = s.get(Closure, closure_id)
        if row is None:
            raise NotFound("This closure was already removed; the list has been refreshed.")
        s.delete(row)
