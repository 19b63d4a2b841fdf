"""Informed consent, signed on screen: the clinic's wording, the patient's name and signature.

The wording comes from the consent form's data; the patient signs in the box with the mouse, a
pen or a finger (``SignaturePad``), and ``record_consent`` stores the signature as a PNG with
the name, the time and the account signed in as the witness. The window then offers the
printed consent (``consent_pdf``), so the patient can take a copy home.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.intake import ConsentForm, ConsentInput, ConsentView, record_consent
from frontdesk.reports.printing import consent_pdf
from frontdesk.timefmt import fmt_time
from frontdesk.ui import qtbits
from frontdesk.ui.intake.handover import (
    HAND_OVER,
    HAND_OVER_TIP,
    in_handover,
    set_handover,
)
from frontdesk.ui.intake.signature_pad import SignaturePad
from frontdesk.ui.printing import print_pdf
from frontdesk.ui.worker import Latest


class ConsentWindow(QWidget):
    """One consent form for one patient to read and sign.

    Signals:
        signed(object): the ``ConsentView`` just stored.
    """

    signed = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        patient_name: str,
        form: ConsentForm,
        tz: tzinfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.tz = tz
        self.patient_id = patient_id
        self.form = form
        self._job = Latest()
        self._stored: ConsentView | None = None
        self.setWindowTitle(f"{form.title} \u2013 {patient_name}")
        self._build(patient_name)
        qtbits.fit_to_screen(self, 820, 860)
        self._connect_signals()

    def _build(self, patient_name: str) -> None:
        page = QWidget()
        body = QVBoxLayout(page)
        body.setContentsMargins(28, 20, 28, 12)
        body.addWidget(qtbits.label(self.form.title, name="pageTitle", wrap=True))
        body.addWidget(qtbits.label(f"For {patient_name}", name="pageSubtitle"))
        for paragraph in self.form.paragraphs:
            text = qtbits.label(paragraph, wrap=True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            body.addWidget(text)
            body.addSpacing(4)
        body.addWidget(qtbits.label(self.form.statement, name="questionLabel", wrap=True))
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)

        self.name = QLineEdit(patient_name)
        self.name.setAccessibleName("Name of the person signing")
        self.name_error = qtbits.label(name="fieldError", wrap=True)
        self.name_error.hide()
        self.pad = SignaturePad()
        self.signature_error = qtbits.label(name="fieldError", wrap=True)
        self.signature_error.hide()
        self.clear_button = qtbits.button("Clear signature")
        self.clear_button.setEnabled(False)
        sign_area = QVBoxLayout()
        sign_area.setContentsMargins(28, 0, 28, 0)
        name_label = qtbits.label("Name of the person signing", name="questionLabel")
        name_label.setBuddy(self.name)
        sign_area.addWidget(name_label)
        sign_area.addWidget(self.name)
        sign_area.addWidget(self.name_error)
        sign_area.addWidget(qtbits.label("Signature", name="questionLabel"))
        sign_area.addWidget(self.pad)
        pad_row = QHBoxLayout()
        pad_row.addWidget(self.signature_error)
        pad_row.addStretch(1)
        pad_row.addWidget(self.clear_button)
        sign_area.addLayout(pad_row)

        self.status = qtbits.label(name="muted", wrap=True)
        self.handover_button = qtbits.button(HAND_OVER)
        self.handover_button.setCheckable(True)
        self.handover_button.setToolTip(HAND_OVER_TIP)
        self.cancel_button = qtbits.button("Cancel")
        self.sign_button = qtbits.button("Sign and save", name="primary")
        self.sign_button.setEnabled(False)
        self.print_button = qtbits.button("Print consent\u2026", name="primary")
        self.print_button.hide()
        footer = QHBoxLayout()
        footer.setContentsMargins(28, 8, 28, 16)
        footer.addWidget(self.status, 1)
        footer.addWidget(self.handover_button)
        footer.addWidget(self.cancel_button)
        footer.addWidget(self.sign_button)
        footer.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(sign_area)
        layout.addLayout(footer)
        self.handover_action = QAction("Full screen", self, shortcut=QKeySequence("F11"))
        for action in (self.handover_action,):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def _connect_signals(self) -> None:
        self.pad.changed.connect(self._pad_changed)
        self.clear_button.clicked.connect(self.pad.clear)
        self.sign_button.clicked.connect(self.sign)
        self.cancel_button.clicked.connect(self.close)
        self.print_button.clicked.connect(self.print_consent)
        self.handover_button.toggled.connect(
            lambda on: set_handover(self, on, self.handover_button, self.cancel_button)
        )
        self.handover_action.triggered.connect(self.handover_button.toggle)

    @property
    def stored(self) -> ConsentView | None:
        return self._stored

    @Slot()
    def _pad_changed(self) -> None:
        drawn = not self.pad.is_empty()
        self.clear_button.setEnabled(drawn and self._stored is None)
        self.sign_button.setEnabled(drawn and self._stored is None)
        if drawn:
            self.signature_error.hide()

    @Slot()
    def sign(self) -> None:
        if self._stored is not None or self._job.running:
            return
        data = ConsentInput(self.patient_id, self.form.code, self.name.text(), self.pad.to_png())
        now = self.ctx.clock()
        self.sign_button.setEnabled(False)
        self.status.setText("Saving\u2026")
        self._job.run(
            self, lambda: record_consent(self.ctx.db, data, now=now), self._on_signed, self._failed
        )

    def _on_signed(self, view: ConsentView) -> None:
        self._stored = view
        self.status.setText(
            f"Signed and saved at {fmt_time(view.signed_at, self.tz)}, witnessed by "
            f"{view.witness_name}."
        )
        self.pad.setEnabled(False)
        self.name.setReadOnly(True)
        self.clear_button.setEnabled(False)
        self.sign_button.hide()
        self.cancel_button.setText("Close")
        self.handover_button.setChecked(False)  # the desk takes over again to print
        self.print_button.show()
        self.signed.emit(view)

    def _failed(self, exc: Exception) -> None:
        self.sign_button.setEnabled(not self.pad.is_empty())
        self.status.setText("")
        if isinstance(exc, ValidationError):
            for key, label in (
                ("signer_name", self.name_error),
                ("signature", self.signature_error),
            ):
                label.setText(exc.errors.get(key, ""))
                label.setVisible(key in exc.errors)
            rest = [m for k, m in exc.errors.items() if k not in ("signer_name", "signature")]
            self.status.setText(" ".join(rest))
            return
        if isinstance(exc, FrontdeskError):
            self.status.setText(str(exc))
            return
        raise exc

    def closeEvent(self, event: QCloseEvent) -> None:
        if in_handover(self):  # Escape or Cancel on the patient's screen: back to the desk first
            self.handover_button.setChecked(False)
            event.ignore()
            return
        self._job.cancel()
        super().closeEvent(event)

    @Slot()
    def print_consent(self) -> None:
        if self._stored is None:
            return
        stored = self._stored
        self._job.run(
            self,
            lambda: consent_pdf(self.ctx.db, stored.patient_id, stored.id),
            lambda pdf: _print(self, pdf, title=f"{stored.title} {stored.patient_name}"),
            lambda exc: self.status.setText(str(exc)),
        )


def _print(parent: QWidget, pdf: bytes, *, title: str) -> None:
    print_pdf(parent, pdf, title=title)
