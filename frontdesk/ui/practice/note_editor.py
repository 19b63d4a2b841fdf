"""The session-note editor: written between patients, saved as it is typed.

A practitioner has a minute between sessions and is interrupted all day, so nothing here waits
for a Save button. The note is stored through ``frontdesk.notes.save_note``:

- a second after typing stops (a single-shot ``QTimer`` restarted by every edit), on a worker
  thread so typing goes on while the database is slow or locked (``ui/worker.py``),
- when the keyboard focus leaves a field, and when the window is hidden,
- when the window closes and when the application is about to quit, so closing the main window
  with an editor open, or logging out of the computer, does not lose the last words typed: the
  save still runs on a worker, but the window waits for its answer before it goes
  (``save_now``), and stays open with the text if it failed.

A quiet "Saved 10:42" line says it worked; a failure is shown in the window, never a traceback.
A note must never be lost: when a save fails (the database busy at another workstation, the
network share gone) the text stays on screen, the save is tried again with growing pauses, and
closing the window asks before anything typed is thrown away.

Nobody is picked from a list: the note is by the appointment's practitioner (or, outside an
appointment, the practitioner signed in), as ``save_note`` decides, and Sign (Ctrl+Enter) signs
it as the account signed in, as ``sign_note`` allows. A signed note is read-only; Amend opens it
for one amendment with its reason, stored as a new version by ``amend_note``, and History lists
every version (``note_history.NoteHistoryDialog``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QHideEvent, QKeySequence, QSessionManager
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, PermissionDenied, StaleRecord, ValidationError
from frontdesk.intake import Caution
from frontdesk.needling.safety import needles_to_count
from frontdesk.needling.service import record_adverse_event
from frontdesk.needling.types import AdverseEventInput, AdverseEventView, AdverseKind
from frontdesk.notes import (
    NO_NOTE_YET,
    PAIN_MAX,
    PAIN_MIN,
    SessionNoteInput,
    SessionNoteView,
    amend_note,
    get_note,
    note_for_appointment,
    save_note,
    sign_note,
    signing_refusal,
)
from frontdesk.plans.library import load_library_or_empty
from frontdesk.timefmt import fmt_time
from frontdesk.ui import qtbits
from frontdesk.ui.practice.caution_banner import CautionBanner
from frontdesk.ui.practice.fields import FieldErrors
from frontdesk.ui.practice.needle_dialogs import AdverseEventDialog, NeedleCountDialog
from frontdesk.ui.practice.note_history import NoteHistoryDialog, signed_state
from frontdesk.ui.practice.point_picker import PointPicker
from frontdesk.ui.practice.windows import CLOSING_WITH_OWNER
from frontdesk.ui.worker import Latest, run_query

AUTOSAVE_DELAY_MS = 1000
RETRY_FIRST_MS = 2000  # after a failed save: 2 s, 4 s, 8 s ... at most a minute apart
RETRY_MAX_MS = 60_000
log = logging.getLogger(__name__)
NOT_RECORDED = PAIN_MIN - 1
# Sign a draft, or save an amendment: the editor's one "done" key (Help lists it under My day).
SIGN_KEYS = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"))
SIGN_KEYS_TEXT = "Ctrl+Enter"
DRAFT, SIGNED, AMENDING = "draft", "signed", "amending"


class PainSpinBox(QSpinBox):
    """0 to 10, with a "not recorded" state below 0 so a missing score is never stored as 0."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(NOT_RECORDED, PAIN_MAX)
        self.setSpecialValueText("not recorded")
        self.setValue(NOT_RECORDED)
        self.setMinimumWidth(130)

    def score(self) -> int | None:
        return None if self.value() == NOT_RECORDED else self.value()

    def set_score(self, score: int | None) -> None:
        self.setValue(NOT_RECORDED if score is None else score)

    def set_locked(self, locked: bool) -> None:
        """Read-only, as a signed note shows its score (the arrows stay: without them the
        style sheet leaves the text no room)."""
        self.setReadOnly(locked)


