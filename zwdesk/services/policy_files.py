"""Load the dated policy parameter files into a schedule: the shipped ones (resources/policy/
*.toml) and, for a station, the updates the city signed and sent with its receipts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from nacl.signing import VerifyKey

from zwdesk.domain.policy.parameters import (
    ParameterSet,
    PolicyParameterError,
    PolicySchedule,
)
from zwdesk.services.resource_paths import policy_dir
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.outbox_repository import OutboxRepository
from zwdesk.storage.policy_update_repository import PolicyUpdateRepository, StoredPolicyUpdate
from zwdesk.sync.canonical import from_base64
from zwdesk.sync.errors import SyncError
from zwdesk.sync.policy_update import PolicyUpdate, parse_policy_content, verify_policy_update


def load_parameter_file(path: Path) -> ParameterSet:
    """Read and validate one parameter file; errors name the file and the key."""
    return parse_policy_content(path.name, path.read_bytes())


def load_schedule(paths: Iterable[Path]) -> PolicySchedule:
    """A schedule from explicit files (tests use this to add a later-dated file)."""
    return PolicySchedule(load_parameter_file(path) for path in paths)


def load_schedule_from(directory: Path) -> PolicySchedule:
    """Every `*.toml` in a directory."""
    return load_schedule(sorted(directory.glob("*.toml")))


@cache
def shipped_parameter_files() -> Mapping[str, ParameterSet]:
    """The parameter files shipped with zwdesk, by file name ("2025-01-01.toml")."""
    return {path.name: load_parameter_file(path) for path in sorted(policy_dir().glob("*.toml"))}


@cache
def default_schedule() -> PolicySchedule:
    """The parameters shipped with zwdesk."""
    return PolicySchedule(shipped_parameter_files().values())


# Schedules with received updates, by what they were built from (the files' bytes and
# signatures and the city's key): loading is a small query, checking and parsing happen once.
_received_schedules: dict[tuple[object, ...], PolicySchedule] = {}
_MAX_CACHED = 8


def station_schedule(database: StationDatabase) -> PolicySchedule:
    """The schedule a station computes with: the shipped files plus every update received
    from the city. A received file replaces a shipped one of the same name (the same
    effective date): it is the city's signed word, checked again here against the city's key
    from the enrolment — a received file whose signature no longer verifies (the database was
    edited) is PolicyParameterError, never silently used or dropped."""
    received = PolicyUpdateRepository(database).all()
    if not received:
        return default_schedule()
    enrolment = OutboxRepository(database).enrolment()
    city_key = "" if enrolment is None else enrolment.city_verify_key
    key = (city_key, *((item.name, item.content, item.signature) for item in received))
    schedule = _received_schedules.get(key)
    if schedule is None:
        schedule = _combine(received, city_key)
        if len(_received_schedules) >= _MAX_CACHED:
            _received_schedules.clear()
        _received_schedules[key] = schedule
    return schedule


def _combine(received: list[StoredPolicyUpdate], city_key: str) -> PolicySchedule:
    if not city_key:
        raise PolicyParameterError(
            "本站保存了市里的政策参数更新，但没有同步登记信息，无法核对签名：请重新导入登记文件"
        )
    verify_key = VerifyKey(from_base64(city_key, 32))
    files = dict(shipped_parameter_files())
    for stored in received:
        update = PolicyUpdate(stored.name, stored.effective_from, stored.content, stored.signature)
        try:
            files[stored.name] = verify_policy_update(update, verify_key)
        except (SyncError, PolicyParameterError) as error:
            raise PolicyParameterError(
                f"本站保存的政策参数更新 {stored.name} 无法核对（数据库被改动，或换了市里的"
                f"密钥）：{error}"
            ) from None
    return PolicySchedule(files.values())
