"""DashboardView(subsidy_service, bus, runner, parent=None, *, clock=date.today): our items,
tiers and city targets this year (首页概览), recomputed in the background after every operation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from zwdesk.services.dashboard_summary import DashboardSummary, ItemSummary
from zwdesk.services.subsidy_labels import format_money
from zwdesk.services.subsidy_service import SubsidyOverview, SubsidyService
from zwdesk.ui.i18n import tr
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.overview_loader import OverviewLoader
from zwdesk.ui.target_bar import TargetBar, TierBar
from zwdesk.ui.task_runner import TaskRunner


def _label(text: str = "", *, size: int = 0, bold: bool = False, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    if size:
        font.setPointSizeF(font.pointSizeF() * size / 100)
    font.setBold(bold)
    label.setFont(font)
    return label


class _ItemCard(QGroupBox):
    """One item: the count behind it, the tier reached, what is due, the way to the next tier."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QGridLayout(self)
        self.count = _label(size=220, bold=True, wrap=False)
        self.count_label = _label()
        self.status = _label(bold=True)
        self.money = _label()
        self.bar = TierBar()
        self.next_step = _label()
        layout.addWidget(self.count, 0, 0, 2, 1)
        layout.addWidget(self.count_label, 0, 1)
        layout.addWidget(self.status, 1, 1)
        layout.addWidget(self.bar, 2, 0, 1, 2)
        layout.addWidget(self.money, 3, 0, 1, 2)
        layout.addWidget(self.next_step, 4, 0, 1, 2)
        layout.setColumnStretch(1, 1)

    def show_item(self, item: ItemSummary) -> None:
        self.setTitle(item.title)
        self.count.setText(str(item.count))
        self.count_label.setText(item.count_label)
        self.status.setText(item.status)
        self.bar.setVisible(bool(item.thresholds))
        self.bar.set_values(item.count, item.thresholds)
        self.money.setText(
            tr("应享补贴 {entitlement}　　本次可申领 {amount}").format(
                entitlement=format_money(item.entitlement), amount=format_money(item.amount)
            )
        )
        if item.missing is not None and item.next_threshold is not None:
            reward = f"，{format_money(item.next_amount)}" if item.next_amount else ""
            self.next_step.setText(
                tr("距下一档（{threshold}人{reward}）还差 {count} 人").format(
                    threshold=item.next_threshold, reward=reward, count=item.missing
                )
            )
        elif item.thresholds:
            self.next_step.setText(tr("已达最高档"))
        else:
            self.next_step.setText("")


class DashboardView(QWidget):
    """首页: numbers first, a bar where a picture says more."""

    def __init__(
        self,
        subsidy_service: SubsidyService,
        bus: OperationBus,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.loader = OverviewLoader(subsidy_service, bus, runner, clock, self)
        self.title = _label(tr("本站概览"), size=140, bold=True)
        self.state = _label("", wrap=False)
        self.state.setStyleSheet("color: #6b7280;")
        self.state.setMinimumWidth(
            self.state.fontMetrics().horizontalAdvance(tr("截至 {day}").format(day="2025-12-31"))
            + 8
        )
        self.headline = _label("", size=125, bold=True)
        self.headline.setStyleSheet("color: #1d4ed8;")
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.state)

        self._cards: list[_ItemCard] = []
        self._items_box = QVBoxLayout()
        self.targets_box = QGroupBox(tr("市级工作目标（本站人员）"))
        self._targets = QGridLayout(self.targets_box)
        self._targets.setColumnStretch(1, 1)
        self._target_rows: list[tuple[QLabel, TargetBar, QLabel]] = []

        content = QWidget()
        body = QVBoxLayout(content)
        body.addLayout(header)
        body.addWidget(self.headline)
        body.addLayout(self._items_box)
        body.addWidget(self.targets_box)
        body.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.loader.loaded.connect(self._show)
        self.loader.busy_changed.connect(self._busy)
        self.loader.failed.connect(self.state.setText)
        self.loader.refresh()

    @property
    def summary(self) -> DashboardSummary | None:
        """What is on screen now (None before the first computation finished)."""
        return self.loader.overview.summary if self.loader.overview else None

    def _busy(self, busy: bool) -> None:
        if busy:
            self.state.setText(tr("计算中…"))
        elif self.loader.overview is not None:
            self.state.setText(tr("截至 {day}").format(day=self.loader.overview.as_of.isoformat()))

    def _show(self, overview: SubsidyOverview) -> None:
        summary = overview.summary
        name = summary.organisation.name if summary.organisation else tr("本站")
        self.title.setText(tr("{name} · {year}年").format(name=name, year=summary.year))
        self.headline.setText(summary.headline)
        while len(self._cards) < len(summary.items):
            card = _ItemCard()
            self._cards.append(card)
            self._items_box.addWidget(card)
        for card, item in zip(self._cards, summary.items, strict=False):
            card.show_item(item)
        for index, card in enumerate(self._cards):
            card.setVisible(index < len(summary.items))
        self.targets_box.setTitle(
            tr("市级工作目标（本站本地户籍及常住人员，{year}年就业{count}人）").format(
                year=summary.year, count=summary.workers_this_year
            )
        )
        while len(self._target_rows) < len(summary.targets):
            row = len(self._target_rows)
            widgets = (_label(wrap=False), TargetBar(), _label(wrap=False))
            for column, widget in enumerate(widgets):
                self._targets.addWidget(widget, row, column)
            self._target_rows.append(widgets)
        for (name_label, bar, value), target in zip(
            self._target_rows, summary.targets, strict=False
        ):
            name_label.setText(target.label)
            bar.set_values(target.actual, target.target)
            actual = "—" if target.actual is None else f"{target.actual:.1%}"
            mark = "✓" if target.met else ""
            value.setText(
                tr("{actual}{mark}（{note}{count}人） 目标 ≥{target}").format(
                    actual=actual,
                    mark=mark,
                    note=target.note,
                    count=target.numerator,
                    target=f"{target.target:.0%}",
                )
            )
