"""The status bar's sync corner: 已同步 / 待发送 N 条 / 离线 / 出错 with a tooltip, and 立即同步."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from zwdesk.services.sync_sender import SyncState, SyncStatus
from zwdesk.ui.i18n import tr

Clock = Callable[[], datetime]
MAX_REASON_CHARS = 36  # the status bar shows this much of a reason; the tooltip all of it
TICK_MS = 20_000  # "约 3 分钟后重试" counts down while the window is open
_COLOURS = {
    SyncState.SYNCED: "#2e7d32",
    SyncState.OFFLINE: "#8a6d00",
    SyncState.ERROR: "#c62828",
    SyncState.CLOCK_SKEW: "#c62828",
}


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _local(moment: datetime, now: datetime) -> str:
    """14:32 today, 2025-06-01 14:32 on another day (local time)."""
    local, today = moment.astimezone(), now.astimezone()
    return f"{local:%H:%M}" if local.date() == today.date() else f"{local:%Y-%m-%d %H:%M}"


def _wait(until: datetime, now: datetime) -> str:
    seconds = (until - now).total_seconds()
    if seconds < 60:
        return tr("不到 1 分钟")
    if seconds < 3600:
        return tr("约 {minutes} 分钟").format(minutes=round(seconds / 60))
    return tr("约 {hours} 小时").format(hours=round(seconds / 3600))


def _short(reason: str) -> str:
    return reason if len(reason) <= MAX_REASON_CHARS else reason[: MAX_REASON_CHARS - 1] + "…"


def status_texts(status: SyncStatus | None, now: datetime) -> tuple[str, str]:
    """(the label, its tooltip) for a status; None = not read yet."""
    if status is None:
        return tr("同步状态读取中…"), ""
    state = status.state
    if state is SyncState.DISABLED:
        return tr("未启用同步"), tr(
            "本站尚未登记同步。在“文件 → 同步登记…”中导入市里发放的登记文件后，"
            "数据会在联网时自动发送到市里。"
        )
    lines: list[str] = []
    if state is SyncState.SYNCED:
        if status.last_success is None:
            text = tr("已同步")
        else:
            text = tr("已同步（{when}）").format(when=_local(status.last_success, now))
        lines.append(tr("所有记录都已由市里确认收到。"))
    elif state is SyncState.PENDING:
        text = tr("待发送 {count} 条").format(count=status.pending)
        lines.append(tr("这些记录尚未得到市里的回执，联网时会自动发送。"))
    elif state is SyncState.OFFLINE:
        if status.next_attempt is None:
            text = tr("离线")
        elif status.next_attempt <= now:
            text = tr("离线（即将重试）")
        else:
            text = tr("离线（{wait}后重试）").format(wait=_wait(status.next_attempt, now))
        lines.append(tr("离线：{reason}").format(reason=status.reason or tr("原因不明")))
    else:  # 出错 — the city refused, the clock is off, or something else went wrong
        reason = status.reason or tr("原因不明")
        text = tr("出错：{reason}").format(reason=_short(reason))
        lines.append(tr("出错：{reason}").format(reason=reason))
    if status.failed and status.pending:
        lines.append(tr("待发送 {count} 条").format(count=status.pending))
    if status.failed and status.next_attempt is not None:
        local = status.next_attempt.astimezone()
        lines.append(tr("下次自动尝试：{when}").format(when=f"{local:%Y-%m-%d %H:%M:%S}"))
    if status.last_success is not None and state is not SyncState.SYNCED:
        lines.append(tr("上次同步成功：{when}").format(when=_local(status.last_success, now)))
    return text, "\n".join(lines)


class SyncStatusWidget(QWidget):
    """A label and one button: 立即同步 when enrolled, 同步登记… when not."""

    sync_requested = Signal()
    enrol_requested = Signal()

    def __init__(self, clock: Clock = _utc_now, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._status: SyncStatus | None = None
        self._running = False
        self.label = QLabel(tr("未启用同步"))
        self.label.setObjectName("sync_state")
        self.button = QPushButton(tr("立即同步"))
        self.button.setObjectName("sync_now")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self._clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._render)
        self._render()

    @property
    def status(self) -> SyncStatus | None:
        return self._status

    def show_status(self, status: SyncStatus | None) -> None:
        self._status = status
        self._render()

    def set_running(self, running: bool) -> None:
        """While an attempt runs the label says so and the button waits."""
        self._running = running
        self._render()

    def _enrolled(self) -> bool:
        return self._status is not None and self._status.state is not SyncState.DISABLED

    def _clicked(self) -> None:
        if self._enrolled():
            self.sync_requested.emit()
        else:
            self.enrol_requested.emit()

    def _render(self) -> None:
        now = self._clock()
        text, tooltip = status_texts(self._status, now)
        state = self._status.state if self._status is not None else None
        if self._running:
            pending = self._status.pending if self._status is not None else 0
            text = tr("正在发送 {count} 条…").format(count=pending) if pending else tr("正在同步…")
        colour = _COLOURS.get(state) if state is not None and not self._running else None
        self.label.setStyleSheet(f"color: {colour};" if colour else "")
        self.label.setText(text)
        self.label.setToolTip(tooltip)
        self.label.setAccessibleDescription(tooltip)
        if self._enrolled() or self._status is None:
            self.button.setText(tr("立即同步"))
            self.button.setToolTip(tr("现在就向市里发送待发送的记录（不等自动重试）"))
        else:
            self.button.setText(tr("同步登记…"))
            self.button.setToolTip(tr("导入市里发放的登记文件，启用同步"))
        self.button.setEnabled(self._status is not None and not self._running)
        waiting = self._status is not None and self._status.state is SyncState.OFFLINE
        if waiting and not self._tick.isActive():
            self._tick.start()
        elif not waiting:
            self._tick.stop()
