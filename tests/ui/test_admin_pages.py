"""The Accounts and Audit trail pages as an administrator uses them, checked in the database:
who can sign in afterwards, which rows the trail holds, what the CSV file and the check say."""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit

from frontdesk.accounts.service import add_account, authenticate, list_accounts
from frontdesk.accounts.trail import list_audit
from frontdesk.accounts.types import AccountInput, AuditFilter
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.domain import Role, SignInFailed
from frontdesk.patients import chart_number
from frontdesk.ui import worker
from frontdesk.ui.admin.account_dialog import AccountDialog
from frontdesk.ui.admin.accounts_page import AccountsPage
from frontdesk.ui.admin.audit_model import PATIENT, WHAT, WHO
from frontdesk.ui.admin.audit_page import AuditPage
from frontdesk.ui.admin.password_dialogs import ResetPasswordDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.practice.my_day import MyDayPage
from tests.accounts_support import TEST_PASSWORD, as_role
from tests.ui.answers import wait_for_answers
from tests.ui.test_practice_data import NOW, Week, build_week

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise)")
LATER = datetime(2026, 3, 9, 19, tzinfo=UTC)


def _sign_in(db: Database, username: str, password: str) -> Role:
    return authenticate(db, username, password, now=LATER).role


@pytest.fixture
def week(db: Database) -> Week:
    return build_week(db)


@pytest.fixture
def accounts(qtbot, week: Week) -> AccountsPage:  # type: ignore[no-untyped-def]
    page = AccountsPage(week.ctx, QUndoStack())
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.loaded)
    return page


def _save(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.finished_saving, timeout=10_000):
        qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)


def _row(page: AccountsPage, username: str) -> int:
    for row in range(page.model.rowCount()):
        if page.model.row_at(row).username == username:  # type: ignore[union-attr]
            return row
    raise AssertionError(f"{username} is not listed")


def _select(qtbot, page: AccountsPage, username: str) -> None:  # type: ignore[no-untyped-def]
    page.table.setFocus()
    page.table.selectRow(_row(page, username))


def test_an_administrator_adds_an_account_that_can_then_sign_in(qtbot, accounts, week):
    qtbot.mouseClick(accounts.add_button, Qt.MouseButton.LeftButton)
    dialog = accounts.dialog
    assert isinstance(dialog, AccountDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.display_name, "Jo Reyes")
    qtbot.keyClicks(dialog.username, "administrator")  # the test administrator's own
    dialog.role.setCurrentIndex(dialog.role.findData(Role.PRACTITIONER.value))
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.repeat, "shirt")
    qtbot.mouseClick(dialog.save_button(), Qt.MouseButton.LeftButton)
    assert "differ" in dialog.error_text("repeat")  # checked before asking the service
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, "short")
    _save(qtbot, dialog)
    # The service's own words, every wrong field at once, each under its field.
    assert dialog.error_text("username") == "There is already an account called administrator."
    assert "Link a practitioner's account" in dialog.error_text("practitioner_id")
    assert dialog.error_text("password").startswith("Use at least 8 characters")
    assert dialog.isVisible()
    assert len(list_accounts(week.ctx.db)) == 1  # nothing was added
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, "Jo")
    dialog.practitioner.setCurrentIndex(dialog.practitioner.findData(week.clinic.acu))
    for field in (dialog.password, dialog.repeat):
        field.clear()
        qtbot.keyClicks(field, "first pass 1")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: any(a.username == "jo" for a in accounts.model._rows))
    listed = accounts.model.index(_row(accounts, "jo"), 3).data()
    assert listed == "Dr Mei Lin"  # the practitioner record shown beside the account
    assert accounts.selected_id() == accounts.model.row_at(_row(accounts, "jo")).id
    assert _sign_in(week.ctx.db, "jo", "first pass 1") is Role.PRACTITIONER


