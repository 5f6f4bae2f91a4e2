"""Add or edit a worker (人员): every field checked as it is typed; nothing saved until valid."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLineEdit, QVBoxLayout, QWidget

from zwdesk.domain.model import TargetGroup, Worker
from zwdesk.domain.resident_id import normalise_resident_id, parse_resident_id
from zwdesk.services.station_service import StationService
from zwdesk.services.worker_browser_service import WorkerBrowserService
from zwdesk.ui.form_fields import (
    FieldMessage,
    FormDialog,
    county_code,
    county_hint,
    county_picker,
    named,
    set_county,
)
from zwdesk.ui.i18n import tr


class WorkerDialog(FormDialog[Worker]):
    """`worker=None` registers a new person; otherwise edits that person (ID fixed)."""

    def __init__(
        self,
        station: StationService,
        browser: WorkerBrowserService,
        worker: Worker | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(tr("编辑人员") if worker else tr("新增人员"), parent, width=520)
        self._station = station
        self._browser = browser
        self._editing = worker

        self.id_number = named(QLineEdit(), "id_number")
        self.id_number.setPlaceholderText(tr("18位居民身份证号"))
        self.id_number.setMaxLength(24)
        self.name = named(QLineEdit(), "name")
        self.hukou_county = county_picker()
        self.hukou_county.setObjectName("hukou_county")
        self.resident_county = county_picker(optional=True)
        self.resident_county.setObjectName("resident_county")
        self.phone = named(QLineEdit(), "phone")
        self.rural = named(QCheckBox(tr("农村户籍")), "rural")
        self.add_field("身份证号", tr("身份证号(&I)"), self.id_number)
        self.add_field("姓名", tr("姓名(&N)"), self.name)
        self.add_field("户籍所在县", tr("户籍所在县(&H)"), self.hukou_county)
        self.add_field("常住县", tr("常住县(&R)"), self.resident_county)
        self.add_field("联系电话", tr("联系电话(&P)"), self.phone)
        self.form.addRow("", self.rural)
        groups_box = QGroupBox(tr("重点群体"))
        groups_layout = QVBoxLayout(groups_box)
        self.groups: dict[TargetGroup, QCheckBox] = {}
        for group in TargetGroup:
            box = QCheckBox(tr(group.label))
            self.groups[group] = box
            groups_layout.addWidget(box)
        self.messages["重点群体"] = FieldMessage()
        groups_layout.addWidget(self.messages["重点群体"])
        self.add_below_form(groups_box)

        if worker is not None:
            self.id_number.setText(worker.id_number)
            self.id_number.setReadOnly(True)
            self.name.setText(worker.name)
            set_county(self.hukou_county, worker.hukou_county)
            set_county(self.resident_county, worker.resident_county)
            self.phone.setText(worker.phone or "")
            self.rural.setChecked(worker.rural)
            for group, box in self.groups.items():
                box.setChecked(group in worker.groups)
        else:
            set_county(self.hukou_county, "")
        for line in (self.id_number, self.name, self.phone):
            line.textChanged.connect(self.check)
        for picker in (self.hukou_county, self.resident_county):
            picker.editTextChanged.connect(self.check)
        self.check()
        (self.name if worker else self.id_number).setFocus()

    # -- checking ---------------------------------------------------------------------------
    def _id_problem(self) -> tuple[str | None, str]:
        text = self.id_number.text()
        if not text.strip():
            return "", ""
        if self._editing is not None:
            return None, ""
        if len(normalise_resident_id(text)) < 18:
            # Still typing: say how far along, complain only about what is already wrong.
            typed = normalise_resident_id(text)
            if not typed.isdigit():
                return tr("身份证号前17位应为数字，末位为数字或X"), ""
            return "", tr("已输入{count}位，共18位").format(count=len(typed))
        problem = self._browser.id_number_problem(text, new_worker=True)
        if problem is not None:
            return problem, ""
        resident = parse_resident_id(text)
        place = resident.birth_place
        hint = tr("出生日期 {birth}，{gender}").format(
            birth=resident.birth_date.isoformat(), gender=tr("男") if resident.is_male else tr("女")
        )
        if place is not None:
            hint += tr("，出生登记地 {place}").format(place=place.full_name)
        return None, hint

    def check(self) -> bool:
        """Show each field's problem next to it; enable 保存 only when there is none."""
        valid = True
        problem, hint = self._id_problem()
        self.messages["身份证号"].show_problem(problem or None, hint)
        valid &= problem is None
        name_empty = not self.name.text().strip()
        self.messages["姓名"].show_problem(None)
        valid &= not name_empty
        hukou = county_code(self.hukou_county)
        hukou_problem = self._browser.county_problem(hukou) if hukou else None
        self.messages["户籍所在县"].show_problem(hukou_problem, county_hint(hukou))
        valid &= bool(hukou) and hukou_problem is None
        resident = county_code(self.resident_county)
        resident_problem = (
            self._browser.county_problem(resident, required=False) if resident else None
        )
        self.messages["常住县"].show_problem(resident_problem, county_hint(resident))
        valid &= resident_problem is None
        phone_problem = self._browser.phone_problem(self.phone.text())
        self.messages["联系电话"].show_problem(phone_problem)
        valid &= phone_problem is None
        self.ok_button.setEnabled(valid)
        return valid

    # -- saving -----------------------------------------------------------------------------
    def write(self) -> Worker:
        groups = [group for group, box in self.groups.items() if box.isChecked()]
        resident = county_code(self.resident_county) or None
        if self._editing is None:
            return self._station.add_worker(
                self.id_number.text(),
                self.name.text(),
                county_code(self.hukou_county),
                resident,
                rural=self.rural.isChecked(),
                groups=groups,
                phone=self.phone.text() or None,
            )
        return self._station.edit_worker(
            self._editing.id_number,
            name=self.name.text(),
            hukou_county=county_code(self.hukou_county),
            resident_county=resident or "",
            rural=self.rural.isChecked(),
            groups=groups,
            phone=self.phone.text(),
        )
