"""BatchView(batch_service, bus, runner, parent=None): point-to-point batches (“点对点”输送) —
create a departure, scan passengers in (ID + Enter), see the eligible count against 10 and 35."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.model import Batch, BatchMode
from zwdesk.domain.money import format_yuan, yuan_to_fen
from zwdesk.domain.privacy import mask_id_number
from zwdesk.services.batch_service import BatchService
from zwdesk.services.station_scenario_service import StationDatabaseError
from zwdesk.services.station_service import StationInputError
from zwdesk.services.subsidy_labels import format_money
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.target_bar import TierBar
from zwdesk.ui.task_runner import TaskRunner


def _fen(text: str, field: str) -> int:
    try:
        return yuan_to_fen(text.strip() or "0")
    except ValueError as error:
        raise StationInputError(field, str(error)) from None


MODE_NAMES = {
    BatchMode.CHARTER: translatable("包车（包机）"),
    BatchMode.TICKETS: translatable("按人购票"),
}


class BatchView(QWidget):
    """点对点输送: one manifest at a time; the verdict is the policy engine's, live."""

    def __init__(
        self,
        batch_service: BatchService,
        bus: OperationBus,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = batch_service
        self._bus = bus
        self._runner = runner  # evaluating one batch takes milliseconds: no background task
        self.batch: Batch | None = None

        self.batches = QListWidget()
        self.departure = QDateEdit(QDate.currentDate())
        self.departure.setDisplayFormat("yyyy-MM-dd")
        self.departure.setCalendarPopup(True)
        self.origin = QLineEdit()
        self.origin.setPlaceholderText(tr("如 {code}").format(code="640522"))
        self.destination = QLineEdit()
        self.destination.setPlaceholderText(tr("如 {code}").format(code="320506"))
        self.organiser = QComboBox()
        self.mode = QComboBox()
        for mode, label in MODE_NAMES.items():
            self.mode.addItem(tr(label), mode.value)
        self.charter_cost = QLineEdit()
        self.charter_cost.setPlaceholderText(tr("发票金额，元"))
        create = QPushButton(tr("新建批次"))
        create.clicked.connect(self.create_batch)
        form_box = QGroupBox(tr("新建出发批次"))
        form = QFormLayout(form_box)
        form.addRow(tr("出发日期"), self.departure)
        form.addRow(tr("出发地"), self.origin)
        form.addRow(tr("目的地（县级代码）"), self.destination)
        form.addRow(tr("组织者"), self.organiser)
        form.addRow(tr("输送方式"), self.mode)
        form.addRow(tr("包车费用（元）"), self.charter_cost)
        form.addRow(create)
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("批次")))
        left.addWidget(self.batches, 1)
        left.addWidget(form_box)

        self.heading = QLabel(tr("请选择或新建一个批次"))
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.scan = QLineEdit()
        self.scan.setPlaceholderText(tr("输入或扫描身份证号，回车添加"))
        self.scan.returnPressed.connect(self.add_passenger)
        self.fare = QLineEdit()
        self.fare.setPlaceholderText(tr("车费（元）"))
        self.fare.setMaximumWidth(110)
        self.receipt = QLineEdit()
        self.receipt.setPlaceholderText(tr("票据号"))
        self.receipt.setMaximumWidth(150)
        self.fare.returnPressed.connect(self.add_passenger)
        self.receipt.returnPressed.connect(self.add_passenger)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.scan, 1)
        scan_row.addWidget(self.fare)
        scan_row.addWidget(self.receipt)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.passengers = QTableWidget(0, 4)
        self.passengers.setHorizontalHeaderLabels(
            [tr(h) for h in ("姓名", "身份证号", "车费（元）", "票据号")]
        )
        self.passengers.verticalHeader().setVisible(False)
        self.passengers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.passengers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.passengers.itemChanged.connect(self._cell_edited)
        remove = QPushButton(tr("移出名单"))
        remove.clicked.connect(self.remove_selected)

        self.eligible = QLabel(tr("符合条件 {count} 人").format(count=0))
        big = self.eligible.font()
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.eligible.setFont(big)
        self.bar = TierBar()
        self.verdict = QLabel("")
        self.verdict.setFont(font)
        self.explanation = QLabel("")
        self.explanation.setWordWrap(True)
        self.explanation.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status = QGroupBox(tr("第五项测算（按政策规则实时计算）"))
        status_layout = QVBoxLayout(status)
        status_layout.addWidget(self.eligible)
        status_layout.addWidget(self.bar)
        status_layout.addWidget(self.verdict)
        status_layout.addWidget(self.explanation)

        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addLayout(scan_row)
        right.addWidget(self.message)
        right.addWidget(self.passengers, 1)
        right.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(status)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 3)

        self.batches.currentTextChanged.connect(self.open_batch)
        bus.operation_done.connect(self._on_operation)
        self._reload()

    # -- loading --------------------------------------------------------------------------
    def _on_operation(self, _operation: str) -> None:
        self._reload()

    def _reload(self) -> None:
        current = self.batch.id if self.batch else None
        self.organiser.clear()
        for org in self._service.organisers():
            self.organiser.addItem(org.name, org.id)
        self.batches.blockSignals(True)
        self.batches.clear()
        self.batches.addItems(self._service.codes())
        self.batches.blockSignals(False)
        if current:
            matches = self.batches.findItems(current, Qt.MatchFlag.MatchExactly)
            if matches:
                self.batches.setCurrentItem(matches[0])

    def open_batch(self, code: str) -> None:
        """Show one batch's manifest and verdict."""
        if not code:
            return
        self._show(self._service.get(code))

    def _show(self, batch: Batch) -> None:
        self.batch = batch
        mode = tr(MODE_NAMES[batch.mode])
        cost = (
            tr("，包车费用 {money}").format(money=format_money(batch.charter_cost))
            if batch.charter_cost
            else ""
        )
        self.heading.setText(
            tr("批次 {code}：{day} 前往 {county}，{mode}{cost}，乘客 {count} 人").format(
                code=batch.id,
                day=batch.departure.isoformat(),
                county=batch.destination_county,
                mode=mode,
                cost=cost,
                count=len(batch.passengers),
            )
        )
        names = self._service.passenger_names(batch)
        self.passengers.blockSignals(True)
        self.passengers.setRowCount(len(batch.passengers))
        for row, passenger in enumerate(batch.passengers):
            cells = (
                names.get(passenger.worker, ""),
                mask_id_number(passenger.worker),
                format_yuan(passenger.fare),
                passenger.receipt or "",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, passenger.worker)
                if column < 2:
                    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
                self.passengers.setItem(row, column, item)
        self.passengers.blockSignals(False)
        verdict = self._service.evaluate(batch)
        self.eligible.setText(tr("符合条件 {count} 人").format(count=verdict.eligible))
        self.bar.set_values(
            verdict.eligible, (verdict.fare_min_passengers, verdict.charter_min_passengers)
        )
        self.verdict.setText(
            tr("结果：{kind}　金额 {money}").format(
                kind=verdict.kind_label, money=format_money(verdict.amount)
            )
        )
        self.explanation.setText("\n".join(verdict.explanation))

    # -- writes ---------------------------------------------------------------------------
    def _run(self, operation: str, write: object) -> None:
        """`operation` (a translatable name) is announced on the bus and shown translated."""
        try:
            assert callable(write)
            batch = write()
        except (StationInputError, StationDatabaseError) as error:
            # A wrong value, or a storage failure (database locked, a rule broken): say it.
            self.message.setStyleSheet("color: #b91c1c;")
            self.message.setText(str(error))
            return
        self.message.setStyleSheet("color: #15803d;")
        self.message.setText(tr("{operation}：完成").format(operation=tr(operation)))
        self._show(batch)
        self._bus.announce(operation)

    def create_batch(self) -> None:
        """新建批次 from the form."""
        day = self.departure.date()

        def write() -> Batch:
            cost_text = self.charter_cost.text().strip()
            return self._service.create_batch(
                date(day.year(), day.month(), day.day()),
                self.destination.text(),
                self.mode.currentData(),
                organiser=self.organiser.currentData() or "",
                origin=self.origin.text() or None,
                charter_cost=_fen(cost_text, tr("包车费用")) if cost_text else None,
            )

        self._run(translatable("新建批次"), write)

    def add_passenger(self) -> None:
        """Enter in the ID field (a scanner types the number and Enter)."""
        if self.batch is None:
            self.message.setText(tr("请先选择或新建一个批次"))
            return
        code = self.batch.id

        def write() -> Batch:
            return self._service.add_passenger(
                code, self.scan.text(), _fen(self.fare.text(), tr("车费")), self.receipt.text()
            )

        self._run(translatable("添加乘客"), write)
        self.scan.clear()
        self.receipt.clear()
        self.scan.setFocus()

    def _cell(self, row: int, column: int) -> str:
        item = self.passengers.item(row, column)
        return item.text() if item is not None else ""

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        if self.batch is None or item.column() < 2:
            return
        row, code = item.row(), self.batch.id
        worker = str(item.data(Qt.ItemDataRole.UserRole))

        def write() -> Batch:
            return self._service.update_passenger(
                code, worker, _fen(self._cell(row, 2), tr("车费")), self._cell(row, 3)
            )

        self._run(translatable("修改乘客车费"), write)

    def remove_selected(self) -> None:
        """Take the selected passenger off the manifest."""
        rows = self.passengers.selectionModel().selectedRows()
        if self.batch is None or not rows:
            return
        code = self.batch.id
        first = self.passengers.item(rows[0].row(), 0)
        if first is None:
            return
        worker = str(first.data(Qt.ItemDataRole.UserRole))
        self._run(translatable("移出乘客"), lambda: self._service.remove_passenger(code, worker))
