"""The sync sender (同步发送): one attempt at a time to hand the outbox to the city over the
network, a backoff schedule kept in the database, and a status the window can show.

No Qt and no threads here: the window (or `zwdesk sync send`) calls `send_once(now)` when
`next_attempt(now)` has come — in a worker thread, with its own database connection, since
each call may wait up to the client's timeout several times.

One attempt (`send_once`):

1. nothing to send → 已同步, without touching the network;
2. `GET /v1/time`: the city's clock more than 5 minutes from ours → 时钟偏差, nothing sent;
3. the station's key registered once (`register`, the token from the keychain);
4. the oldest bundle of the outbox not yet acknowledged is sent again — the same bytes, so a
   city that already has it answers with the same receipt — or else a new bundle is built;
5. the receipt goes through `SyncService.mark_acknowledged` (已确认, or 被拒 with the city's
   reason). The city refusing the upload itself (400/403/413) marks the bundle 被拒 with its
   reason; a network failure leaves it as it was (待发送).

Failures back off exponentially with jitter, from about 1 minute up to 1 hour, and a success
resets the schedule; schedule and last outcome live in `sync_schedule`, so a restarted window
resumes where it stopped.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum

from zwdesk.services.sync_service import NothingToSendError, SyncService
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.outbox_repository import (
    CONFIRMED,
    OutboxEntry,
    OutboxRepository,
    SyncEnrolmentRecord,
    SyncScheduleRecord,
)
from zwdesk.sync.errors import EnrolmentError, ReceiptError, SyncError
from zwdesk.sync.http_client import (
    CityClient,
    CityOfflineError,
    CityRefusedError,
    CityServerError,
)
from zwdesk.sync.keychain import Keychain

MAX_CLOCK_SKEW = timedelta(minutes=5)
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)
BACKOFF_JITTER = 0.2  # ±20 % around the nominal delay, kept within 1 min … 1 h

ClientFactory = Callable[[str], CityClient]


class SyncState(Enum):
    """What the status bar says; the value is the Chinese word."""

    DISABLED = "未启用同步"
    SYNCED = "已同步"
    PENDING = "待发送"
    OFFLINE = "离线"
    ERROR = "出错"
    CLOCK_SKEW = "时钟偏差"


# Refusals of an upload that mean the city does not hold our key (or holds another one).
_NOT_OUR_KEY = frozenset({"unknown-station", "bad-signature"})
_FAILURES = frozenset({SyncState.OFFLINE, SyncState.ERROR, SyncState.CLOCK_SKEW})


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """The sender's state for the window: `text` for the status bar, `detail` for a tooltip."""

    state: SyncState
    pending: int = 0  # records not yet covered by a receipt
    reason: str | None = None  # why it failed (Chinese), for 离线 / 出错 / 时钟偏差
    next_attempt: datetime | None = None  # None: nothing to send, no retry scheduled
    last_success: datetime | None = None  # the last attempt that left nothing unsent

    @property
    def text(self) -> str:
        if self.state is SyncState.PENDING:
            return f"待发送 {self.pending} 条"
        if self.state is SyncState.ERROR:
            return f"出错（{self.reason or '原因不明'}）"
        if self.state is SyncState.CLOCK_SKEW and self.reason:
            return f"时钟偏差（{self.reason}）"
        return str(self.state.value)

    @property
    def detail(self) -> str:
        parts = [self.text]
        if self.state is SyncState.OFFLINE and self.reason:
            parts.append(self.reason)
        if self.state in _FAILURES and self.pending:
            parts.append(f"待发送 {self.pending} 条")
        if self.next_attempt is not None and self.state in _FAILURES:
            local = self.next_attempt.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            parts.append(f"下次尝试 {local}")
        return "；".join(parts)

    @property
    def failed(self) -> bool:
        return self.state in _FAILURES


def backoff_bounds(failures: int) -> tuple[timedelta, timedelta]:
    """The range the delay after `failures` consecutive failures (≥ 1) is drawn from."""
    nominal = min(BACKOFF_FIRST * 2 ** (max(failures, 1) - 1), BACKOFF_MAX)
    low = max(nominal * (1 - BACKOFF_JITTER), BACKOFF_FIRST)
    high = min(nominal * (1 + BACKOFF_JITTER), BACKOFF_MAX)
    return low, high


def backoff_delay(failures: int, rng: random.Random) -> timedelta:
    """Nominally 1 min, 2, 4 … 32 min, then 1 h; drawn uniformly from ±20 % around that, cut
    to 1 min … 1 h (so 60–72 s after the first failure, 48–60 min from the seventh on), so
    stations that went offline together do not all come back in the same second."""
    low, high = backoff_bounds(failures)
    return low + (high - low) * rng.random()


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime) -> str:
    return _utc(moment).isoformat(timespec="milliseconds")


