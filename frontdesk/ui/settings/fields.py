"""Field error lines for the Settings forms that live on the page rather than in a dialog.

Builds on the practice windows' ``FieldErrors`` and adds what ``FormDialog`` does too: the
wrong input is outlined and the first one takes the focus. ``field(key, widget, target)`` has
``FormDialog.field``'s signature, so the week grid fits in a dialog and on a page alike.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QWidget

from frontdesk.ui.dialogs.base import FormDialog
from frontdesk.ui.practice.fields import FieldErrors as _FieldErrors


class FieldErrors(_FieldErrors):
    """Error labels keyed by field name, with the wrong inputs outlined."""

    def __init__(self) -> None:
        super().__init__()
        self._targets: dict[str, QWidget] = {}

    def field(self, key: str, widget: QWidget, target: QWidget | None = None) -> QWidget:
        self._targets[key] = target or widget
        return self.wrap(key, widget)

    def clear(self) -> None:
        self.show({})

    def show(self, errors: Mapping[str, str]) -> list[str]:
        """Put each message under its field, focus the first; the messages left over."""
        unplaced = super().show(errors)
        wrong = [w for key, w in self._targets.items() if key in errors]
        for key, widget in self._targets.items():
            FormDialog._set_invalid(widget, key in errors)
        if wrong:
            wrong[0].setFocus()
        return unplaced
