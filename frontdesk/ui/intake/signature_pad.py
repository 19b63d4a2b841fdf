"""A box the patient signs in with a mouse, a pen or a finger.

Strokes are kept as lists of points in the pad's own coordinates (mouse, tablet and touch events
all end up there), drawn as smooth lines, and handed over as a PNG (``to_png``) cropped to the
ink with a small margin, which is what a consent stores and prints.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QEvent,
    QIODevice,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QImageWriter,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor("#10243a")
PEN_WIDTH = 3.0
PNG_SCALE = 2  # stored at twice the screen's size, so the printed signature is not jagged
MARGIN = 8


class SignaturePad(QWidget):
    """Records strokes; ``changed`` fires when one is added or the pad is cleared.

    Signals:
        changed(): the drawing changed (a stroke finished, or the pad was cleared).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._strokes: list[list[QPointF]] = []
        self._current: list[QPointF] | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(160)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setObjectName("signaturePad")
        self.setAccessibleName("Signature box: sign here with the mouse, a pen or a finger")

    def sizeHint(self) -> QSize:
        return QSize(560, 180)

    # -- the drawing --------------------------------------------------------------------------
    @property
    def strokes(self) -> list[list[tuple[float, float]]]:
        return [[(p.x(), p.y()) for p in stroke] for stroke in self._strokes]

    def is_empty(self) -> bool:
        return not any(len(s) > 0 for s in self._strokes)

    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self.update()
        self.changed.emit()

    def add_stroke(self, points: list[tuple[float, float]]) -> None:
        """One stroke as a list of (x, y) points, as if drawn (tests, screenshots)."""
        if points:
            self._strokes.append([QPointF(x, y) for x, y in points])
            self.update()
            self.changed.emit()

    def _begin(self, pos: QPointF) -> None:
        self._current = [pos]
        self._strokes.append(self._current)
        self.update()

    def _extend(self, pos: QPointF) -> None:
        if self._current is not None:
            self._current.append(pos)
            self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.changed.emit()

    # -- input --------------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position())
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._extend(event.position())
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()  # no synthesised mouse events: the pen's stroke is drawn once

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                pos = points[0].position()
                if kind == QEvent.Type.TouchBegin:
                    self._begin(pos)
                elif kind == QEvent.Type.TouchUpdate:
                    self._extend(pos)
                else:
                    self._extend(pos)
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # -- painting -----------------------------------------------------------------------------
    def _path(self) -> QPainterPath:
        path = QPainterPath()
        for stroke in self._strokes:
            if not stroke:
                continue
            path.moveTo(stroke[0])
            if len(stroke) == 1:  # a dot
                path.lineTo(stroke[0] + QPointF(0.5, 0.5))
            for point in stroke[1:]:
                path.lineTo(point)
        return path

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        painter.setPen(QPen(QColor("#b9c6cd"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        baseline = self.height() - 34
        painter.drawLine(24, baseline, self.width() - 24, baseline)
        painter.setPen(QColor("#8a9aa4"))
        painter.drawText(24, baseline + 20, "Sign above the line")
        painter.setPen(_pen(PEN_WIDTH))
        painter.drawPath(self._path())
        painter.end()

    def to_png(self) -> bytes:
        """The signature as a PNG on a transparent background, cropped to the ink; b"" when
        nothing was drawn."""
        if self.is_empty():
            return b""
        path = self._path()
        bounds: QRectF = path.boundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        size = QSize(
            max(1, int(bounds.width() * PNG_SCALE)), max(1, int(bounds.height() * PNG_SCALE))
        )
        image = QImage(size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(PNG_SCALE, PNG_SCALE)
        painter.translate(-bounds.topLeft())
        painter.setPen(_pen(PEN_WIDTH))
        painter.drawPath(path)
        painter.end()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # QImageWriter, not QImage.save: PySide's save() refuses the bytes its stubs ask for.
        QImageWriter(buffer, QByteArray(b"png")).write(image)
        buffer.close()
        return bytes(buffer.data().data())


def _pen(width: float) -> QPen:
    pen = QPen(INK, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen
