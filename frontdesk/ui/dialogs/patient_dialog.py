"""Register a new patient or edit one: every field, each error beside its field.

The dialog only gathers text. The patients service decides what is valid, finds possible
duplicates and saves; the dialog shows its answers and never saves while a field is wrong. Every
service call runs on a worker (``ui/worker.py``): the record being edited (and the clinic's
today) when the dialog opens, the duplicate check and the save when Save is pressed (Save waits,
disabled, and the dialog stays open and usable meanwhile).
"""

from __future__ import annotations

from datetime import UTC, date
from html import escape

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from frontdesk.clinic import clinic_today, get_clinic
from frontdesk.context import AppContext
from frontdesk.domain import (
    FrontdeskError,
    NotFound,
    StaleRecord,
    ValidationError,
)
from frontdesk.patients import (
    REASON_HEALTH_NUMBER,
    DuplicateCandidate,
    PatientInput,
    PatientRecord,
    create_patient,
    find_duplicates,
    get_patient,
    update_patient,
    validate_patient,
)
from frontdesk.ui import qtbits
from frontdesk.ui.dialogs.base import FORM_KEY, FormDialog
from frontdesk.ui.dialogs.duplicates import DuplicateWarningDialog
from frontdesk.ui.formatting import (
    DATE_FORMAT_HINT,
    TypedDateError,
    age_on,
    format_date,
    format_health_number,
    format_long_date,
    parse_typed_date,
)
from frontdesk.ui.worker import Latest, run_query

REFERRAL_SOURCES = (
    "",
    "Family doctor",
    "Another patient",
    "Friend or family",
    "Online search",
    "Insurance provider",
    "Walk-in",
)


