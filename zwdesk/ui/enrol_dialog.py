"""同步登记: import the enrolment file the city issued, from the window (as `zwdesk sync enrol`)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from zwdesk.services.station_scenario_service import StationDatabaseError
from zwdesk.services.sync_service import EnrolmentResult, SyncService
from zwdesk.sync.errors import SyncError
from zwdesk.ui.i18n import tr
from zwdesk.ui.task_runner import TaskCancelled, TaskRunner

# Opens a SyncService over a connection of its own, in the calling (worker) thread: the
# keychain may take a while (an unlock prompt), and the window must not wait for it.
SyncServiceOpener = Callable[[], AbstractContextManager[SyncService]]
# Asks for the enrolment file; tests pass one that returns a path without a dialog.
FileChooser = Callable[[QWidget], Path | None]


def choose_enrolment_file(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        tr("选择市里发放的登记文件"),
        "",
        tr("登记文件 (*.json);;所有文件 (*)"),
    )
    return Path(name) if name else None


class EnrolDialog(QDialog):
    """Shows the current enrolment; imports a new file in the background; says what happened."""

    enrolled = Signal(object)  # EnrolmentResult

    def __init__(
        self,
        open_sync: SyncServiceOpener,
        runner: TaskRunner,
        current: EnrolmentResult | None,
        *,
        choose_file: FileChooser = choose_enrolment_file,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_sync = open_sync
        self._runner = runner
        self._choose_file = choose_file
        self.result_value: EnrolmentResult | None = None
        self.setWindowTitle(tr("同步登记"))
        self.setMinimumWidth(560)

        self.station_value = QLabel()
        self.station_value.setObjectName("station_id")
        self.city_value = QLabel()
        self.city_value.setObjectName("city_url")
        self.key_value = QLabel()
        self.key_value.setObjectName("station_key")
        for label in (self.station_value, self.city_value, self.key_value):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts = QFormLayout()
        facts.addRow(tr("站点编号："), self.station_value)
        facts.addRow(tr("市里地址："), self.city_value)
        facts.addRow(tr("本站签名公钥："), self.key_value)

        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("enrolment_file")
        self.path_edit.setPlaceholderText(tr("市里发放的登记文件（.json）"))
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = QPushButton(tr("选择文件(&B)…"))
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        self.message = QLabel()
        self.message.setObjectName("enrol_message")
        self.message.setWordWrap(True)
        self.message.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        self.import_button = self.buttons.addButton(
            tr("导入登记文件(&I)"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.import_file)
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(facts)
        layout.addWidget(self.explanation)
        layout.addLayout(file_row)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._busy = False
        self._show_current(current)
        self._update_buttons()
        self.adjustSize()

    # -- what is shown ----------------------------------------------------------------------
    def _show_current(self, current: EnrolmentResult | None) -> None:
        if current is None:
            for label in (self.station_value, self.city_value, self.key_value):
                label.setText(tr("（未登记）"))
            self.explanation.setText(
                tr(
                    "本站尚未登记同步。请导入市里发放的登记文件：本站会生成自己的签名密钥"
                    "（保存在系统钥匙串），联网时自动向市里登记并发送数据。"
                )
            )
            return
        self.station_value.setText(current.station_id)
        self.city_value.setText(current.city_url)
        self.key_value.setText(current.station_public_key)
        self.explanation.setText(
            tr(
                "本站已登记为站点 {station}。再次导入会生成新的签名密钥，"
                "只能使用市里为本站新发放的登记文件（令牌只能用一次）。"
            ).format(station=current.station_id)
        )

    def _say(self, text: str, *, problem: bool) -> None:
        self.message.setStyleSheet("color: #c62828;" if problem else "color: #2e7d32;")
        self.message.setText(text)
        self.message.show()
        self.adjustSize()  # the wrapped texts grew: make room rather than overlap

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(bool(self.path_edit.text().strip()) and not self._busy)

    # -- actions ----------------------------------------------------------------------------
    def browse(self) -> None:
        path = self._choose_file(self)
        if path is not None:
            self.path_edit.setText(str(path))

    def import_file(self) -> None:
        """Enrol with the chosen file on a worker thread (keychain, database)."""
        text = self.path_edit.text().strip()
        if not text or self._busy:
            return
        path = Path(text)
        self._busy = True
        self._update_buttons()
        self._say(tr("正在导入登记文件…"), problem=False)
        open_sync = self._open_sync

        def work(_progress: object) -> EnrolmentResult:
            with open_sync() as service:
                return service.enrol(path)

        self._runner.run(tr("导入登记文件"), work, self._done, self._failed, show_progress=False)

    def _done(self, result: object) -> None:
        assert isinstance(result, EnrolmentResult)
        self._busy = False
        self.result_value = result
        self._show_current(result)
        self.path_edit.clear()
        self._update_buttons()
        self._say(
            tr(
                "已登记为站点 {station}（市里地址 {url}）。"
                "联网时会自动向市里登记本站公钥并发送数据。"
            ).format(station=result.station_id, url=result.city_url),
            problem=False,
        )
        self.enrolled.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_buttons()
        if isinstance(error, TaskCancelled):
            self.message.hide()
        elif isinstance(error, (SyncError, StationDatabaseError)):
            self._say(tr("登记未完成：{reason}").format(reason=error), problem=True)
        else:
            self._say(
                tr("登记未完成：意外错误（{kind}），本站的登记没有改变。").format(
                    kind=type(error).__name__
                ),
                problem=True,
            )
