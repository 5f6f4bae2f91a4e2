"""The Qt binding must not corrupt reference counts (PySide6 6.12.0 did, on None)."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidgetItem
from pytestqt.qtbot import QtBot


def test_void_calls_leave_nones_reference_count_alone(qtbot: QtBot) -> None:
    item = QTableWidgetItem("马某")
    before = sys.getrefcount(None)
    for _ in range(500):
        item.setData(Qt.ItemDataRole.UserRole, "640522")
        item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    # A few references may come and go elsewhere; 1,000 lost ones would abort the app later.
    assert sys.getrefcount(None) - before > -50
