"""The Backups tab: where backups go, how many are kept, the passphrase, and the two buttons.

The settings belong to this computer (a USB drive or share mounted here), so they are saved
beside the database rather than in it; "Back up now" and "Restore…" call the same services as
``frontdesk backup`` and ``frontdesk restore``. A restore replaces the database under every
page: it runs on a worker while a window in front of everything says it is under way (nothing
else can be done meanwhile), and afterwards the window is told (``clinic_changed``) and each
page reloads when shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk import paths
from frontdesk.backup import (
    BackupResult,
    BackupSettings,
    BackupStatus,
    RestoreRefused,
    RestoreResult,
    back_up,
    backup_status,
    load_settings,
    restore_backup,
    save_settings,
)
from frontdesk.backup.crypto import is_encrypted
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.ui import file_dialogs, qtbits
from frontdesk.ui.backup_run import backup_run
from frontdesk.ui.settings.section import FormSection
from frontdesk.ui.worker import run_query


def backup_data_dir(ctx: AppContext) -> Path:
    """The folder holding the backup settings and state for this app."""
    return ctx.data_dir or paths.data_dir()


def current_backup_status(ctx: AppContext) -> BackupStatus | None:
    return backup_status(ctx.db, backup_data_dir(ctx))


def size_text(size: int) -> str:
    """A file's size as people say it: 840 kB, 12.4 MB."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000_000_000:.2f} GB"


