"""First run (首次使用): who we are — kind, name, county, contact — saved as the station profile."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.services.station_service import StationInputError
from zwdesk.services.worker_browser_service import LOCAL_COUNTIES
from zwdesk.ui.error_dialogs import show_error
from zwdesk.ui.form_fields import FieldMessage, add_field, named
from zwdesk.ui.i18n import tr


class FirstRunDialog(QDialog):
    """Asks once, before the main window; nothing is saved until every field is valid."""

    def __init__(self, profiles: StationProfileService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profiles = profiles
        self.saved: Organisation | None = None
        self.setWindowTitle(tr("首次使用 — 设置本单位"))
        self.setMinimumWidth(480)
        intro = QLabel(
            tr("欢迎使用中卫劳务工作站桌面端。请先填写本单位信息，之后可在申领表上使用。")
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.kind = named(QComboBox(), "kind")
        for kind in OrganisationKind:
            self.kind.addItem(tr(kind.label), kind.value)
        self.name = named(QLineEdit(), "name")
        self.name.setPlaceholderText(tr("如：海原县驻苏州劳务工作站"))
        self.county = named(QComboBox(), "county")
        for code, name in LOCAL_COUNTIES:
            self.county.addItem(tr(name), code)
        self.contact = named(QLineEdit(), "contact")
        self.contact.setPlaceholderText(tr("联系人及电话，可留空"))
        self.messages: dict[str, FieldMessage] = {
            "类型": add_field(form, tr("单位类型(&K)"), self.kind),
            "名称": add_field(form, tr("单位名称(&N)"), self.name),
            "所在县": add_field(form, tr("所属县区(&C)"), self.county),
            "联系方式": add_field(form, tr("联系方式(&T)"), self.contact),
        }
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("开始使用"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("退出"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self.check)
        self.check()
        self.name.setFocus()

    def check(self) -> bool:
        valid = bool(self.name.text().strip())
        self.ok_button.setEnabled(valid)
        return valid

    def save(self) -> None:
        if not self.check():
            return
        try:
            self.saved = self._profiles.set_profile(
                str(self.kind.currentData()),
                self.name.text(),
                str(self.county.currentData()),
                self.contact.text(),
            )
        except StationInputError as error:
            message = self.messages.get(error.field)
            if message is None:
                show_error(self, self.windowTitle(), str(error))
            else:
                message.show_problem(error.reason)
            return
        except Exception as error:
            show_error(self, self.windowTitle(), str(error))
            return
        self.accept()
