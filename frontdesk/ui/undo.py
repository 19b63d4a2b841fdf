"""The window's one undo history: what every undoable step has in common.

The main window owns a single ``UndoHistory`` (a ``QUndoStack``); every page pushes its steps
there, so Ctrl+Z always takes back the step that Edit ▸ Undo names, whichever page made it. A
step is pushed only after its change succeeded through a service (the first ``redo`` that
``push`` calls does nothing), so a refused change never lands on the stack. Undo and redo go
through the services again, on a worker (``ui/worker.py``): the history moves only once the
service answered, and Undo and Redo wait meanwhile. A refusal (a colleague changed the record
since, the time was booked meanwhile) is reported in plain words, changes nothing and drops the
step, and a success is reported as "Undone: …" / "Redone: …" so the user always sees what was
taken back. A database that does not answer (busy with another desk, unreachable) changes
nothing and keeps the step, so it can be taken back once the database answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from frontdesk.domain import DatabaseUnavailable, FrontdeskError, StaleRecord
from frontdesk.ui.worker import run_query

# report(text, is_error): where a step says what happened (a page's banner and the status bar).
Report = Callable[[str, bool], None]


@dataclass(frozen=True)
class _Answer:
    """What the service said to an undo or redo that ran on a worker."""

    result: object = None
    error: Exception | None = None

    def get(self) -> object:
        if self.error is not None:
            raise self.error
        return self.result


class ServiceStep(QUndoCommand):
    """A change already made through a service; subclasses say how to revert and re-apply it.

    ``text`` names the change for the Edit menu ("no-show for Sara Andrews on Mon 2 Mar at
    10:30"), so it must say what and whom. ``revert`` and ``reapply`` run on a worker thread
    (``UndoHistory`` runs one step at a time): only service calls there, no widgets.
    """

    def __init__(self, text: str, *, report: Report) -> None:
        super().__init__(text)
        self._label = text  # usable even after the stack deleted the step (see _settle_aside)
        self._report = report
        self._pushed = True  # QUndoStack.push() calls redo(); the change is already made
        self._answer: _Answer | None = None

    # -- what subclasses provide ------------------------------------------------------------
    def revert(self) -> object:
        """Take the change back through the service (raises FrontdeskError if refused)."""
        raise NotImplementedError

    def reapply(self) -> object:
        """Make the change again through the service (raises FrontdeskError if refused)."""
        raise NotImplementedError

    def applied(self, result: object) -> None:
        """On the GUI thread, after ``revert`` or ``reapply`` returned ``result``."""

    def refresh(self) -> None:
        """Show the record's current state, after success or refusal alike."""

    def stale_reason(self, exc: StaleRecord) -> str:
        """The words for a refusal because a colleague changed the record meanwhile."""
        return str(exc)

    # -- QUndoCommand --------------------------------------------------------------------------
    def undo(self) -> None:
        self._run(self.revert, "Undone", "undo")

    def redo(self) -> None:
        if self._pushed:
            self._pushed = False
            return
        self._run(self.reapply, "Redone", "redo")

    def _run(self, change: Callable[[], object], done: str, verb: str) -> None:
        # The answer a worker brought (``UndoHistory``); called by anything else, the
        # service is asked here.
        answer, self._answer = self._answer, None
        if self._settle(answer.get if answer is not None else change, done, verb):
            self.setObsolete(True)  # the stack drops a step that could not be taken
        self.refresh()

    def _settle(self, outcome: Callable[[], object], done: str, verb: str) -> bool:
        """Report what the service said; True if it refused (nothing was changed)."""
        try:
            result = outcome()
        except StaleRecord as exc:
            self._report(f"Could not {verb} “{self._label}”: {self.stale_reason(exc)}", True)
            return True
        except FrontdeskError as exc:
            self._report(f"Could not {verb} “{self._label}”: {exc}", True)
            return True
        self.applied(result)
        self._report(f"{done}: {self._label}.", False)
        return False

    def _unreachable(self, error: DatabaseUnavailable, undoing: bool) -> None:
        """The database did not answer (busy, unreachable): say so; the step stays where it is,
        so Ctrl+Z can take it back once the database answers again."""
        verb = "undo" if undoing else "redo"
        self._report(f"Could not {verb} “{self._label}”: {error}", True)

    def _settle_aside(self, answer: _Answer, undoing: bool) -> None:
        """The history changed while the service ran (a new step was pushed): the change was
        made or refused all the same, so say which and show it; the step is not moved."""
        done, verb = ("Undone", "undo") if undoing else ("Redone", "redo")
        refused = self._settle(answer.get, done, verb)
        if refused and shiboken6.isValid(self):
            self.setObsolete(True)
        self.refresh()


class UndoHistory(QUndoStack):
    """The window's one history: undo and redo of a ``ServiceStep`` run on a worker.

    ``undo()`` and ``redo()`` (the Edit menu's actions from ``undo_action``/``redo_action``,
    Ctrl+Z, the status bar's link) start the step's service call on a worker and return; when
    it answers, the stack moves and the step reports. Until then Undo and Redo are disabled, so
    each press takes back the step the Edit menu named when it was pressed.

    Signals:
        busyChanged(bool): a step's service call started (True) or answered (False).
    """

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running = False

    @property
    def busy(self) -> bool:
        return self._running

    def undo(self) -> None:  # the Python-side Undo; QUndoStack.undo moves the stack
        if self._running or not self.canUndo():
            return
        step = self.command(self.index() - 1)
        if isinstance(step, ServiceStep):
            self._start(step, step.revert, undoing=True)
        else:
            QUndoStack.undo(self)

    def redo(self) -> None:
        if self._running or not self.canRedo():
            return
        step = self.command(self.index())
        if isinstance(step, ServiceStep):
            self._start(step, step.reapply, undoing=False)
        else:
            QUndoStack.redo(self)

    def _start(self, step: ServiceStep, call: Callable[[], object], *, undoing: bool) -> None:
        self._running = True
        self.busyChanged.emit(True)
        run_query(
            self,
            call,
            lambda result: self._answered(step, _Answer(result=result), undoing),
            lambda error: self._answered(step, _Answer(error=error), undoing),
        )

    def _answered(self, step: ServiceStep, answer: _Answer, undoing: bool) -> None:
        self._running = False
        try:
            at = self.index() - 1 if undoing else self.index()
            if isinstance(answer.error, DatabaseUnavailable):
                step._unreachable(answer.error, undoing)  # nothing changed: the step stays
            elif 0 <= at < self.count() and self.command(at) is step:
                step._answer = answer
                (QUndoStack.undo if undoing else QUndoStack.redo)(self)
            else:
                step._settle_aside(answer, undoing)
        finally:
            self.busyChanged.emit(False)

    # -- the Edit menu's actions ---------------------------------------------------------------
    def undo_action(self, parent: QObject, prefix: str = "&Undo") -> QAction:
        """Like ``createUndoAction``, but through ``undo()`` and disabled while a step runs."""
        return self._action(parent, prefix, undoing=True)

    def redo_action(self, parent: QObject, prefix: str = "&Redo") -> QAction:
        return self._action(parent, prefix, undoing=False)

    def _action(self, parent: QObject, prefix: str, *, undoing: bool) -> QAction:
        action = QAction(prefix, parent)
        can, text = (self.canUndo, self.undoText) if undoing else (self.canRedo, self.redoText)

        def update() -> None:
            if not shiboken6.isValid(self) or not shiboken6.isValid(action):
                return  # the window is closing: the stack empties itself as it goes
            action.setEnabled(can() and not self._running)
            action.setText(f"{prefix} {text()}" if can() and text() else prefix)

        for signal in (
            self.canUndoChanged if undoing else self.canRedoChanged,
            self.undoTextChanged if undoing else self.redoTextChanged,
            self.busyChanged,
        ):
            signal.connect(update)
        action.triggered.connect(self.undo if undoing else self.redo)
        update()
        return action
