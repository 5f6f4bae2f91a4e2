"""Record a job (就业记录) for one worker, checked as it is typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from zwdesk.domain.model import Organisation, Placement, Worker
from zwdesk.services.station_service import StationService
from zwdesk.services.worker_browser_service import WorkerBrowserService
from zwdesk.ui.form_fields import (
    FormDialog,
    county_code,
    county_hint,
    county_picker,
    from_qdate,
    named,
    to_qdate,
)
from zwdesk.ui.i18n import tr


def _date_edit(day: date, name: str) -> QDateEdit:
    edit = named(QDateEdit(to_qdate(day)), name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def parse_wage_fen(text: str) -> int | None:
    """`4200` or `4200.50` yuan → fen; ValueError when it is not an amount."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    yuan, _, fen = cleaned.partition(".")
    if not yuan.isdigit() or (fen and (not fen.isdigit() or len(fen) > 2)):
        raise ValueError(cleaned)
    return int(yuan) * 100 + int((fen + "00")[:2])


class PlacementDialog(FormDialog[Placement]):
    """New placement for `worker`; the organiser defaults to our own station (本站)."""

    def __init__(
        self,
        station: StationService,
        browser: WorkerBrowserService,
        worker: Worker,
        own_organisation: Organisation | None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(tr("新增就业记录 — {name}").format(name=worker.name), parent, width=520)
        self._station = station
        self._browser = browser
        self._worker = worker
        day = today or date.today()

        self.employer = named(QLineEdit(), "employer")
        self.work_county = county_picker()
        self.work_county.setObjectName("work_county")
        self.work_county.setEditText("")
        county_line = self.work_county.lineEdit()
        if county_line is not None:
            county_line.setPlaceholderText(tr("6位行政区划代码，如 320506"))
        self.start = _date_edit(day, "start")
        self.has_end = named(QCheckBox(tr("已结束")), "has_end")
        self.end = _date_edit(day, "end")
        self.end.setEnabled(False)
        end_row = QWidget()
        end_layout = QHBoxLayout(end_row)
        end_layout.setContentsMargins(0, 0, 0, 0)
        end_layout.addWidget(self.has_end)
        end_layout.addWidget(self.end, 1)
        self.organiser = named(QComboBox(), "organiser")
        self.organiser.addItem(tr("自行就业（无组织者）"), "")
        for organisation in browser.organisations():
            label = f"{organisation.name}（{tr(organisation.kind.label)}）"
            self.organiser.addItem(label, organisation.id)
        if own_organisation is not None:
            self.organiser.setCurrentIndex(max(self.organiser.findData(own_organisation.id), 0))
        self.contract = named(QCheckBox(tr("签订劳动合同")), "contract")
        self.social_insurance = named(QCheckBox(tr("缴纳社会保险")), "social_insurance")
        self.wage = named(QLineEdit(), "wage")
        self.wage.setPlaceholderText(tr("元，可留空"))

        self.form.addRow(tr("人员"), QLabel(worker.name))
        self.add_field("用工单位", tr("用工单位(&E)"), self.employer)
        self.add_field("务工地", tr("务工地(&W)"), self.work_county)
        self.add_field("开始日期", tr("开始日期(&S)"), self.start)
        self.add_field("结束日期", tr("结束日期"), end_row)
        self.add_field("组织者", tr("组织者(&O)"), self.organiser)
        self.add_field("月工资", tr("月工资(&M)"), self.wage)
        self.form.addRow("", self.contract)
        self.form.addRow("", self.social_insurance)

        self.employer.textChanged.connect(self.check)
        self.work_county.editTextChanged.connect(self.check)
        self.start.dateChanged.connect(self.check)
        self.end.dateChanged.connect(self.check)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.has_end.toggled.connect(self.check)
        self.wage.textChanged.connect(self.check)
        self.check()
        self.employer.setFocus()

    def _end(self) -> date | None:
        return from_qdate(self.end.date()) if self.has_end.isChecked() else None

    def check(self) -> bool:
        valid = bool(self.employer.text().strip())
        self.messages["用工单位"].show_problem(None)
        county = county_code(self.work_county)
        county_problem = self._browser.county_problem(county) if county else None
        self.messages["务工地"].show_problem(county_problem, county_hint(county))
        valid &= bool(county) and county_problem is None
        start = from_qdate(self.start.date())
        end_problem = self._browser.date_order_problem(start, self._end())
        self.messages["结束日期"].show_problem(end_problem)
        valid &= end_problem is None
        try:
            parse_wage_fen(self.wage.text())
            self.messages["月工资"].show_problem(None)
        except ValueError:
            self.messages["月工资"].show_problem(tr("应为金额（元），如 4200 或 4200.50"))
            valid = False
        self.ok_button.setEnabled(valid)
        return valid

    def write(self) -> Placement:
        start = from_qdate(self.start.date())
        return self._station.add_placement(
            self._worker.id_number,
            county_code(self.work_county),
            start,
            organiser=str(self.organiser.currentData() or "") or None,
            employer=self.employer.text(),
            end=self._end(),
            contract=self.contract.isChecked(),
            contract_start=start if self.contract.isChecked() else None,
            social_insurance=self.social_insurance.isChecked(),
            monthly_wage=parse_wage_fen(self.wage.text()),
        )
