"""Backing up the station database (文件→备份数据库…) to a file the clerk chooses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zwdesk.storage.backup import backup_database_file


@dataclass(frozen=True, slots=True)
class BackupReport:
    target: Path
    size_bytes: int
    finished_at: datetime


def suggested_backup_name(now: datetime | None = None) -> str:
    """`zwdesk-备份-20250314-0930.db`: sorts by time, never overwrites an earlier backup."""
    return f"zwdesk-备份-{(now or datetime.now()):%Y%m%d-%H%M}.db"


def backup_station_database(source: Path, target: Path) -> BackupReport:
    """Copy the live database to `target`; safe on a worker thread (own connection)."""
    size = backup_database_file(source, target)
    return BackupReport(target, size, datetime.now())