def test_enter_on_an_account_edits_its_role_and_practitioner_record(qtbot, accounts, week):
    db = week.ctx.db
    add_account(db, AccountInput("jo", "Jo Reyes", Role.RECEPTION), "jo pass 12", now=NOW)
    accounts.reload()
    qtbot.waitUntil(lambda: any(a.username == "jo" for a in accounts.model._rows))
    _select(qtbot, accounts, "jo")
    qtbot.keyClick(accounts.table, Qt.Key.Key_Return)
    dialog = accounts.dialog
    assert isinstance(dialog, AccountDialog) and dialog.account is not None
    assert (dialog.display_name.text(), dialog.username.text()) == ("Jo Reyes", "jo")
    assert dialog.password is None  # editing never touches the password
    dialog.role.setCurrentIndex(dialog.role.findData(Role.PRACTITIONER.value))
    dialog.practitioner.setCurrentIndex(dialog.practitioner.findData(week.clinic.acu))
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    actor = authenticate(db, "jo", "jo pass 12", now=LATER)
    assert (actor.role, actor.practitioner_id) == (Role.PRACTITIONER, week.clinic.acu)
    qtbot.waitUntil(lambda: accounts.model.index(_row(accounts, "jo"), 2).data() == "Practitioner")


def test_a_disabled_account_cannot_sign_in_until_it_is_enabled_again(qtbot, accounts, week):
    add_account(week.ctx.db, AccountInput("jo", "Jo Reyes", Role.RECEPTION), "jo pass 12", now=NOW)
    accounts.reload()
    qtbot.waitUntil(lambda: any(a.username == "jo" for a in accounts.model._rows))
    _select(qtbot, accounts, "jo")
    assert accounts.disable_button.text() == "&Disable"
    qtbot.mouseClick(accounts.disable_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: accounts.model.index(_row(accounts, "jo"), 4).data() == "Disabled")
    with pytest.raises(SignInFailed, match="disabled"):
        _sign_in(week.ctx.db, "jo", "jo pass 12")
    _select(qtbot, accounts, "jo")
    assert accounts.disable_button.text() == "E&nable"
    qtbot.mouseClick(accounts.disable_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: accounts.model.index(_row(accounts, "jo"), 4).data() == "Active")
    assert _sign_in(week.ctx.db, "jo", "jo pass 12") is Role.RECEPTION


def test_an_administrator_cannot_disable_the_account_they_are_signed_in_with(qtbot, accounts, week):
    told: list[str] = []
    accounts.tell = lambda title, message: told.append(message)  # type: ignore[method-assign]
    _select(qtbot, accounts, "administrator")
    qtbot.mouseClick(accounts.disable_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(told))
    assert told == ["You cannot disable the account you are signed in with."]
    assert _sign_in(week.ctx.db, "administrator", TEST_PASSWORD) is Role.ADMINISTRATOR


