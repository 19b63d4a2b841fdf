"""Field rows with their own error line, for editors that are windows rather than dialogs.

The services raise ``ValidationError({field: message})``; ``FieldErrors`` puts each message
under the widget registered for that field, the same look as ``dialogs.base.FormDialog``.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

from frontdesk.ui import qtbits


class FieldErrors:
    """Error labels keyed by the input DTO's field names."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def wrap(self, key: str, widget: QWidget, *aliases: str) -> QWidget:
        """``widget`` with an (initially hidden) error line under it; ``aliases`` are other
        field names whose messages belong on the same line (pain before/after)."""
        cell = QWidget()
        lay = QVBoxLayout(cell)
        lay.setSizeConstraint(QLayout.SizeConstraint.SetMinAndMaxSize)  # fixed fields stay so
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        label = qtbits.label(name="fieldError", wrap=True)
        label.hide()
        lay.addWidget(label)
        for name in (key, *aliases):
            self._labels[name] = label
        return cell

    def show(self, errors: Mapping[str, str]) -> list[str]:
        """Show each message by its field; returns the messages that have no field here."""
        for shown in set(self._labels.values()):
            shown.hide()
            shown.clear()
        unplaced: list[str] = []
        for key, message in errors.items():
            label = self._labels.get(key)
            if label is None:
                unplaced.append(message)
                continue
            label.setText(f"{label.text()}\n{message}".strip())
            label.show()
        return unplaced

    def text(self, key: str) -> str:
        """The message shown for ``key`` ("" when none); what tests read."""
        label = self._labels.get(key)
        return label.text() if label is not None and not label.isHidden() else ""
