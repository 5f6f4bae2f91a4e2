"""The one way slow work leaves the GUI thread: a worker thread, a progress bar, a cancel button."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from zwdesk.ui.i18n import tr

logger = logging.getLogger(__name__)


class TaskCancelled(Exception):
    """Raised inside a task when the person pressed 取消 (checked at `Progress.report`)."""


class Progress:
    """Handed to a task: report how far it is; `report` raises TaskCancelled once cancelled."""

    def __init__(self, emit: Callable[[int, int, str], None]) -> None:
        self._emit = emit
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        """True once the person asked to stop."""
        return self._cancelled.is_set()

    def cancel(self) -> None:
        """Ask the task to stop at its next report."""
        self._cancelled.set()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        """Progress so far (`total` 0 = unknown); stops the task if it was cancelled."""
        if self._cancelled.is_set():
            raise TaskCancelled
        self._emit(done, total, text)


class _Worker(QThread):
    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[Progress], Any]) -> None:
        super().__init__()
        self.work = work
        self.progress = Progress(self.progressed.emit)

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as error:  # delivered to the GUI thread, shown to the person
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


def _receiver_alive(callback: Callable[..., None]) -> bool:
    """False when the callback is a method of a Qt object already deleted (its page was
    closed while the task ran): delivering the result there would raise in the event loop."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class TaskRunner(QObject):
    """Runs tasks one at a time off the GUI thread; the window stays responsive."""

    busy_changed = Signal(bool)

    def __init__(self, parent_widget: QWidget | None = None) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._running: list[_Worker] = []

    @property
    def busy(self) -> bool:
        """True while a task runs."""
        return bool(self._running)

    def run(
        self,
        title: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        show_progress: bool = True,
    ) -> _Worker:
        """Start `work(progress)` in a thread; `on_done(result)` or `on_error(error)` run on
        the GUI thread afterwards. Cancelling calls `on_error(TaskCancelled())`."""
        worker = _Worker(work)
        dialog: QProgressDialog | None = None
        if show_progress:
            dialog = QProgressDialog(title, tr("取消"), 0, 0, self._parent_widget)
            dialog.setWindowTitle(title)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)  # quick tasks never flash a dialog
            dialog.canceled.connect(worker.progress.cancel)

            def show(done: int, total: int, text: str) -> None:
                assert dialog is not None
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)
                if text:
                    dialog.setLabelText(text)

            worker.progressed.connect(show)

        def finish() -> None:
            # The result arrives while run() is still returning: let the thread end before
            # the last reference goes (else "QThread: Destroyed while thread is still running").
            worker.wait()
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()
            self._running.remove(worker)
            worker.deleteLater()
            if not self._running:
                self.busy_changed.emit(False)

        def succeeded(result: object) -> None:
            finish()
            if _receiver_alive(on_done):
                on_done(result)

        def failed(error: BaseException) -> None:
            finish()
            if on_error is not None and _receiver_alive(on_error):
                on_error(error)
            elif not isinstance(error, TaskCancelled):
                logger.error("task %s failed: %s", title, type(error).__name__)

        worker.succeeded.connect(succeeded)
        worker.failed.connect(failed)
        self._running.append(worker)
        self.busy_changed.emit(True)
        worker.start()
        return worker

    def cancel_all(self) -> None:
        """Ask every running task to stop at its next report (closing the window)."""
        for worker in list(self._running):
            worker.progress.cancel()

    def wait(self, timeout_ms: int | None = None) -> None:
        """Block until every running task has finished (for closing the window and tests);
        without `timeout_ms`, however long that takes."""
        for worker in list(self._running):
            if timeout_ms is None:
                worker.wait()
            else:
                worker.wait(timeout_ms)