def test_a_reset_password_replaces_the_old_one_and_ends_the_wait(qtbot, accounts, week):
    db = week.ctx.db
    add_account(db, AccountInput("jo", "Jo Reyes", Role.RECEPTION), "jo pass 12", now=NOW)
    for _ in range(3):  # Jo forgot: three wrong tries and the account has to wait
        with pytest.raises(SignInFailed):
            _sign_in(db, "jo", "not it at all")
    accounts.reload()
    qtbot.waitUntil(lambda: any(a.username == "jo" for a in accounts.model._rows))
    assert accounts.model.index(_row(accounts, "jo"), 4).data().startswith("Waiting after 3")
    _select(qtbot, accounts, "jo")
    qtbot.mouseClick(accounts.reset_button, Qt.MouseButton.LeftButton)
    dialog = accounts.dialog
    assert isinstance(dialog, ResetPasswordDialog)
    fields = dialog.findChildren(QLineEdit)
    # Nothing of the stored password is shown: every field is empty and shows dots.
    assert fields and all(
        f.text() == "" and f.echoMode() == QLineEdit.EchoMode.Password for f in fields
    )
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.repeat, "short")
    _save(qtbot, dialog)
    assert dialog.error_text("password").startswith("Use at least 8 characters")
    for field in (dialog.password, dialog.repeat):
        field.clear()
        qtbot.keyClicks(field, "temporary 42")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    with pytest.raises(SignInFailed):
        _sign_in(db, "jo", "jo pass 12")
    assert _sign_in(db, "jo", "temporary 42") is Role.RECEPTION
    qtbot.waitUntil(lambda: accounts.model.index(_row(accounts, "jo"), 4).data() == "Active")


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.PRACTITIONER])
def test_anyone_changes_their_own_password_from_the_file_menu(qtbot, db, tmp_path, role):
    signed_in = as_role(db, role, practitioner_id=None)
    ctx = AppContext(db=signed_in, clock=lambda: LATER)
    settings = QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ctx, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert window.password_action in window.menuBar().actions()[0].menu().actions()
    window.password_action.trigger()
    dialog = window.password_dialog
    qtbot.keyClicks(dialog.current, "not my password")
    qtbot.keyClicks(dialog.new, "my new password")
    qtbot.keyClicks(dialog.repeat, "my new password")
    _save(qtbot, dialog)
    assert dialog.error_text("current") == "That is not your current password."
    dialog.current.clear()
    qtbot.keyClicks(dialog.current, TEST_PASSWORD)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    username = signed_in.actor.username  # type: ignore[union-attr]
    with pytest.raises(SignInFailed):
        _sign_in(db, username, TEST_PASSWORD)
    assert _sign_in(db, username, "my new password") is role
    assert window.statusBar().currentMessage() == "Your password was changed."


# -- the audit trail ---------------------------------------------------------------------------


@pytest.fixture
def chart_opened(qtbot, week: Week) -> Week:  # type: ignore[no-untyped-def]
    """Dr Mei Lin, signed in, opens Ann's chart from My day (Enter on her row)."""
    practitioner = as_role(week.ctx.db, Role.PRACTITIONER, practitioner_id=week.clinic.acu)
    my_day = MyDayPage(replace(week.ctx, db=practitioner), QUndoStack())
    qtbot.addWidget(my_day)
    my_day.set_practitioner(week.clinic.acu)
    my_day.show()
    wait_for_answers()  # the practitioners and the day are read on a worker
    chart = my_day.open_chart(0)
    qtbot.addWidget(chart)
    wait_for_answers()  # the chart reads on a worker
    assert chart.patient_id == week.clinic.ann
    qtbot.waitUntil(lambda: worker.pending() == 0, timeout=10_000)
    return week


@pytest.fixture
def audit(qtbot, chart_opened: Week) -> AuditPage:  # type: ignore[no-untyped-def]
    page = AuditPage(chart_opened.ctx, QUndoStack())
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.loaded)
    return page


def _cells(page: AuditPage, column: int) -> list[str]:
    return [page.model.index(r, column).data() for r in range(page.model.rowCount())]


def _choose_ann(qtbot, page: AuditPage, week: Week) -> None:  # type: ignore[no-untyped-def]
    page.patient_box.setFocus()
    qtbot.keyClicks(page.patient_box, "ann smi")
    qtbot.keyClick(page.patient_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.patient is not None and page.loaded)


