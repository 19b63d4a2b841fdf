"""The point picker of the session note: find points by code or name, choose their side, and
record the needles, retention and stimulation, with the body diagram beside it.

Search runs over the point catalogue in memory (``frontdesk.needling.catalogue``), so typing
never waits on the database; the saved point prescriptions are read, and one applied, through
the services on a worker. The picker holds no rule: its ``value()`` is a ``Needling`` the
note editor saves with the note, and the service checks it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.needling.catalogue import AcuPoint, find_point, search_points
from frontdesk.needling.service import apply_point_prescription, list_point_prescriptions
from frontdesk.needling.types import (
    MAX_ELECTRO_HZ,
    MAX_NEEDLES,
    MAX_RETENTION_MINUTES,
    ChosenPoint,
    Needling,
    PrescriptionView,
    Side,
)
from frontdesk.ui import qtbits
from frontdesk.ui.practice.body_diagram import BodyDiagram
from frontdesk.ui.practice.fields import FieldErrors
from frontdesk.ui.practice.needle_dialogs import SavePrescriptionDialog
from frontdesk.ui.worker import Latest, run_query

CODE_ROLE = Qt.ItemDataRole.UserRole
NONE = -1  # a spin box's "not recorded" value

# Narrower screens (in pixels) get the figure under the point list rather than beside it.
NARROW_SCREEN = 1200


class CountSpinBox(QSpinBox):
    """A whole number, or "not recorded" (empty) below the range."""

    def __init__(self, maximum: int, suffix: str = "", empty: str = "\u2013") -> None:
        super().__init__()
        self.setRange(NONE, maximum)
        self.setSpecialValueText(empty)
        self.setSuffix(suffix)
        self.setValue(NONE)

    def minimumSizeHint(self) -> QSize:
        """Never narrower than its longest words (squeezed, "not counted" read "ot counted"),
        nor than 90 px, so the counts line up."""
        hint = self.sizeHint()
        return QSize(max(90, hint.width()), hint.height())

    def count(self) -> int | None:
        return None if self.value() == NONE else self.value()

    def set_count(self, value: int | None) -> None:
        self.setValue(NONE if value is None else value)


class ChosenRow(QWidget):
    """One chosen point: its name, Left / Right / Both (none for a midline point), remove."""

    changed = Signal()
    removed = Signal(str)

    def __init__(self, point: AcuPoint, side: Side) -> None:
        super().__init__()
        self.point = point
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        name = QLabel(f"<b>{point.code}</b> {point.pinyin}")
        name.setToolTip(f"{point.label}\n{point.channel}, {point.region}")
        layout.addWidget(name, 1)
        self.sides = QButtonGroup(self)
        self.buttons: dict[Side, QToolButton] = {}
        if point.midline:
            layout.addWidget(qtbits.label("midline", name="muted"))
        else:
            for value, text in ((Side.LEFT, "L"), (Side.RIGHT, "R"), (Side.BOTH, "Both")):
                button = qtbits.tool_button(text, checkable=True)
                button.setToolTip(
                    {"left": "Left side only", "right": "Right side only", "both": "Both sides"}[
                        value.value
                    ]
                )
                self.sides.addButton(button)
                self.buttons[value] = button
                layout.addWidget(button)
            self.buttons[side if side in self.buttons else Side.BOTH].setChecked(True)
            self.sides.buttonClicked.connect(lambda _b: self.changed.emit())
        self.remove_button = qtbits.tool_button("\u2715")
        self.remove_button.setToolTip(f"Remove {point.code}")
        self.remove_button.clicked.connect(lambda: self.removed.emit(point.code))
        layout.addWidget(self.remove_button)

    def side(self) -> Side:
        if self.point.midline:
            return Side.MIDLINE
        return next((s for s, b in self.buttons.items() if b.isChecked()), Side.BOTH)

    def set_side(self, side: Side) -> None:
        if side in self.buttons:
            self.buttons[side].setChecked(True)

    def set_locked(self, locked: bool) -> None:
        for button in (*self.buttons.values(), self.remove_button):
            button.setEnabled(not locked)


class PointPicker(QWidget):
    """Points, needles and stimulation of one session (see the module docstring).

    Signals:
        changed(): the user changed something; the note editor saves it.
    """

    changed = Signal()

    def __init__(self, ctx: AppContext, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rows: dict[str, ChosenRow] = {}
        self._locked = False
        self._auto_count = True  # needles in follows the points until the user types a count
        self._loading = Latest()
        self.prescriptions: list[PrescriptionView] = []
        self._build(errors)
        self._connect_signals()

    # -- building -----------------------------------------------------------------------------
    def _build(self, errors: FieldErrors) -> None:
        self.search = QLineEdit(placeholderText="Find a point: code or name (LI4, hegu, SJ5)")
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMaximumHeight(120)
        self.results.setToolTip("Double-click or press Enter to add the point")
        self.chosen_box = QWidget()
        self.chosen_layout = QVBoxLayout(self.chosen_box)
        self.chosen_layout.setContentsMargins(0, 0, 0, 0)
        self.chosen_layout.setSpacing(2)
        self.nothing_chosen = qtbits.label("No points chosen yet.", name="muted")
        self.chosen_layout.addWidget(self.nothing_chosen)
        self.prescription_button = QToolButton()
        self.prescription_button.setText("Apply prescription")
        self.prescription_button.setToolTip(
            "Add the points and settings of a saved point prescription, then adjust them"
        )
        self.prescription_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.prescription_menu = QMenu(self.prescription_button)
        self.prescription_button.setMenu(self.prescription_menu)

        self.save_prescription_button = qtbits.tool_button(
            "Save as prescription\u2026",
            tip="Keep these points and settings as a prescription to apply to other sessions",
        )
        self.needles_in = CountSpinBox(MAX_NEEDLES)
        self.needles_in.setToolTip("Needles inserted (counts two for a point done on both sides)")
        self.needles_out = CountSpinBox(MAX_NEEDLES, empty="not counted")
        self.needles_out.setToolTip("Needles removed and counted into the sharps container")
        self.retention = CountSpinBox(MAX_RETENTION_MINUTES, " min")
        self.electro = CountSpinBox(MAX_ELECTRO_HZ, " Hz", empty="none")
        self.electro.setMinimum(NONE)
        self.electro.setToolTip("Electro-stimulation frequency; none when not given")
        self.moxibustion = QCheckBox("Moxibustion")
        self.cupping = QCheckBox("Cupping")
        self.diagram = BodyDiagram()

        grid = QGridLayout()
        grid.addWidget(QLabel("Needles in"), 0, 0)
        grid.addWidget(self.needles_in, 0, 1)
        grid.addWidget(QLabel("Needles out"), 0, 2)
        grid.addWidget(self.needles_out, 0, 3)
        grid.addWidget(QLabel("Retention"), 1, 0)
        grid.addWidget(self.retention, 1, 1)
        grid.addWidget(QLabel("Electro"), 1, 2)
        grid.addWidget(self.electro, 1, 3)
        grid.addWidget(self.moxibustion, 2, 1)
        grid.addWidget(self.cupping, 2, 3)
        grid.setColumnStretch(4, 1)
        settings = QWidget()
        settings.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)

        left = QVBoxLayout()
        left.addWidget(qtbits.label("Points and needles", name="sectionTitle"))
        left.addWidget(errors.wrap("needling_points", self.search))
        left.addWidget(self.results)
        left.addWidget(qtbits.label("Chosen points", name="sectionTitle"))
        left.addWidget(self.chosen_box)
        left.addStretch(1)
        prescriptions = QHBoxLayout()
        prescriptions.addWidget(self.prescription_button)
        prescriptions.addWidget(self.save_prescription_button)
        prescriptions.addStretch(1)
        left.addLayout(prescriptions)
        # One error line under the counts, as wide as the panel: the needle-count message is long.
        left.addWidget(
            errors.wrap("needles_out", settings, "needles_in", "retention_minutes", "electro_hz")
        )
        # The figure gets the whole height beside the list: it is what the eye checks. On a
        # screen too narrow for the note, the list and the figure beside it (a 1024-pixel
        # laptop), the figure goes under the list instead.
        room = self.screen().availableGeometry().width() if self.screen() else NARROW_SCREEN
        direction = (
            QBoxLayout.Direction.TopToBottom
            if room < NARROW_SCREEN
            else QBoxLayout.Direction.LeftToRight
        )
        layout = QBoxLayout(direction, self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 4)
        layout.addWidget(self.diagram, 5)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._search)
        self.search.returnPressed.connect(self._add_first_result)
        self.results.itemActivated.connect(self._add_item)
        self.needles_in.valueChanged.connect(self._count_typed)
        for spin in (self.needles_out, self.retention, self.electro):
            spin.valueChanged.connect(self._user_changed)
        for box in (self.moxibustion, self.cupping):
            box.toggled.connect(self._user_changed)
        self.prescription_menu.aboutToShow.connect(self._fill_prescription_menu)
        self.save_prescription_button.clicked.connect(self.save_as_prescription)

    # -- the value ----------------------------------------------------------------------------
    def value(self) -> Needling:
        return Needling(
            points=tuple(ChosenPoint(code, row.side()) for code, row in self._rows.items()),
            needles_in=self.needles_in.count(),
            needles_out=self.needles_out.count(),
            retention_minutes=self.retention.count(),
            electro_hz=self.electro.count(),
            moxibustion=self.moxibustion.isChecked(),
            cupping=self.cupping.isChecked(),
        )

    def set_value(self, needling: Needling) -> None:
        """Show ``needling`` (a stored note, or a prescription applied); not an edit."""
        widgets = (
            self.needles_in,
            self.needles_out,
            self.retention,
            self.electro,
            self.moxibustion,
            self.cupping,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            for code in list(self._rows):
                self._drop_row(code)
            for chosen in needling.points:
                point = find_point(chosen.code)
                if point is not None:
                    self._add_row(point, chosen.side)
            self.needles_in.set_count(needling.needles_in)
            self.needles_out.set_count(needling.needles_out)
            self.retention.set_count(needling.retention_minutes)
            self.electro.set_count(needling.electro_hz)
            self.moxibustion.setChecked(needling.moxibustion)
            self.cupping.setChecked(needling.cupping)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._auto_count = needling.needles_in in (None, needling.needle_count)
        self._refresh()

    def set_needles_out(self, count: int) -> None:
        """The count the editor asked for on signing (an edit: the note saves it)."""
        self.needles_out.set_count(count)

    def set_locked(self, locked: bool) -> None:
        """Read-only, as a signed note shows it."""
        self._locked = locked
        self.search.setEnabled(not locked)
        self.results.setEnabled(not locked)
        self.prescription_button.setEnabled(not locked)
        for spin in (self.needles_in, self.needles_out, self.retention, self.electro):
            spin.setReadOnly(locked)
        for box in (self.moxibustion, self.cupping):
            box.setEnabled(not locked)
        for row in self._rows.values():
            row.set_locked(locked)

    # -- search and choosing ------------------------------------------------------------------
    @Slot(str)
    def _search(self, text: str) -> None:
        self.results.clear()
        for point in search_points(text):
            where = f" \u00b7 {point.region}" if point.region else ""
            item = QListWidgetItem(f"{point.label}{where}")
            item.setData(CODE_ROLE, point.code)
            item.setToolTip(f"{point.channel}{where}")
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def result_codes(self) -> list[str]:
        """The codes listed under the search box, best first (what tests read)."""
        return [str(self.results.item(i).data(CODE_ROLE)) for i in range(self.results.count())]

    @Slot()
    def _add_first_result(self) -> None:
        item = self.results.currentItem() or self.results.item(0)
        if item is not None:
            self._add_item(item)

    @Slot(QListWidgetItem)
    def _add_item(self, item: QListWidgetItem) -> None:
        self.add_point(str(item.data(CODE_ROLE)))

    def add_point(self, code: str, side: Side = Side.BOTH) -> None:
        """Choose the point (both sides unless said otherwise); a point chosen already stays."""
        point = find_point(code)
        if point is None or self._locked or point.code in self._rows:
            return
        self._add_row(point, side)
        self.search.clear()
        self._user_changed()

    def _add_row(self, point: AcuPoint, side: Side) -> None:
        row = ChosenRow(point, side)
        row.changed.connect(self._user_changed)
        row.removed.connect(self.remove_point)
        row.set_locked(self._locked)
        self._rows[point.code] = row
        self.chosen_layout.addWidget(row)

    @Slot(str)
    def remove_point(self, code: str) -> None:
        if code in self._rows and not self._locked:
            self._drop_row(code)
            self._user_changed()

    def _drop_row(self, code: str) -> None:
        row = self._rows.pop(code)
        self.chosen_layout.removeWidget(row)
        row.deleteLater()

    def row(self, code: str) -> ChosenRow:
        return self._rows[code]

    # -- changes ------------------------------------------------------------------------------
    @Slot()
    def _count_typed(self) -> None:
        self._auto_count = False
        self._user_changed()

    @Slot()
    def _user_changed(self) -> None:
        if self._auto_count:
            count = self.value().needle_count
            self.needles_in.blockSignals(True)
            self.needles_in.set_count(count or None)
            self.needles_in.blockSignals(False)
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        self.nothing_chosen.setVisible(not self._rows)
        self.diagram.set_points(self.value().points)

    # -- prescriptions ------------------------------------------------------------------------
    @Slot()
    def _fill_prescription_menu(self) -> None:
        self.prescription_menu.clear()
        waiting = QAction("Reading the saved prescriptions\u2026", self.prescription_menu)
        waiting.setEnabled(False)
        self.prescription_menu.addAction(waiting)
        self.load_prescriptions()

    def load_prescriptions(self, then: Callable[[], None] | None = None) -> None:
        """Read the clinic's point prescriptions on a worker and list them in the menu."""
        db = self.ctx.db

        def show(found: list[PrescriptionView]) -> None:
            self.prescriptions = found
            self.prescription_menu.clear()
            for p in found:
                codes = ", ".join(c.code for c in p.points)
                action = QAction(f"{p.name} \u2013 {codes}", self.prescription_menu)
                action.setToolTip(p.condition)
                action.triggered.connect(lambda _c=False, pid=p.id: self.apply_prescription(pid))
                self.prescription_menu.addAction(action)
            if not found:
                none = QAction("No point prescriptions saved yet", self.prescription_menu)
                none.setEnabled(False)
                self.prescription_menu.addAction(none)
            if then is not None:
                then()

        self._loading.run(self, lambda: list_point_prescriptions(db), show, self._failed)

    def apply_prescription(self, prescription_id: int) -> None:
        """Add the prescription's points and settings (on a worker), to be adjusted here."""
        db, current = self.ctx.db, self.value()

        def applied(needling: Needling) -> None:
            self.set_value(needling)
            self.changed.emit()

        run_query(
            self,
            lambda: apply_point_prescription(db, prescription_id, current),
            applied,
            self._failed,
        )

    @Slot()
    def save_as_prescription(self) -> QWidget:
        """The dialog that saves these points and settings as a named prescription."""
        dialog = SavePrescriptionDialog(self.ctx, self.value(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.prescription_menu.clear()
        failed = QAction(str(exc), self.prescription_menu)
        failed.setEnabled(False)
        self.prescription_menu.addAction(failed)
