"""新建申领 (draft → review → freeze), the reason asked for 已退回/作废, and printing PDF pages.

The draft and the freeze run on a worker thread through the TaskRunner, each over a service
opened in that thread (a database connection works only in the thread that opened it).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.claims import ClaimLine, FrozenClaim
from zwdesk.domain.model import OrganisationKind
from zwdesk.services.claim_service import (
    ITEM_KINDS,
    ClaimDraft,
    ClaimError,
    ClaimService,
    subject_label,
)
from zwdesk.services.subsidy_labels import format_money
from zwdesk.ui.error_dialogs import show_unexpected
from zwdesk.ui.form_fields import (
    ERROR_STYLE,
    HINT_STYLE,
    FormDialog,
    from_qdate,
    named,
    to_qdate,
)
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.task_runner import Progress, TaskCancelled, TaskRunner

# Opens a ClaimService over a connection of its own; call it inside the worker thread.
ClaimServiceOpener = Callable[[], AbstractContextManager[ClaimService]]

ITEM_TITLES = {
    1: translatable("第一项 驻外劳务工作站就业创业服务补贴"),
    2: translatable("第二项 一次性交通补贴"),
    3: translatable("第三项 劳务中介带动就业奖补"),
    4: translatable("第四项 就业帮扶车间一次性补贴"),
    5: translatable("第五项 “点对点”转移就业输送"),
    6: translatable("第六项 零工市场（驿站）运营补贴"),
}
FIRST_POLICY_YEAR = 2025  # the notice takes effect on 2025-01-01 (resources/policy)
DRAFT_COLUMNS = (
    translatable("排除"),
    translatable("序号"),
    translatable("对象"),
    translatable("名称"),
    translatable("金额"),
    translatable("排除原因"),
    translatable("提示"),
)
EXCLUDE_COLUMN, SUBJECT_COLUMN, AMOUNT_COLUMN, REASON_COLUMN, MESSAGE_COLUMN = 0, 2, 4, 5, 6
REASON_REQUIRED = translatable("请写明排除原因")


def claimable_items(kind: OrganisationKind | None) -> list[int]:
    """The items (1–6) an organisation of `kind` may file (item 2: any organiser)."""
    return [
        item
        for item, kinds in sorted(ITEM_KINDS.items())
        if kind is not None and (kinds is None or kind in kinds)
    ]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def line_html(line: ClaimLine, title: str = "") -> str:
    """One row's amount, details and explanation (the detail pane)."""
    parts = [
        f"<h3>{escape(title or subject_label(line.subject))} · {escape(line.name)}</h3>",
        f"<p><b>{escape(format_money(line.amount))}</b></p>",
    ]
    if line.details:
        parts.append(
            "<p>"
            + "；".join(f"{escape(label)}：{escape(value)}" for label, value in line.details)
            + "</p>"
        )
    parts += ["<ol>", *(f"<li>{escape(text)}</li>" for text in line.explanation), "</ol>"]
    return "".join(parts)


def _item(text: str, *, editable: bool = False, right: bool = False) -> QTableWidgetItem:
    cell = QTableWidgetItem(text)
    if not editable:
        cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if right:
        cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return cell


