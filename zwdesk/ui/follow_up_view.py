"""FollowUpView(subsidy_service, station_service, bus, runner, parent=None, *, clock=date.today):
the follow-up worklist (回访清单); Enter opens a pre-filled record, Ctrl+Enter records 在岗 now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.model import FollowUpMethod, FollowUpResult
from zwdesk.domain.privacy import mask_id_number
from zwdesk.services.follow_up_worklist import WorklistEntry
from zwdesk.services.station_scenario_service import StationDatabaseError
from zwdesk.services.station_service import StationInputError, StationService
from zwdesk.services.subsidy_labels import format_money
from zwdesk.services.subsidy_service import SubsidyOverview, SubsidyService
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.overview_loader import OverviewLoader
from zwdesk.ui.task_runner import TaskRunner

_HEADERS = (
    translatable("姓名"),
    translatable("身份证号"),
    translatable("联系电话"),
    translatable("用工单位"),
    translatable("务工地"),
    translatable("开始日期"),
    translatable("满期日"),
    translatable("状态"),
    translatable("涉及金额"),
    translatable("说明"),
)
_Index = QModelIndex | QPersistentModelIndex


class WorklistModel(QAbstractTableModel):
    """The worklist entries; rows just recorded are greyed until the next computation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: tuple[WorklistEntry, ...] = ()
        self.as_of = date.today()
        self.recorded: set[str] = set()

    def set_entries(self, entries: tuple[WorklistEntry, ...], as_of: date) -> None:
        self.beginResetModel()
        self.entries, self.as_of = entries, as_of
        self.recorded = set()
        self.endResetModel()

    def row_of(self, placement: str) -> int | None:
        """The row now showing `placement` (rows move when the worklist is recomputed)."""
        return next((i for i, e in enumerate(self.entries) if e.placement == placement), None)

    def mark_recorded(self, placement: str) -> None:
        self.recorded.add(placement)
        row = self.row_of(placement)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(_HEADERS) - 1))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return tr(_HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entries[index.row()]
        done = entry.placement in self.recorded
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                entry.worker_name,
                mask_id_number(entry.worker),
                entry.phone or "—",
                entry.employer or "—",
                entry.work_place,
                entry.start.isoformat(),
                entry.qualifies_on.isoformat(),
                tr("已记录回访") if done else entry.status(self.as_of),
                format_money(entry.value),
                entry.reason,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            if done:
                return QColor("#9ca3af")
            if index.column() == 7 and entry.days_left(self.as_of) <= 0:
                return QColor("#b45309")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 8:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _WorklistTable(QTableView):
    """Enter: open the record dialog; Ctrl+Enter: record 在岗 today by phone at once."""

    open_requested = Signal()
    quick_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.quick_requested.emit()
            else:
                self.open_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class FollowUpDialogLite(QDialog):
    """A small record form pre-filled with today / 电话 / 在岗; OK has the focus."""

    def __init__(self, entry: WorklistEntry, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("记录回访"))
        form = QFormLayout()
        form.addRow(tr("人员"), QLabel(f"{entry.worker_name}（{mask_id_number(entry.worker)}）"))
        form.addRow(tr("联系电话"), QLabel(entry.phone or tr("未登记")))
        form.addRow(
            tr("就业"),
            QLabel(
                tr("{employer}，{start}起").format(
                    employer=entry.employer or "—", start=entry.start.isoformat()
                )
            ),
        )
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setCalendarPopup(True)
        self.day.setMaximumDate(QDate(today.year, today.month, today.day))
        self.method = QComboBox()
        for method in FollowUpMethod:
            self.method.addItem(tr(method.value), method.value)
        self.outcome = QComboBox()
        for outcome in FollowUpResult:
            self.outcome.addItem(tr(outcome.value), outcome.value)
        self.note = QLineEdit()
        form.addRow(tr("回访日期"), self.day)
        form.addRow(tr("回访方式"), self.method)
        form.addRow(tr("回访结果"), self.outcome)
        form.addRow(tr("备注"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b91c1c;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.ok_button.setFocus()

    def chosen_day(self) -> date:
        value = self.day.date()
        return date(value.year(), value.month(), value.day())


class FollowUpView(QWidget):
    """回访清单: who to call first, and a two-keystroke way to record the answer."""

    def __init__(
        self,
        subsidy_service: SubsidyService,
        station_service: StationService,
        bus: OperationBus,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self._station = station_service
        self._bus = bus
        self._clock = clock
        self.loader = OverviewLoader(subsidy_service, bus, runner, clock, self)
        self.headline = QLabel("")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.headline.setFont(font)
        self.headline.setStyleSheet("color: #1d4ed8;")
        self.state = QLabel("")
        self.state.setStyleSheet("color: #6b7280;")
        self.state.setMinimumWidth(
            self.state.fontMetrics().horizontalAdvance(tr("截至 {day}").format(day="2025-12-31"))
            + 8
        )
        self.model = WorklistModel(self)
        self.table = _WorklistTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.open_record_dialog())
        self.table.open_requested.connect(self.open_record_dialog)
        self.table.quick_requested.connect(self.record_employed_now)
        record = QPushButton(tr("记录回访…（Enter）"))
        record.clicked.connect(self.open_record_dialog)
        quick = QPushButton(tr("在岗·今天·电话（Ctrl+Enter）"))
        quick.clicked.connect(self.record_employed_now)
        self.message = QLabel("")
        buttons = QHBoxLayout()
        buttons.addWidget(record)
        buttons.addWidget(quick)
        buttons.addWidget(self.message, 1)
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.state)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.loader.loaded.connect(self._show)
        self.loader.busy_changed.connect(self._busy)
        self.loader.failed.connect(self.state.setText)
        self.loader.refresh()

    def _busy(self, busy: bool) -> None:
        if busy:
            self.state.setText(tr("计算中…"))
        elif self.loader.overview is not None:
            self.state.setText(tr("截至 {day}").format(day=self.loader.overview.as_of.isoformat()))

    def _show(self, overview: SubsidyOverview) -> None:
        selected = self._selected_entry()
        self.model.set_entries(overview.worklist, overview.as_of)
        count = len(overview.worklist)
        self.headline.setText(
            overview.summary.headline + tr("　（待回访{count}人）").format(count=count)
            if count
            else tr("暂无待回访人员")
        )
        row = 0
        if selected is not None:
            row = next(
                (i for i, e in enumerate(overview.worklist) if e.placement == selected.placement),
                0,
            )
        if count:
            self.table.selectRow(row)
        self.table.setFocus()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _selected_entry(self) -> WorklistEntry | None:
        row = self._selected_row()
        return self.model.entries[row] if row is not None else None

    def open_record_dialog(self) -> None:
        """Enter on a row: the pre-filled form; Enter again saves."""
        entry = self._selected_entry()
        if entry is None:
            return
        dialog = FollowUpDialogLite(entry, self._clock(), self)
        # The worklist may be recomputed (and reordered) while the dialog is open: the record
        # goes to the placement the dialog shows, never to whoever is now on that row.
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self._record(
                    entry,
                    dialog.chosen_day(),
                    str(dialog.method.currentData()),
                    str(dialog.outcome.currentData()),
                    dialog.note.text(),
                )
            except (StationInputError, StationDatabaseError) as error:
                dialog.error.setText(str(error))
                continue
            break

    def record_employed_now(self) -> None:
        """Ctrl+Enter: 在岗, today, by phone."""
        entry = self._selected_entry()
        if entry is None:
            return
        try:
            self._record(entry, self._clock(), FollowUpMethod.PHONE, FollowUpResult.EMPLOYED, "")
        except (StationInputError, StationDatabaseError) as error:
            self.message.setText(str(error))

    def _record(self, entry: WorklistEntry, day: date, method: str, result: str, note: str) -> None:
        self._station.record_follow_up(
            entry.placement, day, method, result, note=note, today=self._clock()
        )
        self.model.mark_recorded(entry.placement)
        self.message.setText(
            tr("已记录：{name} {day} {method} {result}").format(
                name=entry.worker_name, day=day.isoformat(), method=tr(method), result=tr(result)
            )
        )
        row = self.model.row_of(entry.placement)
        if row is not None and row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)  # the next person to call
        self._bus.announce("记录回访")
