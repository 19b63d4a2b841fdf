"""The running app's sender: every few minutes, the outbox's due emails go out (on a worker).

Each desk runs one; the sender claims every message before sending it, so desks running at the
same moment (and a scheduled ``frontdesk send-reminders``) never send one twice. A failure is
kept on the message for the Outbox page; here it only reaches the log and the status bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from frontdesk.context import AppContext
from frontdesk.ui.worker import Job, run_query

if TYPE_CHECKING:
    from frontdesk.messaging.sender import SendReport

log = logging.getLogger("frontdesk")
INTERVAL_MS = 2 * 60 * 1000


class OutboxTimer(QObject):
    """Runs the sender every ``interval_ms`` for whoever is signed in at that moment.

    Signals:
        sent(object): the ``SendReport`` of a run that sent, retried or gave up on something.
    """

    sent = Signal(object)

    def __init__(
        self,
        context: Callable[[], AppContext],
        parent: QObject | None = None,
        *,
        interval_ms: int = INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._job: Job[Any] | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.run_now)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    @Slot()
    def run_now(self) -> None:
        if self._job is not None and not self._job.done:
            return  # the last run is still sending
        ctx = self._context()
        if ctx.db.actor is None:
            return
        # The sender (smtplib, ssl, the mail settings) loads at the first run, not at start-up.
        from frontdesk.messaging.sender import send_due_messages

        db, now = ctx.db, ctx.clock()
        self._job = run_query(
            self, lambda: send_due_messages(db, now=now), self._done, self._failed, busy=False
        )

    def _done(self, report: SendReport) -> None:
        if report.sent or report.retrying or report.failed:
            self.sent.emit(report)

    def _failed(self, exc: Exception) -> None:
        log.warning("The outbox sender did not run: %s", type(exc).__name__)
