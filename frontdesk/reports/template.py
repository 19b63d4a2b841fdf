"""The clinic's page: letterhead, footer with "Page X of Y", and the paper size it prints on.

Every printed document is a story of flowables laid onto ``ClinicDocTemplate``. The first page
carries the full letterhead; later pages a slim running header, so long notes continue on
paper that still says whose it is. The page total is only known at the end, so a canvas
subclass holds the pages back and writes "Page X of Y" onto each one when saving.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from frontdesk.clinic import ClinicInfo
from frontdesk.domain import PageSize
from frontdesk.logo import decode_logo
from frontdesk.reports.fonts import (
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    draw_runs,
    fit_line,
    register_fonts,
    runs_width,
)
from frontdesk.reports.styles import ACCENT, INK, MUTED, RULE

Output = Path | str | IO[bytes] | None
log = logging.getLogger(__name__)

MARGIN_X = 0.75 * inch
TOP = 0.55 * inch
LETTERHEAD_H = 1.05 * inch
RUNNING_H = 0.5 * inch
FOOTER_H = 0.75 * inch
CONFIDENTIAL = (
    "Confidential: personal health information for the patient named above. "
    "If you find this, please return it to the clinic."
)


def page_size(clinic: ClinicInfo, *, wide: bool = False) -> tuple[float, float]:
    """Letter unless the clinic chose A4; ``wide`` turns it to landscape."""
    size = A4 if clinic.page_size == PageSize.A4 else LETTER
    return landscape(size) if wide else size


class PageCountCanvas(Canvas):
    """Defers each page until the end so its footer can say "Page X of Y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        # Set per page by the page template's onPage; saved and restored with each page.
        self.page_count_spot: tuple[float, float] | None = None
        self.page_count_text = "Page {page} of {total}"
        self.page_count_hide_single = False

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self.page_count_spot is not None and not (
                total == 1 and self.page_count_hide_single
            ):
                x, y = self.page_count_spot
                self.setFont(SANS, 7.5)
                self.setFillColor(MUTED)
                text = self.page_count_text.format(page=self._pageNumber, total=total)
                self.drawRightString(x, y, text)
            super().showPage()
        super().save()