class SessionNoteEditor(QWidget):
    """A top-level window editing one note; it stores itself (see the module docstring).

    Signals:
        saved(object): the ``SessionNoteView`` just stored (saved, signed or amended), so a
            chart can refresh.
        incident_recorded(object): the ``AdverseEventView`` just recorded from this note.
    """

    saved = Signal(object)
    incident_recorded = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        base: SessionNoteInput,
        *,
        note: SessionNoteView | None = None,
        heading: str = "",
        tz: ZoneInfo,
        cautions: Sequence[Caution] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self._base = base
        self._note_id = note.id if note else None
        self._version = note.version if note else NO_NOTE_YET  # what the next save expects
        self._stored: SessionNoteInput | None = note.as_input() if note else None
        self._view: SessionNoteView | None = note
        self._mode = SIGNED if note is not None and note.is_signed else DRAFT
        self._tz = tz  # the clinic's zone, as the chart opening the editor read it
        self.setWindowTitle(f"Session note \u2013 {heading}" if heading else "Session note")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._retry_ms = 0  # 0 while saves work; the pause before the next retry otherwise
        self._discarded = False  # the user chose to throw unsaved text away on closing
        self._saving = Latest()  # the autosave running on a worker
        self._heading = heading
        self._build(heading)
        qtbits.fit_to_screen(self, 1200, 740)
        self._fill(note.as_input() if note else base)
        if note is not None:
            self._show_saved(note.updated_at)
        self._set_mode(self._mode)
        self._connect_signals()
        self.set_cautions(cautions)

    # -- building -----------------------------------------------------------------------------
    def _build(self, heading: str) -> None:
        # A broken library file leaves the technique boxes empty; the note still opens and saves.
        library = load_library_or_empty()[0]
        self._technique_labels = {c.code: c.label for c in library.techniques}
        self.technique_boxes: dict[str, QCheckBox] = {}
        techniques = QWidget()
        grid = QGridLayout(techniques)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, choice in enumerate(library.techniques):
            box = QCheckBox(choice.label)
            box.setToolTip(choice.description)
            self.technique_boxes[choice.code] = box
            grid.addWidget(box, i // 2, i % 2)
        self._technique_grid = grid
        self.errors = FieldErrors()
        self.picker = PointPicker(self.ctx, self.errors)
        self.points = QLineEdit(placeholderText="Anything about the points the picker does not say")
        self.response = QPlainTextEdit(placeholderText="How the patient responded to treatment")
        self.response.setFixedHeight(64)
        self.pain_before = PainSpinBox()
        self.pain_after = PainSpinBox()
        pain = QWidget()
        pain_row = QHBoxLayout(pain)
        pain_row.setContentsMargins(0, 0, 0, 0)
        pain_row.addWidget(QLabel("Before"))
        pain_row.addWidget(self.pain_before)
        pain_row.addSpacing(16)
        pain_row.addWidget(QLabel("After"))
        pain_row.addWidget(self.pain_after)
        pain_row.addStretch(1)
        self.body = QPlainTextEdit(placeholderText="Anything else worth remembering next time")
        self.reason = QLineEdit(
            placeholderText="Why the signed note changes, e.g. the patient called with an update"
        )
        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._reason_row = self.errors.wrap("reason", self.reason)
        for key, label, widget in (
            ("techniques", "Techniques", techniques),
            ("points", "Point notes", self.points),
            ("response", "Response", self.response),
            ("body", "Notes", self.body),
        ):
            form.addRow(label, self.errors.wrap(key, widget))
        form.insertRow(3, "Pain score", self.errors.wrap("pain_before", pain, "pain_after"))
        form.insertRow(0, "Reason for amending", self._reason_row)
        title = qtbits.label(heading or "Session note", name="sectionTitle")
        self.signature = qtbits.label(name="noteState", wrap=True)
        self.status = QLabel("Not saved yet \u2013 notes save themselves as you type.")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.reload_button = QPushButton("Load the saved note")
        self.reload_button.setToolTip("Replace what is on screen with the note as stored now")
        self.reload_button.hide()
        self.sign_action = QAction("Sign", self)
        self.sign_action.setShortcuts(list(SIGN_KEYS))
        self.sign_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.sign_action)
        self.sign_button = qtbits.button("Sign", name="primary")
        self.amend_button = qtbits.button("Amend…")
        self.amend_button.setToolTip(
            "Change the signed note: the change is a new version with your name, the time and "
            "the reason, and the signed text stays readable in History"
        )
        self.save_amendment_button = qtbits.button("Save amendment", name="primary")
        self.save_amendment_button.setToolTip(f"Store the amendment ({SIGN_KEYS_TEXT})")
        self.cancel_amendment_button = qtbits.button("Cancel amendment")
        self.cancel_amendment_button.setToolTip("Put the signed note back as it was")
        self.incident_button = qtbits.button("Adverse event…")
        self.incident_button.setToolTip(
            "Record something that went wrong in this treatment (bruising, fainting, a stuck "
            "or missing needle, suspected pneumothorax) and what was done"
        )
        self.history_button = qtbits.button("History…")
        self.history_button.setToolTip("Every signed version of this note, with who and when")
        for button in (
            self.sign_button,
            self.amend_button,
            self.save_amendment_button,
            self.cancel_amendment_button,
            self.history_button,
            self.incident_button,
        ):
            button.setAutoDefault(False)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(self.reload_button)
        footer.addWidget(self.incident_button)
        footer.addWidget(self.history_button)
        footer.addWidget(self.cancel_amendment_button)
        footer.addWidget(self.amend_button)
        footer.addWidget(self.save_amendment_button)
        footer.addWidget(self.sign_button)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(title)
        self.cautions = CautionBanner()
        layout.addWidget(self.cautions)
        layout.addWidget(self.signature)
        body = QHBoxLayout()
        body.addLayout(form, 4)
        body.addSpacing(16)
        body.addWidget(self.picker, 7)
        layout.addLayout(body, 1)
        layout.addLayout(footer)

    def _fill(self, data: SessionNoteInput) -> None:
        for box in self.technique_boxes.values():
            box.setChecked(False)
        for code in data.techniques:
            if code not in self.technique_boxes:  # free text from elsewhere: keep it visible
                box = QCheckBox(code)
                n = len(self.technique_boxes)
                self._technique_grid.addWidget(box, n // 2, n % 2)
                self.technique_boxes[code] = box
            self.technique_boxes[code].setChecked(True)
            self.technique_boxes[code].setEnabled(self._mode != SIGNED)
        self.points.setText(data.points)
        self.response.setPlainText(data.response)
        self.pain_before.set_score(data.pain_before)
        self.pain_after.set_score(data.pain_after)
        self.body.setPlainText(data.body)
        self.picker.set_value(data.needling)

    def _connect_signals(self) -> None:
        for box in self.technique_boxes.values():
            box.toggled.connect(self._schedule_save)
        self.points.textEdited.connect(self._schedule_save)
        self.response.textChanged.connect(self._schedule_save)
        self.body.textChanged.connect(self._schedule_save)
        self.pain_before.valueChanged.connect(self._schedule_save)
        self.pain_after.valueChanged.connect(self._schedule_save)
        self.picker.changed.connect(self._schedule_save)
        self.incident_button.clicked.connect(self.record_incident)
        for widget in (self.points, self.response, self.body, self.pain_before, self.pain_after):
            widget.installEventFilter(self)
        self._timer.timeout.connect(self.autosave)
        self.buttons.rejected.connect(self.close)
        self.reload_button.clicked.connect(self.reload)
        self.sign_action.triggered.connect(self._done_key)
        self.sign_button.clicked.connect(self.sign)
        self.amend_button.clicked.connect(self.start_amendment)
        self.save_amendment_button.clicked.connect(self.save_amendment)
        self.cancel_amendment_button.clicked.connect(self.cancel_amendment)
        self.history_button.clicked.connect(self.show_history)
        self.reason.textEdited.connect(lambda _text: self.errors.show({}))
        app = QApplication.instance()
        self._watching_app = isinstance(app, QApplication)
        if isinstance(app, QApplication):
            app.aboutToQuit.connect(self.save_now)
            app.commitDataRequest.connect(self._on_commit_data)

    @property
    def patient_id(self) -> int:
        return self._base.patient_id

    def set_cautions(self, cautions: Sequence[Caution]) -> None:
        """The intake's cautions above the note; the chart that opened the editor hands them
        over, and again whenever it reads the patient's intake anew."""
        self.cautions.set_cautions(list(cautions), self._tz)

    # -- state --------------------------------------------------------------------------------
    @property
    def note_id(self) -> int | None:
        """The stored note's id, once something was saved."""
        return self._note_id

    @property
    def mode(self) -> str:
        """``"draft"`` (autosaved), ``"signed"`` (read-only) or ``"amending"``."""
        return self._mode

    def value(self) -> SessionNoteInput:
        """The note as the form shows it now (who it is by is the service's to decide)."""
        known = self._stored.practitioner_id if self._stored is not None else None
        return SessionNoteInput(
            patient_id=self._base.patient_id,
            practitioner_id=known if known is not None else self._base.practitioner_id,
            appointment_id=self._base.appointment_id,
            techniques=tuple(c for c, box in self.technique_boxes.items() if box.isChecked()),
            points=self.points.text(),
            response=self.response.toPlainText(),
            pain_before=self.pain_before.score(),
            pain_after=self.pain_after.score(),
            body=self.body.toPlainText(),
            needling=self.picker.value(),
        )

    def has_unsaved_changes(self) -> bool:
        """Typed and not stored: a draft's edits, or an amendment not saved yet."""
        if self._mode == SIGNED:
            return False
        data = self.value()
        if self._stored is None:
            return not data.is_blank
        if self._mode == AMENDING:
            return data != self._stored or bool(self.reason.text().strip())
        return data != self._stored

    # -- saving -------------------------------------------------------------------------------
    @Slot()
    def _schedule_save(self) -> None:
        if self._mode == DRAFT:  # a signed note changes only by an explicit amendment
            self._timer.start(self._retry_ms or AUTOSAVE_DELAY_MS)

    @property
    def retrying(self) -> bool:
        """A save failed and another attempt is scheduled."""
        return self._retry_ms > 0

    @Slot()
    def save_now(self) -> bool:
        """Store what is typed if it changed, and say whether it is stored: False when the
        service refused or failed.

        For a window that is going (closing, the app quitting, the desk handed over), which
        must know the outcome before it goes: the save runs on a worker like every other, and
        this waits for its answer (``Job.wait``) rather than let the window go first.
        Nothing is ever discarded here: on failure the text stays in the form and, unless a
        field must be corrected first, another attempt is scheduled with a growing pause.
        """
        self._timer.stop()
        self._finish_running_save()
        if self._mode != DRAFT or self._discarded or not self.has_unsaved_changes():
            return True
        db, note_id, data, version = self.ctx.db, self._note_id, self.value(), self._version
        now = self.ctx.clock()
        stored: list[bool] = []

        def worked(view: SessionNoteView) -> None:
            stored.append(True)
            self._save_worked(view)

        job = self._saving.run(
            self,
            lambda: save_note(db, note_id, data, now=now, expected_version=version),
            worked,
            self._save_failed,
        )
        if not job.wait():  # the database never answered: the window stays, the text with it
            self._failed("The database did not answer in time.")
            return False
        return bool(stored)

    @Slot()
    def autosave(self) -> None:
        """``save_now`` on a worker: the window stays responsive while the database waits."""
        self._timer.stop()
        if self._saving.running:  # one save at a time; this one follows
            self._timer.start(AUTOSAVE_DELAY_MS)
            return
        if self._mode != DRAFT or self._discarded or not self.has_unsaved_changes():
            return
        db, note_id, data, version = self.ctx.db, self._note_id, self.value(), self._version
        now = self.ctx.clock()
        self._saving.run(
            self,
            lambda: save_note(db, note_id, data, now=now, expected_version=version),
            self._save_worked,
            self._save_failed,
            busy=False,
        )

    def _save_worked(self, view: SessionNoteView) -> None:
        self._retry_ms = 0
        self._take(view)
        self._show_errors({})
        self.saved.emit(view)

    def _save_failed(self, exc: Exception) -> None:
        """Say why; retry later unless a field must be corrected, the note changed elsewhere
        or the signed-in account may not do this."""
        if isinstance(exc, ValidationError):
            self._show_errors(exc.errors)
        elif isinstance(exc, StaleRecord):  # retrying cannot help: the user decides
            self._show_failure(str(exc))
            self.reload_button.show()
        elif isinstance(exc, PermissionDenied):  # nor here: the refusal says who may
            self._show_failure(str(exc))
        elif isinstance(exc, (FrontdeskError, OSError)):  # busy or gone, disk full, deleted
            self._failed(str(exc) or "The database could not be written.")
        else:
            log.error("Saving session note %s failed", self._note_id, exc_info=exc)
            self._failed("Something went wrong while writing to the database.")

    def _take(self, view: SessionNoteView) -> None:
        """``view`` is now what is stored: remember its id and version."""
        self._note_id = view.id
        self._version = view.version
        self._stored = view.as_input()
        self._view = view
        self.reload_button.hide()
        self._show_saved(view.updated_at)
        self._show_signature()

    @Slot()
    def reload(self) -> None:
        """Show the note as stored now (after another workstation changed it), read on a
        worker; the form is replaced when it comes."""
        db, note_id, appointment_id = self.ctx.db, self._note_id, self._base.appointment_id

        def fetch() -> SessionNoteView | None:
            if note_id is not None:
                return get_note(db, note_id)
            if appointment_id is not None:
                return note_for_appointment(db, appointment_id)
            return None

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self._show_failure(str(exc))

        run_query(self, fetch, self._show_stored, failed)

    def _show_stored(self, view: SessionNoteView | None) -> None:
        if view is None:
            return
        self._timer.stop()
        self._retry_ms = 0
        self._take(view)
        self._set_mode(SIGNED if view.is_signed else DRAFT)
        self._fill(view.as_input())
        self._timer.stop()  # filling the form is not an edit
        self._show_errors({})

    # -- signing and amending -----------------------------------------------------------------
    def _finish_running_save(self) -> None:
        """Take the answer of a save under way now (its version is what the next call expects)."""
        if self._saving.job is not None and not self._saving.job.done:
            self._saving.job.wait()

    def _set_mode(self, mode: str) -> None:
        """Editable draft, read-only signed note, or an amendment being written."""
        self._mode = mode
        locked = mode == SIGNED
        for box in self.technique_boxes.values():
            box.setEnabled(not locked)
        for edit in (self.points, self.response, self.body):
            edit.setReadOnly(locked)
        for spin in (self.pain_before, self.pain_after):
            spin.set_locked(locked)
        self.picker.set_locked(locked)
        self.form.setRowVisible(self._reason_row, mode == AMENDING)
        self.sign_button.setVisible(mode == DRAFT)
        self.amend_button.setVisible(mode == SIGNED)
        self.history_button.setVisible(mode != DRAFT)
        self.save_amendment_button.setVisible(mode == AMENDING)
        self.cancel_amendment_button.setVisible(mode == AMENDING)
        refusal = signing_refusal(
            self.ctx.db.actor, self._stored.practitioner_id if self._stored else None
        )
        self.sign_button.setEnabled(refusal is None)
        self.sign_button.setToolTip(
            refusal
            or f"Sign the note as yourself ({SIGN_KEYS_TEXT}); after that it changes only by "
            "an amendment, and the signed text stays readable"
        )
        self._show_signature()

    def _show_signature(self) -> None:
        text = signed_state(self._view, self._tz)
        if self._mode == DRAFT:
            text += f" It saves itself as you type; Sign ({SIGN_KEYS_TEXT}) once it is complete."
        elif self._mode == AMENDING:
            text += f" Amending: say why, then Save amendment ({SIGN_KEYS_TEXT})."
        self.signature.setText(text)

    @Slot()
    def _done_key(self) -> None:
        """Ctrl+Enter: sign a draft, or save the amendment being written."""
        if self._mode == DRAFT:
            self.sign()
        elif self._mode == AMENDING:
            self.save_amendment()

    @Slot()
    def sign(self) -> None:
        """Save what is typed, then sign the note as the account signed in (on a worker)."""
        if self._mode != DRAFT or not self.sign_button.isEnabled():
            if self._mode == DRAFT:
                self._show_failure(self.sign_button.toolTip())
            return
        self._timer.stop()
        self._finish_running_save()
        if self._note_id is None and self.value().is_blank:
            self._show_failure("write the note before signing it.")
            return
        if not self._ask_needles_out():
            return
        if self.has_unsaved_changes():
            db, note_id, data, version = self.ctx.db, self._note_id, self.value(), self._version
            now = self.ctx.clock()
            self._saving.run(
                self,
                lambda: save_note(db, note_id, data, now=now, expected_version=version),
                self._saved_then_sign,
                self._save_failed,
            )
        else:
            self._sign_stored()

    def _saved_then_sign(self, view: SessionNoteView) -> None:
        self._save_worked(view)
        self._sign_stored()

    def _sign_stored(self) -> None:
        if self._note_id is None:
            return
        db, note_id, version, now = self.ctx.db, self._note_id, self._version, self.ctx.clock()
        self._saving.run(
            self,
            lambda: sign_note(db, note_id, now=now, expected_version=version),
            self._signed,
            self._sign_failed,
        )

    def _signed(self, view: SessionNoteView) -> None:
        self._retry_ms = 0
        self._set_mode(SIGNED)
        self._take(view)
        self._show_errors({})
        self.status.setText(f"Signed {fmt_time(view.signed_at or view.updated_at, self._tz)}")
        self.saved.emit(view)

    def _sign_failed(self, exc: Exception) -> None:
        """Why the note was not signed or amended; nothing typed is lost."""
        if isinstance(exc, ValidationError):
            self._show_errors(exc.errors)
            if "needles_out" in exc.errors:
                self.status.setText(
                    "Not signed: the needle count does not add up (see Needles out). Correct "
                    "it once the needle is found, or record it with Adverse event…"
                )
                self.status.setStyleSheet("color: #b3261e;")
        elif isinstance(exc, StaleRecord):
            self._show_failure(str(exc))
            self.reload_button.show()
        elif isinstance(exc, FrontdeskError):
            self._show_failure(str(exc))
        else:
            log.error("Signing session note %s failed", self._note_id, exc_info=exc)
            self._show_failure("Something went wrong while writing to the database.")

    @Slot()
    def start_amendment(self) -> None:
        """Open the signed note for one amendment: the fields, and a reason to give."""
        if self._mode != SIGNED:
            return
        self.reason.clear()
        self._set_mode(AMENDING)
        self.reason.setFocus()

    @Slot()
    def cancel_amendment(self) -> None:
        """Back to the signed note as stored; what was typed for the amendment is dropped."""
        if self._mode != AMENDING:
            return
        self._set_mode(SIGNED)
        if self._stored is not None:
            self._fill(self._stored)
        self.reason.clear()
        self._show_errors({})

    @Slot()
    def save_amendment(self) -> None:
        """Store the amendment as a new version (author, time, reason) on a worker."""
        if self._mode != AMENDING or self._note_id is None:
            return
        db, note_id, data, version = self.ctx.db, self._note_id, self.value(), self._version
        reason, now = self.reason.text(), self.ctx.clock()
        self._saving.run(
            self,
            lambda: amend_note(db, note_id, data, reason, now=now, expected_version=version),
            self._amended,
            self._sign_failed,
        )

    def _amended(self, view: SessionNoteView) -> None:
        self._set_mode(SIGNED)
        self._take(view)
        self._fill(view.as_input())
        self.reason.clear()
        self._show_errors({})
        self.status.setText(f"Amendment saved {fmt_time(view.updated_at, self._tz)}")
        self.saved.emit(view)

    def _ask_needles_out(self) -> bool:
        """Closing or signing a session with needles in and none counted out: ask how many
        came out (the service decides whether it adds up). False when the question was
        cancelled; the note then stays unsigned until they are counted."""
        needling = self.picker.value()
        if (
            self._mode != DRAFT
            or not needles_to_count(needling)
            or needling.needles_out is not None
        ):
            return True
        counted = NeedleCountDialog.ask(self, needling.needles_in or 0)
        if counted is None:
            return False
        self.picker.set_needles_out(counted)
        return True

    # -- adverse events -----------------------------------------------------------------------
    @Slot()
    def record_incident(self) -> None:
        """Ask what happened and what was done, and record it against this note (a draft not
        stored yet is saved first, on a worker)."""
        needling = self.picker.value()
        unbalanced = needling.needles_in and needling.needles_out not in (
            None,
            needling.needles_in,
        )
        kind = AdverseKind.NEEDLE_UNACCOUNTED if unbalanced else AdverseKind.BRUISING
        answer = AdverseEventDialog.ask(self, kind)
        if answer is None:
            return
        self._timer.stop()
        self._finish_running_save()
        if self._mode == DRAFT and self.has_unsaved_changes():
            db, note_id, data, version = self.ctx.db, self._note_id, self.value(), self._version
            now = self.ctx.clock()

            def saved(view: SessionNoteView) -> None:
                self._save_worked(view)
                self._record(answer)

            self._saving.run(
                self,
                lambda: save_note(db, note_id, data, now=now, expected_version=version),
                saved,
                self._save_failed,
            )
        else:
            self._record(answer)

    def _record(self, answer: tuple[AdverseKind, str, str]) -> None:
        kind, description, action = answer
        data = AdverseEventInput(
            self._base.patient_id, kind, action, description=description, note_id=self._note_id
        )
        db, now = self.ctx.db, self.ctx.clock()
        run_query(
            self, lambda: record_adverse_event(db, data, now=now), self._recorded, self._sign_failed
        )

    def _recorded(self, event: AdverseEventView) -> None:
        self.errors.show({})
        self.status.setText(
            f"Adverse event recorded: {event.kind.label}, {fmt_time(event.occurred_at, self._tz)}"
        )
        self.status.setStyleSheet("")
        self.incident_recorded.emit(event)

    @Slot()
    def show_history(self) -> QWidget | None:
        """Every signed version of the note, each readable in full."""
        if self._note_id is None:
            return None
        dialog = NoteHistoryDialog(
            self.ctx,
            self._note_id,
            self._tz,
            labels=self._technique_labels,
            heading=self._heading,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _failed(self, message: str) -> None:
        """Show why, and try again later with a longer pause each time."""
        self._retry_ms = min(max(self._retry_ms * 2, RETRY_FIRST_MS), RETRY_MAX_MS)
        self._timer.start(self._retry_ms)
        self._show_failure(
            f"{message} Your text is still here; trying again in {self._retry_ms // 1000} s."
        )

    def _show_saved(self, when: datetime) -> None:
        self.status.setText(f"Saved {fmt_time(when, self._tz)}")
        self.status.setObjectName("muted")
        self.status.setStyleSheet("")

    def _show_failure(self, message: str) -> None:
        self.status.setText(f"Not saved: {message}")
        self.status.setStyleSheet("color: #b3261e;")

    def _show_errors(self, errors: dict[str, str]) -> None:
        """Messages by their fields; one with no field here (patient, practitioner,
        appointment) goes on the status line, so a refusal always says why."""
        unplaced = self.errors.show(errors)
        if unplaced:
            self._show_failure(" ".join(unplaced))
        elif errors:
            self._show_failure("a field needs correcting; the note saves once it is fixed.")

    # -- events -------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and self._timer.isActive():
            self.autosave()
        return super().eventFilter(watched, event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.autosave()  # hidden, not gone (minimised, say): no need to wait for the answer
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._mode == AMENDING and self.has_unsaved_changes():
            if self._user_drops_amendment():
                self.cancel_amendment()
            else:
                event.ignore()
                return
        if not self.property(CLOSING_WITH_OWNER):  # its owner closing: signing asks later
            self._ask_needles_out()
        if self.save_now() or self._user_discards():
            self._discarded = self.has_unsaved_changes()
            self._disconnect_app()
            event.accept()
        else:
            event.ignore()

    def _user_discards(self) -> bool:
        """Ask before losing text that could not be saved; the default keeps the window open."""
        answer = QMessageBox.question(
            self,
            "Note not saved",
            "This note could not be saved, so closing now would lose what you typed.\n\n"
            "Cancel keeps the window open with your text; it saves itself as soon as the "
            "database can be written again. Discard throws the unsaved text away.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _user_drops_amendment(self) -> bool:
        """An amendment is stored only with its reason, by Save amendment: ask before closing."""
        answer = QMessageBox.question(
            self,
            "Amendment not saved",
            "The amendment you started is not saved; the signed note is unchanged.\n\n"
            "Cancel keeps the window open to finish it. Discard closes it and drops the "
            "amendment.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    @Slot(QSessionManager)
    def _on_commit_data(self, manager: QSessionManager) -> None:
        """Logging out: save, and if that fails ask whether to stop the logout."""
        if self.save_now() or not manager.allowsInteraction():
            return
        if not self._user_discards():
            manager.cancel()
        manager.release()

    def _disconnect_app(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and self._watching_app:
            self._watching_app = False
            app.aboutToQuit.disconnect(self.save_now)
            app.commitDataRequest.disconnect(self._on_commit_data)