class RestoringNote(QDialog):
    """In front of every window while a restore runs: what is happening, a moving bar, and no
    way to close it before the restore answered (the records are being replaced)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restoring a backup")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(22, 18, 22, 18)
        lay.addWidget(
            qtbits.label(
                f"Restoring {name}. The current records are backed up first; this can take "
                "a minute.",
                wrap=True,
            )
        )
        bar = QProgressBar()
        bar.setRange(0, 0)  # no figure to show: the bar moves to say the app is working
        bar.setTextVisible(False)
        lay.addWidget(bar)
        self.setMinimumWidth(380)

    def reject(self) -> None:
        """Escape does not close it: the restore is under way."""


class BackupsTab(FormSection):
    """Backup folder, rotation and passphrase as one form; Back up now and Restore… beside it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "A checked copy of the clinic's records is made at the first start "
            "of each day. Keep it on a drive or share that leaves with someone, and "
            "set a passphrase so a lost drive gives nothing away.",
            parent,
        )
        self.data_dir = backup_data_dir(ctx)
        self.restoring: RestoringNote | None = None  # shown while a restore runs
        self._server = False  # the database is on a server: backed up there, not here
        self.folder = QLineEdit(placeholderText=str(self.data_dir / "backups"))
        self.browse = QPushButton("Bro&wse…")
        self.daily, self.weekly, self.monthly = (QSpinBox(maximum=1000) for _ in range(3))
        self.passphrase = QLineEdit(
            echoMode=QLineEdit.EchoMode.Password, placeholderText="Empty: backups are not encrypted"
        )
        self.last = qtbits.label(name="muted", wrap=True)
        self.back_up_button = QPushButton("Back up &now")
        self.restore_button = QPushButton("Re&store…")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        folder_row.setMaximumWidth(560)
        form.addRow(
            self._caption("Backup &folder", self.folder),
            self.errors.field("folder", folder_row, self.folder),
        )
        for label, key, spin, unit in (
            ("&Daily backups kept", "daily", self.daily, "days"),
            ("W&eekly backups kept", "weekly", self.weekly, "weeks"),
            ("&Monthly backups kept", "monthly", self.monthly, "months"),
        ):
            spin.setSuffix(f"  {unit}")
            spin.setMaximumWidth(160)
            form.addRow(self._caption(label, spin), self.errors.field(key, spin))
        self.passphrase.setMaximumWidth(360)
        form.addRow(
            self._caption("Passphr&ase", self.passphrase),
            self.errors.field("passphrase", self.passphrase),
        )
        note = qtbits.label(
            "Write the passphrase down and keep it apart from the drive: "
            "without it an encrypted backup cannot be restored by anyone.",
            name="muted",
            wrap=True,
        )
        form.addRow("", note)
        self.body.addLayout(form)
        self.add_buttons()
        self.body.takeAt(self.body.count() - 1)  # the form's stretch goes below the actions
        actions = QHBoxLayout()
        actions.addWidget(self.back_up_button)
        actions.addWidget(self.restore_button)
        actions.addStretch(1)
        self.body.addSpacing(12)
        self.body.addWidget(qtbits.label("Backups", name="sectionTitle"))
        self.body.addWidget(self.last)
        self.body.addLayout(actions)
        self.body.addStretch(1)
        self._connect_signals()

    @staticmethod
    def _caption(text: str, buddy: QWidget) -> QLabel:
        caption = QLabel(text)
        caption.setBuddy(buddy)
        return caption

    def _connect_signals(self) -> None:
        self.folder.textEdited.connect(self.mark_dirty)
        self.passphrase.textEdited.connect(self.mark_dirty)
        for spin in (self.daily, self.weekly, self.monthly):
            spin.valueChanged.connect(self.mark_dirty)
        self.browse.clicked.connect(self._browse)
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore)
        run = backup_run()
        run.started.connect(self._enable_actions)
        run.ended.connect(self.show_status)

    # -- the form ------------------------------------------------------------------------------
    def reload(self) -> None:
        settings = load_settings(self.data_dir)
        for widget in (self.daily, self.weekly, self.monthly):
            widget.blockSignals(True)
        self.folder.setText(settings.folder)
        self.daily.setValue(settings.daily)
        self.weekly.setValue(settings.weekly)
        self.monthly.setValue(settings.monthly)
        self.passphrase.setText(settings.passphrase)
        for widget in (self.daily, self.weekly, self.monthly):
            widget.blockSignals(False)
        self.errors.clear()
        self.show_form_error([])
        self.set_dirty(False)
        self.show_status()

    def settings(self) -> BackupSettings:
        return BackupSettings(
            folder=self.folder.text().strip(),
            daily=self.daily.value(),
            weekly=self.weekly.value(),
            monthly=self.monthly.value(),
            passphrase=self.passphrase.text(),
        )

    @Slot()
    def save(self) -> bool:
        """Check and store the settings on a worker (the folder may be a slow network
        share); a refusal is shown at its field."""
        data_dir, settings = self.data_dir, self.settings()
        self.save_on_worker(lambda: save_settings(data_dir, settings), self._saved)
        return True

    def _saved(self, _settings: BackupSettings) -> None:
        self.reload()
        self.status_message.emit("Saved the backup settings.")

    @Slot()
    def show_status(self) -> None:
        status = current_backup_status(self.ctx)
        self._server = status is None
        self._enable_actions()
        if status is None:
            self.last.setText(
                "This clinic's database is on a server: back it up on the server (see the README)."
            )
            return
        self.last.setText(status.text + ".")
        self.last.setProperty("warning", status.warn)
        self.last.setStyleSheet("color: #a33a2a; font-weight: 600;" if status.warn else "")

    @Slot()
    def _enable_actions(self) -> None:
        """Both buttons need a database file, and neither while a backup is being made (by
        this button, or the day's first start)."""
        busy = backup_run().running
        self.back_up_button.setText("Backing up…" if busy else "Back up &now")
        for button in (self.back_up_button, self.restore_button):
            button.setEnabled(not self._server and not busy and not self.saving)

    def _enable_buttons(self) -> None:
        super()._enable_buttons()
        self._enable_actions()  # nor while the settings are being saved

    @property
    def backing_up(self) -> bool:
        """A backup is on a worker and has not answered yet."""
        return backup_run().running

    @Slot()
    def _browse(self) -> None:
        folder = file_dialogs.existing_directory(self, "Backup folder", self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.mark_dirty()

    # -- the actions ---------------------------------------------------------------------------
    @Slot()
    def back_up_now(self) -> bool:
        """Save the edited settings first, then write and check a backup, all on a worker;
        "Backing up…" until it answers with the file and its size, or why it was not made.
        False when a backup is already being made."""
        db, data_dir = self.ctx.db, self.data_dir
        settings = self.settings() if self.dirty else None

        def call() -> tuple[BackupResult, int]:
            if settings is not None:
                save_settings(data_dir, settings)
            result = back_up(db, data_dir)
            return result, result.path.stat().st_size

        def done(answer: tuple[BackupResult, int]) -> None:
            result, size = answer
            if settings is not None:
                self.reload()
            else:
                self.show_status()
            kind = "Encrypted backup" if result.encrypted else "Backup"
            self.status_message.emit(
                f"{kind} written and checked ({size_text(size)}): {result.path}"
            )

        def failed(exc: Exception) -> None:
            self.show_status()
            if not isinstance(exc, FrontdeskError):
                raise exc
            if isinstance(exc, ValidationError):  # the edited settings: at their fields
                self.show_form_error(self.errors.show(exc.errors))
                return
            self.warn("The backup was not made", str(exc))

        self.errors.clear()
        self.show_form_error([])
        return backup_run().start(self, call, done, failed) is not None

    @Slot()
    def restore(self) -> None:
        """Choose a backup, confirm, then restore it on a worker (``clinic_changed`` once the
        restored records are in place; a refusal is explained)."""
        path = self.choose_backup_file()
        if path is None or not self.confirm_restore(path):
            return
        self._restore(path, None)

    def _restore(self, path: Path, passphrase: str | None) -> None:
        db, data_dir = self.ctx.db, self.data_dir
        self.restoring = RestoringNote(path.name, self.window())
        self.restoring.show()

        def done(result: RestoreResult) -> None:
            self._restored()
            self.show_status()
            self.status_message.emit(
                f"Restored {path.name}. The records it replaced were saved as "
                f"{result.previous_saved_as.name}."
            )
            self.clinic_changed.emit()

        def failed(exc: Exception) -> None:
            self._restored()
            if not isinstance(exc, FrontdeskError):
                raise exc
            if (
                isinstance(exc, RestoreRefused)
                and passphrase is None
                and path.is_file()
                and is_encrypted(path)
            ):
                asked = self.ask_passphrase(str(exc))
                if asked:
                    self._restore(path, asked)
                    return
            self.warn("The backup was not restored", str(exc))

        run_query(
            self, lambda: restore_backup(db, data_dir, path, passphrase=passphrase), done, failed
        )

    def _restored(self) -> None:
        """The restore answered: the window can be used again."""
        if self.restoring is not None:
            self.restoring.hide()
            self.restoring.deleteLater()
            self.restoring = None

    # Dialogs the tests replace.
    def choose_backup_file(self) -> Path | None:
        start = str(load_settings(self.data_dir).target(self.data_dir))
        path = file_dialogs.open_file_name(
            self, "Restore a backup", start, "Frontdesk backups (*.fdbackup *.sqlite3)"
        )
        return Path(path) if path else None

    def confirm_restore(self, path: Path) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Restore this backup?",
            f"Replace the clinic's records with the backup {path.name}? Everything "
            "entered since it was made is replaced; the current records are "
            "backed up first, so this can be undone by restoring that copy.",
            parent=self,
        )
        restore = box.addButton("Restore", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is restore

    def ask_passphrase(self, why: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            "Backup passphrase",
            f"{why}\n\nPassphrase of this backup:",
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

    def warn(self, title: str, text: str) -> None:
        QMessageBox.warning(self, title, text)
