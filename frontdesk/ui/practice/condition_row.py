"""One condition picked from the home-care library, with region, level and side where it has them.

A pinched nerve needs to say where (neck or lower back), which level (C5-C6, L4-L5) and which
side; carpal tunnel only needs a side; neck pain needs none. The row shows only the pickers the
chosen condition asks for, so nothing meaningless can be stored.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from frontdesk.plans import ConditionChoice, ConditionDef, HomecareLibrary
from frontdesk.ui import qtbits

SHRINKABLE = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon


class ConditionRow(QWidget):
    """Condition, region, level and side pickers and a remove button.

    Signals:
        changed(): any picker changed.
        remove_requested(): the × button was pressed.
    """

    changed = Signal()
    remove_requested = Signal()

    def __init__(self, library: HomecareLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.condition = QComboBox()
        for cond in library.conditions:
            self.condition.addItem(cond.title, cond.code)
        self.region = QComboBox()
        self.level = QComboBox()
        self.side = QComboBox()
        for combo, letters in (
            (self.condition, 12),
            (self.region, 10),
            (self.level, 5),
            (self.side, 6),
        ):
            # Shrink to fit a narrow form; the open list still shows the full labels.
            combo.setSizeAdjustPolicy(SHRINKABLE)
            combo.setMinimumContentsLength(letters)
        self.side.addItem("side\u2026", None)
        for side in library.sides:
            self.side.addItem(side.label, side.code)
        self.remove = qtbits.tool_button("\u00d7", tip="Remove this condition")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        # The room of the row goes to the pickers, the condition's most ("Carpal tunnel
        # syndrome" was cut at twelve letters beside empty space).
        for widget, share in (
            (self.condition, 4),
            (self.region, 3),
            (self.level, 1),
            (self.side, 2),
        ):
            row.addWidget(widget, share)
        row.addWidget(self.remove)
        self._sync_pickers()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.condition.currentIndexChanged.connect(self._on_condition_changed)
        self.region.currentIndexChanged.connect(self._on_region_changed)
        self.level.currentIndexChanged.connect(self.changed)
        self.side.currentIndexChanged.connect(self.changed)
        self.remove.clicked.connect(self.remove_requested)

    def current(self) -> ConditionDef | None:
        return self.library.condition(self.condition.currentData())

    @Slot()
    def _on_condition_changed(self) -> None:
        self._sync_pickers()
        self.changed.emit()

    @Slot()
    def _on_region_changed(self) -> None:
        self._fill_levels()
        self.changed.emit()

    def _sync_pickers(self) -> None:
        cond = self.current()
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem("region\u2026", None)
        for region in cond.regions if cond else ():
            self.region.addItem(region.label, region.code)
        self.region.blockSignals(False)
        self.region.setVisible(bool(cond and cond.regions))
        self.side.setVisible(bool(cond and cond.has_side))
        if not self.side.isVisible():
            self.side.setCurrentIndex(0)
        self._fill_levels()

    def _fill_levels(self) -> None:
        cond = self.current()
        region = cond.region(self.region.currentData()) if cond else None
        self.level.blockSignals(True)
        self.level.clear()
        self.level.addItem("level\u2026", None)
        for level in region.levels if region else ():
            self.level.addItem(level.replace("-", "\u2013"), level)
        self.level.blockSignals(False)
        self.level.setVisible(bool(region and region.levels))

    def value(self) -> ConditionChoice:
        return ConditionChoice(
            code=self.condition.currentData(),
            region=self.region.currentData() if self.region.isVisibleTo(self) else None,
            level=self.level.currentData() if self.level.isVisibleTo(self) else None,
            side=self.side.currentData() if self.side.isVisibleTo(self) else None,
        )

    def set_value(self, choice: ConditionChoice) -> None:
        index = self.condition.findData(choice.code)
        if index < 0:  # a condition the library no longer has: keep it, printed as stored
            self.condition.addItem(choice.code.replace("_", " ").capitalize(), choice.code)
            index = self.condition.count() - 1
        self.condition.setCurrentIndex(index)
        self._sync_pickers()
        self.region.setCurrentIndex(max(self.region.findData(choice.region), 0))
        self._fill_levels()
        self.level.setCurrentIndex(max(self.level.findData(choice.level), 0))
        self.side.setCurrentIndex(max(self.side.findData(choice.side), 0))
