"""Day-end at the desk: the day's money on screen, printed, exported, and the day closed.

Opened from File ▸ Day sheet (money)… or File ▸ Close the day…. The day's figures (by method,
by practitioner, refunds and voids) are read on a worker whenever the day changes; "Print…"
opens the shared preview of the PDF, "Export CSV…" writes the same figures to a file, and
"Close the day…" asks once, then makes that day's money final (``close_money_day``).
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from frontdesk.billing import fmt_money
from frontdesk.billing.dayend import MoneyDaySheet, close_money_day, money_day_sheet
from frontdesk.clinic import clinic_today, get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.timefmt import fmt_date, fmt_long_date, fmt_time
from frontdesk.ui import file_dialogs, qtbits
from frontdesk.ui.worker import Latest, run_query


class DayEndDialog(QDialog):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, day: date | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Day sheet (money)")
        self.sheet: MoneyDaySheet | None = None
        self._loading = Latest()
        self._ask_to_close = False
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        row.addWidget(QLabel("Day:"))
        # Today where the clinic is, known once the first answer comes back (read on a worker).
        self.day_edit = QDateEdit(qtbits.qdate(day or self.ctx.clock().date()))
        self.day_edit.setCalendarPopup(True)
        self._day_given = day is not None
        self.day_edit.setDisplayFormat("ddd d MMM yyyy")
        row.addWidget(self.day_edit)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.summary = QLabel("Reading the day's payments…")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setMinimumWidth(460)
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.status)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton("Print…")
        self.csv_button = QPushButton("Export CSV…")
        self.close_day_button = QPushButton("Close the day…")
        for button in (self.print_button, self.csv_button, self.close_day_button):
            button.setAutoDefault(False)
            button.setEnabled(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.day_edit.dateChanged.connect(self._on_day)
        self.print_button.clicked.connect(self.print_sheet)
        self.csv_button.clicked.connect(self.export_csv)
        self.close_day_button.clicked.connect(self.close_day)
        self._load(first=True)

    @property
    def day(self) -> date:
        return qtbits.py_date(self.day_edit.date())

    def ask_to_close_when_loaded(self) -> None:
        """Open straight on the close (File ▸ Close the day…) once the figures are shown."""
        self._ask_to_close = True
        if self.sheet is not None:
            self.close_day()

    # -- reading -------------------------------------------------------------------------------

    @Slot(QDate)
    def _on_day(self, _changed: QDate) -> None:
        self._load()

    def _load(self, *, first: bool = False) -> None:
        db, now = self.ctx.db, self.ctx.clock()
        day: date | None = self.day if self._day_given or not first else None
        self.sheet = None
        for button in (self.print_button, self.csv_button, self.close_day_button):
            button.setEnabled(False)
        self.summary.setText("Reading the day's payments…")

        def load() -> MoneyDaySheet:
            on = day if day is not None else clinic_today(now, get_clinic(db).tz)
            return money_day_sheet(db, on, now=now)

        self._loading.run(self, load, self._show, self._failed)

    def _show(self, sheet: MoneyDaySheet) -> None:
        self.sheet = sheet
        if sheet.day != self.day:  # the first answer: today where the clinic is
            self.day_edit.blockSignals(True)
            self.day_edit.setDate(qtbits.qdate(sheet.day))
            self.day_edit.blockSignals(False)
        self.error.hide()
        if sheet.closed_at is not None:
            self.status.setText(
                f"Closed {fmt_date(sheet.closed_at.date())} at {fmt_time(sheet.closed_at)} "
                f"by {sheet.closed_by}: these figures are final."
            )
        else:
            self.status.setText("Not closed: payments can still be added to this day.")
        self.summary.setText(summary_html(sheet))
        self.print_button.setEnabled(True)
        self.csv_button.setEnabled(True)
        self.close_day_button.setEnabled(not sheet.closed)
        if self._ask_to_close:
            self._ask_to_close = False
            if not sheet.closed:
                self.close_day()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.error.setText(str(exc))
        self.error.show()
        self._ask_to_close = False
        if self.sheet is not None:
            self.print_button.setEnabled(True)
            self.csv_button.setEnabled(True)

    # -- actions -------------------------------------------------------------------------------

    @Slot()
    def print_sheet(self) -> None:
        from frontdesk.reports.printing import money_day_sheet_pdf
        from frontdesk.ui.printing import show_pdf_preview

        db, day, now = self.ctx.db, self.day, self.ctx.clock()

        def shown(pdf: bytes) -> None:
            self.preview = show_pdf_preview(
                self,
                f"Day sheet (money): {fmt_date(day)}",
                pdf,
                suggested_name=f"day-sheet-money-{day.isoformat()}",
            )

        run_query(self, lambda: money_day_sheet_pdf(db, day, now=now), shown, self._failed)

    @Slot()
    def export_csv(self) -> None:
        from frontdesk.reports.printing import money_day_sheet_csv

        day = self.day
        name = file_dialogs.save_file_name(
            self,
            "Export the day sheet (money)",
            str(Path.home() / f"day-sheet-money-{day.isoformat()}.csv"),
            "CSV files (*.csv)",
        )
        if not name:
            return
        db, now, path = self.ctx.db, self.ctx.clock(), Path(name)

        def written(count: int) -> None:
            self.status.setText(f"Wrote {count} entries to {path}.")

        def failed(exc: Exception) -> None:
            if isinstance(exc, OSError):
                self._failed(FrontdeskError(f"Could not write {path}: {exc.strerror or exc}"))
            else:
                self._failed(exc)

        run_query(self, lambda: money_day_sheet_csv(db, day, path, now=now), written, failed)

    @Slot()
    def close_day(self) -> None:
        sheet = self.sheet
        if sheet is None or sheet.closed:
            return
        answer = QMessageBox.question(
            self,
            "Close the day",
            f"Close the money for {fmt_long_date(sheet.day)}?\n\n"
            f"Net {fmt_money(sheet.net_cents)} from {len(sheet.payments)} payments and "
            f"{len(sheet.refunds)} refunds. After this, no payment, refund or void can be "
            "dated on that day; a correction is entered on the day it is made.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        db, day, now = self.ctx.db, sheet.day, self.ctx.clock()
        self.close_day_button.setEnabled(False)
        run_query(self, lambda: close_money_day(db, day, now=now), self._show, self._failed)


def summary_html(sheet: MoneyDaySheet) -> str:
    """The day's figures as the dialog shows them: totals by method and by practitioner."""

    def table(rows: list[tuple[str, str]], head: str) -> str:
        cells = "".join(
            f"<tr><td>{html.escape(a)}</td><td align='right'>&nbsp;&nbsp;{b}</td></tr>"
            for a, b in rows
        )
        return f"<p><b>{head}</b></p><table cellspacing='2'>{cells}</table>"

    methods = [
        (m.method, fmt_money(m.net_cents) + (f" ({m.count})" if m.count else ""))
        for m in sheet.by_method
    ]
    people = [(name, fmt_money(cents)) for name, cents in sheet.by_practitioner]
    parts = [
        f"<p style='font-size:large'><b>Net {fmt_money(sheet.net_cents)}</b>: "
        f"{len(sheet.payments)} payments {fmt_money(sheet.received_cents)}, "
        f"{len(sheet.refunds)} refunds {fmt_money(-sheet.refunded_cents)}, "
        f"{len(sheet.voids)} voided invoices</p>"
    ]
    if methods:
        parts.append(table(methods, "By method"))
    if people:
        parts.append(table(people, "By practitioner"))
    if not sheet.payments and not sheet.refunds and not sheet.voids:
        parts.append("<p>No money was taken, refunded or voided this day.</p>")
    return "".join(parts)
