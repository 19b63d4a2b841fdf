"""The window's one undo history: what every undoable step has in common.

The main window owns a single ``QUndoStack``; every page pushes its steps there, so Ctrl+Z
always takes back the step that Edit ▸ Undo names, whichever page made it. A step is pushed
only after its change succeeded through a service (the first ``redo`` that ``push`` calls does
nothing), so a refused change never lands on the stack. Undo and redo go through the services
again; a refusal (a colleague changed the record since, the time was booked meanwhile) is
reported in plain words, changes nothing and drops the step, and a success is reported as
"Undone: …" / "Redone: …" so the user always sees what was taken back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from frontdesk.domain import FrontdeskError, StaleRecord

# report(text, is_error): where a step says what happened (a page's banner and the status bar).
Report = Callable[[str, bool], None]


class ServiceStep(QUndoCommand):
    """A change already made through a service; subclasses say how to revert and re-apply it.

    ``text`` names the change for the Edit menu ("no-show for Sara Andrews on Mon 2 Mar at
    10:30"), so it must say what and whom.
    """

    def __init__(self, text: str, *, report: Report) -> None:
        super().__init__(text)
        self._report = report
        self._pushed = True  # QUndoStack.push() calls redo(); the change is already made

    # -- what subclasses provide ------------------------------------------------------------
    def revert(self) -> None:
        """Take the change back through the service (raises FrontdeskError if refused)."""
        raise NotImplementedError

    def reapply(self) -> None:
        """Make the change again through the service (raises FrontdeskError if refused)."""
        raise NotImplementedError

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

    def _run(self, change: Callable[[], None], done: str, verb: str) -> None:
        try:
            change()
        except StaleRecord as exc:
            self._refused(f"Could not {verb} “{self.text()}”: {self.stale_reason(exc)}")
        except FrontdeskError as exc:
            self._refused(f"Could not {verb} “{self.text()}”: {exc}")
        else:
            self._report(f"{done}: {self.text()}.", False)
        self.refresh()

    def _refused(self, message: str) -> None:
        self.setObsolete(True)  # the stack drops a step that could not be taken; nothing changed
        self._report(message, True)
