"""A page that is not ready yet: its title and one sentence, so navigation stays complete."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.setObjectName("placeholder_page")
        heading = QLabel(f"<h2>{title}</h2>")
        text = QLabel(message)
        layout = QVBoxLayout(self)
        for label in (heading, text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(1)
