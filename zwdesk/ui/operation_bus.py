"""Every change is a named operation; views refresh when one they care about has run."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class OperationBus(QObject):
    """Announces finished operations (e.g. "记录回访", "导入花名册") to every view.

    Services stay Qt-free: the view that ran an operation calls `announce` after the service
    returned, and every view connected to `operation_done` refreshes what it shows.
    """

    operation_done = Signal(str)

    def announce(self, operation: str) -> None:
        """Tell every view that `operation` changed the database."""
        self.operation_done.emit(operation)
