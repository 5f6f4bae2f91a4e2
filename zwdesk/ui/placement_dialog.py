"""Record a job (就业记录) for one worker, checked as it is typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from zwdesk.domain.model import Organisation, Placement, Worker
from zwdesk.domain.money import Fen, yuan_to_fen
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


def parse_wage_fen(text: str) -> Fen | None:
    """`4200`, `4,200` or `4200.50` yuan → fen (the domain's `yuan_to_fen`); None when empty;
    ValueError when it is not an amount or is negative."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    fen = yuan_to_fen(cleaned)
    if fen < 0:
        raise ValueError(cleaned)
    return fen


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
        # The contract's term decides item 4 (≥ 6 months, or open-ended): it must be said, not
        # assumed. 合同开始日期 follows the job's start until it is changed by hand.
        self.contract_start = _date_edit(day, "contract_start")
        self._contract_start_follows = True
        self.fixed_term = named(QCheckBox(tr("固定期限，至")), "fixed_term")
        self.contract_end = _date_edit(day, "contract_end")
        self.open_ended = named(QCheckBox(tr("无固定期限")), "open_ended")
        self._term = QButtonGroup(self)
        self._term.setExclusive(True)
        self._term.addButton(self.fixed_term)
        self._term.addButton(self.open_ended)
        term_row = QWidget()
        term_layout = QHBoxLayout(term_row)
        term_layout.setContentsMargins(0, 0, 0, 0)
        term_layout.addWidget(self.fixed_term)
        term_layout.addWidget(self.contract_end, 1)
        term_layout.addWidget(self.open_ended)
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
        self.add_field("合同开始日期", tr("合同开始日期"), self.contract_start)
        self.add_field("合同结束日期", tr("合同结束日期"), term_row)
        self.form.addRow("", self.social_insurance)

        self.employer.textChanged.connect(self.check)
        self.work_county.editTextChanged.connect(self.check)
        self.start.dateChanged.connect(self.check)
        self.end.dateChanged.connect(self.check)
        self.has_end.toggled.connect(self.end.setEnabled)
        self.has_end.toggled.connect(self.check)
        self.wage.textChanged.connect(self.check)
        self.start.dateChanged.connect(self._follow_start)
        self.contract_start.dateChanged.connect(self._contract_start_edited)
        for box in (self.contract, self.fixed_term, self.open_ended):
            box.toggled.connect(self.check)
        self.contract_start.dateChanged.connect(self.check)
        self.contract_end.dateChanged.connect(self.check)
        self.check()
        self.employer.setFocus()

    def _end(self) -> date | None:
        return from_qdate(self.end.date()) if self.has_end.isChecked() else None

    def _follow_start(self) -> None:
        if self._contract_start_follows:
            self.contract_start.blockSignals(True)
            self.contract_start.setDate(self.start.date())
            self.contract_start.blockSignals(False)

    def _contract_start_edited(self) -> None:
        self._contract_start_follows = self.contract_start.date() == self.start.date()

    def _contract_problem(self) -> str | None:
        """The contract's term: an end date (not before its start) or 无固定期限, when signed.
        The contract fields are enabled only while 签订劳动合同 is ticked."""
        signed = self.contract.isChecked()
        for widget in (self.contract_start, self.fixed_term, self.open_ended):
            widget.setEnabled(signed)
        self.contract_end.setEnabled(signed and self.fixed_term.isChecked())
        if not signed:
            return None
        if self.open_ended.isChecked():
            return None
        if not self.fixed_term.isChecked():
            return tr("请填写合同结束日期，或勾选“无固定期限”")
        return self._browser.date_order_problem(
            from_qdate(self.contract_start.date()),
            from_qdate(self.contract_end.date()),
            tr("合同开始日期"),
        )

    def _contract_end(self) -> date | None:
        """None for an open-ended contract (无固定期限), as the policy engine reads it."""
        if self.contract.isChecked() and self.fixed_term.isChecked():
            return from_qdate(self.contract_end.date())
        return None

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
        term_problem = self._contract_problem()
        self.messages["合同结束日期"].show_problem(term_problem)
        valid &= term_problem is None
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
            contract_start=(
                from_qdate(self.contract_start.date()) if self.contract.isChecked() else None
            ),
            contract_end=self._contract_end(),
            social_insurance=self.social_insurance.isChecked(),
            monthly_wage=parse_wage_fen(self.wage.text()),
        )
