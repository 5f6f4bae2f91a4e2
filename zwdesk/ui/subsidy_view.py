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

from zwdesk.services.subsidy_service import (
    ITEM_NAMES,
    ITEM_TITLES,
    SubsidyOverview,
    SubsidyRow,
    SubsidyService,
    filter_rows,
    format_money,
)
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.overview_loader import OverviewLoader
from zwdesk.ui.task_runner import TaskRunner

_HEADERS = ("项目", "年度", "对象", "备注", "应享", "已申领", "本次应付")
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
            return _HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.item_name,
                "实施期内" if row.year is None else str(row.year),
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
        self.item_filter.addItem("全部项目", None)
        for item, title in ITEM_TITLES.items():
            self.item_filter.addItem(title, item)
        self.year_filter = QComboBox()
        self.year_filter.addItem("全部年度", None)
        self.total = QLabel("")
        self.state = QLabel("")
        self.state.setStyleSheet("color: #6b7280;")
        self.state.setMinimumWidth(
            self.state.fontMetrics().horizontalAdvance("截至 2025-12-31") + 8
        )
        filters = QHBoxLayout()
        filters.addWidget(QLabel("项目"))
        filters.addWidget(self.item_filter)
        filters.addWidget(QLabel("年度"))
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
        self.detail.setPlaceholderText("选中一行，查看计算理由")
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
            self.state.setText("计算中…")
        elif self.loader.overview is not None:
            self.state.setText(f"截至 {self.loader.overview.as_of.isoformat()}")

    def _show(self, overview: SubsidyOverview) -> None:
        chosen = self.year_filter.currentData()
        self.year_filter.blockSignals(True)
        self.year_filter.clear()
        self.year_filter.addItem("全部年度", None)
        for year in overview.years:
            self.year_filter.addItem(f"{year}年", year)
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
        self.total.setText(f"共 {len(rows)} 条，本次应付合计 {format_money(due)}")
        self.detail.clear()
        if rows:
            self.table.selectRow(0)

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        row = self.model.rows[current.row()]
        year = "实施期内" if row.year is None else f"{row.year}年"
        lines = [
            f"<h3>{ITEM_NAMES[row.item]} · {row.who} · {year}</h3>",
            f"<p>应享 {format_money(row.entitlement)}，已申领 {format_money(row.claimed)}，"
            f"<b>本次应付 {format_money(row.amount)}</b></p><ol>",
            *(f"<li>{_escape(sentence)}</li>" for sentence in row.explanation),
            "</ol>",
        ]
        self.detail.setHtml("".join(lines))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
