"""The workers table over the database: pages are read as the view scrolls (fetchMore)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from zwdesk.domain.privacy import mask_id_number, mask_phone
from zwdesk.domain.regions import lookup_region
from zwdesk.services.worker_browser_service import (
    WorkerBrowserService,
    WorkerListRow,
    WorkerPager,
)
from zwdesk.ui.i18n import tr

PAGE_SIZE = 200
ID_NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


def county_name(code: str | None) -> str:
    """海原县 for 640522; the bare code when the table does not know it."""
    if not code:
        return ""
    region = lookup_region(code)
    return region.name if region else code


class WorkerTableModel(QAbstractTableModel):
    """Rows of one search; ID numbers and phones masked (the detail pane shows them whole)."""

    COLUMNS = ("姓名", "身份证号", "性别", "户籍所在县", "联系电话", "农村")

    def __init__(self, service: WorkerBrowserService, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._service = service
        self._page_size = page_size
        self._rows: list[WorkerListRow] = []
        self._pager: WorkerPager = service.search("")
        self._headers = [tr(title) for title in self.COLUMNS]

    # -- searching ----------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        return self._pager.text

    def search(self, text: str) -> None:
        """Start over with a new search: the first page only, more as the view scrolls."""
        self.beginResetModel()
        self._pager = self._service.search(text)
        self._rows = self._pager.next_page(self._page_size)
        self.endResetModel()

    def refresh(self) -> None:
        """Re-run the current search (after a write), keeping as many rows as were shown."""
        shown = max(len(self._rows), self._page_size)
        self.beginResetModel()
        self._pager = self._service.search(self._pager.text)
        self._rows = self._pager.next_page(shown)
        self.endResetModel()

    def total(self) -> int:
        """How many workers match the search (not how many were read)."""
        return self._pager.total()

    @property
    def total_is_exact(self) -> bool:
        return self._pager.total_is_exact

    @property
    def fetched(self) -> int:
        return len(self._rows)

    def id_number_at(self, row: int) -> str | None:
        return self._rows[row].id_number if 0 <= row < len(self._rows) else None

    def row_of(self, id_number: str) -> int | None:
        for row, item in enumerate(self._rows):
            if item.id_number == id_number:
                return row
        return None

    # -- incremental fetching -------------------------------------------------------------------
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._pager.exhausted

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._pager.next_page(self._page_size)
        if not page:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -- QAbstractTableModel -------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return section + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_NUMBER_ROLE:
            return row.id_number
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return row.name
        if column == 1:
            return mask_id_number(row.id_number)
        if column == 2:
            return row.gender or ""
        if column == 3:
            return county_name(row.hukou_county)
        if column == 4:
            return mask_phone(row.phone) if row.phone else ""
        return tr("是") if row.rural else tr("否")
