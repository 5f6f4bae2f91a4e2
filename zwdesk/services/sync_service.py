"""Sync use cases (同步): enrol with the city, build a bundle into the outbox, export it for a
USB stick, take the city's receipt, and say how much is waiting (待发送 N 条)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from nacl.public import PublicKey
from nacl.signing import VerifyKey

from zwdesk import __version__
from zwdesk.domain.policy.parameters import PolicyParameterError, PolicySchedule
from zwdesk.services.bundle_parts import changed_parts
from zwdesk.services.policy_files import default_schedule, station_schedule
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.errors import RecordNotFoundError
from zwdesk.storage.outbox_repository import (
    PENDING,
    REJECTED,
    OutboxEntry,
    OutboxRepository,
    SyncEnrolmentRecord,
)
from zwdesk.storage.policy_update_repository import (
    PolicyUpdateRefusal,
    PolicyUpdateRepository,
    StoredPolicyUpdate,
)
from zwdesk.storage.sync_notice_repository import (
    NoticeSource,
    SyncNotice,
    SyncNoticeRepository,
)
from zwdesk.sync.bundle import SealedBundle, seal_bundle
from zwdesk.sync.canonical import from_base64, to_base64
from zwdesk.sync.enrolment import read_enrolment_file
from zwdesk.sync.errors import EnrolmentError, ReceiptError, SyncError
from zwdesk.sync.keychain import Keychain
from zwdesk.sync.policy_update import PolicyUpdate, verify_policy_update
from zwdesk.sync.receipt import Receipt, verify_receipt


class NothingToSendError(SyncError):
    """Every record is already covered by a receipt or an earlier bundle's range."""


@dataclass(frozen=True, slots=True)
class EnrolmentResult:
    """What to register with the city: our station id and the public half of our key."""

    station_id: str
    city_url: str
    station_public_key: str  # base64 Ed25519 verify key


RECORD_SYNCED = "已同步"
RECORD_PENDING = "待发送"
RECORD_REJECTED = "被拒"


@dataclass(frozen=True, slots=True)
class RecordSyncState:
    """One record's sync state for the window: 已同步 when a receipt covers its last change,
    被拒 (with the city's reason) when the last bundle that carried it was refused, else 待发送."""

    table: str
    uuid: str
    state: str
    reason: str | None = None
    notices: tuple[str, ...] = ()  # the city's notices on the record (市里意见)


@dataclass(frozen=True, slots=True)
class ReceiptOutcome:
    """What one receipt did: the bundle's new state, the policy updates it brought (applied
    or refused, with the reason) and whether it replaced the city's notices."""

    entry: OutboxEntry
    policy_applied: tuple[str, ...] = ()  # file names, e.g. "2026-01-01.toml"
    policy_refused: tuple[PolicyUpdateRefusal, ...] = ()
    notices_replaced: bool = False
    notice_count: int = 0  # notices stored after this receipt


def policy_version(today: date | None = None, schedule: PolicySchedule | None = None) -> str:
    """The parameter file in force today, as claims name it ("zwdesk-policy/1 2025-01-01")."""
    params = (schedule or default_schedule()).at(today or date.today())
    return f"{params.format} {params.effective_from.isoformat()}"


