"""Record a follow-up (回访) of one of a worker's placements: date, method, result."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QWidget

from zwdesk.domain.model import FollowUp, FollowUpMethod, FollowUpResult, Placement
from zwdesk.services.station_service import StationService
from zwdesk.ui.form_fields import FormDialog, from_qdate, named, to_qdate
from zwdesk.ui.i18n import tr


class FollowUpDialog(FormDialog[FollowUp]):
    """`placements` are the worker's; `selected` is preselected (e.g. the row in the pane)."""

    def __init__(
        self,
        station: StationService,
        placements: list[Placement],
        parent: QWidget | None = None,
        *,
        selected: str | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(tr("记录回访"), parent)
        self._station = station
        self._today = today or date.today()
        self._placements = {placement.id: placement for placement in placements}
        self.placement = named(QComboBox(), "placement")
        # Ongoing jobs first: those are the ones a follow-up proves.
        for placement in sorted(placements, key=lambda item: (item.end is not None, item.start)):
            ended = tr("，已于{end}结束").format(end=placement.end) if placement.end else ""
            self.placement.addItem(
                f"{placement.employer or tr('（未填用工单位）')} — {placement.start}{ended}",
                placement.id,
            )
        if selected is not None:
            self.placement.setCurrentIndex(max(self.placement.findData(selected), 0))
        self.day = named(QDateEdit(to_qdate(self._today)), "day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(to_qdate(self._today))
        self.method = named(QComboBox(), "method")
        for method in FollowUpMethod:
            self.method.addItem(tr(method.value), method.value)
        self.result_choice = named(QComboBox(), "result")
        for result in FollowUpResult:
            self.result_choice.addItem(tr(result.value), result.value)
        self.who = named(QLineEdit(), "who")
        self.who.setPlaceholderText(tr("默认为当前经办人"))
        self.note = named(QLineEdit(), "note")
        self.add_field("就业记录", tr("就业记录(&J)"), self.placement)
        self.add_field("回访日期", tr("回访日期(&D)"), self.day)
        self.add_field("回访方式", tr("回访方式(&M)"), self.method)
        self.add_field("回访结果", tr("回访结果(&R)"), self.result_choice)
        self.add_field("回访人", tr("回访人"), self.who)
        self.add_field("备注", tr("备注"), self.note)
        self.placement.currentIndexChanged.connect(self.check)
        self.day.dateChanged.connect(self.check)
        self.check()
        self.day.setFocus()

    def check(self) -> bool:
        placement = self._placements.get(str(self.placement.currentData() or ""))
        if placement is None:
            self.messages["就业记录"].show_problem(tr("该人员还没有就业记录，请先新增就业记录"))
            self.ok_button.setEnabled(False)
            return False
        self.messages["就业记录"].show_problem(None)
        day = from_qdate(self.day.date())
        problem = None
        if day < placement.start:
            problem = tr("回访日期早于就业开始日期{start}").format(start=placement.start)
        elif day > self._today:
            problem = tr("回访日期晚于今天")
        self.messages["回访日期"].show_problem(problem)
        self.ok_button.setEnabled(problem is None)
        return problem is None

    def write(self) -> FollowUp:
        return self._station.record_follow_up(
            str(self.placement.currentData()),
            from_qdate(self.day.date()),
            str(self.method.currentData()),
            str(self.result_choice.currentData()),
            who=self.who.text(),
            note=self.note.text(),
            today=self._today,
        )
