"""The main window: navigation list on the left, one page at a time, menus and status bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from zwdesk.services.sync_sender import SyncState, SyncStatus
from zwdesk.ui.enrol_dialog import EnrolDialog
from zwdesk.ui.error_dialogs import show_error
from zwdesk.ui.i18n import tr
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.sync_controller import SyncController
from zwdesk.ui.sync_status import SyncStatusWidget
from zwdesk.ui.task_runner import TaskCancelled, TaskRunner

# A page of the window: its title in the navigation list and its widget.
Page = tuple[str, QWidget]
# Backs the database up to a file and returns when it finished (runs on a worker thread).
BackupFunction = Callable[[Path], datetime]
# The file name offered for a backup, asked anew each time (it carries the time of day).
BackupNameFunction = Callable[[], str]
# Builds the 同步登记 dialog over the window (the composition root knows the services).
EnrolDialogFactory = Callable[[QWidget], EnrolDialog]
# Builds the 本站信息 dialog (the station profile) over the window.
ProfileDialogFactory = Callable[[QWidget], QDialog]
MAX_SHORTCUT_PAGES = 9


class MainWindow(QMainWindow):
    """Hosts the pages it is given; knows nothing about what they show."""

    def __init__(
        self,
        pages: Sequence[Page],
        bus: OperationBus,
        runner: TaskRunner,
        settings: QSettings,
        *,
        database_path: Path,
        station_name: str = "",
        backup: BackupFunction | None = None,
        suggested_backup_name: BackupNameFunction | None = None,
        sync: SyncController | None = None,
        enrol_dialog: EnrolDialogFactory | None = None,
        profile_dialog: ProfileDialogFactory | None = None,
    ) -> None:
        super().__init__()
        self._bus = bus
        self._runner = runner
        self._settings = settings
        self._database_path = database_path
        self._backup = backup
        self._suggested_backup_name = suggested_backup_name or (lambda: "zwdesk-备份.db")
        self._sync = sync
        self._enrol_dialog = enrol_dialog
        self._profile_dialog = profile_dialog
        self.enrol_window: QDialog | None = None
        title = tr("中卫劳务工作站")
        self.setWindowTitle(f"{title} — {station_name}" if station_name else title)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(tr("功能导航"))
        self.navigation.setMaximumWidth(180)
        self.pages = QStackedWidget()
        for index, (page_title, widget) in enumerate(pages):
            shortcut = f"  Ctrl+{index + 1}" if index < MAX_SHORTCUT_PAGES else ""
            self.navigation.addItem(page_title)
            self.navigation.item(index).setToolTip(f"{page_title}{shortcut}")
            self.pages.addWidget(widget)
        self.navigation.currentRowChanged.connect(self._show_page)

        self.navigation.setFixedWidth(132)
        self.navigation.setSpacing(2)
        self.navigation.setStyleSheet("QListWidget#navigation { font-size: 11pt; padding: 4px; }")
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(4, 4, 4, 0)
        row.addWidget(self.navigation)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self.setTabOrder(self.navigation, self.pages)

        self._build_menus()
        self._build_status_bar()
        for index in range(min(len(pages), MAX_SHORTCUT_PAGES)):
            page_key = QShortcut(QKeySequence(f"Ctrl+{index + 1}"), self)
            page_key.activated.connect(lambda index=index: self.show_page(index))
        search = QShortcut(QKeySequence.StandardKey.Find, self)
        search.activated.connect(self.focus_search)
        self._restore()

    # -- pages ---------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        if 0 <= index < self.pages.count():
            self.navigation.setCurrentRow(index)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._settings.setValue("window/page", index)

    def current_page(self) -> QWidget | None:
        return self.pages.currentWidget()

    def focus_search(self) -> None:
        """Ctrl+F: the current page's search box, when it has one."""
        focus: Any = getattr(self.current_page(), "focus_search", None)
        if callable(focus):
            focus()

    # -- menus and status bar ---------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(tr("文件(&F)"))
        self.backup_action = QAction(tr("备份数据库(&B)…"), self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.backup_action.triggered.connect(self.choose_backup_file)
        self.backup_action.setEnabled(self._backup is not None)
        file_menu.addAction(self.backup_action)
        self.enrol_action = QAction(tr("同步登记(&S)…"), self)
        self.enrol_action.triggered.connect(self.open_enrolment)
        self.enrol_action.setEnabled(self._enrol_dialog is not None)
        file_menu.addAction(self.enrol_action)
        self.profile_action = QAction(tr("本站信息(&I)…"), self)
        self.profile_action.triggered.connect(self.edit_profile)
        self.profile_action.setEnabled(self._profile_dialog is not None)
        file_menu.addAction(self.profile_action)
        file_menu.addSeparator()
        quit_action = QAction(tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu(tr("转到(&G)"))
        for index in range(min(self.pages.count(), MAX_SHORTCUT_PAGES)):
            action = QAction(self.navigation.item(index).text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the QShortcut acts
            action.triggered.connect(lambda _=False, index=index: self.show_page(index))
            go_menu.addAction(action)

    def _build_status_bar(self) -> None:
        self.database_label = QLabel(tr("数据库：{path}").format(path=self._database_path))
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backup_label = QLabel()
        self.sync_status = SyncStatusWidget()
        self.sync_label = self.sync_status.label
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.backup_label)
        self.statusBar().addPermanentWidget(self.sync_status)
        self._show_last_backup()
        self.sync_status.enrol_requested.connect(self.open_enrolment)
        sync = self._sync
        if sync is None:
            self.sync_status.show_status(SyncStatus(SyncState.DISABLED))
            self.sync_status.button.setVisible(self._enrol_dialog is not None)
            return
        sync.status_changed.connect(self.sync_status.show_status)
        sync.running_changed.connect(self.sync_status.set_running)
        self.sync_status.sync_requested.connect(sync.sync_now)

    # -- sync -----------------------------------------------------------------------------------
    def open_enrolment(self) -> QDialog | None:
        """文件 → 同步登记…: the enrolment dialog (window-modal, the window keeps running)."""
        if self._enrol_dialog is None:
            return None
        if self.enrol_window is not None:
            self.enrol_window.raise_()
            return self.enrol_window
        dialog = self._enrol_dialog(self)
        if self._sync is not None:
            dialog.enrolled.connect(self._enrolled)
        dialog.finished.connect(self._enrolment_closed)
        self.enrol_window = dialog
        dialog.open()
        return dialog

    def edit_profile(self) -> QDialog | None:
        """文件 → 本站信息…: change who we are; every page recomputes after a save."""
        if self._profile_dialog is None:
            return None
        dialog = self._profile_dialog(self)
        dialog.accepted.connect(lambda: self._profile_saved(dialog))
        dialog.open()
        return dialog

    def _profile_saved(self, dialog: QDialog) -> None:
        saved: Any = getattr(dialog, "saved", None)
        station = str(getattr(saved, "name", "") or "")
        title = tr("中卫劳务工作站")
        self.setWindowTitle(f"{title} — {station}" if station else title)
        self._bus.announce("本站信息")

    def _enrolled(self, _result: object) -> None:
        if self._sync is not None:
            self._sync.check()  # registers with the city and sends what waits, if online

    def _enrolment_closed(self, _code: int) -> None:
        dialog, self.enrol_window = self.enrol_window, None
        if dialog is not None:
            dialog.deleteLater()

    def _backup_key(self) -> str:
        # One entry per database file: a demo database has its own history.
        return "backup/" + str(self._database_path).replace("/", "|").replace("\\", "|")

    def _show_last_backup(self) -> None:
        last = self._settings.value(self._backup_key(), "")
        self.backup_label.setText(
            tr("上次备份：{when}").format(when=last) if last else tr("尚未备份")
        )

    # -- backup -----------------------------------------------------------------------------
    def choose_backup_file(self) -> None:
        folder = str(self._settings.value("backup/folder", str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(
            self,
            tr("备份数据库"),
            str(Path(folder) / self._suggested_backup_name()),
            tr("zwdesk 数据库 (*.db)"),
        )
        if name:
            self.start_backup(Path(name))

    def start_backup(self, target: Path) -> None:
        """Back up on a worker thread; the status bar shows when it finished."""
        backup = self._backup
        if backup is None:
            return
        self._settings.setValue("backup/folder", str(target.parent))

        def done(finished: object) -> None:
            assert isinstance(finished, datetime)
            self._settings.setValue(self._backup_key(), f"{finished:%Y-%m-%d %H:%M}")
            self._show_last_backup()
            self.statusBar().showMessage(tr("已备份到 {path}").format(path=target), 8000)

        def failed(error: BaseException) -> None:
            if not isinstance(error, TaskCancelled):
                show_error(self, tr("备份失败"), str(error))

        self._runner.run(tr("正在备份数据库…"), lambda _progress: backup(target), done, failed)

    # -- geometry -----------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self._settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        page = str(self._settings.value("window/page", 0))
        self.show_page(int(page) if page.isdigit() else 0)
        if self.navigation.currentRow() < 0 and self.pages.count():
            self.show_page(0)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.sync()
        # Stop what can stop (an import cancelled writes nothing), then let every task end:
        # the database closes after the window, and no task may outlive its connection.
        if self._sync is not None:
            self._sync.stop()  # a round still talking to the city is left to finish alone
        self._runner.cancel_all()
        self._runner.wait()
        super().closeEvent(event)
