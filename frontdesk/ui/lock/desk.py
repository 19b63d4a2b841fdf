"""The shared desk's lock: after the clinic's idle minutes, or on Ctrl+L, every window's content
goes out of sight until the person signed in types their password, or someone else signs in.

- **Idle.** One application-wide event filter sees every key press and mouse movement in any
  of the app's windows and tells the ``IdleWatcher``; nothing else is watched. Python sees
  every event of the application through it (a few microseconds each, some 2,000 events to
  the first screen), so it is installed a second after the window opens, off the start.
- **Locked.** Each open window (the main window, charts, note and plan editors, previews, a
  dialog left open) gets an opaque cover and a neutral title; nothing is closed, so a
  half-typed note stays in its editor and saves itself as always. A window that opens while
  the desk is locked (a message from a background save) is covered as it appears. The lock
  screen is a window of its own, modal for the whole application (see ``screen``).
- **Unlock.** The password goes to ``authenticate`` on a worker (Argon2 takes a moment; the
  window keeps painting), the same service as the sign-in dialog: a wrong password counts
  towards the same growing wait, and every try is in the audit trail.
- **Switch user.** The first user's open note editors and plan editors are saved (as them)
  before anything else; if one cannot be, nobody else is signed in. Once the new account's
  password is accepted, the first user's windows and dialogs are closed without questions
  (questions would be for the person who left), and the main window rebuilds for the new
  user's role (``MainWindow.switch_user``), who is the actor of everything after.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from frontdesk.accounts.service import authenticate, get_lock_minutes
from frontdesk.context import AppContext
from frontdesk.domain import Actor, FrontdeskError
from frontdesk.ui.lock.covers import Cover, close_popups, coverable
from frontdesk.ui.lock.idle import IdleWatcher
from frontdesk.ui.lock.screen import LockScreen
from frontdesk.ui.practice.windows import WindowRegistry
from frontdesk.ui.worker import Latest, run_query

if TYPE_CHECKING:
    from frontdesk.ui.practice.note_editor import SessionNoteEditor
    from frontdesk.ui.practice.plan_editor import PlanEditorWindow

log = logging.getLogger("frontdesk")

# What counts as someone using the desk: keys, clicks, the wheel, the mouse moving, touch.
INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
    }
)
WATCH_AFTER_MS = 1_000  # after the first paint: nobody needs the lock in the first second
MAIN_COVER = "Frontdesk is locked"
WINDOW_COVER = "Locked: this window's content is hidden until Frontdesk is unlocked."


class DeskHost(Protocol):
    """What the lock needs of the main window besides its widget."""

    ctx: AppContext  # who is signed in: every service call of the window is theirs

    @property
    def clinic_name(self) -> str: ...

    def switch_user(self, actor: Actor) -> None:
        """Rebuild for ``actor``, the actor of everything from now on."""


def _loaded_class(module: str, name: str) -> type | None:
    """A window class if its module was ever imported (else no such window can be open), so
    the lock does not load the plan editor and its PDF machinery just to ask."""
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else None


def save_for_hand_over(window: QWidget) -> str | None:
    """Save what ``window`` holds the way its own Save does; why it could not be, or None."""
    notes = _loaded_class("frontdesk.ui.practice.note_editor", "SessionNoteEditor")
    if notes is not None and isinstance(window, notes):
        note = cast("SessionNoteEditor", window)
        if note.save_now():
            return None
        return f"a session note could not be saved ({note.status.text()})"
    plans = _loaded_class("frontdesk.ui.practice.plan_editor", "PlanEditorWindow")
    if plans is not None and isinstance(window, plans):
        plan = cast("PlanEditorWindow", window)
        if plan.save_and_wait():  # the save runs on a worker; hand-over waits for it
            return None
        return f"a treatment plan could not be saved ({plan.message.text()})"
    return None


class DeskLock(QObject):
    """Locks ``window`` and everything the app has open; unlocks it or hands it over to
    another user through ``host`` (the same main window: its signed-in context and rebuild).

    Signals:
        locked_changed(bool): the desk was locked (True) or opened again (False).
    """

    locked_changed = Signal(bool)

    def __init__(
        self, window: QWidget, host: DeskHost, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(window)
        self.window = window
        self.host = host
        self.idle = IdleWatcher(clock=clock, parent=self)
        self.screen: LockScreen | None = None
        self._covers: list[Cover] = []
        self._focus: QWidget | None = None
        self._offers: tuple[tuple[str, str], ...] = ()
        self._offer_password = ""
        self._checking = Latest()
        self._handing_over = False
        self.idle.idle.connect(self.lock)
        self._watching = False
        self._stopped = False
        QTimer.singleShot(WATCH_AFTER_MS, self, self.watch)
        self.refresh_minutes()

    # -- settings -----------------------------------------------------------------------------
    def set_offers(self, offers: Sequence[tuple[str, str]], password: str) -> None:
        """One-click accounts for Switch user (the demo clinic's, as its sign-in offers)."""
        self._offers = tuple(offers)
        self._offer_password = password

    def refresh_minutes(self) -> None:
        """Read the clinic's idle minutes (at start, and after Settings saved them)."""
        db = self.host.ctx.db
        if db.actor is None:
            return  # a window nobody signed in to (a bare test window) keeps the default
        run_query(self, lambda: get_lock_minutes(db), self.idle.set_minutes, self._no_minutes)

    def _no_minutes(self, exc: Exception) -> None:
        log.warning("Could not read the idle minutes; keeping %s", self.idle.minutes, exc_info=exc)

    def stop(self) -> None:
        """The window is closing: no more locking, no more watching."""
        self.idle.pause()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
        self._watching = False
        self._stopped = True

    # -- watching -----------------------------------------------------------------------------
    @property
    def watching(self) -> bool:
        """Key presses and mouse movements count as using the desk (from a second in)."""
        return self._watching

    @Slot()
    def watch(self) -> None:
        app = QApplication.instance()
        if app is not None and not self._watching and not self._stopped:
            app.installEventFilter(self)
            self._watching = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT:
            self.idle.touch()
        elif (
            kind == QEvent.Type.Show
            and self.screen is not None
            and isinstance(watched, QWidget)
            and not self._handing_over
        ):
            self._shown_while_locked(watched)
        return False

    def _shown_while_locked(self, widget: QWidget) -> None:
        if widget is self.screen or not coverable(widget) or self._covered(widget):
            return
        self._cover(widget)
        QTimer.singleShot(0, self, self._keep_screen_on_top)

    def _covered(self, widget: QWidget) -> bool:
        return widget.findChild(Cover, "", Qt.FindChildOption.FindDirectChildrenOnly) is not None

    def _cover(self, widget: QWidget) -> None:
        self._covers.append(Cover(widget, MAIN_COVER if widget is self.window else WINDOW_COVER))

    @Slot()
    def _keep_screen_on_top(self) -> None:
        """A modal window shown after the lock would take the keyboard: show the lock again."""
        screen = self.screen
        if screen is None or not shiboken6.isValid(screen):
            return
        if QApplication.activeModalWidget() is screen:
            return
        screen.hide()
        self._show_screen(screen)

    # -- locking ------------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.screen is not None

    @Slot()
    def lock(self) -> None:
        """Hide every window's content behind the lock screen; close nothing."""
        actor = self.host.ctx.db.actor
        if self.screen is not None or actor is None or self._stopped:
            return
        if not self.window.isVisible():  # closed (or never shown): nothing on screen to hide
            return
        self.watch()  # windows shown while locked are covered as they appear
        close_popups()
        self._focus = QApplication.focusWidget()
        screen = LockScreen(
            actor,
            clinic=self.host.clinic_name,
            offers=self._offers,
            offer_password=self._offer_password,
            parent=self.window,
        )
        screen.unlock_requested.connect(self._unlock)
        screen.switch_requested.connect(self._switch)
        self.screen = screen
        for widget in QApplication.topLevelWidgets():
            if widget is not screen and coverable(widget) and not self._covered(widget):
                self._cover(widget)
        self.idle.pause()
        self._show_screen(screen)
        self.locked_changed.emit(True)

    def _show_screen(self, screen: LockScreen) -> None:
        screen.adjustSize()
        frame = screen.frameGeometry()
        frame.moveCenter(self.window.frameGeometry().center())
        screen.move(frame.topLeft())
        screen.show()
        screen.raise_()
        screen.activateWindow()
        (screen.other_password if screen.switching else screen.password).setFocus()

    # -- unlocking ----------------------------------------------------------------------------
    @Slot(str)
    def _unlock(self, password: str) -> None:
        actor = self.host.ctx.db.actor
        if actor is not None:
            self._check(actor.username, password)

    @Slot(str, str)
    def _switch(self, username: str, password: str) -> None:
        problem = self._save_open_work()  # the first user's work is saved whoever signs in
        if problem is not None:
            self._say(problem)
            return
        self._check(username, password)

    def _check(self, username: str, password: str) -> None:
        """``authenticate`` on a worker: Argon2 never holds up the window."""
        screen = self.screen
        if screen is None:
            return
        signed_out = self.host.ctx.db.as_actor(None)  # the lock signs in as the start does
        now = self.host.ctx.clock()
        screen.set_busy(True)
        self._checking.run(
            screen,
            lambda: authenticate(signed_out, username, password, now=now),
            self._signed_in,
            self._refused,
        )

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, FrontdeskError):
            self._say(str(exc))
        else:
            log.error("Checking a password at the lock screen failed", exc_info=exc)
            self._say("Something went wrong while checking the password; try again.")

    def _say(self, text: str) -> None:
        if self.screen is not None:
            self.screen.show_error(text)

    def _signed_in(self, actor: Actor) -> None:
        if actor == self.host.ctx.db.actor:
            self._open()  # the same person: everything as they left it
        else:
            self._hand_over(actor)

    # -- switching user -----------------------------------------------------------------------
    def _registry(self) -> WindowRegistry | None:
        return self.window.findChild(WindowRegistry, WindowRegistry.OBJECT_NAME)

    def _first_name(self) -> str:
        actor = self.host.ctx.db.actor
        return actor.display_name if actor is not None else "The person signed in"

    def _save_open_work(self) -> str | None:
        """Save the signed-in user's open editors; why one could not be, or None."""
        registry = self._registry()
        for window in registry.windows() if registry is not None else []:
            problem = save_for_hand_over(window)
            if problem is not None:
                name = self._first_name()
                return (
                    f"Nobody else was signed in, because {problem}. {name} can unlock and "
                    "see to it, or try again in a moment."
                )
        return None

    def _close_open_windows(self) -> str | None:
        """Close the first user's windows and dialogs (their work is saved by now)."""
        registry = self._registry()
        if registry is not None and not registry.close_all():
            return f"{self._first_name()} has a window that would not close; unlock to see to it."
        for widget in QApplication.topLevelWidgets():
            if widget is self.window or widget is self.screen or not widget.isVisible():
                continue
            if not widget.isWindow() or not coverable(widget):
                continue
            if isinstance(widget, QDialog):
                widget.done(QDialog.DialogCode.Rejected)  # no "discard changes?" for the next
            else:
                widget.close()
        return None

    def _hand_over(self, actor: Actor) -> None:
        self._handing_over = True
        try:
            problem = self._save_open_work() or self._close_open_windows()
        finally:
            self._handing_over = False
        if problem is not None:
            self._say(problem)
            return
        self._focus = None  # it belonged to the first user's windows
        self.host.switch_user(actor)
        self._open()

    # -- opening again ------------------------------------------------------------------------
    def _open(self) -> None:
        for cover in self._covers:
            if shiboken6.isValid(cover):
                cover.remove()
        self._covers.clear()
        screen, self.screen = self.screen, None
        if screen is not None:
            screen.closing_allowed = True
            screen.close()
            screen.deleteLater()
        self.idle.resume()
        focus, self._focus = self._focus, None
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.window().activateWindow()
            focus.setFocus()
        else:
            self.window.activateWindow()
        self.locked_changed.emit(False)
