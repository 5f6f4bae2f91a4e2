"""Two small painted bars: a count against tier thresholds, and a share against its target."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

_TRACK = QColor("#e4e7eb")
_REACHED = QColor("#2e7d32")
_SHORT = QColor("#ef8c00")
_TICK = QColor("#37474f")


class TierBar(QWidget):
    """A count on a scale with a tick and label at each threshold (e.g. 200/300/400/500人)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._thresholds: tuple[int, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(160)

    def set_values(self, count: int, thresholds: Sequence[int]) -> None:
        """Show `count` against ascending `thresholds`."""
        self._count = count
        self._thresholds = tuple(sorted(thresholds))
        self.setToolTip(f"{count}（门槛：{'、'.join(str(t) for t in self._thresholds)}）")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 20 + self.fontMetrics().height() + 6)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 20 + self.fontMetrics().height() + 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        top_label = metrics.horizontalAdvance(str(max(self._thresholds, default=0))) / 2 + 2
        left, right = top_label, self.width() - top_label - 1
        bar = QRectF(left, 4, max(right - left, 1), 14)
        scale = max([*self._thresholds, self._count, 1]) * 1.08
        reached = any(self._count >= t for t in self._thresholds)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_TRACK)
        painter.drawRoundedRect(bar, 4, 4)
        filled = QRectF(bar)
        filled.setWidth(bar.width() * min(self._count / scale, 1.0))
        painter.setBrush(_REACHED if reached else _SHORT)
        painter.drawRoundedRect(filled, 4, 4)
        painter.setPen(QPen(_TICK, 1.5))
        for threshold in self._thresholds:
            x = bar.left() + bar.width() * threshold / scale
            painter.drawLine(int(x), int(bar.top()) - 2, int(x), int(bar.bottom()) + 2)
            text = str(threshold)
            width = metrics.horizontalAdvance(text)
            painter.drawText(int(x - width / 2), int(bar.bottom()) + 3 + metrics.ascent(), text)
        painter.end()


class TargetBar(QWidget):
    """A share (0–100%) with a marker at its target; green when met, orange when short."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actual: float | None = None
        self._target = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(120)

    def set_values(self, actual: float | None, target: float) -> None:
        """`actual` None means no one to measure yet (an empty track)."""
        self._actual = actual
        self._target = target
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(240, 18)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = QRectF(1, 3, self.width() - 2, self.height() - 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_TRACK)
        painter.drawRoundedRect(bar, 3, 3)
        if self._actual is not None:
            filled = QRectF(bar)
            filled.setWidth(bar.width() * max(0.0, min(self._actual, 1.0)))
            painter.setBrush(_REACHED if self._actual >= self._target else _SHORT)
            painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(QPen(_TICK, 2))
        x = bar.left() + bar.width() * self._target
        painter.drawLine(int(x), 0, int(x), self.height())
        painter.end()
