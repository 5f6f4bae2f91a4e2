"""Station use cases — add/edit/delete a worker, add a placement, record a follow-up (回访) —
each one checked transaction with an audit entry; a failure leaves the database as it was."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from zwdesk.domain.model import (
    FollowUp,
    FollowUpMethod,
    FollowUpResult,
    Placement,
    TargetGroup,
    Worker,
)
from zwdesk.domain.money import Fen
from zwdesk.domain.privacy import mask_id_number
from zwdesk.domain.regions import lookup_region
from zwdesk.domain.resident_id import ResidentIdError, parse_resident_id
from zwdesk.storage.database import StationDatabase
from zwdesk.storage.organisation_repository import OrganisationRepository
from zwdesk.storage.placement_repository import PlacementRepository
from zwdesk.storage.worker_repository import WorkerRepository

# Only record UUIDs and counts go to logging: never ID numbers, names or phones.
logger = logging.getLogger(__name__)
_PHONE = re.compile(r"\+?[0-9][0-9 -]{5,18}[0-9]")


class StationInputError(ValueError):
    """Bad input for a station operation: `field` names the field, `reason` says why (Chinese)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}：{reason}")
        self.field = field
        self.reason = reason


def check_id_number(text: str, field: str = "身份证号") -> str:
    """The canonical 18-character ID number, or StationInputError naming the field."""
    try:
        return parse_resident_id(text).number
    except ResidentIdError as error:
        raise StationInputError(field, str(error)) from None


def check_county(code: str | None, field: str, *, required: bool = True) -> str | None:
    """A six-digit region code known to the table (historical codes included)."""
    if code is None or not code.strip():
        if required:
            raise StationInputError(field, "不能为空")
        return None
    code = code.strip()
    if len(code) != 6 or not code.isdigit():
        raise StationInputError(field, f"应为6位行政区划代码，实际为“{code}”")
    if lookup_region(code) is None:
        raise StationInputError(field, f"行政区划代码{code}不存在")
    return code


def _check_text(value: str, field: str) -> str:
    if not value or not value.strip():
        raise StationInputError(field, "不能为空")
    return value.strip()


def _check_phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    if not _PHONE.fullmatch(phone.strip()):
        raise StationInputError("联系电话", "应为数字（可含空格或横线），7至20位")
    return phone.strip()


# Public name for the window's inline validation (the same rule the writes apply).
def check_phone(phone: str | None) -> str | None:
    """The trimmed phone number, None when empty, or StationInputError("联系电话", …)."""
    return _check_phone(phone)


def _check_groups(groups: Iterable[str | TargetGroup]) -> frozenset[TargetGroup]:
    checked = set()
    for group in groups:
        try:
            checked.add(TargetGroup(group))
        except ValueError:
            raise StationInputError("重点群体", f"未知的人群类别“{group}”") from None
    return frozenset(checked)


def _check_not_before(later: date | None, earlier: date | None, field: str, what: str) -> None:
    if later is not None and earlier is not None and later < earlier:
        raise StationInputError(field, f"{later.isoformat()}早于{what}{earlier.isoformat()}")


