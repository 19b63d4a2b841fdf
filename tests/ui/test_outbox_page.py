"""The Outbox page as reception uses it: a failed email shows why, Retry and Send now send it;
and Settings ▸ Email's test button reaches a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.messaging.sender import send_due_messages
from frontdesk.scheduling import BookingRequest, book_appointment
from frontdesk.ui.outbox.page import STATUS, OutboxPage
from tests.ui.answers import wait_for_answers
from tests.unit.outbox_support import MailServer, consent, outbox, running_server, use_server
from tests.unit.test_scheduling_support import MONDAY, NOW, Clinic, local

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")
LATER = NOW + timedelta(hours=3)


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    yield from running_server()


@pytest.fixture
def failed(db: Database, clinic: Clinic, smtp: MailServer) -> Clinic:
    """Ann's confirmation failed for good while the mail server was down."""
    use_server(db, smtp.port, give_up_hours=1)
    consent(db, clinic.ann)
    smtp.stop()
    book_appointment(
        db,
        BookingRequest(
            clinic.ann,
            clinic.acu,
            clinic.acupuncture,
            local(MONDAY + timedelta(days=7), 10),
            clinic.room1,
        ),
        now=NOW,
    )
    send_due_messages(db, now=NOW)
    send_due_messages(db, now=LATER)
    return clinic


def test_a_failed_email_shows_its_reason_and_retry_sends_it(
    qtbot, db: Database, failed: Clinic, smtp: MailServer
) -> None:  # type: ignore[no-untyped-def]
    page = OutboxPage(AppContext(db=db, clock=lambda: LATER), QUndoStack())
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.loaded)
    texts = [page.model.index(r, STATUS).data() for r in range(page.model.rowCount())]
    assert any(t.startswith("Failed: Gave up after 2 attempts: Could not reach") for t in texts)
    row = next(r for r, t in enumerate(texts) if t.startswith("Failed"))
    page.table.selectRow(row)
    assert page.retry_button.isEnabled()

    qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: [m.status for m in outbox(db) if m.kind == "confirmation"] == ["pending"]
    )
    smtp.start()
    page.loaded = False
    qtbot.mouseClick(page.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(smtp.inbox.messages) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: page.loaded)
    qtbot.waitUntil(
        lambda: "Sent" in [page.model.index(r, STATUS).data() for r in range(page.model.rowCount())]
    )


def test_the_status_filter_shows_only_failed_messages(qtbot, db: Database, failed: Clinic) -> None:  # type: ignore[no-untyped-def]
    page = OutboxPage(AppContext(db=db, clock=lambda: LATER), QUndoStack())
    qtbot.addWidget(page)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.loaded)
    assert page.model.rowCount() == 2  # the confirmation and the reminder
    page.loaded = False
    page.status.setCurrentIndex(page.status.findData("failed"))
    page.reload()
    qtbot.waitUntil(lambda: page.loaded)
    assert page.model.rowCount() == 1
    assert page.count_label.text() == "1 message, 1 failed"


def test_settings_send_test_email_reaches_the_server(qtbot, db: Database, smtp: MailServer) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.ui.settings.email_tab import EmailTab

    use_server(db, smtp.port)
    tab = EmailTab(AppContext(db=db, clock=lambda: NOW))
    qtbot.addWidget(tab)
    tab.show()
    tab.reload()
    qtbot.waitUntil(lambda: tab.loaded)
    assert tab.host.text() == "127.0.0.1"
    tab.test_to.setText("me@clinic.example")
    qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.test_result.text().startswith("Sent a test email"))
    assert smtp.inbox.subjects() == ["Frontdesk test email"]
    smtp.stop()
    qtbot.mouseClick(tab.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.test_result.text().startswith("The test email was not sent."))
    assert "Could not reach the mail server" in tab.test_result.text()


def test_the_apps_timer_sends_what_is_due(qtbot, db: Database, clinic: Clinic, smtp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QObject

    from frontdesk.ui.outbox.timer import OutboxTimer

    use_server(db, smtp.port)
    consent(db, clinic.ann)
    book_appointment(
        db,
        BookingRequest(clinic.ann, clinic.acu, clinic.acupuncture, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    owner = QObject()
    timer = OutboxTimer(lambda: AppContext(db=db, clock=lambda: NOW), owner, interval_ms=50)
    with qtbot.waitSignal(timer.sent, timeout=10_000) as report:
        pass
    timer.stop()
    assert report.args[0].sent == 1
    assert len(smtp.inbox.messages) == 1


def test_the_chart_shows_an_email_not_sent_for_lack_of_consent(
    qtbot, db: Database, clinic: Clinic
) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.db.models import Patient
    from frontdesk.ui.practice.chart import PatientChartWindow

    with db.write() as s:
        patient = s.get(Patient, clinic.ann)
        assert patient is not None
        patient.email, patient.contact_by_email = "ann@example.com", True
    book_appointment(
        db,
        BookingRequest(clinic.ann, clinic.acu, clinic.acupuncture, local(MONDAY, 10), clinic.room1),
        now=NOW,
    )
    chart = PatientChartWindow(AppContext(db=db, clock=lambda: NOW), clinic.ann)
    qtbot.addWidget(chart)
    chart.refresh()
    wait_for_answers()  # the chart reads on a worker
    rows = [
        chart.emails_tree.topLevelItem(i).text(3)
        for i in range(chart.emails_tree.topLevelItemCount())
    ]
    assert rows == ["Not sent: no consent"]
    assert chart.tabs.tabText(chart.tabs.indexOf(chart.emails_tree)) == "Emails (1)"
    details = [
        chart.details.itemAt(i).widget().text()
        for i in range(chart.details.count())
        if chart.details.itemAt(i).widget() is not None
    ]
    assert "ann@example.com (visit emails: no, no consent)" in details
