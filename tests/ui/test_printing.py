"""The shared preview/print/save path every printout goes through."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QWidget
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen import canvas

from frontdesk.ui import file_dialogs, printing, theme

# The offscreen platform cannot size top-level windows and says so; that is not our warning.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _pdf(pages: int = 2) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=LETTER)
    for n in range(1, pages + 1):
        pdf.drawString(72, 700, f"Page number {n}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_preview_shows_every_page(qtbot) -> None:
    dialog = printing.show_pdf_preview(None, "Handout", _pdf(3), suggested_name="handout")
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.preview.page_count() == 3
    assert dialog.windowTitle() == "Handout"


def test_preview_explains_bytes_that_are_not_a_pdf(qtbot) -> None:
    preview = printing.PdfPreview()
    qtbot.addWidget(preview)
    assert not preview.set_pdf(b"this is not a pdf")
    assert preview.page_count() == 0
    assert "could not" in preview.message.text()


def test_save_as_pdf_writes_the_bytes_and_adds_the_suffix(qtbot, tmp_path, monkeypatch) -> None:
    data = _pdf()
    target = tmp_path / "out" / "card"
    target.parent.mkdir()
    offered: list[str] = []

    def fake_save(parent, caption, directory, filter_):
        offered.append(directory)
        return str(target)

    monkeypatch.setattr(file_dialogs, "save_file_name", fake_save)
    dialog = printing.show_pdf_preview(None, "Card", data, suggested_name="Appointment card")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.issued) as signal:
        written = dialog.save_document()
    assert signal.args == ["save"]
    assert written == target.with_name("card.pdf")
    assert written.read_bytes() == data
    assert offered[0].endswith("Appointment card.pdf")


def test_cancelled_save_writes_nothing(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a: "")
    assert printing.save_pdf_as(None, _pdf(), suggested_name="x") is None


def test_save_failure_is_a_message_not_a_traceback(qtbot, tmp_path, monkeypatch) -> None:
    missing = tmp_path / "no such folder" / "x.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a: str(missing))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda p, t, m: warnings.append(m)))
    assert printing.save_pdf_as(None, _pdf(), suggested_name="x") is None
    assert "could not be saved" in warnings[0]


def _print_to_file(path: Path):
    def answer(parent, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return True

    return answer


def test_print_sends_every_page_to_the_printer(qtbot, tmp_path, monkeypatch) -> None:
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(printing, "ask_print_settings", _print_to_file(out))
    dialog = printing.show_pdf_preview(None, "Day sheet", _pdf(2), suggested_name="day")
    qtbot.addWidget(dialog)
    issued: list[str] = []
    dialog.issued.connect(issued.append)
    assert dialog.print_document()
    assert issued == ["print"]
    printed = PdfReader(out)
    assert len(printed.pages) == 2
    width, height = (float(v) for v in printed.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (612, 792)  # Letter kept, not the printer default


def test_print_honours_the_page_range(qtbot, tmp_path, monkeypatch) -> None:
    out = tmp_path / "range.pdf"

    def answer(parent, printer: QPrinter) -> bool:
        _print_to_file(out)(parent, printer)
        printer.setFromTo(2, 3)
        return True

    monkeypatch.setattr(printing, "ask_print_settings", answer)
    assert printing.print_pdf(None, _pdf(4), title="t")
    assert len(PdfReader(out).pages) == 2


def test_cancelled_print_dialog_prints_nothing(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(printing, "ask_print_settings", lambda parent, printer: False)
    assert not printing.print_pdf(None, _pdf(), title="t")


@pytest.mark.parametrize("data", [b"", b"%PDF-garbage"])
def test_unreadable_pdf_refuses_to_print(qtbot, tmp_path, monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(printing, "ask_print_settings", _print_to_file(tmp_path / "x.pdf"))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda p, t, m: warnings.append(m)))
    assert not printing.print_pdf(None, data, title="t")
    assert warnings


def test_save_as_pdf_asks_in_qts_own_file_dialog_not_in_the_apps_style(
    qtbot, themed, monkeypatch
) -> None:
    # The app's style sheet painted the file dialog's list of places (Qt names it "sidebar",
    # as the app names its navigation) dark on dark: "Computer" and the home folder unreadable.
    window = QMainWindow()
    theme.style_window(window)
    qtbot.addWidget(window)
    window.show()
    preview = printing.show_pdf_preview(window, "Card", _pdf(), suggested_name="card")
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        sheets = [themed.styleSheet()]
        widget: QWidget | None = dialog
        while widget is not None:
            sheets.append(widget.styleSheet())
            widget = widget.parentWidget()
        places = dialog.findChild(QWidget, "sidebar")
        picture = places.grab().toImage()
        seen.update(
            sheets=sheets,
            palette=dialog.palette() == dialog.style().standardPalette(),
            background=picture.pixelColor(4, picture.height() - 4).lightness(),
            transient=dialog.windowHandle().transientParent() is preview.windowHandle(),
        )
        dialog.reject()

    QTimer.singleShot(0, answer)
    assert preview.save_document() is None  # cancelled: nothing written
    assert seen["sheets"] and not any(seen["sheets"])  # no style sheet reaches the dialog
    assert seen["palette"]  # Qt's own colours
    assert seen["background"] > 200  # the places list is light, as Qt draws it
    assert seen["transient"]  # still opens over the window that asked, and keeps it waiting


@pytest.mark.filterwarnings("ignore:Function.*setActiveWindow.*:DeprecationWarning")
@pytest.mark.parametrize("keys", ["Esc", "Ctrl+W"])
def test_a_preview_closes_with_esc_or_ctrl_w(qtbot, keys: str) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    preview = printing.show_pdf_preview(window, "Day sheet", _pdf(), suggested_name="day")
    qtbot.waitExposed(preview)
    QApplication.setActiveWindow(preview)  # the offscreen platform activates no window itself
    key, mods = (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
        if keys == "Esc"
        else (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    )
    QTest.keyClick(preview.focusWidget() or preview, key, mods)
    qtbot.waitUntil(lambda: not preview.isVisible())
