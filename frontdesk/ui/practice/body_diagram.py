"""A plain front and back figure marking the session's points, painted here with QPainter.

No image files (nothing copyrighted): the figure is a few shapes in the same 0-to-1 frame the
point catalogue uses (``AcuPoint.view``, ``x``, ``y``), so a point added to the catalogue
appears in the right place without touching this module. The front view shows the patient
facing the reader (their left on the right); the back view shows their left on the left.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from frontdesk.needling.catalogue import find_point
from frontdesk.needling.types import ChosenPoint, Side

FIGURE_ASPECT = 0.75  # width : height of the frame the positions are given in
MARGIN, GAP, CAPTION = 8.0, 28.0, 18.0
SKIN = QColor("#eef1f4")
OUTLINE = QColor("#8a96a3")
MARK = QColor("#0b6e69")
LABEL = QColor("#1d2a36")

# The left half of the figure (x > 0.5 on the front view); the other half is its mirror.
_TORSO = [
    (0.5, 0.163),
    (0.60, 0.165),
    (0.665, 0.185),
    (0.648, 0.24),
    (0.632, 0.33),
    (0.64, 0.44),
    (0.652, 0.505),
    (0.5, 0.525),
]
_ARM = [(0.662, 0.19), (0.725, 0.34), (0.775, 0.47)]
_LEG = [(0.572, 0.50), (0.585, 0.72), (0.587, 0.93)]


class BodyDiagram(QWidget):
    """Front and back figures with a dot (and the code) for each chosen point and side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: tuple[ChosenPoint, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 230)

    def sizeHint(self) -> QSize:
        return QSize(380, 330)

    def set_points(self, points: tuple[ChosenPoint, ...]) -> None:
        self._points = tuple(points)
        self.update()

    def marks(self) -> list[tuple[str, str, float, float]]:
        """Each dot drawn: (code, view, x, y) in the figure's 0-to-1 frame (what tests read)."""
        out = []
        for chosen in self._points:
            point = find_point(chosen.code)
            if point is None:
                continue
            if point.midline or chosen.side is Side.MIDLINE:
                sides = [True]
            elif chosen.side is Side.BOTH:
                sides = [True, False]
            else:
                sides = [chosen.side is Side.LEFT]
            for left in sides:
                x, y = point.place(left)
                out.append((point.code, point.view, x, y))
        return out

    # -- painting -----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frames = self._frames()
        width = frames["front"].width()
        font = QFont(painter.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        painter.setFont(font)
        for view, frame in frames.items():
            self._figure(painter, frame, view)
            painter.setPen(LABEL)
            painter.drawText(
                QRectF(frame.left(), frame.top() - CAPTION, frame.width(), CAPTION),
                Qt.AlignmentFlag.AlignCenter,
                "Front" if view == "front" else "Back",
            )
            # Which side is which: the patient's right is on the reader's left from the front.
            sides = ("R", "L") if view == "front" else ("L", "R")
            painter.setPen(OUTLINE)
            painter.drawText(
                QRectF(frame.left(), frame.bottom() - 16, 16, 16),
                Qt.AlignmentFlag.AlignLeft,
                sides[0],
            )
            painter.drawText(
                QRectF(frame.right() - 16, frame.bottom() - 16, 16, 16),
                Qt.AlignmentFlag.AlignRight,
                sides[1],
            )
        radius = max(3.0, width / 55)
        taken: list[QRectF] = []
        for code, view, x, y in self.marks():
            frame = frames[view]
            at = QPointF(frame.left() + x * frame.width(), frame.top() + y * frame.height())
            painter.setPen(QPen(QColor("white"), 1.5))
            painter.setBrush(MARK)
            painter.drawEllipse(at, radius, radius)
            painter.setPen(MARK)
            right_half = x >= 0.5
            text_rect = (
                QRectF(at.x() + radius + 2, at.y() - 8, 60, 16)
                if right_half
                else QRectF(at.x() - radius - 62, at.y() - 8, 60, 16)
            )
            align = Qt.AlignmentFlag.AlignLeft if right_half else Qt.AlignmentFlag.AlignRight
            text_rect = _free_place(
                text_rect, taken, painter.fontMetrics().horizontalAdvance(code), not right_half
            )
            painter.drawText(text_rect, align | Qt.AlignmentFlag.AlignVCenter, code)
        painter.end()

    def _frames(self) -> dict[str, QRectF]:
        """Where the two figures go: side by side, or one above the other when the widget is
        tall and narrow, whichever draws them larger."""
        w, h = self.width() - 2 * MARGIN, self.height() - 2 * MARGIN
        beside = min(h - CAPTION, (w - GAP) / 2 / FIGURE_ASPECT)
        stacked = min((h - GAP) / 2 - CAPTION, w / FIGURE_ASPECT)
        height = max(beside, stacked, 10.0)
        width = height * FIGURE_ASPECT
        if beside >= stacked:
            left = (self.width() - 2 * width - GAP) / 2
            top = MARGIN + CAPTION
            return {
                "front": QRectF(left, top, width, height),
                "back": QRectF(left + width + GAP, top, width, height),
            }
        left = (self.width() - width) / 2
        return {
            "front": QRectF(left, MARGIN + CAPTION, width, height),
            "back": QRectF(left, MARGIN + 2 * CAPTION + height + GAP, width, height),
        }

    def _figure(self, painter: QPainter, frame: QRectF, view: str) -> None:
        def at(x: float, y: float) -> QPointF:
            return QPointF(frame.left() + x * frame.width(), frame.top() + y * frame.height())

        outline = QPen(OUTLINE, 1.2)
        # Limbs: thick round strokes, outlined by drawing each twice.
        for mirror in (False, True):
            for path_points, thick in ((_ARM, 0.055), (_LEG, 0.085)):
                path = QPainterPath()
                for i, (x, y) in enumerate(path_points):
                    point = at(1 - x if mirror else x, y)
                    if i == 0:
                        path.moveTo(point)
                    else:
                        path.lineTo(point)
                w = thick * frame.width()
                painter.setBrush(Qt.BrushStyle.NoBrush)
                pen = QPen(OUTLINE, w + 2.4)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.drawPath(path)
                pen = QPen(SKIN, w)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
                painter.setPen(pen)
                painter.drawPath(path)
            # Hands and feet.
            hx = 1 - 0.79 if mirror else 0.79
            fx = 1 - 0.59 if mirror else 0.59
            painter.setPen(outline)
            painter.setBrush(SKIN)
            painter.drawEllipse(at(hx, 0.52), 0.028 * frame.width(), 0.045 * frame.height())
            painter.drawEllipse(at(fx, 0.962), 0.035 * frame.width(), 0.022 * frame.height())
        torso = [at(x, y) for x, y in _TORSO] + [at(1 - x, y) for x, y in reversed(_TORSO)]
        painter.setPen(outline)
        painter.setBrush(SKIN)
        painter.drawPolygon(QPolygonF(torso))
        painter.drawRect(QRectF(at(0.47, 0.125), at(0.53, 0.17)))
        painter.drawEllipse(at(0.5, 0.075), 0.062 * frame.width(), 0.06 * frame.height())
        hint = QPen(OUTLINE, 0.8, Qt.PenStyle.DotLine)
        painter.setPen(hint)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if view == "front":
            painter.drawEllipse(at(0.5, 0.40), 2.0, 2.0)  # the navel
            painter.drawLine(at(0.5, 0.085), at(0.5, 0.097))  # the nose
            for x in (0.58, 0.42):
                painter.drawEllipse(at(x, 0.255), 2.0, 2.0)
        else:
            painter.drawLine(at(0.5, 0.165), at(0.5, 0.48))  # the spine
            for x0, x1 in ((0.40, 0.46), (0.54, 0.60)):
                painter.drawLine(at(x0, 0.20), at(x1, 0.19))  # the spines of the scapulae


def _free_place(
    rect: QRectF, taken: list[QRectF], text_width: float, right_aligned: bool
) -> QRectF:
    """``rect`` moved down (then up) until its text clashes with no label drawn before, so
    neighbouring points (PC6 and PC7) stay readable; the place is then taken."""

    def box(r: QRectF) -> QRectF:
        left = r.right() - text_width if right_aligned else r.left()
        return QRectF(left, r.top(), text_width, r.height())

    for step in (0, 1, -1, 2, -2, 3, -3):
        moved = rect.translated(0, step * rect.height() * 0.8)
        if not any(box(moved).intersects(other) for other in taken):
            taken.append(box(moved))
            return moved
    taken.append(box(rect))
    return rect
