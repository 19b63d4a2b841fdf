"""Preview, print and save any PDF the app renders, the same way from every screen.

Every printout (treatment-plan handout, appointment card, day sheet) is a PDF made by
``frontdesk.reports`` as bytes. This module is the one GUI path from those bytes to paper or a
file, so a receptionist learns one preview window and the print code is written once:

- ``show_pdf_preview(parent, title, pdf_bytes, *, suggested_name)`` opens a preview window with
  Print… and Save as PDF…; it returns at once (the window is not application-modal).
- ``PdfPreview`` is the embeddable viewer (the plan editor's live preview uses it).
- ``print_pdf(parent, pdf_bytes, *, title)`` and ``save_pdf_as(parent, pdf_bytes,
  suggested_name=...)`` are the two actions, usable without a preview window.

Printing rasterises each PDF page at up to 300 dpi and draws it onto the ``QPrinter``: Qt has
no direct "send this PDF to the printer" call, and this keeps the page exactly as previewed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QRect,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from frontdesk.ui import file_dialogs, qtbits

MAX_PRINT_DPI = 300
PDF_FILTER = "PDF documents (*.pdf)"


class PrintError(Exception):
    """The PDF could not be read or the printer could not be opened; the message says which."""


def load_pdf_document(
    pdf_bytes: bytes, parent: QWidget | None = None
) -> tuple[QPdfDocument, QBuffer]:
    """A ``QPdfDocument`` over the bytes; keep the returned buffer alive as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    if parent is not None:
        document.setParent(parent)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() == 0:
        raise PrintError("The document could not be read as a PDF.")
    return document, buffer


def render_to_printer(printer: QPrinter, pdf_bytes: bytes) -> int:
    """Draw every page (or the page range chosen in the print dialog); returns pages printed."""
    document, _buffer = load_pdf_document(pdf_bytes)
    count = document.pageCount()
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), count) if printer.toPage() else count
    first_size = document.pagePointSize(first - 1)
    printer.setFullPage(True)  # the PDF carries its own margins
    printer.setPageSize(
        QPageSize(first_size, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    )
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape
        if first_size.width() > first_size.height()
        else QPageLayout.Orientation.Portrait
    )
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(
            "The printer could not be opened. Check that it is switched on and try again."
        )
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        for index in range(first - 1, last):
            if index > first - 1:
                printer.newPage()
            points = document.pagePointSize(index)
            pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = document.render(index, pixels)
            painter.drawImage(_fit(painter.viewport(), image.size()), image)
    finally:
        painter.end()
    return last - first + 1


def _fit(area: QRect, size: QSize) -> QRect:
    """The largest rectangle of ``size``'s shape centred in ``area``."""
    scaled = QSizeF(size).scaled(QSizeF(area.size()), Qt.AspectRatioMode.KeepAspectRatio).toSize()
    left = area.left() + (area.width() - scaled.width()) // 2
    top = area.top() + (area.height() - scaled.height()) // 2
    return QRect(left, top, scaled.width(), scaled.height())


