"""The 人员 page: instant search, a paged table of workers, and the selected worker's dossier."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_service import RecordSyncState
from zwdesk.services.worker_browser_service import COUNT_CAP, WorkerBrowserService
from zwdesk.ui.follow_up_dialog import FollowUpDialog
from zwdesk.ui.form_fields import named
from zwdesk.ui.i18n import tr
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.placement_dialog import PlacementDialog
from zwdesk.ui.worker_detail import dossier_html
from zwdesk.ui.worker_dialog import WorkerDialog
from zwdesk.ui.worker_table_model import WorkerTableModel

# Shows a dialog modally and returns its result; tests pass one that does not block.
DialogRunner = Callable[[QDialog], int]
# A worker's records' sync states by ID number / placement code / follow-up UUID (None: off).
RecordSyncReader = Callable[[str], dict[str, RecordSyncState] | None]


def _exec(dialog: QDialog) -> int:
    return dialog.exec()


class _SearchBox(QLineEdit):
    """Down arrow or Enter moves on into the table: search, pick, act without the mouse."""

    def __init__(self, table: QTableView) -> None:
        super().__init__()
        self._table = table

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._table.setFocus()
            if not self._table.currentIndex().isValid() and self._table.model().rowCount():
                self._table.selectRow(0)
            return
        super().keyPressEvent(event)


class WorkersView(QWidget):
    """Reads through WorkerBrowserService, writes through StationService, then announces."""

    def __init__(
        self,
        browser: WorkerBrowserService,
        station: StationService,
        profile: StationProfileService,
        bus: OperationBus,
        *,
        run_dialog: DialogRunner = _exec,
        record_sync: RecordSyncReader | None = None,
    ) -> None:
        super().__init__()
        self._record_sync = record_sync
        self._browser = browser
        self._station = station
        self._profile = profile
        self._bus = bus
        self._run_dialog = run_dialog
        self.model = WorkerTableModel(browser)

        self.table = named(QTableView(), "workers_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((90, 170, 50, 100, 120)):
            self.table.setColumnWidth(column, width)
        self.table.doubleClicked.connect(lambda _index: self.edit_worker())
        self.table.activated.connect(lambda _index: self.edit_worker())

        self.search_box = _SearchBox(self.table)
        self.search_box.setObjectName("worker_search")
        self.search_box.setPlaceholderText(tr("按姓名、身份证号或电话查找（Ctrl+F）"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self.search)
        self.count_label = QLabel()

        self.add_button = QPushButton(tr("新增人员(&A)"))
        self.edit_button = QPushButton(tr("编辑(&E)"))
        self.placement_button = QPushButton(tr("新增就业记录(&J)"))
        self.follow_up_button = QPushButton(tr("记录回访(&V)"))
        self.add_button.clicked.connect(self.add_worker)
        self.edit_button.clicked.connect(self.edit_worker)
        self.placement_button.clicked.connect(self.add_placement)
        self.follow_up_button.clicked.connect(self.record_follow_up)
        QShortcut(QKeySequence.StandardKey.New, self, self.add_worker)

        self.detail = named(QTextBrowser(), "worker_detail")
        self.detail.setOpenLinks(False)

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.placement_button,
            self.follow_up_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.setTabOrder(self.search_box, self.table)
        self.setTabOrder(self.table, self.add_button)
        self.setTabOrder(self.add_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.placement_button)
        self.setTabOrder(self.placement_button, self.follow_up_button)
        self.setTabOrder(self.follow_up_button, self.detail)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        bus.operation_done.connect(self._refresh)
        self._update_count()
        self._show_detail()

    # -- search ---------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def search(self, text: str) -> None:
        self.model.search(text)
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._show_detail()

    def _update_count(self) -> None:
        total = self.model.total()
        if self.model.total_is_exact:
            self.count_label.setText(tr("共 {total} 人").format(total=total))
        else:
            self.count_label.setText(tr("超过 {total} 人").format(total=COUNT_CAP))

    # -- selection and detail ------------------------------------------------------------------
    def selected_id_number(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.id_number_at(index.row()) if index.isValid() else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        number = self.selected_id_number()
        dossier = self._browser.dossier(number) if number else None
        has_worker = dossier is not None
        for button in (self.edit_button, self.placement_button, self.follow_up_button):
            button.setEnabled(has_worker)
        if dossier is None:
            self.detail.setHtml(f"<p style='color:#666'>{tr('选择一个人员查看详情')}</p>")
            return
        self.follow_up_button.setEnabled(bool(dossier.placements))
        sync = self._record_sync(dossier.worker.id_number) if self._record_sync else None
        self.detail.setHtml(dossier_html(dossier, sync))

    def _refresh(self, _operation: str) -> None:
        number = self.selected_id_number()
        self.model.refresh()
        self.select(number)

    def select(self, id_number: str | None) -> None:
        row = self.model.row_of(id_number) if id_number else None
        if row is not None:
            self.table.selectRow(row)
        self._show_detail()

    # -- writes -------------------------------------------------------------------------------
    def add_worker(self) -> None:
        dialog = WorkerDialog(self._station, self._browser, parent=self)
        if self._run_dialog(dialog) and dialog.saved is not None:
            self._bus.announce(tr("新增人员"))
            if self.model.row_of(dialog.saved.id_number) is None:
                self.search_box.setText(dialog.saved.id_number)
            self.select(dialog.saved.id_number)

    def edit_worker(self) -> None:
        number = self.selected_id_number()
        worker = self._browser.worker(number) if number else None
        if worker is None:
            return
        dialog = WorkerDialog(self._station, self._browser, worker, parent=self)
        if self._run_dialog(dialog) and dialog.saved is not None:
            self._bus.announce(tr("编辑人员"))

    def add_placement(self) -> None:
        number = self.selected_id_number()
        worker = self._browser.worker(number) if number else None
        if worker is None:
            return
        dialog = PlacementDialog(
            self._station, self._browser, worker, self._profile.profile(), parent=self
        )
        if self._run_dialog(dialog) and dialog.saved is not None:
            self._bus.announce(tr("新增就业记录"))

    def record_follow_up(self) -> None:
        number = self.selected_id_number()
        if number is None:
            return
        placements = self._browser.placements(number)
        if not placements:
            return
        dialog = FollowUpDialog(self._station, placements, parent=self)
        if self._run_dialog(dialog) and dialog.saved is not None:
            self._bus.announce(tr("记录回访"))
