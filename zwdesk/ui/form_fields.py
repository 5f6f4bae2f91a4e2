"""Form building blocks shared by the dialogs: a field with its error line, county pickers."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.regions import lookup_region
from zwdesk.services.worker_browser_service import LOCAL_COUNTIES
from zwdesk.ui.i18n import tr

ERROR_STYLE = "color: #b00020;"
HINT_STYLE = "color: #555555;"


class FieldMessage(QLabel):
    """The line under a field: a red reason when the value is wrong, a grey hint otherwise."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setVisible(False)
        self.problem: str | None = None

    def show_problem(self, text: str | None, hint: str = "") -> None:
        self.problem = text
        shown = text or hint
        self.setText(shown)
        self.setStyleSheet(ERROR_STYLE if text else HINT_STYLE)
        self.setVisible(bool(shown))


def add_field(form: QFormLayout, label: str, field: QWidget) -> FieldMessage:
    """A labelled row holding the field with its message line directly beneath it."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    message = FieldMessage()
    message.setObjectName(f"{field.objectName()}_message")
    column.addWidget(message)
    form.addRow(label, holder)
    return message


def county_picker(*, optional: bool = False) -> QComboBox:
    """An editable list of Zhongwei's counties; any six-digit code may be typed instead."""
    picker = QComboBox()
    picker.setEditable(True)
    picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if optional:
        picker.addItem("", "")
    for code, name in LOCAL_COUNTIES:
        picker.addItem(f"{name}（{code}）", code)
    return picker


def county_code(picker: QComboBox) -> str:
    """The code chosen or typed: a listed entry, a bare code, or a county name of Zhongwei."""
    text = picker.currentText().strip()
    index = picker.findText(text)
    if index >= 0:
        return str(picker.itemData(index))
    for code, name in LOCAL_COUNTIES:
        if text in (name, name[:-1]):
            return code
    return text


def set_county(picker: QComboBox, code: str | None) -> None:
    index = picker.findData(code or "")
    if index >= 0:
        picker.setCurrentIndex(index)
    else:
        picker.setEditText(code or "")


def county_hint(code: str) -> str:
    """`江苏省吴中区` under a typed code, so the clerk sees what the code means."""
    region = lookup_region(code) if code else None
    if region is None:
        return ""
    return (
        tr("{name}（已停用的旧代码）").format(name=region.full_name)
        if region.historical
        else (region.full_name)
    )


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


_W = TypeVar("_W", bound=QWidget)


def named(widget: _W, name: str) -> _W:
    """The widget with its objectName set (tests and screen readers find it by name)."""
    widget.setObjectName(name)
    return widget