class NewClaimDialog(QDialog):
    """新建申领: item, year (or batch) and as-of date → the rows due → leave rows out → 冻结."""

    frozen = Signal(object)  # the FrozenClaim

    def __init__(
        self,
        open_claims: ClaimServiceOpener,
        runner: TaskRunner,
        organisation_id: str,
        kind: OrganisationKind | None,
        *,
        today: date,
        batches: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("新建申领"))
        self.resize(1000, 680)
        self._open = open_claims
        self._runner = runner
        self._organisation_id = organisation_id
        self._busy = False
        self.draft: ClaimDraft | None = None
        self.claim: FrozenClaim | None = None

        self.item_box = named(QComboBox(), "claim_item")
        for item in claimable_items(kind):
            self.item_box.addItem(tr(ITEM_TITLES[item]), item)
        self.year_label = QLabel(tr("年度"))
        self.year_box = named(QComboBox(), "claim_year")
        for year in range(max(today.year, FIRST_POLICY_YEAR), FIRST_POLICY_YEAR - 1, -1):
            self.year_box.addItem(tr("{year}年").format(year=year), year)
        self.batch_label = QLabel(tr("批次"))
        self.batch_box = named(QComboBox(), "claim_batch")
        for code in batches:
            self.batch_box.addItem(code, code)
        self.as_of = named(QDateEdit(to_qdate(today)), "claim_as_of")
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.compute_button = named(QPushButton(tr("生成草稿(&D)")), "compute_draft")
        self.compute_button.clicked.connect(self.compute)
        choices = QHBoxLayout()
        choices.addWidget(QLabel(tr("项目")))
        choices.addWidget(self.item_box, 1)
        choices.addWidget(self.year_label)
        choices.addWidget(self.year_box)
        choices.addWidget(self.batch_label)
        choices.addWidget(self.batch_box)
        choices.addWidget(QLabel(tr("截至")))
        choices.addWidget(self.as_of)
        choices.addWidget(self.compute_button)
        self.no_items = named(QLabel(), "claim_no_items")
        self.no_items.setStyleSheet(ERROR_STYLE)
        self.no_items.setWordWrap(True)
        self.no_items.setVisible(self.item_box.count() == 0)
        self.no_items.setText(tr("本站的组织类型没有可申领的项目；请先在首次使用时设置本站。"))

        self.table = named(QTableWidget(0, len(DRAFT_COLUMNS)), "draft_rows")
        self.table.setHorizontalHeaderLabels([tr(column) for column in DRAFT_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 50), (1, 50), (2, 160), (3, 170), (4, 110), (6, 130)):
            self.table.setColumnWidth(column, width)
        self.detail = named(QTextBrowser(), "draft_detail")
        self.detail.setPlaceholderText(tr("选中一行，查看金额的计算理由"))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.summary = named(QLabel(), "draft_summary")
        self.message = named(QLabel(), "draft_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.freeze_button = named(QPushButton(tr("冻结(&F)")), "freeze_claim")
        self.freeze_button.setEnabled(False)
        self.freeze_button.clicked.connect(self.freeze)
        self.close_button = QPushButton(tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.freeze_button)
        bottom.addWidget(self.close_button)
        hint = QLabel(
            tr(
                "勾选“排除”可把一行留在本次申领之外，须写明原因；冻结后生成申领单号，"
                "金额计入已申领，不能再改。"
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(HINT_STYLE)

        layout = QVBoxLayout(self)
        layout.addLayout(choices)
        layout.addWidget(self.no_items)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        self.item_box.currentIndexChanged.connect(self._choice_changed)
        self.year_box.currentIndexChanged.connect(self._clear_draft)
        self.batch_box.currentIndexChanged.connect(self._clear_draft)
        self.as_of.dateChanged.connect(self._clear_draft)
        self.table.itemChanged.connect(self._row_changed)
        self.table.currentCellChanged.connect(self._show_detail)
        self._choice_changed()

    # -- choosing -----------------------------------------------------------------------------
    def select(self, item: int, year: int | None = None, batch: str | None = None) -> None:
        """Choose 第n项 and its year (or batch), as the clerk would."""
        self.item_box.setCurrentIndex(self.item_box.findData(item))
        if year is not None:
            self.year_box.setCurrentIndex(self.year_box.findData(year))
        if batch is not None:
            self.batch_box.setCurrentIndex(self.batch_box.findData(batch))

    def _choice_changed(self) -> None:
        item = self.item_box.currentData()
        by_year = item not in (4, 5)
        for widget in (self.year_label, self.year_box):
            widget.setVisible(by_year)
        for widget in (self.batch_label, self.batch_box):
            widget.setVisible(item == 5)
        self._clear_draft()

    def _clear_draft(self) -> None:
        self.draft = None
        self.table.setRowCount(0)
        self.detail.clear()
        self.summary.setText("")
        self._enable()
        if self.claim is None:
            self._say(tr("选好项目和年度后点“生成草稿”。"))

    def _enable(self) -> None:
        idle = not self._busy and self.claim is None
        for widget in (self.item_box, self.year_box, self.batch_box, self.as_of):
            widget.setEnabled(idle)
        self.compute_button.setEnabled(idle and self.item_box.count() > 0)
        self.freeze_button.setEnabled(idle and self.draft is not None and bool(self.draft.lines))

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if problem else HINT_STYLE)
        self.message.setText(text)

    # -- the draft ----------------------------------------------------------------------------
    def compute(self) -> None:
        """Compute the rows due in the background (the whole station is recalculated)."""
        item = self.item_box.currentData()
        if item is None or self._busy:
            return
        year = self.year_box.currentData() if item not in (4, 5) else None
        batch = self.batch_box.currentData() if item == 5 else None
        as_of = from_qdate(self.as_of.date())
        organisation, opener = self._organisation_id, self._open

        def work(progress: Progress) -> ClaimDraft:
            progress.report(0, 0, tr("正在计算草稿…"))
            with opener() as service:
                return service.draft(item, organisation, year=year, batch=batch, as_of=as_of)

        self._clear_draft()
        self._say(tr("正在计算草稿…"))
        self._run(tr("生成草稿"), work, self._show_draft)

    def _show_draft(self, result: object) -> None:
        assert isinstance(result, ClaimDraft)
        self.draft = result
        self.table.blockSignals(True)
        self.table.setRowCount(len(result.lines))
        for row, line in enumerate(result.lines):
            exclude = _item("")
            exclude.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            exclude.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(row, EXCLUDE_COLUMN, exclude)
            self.table.setItem(row, 1, _item(str(row + 1), right=True))
            self.table.setItem(row, SUBJECT_COLUMN, _item(subject_label(line.subject)))
            self.table.setItem(row, 3, _item(line.name))
            self.table.setItem(row, AMOUNT_COLUMN, _item(format_money(line.amount), right=True))
            reason = _item("", editable=True)
            reason.setToolTip(tr("排除时必填：为什么这一行不申领"))
            self.table.setItem(row, REASON_COLUMN, reason)
            self.table.setItem(row, MESSAGE_COLUMN, _item(""))
        self.table.blockSignals(False)
        self._enable()
        self._update_summary()
        if result.lines:
            self.table.setCurrentCell(0, SUBJECT_COLUMN)
            self._say(tr("请核对各行金额；不申领的行勾选“排除”并写明原因，然后点“冻结”。"))
        else:
            self._say(tr("截至该日没有应付的金额，无需申领。"), problem=True)

    def _show_detail(self, row: int, *_: int) -> None:
        if self.draft is None or not 0 <= row < len(self.draft.lines):
            self.detail.clear()
            return
        self.detail.setHtml(line_html(self.draft.lines[row]))

    # -- leaving rows out ---------------------------------------------------------------------
    def set_excluded(self, row: int, excluded: bool, reason: str = "") -> None:
        """Tick (or untick) 排除 for `row` and type its reason, as the clerk would."""
        self._cell(row, REASON_COLUMN).setText(reason)
        state = Qt.CheckState.Checked if excluded else Qt.CheckState.Unchecked
        self._cell(row, EXCLUDE_COLUMN).setCheckState(state)

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        cell = self.table.item(row, column)
        assert cell is not None
        return cell

    def is_excluded(self, row: int) -> bool:
        return self._cell(row, EXCLUDE_COLUMN).checkState() == Qt.CheckState.Checked

    def reason(self, row: int) -> str:
        return self._cell(row, REASON_COLUMN).text().strip()

    def row_message(self, row: int) -> str:
        """The message next to the row's reason (empty when the row is fine)."""
        return self._cell(row, MESSAGE_COLUMN).text()

    def _row_changed(self, cell: QTableWidgetItem) -> None:
        row = cell.row()
        if cell.column() == EXCLUDE_COLUMN:
            self._mark_row(row, show_missing=False)
            self._update_summary()
            if self.is_excluded(row) and not self.reason(row):
                self.table.setCurrentCell(row, REASON_COLUMN)
                self.table.editItem(self._cell(row, REASON_COLUMN))
        elif cell.column() == REASON_COLUMN and self.row_message(row):
            self._mark_row(row, show_missing=True)

    def _mark_row(self, row: int, *, show_missing: bool) -> bool:
        """Show the row's problem next to its reason; True when it has one."""
        missing = self.is_excluded(row) and not self.reason(row)
        message = self._cell(row, MESSAGE_COLUMN)
        self.table.blockSignals(True)
        message.setText(tr(REASON_REQUIRED) if missing and show_missing else "")
        message.setForeground(QColor("#b00020"))
        self.table.blockSignals(False)
        return missing

    def excluded(self) -> dict[str, str]:
        """subject → reason of the rows left out."""
        assert self.draft is not None
        return {
            line.subject: self.reason(row)
            for row, line in enumerate(self.draft.lines)
            if self.is_excluded(row)
        }

    def _update_summary(self) -> None:
        if self.draft is None:
            return
        left_out = [row for row in range(len(self.draft.lines)) if self.is_excluded(row)]
        out = sum(self.draft.lines[row].amount for row in left_out)
        kept = len(self.draft.lines) - len(left_out)
        text = tr("申领 {count} 行，合计 {total}").format(
            count=kept, total=format_money(self.draft.total - out)
        )
        if left_out:
            text += tr("（排除 {count} 行，{total}）").format(
                count=len(left_out), total=format_money(out)
            )
        self.summary.setText(text)

    # -- freezing -----------------------------------------------------------------------------
    def freeze(self) -> None:
        """Number the draft and put its rows in the ledger (refused while a reason is missing)."""
        draft = self.draft
        if draft is None or self._busy or self.claim is not None:
            return
        missing = [row for row in range(len(draft.lines)) if self._mark_row(row, show_missing=True)]
        if missing:
            self.table.setCurrentCell(missing[0], REASON_COLUMN)
            self._say(
                tr("有 {count} 行已勾选排除但没有写原因，未冻结。").format(count=len(missing)),
                problem=True,
            )
            return
        excluded, opener = self.excluded(), self._open

        def work(progress: Progress) -> FrozenClaim:
            progress.report(0, 0, tr("正在冻结申领单…"))
            with opener() as service:
                return service.freeze(draft, excluded)

        self._say(tr("正在冻结申领单…"))
        self._run(tr("冻结申领"), work, self._frozen)

    def _frozen(self, result: object) -> None:
        assert isinstance(result, FrozenClaim)
        self.claim = result
        self._enable()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.close_button.setText(tr("完成"))
        self._say(
            tr("已冻结，申领单号 {number}，合计 {total}。可在申领列表中打印。").format(
                number=result.number, total=format_money(result.total)
            )
        )
        font = self.message.font()
        font.setBold(True)
        self.message.setFont(font)
        self.frozen.emit(result)

    # -- running in the background ------------------------------------------------------------
    def _run(
        self, title: str, work: Callable[[Progress], object], done: Callable[[object], None]
    ) -> None:
        def finished(result: object) -> None:
            self._busy = False
            done(result)

        def failed(error: BaseException) -> None:
            self._busy = False
            self._enable()
            if isinstance(error, TaskCancelled):
                self._say(tr("已取消{what}。").format(what=title), problem=True)
            elif isinstance(error, ClaimError):
                self._say(str(error), problem=True)
            else:
                self._say(tr("{what}失败。").format(what=title), problem=True)
                show_unexpected(self, title, error)

        self._busy = True
        self._enable()
        self._runner.run(title, work, finished, failed)

    @property
    def busy(self) -> bool:
        return self._busy


class ReasonDialog(FormDialog[str]):
    """Asks why (已退回, 作废): a reason is required and shown under the field when missing."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent, ok_text=tr("确定"))
        self.text = named(QPlainTextEdit(), "reason")
        self.text.setFixedHeight(90)
        self.add_field("reason", prompt, self.text)

    def check(self) -> bool:
        missing = not self.text.toPlainText().strip()
        self.messages["reason"].show_problem(tr("请写明原因") if missing else None)
        return not missing

    def write(self) -> str:
        return self.text.toPlainText().strip()


# -- printing PDF pages -------------------------------------------------------------------------
def pdf_printing_available() -> bool:
    """True when this Qt can show a print dialog (QtPrintSupport) *and* draw PDF pages (QtPdf,
    which PySide6-Essentials does not ship; PySide6-Addons does)."""
    for module in ("PySide6.QtPrintSupport", "PySide6.QtPdf"):
        try:
            importlib.import_module(module)
        except ImportError:
            return False
    return True


def print_pdf_files(paths: Sequence[Path], parent: QWidget | None) -> bool:
    """QPrintDialog, then every page of `paths` drawn onto the printer; False if cancelled.
    Only call when `pdf_printing_available()`."""
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(tr("无法连接打印机"))
    try:
        first = True
        for path in paths:
            document = QPdfDocument()
            document.load(str(path))
            for page in range(document.pageCount()):
                if not first:
                    printer.newPage()
                first = False
                area = painter.viewport()
                size = document.pagePointSize(page).toSize()
                size.scale(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                image = document.render(page, size)
                painter.drawImage(QRect(area.topLeft(), size), image)
    finally:
        painter.end()
    return True
