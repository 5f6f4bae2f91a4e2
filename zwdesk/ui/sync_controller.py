"""Runs the sync sender in the background: when an attempt is due, soon after a write, and
when the clerk presses 立即同步 — never on the GUI thread.

Each round opens its own SyncSender over its own database connection in a worker thread,
sends if something is due (the sender keeps the backoff schedule in the database, so a restarted
window resumes it), and hands the status back to the GUI thread, which sets a timer for the
next round.

Why not the TaskRunner: closing the window waits there for every task, and an attempt cannot
be cancelled in the middle of a request (three calls, each up to the client's timeout). A sync
round is safe to abandon instead — every write of the sender is one transaction, and a bundle
whose answer never arrived is sent again, byte for byte, after the restart (the city answers
with the same receipt). So the round runs in a daemon thread that closing waits for only
briefly.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from zwdesk.services.station_scenario_service import StationDatabaseError
from zwdesk.services.sync_sender import BACKOFF_FIRST, SyncSender, SyncState, SyncStatus
from zwdesk.sync.errors import SyncError
from zwdesk.ui.i18n import tr
from zwdesk.ui.operation_bus import OperationBus

logger = logging.getLogger(__name__)

# Opens a SyncSender over a connection of its own, in the calling (worker) thread.
SenderOpener = Callable[[], AbstractContextManager[SyncSender]]
Clock = Callable[[], datetime]

RECHECK = timedelta(minutes=10)  # look again at least this often (other programs, a sleep)
AFTER_WRITE_MS = 2000  # a burst of writes (Enter–Enter on the follow-up list) → one round
MIN_GAP_MS = 1000  # between two automatic rounds, so a sender that keeps finding work cannot spin
# The window opens first: the first round only reads the status, sending starts this much later
# (立即同步 at once). A restarted window then resumes the backoff where it stopped.
START_DELAY_MS = 3000
STOP_WAIT_SECONDS = 3.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SyncRound:
    """What one round found: the status afterwards and when the sender wants to go again."""

    status: SyncStatus
    next_attempt: datetime | None
    sent: bool = False  # an attempt was made (not only the status read)


class Send(Enum):
    """Whether a round may talk to the city."""

    NEVER = "never"  # read the status only (the first round, while the window opens)
    IF_DUE = "if-due"  # something to send and no backoff running
    NOW = "now"  # 立即同步: whatever the backoff said


_STRENGTH = (Send.NOW, Send.IF_DUE, Send.NEVER)


def run_round(
    open_sender: SenderOpener,
    clock: Clock,
    send: Send,
    on_sending: Callable[[SyncStatus], None] | None = None,
) -> SyncRound:
    """One round on the calling thread: read the status, send when `send` says so.
    `on_sending(status before)` is called just before the attempt talks to the city."""
    with open_sender() as sender:
        status = sender.status()
        if status.state is SyncState.DISABLED:
            return SyncRound(status, None)
        now = clock()
        if send is Send.NEVER or (send is Send.IF_DUE and not sender.due(now)):
            return SyncRound(status, sender.next_attempt(now))
        if send is Send.NOW:
            sender.reset_backoff()
        if on_sending is not None:
            on_sending(status)
        status = sender.send_once(now)
        return SyncRound(status, sender.next_attempt(clock()), sent=True)


class SyncController(QObject):
    """Schedules rounds; `status_changed` carries each SyncStatus to the status bar."""

    status_changed = Signal(object)  # SyncStatus
    running_changed = Signal(bool)  # True while an attempt talks to the city
    # From the worker thread (queued to the GUI thread):
    _sending = Signal(object)  # the SyncStatus before the attempt
    _finished = Signal(object)  # SyncRound or BaseException

    def __init__(
        self,
        open_sender: SenderOpener,
        bus: OperationBus | None = None,
        *,
        clock: Clock = utc_now,
        after_write_ms: int = AFTER_WRITE_MS,
        start_delay_ms: int = START_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_sender = open_sender
        self._clock = clock
        self._thread: threading.Thread | None = None
        self._wanted: Send | None = None  # a round asked for while one runs
        self._start_delay_ms = start_delay_ms
        self.stop_wait_seconds = STOP_WAIT_SECONDS  # how long closing waits for a round
        self._starting = False
        self._running = False
        self._stopped = False
        self.status: SyncStatus | None = None
        self.next_attempt: datetime | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.check)
        self._after_write = QTimer(self)
        self._after_write.setSingleShot(True)
        self._after_write.setInterval(after_write_ms)
        self._after_write.timeout.connect(self.check)
        queued = Qt.ConnectionType.QueuedConnection
        self._sending.connect(self._on_sending, queued)
        self._finished.connect(self._on_finished, queued)
        if bus is not None:
            bus.operation_done.connect(self._on_operation)

    # -- asking for a round -------------------------------------------------------------------
    @property
    def running(self) -> bool:
        """True while a round (status read or attempt) runs in the background."""
        return self._thread is not None

    @property
    def sending(self) -> bool:
        """True while an attempt talks to the city (立即同步 is disabled meanwhile)."""
        return self._running

    def start(self) -> None:
        """The first round reads the status; sending what waits (resuming after a restart)
        follows once the window is up."""
        self._starting = True
        self._run(Send.NEVER)

    def check(self) -> None:
        """A round that sends only when due (something to send, no backoff running)."""
        self._run(Send.IF_DUE)

    def sync_now(self) -> None:
        """立即同步: an attempt now, whatever the backoff said."""
        self._run(Send.NOW)

    def _on_operation(self, _operation: str) -> None:
        if not self._stopped:
            self._after_write.start()  # restarted by every write of a burst

    def _run(self, send: Send) -> None:
        if self._stopped:
            return
        if self._thread is not None:
            wishes = (self._wanted, send)  # the strongest wish counts: NOW > IF_DUE > NEVER
            self._wanted = next(wish for wish in _STRENGTH if wish in wishes)
            return
        self._timer.stop()
        self._wanted = None
        if send is Send.NOW:
            self._set_running(True)
        thread = threading.Thread(target=self._work, args=(send,), name="zwdesk-sync", daemon=True)
        self._thread = thread
        thread.start()

    def _work(self, send: Send) -> None:
        """The worker thread: one round, the outcome queued back to the GUI thread."""
        outcome: SyncRound | BaseException
        try:
            outcome = run_round(self._open_sender, self._clock, send, self._sending.emit)
        except BaseException as error:  # shown in the status bar, never raised in a thread
            outcome = error
        with contextlib.suppress(RuntimeError):  # the window went away while the round ran
            self._finished.emit(outcome)

    # -- the outcome (GUI thread) -------------------------------------------------------------
    def _on_sending(self, before: object) -> None:
        if self._stopped:
            return
        assert isinstance(before, SyncStatus)
        self.status = before
        self.status_changed.emit(before)
        self._set_running(True)

    def _on_finished(self, outcome: object) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()  # it has nothing left to do but return
        self._set_running(False)
        if self._stopped:
            return
        if isinstance(outcome, SyncRound):
            status, next_attempt, sent = outcome.status, outcome.next_attempt, outcome.sent
        else:
            assert isinstance(outcome, BaseException)
            status = self._failure(outcome)  # e.g. the database locked: try again soon
            next_attempt, sent = status.next_attempt, True
        self.status = status
        self.next_attempt = next_attempt
        self.status_changed.emit(status)
        starting, self._starting = self._starting, False
        if self._wanted is not None:
            wanted, self._wanted = self._wanted, None
            self._run(wanted)
            return
        self._schedule(
            next_attempt, self._start_delay_ms if starting else MIN_GAP_MS if sent else 0
        )

    def _failure(self, error: BaseException) -> SyncStatus:
        if isinstance(error, (SyncError, StationDatabaseError)):
            reason = str(error)
        else:  # a bug: the type only (no personal data in logs)
            logger.error("sync round failed: %s", type(error).__name__)
            reason = tr("意外错误（{kind}）").format(kind=type(error).__name__)
        pending = self.status.pending if self.status is not None else 0
        return SyncStatus(SyncState.ERROR, pending, reason, self._clock() + BACKOFF_FIRST)

    def _schedule(self, next_attempt: datetime | None, at_least_ms: int) -> None:
        wait = RECHECK
        if next_attempt is not None:
            wait = min(max(next_attempt - self._clock(), timedelta(0)), RECHECK)
        self._timer.start(max(int(wait.total_seconds() * 1000), at_least_ms))

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.running_changed.emit(running)

    # -- closing ------------------------------------------------------------------------------
    def stop(self, wait_seconds: float | None = None) -> bool:
        """No more rounds; wait up to `wait_seconds` (default `stop_wait_seconds`) for one
        that runs. False when it still runs (it is left to end on its own: the database stays
        consistent either way)."""
        self._stopped = True
        self._timer.stop()
        self._after_write.stop()
        thread = self._thread
        if thread is None:
            return True
        thread.join(self.stop_wait_seconds if wait_seconds is None else wait_seconds)
        return not thread.is_alive()