def test_the_audit_page_shows_one_patients_rows_with_the_chart_opening(qtbot, audit, chart_opened):
    ann = chart_opened.clinic.ann
    everyone = audit.model.rowCount()
    assert {r.patient_id for r in audit.model._rows} > {ann}  # Bob's visit too, and sign-ins
    _choose_ann(qtbot, audit, chart_opened)
    rows = audit.model._rows
    assert rows and {r.patient_id for r in rows} == {ann}
    assert len(rows) < everyone
    assert len(rows) == len(list_audit(audit.ctx.db, AuditFilter(patient_id=ann)))
    opened = [
        (who, what)
        for who, what in zip(_cells(audit, WHO), _cells(audit, WHAT), strict=True)
        if what.startswith("Opened")
    ]
    assert (f"practitioner-{chart_opened.clinic.acu}", "Opened: notes") in opened
    assert set(_cells(audit, PATIENT)) == {f"Ann Smith ({chart_number(ann)})"}
    assert audit.patient_label.text().startswith("Only Ann Smith, chart")
    # Also by the user who opened it, and the clear button brings everyone back.
    audit.user.setCurrentIndex(audit.user.findData(f"practitioner-{chart_opened.clinic.acu}"))
    audit.user.activated.emit(audit.user.currentIndex())
    qtbot.waitUntil(lambda: audit.loaded)
    assert set(_cells(audit, WHO)) == {f"practitioner-{chart_opened.clinic.acu}"}
    audit.user.setCurrentIndex(0)
    audit.patient_box.clear()
    audit.apply_filters()
    qtbot.waitUntil(lambda: audit.loaded and audit.model.rowCount() >= everyone)


def test_another_desks_chart_opening_appears_without_reopening_the_page(qtbot, audit, chart_opened):
    from frontdesk.notes import list_notes

    shown = audit.model.rowCount()
    practitioner = as_role(audit.ctx.db, Role.PRACTITIONER, practitioner_id=chart_opened.clinic.acu)
    list_notes(practitioner, chart_opened.clinic.bob)  # at another desk
    audit.database_changed()  # what the live view calls on every open page
    qtbot.waitUntil(lambda: audit.model.rowCount() == shown + 1)
    newest = audit.model.row_at(0)
    assert (newest.action, newest.patient_id) == ("list_notes", chart_opened.clinic.bob)


def test_wrong_days_are_explained_at_their_field_and_change_nothing(qtbot, audit):
    shown = audit.model.rowCount()
    qtbot.keyClicks(audit.first_day, "2026-02-30")
    qtbot.keyClick(audit.first_day, Qt.Key.Key_Return)
    assert "no such date" in audit.errors.text("first_day")
    assert audit.model.rowCount() == shown
    audit.first_day.clear()
    qtbot.keyClicks(audit.first_day, "2026-03-10")
    qtbot.keyClicks(audit.last_day, "2026-03-01")
    qtbot.keyClick(audit.last_day, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(audit.errors.text("last_day")))
    assert audit.errors.text("last_day").startswith("The last day comes before the first")


def test_export_writes_the_filtered_rows_to_csv(qtbot, audit, chart_opened, tmp_path):
    _choose_ann(qtbot, audit, chart_opened)
    target = tmp_path / "ann-audit.csv"
    audit.tools.ask_export_path = lambda: target  # type: ignore[method-assign]
    qtbot.mouseClick(audit.tools.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.tools.message.text().startswith("Wrote"))
    with target.open(encoding="utf-8") as f:
        written = list(csv.DictReader(f))
    listed = audit.model._rows
    assert [int(r["seq"]) for r in written] == [r.seq for r in listed]
    every = list_audit(audit.ctx.db, AuditFilter(patient_id=chart_opened.clinic.ann, limit=999))
    assert [int(r["seq"]) for r in written] == [r.seq for r in every]
    assert {r["patient_id"] for r in written} == {str(chart_opened.clinic.ann)}
    assert {r["patient_name"] for r in written} == {"Ann Smith"}
    assert audit.tools.message.text() == f"Wrote {len(listed)} audit rows to {target}."
    assert target.stat().st_mode & 0o777 == 0o600


