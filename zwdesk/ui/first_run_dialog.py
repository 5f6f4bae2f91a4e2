"""Who we are — kind, name, county, contact — saved as the station profile: asked on first run
(首次使用) and editable later from 文件 → 本站信息…"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from zwdesk.domain.model import Organisation, OrganisationKind
from zwdesk.services.jurisdiction import local_counties
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.ui.form_fields import FormDialog, named
from zwdesk.ui.i18n import tr


class FirstRunDialog(FormDialog[Organisation]):
    """Asks once, before the main window (or, with `editing`, shows the profile to change it);
    nothing is saved until every field is valid."""

    def __init__(
        self,
        profiles: StationProfileService,
        parent: QWidget | None = None,
        *,
        editing: bool = False,
    ) -> None:
        if editing:
            super().__init__(tr("本站信息"), parent, ok_text=tr("保存"), cancel_text=tr("取消"))
            text = tr("本单位信息用于工作台汇总、申领编号和申领表。")
        else:
            super().__init__(
                tr("首次使用 — 设置本单位"), parent, ok_text=tr("开始使用"), cancel_text=tr("退出")
            )
            text = tr("欢迎使用中卫劳务工作站桌面端。请先填写本单位信息，之后可在申领表上使用。")
        self._profiles = profiles
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.body.insertWidget(0, intro)
        self.kind = named(QComboBox(), "kind")
        for kind in OrganisationKind:
            self.kind.addItem(tr(kind.label), kind.value)
        self.name = named(QLineEdit(), "name")
        self.name.setPlaceholderText(tr("如：海原县驻苏州劳务工作站"))
        self.county = named(QComboBox(), "county")
        for code, name in local_counties():
            self.county.addItem(tr(name), code)
        self.contact = named(QLineEdit(), "contact")
        self.contact.setPlaceholderText(tr("联系人及电话，可留空"))
        self.add_field("类型", tr("单位类型(&K)"), self.kind)
        self.add_field("名称", tr("单位名称(&N)"), self.name)
        self.add_field("所在县", tr("所属县区(&C)"), self.county)
        self.add_field("联系方式", tr("联系方式(&T)"), self.contact)
        self.name.textChanged.connect(self.check)
        current = profiles.profile() if editing else None
        if current is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(current.kind.value), 0))
            self.name.setText(current.name)
            index = self.county.findData(current.county)
            if index < 0:  # a county outside the city's list stays what it is
                self.county.addItem(current.county or "", current.county or "")
                index = self.county.count() - 1
            self.county.setCurrentIndex(index)
            self.contact.setText(profiles.contact() or "")
        self.check()
        self.name.setFocus()

    def check(self) -> bool:
        valid = bool(self.name.text().strip())
        self.ok_button.setEnabled(valid)
        return valid

    def write(self) -> Organisation:
        return self._profiles.set_profile(
            str(self.kind.currentData()),
            self.name.text(),
            str(self.county.currentData()),
            self.contact.text(),
        )
