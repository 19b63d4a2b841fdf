"""Story building blocks every document shares: section headings, free text, bullet lists.

Free text typed by staff always goes through ``paragraphs`` so it is escaped, set in a font
that has its characters, and laid out as flowing paragraphs that may break across pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, HRFlowable

from frontdesk.reports.flowables import Para
from frontdesk.reports.fonts import markup
from frontdesk.reports.styles import RULE, Styles

BULLET = "\u2022"


def section_heading(text: str, *, room: float = 1.1 * inch) -> list[Flowable]:
    """A heading with a hairline under it that starts a new page unless ``room`` is left for
    its first lines, so a heading never sits alone at the foot of a page."""
    st = Styles.get()
    rule = HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=0, spaceAfter=6)
    return [CondPageBreak(room), Para(text, st.heading), rule]


def paragraphs(text: str, *, lead: str = "") -> list[Flowable]:
    """Free text split at blank lines (single line breaks stay inside a paragraph); ``lead`` is
    markup put before the first paragraph, such as a bold label."""
    style = Styles.get().notes
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return [Para((lead if i == 0 else "") + markup(b), style) for i, b in enumerate(blocks)]


def bullets(items: Sequence[str], *, is_markup: bool = False) -> list[Flowable]:
    """One bulleted paragraph per item; plain text unless the caller built markup itself."""
    st = Styles.get()
    return [
        Para(item if is_markup else markup(item), st.bullet, bulletText=BULLET) for item in items
    ]
