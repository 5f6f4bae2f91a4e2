"""Slow work runs off the GUI thread, reports progress, and can be cancelled."""

from __future__ import annotations

import threading
import time

from pytestqt.qtbot import QtBot

from zwdesk.ui.task_runner import Progress, TaskCancelled, TaskRunner


def test_work_runs_in_another_thread_and_result_comes_back(qtbot: QtBot) -> None:
    runner = TaskRunner()
    results: list[object] = []
    gui_thread = threading.get_ident()

    def work(progress: Progress) -> int:
        progress.report(1, 2, "一半")
        return threading.get_ident()

    runner.run("测试", work, results.append, show_progress=False)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0] != gui_thread
    assert not runner.busy


def test_cancel_stops_the_task_at_its_next_report(qtbot: QtBot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []
    started = threading.Event()

    def work(progress: Progress) -> None:
        started.set()
        for step in range(1000):
            progress.report(step, 1000)
            time.sleep(0.01)

    worker = runner.run("测试", work, lambda _: None, errors.append, show_progress=False)
    assert started.wait(5)
    worker.progress.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], TaskCancelled)


def test_an_error_in_the_task_reaches_the_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []

    def work(progress: Progress) -> None:
        raise ValueError("坏数据")

    runner.run("测试", work, lambda _: None, errors.append, show_progress=False)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "坏数据"


def test_cancel_all_stops_every_running_task_and_wait_needs_no_timeout(qtbot: QtBot) -> None:
    runner = TaskRunner()
    errors: list[BaseException] = []
    started = [threading.Event(), threading.Event()]

    def work(index: int) -> object:
        def run(progress: Progress) -> None:
            started[index].set()
            for step in range(3000):  # 30 s unless cancelled
                progress.report(step, 3000)
                time.sleep(0.01)

        return run

    workers = [
        runner.run("测试", work(index), lambda _: None, errors.append, show_progress=False)
        for index in range(2)
    ]
    assert all(event.wait(5) for event in started)
    began = time.monotonic()
    runner.cancel_all()
    runner.wait()
    assert time.monotonic() - began < 5
    assert all(worker.isFinished() for worker in workers)
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=5000)
    assert all(isinstance(error, TaskCancelled) for error in errors)


def test_a_result_for_a_deleted_page_is_dropped_not_raised(qtbot: QtBot) -> None:
    """A page closed while its computation ran must not make the event loop raise."""
    from PySide6.QtCore import QObject, Signal
    from shiboken6 import delete

    class Page(QObject):
        loaded = Signal(object)

        def done(self, result: object) -> None:
            self.loaded.emit(result)  # raises once the C++ object is gone

    runner = TaskRunner()
    page = Page()
    release = threading.Event()

    def work(progress: Progress) -> int:
        release.wait(5)
        return 1

    runner.run("测试", work, page.done, show_progress=False)
    delete(page)  # the page's C++ object goes, as when its window closes
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)  # no exception in the event loop