def test_more_rows_are_read_as_the_list_scrolls(qtbot, chart_opened, monkeypatch):
    from frontdesk.ui.admin import audit_page

    monkeypatch.setattr(audit_page, "PAGE_SIZE", 4)
    page = AuditPage(chart_opened.ctx, QUndoStack())
    qtbot.addWidget(page)
    page.table.setFixedHeight(160)  # room for about four rows
    page.show()
    page.activated()
    qtbot.waitUntil(lambda: page.loaded and worker.pending() == 0)
    total = len(list_audit(page.ctx.db, AuditFilter(limit=10_000)))
    # A view asks for rows until it is full, and no further.
    assert total > 12 and page.model.rowCount() in (4, 8)
    assert "scroll down for older ones" in page.count_label.text()

    def scrolled_to_the_end() -> bool:
        page.table.scrollToBottom()
        return page.model.rowCount() == total

    qtbot.waitUntil(scrolled_to_the_end, timeout=10_000)
    seqs = [r.seq for r in page.model._rows]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == total
    assert page.count_label.text() == f"{total} rows, newest first."


def test_verify_says_the_trail_is_intact_then_names_a_row_changed_in_the_file(
    qtbot, audit, chart_opened
):
    qtbot.mouseClick(audit.tools.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.tools.verify_report is not None)
    assert audit.tools.message.text().startswith("The audit trail is intact: all ")
    # Someone with the file in hand drops the triggers and edits a row.
    path = chart_opened.ctx.db.sqlite_path
    assert path is not None
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER audit_events_no_update")
    raw.execute("UPDATE audit_events SET username = 'nobody' WHERE seq = 3")
    raw.commit()
    raw.close()
    audit.tools.verify_report = None
    qtbot.mouseClick(audit.tools.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.tools.verify_report is not None)
    assert audit.tools.message.text() == (
        "The audit trail is broken. Audit row 3 was changed after it was written "
        "(its content no longer matches its hash)."
    )


def test_who_accessed_this_record_opens_as_a_printable_pdf(qtbot, audit, chart_opened):
    from tests.unit.test_reports_handout import pdf_text

    assert not audit.tools.report_button.isEnabled()  # no patient chosen yet
    _choose_ann(qtbot, audit, chart_opened)
    assert audit.tools.report_button.isEnabled()
    qtbot.mouseClick(audit.tools.report_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: audit.tools.preview is not None, timeout=10_000)
    preview = audit.tools.preview  # a window of the page's, closed with it
    assert preview.windowTitle() == "Who accessed the record of Ann Smith"
    assert preview.print_button.isEnabled() and preview.save_button.isEnabled()
    text = " ".join(pdf_text(preview.preview.pdf_bytes))
    assert "Who accessed this record" in text and "Ann Smith" in text
    assert f"practitioner-{chart_opened.clinic.acu}" in text and "Opened: notes" in text
    # Printing the report is itself an access, listed once the page reads the trail again.
    qtbot.waitUntil(lambda: "Printed: access report" in _cells(audit, WHAT))
    preview.close()
    assert audit.tools.preview is None


def test_the_admin_pages_are_built_by_the_main_window_for_an_administrator(qtbot, week, tmp_path):
    settings = QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)
    window = MainWindow(week.ctx, settings=settings)
    qtbot.addWidget(window)
    window.show()
    assert isinstance(window.show_page("accounts"), AccountsPage)
    assert isinstance(window.show_page("audit"), AuditPage)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles[-5:] == ["Accounts", "Audit trail", "Wait list", "Reports", "Outbox"]


def test_the_admin_tables_are_well_behaved_models(qtbot, audit, chart_opened):
    from PySide6.QtTest import QAbstractItemModelTester

    mode = QAbstractItemModelTester.FailureReportingMode.Warning  # a warning fails the test
    testers = [QAbstractItemModelTester(audit.model, mode)]
    accounts = AccountsPage(chart_opened.ctx, QUndoStack())
    qtbot.addWidget(accounts)
    testers.append(QAbstractItemModelTester(accounts.model, mode))
    accounts.activated()
    qtbot.waitUntil(lambda: accounts.loaded)
    _choose_ann(qtbot, audit, chart_opened)  # a reset under the tester
    audit.model.append(list_audit(audit.ctx.db, AuditFilter(limit=2)), True)  # an insert
    assert len(testers) == 2 and audit.model.rowCount() >= 2
