"""Translatable UI text: Simplified Chinese in the source, English from resources/translations."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

CONTEXT = "zwdesk"


def tr(text: str) -> str:
    """`text` (Chinese) in the language loaded into the application (unchanged for zh)."""
    return QCoreApplication.translate(CONTEXT, text)
