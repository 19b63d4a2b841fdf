"""The Email tab: the clinic's mail server, the reminder lead time, a test email, the wording.

Every call runs on a worker (``run_query``). The password field is write-only: it shows where a
saved password is kept (the keyring, or the database encrypted) and an empty field keeps it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.messaging.sender import send_test_email
from frontdesk.messaging.settings import (
    SECURITY,
    SECURITY_LABELS,
    MailSettingsInput,
    MailSettingsView,
    get_email_settings,
    list_message_templates,
    save_email_settings,
    save_message_template,
)
from frontdesk.messaging.templates import PLACEHOLDERS, TemplateView
from frontdesk.ui import qtbits
from frontdesk.ui.settings.fields import FieldErrors
from frontdesk.ui.settings.section import FormSection
from frontdesk.ui.worker import run_query

_KEPT = {
    "keyring": "A password is saved in this computer's keyring; type here to replace it",
    "database": "A password is saved, encrypted; type here to replace it",
    "": "No password saved",
}


class EmailTab(FormSection):
    """Mail server form, Send test email, and the wording of each kind of message."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Patients who agreed to email get a confirmation when they are booked, a reminder "
            "before each visit, and a notice when a visit moves or is cancelled, each with a "
            "calendar file. Emails go through the clinic's own mail server.",
            parent,
        )
        self.errors = FieldErrors()
        self.loaded = False
        self.host = QLineEdit(placeholderText="smtp.example.com")
        self.port = QSpinBox(minimum=1, maximum=65535, value=587)
        self.security = QComboBox()
        for key in SECURITY:
            self.security.addItem(SECURITY_LABELS[key], key)
        self.username = QLineEdit(placeholderText="Often the sender address")
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.forget_password = QPushButton("Forget password")
        self.sender_edit = QLineEdit(placeholderText="reception@yourclinic.ca")
        self.hours = QSpinBox(minimum=1, maximum=336, value=48, suffix="  hours before a visit")
        self.give_up = QSpinBox(minimum=1, maximum=168, value=24, suffix="  hours")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        password_row = QWidget()
        row = QHBoxLayout(password_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.password, 1)
        row.addWidget(self.forget_password)
        for text, key, widget, target in (
            ("Mail &server", "host", self.host, None),
            ("&Port", "port", self.port, None),
            ("Se&curity", "security", self.security, None),
            ("User &name", "username", self.username, None),
            ("Pass&word", "password", password_row, self.password),
            ("Send&er address", "sender", self.sender_edit, None),
            ("&Reminders", "reminder_hours", self.hours, None),
            ("&Keep retrying for", "give_up_hours", self.give_up, None),
        ):
            widget.setMaximumWidth(520)
            caption = QLabel(text)
            caption.setBuddy(target or widget)
            form.addRow(caption, self.errors.field(key, widget, target))
        for spin in (self.port, self.hours, self.give_up, self.security):
            spin.setMaximumWidth(300)
        self.body.addLayout(form)
        self.add_buttons()
        self.body.takeAt(self.body.count() - 1)  # the stretch goes below the other parts
        # -- test email
        self.test_to = QLineEdit(placeholderText="Your own address")
        self.test_to.setMinimumWidth(300)
        self.test_button = QPushButton("Send &test email")
        self.test_result = qtbits.label(name="muted", wrap=True)
        self.test_errors = FieldErrors()
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_errors.field("test_to", self.test_to))
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        test_row.addStretch(1)
        self.body.addSpacing(12)
        self.body.addWidget(qtbits.label("Test email", name="sectionTitle"))
        self.body.addLayout(test_row)
        self.body.addWidget(self.test_result)
        # -- wording
        self.kind = QComboBox()
        self.kind.setMaximumWidth(340)
        self.subject = QLineEdit()
        self.body_text = QPlainTextEdit()
        self.body_text.setMinimumHeight(170)
        self.body_text.setMaximumWidth(700)
        self.subject.setMaximumWidth(700)
        self.save_wording = QPushButton("Save &wording")
        self.wording_errors = FieldErrors()
        self.wording_status = qtbits.label(name="muted", wrap=True)
        wording = QFormLayout()
        wording.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        wording.addRow("Message", self.kind)
        wording.addRow("Subject", self.wording_errors.field("subject", self.subject))
        wording.addRow("Text", self.wording_errors.field("body", self.body_text))
        names = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        wording.addRow("", qtbits.label(f"Placeholders: {names}", name="muted", wrap=True))
        actions = QHBoxLayout()
        actions.addWidget(self.save_wording)
        actions.addWidget(self.wording_status, 1)
        wording.addRow("", actions)
        self.body.addSpacing(12)
        self.body.addWidget(qtbits.label("Wording", name="sectionTitle"))
        self.body.addLayout(wording)
        self.body.addStretch(1)
        self._templates: list[TemplateView] = []
        self._view: MailSettingsView | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        for edit in (self.host, self.username, self.password, self.sender_edit):
            edit.textEdited.connect(self.mark_dirty)
        for spin in (self.port, self.hours, self.give_up):
            spin.valueChanged.connect(self.mark_dirty)
        self.security.currentIndexChanged.connect(self._security_changed)
        self.forget_password.clicked.connect(self._forget)
        self.test_button.clicked.connect(self.send_test)
        self.kind.currentIndexChanged.connect(self._show_template)
        self.save_wording.clicked.connect(self.save_template)

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        db = self.ctx.db
        run_query(
            self,
            lambda: (get_email_settings(db), list_message_templates(db)),
            self._loaded,
            self._failed,
        )

    def _loaded(self, result: tuple[MailSettingsView, list[TemplateView]]) -> None:
        view, templates = result
        self._view = view
        widgets = (self.port, self.hours, self.give_up, self.security)
        for widget in widgets:
            widget.blockSignals(True)
        self.host.setText(view.host)
        self.port.setValue(view.port)
        self.security.setCurrentIndex(max(0, self.security.findData(view.security)))
        self.username.setText(view.username)
        self.password.clear()
        self.password.setPlaceholderText(_KEPT.get(view.password_kept, ""))
        self.forget_password.setEnabled(bool(view.password_kept))
        self.sender_edit.setText(view.sender)
        self.hours.setValue(view.reminder_hours)
        self.give_up.setValue(view.give_up_hours)
        for widget in widgets:
            widget.blockSignals(False)
        self.errors.clear()
        self.show_form_error([])
        self.set_dirty(False)
        self._templates = templates
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        for t in templates:
            self.kind.addItem(t.label + ("" if not t.custom else "  (the clinic's own)"), t.kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        self._show_template()
        self.loaded = True

    def _failed(self, exc: Exception) -> None:
        self.show_form_error([str(exc)])

    @Slot()
    def _security_changed(self) -> None:
        ports = {"starttls": 587, "tls": 465, "none": 25}
        self.port.setValue(ports.get(self.security.currentData(), self.port.value()))
        self.mark_dirty()

    # -- saving --------------------------------------------------------------------------------
    def settings(self) -> MailSettingsInput:
        return MailSettingsInput(
            host=self.host.text(),
            port=self.port.value(),
            security=str(self.security.currentData()),
            username=self.username.text(),
            sender=self.sender_edit.text(),
            reminder_hours=self.hours.value(),
            give_up_hours=self.give_up.value(),
        )

    @Slot()
    def save(self, password: str | None = None) -> bool:
        data = self.settings()
        typed = self.password.text()
        if password is None:
            password = typed or None
        db = self.ctx.db
        run_query(
            self,
            lambda: save_email_settings(db, data, password=password),
            self._saved,
            self._save_failed,
        )
        return True

    def _saved(self, _view: MailSettingsView) -> None:
        self.reload()
        self.status_message.emit("Saved the email settings.")

    def _save_failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.show_form_error(self.errors.show(exc.errors))
        else:
            self.show_form_error([str(exc)])

    @Slot()
    def _forget(self) -> None:
        self.save(password="")

    # -- test email ----------------------------------------------------------------------------
    @Slot()
    def send_test(self) -> None:
        self.test_errors.clear()
        self.test_result.setText("Sending…")
        self.test_button.setEnabled(False)
        db, to = self.ctx.db, self.test_to.text()
        run_query(self, lambda: send_test_email(db, to), self._tested, self._test_failed)

    def _tested(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setStyleSheet("")
        self.test_result.setText(message)

    def _test_failed(self, exc: Exception) -> None:
        self.test_button.setEnabled(True)
        if isinstance(exc, ValidationError) and "test_to" in exc.errors:
            self.test_errors.show(exc.errors)
            self.test_result.setText("")
            return
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.test_result.setStyleSheet("color: #a33a2a; font-weight: 600;")
        self.test_result.setText(f"The test email was not sent. {exc}")

    # -- wording -------------------------------------------------------------------------------
    @Slot()
    def _show_template(self) -> None:
        kind = self.kind.currentData()
        found = next((t for t in self._templates if t.kind == kind), None)
        self.wording_errors.clear()
        self.wording_status.setText("")
        if found is not None:
            self.subject.setText(found.subject)
            self.body_text.setPlainText(found.body)

    @Slot()
    def save_template(self) -> None:
        db, kind = self.ctx.db, str(self.kind.currentData())
        subject, body = self.subject.text(), self.body_text.toPlainText()
        self.wording_errors.clear()
        run_query(
            self,
            lambda: save_message_template(db, kind, subject, body),
            self._template_saved,
            self._template_failed,
        )

    def _template_saved(self, view: TemplateView) -> None:
        self.wording_status.setText(f"Saved the wording of the {view.label.lower()}.")
        self.reload()

    def _template_failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.wording_errors.show(exc.errors)
        else:
            self.wording_status.setText(str(exc))
