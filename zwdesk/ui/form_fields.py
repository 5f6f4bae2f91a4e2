"""Form building blocks shared by the dialogs: a field with its error line, county pickers, and
FormDialog — the fields, 保存/取消 and the save that every dialog has."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.regions import lookup_region
from zwdesk.services.jurisdiction import local_counties
from zwdesk.services.station_service import StationInputError
from zwdesk.ui.error_dialogs import show_error
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
    for code, name in local_counties():
        picker.addItem(f"{name}（{code}）", code)
    return picker


def county_code(picker: QComboBox) -> str:
    """The code chosen or typed: a listed entry, a bare code, or a county name of Zhongwei."""
    text = picker.currentText().strip()
    index = picker.findText(text)
    if index >= 0:
        return str(picker.itemData(index))
    for code, name in local_counties():
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


_Saved = TypeVar("_Saved")


class FormDialog(QDialog, Generic[_Saved]):
    """A form of fields, each with its message line, above 保存/取消.

    A subclass adds its fields with `add_field`, overrides `check` (problems shown as typed,
    保存 enabled only when there are none) and `write` (the service call). `save` runs `write`
    and shows a StationInputError under the field it names, any other failure in a message
    box; the dialog closes only when the record was saved (`saved`).
    """

    def __init__(
        self,
        title: str,
        parent: QWidget | None = None,
        *,
        width: int = 480,
        ok_text: str = "",
        cancel_text: str = "",
    ) -> None:
        super().__init__(parent)
        self.saved: _Saved | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.form = QFormLayout()
        self.messages: dict[str, FieldMessage] = {}
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text or tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            cancel_text or tr("取消")
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.buttons)

    def add_field(self, key: str, label: str, field: QWidget) -> FieldMessage:
        """A labelled field whose message line `messages[key]` shows the problems named `key`."""
        message = add_field(self.form, label, field)
        self.messages[key] = message
        return message

    def add_below_form(self, widget: QWidget) -> None:
        """A widget between the form and the buttons (e.g. a group of check boxes)."""
        self.body.insertWidget(self.body.indexOf(self.buttons), widget)

    def check(self) -> bool:
        """Show each field's problem; enable 保存 only when there is none."""
        return True

    def write(self) -> _Saved:
        """Save through the service; raise StationInputError for a field's problem."""
        raise NotImplementedError

    def save(self) -> None:
        if not self.check():
            return
        try:
            self.saved = self.write()
        except StationInputError as error:
            message = self.messages.get(error.field)
            if message is None:
                show_error(self, self.windowTitle(), str(error))
            else:
                message.show_problem(error.reason)
            return
        except Exception as error:  # a storage failure: say it, keep the dialog open
            show_error(self, self.windowTitle(), str(error))
            return
        self.accept()
