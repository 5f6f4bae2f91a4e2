"""SubsidyView(subsidy_service, bus, runner, parent=None, *, clock=date.today): every computed
subsidy row (补贴明细), filtered by item and year, with the selected row's explanation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zwdesk.services.subsidy_labels import ITEM_NAMES, ITEM_TITLES, format_money
from zwdesk.services.subsidy_service import (
    SubsidyOverview,
    SubsidyRow,
    SubsidyService,
    filter_rows,
)
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.overview_loader import OverviewLoader
from zwdesk.ui.task_runner import TaskRunner

_HEADERS = (
    translatable("项目"),
    translatable("年度"),
    translatable("对象"),
    translatable("备注"),
    translatable("应享"),
    translatable("已申领"),
    translatable("本次应付"),
)
# The services' item titles and names (ITEM_TITLES, ITEM_NAMES), marked here for translation:
# the window shows them through tr().
ITEM_TEXTS = (
    translatable("第一项 驻外劳务工作站就业创业服务补贴"),
    translatable("第二项 一次性交通补贴"),
    translatable("第三项 劳务中介带动就业奖补"),
    translatable("第四项 就业帮扶车间一次性补贴"),
    translatable("第五项 “点对点”转移就业输送"),
    translatable("第六项 零工市场（驿站）运营补贴"),
    translatable("第一项"),
    translatable("第二项"),
    translatable("第三项"),
    translatable("第四项"),
    translatable("第五项"),
    translatable("第六项"),
)
_Index = QModelIndex | QPersistentModelIndex


class SubsidyRowModel(QAbstractTableModel):
    """Flattened result rows (a city run has ~300,000: the model only formats visible cells)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SubsidyRow] = []

    def set_rows(self, rows: list[SubsidyRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(_HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                tr(row.item_name),
                tr("实施期内") if row.year is None else str(row.year),
                row.who,
                row.detail,
                format_money(row.entitlement),
                format_money(row.claimed),
                format_money(row.amount),
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SubsidyView(QWidget):
    """补贴明细: what each row is worth and why."""

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
        self.item_filter = QComboBox()
        self.item_filter.addItem(tr("全部项目"), None)
        for item, title in ITEM_TITLES.items():
            self.item_filter.addItem(tr(title), item)
        self.year_filter = QComboBox()
        self.year_filter.addItem(tr("全部年度"), None)
        self.total = QLabel("")
        self.state = QLabel("")
        self.state.setStyleSheet("color: #6b7280;")
        self.state.setMinimumWidth(
            self.state.fontMetrics().horizontalAdvance(tr("截至 {day}").format(day="2025-12-31"))
            + 8
        )
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("项目")))
        filters.addWidget(self.item_filter)
        filters.addWidget(QLabel(tr("年度")))
        filters.addWidget(self.year_filter)
        filters.addWidget(self.total, 1)
        filters.addWidget(self.state)

        self.model = SubsidyRowModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 70), (1, 80), (3, 150), (4, 120), (5, 120), (6, 120)):
            self.table.setColumnWidth(column, width)
        self.detail = QTextBrowser()
        self.detail.setPlaceholderText(tr("选中一行，查看计算理由"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)

        self.item_filter.currentIndexChanged.connect(self._apply_filters)
        self.year_filter.currentIndexChanged.connect(self._apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.loader.loaded.connect(self._show)
        self.loader.busy_changed.connect(self._busy)
        self.loader.failed.connect(self.state.setText)
        self.loader.refresh()

    def set_filters(self, item: int | None, year: int | None) -> None:
        """Choose 第n项 and a year (None = all)."""
        self.item_filter.setCurrentIndex(max(self.item_filter.findData(item), 0))
        self.year_filter.setCurrentIndex(max(self.year_filter.findData(year), 0))

    def _busy(self, busy: bool) -> None:
        if busy:
            self.state.setText(tr("计算中…"))
        elif self.loader.overview is not None:
            self.state.setText(tr("截至 {day}").format(day=self.loader.overview.as_of.isoformat()))

    def _show(self, overview: SubsidyOverview) -> None:
        chosen = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        self.year_filter.clear()
        self.year_filter.addItem(tr("全部年度"), None)
        for year in overview.years:
            self.year_filter.addItem(tr("{year}年").format(year=year), year)
        self.year_filter.setCurrentIndex(max(self.year_filter.findData(chosen), 0))
        self.year_filter.blockSignals(False)
        self._apply_filters()

    def _apply_filters(self) -> None:
        overview = self.loader.overview
        if overview is None:
            return
        rows = filter_rows(
            overview.rows, self.item_filter.currentData(), self.year_filter.currentData()
        )
        self.model.set_rows(rows)
        due = sum(row.amount for row in rows)
        self.total.setText(
            tr("共 {count} 条，本次应付合计 {money}").format(
                count=len(rows), money=format_money(due)
            )
        )
        self.detail.clear()
        if rows:
            self.table.selectRow(0)

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        row = self.model.rows[current.row()]
        year = tr("实施期内") if row.year is None else tr("{year}年").format(year=row.year)
        amounts = tr("应享 {entitlement}，已申领 {claimed}，本次应付 {amount}").format(
            entitlement=format_money(row.entitlement),
            claimed=format_money(row.claimed),
            amount=format_money(row.amount),
        )
        lines = [
            f"<h3>{_escape(tr(ITEM_NAMES[row.item]))} · {_escape(row.who)} · {year}</h3>",
            f"<p><b>{_escape(amounts)}</b></p><ol>",
            *(f"<li>{_escape(sentence)}</li>" for sentence in row.explanation),
            "</ol>",
        ]
        self.detail.setHtml("".join(lines))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