def ask_print_settings(parent: QWidget | None, printer: QPrinter) -> bool:
    """Qt's print dialog; a separate function so tests can answer it without a person."""
    dialog = QPrintDialog(printer, parent)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_pdf(parent: QWidget | None, pdf_bytes: bytes, *, title: str) -> bool:
    """Ask for a printer and print; True when pages were sent, False if cancelled or failed
    (a failure is explained to the user in a message box, never as a traceback)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    if not ask_print_settings(parent, printer):
        return False
    try:
        render_to_printer(printer, pdf_bytes)
    except PrintError as exc:
        QMessageBox.warning(parent, "Printing failed", str(exc))
        return False
    return True


def _default_save_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def save_pdf_as(parent: QWidget | None, pdf_bytes: bytes, *, suggested_name: str) -> Path | None:
    """Ask where to save and write the file; the path written, or None if cancelled/failed."""
    name = suggested_name if suggested_name.lower().endswith(".pdf") else f"{suggested_name}.pdf"
    chosen = file_dialogs.save_file_name(
        parent, "Save as PDF", str(_default_save_dir() / name), PDF_FILTER
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    try:
        path.write_bytes(pdf_bytes)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        message = f"The PDF could not be saved to {path}:\n{reason}"
        QMessageBox.warning(parent, "Could not save", message)
        return None
    return path


class PdfPreview(QWidget):
    """A scrolling, fit-to-width view of PDF bytes that can be replaced at any time.

    Replacing the document keeps the reader's scroll position, so a live preview does not jump
    back to page one after every keystroke. A message replaces the view when there is nothing
    to show or the bytes are not a PDF.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pdf_bytes = b""
        self._buffer: QBuffer | None = None
        self._document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setDocument(self._document)
        self.message = QLabel("No preview yet.", self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.message)
        self._stack.addWidget(self.view)

    @property
    def pdf_bytes(self) -> bytes:
        """The bytes shown now (empty when a message is shown instead)."""
        return self._pdf_bytes

    def page_count(self) -> int:
        return self._document.pageCount() if self._pdf_bytes else 0

    def set_pdf(self, pdf_bytes: bytes) -> bool:
        """Show these bytes; False (and a message) if they are not a readable PDF."""
        bar = self.view.verticalScrollBar()
        position = bar.value()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf_bytes))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.close()
        self._document.load(buffer)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buffer
        if self._document.status() != QPdfDocument.Status.Ready or self._document.pageCount() == 0:
            self.show_message("The preview could not be drawn.")
            return False
        self._pdf_bytes = pdf_bytes
        self._stack.setCurrentWidget(self.view)
        bar.setValue(position)
        return True

    def show_message(self, text: str) -> None:
        """Replace the document with an explanation (e.g. why no preview can be drawn)."""
        self._pdf_bytes = b""
        self.message.setText(text)
        self._stack.setCurrentWidget(self.message)


class PdfPreviewDialog(QDialog):
    """A document as it will print, with Print… and Save as PDF….

    Signals:
        issued(str): a copy left the app, ``"print"`` or ``"save"``, so a caller can record it
            (the plan editor freezes the printed revision).
    """

    issued = Signal(str)

    def __init__(
        self, parent: QWidget | None, title: str, pdf_bytes: bytes, *, suggested_name: str
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._title = title
        self._suggested_name = suggested_name
        self.preview = PdfPreview(self)
        self.preview.set_pdf(pdf_bytes)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.print_button = QPushButton("Print…", self)
        self.save_button = QPushButton("Save as PDF…", self)
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setDefault(True)
        # Esc closes a dialog by itself; Ctrl+W closes it as it closes the chart and editors.
        qtbits.shortcut(QKeySequence("Ctrl+W"), self, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)
        self._layout = layout
        qtbits.fit_to_screen(self, 760, 900)  # a page whole on a large screen
        self._connect_signals()

    def add_options(self, options: QWidget) -> None:
        """Choices that change what is printed (the handout's extras), above the buttons."""
        self._layout.insertWidget(self._layout.count() - 1, options)

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def print_document(self) -> bool:
        if print_pdf(self, self.preview.pdf_bytes, title=self._title):
            self.issued.emit("print")
            return True
        return False

    @Slot()
    def save_document(self) -> Path | None:
        path = save_pdf_as(self, self.preview.pdf_bytes, suggested_name=self._suggested_name)
        if path is not None:
            self.issued.emit("save")
        return path


_orphans: set[PdfPreviewDialog] = set()  # previews without a parent window must stay alive


def show_pdf_preview(
    parent: QWidget | None,
    title: str,
    pdf_bytes: bytes,
    *,
    suggested_name: str,
    on_issued: Callable[[str], None] | None = None,
) -> PdfPreviewDialog:
    """Open a preview window for the PDF and return it without waiting.

    ``suggested_name`` is the file name offered by Save as PDF (".pdf" is added if missing).
    ``on_issued("print" | "save")`` runs after a copy was printed or saved. The window deletes
    itself when closed.
    """
    dialog = PdfPreviewDialog(parent, title, pdf_bytes, suggested_name=suggested_name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_issued is not None:
        dialog.issued.connect(on_issued)
    if parent is None:
        _orphans.add(dialog)
        dialog.finished.connect(lambda _code: _orphans.discard(dialog))
    dialog.open()
    return dialog
