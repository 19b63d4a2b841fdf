"""Keeping the garbage collector off the objects a session holds for its whole life.

By the time the first page is on screen the process holds some hundred thousand objects that
live until it exits: modules, SQLAlchemy's mappers and compiled queries, Qt's wrappers.
Python's full ("generation 2") collections walk all of them, and a click that builds a few
thousand objects (a day view of forty practitioners) sets one off every few clicks: 60-190 ms
on a busy two-core machine, the slowest clicks of the calendar. Freezing what exists once the
first page is built takes those objects out of every later collection, so a full collection
walks only what the session made since. It is done once per process: cycles among frozen
objects are never collected, so freezing again later could keep garbage alive.
"""

from __future__ import annotations

import gc

_done = False


def keep_for_life() -> None:
    """Exempt every object alive now from later garbage collections (``gc.freeze``), the
    first time it is called in this process; later calls do nothing."""
    global _done
    if not _done:
        _done = True
        gc.freeze()
