"""Recomputes the subsidy overview in the background when an operation changed the data.

One loader per view; the service caches by database change, so several views asking at once
cost one computation. Old numbers stay on screen until new ones arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal

from zwdesk.services.subsidy_service import SubsidyOverview, SubsidyService
from zwdesk.ui.i18n import tr
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.task_runner import Progress, TaskCancelled, TaskRunner


class OverviewLoader(QObject):
    """`refresh()` starts a computation (or marks one as wanted after the running one)."""

    loaded = Signal(object)  # SubsidyOverview
    busy_changed = Signal(bool)
    failed = Signal(str)

    def __init__(
        self,
        service: SubsidyService,
        bus: OperationBus,
        runner: TaskRunner,
        clock: Callable[[], date],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._clock = clock
        self._running = False
        self._again = False
        self.overview: SubsidyOverview | None = None
        bus.operation_done.connect(self._on_operation)

    @property
    def running(self) -> bool:
        """True while a computation runs."""
        return self._running

    def _on_operation(self, _operation: str) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute as of today, off the GUI thread."""
        if self._running:
            self._again = True
            return
        self._running = True
        self._again = False
        self.busy_changed.emit(True)
        as_of = self._clock()

        def work(progress: Progress) -> SubsidyOverview:
            return self._service.overview(as_of, progress.report)

        self._runner.run(tr("计算补贴"), work, self._done, self._failed, show_progress=False)

    def _finish(self) -> None:
        self._running = False
        self.busy_changed.emit(False)
        if self._again:
            self.refresh()

    def _done(self, overview: object) -> None:
        assert isinstance(overview, SubsidyOverview)
        self.overview = overview
        self.loaded.emit(overview)
        self._finish()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, TaskCancelled):
            self.failed.emit(tr("计算失败：{error}").format(error=error))
        self._finish()
