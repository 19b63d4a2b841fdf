"""The Reports page (administrators): the clinic's figures over a period, as a table, a bar
chart and a CSV file.

Choose a report and the first and last day; the report is built on a worker
(``ui/worker.py``) by its service (``frontdesk.insights``), which decides what every figure
counts. Export CSV… writes the report on screen through the shared CSV writer.

The figures are those of the moment the report was built, again each time the page is shown or
the report or period changes. The page has no ``database_changed()``: building a report writes
its own audit row, a change the live views would report back, and a page rebuilding on every
change would rebuild itself (and write a row) every second.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.insights import REPORTS, Report, ReportChoice, check_period, export_report_csv
from frontdesk.ui import file_dialogs, qtbits
from frontdesk.ui.admin.audit_tools import CSV_FILTER
from frontdesk.ui.admin.report_chart import BarChart, ReportTableModel
from frontdesk.ui.formatting import DATE_FORMAT_HINT, TypedDateError, parse_typed_date
from frontdesk.ui.settings.fields import FieldErrors
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.widgets.tables import list_table
from frontdesk.ui.worker import Latest


def last_twelve_months(today: date) -> tuple[date, date]:
    """The default period: the eleven whole months before this one, and this one to today."""
    first = today.replace(day=1)
    for _ in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


class ReportsPage(Page):
    """Report and period at the top, the table and its chart, and Export CSV….

    ``report`` is the report on screen (None until the first one arrives); ``loaded`` turns
    True when it does (tests wait for it).
    """

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.report: Report | None = None
        self.loaded = False
        self._build_job = Latest()
        self._export_job = Latest()
        self._build()
        self._connect_signals()

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 16)
        outer.setSpacing(10)
        outer.addWidget(qtbits.label("Reports", name="pageTitle"))
        outer.addWidget(
            qtbits.label(
                "Revenue, balances owed, missed visits, how full each practitioner's hours are "
                "and where new patients come from, for the period you choose.",
                name="pageSubtitle",
                wrap=True,
            )
        )
        self.errors = FieldErrors()
        self.choice = QComboBox()
        for r in REPORTS:
            self.choice.addItem(r.title, r.key)
        self.choice.setMinimumContentsLength(26)
        first, last = last_twelve_months(self.ctx.clock().astimezone().date())
        self.first_day = QLineEdit(first.isoformat(), placeholderText=DATE_FORMAT_HINT)
        self.last_day = QLineEdit(last.isoformat(), placeholderText=DATE_FORMAT_HINT)
        for day in (self.first_day, self.last_day):
            day.setMaximumWidth(150)
        self.export_button = qtbits.button(
            "E&xport CSV…", tip="Write the report on screen to a CSV file"
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.last_caption = QLabel("&To")
        for column, (caption, widget, key) in enumerate(
            (
                (QLabel("&Report"), self.choice, "report"),
                (QLabel("Fro&m"), self.first_day, "first_day"),
                (self.last_caption, self.last_day, "last_day"),
            )
        ):
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, column)
            grid.addWidget(self.errors.field(key, widget), 1, column, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.export_button, 1, 3, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(4, 1)
        outer.addLayout(grid)

        self.heading = qtbits.label(name="sectionTitle")
        outer.addWidget(self.heading)
        self.model = ReportTableModel(self)
        self.table = list_table(self.model, row_height=28)
        self.table.setAccessibleName("Report rows")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.chart = BarChart()
        outer.addWidget(self.table, 1)  # the rows take what the chart's bars leave
        outer.addWidget(self.chart)
        self.note = qtbits.label(name="muted", wrap=True)
        outer.addWidget(self.note)
        self.message = qtbits.label(wrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.message)
        self._update_fields()

    def _connect_signals(self) -> None:
        self.choice.currentIndexChanged.connect(self._on_choice)
        self.first_day.editingFinished.connect(self.refresh)
        self.last_day.editingFinished.connect(self.refresh)
        self.export_button.clicked.connect(self.export_csv)

    # -- Page ----------------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def focus_primary(self) -> None:
        self.choice.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("Alt+R / Alt+M / Alt+T", "Go to the report, the first day, the last day"),
            ("Alt+X", "Export the report on screen as CSV"),
        ]

    def prepare_screenshot(self) -> None:
        self.refresh()
        self.wait_loaded()

    def wait_loaded(self) -> None:
        """Take the answers under way now (screenshots, tests)."""
        for latest in (self._build_job, self._export_job):
            if latest.job is not None:
                latest.job.wait()

    # -- reading -------------------------------------------------------------------------------
    def chosen(self) -> ReportChoice:
        return REPORTS[max(self.choice.currentIndex(), 0)]

    def read_period(self) -> tuple[date, date] | None:
        """The period as typed, or None (and the message at the field)."""
        problems: dict[str, str] = {}
        days: dict[str, date] = {}
        for key, box in (("first_day", self.first_day), ("last_day", self.last_day)):
            try:
                typed = parse_typed_date(box.text())
            except TypedDateError as exc:
                problems[key] = str(exc)
                continue
            if typed is None:
                problems[key] = "Type a day, as yyyy-mm-dd."
            else:
                days[key] = typed
        if not problems and not self.chosen().as_of_only:
            try:
                check_period(days["first_day"], days["last_day"])
            except ValidationError as exc:
                problems.update(exc.errors)
        if self.chosen().as_of_only:
            problems.pop("first_day", None)
        if problems:
            self.errors.show(problems)
            return None
        last = days["last_day"]
        return days.get("first_day", last), last

    @Slot()
    def _on_choice(self) -> None:
        self._update_fields()
        self.refresh()

    def _update_fields(self) -> None:
        as_of = self.chosen().as_of_only
        self.first_day.setEnabled(not as_of)
        self.last_caption.setText("&As of" if as_of else "&To")
        self.first_day.setToolTip("Balances are aged as of one day" if as_of else "")

    @Slot()
    def refresh(self) -> None:
        """Build the chosen report over the typed period (on a worker)."""
        period = self.read_period()
        if period is None:
            return
        self.errors.clear()
        first, last = period
        build, db = self.chosen().build, self.ctx.db
        self.loaded = False
        self._build_job.run(self, lambda: build(db, first, last), self._show, self._failed)

    def _show(self, report: Report) -> None:
        self.report = report
        self.model.set_report(report)
        self.chart.set_report(report)
        self.heading.setText(f"{report.title}, {report.period}")
        self.note.setText(report.note)
        self.message.setText("" if report.rows else "Nothing in this period.")
        self.loaded = True

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            unplaced = self.errors.show(exc.errors)
            if unplaced:
                self.message.setText(" ".join(unplaced))
        elif isinstance(exc, FrontdeskError):
            self.message.setText(str(exc))
        elif isinstance(exc, OSError):
            self.message.setText(f"The file could not be written: {exc.strerror or exc}.")
        else:
            raise exc

    # -- export --------------------------------------------------------------------------------
    def ask_export_path(self) -> Path | None:
        """Where to write the CSV file (tests replace this)."""
        name = self.report.key.replace("_", "-") if self.report else "report"
        chosen = file_dialogs.save_file_name(
            self, "Export report", str(Path.home() / f"{name}.csv"), CSV_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".csv" else path.with_name(path.name + ".csv")

    @Slot()
    def export_csv(self) -> None:
        """Write the report on screen, as shown, to a CSV file."""
        report = self.report
        if report is None:
            self.message.setText("Wait for the report to appear, then export it.")
            return
        path = self.ask_export_path()
        if path is None:
            return
        db = self.ctx.db

        def done(count: int) -> None:
            self.message.setText(f"Wrote {count:,} row{'s' if count != 1 else ''} to {path}.")

        self._export_job.run(self, lambda: export_report_csv(db, report, path), done, self._failed)
