"""Keeping the conflict list current while `zwdesk city serve` runs: after new bundles have
arrived, the whole city is analysed again in a background thread (at most once per interval),
so the next receipts carry current notices without anyone running `conflicts --refresh`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date

from zwdesk.city.analysis import RefreshSummary, refresh_conflicts
from zwdesk.city.database import CityDatabase

DEFAULT_INTERVAL_SECONDS = 600.0  # a city-size analysis takes about a minute on 2 cores
_log = logging.getLogger(__name__)


class ConflictRefresher:
    """Re-analyses the city when the number of received bundles has changed since last time."""

    def __init__(
        self,
        database: CityDatabase,
        interval: float = DEFAULT_INTERVAL_SECONDS,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.database = database
        self.interval = interval
        self._today = today
        self._seen_bundles: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> RefreshSummary | None:
        """One round: analyse when bundles arrived since the last analysis (or none was made)."""
        bundles = self.database.counts()["bundles"]
        if bundles == self._seen_bundles:
            return None
        summary = refresh_conflicts(self.database, as_of=self._today())
        self._seen_bundles = bundles
        _log.info(
            "全市比对完成（%d 个数据包，%d 条记录，%d 人）：%s",
            bundles,
            summary.records,
            summary.persons,
            "、".join(f"{kind} {count} 项" for kind, count in sorted(summary.found.items()))
            or "未发现冲突",
        )
        return summary

    def start(self) -> None:
        """Check every `interval` seconds in a daemon thread until `stop`."""
        self._thread = threading.Thread(target=self._run, name="conflict-refresher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the service keeps taking bundles; the next round tries again
                _log.exception("全市比对失败，%d 秒后重试", int(self.interval))
