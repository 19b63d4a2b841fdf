"""The main window: navigation between areas, window-wide shortcuts, remembered geometry."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence

from frontdesk.context import AppContext
from frontdesk.domain import Discipline, Role
from frontdesk.patients import PatientInput, create_patient
from frontdesk.setup import PractitionerInput, add_practitioner
from frontdesk.ui.main_window import PAGES, MainWindow
from frontdesk.ui.widgets.page import Page, PageSpec
from frontdesk.ui.widgets.patients_page import PatientsPage
from tests.accounts_support import as_role
from tests.ui.answers import wait_for_answers


@pytest.fixture
def ctx(db) -> AppContext:
    create_patient(db, PatientInput("Zoë", "Tremblay", date(1984, 3, 21)), today=date(2026, 3, 2))
    add_practitioner(db, PractitionerInput("Mei Chen", Discipline.ACUPUNCTURE))  # set up
    return AppContext(db=db, clock=lambda: datetime(2026, 3, 2, 17, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "frontdesk.ini"), QSettings.Format.IniFormat)


def make_window(qtbot, ctx, settings, **kwargs) -> MainWindow:
    window = MainWindow(ctx, settings=settings, **kwargs)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_for_answers()  # the first page's first read
    return window


def test_opens_on_patients_with_every_area_in_the_navigation(qtbot, ctx, settings):
    window = make_window(qtbot, ctx, settings)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == [
        "Calendar",
        "Patients",
        "My day",
        "Plans",
        "Settings",
        "Accounts",
        "Audit trail",
        "Wait list",
        "Reports",
        "Outbox",
    ]
    assert window.current_key() == "patients"
    assert isinstance(window.stack.currentWidget(), PatientsPage)
    assert window.stack.currentWidget().model.rowCount() == 1


def test_navigation_list_and_ctrl_number_switch_pages(qtbot, ctx, settings):
    window = make_window(qtbot, ctx, settings)
    window.nav.setCurrentRow(0)
    assert window.current_key() == "calendar"
    wait_for_answers()
    # the calendar's day, in the long or the short wording, whichever the width allows
    assert re.search(r"Mon(day)? 2 Mar(ch)? 2026", _all_text(window.stack.currentWidget()))
    action = window.page_actions.actions()[4]
    assert action.shortcut() == QKeySequence("Ctrl+5")
    action.trigger()
    assert window.current_key() == "settings"
    assert window.nav.currentRow() == 4
    wait_for_answers()  # the Clinic tab reads the clinic's details on a worker
    assert "America/Edmonton" in _all_text(window.stack.currentWidget())
    window.page_actions.actions()[2].trigger()
    assert "My day" in _all_text(window.stack.currentWidget())


def test_pages_are_built_only_when_first_shown(qtbot, ctx, settings):
    built = []

    class Probe(Page):
        def __init__(self, ctx, undo_stack, parent=None):
            super().__init__(ctx, undo_stack, parent)
            built.append(self)

    pages = (*PAGES, PageSpec("probe", "Probe", "nav-plans", Probe))
    window = make_window(qtbot, ctx, settings, pages=pages)
    assert built == []
    assert window.nav.item(len(PAGES)).text() == "Probe"
    window.show_page("probe")
    window.show_page("probe")
    assert len(built) == 1 and window.stack.currentWidget() is built[0]


def test_ctrl_n_and_ctrl_f_work_from_any_page(qtbot, ctx, settings, monkeypatch):
    from frontdesk.ui.dialogs.patient_dialog import PatientDialog

    window = make_window(qtbot, ctx, settings)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_page("calendar")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "patients"
    patients = window.page("patients")
    qtbot.waitUntil(patients.search_box.hasFocus)
    opened = []
    monkeypatch.setattr(
        PatientDialog, "ask", classmethod(lambda cls, parent, ctx, pid=None: opened.append(pid))
    )
    window.show_page("settings")
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert opened == [None]
    assert window.current_key() == "patients"


def test_status_bar_names_the_database_and_offers_undo(qtbot, ctx, settings, monkeypatch):
    window = make_window(qtbot, ctx, settings)
    assert "clinic.sqlite3" in window.database_label.text()
    page = window.page("patients")
    monkeypatch.setattr(page, "confirm_archive", lambda record: True)
    page.archive_patient(page.model.patient_at(0).id)
    wait_for_answers()
    assert window.statusBar().currentMessage().startswith("Archived Tremblay, Zoë.")
    assert window.undo_button.isVisibleTo(window)
    assert window.undo_button.text() == "Undo archive Tremblay, Zoë"
    window.undo_button.click()
    wait_for_answers()
    assert page.model.rowCount() == 1
    assert window.undo_button.isHidden()
    assert window.statusBar().currentMessage() == "Undone: archive Tremblay, Zoë."


def test_demo_mode_is_labelled(qtbot, db, settings):
    window = make_window(qtbot, AppContext(db=db, demo=True), settings)
    assert window.windowTitle() == "Frontdesk — Demo clinic"
    assert window.database_label.text().startswith("Demo clinic")


def test_geometry_and_page_are_remembered(qtbot, ctx, settings):
    window = make_window(qtbot, ctx, settings)
    window.resize(713, 517)  # within the offscreen screen (800x600)
    window.show_page("settings")
    qtbot.waitUntil(lambda: window.size().width() == 713)
    window.close()
    again = make_window(qtbot, ctx, settings)
    assert (again.width(), again.height()) == (713, 517)
    assert again.current_key() == "settings"


def test_help_lists_the_keyboard_shortcuts(qtbot, ctx, settings):
    from frontdesk.ui.dialogs.shortcuts import ShortcutsDialog

    window = make_window(qtbot, ctx, settings)
    dialog = ShortcutsDialog(window.shortcut_sections(), window)
    qtbot.addWidget(dialog)
    entries = dict(dialog.entries())
    assert entries["Ctrl+N"] == "New patient"
    assert entries["Ctrl+F"] == "Find patient"
    assert entries["Ctrl+2"] == "Go to Patients"
    assert entries["Delete"] == "Archive the selected patient"
    assert window.shortcuts_action.shortcut() == QKeySequence(Qt.Key.Key_F1)


def _keys_listed(cell: str) -> list[str]:
    """The key sequences a cell of the list names: "Alt+Left / Alt+Right", "Delete"."""
    parts = re.split(r" / | or ", re.sub(r"\(.*?\)", "", cell))
    return [QKeySequence(p.strip()).toString() for p in parts if p.strip()]


def test_f1_lists_every_shortcut_of_the_window_each_row_whole(qtbot, ctx, settings):
    """Every action and shortcut with a key, on any page, is in the list, and no row is cut
    short: a long explanation (Ctrl+Z's) wraps onto the lines it needs."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QAction, QShortcut
    from PySide6.QtWidgets import QStyle

    from frontdesk.ui.dialogs.shortcuts import ShortcutsDialog

    window = make_window(qtbot, ctx, settings)
    dialog = ShortcutsDialog(window.shortcut_sections(), window)  # builds every page
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    listed = {key for cell, _does in dialog.entries() for key in _keys_listed(cell)}
    keyed = [
        (seq.toString(), a.text())
        for a in window.findChildren(QAction)
        for seq in a.shortcuts()
        if not seq.isEmpty()
    ] + [(s.key().toString(), "shortcut") for s in window.findChildren(QShortcut)]
    assert len(keyed) > 30
    assert [(key, what) for key, what in keyed if key not in listed] == []

    table = dialog.table
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    metrics = table.fontMetrics()
    cut = []
    for row in range(table.rowCount()):
        for col in range(2):
            item = table.item(row, col)
            if item is None or table.columnSpan(row, col) > 1:
                continue
            room = QRect(0, 0, table.columnWidth(col) - margin, 10_000)
            needed = metrics.boundingRect(room, Qt.TextFlag.TextWordWrap, item.text())
            if needed.width() > room.width() or needed.height() > table.rowHeight(row):
                cut.append(item.text())
    assert cut == []


def _all_text(widget) -> str:
    from PySide6.QtWidgets import QLabel

    return " ".join(label.text() for label in widget.findChildren(QLabel))


def test_a_page_can_ask_to_show_a_patient(qtbot, ctx, settings):
    from frontdesk.patients import archive_patient

    other = create_patient(
        ctx.db, PatientInput("Liam", "O'Brien", date(1990, 5, 4)), today=date(2026, 3, 2)
    )
    archive_patient(ctx.db, other.id, now=ctx.clock())
    window = make_window(qtbot, ctx, settings)
    calendar = window.show_page("calendar")
    calendar.open_patient.emit(other.id)
    assert window.current_key() == "patients"
    wait_for_answers()
    patients = window.page("patients")
    assert patients.selected_id() == other.id
    assert patients.details.name.text() == "Liam O'Brien"


def test_a_pages_status_message_does_not_follow_to_another_page(qtbot, ctx, settings):
    window = make_window(qtbot, ctx, settings)
    window.show_page("calendar")
    window.statusBar().showMessage("Ann Lee · Acupuncture treatment 10:00–10:45 · Booked")
    window.show_page("patients")
    assert window.statusBar().currentMessage() == ""


def test_the_objects_of_the_start_are_kept_out_of_later_garbage_collections(
    qtbot, ctx, settings, monkeypatch
):
    """Once the first page is built, what the start made (modules, mappers, Qt wrappers) is
    frozen, so a full collection during a busy click walks only newer objects; this happens
    once per process, never again for later pages (frozen cycles are never collected)."""
    import gc

    from frontdesk import heap

    frozen: list[int] = []
    monkeypatch.setattr(heap, "_done", False)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    window = make_window(qtbot, ctx, settings)
    assert frozen == [1]
    window.show_page("calendar")
    window.show_page("settings")
    assert frozen == [1]


def test_the_status_message_is_never_hidden_behind_the_undo_link(qtbot, ctx, settings):
    from PySide6.QtGui import QUndoCommand

    window = make_window(qtbot, ctx, settings)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() <= 1024)
    long_step = (
        "move Hélène Côté-Beauchemin (Initial consultation with Dr Mei Lin) from "
        "Monday 2 March 2026 09:00 to Wednesday 4 March 2026 13:30"
    )
    window.undo_stack.push(QUndoCommand(long_step))
    message = "Moved Hélène Côté-Beauchemin to Wed 4 Mar 13:30; the room is still Room 1."
    window.statusBar().showMessage(message)
    assert window.undo_button.isVisible()
    assert window.undo_button.toolTip() == f"Undo {long_step}"
    permanent = sum(
        w.width()
        for w in (window.undo_button, window.backup_label, window.database_label)
        if w.isVisible()
    )
    room = window.statusBar().width() - permanent
    assert window.statusBar().fontMetrics().horizontalAdvance(message) < room