def _parse(value: str | None) -> datetime | None:
    return None if value is None else _utc(datetime.fromisoformat(value))


def _duration(delta: timedelta) -> str:
    seconds = round(abs(delta.total_seconds()))
    if seconds >= 3600:
        return f"{seconds // 3600} 小时 {seconds % 3600 // 60} 分钟"
    return f"{seconds // 60} 分钟 {seconds % 60} 秒" if seconds >= 60 else f"{seconds} 秒"


class _Failure(Exception):
    def __init__(self, state: SyncState, reason: str) -> None:
        super().__init__(reason)
        self.state = state
        self.reason = reason


class SyncSender:
    """Sends one station's outbox to its city; state in the station database."""

    def __init__(
        self,
        database: StationDatabase,
        *,
        keychain: Keychain | None = None,
        client_factory: ClientFactory | None = None,
        rng: random.Random | None = None,
        max_clock_skew: timedelta = MAX_CLOCK_SKEW,
    ) -> None:
        self._database = database
        self._keychain = keychain or Keychain()
        self._sync = SyncService(database, self._keychain)
        self._outbox = OutboxRepository(database)
        self._client_factory: ClientFactory = client_factory or CityClient
        self._rng = rng or random.Random()
        self._max_clock_skew = max_clock_skew

    # -- what the window asks ----------------------------------------------------------------
    def status(self) -> SyncStatus:
        """The current state, from the database alone (no network)."""
        if self._outbox.enrolment() is None:
            return SyncStatus(SyncState.DISABLED)
        schedule = self._outbox.schedule()
        pending = self._sync.pending_count()
        next_attempt = _parse(schedule.next_attempt_at)
        last_success = _parse(schedule.last_success_at)
        if schedule.failures and schedule.last_outcome in SyncState.__members__:
            state = SyncState[schedule.last_outcome or ""]
            if state in _FAILURES:
                return SyncStatus(state, pending, schedule.last_detail, next_attempt, last_success)
        state = SyncState.PENDING if pending else SyncState.SYNCED
        return SyncStatus(state, pending, last_success=last_success)

    def next_attempt(self, now: datetime) -> datetime | None:
        """When to call `send_once` next: `now` when there is something to send and no backoff
        is running, the end of the backoff after failures, None when there is nothing to send
        (ask again after the next change)."""
        now = _utc(now)
        if self._outbox.enrolment() is None:
            return None
        schedule = self._outbox.schedule()
        retry_at = _parse(schedule.next_attempt_at)
        if schedule.failures and retry_at is not None:
            return max(retry_at, now)
        return now if self._has_work() else None

    def reset_backoff(self) -> None:
        """Forget the failures counted so far (the clerk pressed 立即同步): should this attempt
        fail too, the next one comes after about a minute, not the hour reached so far."""
        self._save(lambda schedule: replace(schedule, failures=0, next_attempt_at=None))

    def due(self, now: datetime) -> bool:
        """True when `send_once(now)` should run now."""
        next_attempt = self.next_attempt(now)
        return next_attempt is not None and next_attempt <= _utc(now)

    # -- registration ------------------------------------------------------------------------
    def register(self, now: datetime | None = None) -> None:
        """Register the station's public key with the city, once, with the enrolment token
        from the keychain. Raises CityOfflineError, CityRefusedError, CityServerError, or
        EnrolmentError (not enrolled, no token)."""
        enrolment = self._enrolment()
        self._register(self._client_factory(enrolment.city_url), enrolment, now)

    def registered(self) -> bool:
        return self._outbox.schedule().registered_at is not None

    def _register(
        self, client: CityClient, enrolment: SyncEnrolmentRecord, now: datetime | None
    ) -> None:
        if self.registered():
            return
        token = self._keychain.enrolment_token(enrolment.station_id)
        if token is None:
            raise EnrolmentError(
                f"钥匙串中没有站点 {enrolment.station_id} 的登记令牌：请重新导入登记文件"
            )
        client.register(enrolment.station_id, token, enrolment.station_verify_key)
        at = _iso(now or datetime.now(UTC))
        self._save(lambda schedule: replace(schedule, registered_at=at))

    # -- one attempt -------------------------------------------------------------------------
    def send_once(self, now: datetime) -> SyncStatus:
        """One attempt: check the clock, register if needed, send one bundle, apply the
        receipt. Returns the status afterwards; EnrolmentError when not enrolled."""
        now = _utc(now)
        enrolment = self._enrolment()
        if not self._has_work():
            return self._succeeded(now)
        client = self._client_factory(enrolment.city_url)
        try:
            self._check_clock(client, now)
            refused_registration: CityRefusedError | None = None
            try:
                self._register(client, enrolment, now)
            except CityRefusedError as error:
                # Perhaps our first request got through and only its answer was lost: the
                # city refuses a used token. The upload tells: it works if the key is there.
                refused_registration = error
            entry, data = self._next_bundle()
            if entry is None:
                return self._succeeded(now)
            try:
                self._send(client, enrolment, entry, data, now)
            except CityRefusedError as error:
                if refused_registration is not None and error.reason in _NOT_OUR_KEY:
                    raise refused_registration from error
                raise
            if refused_registration is not None:
                at = _iso(now)
                self._save(lambda schedule: replace(schedule, registered_at=at))
        except _Failure as failure:
            return self._failed(now, failure.state, failure.reason)
        except CityOfflineError as error:
            return self._failed(now, SyncState.OFFLINE, str(error))
        except CityRefusedError as error:
            return self._failed(now, SyncState.ERROR, f"{error}（{error.reason}）")
        except SyncError as error:  # server errors, keychain, a bad receipt …
            return self._failed(now, SyncState.ERROR, str(error))
        return self._succeeded(now)

    def _check_clock(self, client: CityClient, now: datetime) -> None:
        started = time.monotonic()
        city_now = client.server_time()
        ours = now + timedelta(seconds=(time.monotonic() - started) / 2)
        skew = ours - city_now
        if abs(skew) > self._max_clock_skew:
            direction = "快" if skew > timedelta(0) else "慢"
            raise _Failure(
                SyncState.CLOCK_SKEW,
                f"本机时间比市里{direction} {_duration(skew)}，请校准本机时间后再同步",
            )

    def _next_bundle(self) -> tuple[OutboxEntry | None, bytes]:
        entry = self._outbox.oldest_unacknowledged()
        if entry is not None:
            data = self._outbox.content(entry.bundle_id)
            if data is not None:
                return entry, data
        try:
            sealed = self._sync.build()
        except NothingToSendError:
            return None, b""
        return self._outbox.get(sealed.manifest.bundle_id), sealed.data

    def _send(
        self,
        client: CityClient,
        enrolment: SyncEnrolmentRecord,
        entry: OutboxEntry,
        data: bytes,
        now: datetime,
    ) -> None:
        with self._database.transaction("同步发送"):
            self._outbox.record_attempt(entry.bundle_id, _iso(now))
        try:
            receipt = client.upload_bundle(enrolment.station_id, data)
        except CityRefusedError as error:
            with self._database.transaction("同步被拒"):
                self._outbox.mark_refused(entry.bundle_id, f"{error}（{error.reason}）")
                if error.reason == "unknown-station":  # the city lost us: register again
                    self._save(lambda schedule: replace(schedule, registered_at=None))
            raise
        try:
            acknowledged = self._sync.mark_acknowledged(receipt)
        except ReceiptError:
            # The city answered, so the bundle reached it; the receipt did not survive the way
            # back (or is wrong). Sending the same bytes again fetches the receipt again.
            with self._database.transaction("同步发送"):
                self._outbox.mark_sent(entry.bundle_id)
            raise
        if acknowledged.bundle_id == entry.bundle_id and acknowledged.state != CONFIRMED:
            raise _Failure(SyncState.ERROR, acknowledged.reason or "市里拒收，未说明原因")
        if acknowledged.bundle_id != entry.bundle_id:
            raise CityServerError(200, "市里返回的回执不是这个数据包的")

    # -- the schedule ------------------------------------------------------------------------
    def _succeeded(self, now: datetime) -> SyncStatus:
        at = _iso(now)
        self._save(
            lambda schedule: replace(
                schedule,
                failures=0,
                next_attempt_at=None,
                last_attempt_at=at,
                last_success_at=at,
                last_outcome=SyncState.SYNCED.name,
                last_detail=None,
            )
        )
        return self.status()

    def _failed(self, now: datetime, state: SyncState, reason: str) -> SyncStatus:
        failures = self._outbox.schedule().failures + 1
        retry_at = _iso(now + backoff_delay(failures, self._rng))
        self._save(
            lambda schedule: replace(
                schedule,
                failures=failures,
                next_attempt_at=retry_at,
                last_attempt_at=_iso(now),
                last_outcome=state.name,
                last_detail=reason,
            )
        )
        return self.status()

    def _save(self, change: Callable[[SyncScheduleRecord], SyncScheduleRecord]) -> None:
        with self._database.transaction("同步计划"):
            self._outbox.save_schedule(change(self._outbox.schedule()))

    # -- helpers -----------------------------------------------------------------------------
    def _enrolment(self) -> SyncEnrolmentRecord:
        enrolment = self._outbox.enrolment()
        if enrolment is None:
            raise EnrolmentError(
                "本站尚未登记同步：请先导入市里发放的登记文件（zwdesk sync enrol）"
            )
        return enrolment

    def _has_work(self) -> bool:
        return self._outbox.oldest_unacknowledged() is not None or self._sync.pending_count() > 0
