"""The Clinic tab: name, contact details, time zone, province, paper size, logo, and the idle
minutes after which every desk locks its screen (administrators only, as all of Settings)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from frontdesk.accounts.service import LOCK_MINUTES_DEFAULT, LOCK_MINUTES_MAX, LOCK_MINUTES_MIN
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, PageSize, ValidationError
from frontdesk.export import CsvExport, export_clinic_csv
from frontdesk.logo import LogoError, prepare_logo
from frontdesk.setup import (
    PROVINCES,
    ClinicDetails,
    get_clinic_details,
    optional_holidays,
    time_zones,
    update_clinic_details,
)
from frontdesk.ui import file_dialogs, qtbits
from frontdesk.ui.settings.section import FormSection
from frontdesk.ui.worker import run_query


class ClinicTab(FormSection):
    """The clinic's details as one form; Save writes them all or none.

    Signals:
        exported(CsvExport): Export all data as CSV wrote its files.
    """

    exported = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "What is printed on handouts and appointment cards, which time zone and "
            "holidays every booking follows, and how soon a desk nobody uses locks.",
            parent,
        )
        self._details: ClinicDetails | None = None
        self._logo: bytes | None = None
        self.name = QLineEdit(maxLength=200)
        self.address = QPlainTextEdit(tabChangesFocus=True)
        self.address.setFixedHeight(64)
        self.phone = QLineEdit(placeholderText="780-555-0142")
        self.email = QLineEdit(placeholderText="desk@clinic.ca")
        self.timezone = QComboBox(editable=True)
        self.timezone.addItems(list(time_zones()))
        self.timezone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = qtbits.must(self.timezone.completer())
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.province = QComboBox()
        for code, name in PROVINCES.items():
            self.province.addItem(name, code)
        self.page_size = QComboBox()
        self.page_size.addItem("Letter (8½ × 11 in)", PageSize.LETTER.value)
        self.page_size.addItem("A4 (210 × 297 mm)", PageSize.A4.value)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(LOCK_MINUTES_MIN, LOCK_MINUTES_MAX)
        self.lock_minutes.setSuffix(" idle minutes")
        self.lock_minutes.setToolTip(
            "After this long without a key press or mouse movement, a desk hides every "
            "window's content until its user types their password (Ctrl+L locks at once)"
        )
        self.logo_preview = qtbits.label(name="muted")
        self.logo_preview.setFixedHeight(56)
        self.choose_logo = QPushButton("Choose &logo…")
        self.remove_logo = QPushButton("Remove logo")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        for label, key, widget in (
            ("Clinic &name", "name", self.name),
            ("&Address", "address", self.address),
            ("Phon&e", "phone", self.phone),
            ("E&mail", "email", self.email),
            ("Time &zone", "timezone", self.timezone),
            ("Holidays of pro&vince", "province", self.province),
            ("Handout paper s&ize", "page_size", self.page_size),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            widget.setMaximumWidth(460)
            form.addRow(caption, self.errors.field(key, widget))
        logo_row = QWidget()
        row = QHBoxLayout(logo_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.logo_preview)
        row.addWidget(self.choose_logo)
        row.addWidget(self.remove_logo)
        row.addStretch(1)
        form.addRow("Logo", self.errors.field("logo", logo_row, self.choose_logo))
        caption = QLabel("Loc&k a desk after")
        caption.setBuddy(self.lock_minutes)
        self.lock_minutes.setMaximumWidth(220)
        form.addRow(caption, self.errors.field("lock_after_minutes", self.lock_minutes))
        self.export_button = QPushButton("E&xport all data as CSV…")
        self.export_button.setToolTip(
            "Write every table of the clinic's records as CSV files "
            "into a folder (docs/EXPORT.md describes the columns)"
        )
        form.addRow("Your data", self.errors.field("out", self.export_button))
        self.body.addLayout(form)
        self.add_buttons()
        self._connect_signals()

    def _connect_signals(self) -> None:
        for edit in (self.name, self.phone, self.email):
            edit.textEdited.connect(self.mark_dirty)
        self.address.textChanged.connect(self.mark_dirty)
        for combo in (self.timezone, self.province, self.page_size):
            combo.currentTextChanged.connect(self.mark_dirty)
        self.lock_minutes.valueChanged.connect(self.mark_dirty)
        self.choose_logo.clicked.connect(self._choose_logo)
        self.remove_logo.clicked.connect(self._remove_logo)
        self.export_button.clicked.connect(lambda: self.export_all_csv())

    def reload(self) -> None:
        db = self.ctx.db
        self.read(lambda: get_clinic_details(db), self._show, "The clinic's details")

    def _show(self, details: ClinicDetails) -> None:
        self._details = details
        self.name.setText(details.name)
        self.address.setPlainText(details.address)
        self.phone.setText(details.phone)
        self.email.setText(details.email)
        self.timezone.setCurrentText(details.timezone)
        self.province.setCurrentIndex(max(0, self.province.findData(details.province)))
        self.page_size.setCurrentIndex(max(0, self.page_size.findData(details.page_size.value)))
        self._set_logo(details.logo)
        self.lock_minutes.blockSignals(True)  # showing the stored number is no edit
        self.lock_minutes.setValue(details.lock_after_minutes or LOCK_MINUTES_DEFAULT)
        self.lock_minutes.blockSignals(False)
        self.errors.clear()
        self.show_form_error([])
        self.set_dirty(False)

    def details(self) -> ClinicDetails:
        """What the form holds now; optional holidays are chosen on the Closures tab, and
        those the newly chosen province does not have are dropped."""
        province = str(self.province.currentData())
        offered = {o.key for o in optional_holidays(province)} if province in PROVINCES else set()
        kept = tuple(
            name
            for name in (self._details.closed_optional_holidays if self._details else ())
            if name in offered
        )
        return ClinicDetails(
            name=self.name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            email=self.email.text(),
            timezone=self.timezone.currentText().strip(),
            province=province,
            closed_optional_holidays=kept,
            page_size=PageSize(self.page_size.currentData()),
            logo=self._logo,
            lock_after_minutes=self.lock_minutes.value(),
        )

    @Slot()
    def save(self) -> bool:
        db, details = self.ctx.db, self.details()
        self.save_on_worker(lambda: update_clinic_details(db, details), self._saved)
        return True

    def _saved(self, saved: ClinicDetails) -> None:
        self.reload()
        self.status_message.emit(f"Saved the details of {saved.name}.")
        self.clinic_changed.emit()

    def _set_logo(self, data: bytes | None) -> None:
        self._logo = data
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.logo_preview.setPixmap(
                pixmap.scaledToHeight(52, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.logo_preview.setText("Not set" if not data else "(cannot be shown)")
        self.remove_logo.setEnabled(data is not None)

    @Slot()
    def _choose_logo(self) -> None:
        path = file_dialogs.open_file_name(self, "Clinic logo", "", "Pictures (*.png *.jpg *.jpeg)")
        if path:
            self.load_logo(Path(path))

    def load_logo(self, path: Path) -> None:
        """Take a picture file as the new logo once it is fully checked and sized for paper;
        a file that fails keeps the current logo and says why at the field."""
        try:
            data = prepare_logo(path.read_bytes())
        except OSError as exc:
            self.errors.show({"logo": f"Could not read {path.name}: {exc.strerror}."})
            return
        except LogoError as exc:
            self.errors.show({"logo": f"{path.name}: {exc}"})
            return
        if self.errors.text("logo"):
            self.errors.show({})
        self._set_logo(data)
        self.mark_dirty()

    def export_all_csv(self, folder: Path | None = None) -> None:
        """Write the whole clinic as CSV files into ``folder`` (asked for when not given) on a
        worker; a folder that already holds files is used only after the user agrees to
        replace them. ``exported`` says where it went, the field why it did not."""
        if folder is None:
            chosen = file_dialogs.existing_directory(self, "Export all data as CSV into")
            if not chosen:
                return
            folder = Path(chosen)
        self._export(folder, overwrite=False)

    def _export(self, folder: Path, *, overwrite: bool) -> None:
        db = self.ctx.db
        self.export_button.setEnabled(False)
        run_query(
            self,
            lambda: export_clinic_csv(db, folder, overwrite=overwrite),
            self._exported,
            lambda exc: self._export_failed(exc, folder, overwrite),
        )

    def _exported(self, result: CsvExport) -> None:
        self.export_button.setEnabled(True)
        self.errors.show({})
        total = sum(result.rows.values())
        self.status_message.emit(
            f"Exported {len(result.rows)} tables ({total} rows) as CSV files to {result.folder}."
        )
        self.exported.emit(result)

    def _export_failed(self, exc: Exception, folder: Path, overwrite: bool) -> None:
        self.export_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            if (
                not overwrite
                and folder.is_dir()
                and any(folder.iterdir())
                and QMessageBox.question(
                    self,
                    "Replace files?",
                    f"{exc.errors.get('out', exc)}\n\nWrite the CSV "
                    "files into it anyway, replacing files of the same name?",
                )
                == QMessageBox.StandardButton.Yes
            ):
                self._export(folder, overwrite=True)
                return
            self.errors.show(exc.errors)
        elif isinstance(exc, FrontdeskError | OSError):
            text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.errors.show({"out": f"The export stopped: {text}."})
        else:
            raise exc

    @Slot()
    def _remove_logo(self) -> None:
        self._set_logo(None)
        self.mark_dirty()