class StationService:
    """The station's write operations over one open database; `actor` is who does them (经办人)."""

    def __init__(self, database: StationDatabase, actor: str = "") -> None:
        self._database = database
        self.actor = actor
        self._workers = WorkerRepository(database)
        self._placements = PlacementRepository(database)
        self._organisations = OrganisationRepository(database)

    # -- workers (人员) -----------------------------------------------------------------------
    def _checked_worker(
        self,
        id_number: str,
        name: str,
        hukou_county: str,
        resident_county: str | None,
        rural: bool,
        groups: Iterable[str | TargetGroup],
        phone: str | None,
    ) -> Worker:
        return Worker(
            id_number=check_id_number(id_number),
            name=_check_text(name, "姓名"),
            hukou_county=check_county(hukou_county, "户籍所在县") or "",
            resident_county=check_county(resident_county, "常住县", required=False),
            rural=rural,
            groups=_check_groups(groups),
            phone=_check_phone(phone),
        )

    def add_worker(
        self,
        id_number: str,
        name: str,
        hukou_county: str,
        resident_county: str | None = None,
        *,
        rural: bool = False,
        groups: Iterable[str | TargetGroup] = (),
        phone: str | None = None,
    ) -> Worker:
        """Register a new worker; an ID number already registered is refused."""
        worker = self._checked_worker(
            id_number, name, hukou_county, resident_county, rural, groups, phone
        )
        with self._database.transaction(self.actor):
            if self._workers.get(worker.id_number) is not None:
                raise StationInputError(
                    "身份证号", f"{mask_id_number(worker.id_number)}已登记（同号即同一人）"
                )
            record_uuid = self._workers.add(worker)
        logger.info("worker added: %s", record_uuid)
        return worker

    def edit_worker(
        self,
        id_number: str,
        *,
        name: str | None = None,
        hukou_county: str | None = None,
        resident_county: str | None = None,
        rural: bool | None = None,
        groups: Iterable[str | TargetGroup] | None = None,
        phone: str | None = None,
    ) -> Worker:
        """Change the given fields of a registered worker (None = keep)."""
        number = check_id_number(id_number)
        with self._database.transaction(self.actor):
            current = self._workers.get(number)
            if current is None:
                raise StationInputError("身份证号", f"{mask_id_number(number)}未登记")
            worker = self._checked_worker(
                number,
                current.name if name is None else name,
                current.hukou_county if hukou_county is None else hukou_county,
                current.resident_county if resident_county is None else resident_county,
                current.rural if rural is None else rural,
                current.groups if groups is None else groups,
                current.phone if phone is None else phone,
            )
            self._workers.update(worker)
        return worker

    def delete_worker(self, id_number: str) -> None:
        """Delete a worker who has no placements left (a tombstone, kept for sync)."""
        number = check_id_number(id_number)
        with self._database.transaction(self.actor):
            if self._workers.get(number) is None:
                raise StationInputError("身份证号", f"{mask_id_number(number)}未登记")
            placements = self._placements.count_for_worker(number)
            if placements:
                raise StationInputError(
                    "身份证号", f"该人员还有{placements}条就业记录，请先删除这些记录"
                )
            self._workers.delete(number)

    def find_workers(self, text: str, limit: int = 50) -> list[Worker]:
        """By ID number (full or leading digits) when `text` is digits, else by name prefix."""
        query = text.strip().upper()
        if not query:
            return []
        if query[0].isdigit():
            return self._workers.find_by_id_prefix(query, limit)
        return self._workers.find_by_name_prefix(text.strip(), limit)

    # -- placements (就业记录) ----------------------------------------------------------------
    def add_placement(
        self,
        worker: str,
        work_county: str,
        start: date,
        *,
        organiser: str | None = None,
        employer: str = "",
        end: date | None = None,
        contract: bool = False,
        contract_start: date | None = None,
        contract_end: date | None = None,
        social_insurance: bool = False,
        monthly_wage: Fen | None = None,
        code: str = "",
    ) -> Placement:
        """Record a job; its stability is proven later by follow-ups."""
        number = check_id_number(worker, "人员身份证号")
        county = check_county(work_county, "务工地") or ""
        _check_not_before(end, start, "结束日期", "开始日期")
        _check_not_before(contract_end, contract_start, "合同结束日期", "合同开始日期")
        if monthly_wage is not None and monthly_wage < 0:
            raise StationInputError("月工资", "不能为负")
        placement = Placement(
            id=code.strip(),
            worker=number,
            organiser=organiser.strip() if organiser and organiser.strip() else None,
            work_county=county,
            start=start,
            end=end,
            employer=employer.strip(),
            contract=contract,
            contract_start=contract_start,
            contract_end=contract_end,
            social_insurance=social_insurance,
            monthly_wage=monthly_wage,
        )
        with self._database.transaction(self.actor):
            if self._workers.get(number) is None:
                raise StationInputError("人员身份证号", f"{mask_id_number(number)}未登记")
            if placement.organiser and self._organisations.get(placement.organiser) is None:
                raise StationInputError("组织者", f"组织{placement.organiser}不存在")
            if any(
                existing.employer == placement.employer and existing.start == start
                for existing in self._placements.for_worker(number)
            ):
                raise StationInputError("开始日期", "该人员在该用工单位同一天开始的就业记录已存在")
            if placement.id and self._placements.get(placement.id) is not None:
                raise StationInputError("编号", f"就业记录编号{placement.id}已被使用")
            stored_code = self._placements.add(placement)
        return replace(placement, id=stored_code)

    def delete_placement(self, code: str) -> None:
        """Delete a placement (a tombstone); its follow-ups go with it."""
        with self._database.transaction(self.actor):
            if self._placements.get(code) is None:
                raise StationInputError("就业记录", f"{code}不存在")
            self._placements.delete(code)

    # -- follow-ups (回访) --------------------------------------------------------------------
    def record_follow_up(
        self,
        placement: str,
        day: date,
        method: str | FollowUpMethod,
        result: str | FollowUpResult,
        *,
        who: str = "",
        note: str = "",
        today: date | None = None,
    ) -> FollowUp:
        """Record a 回访; an 在岗 result extends the placement's verified_through."""
        try:
            checked_method = FollowUpMethod(method)
        except ValueError:
            allowed = "、".join(item.value for item in FollowUpMethod)
            raise StationInputError("回访方式", f"应为{allowed}之一，实际为“{method}”") from None
        try:
            checked_result = FollowUpResult(result)
        except ValueError:
            allowed = "、".join(item.value for item in FollowUpResult)
            raise StationInputError("回访结果", f"应为{allowed}之一，实际为“{result}”") from None
        if day > (today or date.today()):
            raise StationInputError("回访日期", f"{day.isoformat()}晚于今天")
        with self._database.transaction(self.actor):
            stored = self._placements.get(placement)
            if stored is None:
                raise StationInputError("就业记录", f"{placement}不存在")
            _check_not_before(day, stored.start, "回访日期", "就业开始日期")
            follow_up = self._placements.add_follow_up(
                FollowUp(
                    id="",
                    placement=placement,
                    date=day,
                    method=checked_method,
                    result=checked_result,
                    who=who.strip() or self.actor,
                    note=note.strip(),
                )
            )
        logger.info("follow-up recorded: %s", follow_up.id)
        return follow_up
