"""Colours and paragraph styles shared by every printed document (dates and times are
written by ``frontdesk.timefmt``, the same functions the screens use).

One place for the look, so a handout, a card and a day sheet from the same clinic read as a
set.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table, TableStyle

from frontdesk.reports.fonts import SANS, SANS_BOLD, SANS_ITALIC, register_fonts

ACCENT = colors.HexColor("#1d6a6a")
ACCENT_LIGHT = colors.HexColor("#e7f1f0")
INK = colors.HexColor("#1f2a30")
MUTED = colors.HexColor("#5c6870")
RULE = colors.HexColor("#c5d1d3")
ZEBRA = colors.HexColor("#f4f7f7")
WARN = colors.HexColor("#9c3526")
WARN_LIGHT = colors.HexColor("#fbefec")

# Table cells: the size and leading of the ``cell`` styles, and ReportLab's default padding.
CELL_SIZE = 9
CELL_LEADING = 11.5
CELL_PADDING = 6


class Styles:
    """The paragraph styles, built once after the fonts are registered."""

    _built: Styles | None = None

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle(
            "body", fontName=SANS, fontSize=10, leading=14, textColor=INK, alignment=TA_LEFT
        )
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=MUTED)
        self.title = ParagraphStyle(
            "title",
            base,
            fontName=SANS_BOLD,
            fontSize=20,
            leading=25,
            textColor=INK,
            spaceAfter=2,
        )
        self.subtitle = ParagraphStyle(
            "subtitle", base, fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=10
        )
        self.heading = ParagraphStyle(
            "heading",
            base,
            fontName=SANS_BOLD,
            fontSize=12.5,
            leading=16,
            textColor=ACCENT,
            spaceBefore=14,
            spaceAfter=5,
        )
        self.subheading = ParagraphStyle(
            "subheading",
            base,
            fontName=SANS_BOLD,
            fontSize=10,
            leading=14,
            spaceBefore=6,
            spaceAfter=2,
        )
        self.label = ParagraphStyle("label", base, fontSize=7.5, leading=9.5, textColor=MUTED)
        self.value = ParagraphStyle("value", base, fontName=SANS_BOLD, fontSize=10.5, leading=13)
        self.bullet = ParagraphStyle(
            "bullet", base, leftIndent=14, bulletIndent=3, spaceAfter=3, bulletFontName=SANS
        )
        self.cell = ParagraphStyle("cell", base, fontSize=CELL_SIZE, leading=CELL_LEADING)
        self.cell_bold = ParagraphStyle("cell_bold", self.cell, fontName=SANS_BOLD)
        self.cell_head = ParagraphStyle(
            "cell_head", self.cell, fontName=SANS_BOLD, textColor=colors.white
        )
        self.cell_muted = ParagraphStyle("cell_muted", self.cell, textColor=MUTED)
        self.notes = ParagraphStyle("notes", base, spaceAfter=6)
        self.italic = ParagraphStyle("italic", base, fontName=SANS_ITALIC, textColor=MUTED)
        self.warn = ParagraphStyle("warn", base, fontSize=9.5, leading=13)
        self.warn_bullet = ParagraphStyle(
            "warn_bullet", self.warn, leftIndent=11, bulletIndent=0, bulletFontName=SANS
        )

    @classmethod
    def get(cls) -> Styles:
        if cls._built is None:
            cls._built = cls()
        return cls._built


def table_style(commands: list[tuple[object, ...]]) -> TableStyle:
    """A TableStyle in the embedded font: ReportLab's default cell font is Helvetica, which
    would otherwise be named (not embedded) in the PDF even when every cell is a Paragraph."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), SANS), *commands])


def listing_table(
    rows: list[list[object]],
    widths: list[float],
    *,
    valign: str = "MIDDLE",
    padding: float = 4,
    zebra: bool = True,
    commands: Sequence[tuple[object, ...]] = (),
) -> Table:
    """The house table for lists of appointments: accent header row repeated on every page,
    hairlines between rows, optional zebra striping. Rows may split across pages; ``commands``
    add to the style (fonts and colours of plain-string cells)."""
    style: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ]
    if zebra:
        style += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(2, len(rows), 2)]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style([*style, *commands]))
    return table