class PatientDialog(FormDialog):
    """Create (``patient_id=None``) or edit a patient; ``record`` holds the saved result."""

    def __init__(
        self, ctx: AppContext, patient_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__("New patient" if patient_id is None else "Edit patient", parent)
        self.ctx = ctx
        self.record: PatientRecord | None = None
        self.used_existing = False  # "Use the existing record" was chosen over a duplicate
        self.not_found: str | None = None  # the patient to edit is gone (``ask`` raises it)
        self._today = ctx.clock().astimezone(UTC).date()  # the clinic's, once it is read
        self._patient_id = patient_id
        self._version: int | None = None
        self._reading = Latest()  # the record (and the clinic's today) as the dialog opens
        self._build()
        self._connect_signals()
        self.mark_clean()
        self.given_name.setFocus()
        self._save_when_read = False  # Save was pressed before the record came
        if patient_id is not None:  # nothing to type over until the record is on screen
            self._set_fields_enabled(False)
        self._read(fill=patient_id is not None)

    def _set_fields_enabled(self, on: bool) -> None:
        for widget, _label in self._fields.values():
            widget.setEnabled(on)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(on)

    def accept(self) -> None:
        if self.loading and self._patient_id is not None:
            self._save_when_read = True  # saved once the record (and its version) came
            return
        super().accept()

    @property
    def loading(self) -> bool:
        return self._reading.running

    def _read(self, *, fill: bool) -> None:
        """Read the clinic's today and, with ``fill``, the record as saved now (on a worker)."""
        db, clock, patient_id = self.ctx.db, self.ctx.clock, self._patient_id

        def fetch() -> tuple[date, PatientRecord | None]:
            today = clinic_today(clock(), get_clinic(db).tz)
            return today, get_patient(db, patient_id) if fill and patient_id else None

        def show(answer: tuple[date, PatientRecord | None]) -> None:
            self._today, record = answer
            if record is not None:
                self._fill(record)
                self.mark_clean()
                self._set_fields_enabled(True)
                self.given_name.setFocus()
            self._update_birth_hint(self.date_of_birth.text())
            if self._save_when_read:
                self._save_when_read = False
                self.accept()

        def failed(exc: Exception) -> None:
            if isinstance(exc, NotFound) and fill:
                self.not_found = str(exc)
                QDialog.reject(self)  # ``ask`` says why
            elif isinstance(exc, FrontdeskError):
                self._save_when_read = False
                self.show_errors({FORM_KEY: str(exc)})
            else:
                raise exc

        self._reading.run(self, fetch, show, failed)

    # -- building ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.given_name = QLineEdit()
        self.family_name = QLineEdit()
        self.preferred_name = QLineEdit(placeholderText="If different from the given name")
        self.date_of_birth = QLineEdit(placeholderText=DATE_FORMAT_HINT)
        self.date_of_birth.setMaxLength(10)
        self.date_of_birth.setFixedWidth(120)
        self.birth_hint = qtbits.label(name="muted")
        self.health_number = QLineEdit(placeholderText="9 digits, e.g. 12345-6789")
        self.referral_source = QComboBox(editable=True)
        self.referral_source.addItems(REFERRAL_SOURCES)
        qtbits.must(self.referral_source.lineEdit()).setPlaceholderText(
            "How they heard of the clinic"
        )
        self.phone = QLineEdit(placeholderText="780-555-0123")
        self.phone_alt = QLineEdit(placeholderText="Work or second number")
        self.email = QLineEdit(placeholderText="name@example.com")
        # Issue 19: both ticked, or no email about visits goes to this patient.
        self.contact_by_email = QCheckBox("Email about &visits")
        self.email_consent = QCheckBox("&Consented to email")
        self.email_consent.setToolTip("The patient agreed to be emailed about their visits")
        self.contact_by_email.setToolTip(
            "Booking confirmations, reminders and notices of moved or cancelled visits"
        )
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(62)
        self.emergency_contact = QLineEdit(placeholderText="Name, relationship and phone")
        self.notes = QPlainTextEdit(placeholderText="Anything reception should know")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)

        self.heading = qtbits.label(name="muted")
        self.heading.hide()
        birth = QWidget()
        birth_row = QHBoxLayout(birth)
        birth_row.setContentsMargins(0, 0, 0, 0)
        birth_row.addWidget(self.date_of_birth)
        birth_row.addWidget(self.birth_hint, 1)

        person, contact, other = self._form(), self._form(), self._form()
        self.add_row(person, "&Given name *", "given_name", self.given_name)
        self.add_row(person, "&Family name *", "family_name", self.family_name)
        self.add_row(person, "P&referred name", "preferred_name", self.preferred_name)
        self.add_row(person, "&Date of birth *", "date_of_birth", birth, self.date_of_birth)
        self.add_row(person, "&Health number", "health_number", self.health_number)
        self.add_row(person, "Re&ferred by", "referral_source", self.referral_source)
        self.add_row(contact, "&Phone", "phone", self.phone)
        self.add_row(contact, "&Other phone", "phone_alt", self.phone_alt)
        self.add_row(contact, "&Email", "email", self.email)
        email_choices = QWidget()
        email_rows = QVBoxLayout(email_choices)
        email_rows.setContentsMargins(0, 0, 0, 0)
        email_rows.setSpacing(2)
        email_rows.addWidget(self.contact_by_email)
        email_rows.addWidget(self.email_consent)
        contact.addRow("", email_choices)
        self.add_row(contact, "&Address", "address", self.address)
        self.add_row(contact, "E&mergency contact", "emergency_contact", self.emergency_contact)
        self.add_row(other, "&Notes", "notes", self.notes)

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.heading)
        columns = QHBoxLayout()
        columns.setSpacing(28)
        columns.addLayout(person, 1)
        columns.addLayout(contact, 1)
        lay.addLayout(columns)
        lay.addLayout(other)
        required = qtbits.label("* required", name="muted")
        lay.addWidget(required, alignment=Qt.AlignmentFlag.AlignRight)
        self.set_body(body)
        self.setMinimumWidth(820)

    @staticmethod
    def _form() -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(6)
        return form

    def _connect_signals(self) -> None:
        self.date_of_birth.textChanged.connect(self._update_birth_hint)
        for box in (self.contact_by_email, self.email_consent):
            box.clicked.connect(self._mark_dirty)  # a click, not _fill's setChecked

    def _fill(self, record: PatientRecord) -> None:
        data = record.to_input()
        self._version = record.version
        for key in (
            "given_name",
            "family_name",
            "preferred_name",
            "phone",
            "phone_alt",
            "email",
            "emergency_contact",
        ):
            getattr(self, key).setText(getattr(data, key))
        self.health_number.setText(format_health_number(data.health_number))
        self.date_of_birth.setText(format_date(data.date_of_birth))
        self.referral_source.setCurrentText(data.referral_source)
        self.address.setPlainText(data.address)
        self.notes.setPlainText(data.notes)
        self.contact_by_email.setChecked(data.contact_by_email)
        self.email_consent.setChecked(data.email_consent)
        status = "  ·  Archived" if record.archived else ""
        self.heading.setText(
            f"<b>{escape(record.display_name, quote=False)}</b>  ·  registered {format_date(record.created_at.date())}"
            f"  ·  last changed {format_date(record.updated_at.date())}{status}"
        )
        self.heading.show()
        self.setWindowTitle(f"Edit patient: {record.display_name}")

    @Slot(str)
    def _update_birth_hint(self, text: str) -> None:
        try:
            born = parse_typed_date(text)
        except TypedDateError:
            born = None
        if born is None or born > self._today:
            self.birth_hint.clear()
        else:
            self.birth_hint.setText(f"{format_long_date(born)}, age {age_on(born, self._today)}")

    # -- saving ------------------------------------------------------------------------------
    def patient_input(self) -> tuple[PatientInput, dict[str, str]]:
        """What was typed, plus errors found while reading it (an unreadable date)."""
        errors: dict[str, str] = {}
        try:
            born = parse_typed_date(self.date_of_birth.text())
        except TypedDateError as exc:
            born, errors["date_of_birth"] = None, str(exc)
        data = PatientInput(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            date_of_birth=born,
            preferred_name=self.preferred_name.text(),
            phone=self.phone.text(),
            phone_alt=self.phone_alt.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
            health_number=self.health_number.text(),
            emergency_contact=self.emergency_contact.text(),
            referral_source=self.referral_source.currentText(),
            notes=self.notes.toPlainText(),
            contact_by_email=self.contact_by_email.isChecked(),
            email_consent=self.email_consent.isChecked(),
        )
        return data, errors

    def save(self) -> bool:
        """Check what was typed here, then look for duplicates and save on a worker; the
        dialog closes when the service saved (``record``). False: not (yet) saved."""
        data, errors = self.patient_input()
        try:
            validate_patient(data, today=self._today)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        if errors:
            self.show_errors(errors)
            return False
        self.clear_errors()
        db, patient_id = self.ctx.db, self._patient_id
        self._set_saving(True)

        def checked(candidates: list[DuplicateCandidate]) -> None:
            # A taken health number is refused by the save itself, with the owner named there.
            if candidates and not any(c.reason == REASON_HEALTH_NUMBER for c in candidates):
                # Registering: the same person may be on file already; offer to use that record.
                existing: list[int] | None = [] if patient_id is None else None
                if not DuplicateWarningDialog.ask(self, candidates, chosen=existing):
                    if existing:
                        self._use_existing(existing[0])
                    else:
                        self._set_saving(False)
                    return
            self._store(data)

        run_query(
            self,
            lambda: find_duplicates(db, data, exclude_id=patient_id),
            checked,
            self._refused,
        )
        return False

    def _set_saving(self, on: bool) -> None:
        self._saving_on_worker = on
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not on)

    def _saved(self, record: PatientRecord) -> None:
        self._set_saving(False)
        self.record = record
        QDialog.accept(self)

    def _use_existing(self, patient_id: int) -> None:
        db = self.ctx.db

        def chosen(record: PatientRecord) -> None:
            self.used_existing = True
            self._saved(record)

        run_query(self, lambda: get_patient(db, patient_id), chosen, self._refused)

    def _store(self, data: PatientInput) -> None:
        db, patient_id, version, today = self.ctx.db, self._patient_id, self._version, self._today

        def store() -> PatientRecord:
            if patient_id is None:
                return create_patient(db, data, today=today)
            assert version is not None
            return update_patient(db, patient_id, data, expected_version=version, today=today)

        run_query(self, store, self._saved, self._refused)

    def _refused(self, exc: Exception) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
        elif isinstance(exc, StaleRecord):
            self._handle_stale(str(exc))
        elif isinstance(exc, FrontdeskError):  # busy, gone...: the form keeps the typing
            self.show_errors({FORM_KEY: str(exc)})
        else:
            raise exc

    def _handle_stale(self, message: str) -> None:
        if self.ask_load_latest(message):
            assert self._patient_id is not None
            db, patient_id = self.ctx.db, self._patient_id

            def latest(record: PatientRecord) -> None:
                self._fill(record)
                self.mark_clean()
                self.show_errors(
                    {
                        FORM_KEY: "The latest saved details are shown. Make your change "
                        "again, then save."
                    }
                )

            run_query(self, lambda: get_patient(db, patient_id), latest, self._refused)
        else:
            self.show_errors(
                {
                    FORM_KEY: "Not saved: this patient was changed at another "
                    "workstation. Your typing is still here so you can copy it."
                }
            )

    def ask_load_latest(self, message: str) -> bool:
        """Someone else saved first: True to load their version (dropping the typing here).

        Keeping the typing is the default, so Enter or Escape never throws away work.
        """
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Changed at another workstation", message, parent=self
        )
        load = box.addButton("Show the latest details", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep my typing on screen", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is load

    @classmethod
    def ask(
        cls, parent: QWidget | None, ctx: AppContext, patient_id: int | None = None
    ) -> PatientRecord | None:
        """Open the dialog; the saved record, or None if the user closed it without saving.

        Raises ``NotFound`` when the patient to edit is gone (the dialog closed at once)."""
        dialog = cls(ctx, patient_id, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.record
        if dialog.not_found is not None:
            raise NotFound(dialog.not_found)
        return None
