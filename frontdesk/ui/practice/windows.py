"""One chart or editor window per thing, found again instead of opened twice.

A practitioner double-clicking a patient who already has a chart open expects that chart to
come to the front, not a second copy whose notes could overwrite the first. The registry is a
child object of the top-level window it serves (not a global), so it lives and dies with it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

W = TypeVar("W", bound=QWidget)


class WindowRegistry(QObject):
    """Open windows keyed by what they show, e.g. ``("chart", 12)``."""

    OBJECT_NAME = "practiceWindows"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(self.OBJECT_NAME)
        self._open: dict[Hashable, QWidget] = {}

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

    def show(self, key: Hashable, build: Callable[[], W]) -> W:
        """Raise the window open for ``key``, or build, remember and show a new one."""
        window = self._open.get(key)
        if window is None:
            window = build()
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._open[key] = window
            window.destroyed.connect(lambda *_: self._open.pop(key, None))
        window.show()
        window.raise_()
        window.activateWindow()
        return window  # type: ignore[return-value]