class ClinicDocTemplate(BaseDocTemplate):
    """A document on the clinic's letterhead; ``running_title`` heads pages after the first."""

    def __init__(
        self,
        out: IO[bytes] | str,
        clinic: ClinicInfo,
        *,
        title: str,
        running_title: str = "",
        confidential: bool = True,
        pagesize: tuple[float, float] | None = None,
        letterhead: bool = True,
    ) -> None:
        register_fonts()
        self.clinic = clinic
        self.running_title = running_title
        self.confidential = confidential
        self.letterhead = letterhead
        self._logo = _read_logo(clinic.logo_png)
        size = pagesize or page_size(clinic)
        super().__init__(
            out,
            pagesize=size,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=TOP,
            bottomMargin=FOOTER_H,
            title=title,
            author=clinic.name,
            creator="Frontdesk",
            subject=running_title or title,
            # Otherwise every page's preamble names Helvetica, a font that is not embedded.
            initialFontName=SANS,
        )
        head_first = LETTERHEAD_H if letterhead else RUNNING_H
        self.addPageTemplates(
            [
                PageTemplate("first", [self._frame(head_first)], onPage=self._first_page),
                PageTemplate("later", [self._frame(RUNNING_H)], onPage=self._later_page),
            ]
        )

    def _frame(self, header: float) -> Frame:
        w, h = self.pagesize
        top = h - TOP - header
        return Frame(
            MARGIN_X,
            FOOTER_H,
            w - 2 * MARGIN_X,
            top - FOOTER_H,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def handle_pageBegin(self) -> None:
        """After the first page every page uses the slim header."""
        super().handle_pageBegin()
        self._handle_nextPageTemplate("later")

    def build_story(self, story: Sequence[Flowable]) -> None:
        self.build(list(story), canvasmaker=PageCountCanvas)

    # -- drawing ---------------------------------------------------------------------------

    def _first_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if self.letterhead:
            self._draw_letterhead(canvas)
        else:
            self._draw_running(canvas)
        self._draw_footer(canvas)

    def _later_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self._draw_running(canvas)
        self._draw_footer(canvas)

    def _draw_letterhead(self, canvas: Canvas) -> None:
        w, h = self.pagesize
        top = h - TOP
        x = MARGIN_X
        canvas.saveState()
        if self._logo is not None:
            iw, ih = self._logo.getSize()
            scale = min(0.8 * inch / ih, 1.6 * inch / iw)
            try:
                canvas.drawImage(
                    self._logo, x, top - ih * scale, iw * scale, ih * scale, mask="auto"
                )
                x += iw * scale + 0.18 * inch
            except Exception as exc:
                log.warning("The clinic logo was left out of this print: %s", exc)
                self._logo = None
        right = w - MARGIN_X
        contact = [line for line in (self.clinic.phone, self.clinic.email) if line]
        contact_w = max((runs_width(line, 8.5) for line in contact), default=0)
        room = right - x - contact_w - 18
        canvas.setFillColor(ACCENT)
        name, size = fit_line(self.clinic.name, room, 16, SANS_BOLD, min_size=11)
        draw_runs(canvas, x, top - 17, name, size, SANS_BOLD)
        canvas.setFillColor(MUTED)
        y = top - 31
        for line in _lines(self.clinic.address)[:3]:
            draw_runs(canvas, x, y, *fit_line(line, room, 8.5))
            y -= 11
        y = top - 14
        for line in contact:
            draw_runs(canvas, right - runs_width(line, 8.5), y, line, 8.5)
            y -= 11
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.6)
        canvas.line(MARGIN_X, top - LETTERHEAD_H + 12, right, top - LETTERHEAD_H + 12)
        canvas.restoreState()

    def _draw_running(self, canvas: Canvas) -> None:
        w, h = self.pagesize
        top = h - TOP
        canvas.saveState()
        usable = w - 2 * MARGIN_X - 18
        name, name_size = fit_line(self.clinic.name, usable * 0.45, 9.5, SANS_BOLD, min_size=8)
        canvas.setFillColor(ACCENT)
        name_w = draw_runs(canvas, MARGIN_X, top - 11, name, name_size, SANS_BOLD)
        if self.running_title:
            canvas.setFillColor(MUTED)
            title, size = fit_line(self.running_title, usable - name_w, 8.5, min_size=7.5)
            draw_runs(canvas, w - MARGIN_X - runs_width(title, size), top - 11, title, size)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - 18, w - MARGIN_X, top - 18)
        canvas.restoreState()

    def _draw_footer(self, canvas: Canvas) -> None:
        w, _ = self.pagesize
        right = w - MARGIN_X
        y = FOOTER_H - 22
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, y + 11, right, y + 11)
        address = ", ".join(_lines(self.clinic.address))
        parts = [self.clinic.name, address, self.clinic.phone, self.clinic.email]
        contact = "  \u00b7  ".join(p for p in parts if p)
        room = right - MARGIN_X - 60  # leave room for "Page 10 of 12"
        if runs_width(contact, 7.5) > room:
            contact = "  \u00b7  ".join(p for p in parts if p and p != address)
        canvas.setFillColor(INK)
        draw_runs(canvas, MARGIN_X, y, *fit_line(contact, room, 7.5, min_size=6.5))
        if self.confidential:
            canvas.setFillColor(MUTED)
            draw_runs(canvas, MARGIN_X, y - 10, CONFIDENTIAL, 7, SANS_ITALIC)
        canvas.restoreState()
        canvas.page_count_spot = (right, y)


def _read_logo(data: bytes | None) -> ImageReader | None:
    """The clinic's logo, or None when unset or unreadable: a damaged image file in the settings
    (saved before logos were checked when chosen) must not stop a handout from printing, so it
    is decoded in full here and left out of this print, with a note in the log, if it fails."""
    if not data:
        return None
    try:
        return ImageReader(decode_logo(data))
    except Exception as exc:
        log.warning("The clinic logo was left out of this print: %s", exc)
        return None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",\n", "\n").splitlines() if line.strip()]


def write_pdf(doc_builder: Any, out: Output) -> bytes:
    """Run ``doc_builder(target)`` into memory, copy to ``out`` if given, return the bytes."""
    buffer = io.BytesIO()
    doc_builder(buffer)
    data = buffer.getvalue()
    if isinstance(out, (str, Path)):
        Path(out).write_bytes(data)
    elif out is not None:
        out.write(data)
    return data