def _instant(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _published_later(incoming: str, stored: str) -> bool:
    """True when `incoming` was published after `stored` (unknown times count as oldest)."""
    later, earlier = _instant(incoming), _instant(stored)
    return later is not None and (earlier is None or later > earlier)


class SyncService:
    """Sync for one station database; secrets come from `keychain` (the OS keychain)."""

    def __init__(self, database: StationDatabase, keychain: Keychain | None = None) -> None:
        self._database = database
        self._keychain = keychain or Keychain()
        self._outbox = OutboxRepository(database)

    # -- enrolment ---------------------------------------------------------------------------
    def enrol(self, path: Path) -> EnrolmentResult:
        """Import an enrolment file: the token and a new signing key go to the keychain, the
        city's public keys to the database. The registration request itself comes later."""
        enrolment = read_enrolment_file(path)
        self._keychain.store_enrolment_token(enrolment.station_id, enrolment.token)
        verify_key = self._keychain.create_signing_key(enrolment.station_id)
        record = SyncEnrolmentRecord(
            station_id=enrolment.station_id,
            city_url=enrolment.city_url,
            city_public_key=to_base64(bytes(enrolment.city_public_key)),
            city_verify_key=to_base64(bytes(enrolment.city_verify_key)),
            station_verify_key=to_base64(bytes(verify_key)),
            enrolled_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._database.transaction("同步登记"):
            self._outbox.save_enrolment(record)
        return EnrolmentResult(record.station_id, record.city_url, record.station_verify_key)

    def enrolled(self) -> EnrolmentResult | None:
        """The station's current enrolment (station id, city URL, our public key), if any."""
        record = self._outbox.enrolment()
        if record is None:
            return None
        return EnrolmentResult(record.station_id, record.city_url, record.station_verify_key)

    def _enrolment(self) -> SyncEnrolmentRecord:
        enrolment = self._outbox.enrolment()
        if enrolment is None:
            raise EnrolmentError(
                "本站尚未登记同步：请先导入市里发放的登记文件（zwdesk sync enrol）"
            )
        return enrolment

    # -- bundles -----------------------------------------------------------------------------
    def synced_through(self) -> int:
        """Every change up to this number is covered by a valid receipt."""
        return self._outbox.synced_through()

    def pending_count(self) -> int:
        """Records changed after the last acknowledged change."""
        return self._outbox.pending_count(self._outbox.synced_through())

    def status_text(self) -> str:
        pending = self.pending_count()
        return f"待发送 {pending} 条" if pending else "已同步"

    def build(self, since_change: int | None = None) -> SealedBundle:
        """Seal every record changed after `since_change` (default: the last acknowledged
        change) and keep the bundle in the outbox as 待发送."""
        enrolment = self._enrolment()
        signing_key = self._keychain.signing_key(enrolment.station_id)
        if signing_key is None:
            raise EnrolmentError(
                f"钥匙串中没有站点 {enrolment.station_id} 的签名密钥：请重新导入登记文件"
            )
        if to_base64(bytes(signing_key.verify_key)) != enrolment.station_verify_key:
            raise EnrolmentError("钥匙串中的签名密钥与登记时的不一致：请重新导入登记文件")
        since = self._outbox.synced_through() if since_change is None else since_change
        try:
            version = policy_version(schedule=station_schedule(self._database))
        except PolicyParameterError as error:
            raise SyncError(str(error)) from None
        # One write transaction: no change can slip in between reading the feed and the range.
        with self._database.transaction("同步打包"):
            through = self._outbox.current_change()
            if through <= since:
                raise NothingToSendError("没有需要发送的变更：所有记录都已同步")
            with changed_parts(self._outbox, self._database.path, since, through) as parts:
                rows, encoded = parts
                sealed = seal_bundle(
                    rows,
                    station_id=enrolment.station_id,
                    change_from=since + 1,
                    change_to=through,
                    signing_key=signing_key,
                    city_public_key=PublicKey(from_base64(enrolment.city_public_key, 32)),
                    app_version=f"zwdesk {__version__}",
                    policy_version=version,
                    encoded=encoded,
                )
            manifest = sealed.manifest
            self._outbox.add(
                OutboxEntry(
                    bundle_id=manifest.bundle_id,
                    station_id=manifest.station_id,
                    change_from=manifest.change_from,
                    change_to=manifest.change_to,
                    record_count=manifest.record_count,
                    size=len(sealed.data),
                    payload_sha256=manifest.payload_sha256,
                    state=PENDING,
                    reason=None,
                    created_at=manifest.created_at,
                    sent_at=None,
                    acknowledged_at=None,
                ),
                sealed.data,
            )
        return sealed

    def export(self, path: Path, since_change: int | None = None) -> SealedBundle:
        """Build a bundle and write it to a file (for a USB stick); the bundle counts as
        已发送 once the file is written."""
        sealed = self.build(since_change)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(sealed.data)
        partial.replace(path)
        with self._database.transaction("同步导出"):
            self._outbox.mark_sent(sealed.manifest.bundle_id)
        return sealed

    def outbox(self) -> list[OutboxEntry]:
        return self._outbox.entries()

    def worker_record_states(self, id_number: str) -> dict[str, RecordSyncState] | None:
        """The sync state of a worker's record, placements and follow-ups, keyed by the ID
        number, the placement code and the follow-up UUID; None when not enrolled."""
        if self._outbox.enrolment() is None:
            return None
        through = self._outbox.synced_through()
        entries = self._outbox.entries()  # oldest first: the last covering one counts
        states: dict[str, RecordSyncState] = {}
        for table, uuid, key, change in self._outbox.worker_records(id_number):
            notices = tuple(notice.message for notice in self.notices_for(table, uuid))
            state = RecordSyncState(table, uuid, RECORD_SYNCED, notices=notices)
            if change > through:
                last = next(
                    (e for e in reversed(entries) if e.change_from <= change <= e.change_to),
                    None,
                )
                refused = last is not None and last.state == REJECTED
                reason = last.reason if last is not None and refused else None
                state = RecordSyncState(
                    table, uuid, RECORD_REJECTED if refused else RECORD_PENDING, reason, notices
                )
            states[key] = state
        return states

    # -- receipts ----------------------------------------------------------------------------
    def mark_acknowledged(self, receipt_data: bytes) -> OutboxEntry:
        """Apply the city's receipt: 已确认 (its range counts as synced) or 被拒 with the reason.

        ReceiptError (nothing changes) unless the city's signature is valid and the receipt
        names our station and a bundle of our outbox with exactly its change range. The
        policy updates and notices it carries are taken as `accept_receipt` says.
        """
        return self.accept_receipt(receipt_data).entry

    def accept_receipt(self, receipt_data: bytes) -> ReceiptOutcome:
        """`mark_acknowledged`, saying what else the receipt did.

        Policy updates: each is applied only if the city's signature over its bytes verifies
        with the key from our enrolment and the file passes the parameter loader; otherwise
        it is refused (kept in `policy_refusals()` with the reason) — the acknowledgement
        still counts, since the receipt itself is the city's. A file we already hold is left
        alone unless the city published it again later. Notices: a receipt that carries a list
        replaces the stored set, unless the stored set came from a later receipt.
        """
        enrolment = self._enrolment()
        city_key = VerifyKey(from_base64(enrolment.city_verify_key, 32))
        receipt = verify_receipt(receipt_data, city_key)
        entry = self._matching_entry(receipt, enrolment)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        apply, refused = self._check_policy_updates(receipt, city_key, now)
        policies = PolicyUpdateRepository(self._database)
        notices = SyncNoticeRepository(self._database)
        replaced = False
        with self._database.transaction("同步回执"):
            if receipt.accepted:
                self._outbox.mark_confirmed(entry.bundle_id, receipt_data)
            else:
                self._outbox.mark_rejected(
                    entry.bundle_id, receipt.reason or "市里未说明原因", receipt_data
                )
            for stored in apply:
                policies.save(stored)
            for refusal in refused:
                policies.refuse(refusal)
            if receipt.notices is not None:
                replaced = notices.replace(
                    (SyncNotice(item.table, item.uuid, item.message) for item in receipt.notices),
                    NoticeSource(receipt.bundle_id, receipt.issued_at, receipt.notices_total, now),
                )
        return ReceiptOutcome(
            entry=self._outbox.get(entry.bundle_id),
            policy_applied=tuple(stored.name for stored in apply),
            policy_refused=tuple(refused),
            notices_replaced=replaced,
            notice_count=len(notices.all()),
        )

    def _check_policy_updates(
        self, receipt: Receipt, city_key: VerifyKey, now: str
    ) -> tuple[list[StoredPolicyUpdate], list[PolicyUpdateRefusal]]:
        """The receipt's updates we do not hold yet, split into verified and refused."""
        newest: dict[str, PolicyUpdate] = {}
        for update in receipt.policy_updates or ():
            known = newest.get(update.name)
            if known is None or not _published_later(known.published_at, update.published_at):
                newest[update.name] = update
        policies = PolicyUpdateRepository(self._database)
        apply: list[StoredPolicyUpdate] = []
        refused: list[PolicyUpdateRefusal] = []
        for update in newest.values():
            held = policies.get(update.name)
            if held is not None and (
                held.content == update.content
                or not _published_later(update.published_at, held.published_at)
            ):
                continue  # already applied, or older news than what we hold
            try:
                verify_policy_update(update, city_key)
            except (SyncError, PolicyParameterError) as error:
                refused.append(
                    PolicyUpdateRefusal(
                        update.name, update.content_sha256, str(error), receipt.bundle_id, now
                    )
                )
                continue
            apply.append(
                StoredPolicyUpdate(
                    name=update.name,
                    effective_from=update.effective_from,
                    content=update.content,
                    signature=update.signature,
                    published_at=update.published_at or receipt.issued_at or now,
                    received_at=now,
                    bundle_id=receipt.bundle_id,
                )
            )
        return apply, refused

    # -- what receipts brought: policy updates and the city's notices -------------------------
    def policy_schedule(self) -> PolicySchedule:
        """The parameters this station computes with: shipped files + received updates."""
        return station_schedule(self._database)

    def policy_updates(self) -> list[StoredPolicyUpdate]:
        """Parameter files received from the city, by effective date."""
        return PolicyUpdateRepository(self._database).all()

    def policy_refusals(self) -> list[PolicyUpdateRefusal]:
        """Parameter files the city sent that this station did not apply, and why."""
        return PolicyUpdateRepository(self._database).refusals()

    def notices(self) -> list[SyncNotice]:
        """The city's open notices on our records, as the latest receipt carried them."""
        return SyncNoticeRepository(self._database).all()

    def notices_for(self, table: str, uuid: str) -> list[SyncNotice]:
        """The city's notices on one record (`table` as in the bundle, e.g. "workers")."""
        return SyncNoticeRepository(self._database).for_record(table, uuid)

    def notices_omitted(self) -> int:
        """Open notices the city has but did not send (a receipt carries at most 1,000)."""
        source = SyncNoticeRepository(self._database).source()
        return 0 if source is None else max(0, source.total - len(self.notices()))

    def _matching_entry(self, receipt: Receipt, enrolment: SyncEnrolmentRecord) -> OutboxEntry:
        if receipt.station_id != enrolment.station_id:
            raise ReceiptError(f"回执无效：回执是给站点 {receipt.station_id} 的，不是本站的")
        try:
            entry = self._outbox.get(receipt.bundle_id)
        except RecordNotFoundError as error:
            raise ReceiptError(f"回执无效：本站没有生成过数据包 {receipt.bundle_id}") from error
        if (entry.change_from, entry.change_to) != (receipt.change_from, receipt.change_to):
            raise ReceiptError(
                f"回执无效：回执的变更范围 {receipt.change_from}–{receipt.change_to} 与数据包的"
                f" {entry.change_from}–{entry.change_to} 不符"
            )
        return entry


def build_bundle(
    database: StationDatabase, since_change: int | None = None, keychain: Keychain | None = None
) -> bytes:
    """The bytes of a new bundle of every record changed after `since_change`."""
    return SyncService(database, keychain).build(since_change).data
