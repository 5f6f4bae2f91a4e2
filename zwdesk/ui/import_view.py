"""The 导入/导出 page: preview a roster (dry run), import it in the background, export the station.

Database connections work only in the thread that opened them, so the page never holds one: it
is given two openers (built in app.py) that open a fresh connection inside the worker thread.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from zwdesk.services.roster_export_service import (
    ORGANISATION_SHEET,
    ExportReport,
    RosterExportService,
)
from zwdesk.services.roster_import_service import (
    ImportPreview,
    ImportReport,
    RosterFileError,
    RosterImportService,
)
from zwdesk.ui.error_dialogs import show_unexpected
from zwdesk.ui.form_fields import ERROR_STYLE, HINT_STYLE, named
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.task_runner import Progress, TaskCancelled, TaskRunner

# Open a service over its own connection; call it inside the worker thread (see app.py).
RosterImportOpener = Callable[[], AbstractContextManager[RosterImportService]]
RosterExportOpener = Callable[[], AbstractContextManager[RosterExportService]]
IMPORT_OPERATION = "导入花名册"
ROSTER_FILTER = translatable("花名册 (*.xlsx *.xls *.csv)")
SHOWN_REJECTS = 50  # the rest are in the 错误行 workbook
# Column titles and kinds, translated where they are shown.
COUNT_COLUMNS = (
    translatable("新增"),
    translatable("更新"),
    translatable("未变"),
    translatable("拒绝"),
)
KINDS = (translatable("人员"), translatable("就业"), translatable("组织"))
REJECT_COLUMNS = (
    translatable("工作表"),
    translatable("位置"),
    translatable("字段"),
    translatable("值"),
    translatable("原因"),
)


def _rejects_by_kind(preview: ImportPreview) -> dict[str, int]:
    """Rejected rows per kind: the 组织 and 就业 sheets of an export; every other sheet (a roster
    or an export's 人员) counts as 人员 — a rejected roster row imports neither person nor job."""
    counts = dict.fromkeys(KINDS, 0)
    for reject in preview.rejects:
        if reject.sheet == ORGANISATION_SHEET:
            counts["组织"] += 1
        elif reject.sheet == "就业":
            counts["就业"] += 1
        else:
            counts["人员"] += 1
    return counts


def _item(text: object) -> QTableWidgetItem:
    item = QTableWidgetItem(str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = named(QTableWidget(0, len(columns)), name)
    table.setHorizontalHeaderLabels([tr(column) for column in columns])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ImportView(QWidget):
    """Choose a file → preview (nothing written) → 导入 (one transaction, cancellable) → report."""

    def __init__(
        self,
        open_roster_import: RosterImportOpener,
        open_roster_export: RosterExportOpener,
        bus: OperationBus,
        runner: TaskRunner,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_import = open_roster_import
        self._open_export = open_roster_export
        self._bus = bus
        self._runner = runner
        self._settings = settings
        self._progress: Progress | None = None
        self.source: Path | None = None
        self.preview: ImportPreview | None = None
        self.report: ImportReport | None = None
        self.export_report: ExportReport | None = None

        title = QLabel(tr("导入/导出"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)

        self.path_line = named(QLineEdit(), "import_path")
        self.path_line.setReadOnly(True)
        self.path_line.setPlaceholderText(tr("尚未选择文件（.xlsx / .xls / .csv）"))
        self.choose_button = named(QPushButton(tr("选择花名册(&O)…")), "choose_roster")
        self.choose_button.clicked.connect(self.choose_roster)
        self.import_button = named(QPushButton(tr("导入(&I)")), "import_button")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.heading = named(QLabel(tr("预览：选择文件后先检查，不写入数据库。")), "import_heading")
        self.heading.setWordWrap(True)
        self.counts = _table((translatable("类别"), *COUNT_COLUMNS), "import_counts")
        self.counts.setRowCount(len(KINDS))
        for row, kind in enumerate(KINDS):
            self.counts.setItem(row, 0, _item(tr(kind)))
        self.counts.setFixedHeight(
            self.counts.horizontalHeader().sizeHint().height()
            + self.counts.verticalHeader().defaultSectionSize() * len(KINDS)
            + 4
        )
        self.summary = named(QLabel(), "import_summary")
        self.summary.setWordWrap(True)
        self.rejects = _table(REJECT_COLUMNS, "import_rejects")
        self.rejects.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.rejects.horizontalHeader().setStretchLastSection(True)
        self.open_rejects_button = named(QPushButton(tr("打开错误行文件")), "open_rejects")
        self.save_rejects_button = named(QPushButton(tr("另存错误行文件…")), "save_rejects")
        for button in (self.open_rejects_button, self.save_rejects_button):
            button.setEnabled(False)
        self.open_rejects_button.clicked.connect(self.open_rejects)
        self.save_rejects_button.clicked.connect(self.choose_rejects_copy)

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_line, 1)
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.import_button)
        rejects_row = QHBoxLayout()
        rejects_row.addWidget(self.open_rejects_button)
        rejects_row.addWidget(self.save_rejects_button)
        rejects_row.addStretch(1)
        import_box = QGroupBox(tr("导入花名册"))
        import_layout = QVBoxLayout(import_box)
        import_layout.addLayout(file_row)
        import_layout.addWidget(self.heading)
        import_layout.addWidget(self.counts)
        import_layout.addWidget(self.summary)
        import_layout.addWidget(self.rejects, 1)
        import_layout.addLayout(rejects_row)

        self.export_button = named(QPushButton(tr("导出全站(&E)…")), "export_button")
        self.export_button.clicked.connect(self.choose_export_file)
        export_text = QLabel(
            tr("把人员、就业、回访、申领和组织写入一个 .xlsx 文件，可原样导入另一台电脑。")
        )
        export_text.setWordWrap(True)
        export_box = QGroupBox(tr("导出"))
        export_layout = QHBoxLayout(export_box)
        export_layout.addWidget(export_text, 1)
        export_layout.addWidget(self.export_button)

        self.status = named(QLabel(), "import_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(import_box, 1)
        layout.addWidget(export_box)
        layout.addWidget(self.status)

    # -- state --------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while this page's preview, import or export runs."""
        return self._progress is not None

    def _set_busy(self, progress: Progress | None) -> None:
        self._progress = progress
        idle = progress is None
        self.choose_button.setEnabled(idle)
        self.export_button.setEnabled(idle)
        self.import_button.setEnabled(idle and self.preview is not None and self.report is None)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setStyleSheet(ERROR_STYLE if problem else HINT_STYLE)
        self.status.setText(text)

    def cancel(self) -> None:
        """Stop the running task at its next step (an import then rolls back completely)."""
        if self._progress is not None:
            self._progress.cancel()

    def _folder(self) -> str:
        if self._settings is None:
            return str(Path.home())
        return str(self._settings.value("import/folder", str(Path.home())))

    def _remember_folder(self, path: Path) -> None:
        if self._settings is not None:
            self._settings.setValue("import/folder", str(path.parent))

    # -- preview ------------------------------------------------------------------------------
    def choose_roster(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, tr("选择花名册"), self._folder(), tr(ROSTER_FILTER)
        )
        if name:
            self.preview_file(Path(name))

    def preview_file(self, path: Path) -> None:
        """Read and check `path` in the background and show what importing it would do."""
        self._remember_folder(path)
        self.source = path
        self.preview = None
        self.report = None
        self.path_line.setText(str(path))
        self._show_counts(None)
        self._say(tr("正在检查 {name}…").format(name=path.name))
        opener = self._open_import

        def work(progress: Progress) -> ImportPreview:
            progress.report(0, 0, tr("正在读取和检查花名册…"))
            with opener() as service:
                return service.preview(path)

        def done(result: object) -> None:
            assert isinstance(result, ImportPreview)
            self.preview = result
            self._show(result, written=False)
            self.import_button.setEnabled(bool(result.valid_rows))
            self._say(
                tr("以上为预览，数据库尚未改动。确认无误后点“导入”。")
                if result.valid_rows
                else tr("没有可导入的行。")
            )

        self._start(tr("检查花名册"), work, done)

    # -- import -------------------------------------------------------------------------------
    def start_import(self) -> None:
        """Import the previewed file in one transaction; 取消 leaves the database unchanged."""
        path = self.source
        if path is None or self.preview is None or self.busy:
            return
        opener = self._open_import

        def work(progress: Progress) -> ImportReport:
            def report(done: int, total: int, text: str) -> None:
                if done < total:
                    progress.report(done, total, text)  # the service's words
                # The last step comes after COMMIT: too late to cancel, so it is not asked.

            with opener() as service:
                return service.run(path, progress=report)

        self._start(tr("导入花名册"), work, self._imported)
        self._say(tr("正在导入 {name}…").format(name=path.name))

    def _imported(self, result: object) -> None:
        assert isinstance(result, ImportReport)
        self.report = result
        self.import_button.setEnabled(False)  # imported: choose the file again to re-import
        self._show(result, written=True)
        rejects = (
            tr("被拒绝的行已写入 {path}").format(path=result.rejects_path)
            if result.rejects_path is not None
            else ""
        )
        self._say(" ".join(part for part in (tr("导入完成。"), rejects) if part))
        self._bus.announce(IMPORT_OPERATION)

    def _start(
        self, title: str, work: Callable[[Progress], object], done: Callable[[object], None]
    ) -> None:
        """Run `work` through the TaskRunner with this page's buttons disabled meanwhile."""

        def finished(result: object) -> None:
            self._set_busy(None)
            done(result)

        worker = self._runner.run(title, work, finished, self._failed(title))
        self._set_busy(worker.progress)

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            self._set_busy(None)
            if isinstance(error, TaskCancelled):
                self._say(tr("已取消{what}，数据库未改动。").format(what=what), problem=True)
            elif isinstance(error, (RosterFileError, OSError, ValueError)):
                self.preview = None
                self.import_button.setEnabled(False)
                self._say(str(error), problem=True)
            else:
                self._say(tr("{what}失败。").format(what=what), problem=True)
                show_unexpected(self, what, error)

        return failed

    # -- showing a preview or a report ----------------------------------------------------------
    def _show_counts(self, preview: ImportPreview | None) -> None:
        rejected = _rejects_by_kind(preview) if preview is not None else {}
        for row, kind in enumerate(KINDS):
            values: tuple[object, ...] = ("",) * len(COUNT_COLUMNS)
            if preview is not None:
                counts = (preview.workers, preview.placements, preview.organisations)[row]
                values = (counts.created, counts.updated, counts.unchanged, rejected[kind])
            for column, value in enumerate(values, start=1):
                self.counts.setItem(row, column, _item(value))
        if preview is None:
            self.rejects.setRowCount(0)
            self.summary.setText("")
            self.heading.setText(tr("预览：选择文件后先检查，不写入数据库。"))
            for button in (self.open_rejects_button, self.save_rejects_button):
                button.setEnabled(False)

    def _show(self, preview: ImportPreview, *, written: bool) -> None:
        heading = (
            tr("导入结果（已写入数据库）：{name}") if written else tr("预览（未写入）：{name}")
        )
        self.heading.setText(heading.format(name=preview.source.name))
        self._show_counts(preview)
        stats = preview.stats
        lines = [
            tr(
                "共读取 {rows} 行：可导入 {valid} 行，拒绝 {rejected} 行，重复 {duplicates} 行。"
            ).format(
                rows=stats.data_rows,
                valid=preview.valid_rows,
                rejected=preview.rejected_rows,
                duplicates=stats.duplicates,
            )
        ]
        lines += [
            (tr("第{row}行：").format(row=warning.row_number) if warning.row_number else "")
            + warning.message
            for warning in preview.warnings[:5]
        ]
        cells = preview.rejected_cells
        if len(cells) > SHOWN_REJECTS:
            lines.append(
                tr("仅列出前 {shown} 条原因（共 {total} 条），全部见错误行文件。").format(
                    shown=SHOWN_REJECTS, total=len(cells)
                )
            )
        self.summary.setText("\n".join(lines))
        self.rejects.setRowCount(min(len(cells), SHOWN_REJECTS))
        for row, (sheet, cell) in enumerate(cells[:SHOWN_REJECTS]):
            where = tr("第{row}行").format(row=cell.row)
            if cell.column:
                where += tr("{column}列").format(column=cell.column)
            for column, text in enumerate((sheet, where, cell.field, cell.value, cell.reason)):
                self.rejects.setItem(row, column, _item(text))
        has_rejects = bool(preview.rejects)
        self.save_rejects_button.setEnabled(has_rejects)
        self.open_rejects_button.setEnabled(
            isinstance(preview, ImportReport) and preview.rejects_path is not None
        )

    # -- the rejects workbook ------------------------------------------------------------------
    def open_rejects(self) -> None:
        """Open the <name>.错误.xlsx that the import wrote, in the spreadsheet program."""
        if self.report is not None and self.report.rejects_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.rejects_path)))

    def choose_rejects_copy(self) -> None:
        if self.preview is None or self.source is None:
            return
        suggested = self.source.with_name(f"{self.source.stem}.错误.xlsx")
        name, _ = QFileDialog.getSaveFileName(
            self, tr("保存错误行文件"), str(suggested), tr("Excel 工作簿 (*.xlsx)")
        )
        if name:
            self.save_rejects(Path(name))

    def save_rejects(self, target: Path) -> None:
        """The rejected rows with their reasons as an .xlsx at `target` (a copy after import)."""
        written = self.report.rejects_path if self.report is not None else None
        try:
            if written is not None and written.exists():
                if written.resolve() != target.resolve():
                    shutil.copyfile(written, target)
            elif self.preview is not None:
                self.preview.write_rejects(target)
        except OSError as error:
            self._say(
                tr("错误行文件无法保存：{reason}").format(reason=error.strerror or error),
                problem=True,
            )
            return
        self._say(tr("错误行已保存到 {path}").format(path=target))

    # -- export -------------------------------------------------------------------------------
    def choose_export_file(self) -> None:
        suggested = Path(self._folder()) / f"zwdesk-导出-{date.today():%Y%m%d}.xlsx"
        name, _ = QFileDialog.getSaveFileName(
            self, tr("导出全站"), str(suggested), tr("Excel 工作簿 (*.xlsx)")
        )
        if name:
            target = Path(name)
            self.export_to(target if target.suffix else target.with_suffix(".xlsx"))

    def export_to(self, target: Path) -> None:
        """Write the export workbook in the background (the database is only read)."""
        self._remember_folder(target)
        opener = self._open_export

        def work(progress: Progress) -> ExportReport:
            progress.report(0, 0, tr("正在导出…"))
            with opener() as service:
                return service.export(target)

        def done(result: object) -> None:
            assert isinstance(result, ExportReport)
            self.export_report = result
            self._say(
                tr(
                    "已导出 {workers} 人、{placements} 条就业记录、{follow_ups} 条回访到 {path}"
                ).format(
                    workers=result.workers,
                    placements=result.placements,
                    follow_ups=result.follow_ups,
                    path=result.path,
                )
            )

        self._start(tr("导出"), work, done)