@pytest.mark.parametrize(
    ("role", "pages"),
    [
        (
            Role.ADMINISTRATOR,
            [
                "calendar",
                "patients",
                "myday",
                "plans",
                "settings",
                "accounts",
                "audit",
                "waitlist",
                "reports",
                "outbox",
            ],
        ),
        (Role.RECEPTION, ["calendar", "patients", "waitlist", "outbox"]),
        (Role.PRACTITIONER, ["calendar", "patients", "myday", "plans"]),
    ],
)
def test_each_role_is_offered_only_the_pages_it_may_use(qtbot, ctx, settings, role, pages):
    # Reception never reaches session notes (My day, Plans); only administrators see Settings,
    # Accounts, the audit trail and the reports.
    signed_in = replace(ctx, db=as_role(ctx.db, role, practitioner_id=None))
    window = make_window(qtbot, signed_in, settings)
    assert window.page_keys() == pages
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    for admin_only in ("Settings", "Accounts", "Audit trail"):
        assert (admin_only in titles) is (role is Role.ADMINISTRATOR)
    assert len(window.page_actions.actions()) == len(pages)  # no Ctrl+number to a hidden page


def test_a_renamed_clinic_is_shown_in_the_window_once_settings_saved_it(qtbot, ctx, settings):
    from frontdesk.setup.clinic_details import get_clinic_details, update_clinic_details

    window = make_window(qtbot, ctx, settings)
    details = get_clinic_details(ctx.db)
    update_clinic_details(ctx.db, replace(details, name="Riverside Acupuncture"))
    window.refresh_clinic()  # what Settings' "clinic changed" leads to; read on a worker
    wait_for_answers()
    assert window.brand_sub.text().startswith("Riverside Acupuncture")
    assert "Riverside Acupuncture" in window.windowTitle()
