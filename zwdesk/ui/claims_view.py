"""The 申领 page: the claims (申领单) with a state filter; 新建申领, 打印, send to the printer, and
the state buttons (only the states CLAIM_TRANSITIONS allows next).

Drafting, freezing and printing run on a worker thread over a ClaimService opened there
(`open_claims`, built in app.py); the page's own `claim_service` only reads and moves states.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.claims import CLAIM_TRANSITIONS, ClaimState, FrozenClaim
from zwdesk.services.claim_service import (
    FORM_LABELS,
    ClaimError,
    ClaimService,
    subject_label,
)
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.services.subsidy_labels import format_money
from zwdesk.ui.claim_dialogs import (
    ClaimServiceOpener,
    NewClaimDialog,
    ReasonDialog,
    escape,
    line_html,
    pdf_printing_available,
    print_pdf_files,
)
from zwdesk.ui.error_dialogs import show_error, show_unexpected
from zwdesk.ui.form_fields import ERROR_STYLE, HINT_STYLE, named
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.task_runner import Progress, TaskCancelled, TaskRunner

# Folders of PDFs sent to the printer: they hold full ID numbers, so each is private to this
# user (mkdtemp: mode 0700) and all are removed when the application quits (the PDF reader may
# still have them open until then).
_PRINT_FOLDERS: list[Path] = []
_CLEANUP_REGISTERED: list[bool] = []


def private_print_folder() -> Path:
    """A new folder only this user can read, removed by `remove_print_folders` at exit."""
    folder = Path(tempfile.mkdtemp(prefix="zwdesk-打印-"))
    if not _CLEANUP_REGISTERED:
        atexit.register(remove_print_folders)
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(remove_print_folders)
        _CLEANUP_REGISTERED.append(True)
    _PRINT_FOLDERS.append(folder)
    return folder


def remove_print_folders() -> None:
    """Delete every folder `private_print_folder` made (at exit; safe to call twice)."""
    while _PRINT_FOLDERS:
        shutil.rmtree(_PRINT_FOLDERS.pop(), ignore_errors=True)


CLAIM_OPERATION = "申领状态"  # every freeze, print and state change: the ledger changed
CLAIM_COLUMNS = (
    translatable("申领单号"),
    translatable("项目"),
    translatable("年度/批次"),
    translatable("金额"),
    translatable("状态"),
    translatable("冻结日期"),
)
ITEM_NAMES = {
    1: translatable("第一项"),
    2: translatable("第二项"),
    3: translatable("第三项"),
    4: translatable("第四项"),
    5: translatable("第五项"),
    6: translatable("第六项"),
}
STATE_NAMES = {
    ClaimState.DRAFT: translatable("草稿"),
    ClaimState.PRINTED: translatable("已打印"),
    ClaimState.SIGNED: translatable("已签字"),
    ClaimState.SUBMITTED: translatable("已提交"),
    ClaimState.PAID: translatable("已拨付"),
    ClaimState.RETURNED: translatable("已退回"),
    ClaimState.CANCELLED: translatable("已作废"),
}
# The button that moves a claim to each state ("…": it asks for something first).
STATE_BUTTONS = {
    ClaimState.PRINTED: translatable("标为已打印"),
    ClaimState.SIGNED: translatable("已签字…"),
    ClaimState.SUBMITTED: translatable("已提交"),
    ClaimState.PAID: translatable("已拨付"),
    ClaimState.RETURNED: translatable("已退回…"),
    ClaimState.CANCELLED: translatable("作废…"),
}
FORM_NAMES = {
    "application": translatable("申请表"),
    "roster": translatable("花名册"),
    "notice": translatable("公示名单"),
}
SIGNED_FILTER = translatable("签字页扫描件或照片 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)")
FileOpener = Callable[[Path], Any]


class ClaimRecord(Protocol):
    """What the list shows of a stored claim (the service's ClaimRecord)."""

    @property
    def number(self) -> str: ...
    @property
    def item(self) -> int: ...
    @property
    def year(self) -> int: ...
    @property
    def batch(self) -> str | None: ...
    @property
    def state(self) -> ClaimState: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def total(self) -> int: ...
    @property
    def frozen_at(self) -> datetime: ...
    @property
    def attachment_name(self) -> str | None: ...


def _open_with_system(path: Path) -> bool:
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def _item(text: str, *, right: bool = False) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return cell


def period_text(record: ClaimRecord) -> str:
    """年度/批次 of a claim as the list shows it."""
    if record.batch:
        return tr("批次 {batch}").format(batch=record.batch)
    if record.item == 4:
        return tr("实施期内")
    return tr("{year}年").format(year=record.year)


class ClaimsView(QWidget):
    """申领: what was claimed, in which state, and the next step for the selected claim."""

    def __init__(
        self,
        claim_service: ClaimService,
        open_claims: ClaimServiceOpener,
        profile_service: StationProfileService,
        bus: OperationBus,
        runner: TaskRunner,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], date] = date.today,
        batch_codes: Callable[[], Sequence[str]] | None = None,
        open_file: FileOpener = _open_with_system,
    ) -> None:
        super().__init__(parent)
        self._claims = claim_service
        self._open_claims = open_claims
        self._profile = profile_service
        self._bus = bus
        self._runner = runner
        self._settings = settings
        self._clock = clock
        self._batch_codes = batch_codes
        self._open_file = open_file
        self._busy = False
        self.records: list[ClaimRecord] = []
        self.printed: list[Path] = []
        self.dialog: NewClaimDialog | None = None

        title = QLabel(tr("申领"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        self.state_filter = named(QComboBox(), "claim_state_filter")
        self.state_filter.addItem(tr("全部状态"), None)
        for state, name in STATE_NAMES.items():
            self.state_filter.addItem(tr(name), state.value)
        self.state_filter.currentIndexChanged.connect(self.refresh)
        self.count_label = named(QLabel(), "claim_count")
        self.new_button = named(QPushButton(tr("新建申领(&N)…")), "new_claim")
        self.new_button.clicked.connect(self.open_new_claim)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel(tr("状态")))
        top.addWidget(self.state_filter)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.new_button)

        self.table = named(QTableWidget(0, len(CLAIM_COLUMNS)), "claims")
        self.table.setHorizontalHeaderLabels([tr(column) for column in CLAIM_COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 190), (1, 70), (2, 110), (3, 130), (4, 70)):
            self.table.setColumnWidth(column, width)
        self.table.currentCellChanged.connect(self._current_changed)
        self.detail = named(QTextBrowser(), "claim_detail")
        self.detail.setPlaceholderText(tr("选中一张申领单，查看各行金额和理由"))

        self.print_button = named(QPushButton(tr("打印(&P)…")), "print_claim")
        self.print_button.setToolTip(tr("把申请表等 PDF 写入选定的文件夹；草稿随之变为已打印"))
        self.print_button.clicked.connect(self.choose_print_folder)
        self.printer_button = named(QPushButton(tr("发送到打印机…")), "send_to_printer")
        self.printer_button.clicked.connect(self.send_to_printer)
        self.direct_printing = pdf_printing_available()
        self.printer_note = named(QLabel(), "printer_note")
        self.printer_note.setWordWrap(True)
        self.printer_note.setStyleSheet(HINT_STYLE)
        if not self.direct_printing:
            note = tr(
                "本机的 Qt 不含 PDF 显示组件，打印经由 PDF：“发送到打印机”会生成 PDF 并用"
                "系统的 PDF 阅读器打开，请在阅读器中打印。"
            )
            self.printer_note.setText(note)
            self.printer_button.setToolTip(note)
        self.state_buttons: dict[ClaimState, QPushButton] = {}
        actions = QHBoxLayout()
        actions.addWidget(self.print_button)
        actions.addWidget(self.printer_button)
        actions.addSpacing(16)
        actions.addWidget(QLabel(tr("改为：")))
        for state, text in STATE_BUTTONS.items():
            button = named(QPushButton(tr(text)), f"state_{state.name.lower()}")
            button.clicked.connect(lambda _=False, state=state: self.request_state(state))
            actions.addWidget(button)
            self.state_buttons[state] = button
        actions.addStretch(1)
        self.open_pdf_button = named(QPushButton(tr("打开 PDF")), "open_pdf")
        self.open_pdf_button.clicked.connect(self.open_printed)
        self.open_folder_button = named(QPushButton(tr("打开文件夹")), "open_print_folder")
        self.open_folder_button.clicked.connect(self.open_print_folder)
        self.status = named(QLabel(), "claims_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.open_pdf_button)
        status_row.addWidget(self.open_folder_button)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        layout.addWidget(self.printer_note)
        layout.addLayout(status_row)

        bus.operation_done.connect(self._on_operation)
        self._show_printed([])
        self.refresh()

    # -- the list -----------------------------------------------------------------------------
    def _on_operation(self, operation: str) -> None:
        if operation != CLAIM_OPERATION:  # ours already refreshed before announcing
            self.refresh()

    def refresh(self) -> None:
        """Read the claims again (keeps the selected claim selected when it is still shown)."""
        chosen = self.selected_number()
        state = self.state_filter.currentData()
        self.records = list(
            reversed(self._claims.list_claims(states=[ClaimState(state)] if state else None))
        )
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            cells = (
                _item(record.number),
                _item(tr(ITEM_NAMES.get(record.item, str(record.item)))),
                _item(period_text(record)),
                _item(format_money(record.total), right=True),
                _item(tr(STATE_NAMES[record.state])),
                _item(record.frozen_at.astimezone().date().isoformat()),
            )
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.count_label.setText(tr("共 {count} 张").format(count=len(self.records)))
        numbers = [record.number for record in self.records]
        self.table.blockSignals(True)
        if chosen in numbers:
            self.select(chosen)
        elif numbers:
            self.table.setCurrentCell(0, 0)
        self.table.blockSignals(False)
        self._show_claim(self.selected_record())  # its state may have changed

    def select(self, number: str | None) -> None:
        """Select the claim `number` in the list (no-op when it is filtered out)."""
        numbers = [record.number for record in self.records]
        if number in numbers:
            self.table.setCurrentCell(numbers.index(number), 0)

    def selected_number(self) -> str | None:
        row = self.table.currentRow()
        return self.records[row].number if 0 <= row < len(self.records) else None

    def selected_record(self) -> ClaimRecord | None:
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def _current_changed(self, row: int, *_: int) -> None:
        record = self.records[row] if 0 <= row < len(self.records) else None
        self._show_claim(record)

    def _show_claim(self, record: ClaimRecord | None) -> None:
        allowed = CLAIM_TRANSITIONS[record.state] if record is not None else frozenset()
        for state, button in self.state_buttons.items():
            button.setVisible(state in allowed)
            button.setEnabled(not self._busy)
        printable = record is not None and record.state not in (
            ClaimState.RETURNED,
            ClaimState.CANCELLED,
        )
        self.print_button.setEnabled(printable and not self._busy)
        self.printer_button.setEnabled(printable and not self._busy)
        if record is None:
            self.detail.clear()
            return
        self.detail.setHtml(self._claim_html(self._claims.get(record.number), record))

    def _claim_html(self, claim: FrozenClaim, record: ClaimRecord) -> str:
        item = tr(ITEM_NAMES.get(claim.item, str(claim.item)))
        parts = [
            f"<h2>{escape(claim.number)}</h2>",
            "<p>"
            + tr("{item} · {period} · {state} · 截至 {as_of} · 合计 {total}").format(
                item=item,
                period=period_text(record),
                state=tr(STATE_NAMES[record.state]),
                as_of=claim.as_of.isoformat(),
                total=format_money(claim.total),
            )
            + "</p>",
        ]
        if record.reason:
            parts.append("<p>" + tr("原因：{reason}").format(reason=escape(record.reason)) + "</p>")
        if record.attachment_name:
            parts.append(
                "<p>" + tr("签字页：{name}").format(name=escape(record.attachment_name)) + "</p>"
            )
        parts += [line_html(line) for line in claim.lines]
        if claim.excluded:
            parts.append("<h3>" + tr("未申领的行") + "</h3><ul>")
            parts += [
                f"<li>{escape(subject_label(line.subject))} {escape(line.name)} "
                f"{escape(format_money(line.amount))}："
                f"{escape(line.reason)}</li>"
                for line in claim.excluded
            ]
            parts.append("</ul>")
        return "".join(parts)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if problem else HINT_STYLE)
        self.status.setText(text)

    # -- new claim ----------------------------------------------------------------------------
    def new_claim_dialog(self) -> NewClaimDialog | None:
        """The 新建申领 dialog for our organisation (None, said why, before the first-run setup)."""
        own = self._profile.profile()
        if own is None:
            self._say(tr("尚未设置本站信息，不能申领。"), problem=True)
            return None
        dialog = NewClaimDialog(
            self._open_claims,
            self._runner,
            own.id,
            own.kind,
            today=self._clock(),
            batches=list(self._batch_codes()) if self._batch_codes is not None else [],
            parent=self,
        )
        dialog.frozen.connect(self._frozen)
        self.dialog = dialog
        return dialog

    def open_new_claim(self) -> None:
        dialog = self.new_claim_dialog()
        if dialog is not None:
            dialog.exec()

    def _frozen(self, claim: object) -> None:
        assert isinstance(claim, FrozenClaim)
        self.state_filter.setCurrentIndex(0)
        self.refresh()
        self.select(claim.number)
        self._say(tr("已冻结申领单 {number}。").format(number=claim.number))
        self._bus.announce(CLAIM_OPERATION)

    # -- printing -----------------------------------------------------------------------------
    def _folder(self) -> str:
        home = str(Path.home())
        return str(self._settings.value("claims/folder", home)) if self._settings else home

    def choose_print_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择存放 PDF 的文件夹"), self._folder())
        if folder:
            self.print_to(Path(folder))

    def print_to(self, folder: Path, then: Callable[[list[Path]], None] | None = None) -> None:
        """Write the selected claim's PDFs into `folder` in the background (草稿 → 已打印)."""
        number = self.selected_number()
        if number is None or self._busy:
            return
        if self._settings is not None and then is None:
            self._settings.setValue("claims/folder", str(folder))
        opener = self._open_claims

        def work(progress: Progress) -> list[Path]:
            progress.report(0, 0, tr("正在生成申领表 PDF…"))
            with opener() as service:
                return service.print(number, folder)

        def done(result: object) -> None:
            assert isinstance(result, list)
            self._show_printed(result)
            self.refresh()
            self._bus.announce(CLAIM_OPERATION)
            if then is not None:
                then(result)

        self._say(tr("正在生成 {number} 的 PDF…").format(number=number))
        self._run(tr("打印申领单"), work, done)

    def _show_printed(self, paths: list[Path]) -> None:
        self.printed = paths
        self.open_pdf_button.setVisible(bool(paths))
        self.open_folder_button.setVisible(bool(paths))
        if paths:
            names = "、".join(self._form_name(path) for path in paths)
            self._say(
                tr("已生成 {count} 个 PDF（{names}）到 {path}。").format(
                    count=len(paths), names=names, path=paths[0].parent
                )
            )

    @staticmethod
    def _form_name(path: Path) -> str:
        for kind, label in FORM_LABELS.items():
            if path.stem.endswith(f"-{label}"):
                return tr(FORM_NAMES[kind])
        return path.name

    def open_printed(self) -> None:
        """Open the PDFs just written in the system's PDF reader."""
        for path in self.printed:
            self._open_file(path)

    def open_print_folder(self) -> None:
        if self.printed:
            self._open_file(self.printed[0].parent)

    def send_to_printer(self) -> None:
        """Print the selected claim: through Qt's print dialog when this Qt can draw PDF pages,
        else by opening its PDFs in the PDF reader (said in the page and here)."""
        number = self.selected_number()
        if number is None:
            return
        folder = private_print_folder()

        def printed(paths: list[Path]) -> None:
            if self.direct_printing:
                try:
                    if print_pdf_files(paths, self):
                        self._say(tr("已发送到打印机。"))
                except OSError as error:
                    show_error(self, tr("打印"), str(error))
                return
            self._say(
                tr("本机的 Qt 无法直接打印 PDF，已用 PDF 阅读器打开申领表，请在其中打印。"),
            )
            for path in paths:
                self._open_file(path)

        self.print_to(folder, then=printed)

    # -- states -------------------------------------------------------------------------------
    def ask_attachment(self) -> Path | None:
        """The scan or photo of the signed pages (a file dialog)."""
        name, _ = QFileDialog.getOpenFileName(
            self, tr("选择签字页扫描件或照片"), self._folder(), tr(SIGNED_FILTER)
        )
        return Path(name) if name else None

    def ask_reason(self, state: ClaimState) -> str | None:
        """Why the claim was returned or is cancelled (a dialog; None when cancelled)."""
        title = tr("改为“{state}”").format(state=tr(STATE_NAMES[state]))
        dialog = ReasonDialog(title, tr("原因"), self)
        return dialog.saved if dialog.exec() else None

    def request_state(self, state: ClaimState) -> None:
        """A state button: ask what that state needs, then move the selected claim."""
        if self.selected_number() is None:
            return
        attachment: Path | None = None
        reason: str | None = None
        if state is ClaimState.SIGNED:
            attachment = self.ask_attachment()
            if attachment is None:
                return
        elif state in (ClaimState.RETURNED, ClaimState.CANCELLED):
            reason = self.ask_reason(state)
            if reason is None:
                return
        self.change_state(state, reason=reason, attachment=attachment)

    def change_state(
        self, state: ClaimState, *, reason: str | None = None, attachment: Path | None = None
    ) -> bool:
        """Move the selected claim to `state`; the service's refusal is shown, not raised."""
        number = self.selected_number()
        if number is None:
            return False
        try:
            record = self._claims.set_state(number, state, reason=reason, attachment=attachment)
        except ClaimError as error:
            self._say(str(error), problem=True)
            return False
        except Exception as error:
            show_unexpected(self, tr("更改申领状态"), error)
            return False
        self.refresh()
        self.select(number)
        self._say(
            tr("申领单 {number} 已改为“{state}”。").format(
                number=number, state=tr(STATE_NAMES[record.state])
            )
        )
        self._bus.announce(CLAIM_OPERATION)
        return True

    # -- running in the background ------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._busy

    def _run(
        self, title: str, work: Callable[[Progress], object], done: Callable[[object], None]
    ) -> None:
        def finished(result: object) -> None:
            self._busy = False
            self._show_claim(self.selected_record())
            done(result)

        def failed(error: BaseException) -> None:
            self._busy = False
            self._show_claim(self.selected_record())
            if isinstance(error, TaskCancelled):
                self._say(tr("已取消{what}。").format(what=title), problem=True)
            elif isinstance(error, ClaimError):
                self._say(str(error), problem=True)
            else:
                self._say(tr("{what}失败。").format(what=title), problem=True)
                show_unexpected(self, title, error)

        self._busy = True
        self._show_claim(self.selected_record())
        self._runner.run(title, work, finished, failed)
