"""The Audit trail page's tools: Export CSV…, Verify trail, Who accessed this record (PDF)….

Each runs one service call on a worker (``ui/worker.py``), one at a time, and says how it went
on a line beside the buttons that stays until the next tool is used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QWidget

from frontdesk.accounts.audit import ChainReport
from frontdesk.accounts.trail import export_audit_csv, verify_audit
from frontdesk.accounts.types import AuditFilter
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.names import display_name
from frontdesk.patients import PatientSummary, chart_number
from frontdesk.ui import file_dialogs, qtbits
from frontdesk.ui.printing import PdfPreviewDialog, show_pdf_preview
from frontdesk.ui.worker import Latest

CSV_FILTER = "CSV files (*.csv)"
INTACT_STYLE = "color: #22734a; font-weight: 600;"
BROKEN_STYLE = "color: #a33a2a; font-weight: 600;"


def spoken_name(patient: PatientSummary) -> str:
    """ "Ann Smith": the name as screens and printouts call a person (lists say "Smith, Ann")."""
    return display_name(patient.given_name, patient.family_name, patient.preferred_name)


def verify_text(report: ChainReport) -> str:
    """The chain check in one plain sentence."""
    if report.ok:
        noun = "row is" if report.rows == 1 else "rows are"
        return f"The audit trail is intact: all {report.rows:,} {noun} as they were written."
    return f"The audit trail is broken. {report.problem}"


class AuditTools(QWidget):
    """The three buttons and their message line.

    ``filters()`` gives the page's filters as typed (None when a date is wrong: the page has
    said so at the field). ``patient`` is the patient chosen on the page, if any.

    Signals:
        accessed(): an access report was made; its own print row is now in the trail.
    """

    accessed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        filters: Callable[[], AuditFilter | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._filters = filters
        self.patient: PatientSummary | None = None
        self.preview: PdfPreviewDialog | None = None
        self.verify_report: ChainReport | None = None
        self._tool = Latest()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.export_button = qtbits.button(
            "E&xport CSV…", tip="Write the rows the filters select to a CSV file"
        )
        self.verify_button = qtbits.button(
            "Ve&rify trail", tip="Recompute every row's hash: was any row changed or removed?"
        )
        self.report_button = qtbits.button(
            "Who &accessed this record (PDF)…",
            tip="The chosen patient's report of every opening, print, export and change",
        )
        self.message = qtbits.label(wrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for b in (self.export_button, self.verify_button, self.report_button):
            row.addWidget(b)
        row.addWidget(self.message, 1)
        self.export_button.clicked.connect(self.export_csv)
        self.verify_button.clicked.connect(self.verify)
        self.report_button.clicked.connect(self.access_report)
        self.update_buttons()

    def set_patient(self, patient: PatientSummary | None) -> None:
        self.patient = patient
        self.update_buttons()

    def update_buttons(self) -> None:
        busy = self._tool.running
        self.export_button.setEnabled(not busy)
        self.verify_button.setEnabled(not busy)
        self.report_button.setEnabled(not busy and self.patient is not None)
        self.report_button.setToolTip(
            f"Every opening, print, export and change of {spoken_name(self.patient)}'s record"
            if self.patient
            else "Choose a patient first (Patient, above)"
        )

    def wait(self) -> None:
        """Take the answer under way now (screenshots)."""
        if self._tool.job is not None:
            self._tool.job.wait()

    def tell(self, text: str, style: str = "") -> None:
        """The line beside the tools: a check's result, a file written, a failure."""
        self.message.setText(text)
        self.message.setStyleSheet(style)

    # -- export --------------------------------------------------------------------------------
    def ask_export_path(self) -> Path | None:
        """Where to write the CSV file (tests replace this)."""
        chosen = file_dialogs.save_file_name(
            self, "Export audit rows", str(Path.home() / "audit-trail.csv"), CSV_FILTER
        )
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix.lower() == ".csv" else path.with_name(path.name + ".csv")

    @Slot()
    def export_csv(self) -> None:
        """Write every row the filters select (not only those loaded) to a CSV file."""
        flt = self._filters()
        if flt is None or self._tool.running:
            return
        path = self.ask_export_path()
        if path is None:
            return
        db = self.ctx.db

        def done(count: int) -> None:
            self.update_buttons()
            self.tell(f"Wrote {count:,} audit row{'s' if count != 1 else ''} to {path}.")

        self._tool.run(self, lambda: export_audit_csv(db, flt, path), done, self._failed)
        self.update_buttons()

    # -- verify --------------------------------------------------------------------------------
    @Slot()
    def verify(self) -> None:
        """Recompute the whole chain and say plainly whether any row was touched."""
        if self._tool.running:
            return
        self.tell("Checking every row…")
        db = self.ctx.db
        self._tool.run(self, lambda: verify_audit(db), self._show_verified, self._failed)
        self.update_buttons()

    def _show_verified(self, report: ChainReport) -> None:
        self.verify_report = report
        self.tell(verify_text(report), INTACT_STYLE if report.ok else BROKEN_STYLE)
        self.update_buttons()

    # -- who accessed this record --------------------------------------------------------------
    @Slot()
    def access_report(self) -> None:
        """The chosen patient's "who accessed this record" report, to preview, print or save."""
        patient = self.patient
        if patient is None or self._tool.running:
            return
        from frontdesk.reports.access_report import access_report_pdf

        db, now = self.ctx.db, self.ctx.clock()
        self._tool.run(
            self,
            lambda: access_report_pdf(db, patient.id, now=now),
            lambda pdf: self._show_report(patient, pdf),
            self._failed,
        )
        self.update_buttons()

    def _show_report(self, patient: PatientSummary, pdf: bytes) -> None:
        self.update_buttons()
        preview = show_pdf_preview(
            self,
            f"Who accessed the record of {spoken_name(patient)}",
            pdf,
            suggested_name=f"who-accessed-{chart_number(patient.id)}",
        )
        self.preview = preview
        preview.finished.connect(lambda _code: self._preview_closed(preview))
        self.accessed.emit()

    def _preview_closed(self, preview: PdfPreviewDialog) -> None:
        if self.preview is preview:
            self.preview = None

    def _failed(self, exc: Exception) -> None:
        self.update_buttons()
        if isinstance(exc, ValidationError):
            self.tell(" ".join(exc.errors.values()), BROKEN_STYLE)
        elif isinstance(exc, FrontdeskError):
            self.tell(str(exc), BROKEN_STYLE)
        elif isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            self.tell(
                f"The file could not be written ({reason}); choose another folder.", BROKEN_STYLE
            )
        else:
            self.tell("")
            raise exc
