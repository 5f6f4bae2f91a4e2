"""Window preferences (geometry, last page, last backup) in QSettings, organisation "zwdesk"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "zwdesk"
APPLICATION = "zwdesk"


def open_settings(ini_file: Path | None = None) -> QSettings:
    """The user's settings; an explicit .ini file keeps tests away from the real ones."""
    if ini_file is not None:
        return QSettings(str(ini_file), QSettings.Format.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)
