"""Every screen fits a 1024×768 and a 1366×768 laptop: nothing cut off, nothing out of reach.

The main window fills the screen (maximised) and shows each page the administrator can reach;
then each dialog and secondary window opens over it: booking, course wizard, patient form and
duplicate warning, chart, session note, plan editor, the three print previews, the settings
dialogs, the calendar's cancel and reschedule, first available, keyboard shortcuts (F1) and the
sign-in. For each, ``cut_off`` lists what a person could not read or reach: words wider than
their label or button, a widget past its window's edge, a window larger than the screen.

The screens are the offscreen platform's (tests/offscreen-screens.json). With
``FRONTDESK_FIT_PICTURES=folder`` every window is also saved there as a PNG, to be looked at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.demo import build_demo
from frontdesk.notes import SessionNoteInput
from frontdesk.patients import find_duplicates, get_patient, search_patients
from frontdesk.plans import current_plan_for_patient
from frontdesk.scheduling import list_appointment_types, list_practitioners
from frontdesk.ui import worker
from frontdesk.ui.booking.booking_dialog import BookingDialog
from frontdesk.ui.booking.first_available import FirstAvailableDialog
from frontdesk.ui.booking.showcase import course_steady_showcase, course_wizard_showcase
from frontdesk.ui.calendar.dialogs import CancelDialog, RescheduleDialog
from frontdesk.ui.dialogs.duplicates import DuplicateWarningDialog
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.dialogs.shortcuts import ShortcutsDialog
from frontdesk.ui.main_window import MainWindow
from frontdesk.ui.practice import actions
from frontdesk.ui.practice.chart import open_chart
from frontdesk.ui.practice.handout import preview_handout
from frontdesk.ui.qtbits import must
from frontdesk.ui.settings.closures_tab import ClosureDialog
from frontdesk.ui.settings.practitioner_dialog import PractitionerDialog
from frontdesk.ui.settings.rooms_tab import RoomDialog
from frontdesk.ui.settings.types_tab import TypeDialog
from frontdesk.ui.sign_in import SignInDialog
from tests.ui.screen_fit import _drawn_words_problem, cut_off
from tests.ui.test_practice_data import note_editor, read_chart
from tests.unit.test_scheduling_support import MONDAY, local

pytestmark = pytest.mark.qt_log_ignore("does not support (propagateSizeHints|raise|grabbing)")

NOW = local(MONDAY, 10, 30)
PICTURES = os.environ.get("FRONTDESK_FIT_PICTURES", "")


def _settle() -> None:
    """Let layouts, posted resizes and background reads of the window land."""
    for _ in range(3):
        worker.settle()  # every service call's answer delivered and shown
        for _ in range(5):
            QApplication.processEvents()


class Inspector:
    """Looks at windows on one screen and keeps what it found cut off."""

    def __init__(self, screen: QScreen) -> None:
        self.screen = screen
        self.found: list[str] = []
        self.looked: list[str] = []

    def look(self, name: str, window: QWidget) -> None:
        _settle()
        self.looked.append(name)
        self.found += [f"{name}: {problem}" for problem in cut_off(window, self.screen)]
        if PICTURES:
            folder = Path(PICTURES)
            folder.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(folder / f"{self.screen.name()}-{name}.png"))

    def open(self, name: str, make: Callable[[], QWidget | None]) -> None:
        """Show a dialog or window over the main window, look at it, close it."""
        window = make()
        assert window is not None, name
        window.show()
        self.look(name, window)
        window.close()
        window.deleteLater()


@pytest.fixture(params=["1024x768", "1366x768"])
def screen(request: pytest.FixtureRequest) -> QScreen:
    found = [s for s in QGuiApplication.screens() if s.name() == request.param]
    if not found:
        pytest.skip(f"no {request.param} screen (run with tests/conftest.py's offscreen screens)")
    return found[0]


@pytest.fixture
def demo(db: Database) -> AppContext:
    """A small demo clinic: long names, busy days, courses, plans and notes."""
    build_demo(db, patients=60, today=MONDAY)
    return AppContext(db=db, clock=lambda: NOW)


@pytest.fixture
def window(
    qtbot, themed, demo: AppContext, screen: QScreen, tmp_path: Path
) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    main = MainWindow(demo, settings=settings)
    qtbot.addWidget(main)
    main.setScreen(screen)
    main.move(screen.availableGeometry().topLeft())
    main.showMaximized()
    qtbot.waitExposed(main)
    yield main
    main.close()  # and the chart and editors with it
    worker.wait_for_all()


def test_every_page_and_window_fits_the_screen(window: MainWindow, screen: QScreen) -> None:
    ctx, db = window.ctx, window.ctx.db
    look = Inspector(screen)
    _pages(window, look)
    _patient_windows(window, look)
    _practice_windows(window, look)
    _calendar_windows(window, look)
    _settings_dialogs(window, look)
    look.open("shortcuts-f1", lambda: ShortcutsDialog(window.shortcut_sections(), window))

    def sign_in() -> QWidget:
        dialog = SignInDialog(db, ctx.clock, demo_accounts=[("admin", "Administrator")])
        dialog.setScreen(screen)
        dialog.adjustSize()
        dialog.move(screen.availableGeometry().center() - dialog.rect().center())
        return dialog

    look.open("sign-in", sign_in)
    assert len(look.looked) >= 30
    assert not look.found, "\n".join(look.found)


def _pages(window: MainWindow, look: Inspector) -> None:
    for key in window.page_keys():
        page = window.show_page(key)
        _settle()
        page.prepare_screenshot()
        look.look(f"page-{key}", window)
    calendar = window.show_page("calendar")
    calendar.show_week_for_screenshot()  # type: ignore[attr-defined]
    look.look("page-calendar-week", window)
    calendar.set_mode("day")  # type: ignore[attr-defined]
    settings = window.show_page("settings")
    for number, section in enumerate(settings.sections(), start=1):  # type: ignore[attr-defined]
        settings.show_section(section)  # type: ignore[attr-defined]
        look.look(f"page-settings-{number}", window)


def _first_patient(window: MainWindow) -> int:
    page = window.show_page("patients")
    _settle()
    first = page.model.patient_at(0)  # type: ignore[attr-defined]
    assert first is not None
    page.select_patient(first.id)  # type: ignore[attr-defined]
    _settle()
    return int(first.id)


def _patient_windows(window: MainWindow, look: Inspector) -> None:
    ctx = window.ctx
    pid = _first_patient(window)
    look.open(
        "booking",
        lambda: BookingDialog(window, ctx, practitioner_id=None, start=None, patient_id=pid),
    )
    look.open("course-wizard", lambda: course_wizard_showcase(window, ctx))
    look.open("course-steady-slot", lambda: course_steady_showcase(window, ctx))
    look.open("patient-edit", lambda: PatientDialog(ctx, pid, window))

    def new_with_errors() -> QWidget:
        dialog = PatientDialog(ctx, None, window)
        for field, text in (("given_name", "Zoë"), ("date_of_birth", "2090-02-30")):
            getattr(dialog, field).setText(text)
        dialog.show()
        dialog.save()  # the messages at the fields; nothing is saved
        return dialog

    look.open("patient-new-errors", new_with_errors)
    data = replace(get_patient(ctx.db, pid).to_input(), health_number="")
    candidates = find_duplicates(ctx.db, data)
    assert candidates
    look.open(
        "duplicate-warning", lambda: DuplicateWarningDialog(candidates, window, offer_existing=True)
    )
    types = list_appointment_types(ctx.db)
    look.open(
        "first-available",
        lambda: FirstAvailableDialog(
            window,
            ctx,
            type_id=types[0].id,
            start_from=NOW,
            tz=get_clinic(ctx.db).tz,
            practitioners=list_practitioners(ctx.db),
            practitioner_id=None,
            patient_id=pid,
        ),
    )
    page = window.show_page("patients")

    def card() -> QWidget | None:
        page.print_card()  # type: ignore[attr-defined]
        _settle()  # the card is made on a worker
        return page.last_preview  # type: ignore[attr-defined, no-any-return]

    look.open("preview-appointment-card", card)


def _practice_windows(window: MainWindow, look: Inspector) -> None:
    ctx = window.ctx
    my_day = window.show_page("myday")
    _settle()
    my_day.prepare_screenshot()
    appt = my_day.model.appointment_at(0)  # type: ignore[attr-defined]
    assert appt is not None
    look.open(
        "chart",
        lambda: read_chart(  # the chart opens at once and fills in from a worker
            must(
                open_chart(
                    window,
                    ctx,
                    appt.patient_id,
                    practitioner_id=appt.practitioner_id,
                    appointment_id=appt.id,
                )
            )
        ),
    )

    def open_note() -> QWidget:
        actions.open_note_editor(
            window,
            ctx,
            SessionNoteInput(appt.patient_id, appt.practitioner_id, appt.id),
            heading=appt.patient_name,
            tz=get_clinic(ctx.db).tz,
            on_saved=None,
        )
        return note_editor(window, appt.id)  # opens once the note was read on a worker

    look.open("note-editor", open_note)
    plan = next(
        p
        for p in (
            current_plan_for_patient(ctx.db, x.id) for x in search_patients(ctx.db, "", limit=60)
        )
        if p is not None
    )
    look.open(
        "plan-editor",
        lambda: actions.open_plan_editor(window, ctx, plan.patient_id, plan_id=plan.plan_id),
    )

    def handout() -> QWidget | None:
        opened: list[QWidget | None] = []
        preview_handout(window, ctx, plan.plan_id, None, on_printed=None, shown=opened.append)
        _settle()  # the handout is made on a worker
        return opened[0] if opened else None

    look.open("preview-handout", handout)


def _calendar_windows(window: MainWindow, look: Inspector) -> None:
    ctx = window.ctx
    calendar = window.show_page("calendar")
    _settle()
    appt = next(a for s in calendar.schedules for a in s.appointments)  # type: ignore[attr-defined]
    tz = get_clinic(ctx.db).tz
    look.open("cancel-appointment", lambda: CancelDialog(window, appt, tz, lambda reason: None))
    look.open(
        "reschedule",
        lambda: RescheduleDialog(window, appt, tz, list_practitioners(ctx.db), lambda *a: None),
    )

    def day_sheet() -> QWidget | None:
        calendar.ops.print_day_sheet()  # type: ignore[attr-defined]
        _settle()  # the sheet is made on a worker
        return calendar.last_preview  # type: ignore[attr-defined, no-any-return]

    look.open("preview-day-sheet", day_sheet)


def _settings_dialogs(window: MainWindow, look: Inspector) -> None:
    ctx = window.ctx
    someone = list_practitioners(ctx.db)[0].id
    look.open("practitioner", lambda: PractitionerDialog(ctx, someone, window))
    look.open("room", lambda: RoomDialog(ctx, None, window))
    look.open("appointment-type", lambda: TypeDialog(ctx, None, window))
    look.open("closure", lambda: ClosureDialog(ctx, window))


def test_the_fit_check_sees_cut_words_and_windows_too_large(qtbot, themed) -> None:
    # The check itself: a squeezed button and a label, and a window taller than the screen.
    from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout

    screen = QGuiApplication.screens()[0]
    box = QWidget()
    qtbot.addWidget(box)
    layout = QVBoxLayout(box)
    button = QPushButton("Cancel appointment")
    label = QLabel("Tuesday 1 December 2026")
    for widget in (button, label):
        widget.setMaximumWidth(60)
        layout.addWidget(widget)
    box.resize(200, screen.availableGeometry().height() + 100)
    box.show()
    found = cut_off(box, screen)
    assert any("Cancel appointment" in f for f in found)
    assert any("Tuesday 1 December" in f for f in found)
    assert any("the screen" in f for f in found)


def test_a_default_button_draws_its_words_whole(qtbot, themed) -> None:
    # The style sheet drew the default button bold, wider than it was measured: the calendar's
    # cancel dialog offered "ancel appointmen", the sign-in dialog "Sign ir".
    from PySide6.QtWidgets import QDialogButtonBox, QMainWindow

    from frontdesk.ui import theme
    from frontdesk.ui.dialogs.base import FormDialog

    window = QMainWindow()
    theme.style_window(window)
    qtbot.addWidget(window)
    window.show()
    dialog = FormDialog("Cancel appointment", window)
    dialog.set_body(QWidget())
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    button.setText("Cancel appointment")
    dialog.show()
    qtbot.waitExposed(dialog)
    assert button.isDefault()
    assert _drawn_words_problem(button) is None
    assert button.icon().isNull()  # words only: no stock floppy disk pushing them aside
