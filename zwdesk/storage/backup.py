"""Online backup of a station database file with SQLite's backup API (safe while in use)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from zwdesk.storage.database import translate_error
from zwdesk.storage.errors import StorageError


def backup_database_file(source: Path, target: Path) -> int:
    """Copy the database at `source` into `target` (replaced if present); return its size.

    Opens its own read connection, so it may run on a worker thread while the window keeps
    using the database (WAL lets readers and the writer go on). The copy is written next to
    the target and renamed: a failed backup never leaves a half-written file under that name.
    """
    if target.resolve() == source.resolve():
        raise StorageError("备份文件不能与正在使用的数据库是同一个文件")
    partial = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(str(partial))
            try:
                reader.backup(copy, pages=4096)
            finally:
                copy.close()
        finally:
            reader.close()
        partial.replace(target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise translate_error(error, target) from error
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"无法写入备份文件 {target}：{error.strerror or error}") from error
    return target.stat().st_size
