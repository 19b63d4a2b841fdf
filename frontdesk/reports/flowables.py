"""Small drawn pieces the fonts cannot supply: tick boxes, check marks, the pain scale; and
the paragraph every document sets its text in.

Noto Sans has no ☐ or ✓ glyphs, and a missing glyph prints as an empty square that looks like a
box but is not one. Drawing them as vector shapes prints the same on every printer.
"""

from __future__ import annotations

from reportlab.lib.colors import Color, white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from frontdesk.reports.fonts import SANS, SANS_BOLD
from frontdesk.reports.styles import ACCENT, INK, MUTED, RULE


class Para(Paragraph):
    """A Paragraph that lays itself out once per width.

    ReportLab asks a paragraph for its size several times at the same width: a table sizes
    every cell and then again when drawing it, a frame asks again before splitting, and
    KeepTogether asks before the frame does. Breaking lines is the costliest step of a
    document, and the answer for a width does not change, so the last one is kept.
    """

    _laid_out_for: float | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # ReportLab's split() drops the layout when it moves the paragraph on whole.
        if available_width == self._laid_out_for and "blPara" in self.__dict__:
            return self.width, self.height
        size: tuple[float, float] = super().wrap(available_width, available_height)
        self._laid_out_for = available_width if size[1] != 0x7FFFFFFF else None
        return size


class TickBox(Flowable):
    """An empty square for the patient to tick, or a ticked one."""

    def __init__(self, size: float = 10, *, ticked: bool = False, colour: Color = INK) -> None:
        super().__init__()
        self.size = size
        self.ticked = ticked
        self.colour = colour
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(self.colour)
        c.setLineWidth(0.9)
        c.roundRect(0, 0, self.size, self.size, 1.5, stroke=1, fill=0)
        if self.ticked:
            _tick(c, 0, 0, self.size, ACCENT)
        c.restoreState()


class CheckMark(Flowable):
    """A check mark alone, for "attended" in a table."""

    def __init__(self, size: float = 9, colour: Color = ACCENT) -> None:
        super().__init__()
        self.size = size
        self.colour = colour

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        _tick(self.canv, 0, 0, self.size, self.colour)


class PainScale(Flowable):
    """The 0-10 scale with the patient's score filled in, as they pointed at it in the room."""

    def __init__(self, score: int, *, cell: float = 15, gap: float = 2) -> None:
        super().__init__()
        self.score = score
        self.cell = cell
        self.gap = gap

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 11 * self.cell + 10 * self.gap, self.cell

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setLineWidth(0.6)
        for n in range(11):
            x = n * (self.cell + self.gap)
            chosen = n == self.score
            c.setStrokeColor(ACCENT if chosen else RULE)
            c.setFillColor(ACCENT if chosen else white)
            c.roundRect(x, 0, self.cell, self.cell, 2, stroke=1, fill=1)
            c.setFillColor(white if chosen else MUTED)
            c.setFont(SANS_BOLD if chosen else SANS, 7.5)
            c.drawCentredString(x + self.cell / 2, self.cell / 2 - 2.6, str(n))
        c.restoreState()


class LabelledCheck(Flowable):
    """A check mark followed by a word ("Attended"), drawn in one piece for a table cell."""

    def __init__(
        self, text: str, *, font_size: float, leading: float, colour: Color = MUTED
    ) -> None:
        super().__init__()
        self.text = text
        self.font_size = font_size
        self.leading = leading
        self.colour = colour

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = _CHECK_ROOM + stringWidth(self.text, SANS, self.font_size)
        self.height = self.leading
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        _tick(c, 0, (self.leading - _CHECK_SIZE) / 2, _CHECK_SIZE, ACCENT)
        c.saveState()
        c.setFillColor(self.colour)
        c.setFont(SANS, self.font_size)
        # Where a Paragraph of this size and leading puts its first baseline.
        c.drawString(_CHECK_ROOM, self.leading - self.font_size, self.text)
        c.restoreState()


_CHECK_SIZE = 8
_CHECK_ROOM = 12


def _tick(c: Canvas, x: float, y: float, size: float, colour: Color) -> None:
    c.saveState()
    c.setStrokeColor(colour)
    c.setLineWidth(max(1.2, size / 7))
    c.setLineCap(1)
    c.setLineJoin(1)
    path = c.beginPath()
    path.moveTo(x + size * 0.18, y + size * 0.52)
    path.lineTo(x + size * 0.42, y + size * 0.24)
    path.lineTo(x + size * 0.86, y + size * 0.82)
    c.drawPath(path, stroke=1, fill=0)
    c.restoreState()
