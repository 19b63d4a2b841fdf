"""The GUI thread never waits on the database: a GUI test fails if the UI calls it there.

Every connection SQLAlchemy hands out passes its pool's ``checkout`` event. While a GUI test
runs, a listener on every pool notes each checkout made on the GUI thread with code of
``frontdesk/ui`` on the stack (test code setting up data on the same thread is not the UI), and
the test fails at its end naming the widget code that did it, unless that place is still in
``NOT_YET_ON_A_WORKER`` (the known remainder, to be moved onto ``ui/worker.py`` and struck off).
A new direct call anywhere else fails the GUI tests that reach it.

A backup's copy of the SQLite file (``db/snapshot.py``, used by ``backup/service.py`` and the
upgrade's safety copy in ``db/schema.py``) opens the file directly rather than through a pool;
it can take far longer than any query, so it is watched the same way.

SQLite's ``PRAGMA data_version`` of the live-view poller (``db/changes.py``) is on its own raw
connection and never waits, so it is not a pooled checkout and not counted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QThread
from sqlalchemy import event
from sqlalchemy.pool import Pool

from frontdesk.backup import service as backup_service
from frontdesk.db import schema as db_schema

_UI = os.sep + os.path.join("frontdesk", "ui") + os.sep
_TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

# "module:function" (under frontdesk/ui) of the innermost UI frame that still calls a service on
# the GUI thread. Each entry is debt: move the call onto run_query and delete its line here.
NOT_YET_ON_A_WORKER: frozenset[str] = frozenset()


# Unattended runs (``frontdesk --screenshots``) that ask services directly: nobody is waiting.
UNATTENDED: frozenset[str] = frozenset(
    {
        "booking/showcase.py:_find_clashing_plan",
        "intake/screens.py:intake_screenshots",
        "screenshots.py:_dialog_screenshots",
        "waitlist/showcase.py:fill_showcase",
    }
)


@dataclass
class GuiThreadCalls:
    """Checkouts seen on the GUI thread, as UI call chains (innermost UI frame first)."""

    chains: list[tuple[str, ...]] = field(default_factory=list)

    def unexpected(self) -> list[tuple[str, ...]]:
        allowed = NOT_YET_ON_A_WORKER | UNATTENDED
        return [c for c in self.chains if _site(c[0]) not in allowed]

    def sites(self) -> set[str]:
        return {_site(c[0]) for c in self.chains}


def _site(frame: str) -> str:
    """``calendar/page.py:12:_load`` → ``calendar/page.py:_load``."""
    path, _line, function = frame.split(":", 2)
    return f"{path}:{function}"


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


def _ui_chain() -> tuple[str, ...]:
    """The UI frames under which the database was called (from the caller of the caller of
    this function up), innermost first; () when the nearest caller is test code (a test
    playing another desk inside a dialog it answers)."""
    chain: list[str] = []
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if _UI in name:
            chain.append(f"{name.split(_UI, 1)[1]}:{frame.f_lineno}:{frame.f_code.co_name}")
        elif name.startswith(_TESTS) and not chain:
            return ()
        frame = frame.f_back  # type: ignore[assignment]
    return tuple(chain)


@dataclass(eq=False)  # hashable: SQLAlchemy keys its listeners by them
class _Listener:
    seen: GuiThreadCalls

    def __call__(self, _dbapi: Any, _record: Any, _proxy: Any) -> None:
        if not on_gui_thread():
            return
        chain = _ui_chain()
        if chain:
            self.seen.chains.append(chain)


@contextmanager
def watch() -> Iterator[GuiThreadCalls]:
    """Record GUI-thread checkouts made by UI code for as long as the generator is open."""
    seen = GuiThreadCalls()
    listener = _Listener(seen)
    event.listen(Pool, "checkout", listener)
    copies = [(module, module.snapshot_sqlite) for module in (backup_service, db_schema)]
    for module, real in copies:
        module.snapshot_sqlite = _watched(real, seen)  # type: ignore[attr-defined]
    try:
        yield seen
    finally:
        event.remove(Pool, "checkout", listener)
        for module, real in copies:
            module.snapshot_sqlite = real  # type: ignore[attr-defined]


def _watched(copy: Callable[..., Any], seen: GuiThreadCalls) -> Callable[..., Any]:
    """``copy`` (a whole-file SQLite snapshot), noted like a checkout when the UI calls it on
    the GUI thread."""

    def snapshot_sqlite(*args: Any, **kwargs: Any) -> Any:
        if on_gui_thread():
            chain = _ui_chain()  # from this function's caller up
            if chain:
                seen.chains.append(chain)
        return copy(*args, **kwargs)

    return snapshot_sqlite


def explain(chains: list[tuple[str, ...]]) -> str:
    lines = [
        "The UI called the database on the GUI thread (a locked or slow database would freeze "
        "the window); run it through frontdesk.ui.worker.run_query:"
    ]
    for chain in dict.fromkeys(chains):  # each distinct chain once, in order
        lines.append("  " + " <- ".join(chain[:6]))
    return "\n".join(lines)
