"""``frontdesk --screenshots DIR``: PNGs of every page and the main dialogs, for the README.

Walks the main window's page list, so a page registered later is photographed too. Nothing is
saved to the database: the dialogs are shown filled in, photographed and closed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.patients import find_duplicates, get_patient
from frontdesk.ui import worker
from frontdesk.ui.booking.showcase import course_steady_showcase, course_wizard_showcase
from frontdesk.ui.calendar.screenshot import week_screenshot
from frontdesk.ui.dialogs.duplicates import DuplicateWarningDialog
from frontdesk.ui.dialogs.patient_dialog import PatientDialog
from frontdesk.ui.dialogs.shortcuts import ShortcutsDialog
from frontdesk.ui.intake.screens import intake_screenshots
from frontdesk.ui.main_window import PATIENTS_PAGE, MainWindow
from frontdesk.ui.practice.screens import practice_screenshots
from frontdesk.ui.waitlist.showcase import fill_showcase

WINDOW_SIZE = (1280, 800)


def _settle() -> None:
    worker.settle()  # every page and dialog reads on a worker: wait for what is shown
    for _ in range(5):
        QApplication.processEvents()


def _save(widget: QWidget, path: Path) -> Path:
    _settle()
    if not widget.grab().save(str(path)):
        raise OSError(f"Could not write {path}")
    return path


def take_screenshots(
    window: MainWindow, out_dir: Path, sign_in_offers: Sequence[tuple[str, str]] = ()
) -> list[Path]:
    """Write one PNG per page and per main dialog into ``out_dir``; the files written.

    ``sign_in_offers`` are the one-click accounts the sign-in dialog shows (the demo's).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    window.resize(*WINDOW_SIZE)
    window.show()
    written = []
    for number, key in enumerate(window.page_keys(), start=1):
        page = window.show_page(key)
        _settle()
        page.prepare_screenshot()
        _settle()  # what the page chose to show is read on a worker
        written.append(_save(window, out_dir / f"{number:02d}-{key}.png"))
    written += week_screenshot(window, out_dir, len(written) + 1, _save)
    written += _dialog_screenshots(window, out_dir, len(written) + 1)
    written += practice_screenshots(window, out_dir, len(written) + 1, _save)
    first = window.page(PATIENTS_PAGE).model.patient_at(0)  # type: ignore[attr-defined]
    if first is not None:
        written += intake_screenshots(
            window, window.ctx, first.id, out_dir, len(written) + 1, _save
        )
    settings = window.show_page("settings")
    settings.show_section(settings.backups)  # type: ignore[attr-defined]
    written.append(_save(window, out_dir / f"{len(written) + 1:02d}-settings-backups.png"))
    settings.show_section(settings.email)  # type: ignore[attr-defined]
    written.append(_save(window, out_dir / f"{len(written) + 1:02d}-settings-email.png"))
    if sign_in_offers:  # the demo's dialog, with its one-click accounts, for the README
        sign_in = _sign_in_dialog(window, sign_in_offers)
        written.append(_save(sign_in, out_dir / f"{len(written) + 1:02d}-sign-in.png"))
        sign_in.close()
    window.show_page(PATIENTS_PAGE)
    # Last: the window stays locked until it closes (only a password opens it).
    written.append(_lock_screen(window, out_dir / f"{len(written) + 1:02d}-lock-screen.png"))
    return written


def _lock_screen(window: MainWindow, path: Path) -> Path:
    """The locked window with its lock screen centred over it, as the desk shows them (the
    lock screen is a window of its own, so the two pictures are laid one on the other)."""
    window.desk_lock.lock()
    _settle()
    screen = window.desk_lock.screen
    if screen is None:
        raise RuntimeError("The window did not lock (nobody is signed in)")
    picture = window.grab()
    card = screen.grab()
    x = (picture.width() - card.width()) // 2
    y = (picture.height() - card.height()) // 2
    painter = QPainter(picture)
    painter.drawPixmap(x, y, card)
    painter.setPen(QColor("#0f2530"))
    painter.drawRect(x - 1, y - 1, card.width() + 1, card.height() + 1)
    painter.end()
    if not picture.save(str(path)):
        raise OSError(f"Could not write {path}")
    return path


def _sign_in_dialog(window: MainWindow, offers: Sequence[tuple[str, str]]) -> QWidget:
    """The sign-in dialog as a desk shows it at start."""
    from frontdesk.ui.sign_in import SignInDialog

    dialog = SignInDialog(window.ctx.db, window.ctx.clock, demo_accounts=offers, parent=window)
    dialog.show()
    return dialog


def _dialog_screenshots(window: MainWindow, out_dir: Path, number: int) -> list[Path]:
    ctx = window.ctx
    page = window.page(PATIENTS_PAGE)
    first = page.model.patient_at(0)  # type: ignore[attr-defined]
    written: list[Path] = []

    def shoot(name: str, make: Callable[[], QWidget]) -> None:
        dialog = make()
        dialog.show()
        _settle()  # what the dialog reads as it opens comes from a worker
        written.append(_save(dialog, out_dir / f"{number + len(written):02d}-{name}.png"))
        dialog.hide()
        dialog.deleteLater()

    if first is not None:
        shoot("patient-edit", lambda: PatientDialog(ctx, first.id, window))
        # Same name and birth date as one patient, and the phone of another: both reasons show.
        data = replace(get_patient(ctx.db, first.id).to_input(), health_number="")
        second = page.model.patient_at(1)  # type: ignore[attr-defined]
        if second is not None:
            data = replace(data, phone=second.phone_display)
        candidates = find_duplicates(ctx.db, data)
        if candidates:
            shoot("duplicate-warning", lambda: DuplicateWarningDialog(candidates, window))

    def new_with_errors() -> QWidget:
        dialog = PatientDialog(ctx, None, window)
        for field, text in (
            ("given_name", "Zoë"),
            ("date_of_birth", "2090-02-30"),
            ("phone", "780 555"),
            ("health_number", "1234 567"),
        ):
            getattr(dialog, field).setText(text)
        dialog.show()
        dialog.save()  # shows the messages; saves nothing because fields are wrong
        return dialog

    shoot("patient-new-errors", new_with_errors)
    shoot("keyboard-shortcuts", lambda: ShortcutsDialog(window.shortcut_sections(), window))
    shoot("course-wizard", lambda: course_wizard_showcase(window, ctx))
    shoot("course-steady-slot", lambda: course_steady_showcase(window, ctx))
    fill = fill_showcase(window, ctx)  # a freed time the wait list could fill
    if fill is not None:
        shoot("waitlist-fill", lambda: fill)
    return written
