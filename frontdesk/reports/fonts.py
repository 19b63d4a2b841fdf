"""The fonts every PDF embeds, and turning user text into safe, correctly-fonted markup.

ReportLab's built-in fonts cannot show "Nguyễn" or "王秀英", and it has no automatic font
fallback, so every document uses Noto Sans (embedded, subset) and wraps each run of characters
Noto lacks in a ``<font>`` tag for the CJK font that has them. User text is XML-escaped here,
once, because Paragraph markup would otherwise read "<" or "&" in a note as a tag.
"""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from frontdesk import paths

SANS = "FrontdeskSans"
SANS_BOLD = "FrontdeskSans-Bold"
SANS_ITALIC = "FrontdeskSans-Italic"
CJK = "FrontdeskCJK"

_FILES = {
    SANS: "NotoSans-Regular.ttf",
    SANS_BOLD: "NotoSans-Bold.ttf",
    SANS_ITALIC: "NotoSans-Italic.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}


class _Coverage:
    """Which code points the main font and the fallback font can draw (filled on registration)."""

    main: frozenset[int] = frozenset()
    fallback: frozenset[int] = frozenset()


def register_fonts() -> None:
    """Register the shipped fonts with ReportLab once per process (later calls are free)."""
    if _Coverage.main:
        return
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(paths.resource("fonts", filename))))
    # <b>/<i> inside Paragraph markup pick these faces; the CJK font has one face for all four.
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CJK, bold, italic, CJK)
    _Coverage.fallback = frozenset(_face(CJK).charToGlyph)
    _Coverage.main = frozenset(_face(SANS).charToGlyph)


def _face(name: str) -> TTFont:
    font = pdfmetrics.getFont(name)
    return font.face


def markup(text: str) -> str:
    """User text as Paragraph markup: escaped, with runs Noto cannot draw set in the CJK font.

    Characters neither font has stay in the main font (they show as a visible box, never
    silently vanish). Line breaks become ``<br/>``.
    """
    register_fonts()
    if text.isascii():
        return escape(text).replace("\n", "<br/>")
    out: list[str] = []
    run: list[str] = []
    run_is_cjk = False
    main, fallback = _Coverage.main, _Coverage.fallback

    def flush() -> None:
        if run:
            chunk = escape("".join(run)).replace("\n", "<br/>")
            out.append(f'<font name="{CJK}">{chunk}</font>' if run_is_cjk else chunk)
            run.clear()

    for ch in text:
        cp = ord(ch)
        is_cjk = cp not in main and cp in fallback
        if is_cjk != run_is_cjk:
            flush()
            run_is_cjk = is_cjk
        run.append(ch)
    flush()
    return "".join(out)


def needs_fallback(text: str) -> bool:
    """True when part of ``text`` must be drawn with the CJK font (for canvas-drawn strings)."""
    register_fonts()
    return any(ord(ch) not in _Coverage.main and ord(ch) in _Coverage.fallback for ch in text)


def draw_runs(
    canvas: Canvas, x: float, y: float, text: str, size: float, font: str = SANS
) -> float:
    """Draw a one-line string on a canvas switching fonts per run; returns the width drawn.

    The letterhead and footer are drawn straight on the canvas (not via Paragraph), so they
    need the same fallback as markup().
    """
    register_fonts()
    width = 0.0
    for chunk, chunk_font in _runs(text, font):
        canvas.setFont(chunk_font, size)
        canvas.drawString(x + width, y, chunk)
        width += pdfmetrics.stringWidth(chunk, chunk_font, size)
    return width


def runs_width(text: str, size: float, font: str = SANS) -> float:
    """Width of ``text`` as ``draw_runs`` would draw it (for right-aligned canvas text)."""
    register_fonts()
    return sum(pdfmetrics.stringWidth(c, f, size) for c, f in _runs(text, font))


@lru_cache(maxsize=512)
def _runs(text: str, font: str) -> tuple[tuple[str, str], ...]:
    """``text`` cut into (chunk, font) runs. Cached: letterheads and footers draw the same few
    strings on every page of every document."""
    if text.isascii():
        return ((text, font),)
    runs: list[tuple[str, str]] = []
    for ch in text:
        cp = ord(ch)
        f = CJK if cp not in _Coverage.main and cp in _Coverage.fallback else font
        if runs and runs[-1][1] == f:
            runs[-1] = (runs[-1][0] + ch, runs[-1][1])
        else:
            runs.append((ch, f))
    return tuple(runs)


@lru_cache(maxsize=256)
def fit_line(
    text: str, width: float, size: float, font: str = SANS, *, min_size: float | None = None
) -> tuple[str, float]:
    """Text and font size that fit ``width`` on one canvas line: shrink down to ``min_size``,
    then cut with an ellipsis. For letterheads and footers, which cannot wrap; cached, as
    they repeat on every page."""
    floor = min_size if min_size is not None else size
    while size > floor and runs_width(text, size, font) > width:
        size = max(floor, size - 0.5)
    if runs_width(text, size, font) <= width:
        return text, size
    while text and runs_width(text + "\u2026", size, font) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026", size
