"""One chart or editor window per thing, found again instead of opened twice.

A practitioner double-clicking a patient who already has a chart open expects that chart to
come to the front, not a second copy whose notes could overwrite the first. The registry is a
child object of the top-level window it serves (not a global), so it lives and dies with it.

When that window is closed, the registry closes its windows first: a note editor saves itself,
a plan editor with unsaved changes asks, and if any of them refuses, the main window stays open.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from frontdesk.ui import qtbits
from frontdesk.ui.worker import Job

W = TypeVar("W", bound=QWidget)


def close_keys(window: QWidget) -> None:
    """Esc and Ctrl+W close a secondary window, as they do a dialog (its own close rules
    still apply: a note saves itself, unsaved plan changes are asked about)."""
    for keys in (QKeySequence(Qt.Key.Key_Escape), QKeySequence("Ctrl+W")):
        shortcut = qtbits.shortcut(keys, window, window.close)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)


# A window closed because its owner (the main window, the chart) is closing, not by its user.
CLOSING_WITH_OWNER = "closingWithOwner"


class WindowRegistry(QObject):
    """Open windows keyed by what they show, e.g. ``("chart", 12)``."""

    OBJECT_NAME = "practiceWindows"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)
        self._open: dict[Hashable, QWidget] = {}
        self._reads: dict[Hashable, Job[Any]] = {}  # what a window to open is waiting for
        if parent is not None:
            parent.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        closing = watched is self.parent() and event.type() == QEvent.Type.Close
        if closing and not self.close_all():
            event.ignore()
            return True  # a window kept itself open: so does its owner
        return super().eventFilter(watched, event)

    def close_all(self) -> bool:
        """Close every registered window; False if one refused (e.g. "Cancel" on a question).

        Each knows it closes with its owner (``CLOSING_WITH_OWNER``), so it saves without
        asking what can wait (a note's needle count is asked again when it is signed)."""
        closed = []
        for window in list(self._open.values()):
            window.setProperty(CLOSING_WITH_OWNER, True)
            done = window.close()
            if not done:
                window.setProperty(CLOSING_WITH_OWNER, False)
            closed.append(done)
        return all(closed)

    @classmethod
    def of(cls, widget: QWidget | None) -> WindowRegistry:
        """The registry of ``widget``'s top-level window (created on first use)."""
        owner = widget.window() if widget is not None else None
        if owner is not None:
            found = owner.findChild(WindowRegistry, cls.OBJECT_NAME)
            if found is not None:
                return found
        return cls(owner)

    def get(self, key: Hashable) -> QWidget | None:
        return self._open.get(key)

    def windows(self) -> list[QWidget]:
        return list(self._open.values())

    def reading(self, key: Hashable) -> bool:
        """A window for ``key`` is to open once its read answers (``read_for``)."""
        job = self._reads.get(key)
        if job is not None and job.done:
            del self._reads[key]
            job = None
        return job is not None

    def read_for(self, key: Hashable, job: Job[Any]) -> None:
        """``job`` reads what the window for ``key`` shows; asking again meanwhile waits."""
        self._reads[key] = job

    def rekey(self, window: QWidget, key: Hashable) -> None:
        """File ``window`` under ``key`` from now on (a new note or plan that got its id)."""
        self._forget(window)
        self._open[key] = window

    def _forget(self, window: QWidget) -> None:
        for key in [k for k, w in self._open.items() if w is window]:
            del self._open[key]

    def show(self, key: Hashable, build: Callable[[], W]) -> W:
        """Raise the window open for ``key``, or build, remember and show a new one."""
        window = self._open.get(key)
        if window is None:
            window = build()
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            close_keys(window)
            self._open[key] = window
            window.destroyed.connect(lambda *_: self._forget(window))
        window.show()
        window.raise_()
        window.activateWindow()
        return window  # type: ignore[return-value]
