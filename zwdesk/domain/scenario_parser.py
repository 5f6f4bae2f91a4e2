"""Turn a `zwdesk-scenario/1` document (already decoded JSON) into checked domain facts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any, TypeGuard

from zwdesk.domain.dates import parse_iso_date
from zwdesk.domain.model import (
    Batch,
    BatchMode,
    Claim,
    GigRecord,
    Organisation,
    OrganisationKind,
    Passenger,
    Placement,
    Scenario,
    TargetGroup,
    Worker,
)
from zwdesk.domain.money import Fen, yuan_to_fen
from zwdesk.domain.privacy import mask_id_number
from zwdesk.domain.regions import lookup_region
from zwdesk.domain.resident_id import (
    ResidentIdError,
    checked_resident_id,
    normalise_resident_id,
)

SCENARIO_FORMAT = "zwdesk-scenario/1"
_SECTIONS = ("organisations", "workers", "placements", "batches", "gig_records", "claims")
# Keys a person may add for their own notes; everything else unknown is a misspelling.
_NOTE_KEYS = frozenset({"note", "notes", "comment", "remark"})


class ScenarioError(ValueError):
    """Bad input: `where` names the record and field, `reason` says why (Chinese)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}：{reason}")
        self.where = where
        self.reason = reason


# Fields that hold personal data: an error never echoes their value (it goes to a terminal).
_PERSONAL_FIELDS = frozenset({"id_number", "worker", "phone"})


def _shown(name: str, value: object) -> str:
    """A rejected value as an error may show it: personal fields only by their kind."""
    if name in _PERSONAL_FIELDS:
        kind = (
            "数字" if isinstance(value, int | float) and not isinstance(value, bool) else "非文本"
        )
        return f"{kind}（身份证号须写成带引号的文本）" if value not in ("", None) else "空"
    return repr(value)


class _Fields:
    """Reads one record's fields, each failure naming record and field."""

    def __init__(self, record: object, where: str, allowed: frozenset[str]) -> None:
        if not _is_object(record):
            raise ScenarioError(where, "应为对象（JSON object）")
        self.record: Mapping[str, Any] = record
        self.where = where
        if allowed.issuperset(record):  # the common case: every key known, no set made
            return
        unknown = sorted(
            key
            for key in record.keys() - allowed
            if key not in _NOTE_KEYS and not str(key).startswith("_")
        )
        if unknown:
            raise ScenarioError(f"{where}.{unknown[0]}", "未知字段（拼写错误？）")

    def fail(self, name: str, reason: str) -> ScenarioError:
        return ScenarioError(f"{self.where}.{name}", reason)

    def present(self, name: str) -> bool:
        return self.record.get(name) is not None

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = self.record.get(name)
        if value is None:
            if required:
                raise self.fail(name, "缺少此字段")
            return None
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            raise self.fail(name, f"应为非空文本，实际为 {_shown(name, value)}")
        return text

    def required_text(self, name: str) -> str:
        value = self.text(name)
        assert value is not None
        return value

    def day(self, name: str, *, required: bool = True) -> date | None:
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return parse_iso_date(value)
        except ValueError as error:
            raise self.fail(name, str(error)) from None

    def required_day(self, name: str) -> date:
        value = self.day(name)
        assert value is not None
        return value

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.record.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(name, f"应为 true 或 false，实际为 {value!r}")
        return value

    def money(self, name: str, *, required: bool = False) -> Fen | None:
        value = self.record.get(name)
        if value is None:
            if required:
                raise self.fail(name, "缺少此字段")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"应为金额（数字），实际为 {value!r}")
        try:
            fen = _whole_yuan(value) if type(value) is int else yuan_to_fen(value)
        except ValueError as error:
            raise self.fail(name, f"{error}：{value!r}") from None
        if fen < 0:
            raise self.fail(name, f"金额不能为负：{value!r}")
        return fen

    def integer(self, name: str, *, required: bool = True) -> int | None:
        value = self.record.get(name)
        if value is None:
            if required:
                raise self.fail(name, "缺少此字段")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(name, f"应为整数，实际为 {value!r}")
        return value

    def county(self, name: str, *, required: bool = True) -> str | None:
        value = self.record.get(name)
        if value is None:
            if required:
                raise self.fail(name, "缺少此字段")
            return None
        code = str(value).strip() if isinstance(value, str | int) else ""
        if len(code) != 6 or not code.isdigit():
            raise self.fail(name, f"应为6位行政区划代码，实际为 {value!r}")
        region = lookup_region(code)
        if region is None:
            raise self.fail(name, f"行政区划代码{code}不存在（含历史代码均未找到）")
        return region.code  # one string object per code for the whole scenario

    def resident_id(self, name: str) -> str:
        value = self.required_text(name)
        try:
            return checked_resident_id(value)
        except ResidentIdError as error:
            raise self.fail(name, str(error)) from None


@lru_cache(maxsize=1 << 16)
def _shared_text(text: str) -> str:
    """The first of equal texts: a city's 300,000 placements name a few hundred employers."""
    return text


@lru_cache(maxsize=1 << 16)
def _whole_yuan(value: int) -> Fen:
    """`yuan_to_fen` of a whole amount, the same int object each time: a city's 300,000 wages
    take a few thousand values, and the engine then reads a few thousand objects, not 300,000
    scattered over its memory."""
    return yuan_to_fen(value)


def _is_object(value: object) -> TypeGuard[Mapping[str, Any]]:
    """A JSON object (a dict, as json.loads makes, tested first: the Mapping ABC's check
    costs several times more, for each of a city's 600,000 records)."""
    return type(value) is dict or isinstance(value, Mapping)


def _label(section: str, index: int, record: object, key: str) -> str:
    if _is_object(record) and isinstance(record.get(key), str):
        return f"{section}[{index}]（{record[key]}）"
    return f"{section}[{index}]"


def _records(document: Mapping[str, Any], section: str) -> list[Any]:
    value = document.get(section)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScenarioError(section, "应为数组（JSON array）")
    return value


def parse_scenario(document: object) -> Scenario:
    """Check every record and cross-reference; the first problem raises ScenarioError."""
    if not isinstance(document, Mapping):
        raise ScenarioError("（文件）", "应为 JSON 对象")
    if document.get("format") != SCENARIO_FORMAT:
        raise ScenarioError(
            "format", f"应为 “{SCENARIO_FORMAT}”，实际为 {document.get('format')!r}"
        )
    unknown = sorted(set(document) - set(_SECTIONS) - {"format"} - _NOTE_KEYS)
    unknown = [key for key in unknown if not str(key).startswith("_")]
    if unknown:
        raise ScenarioError(unknown[0], "未知字段（拼写错误？）")

    organisations = _parse_organisations(_records(document, "organisations"))
    workers = _parse_workers(_records(document, "workers"))
    # Each id to itself: a record naming an organisation or a worker keeps the one string of
    # that id (a city's 300,000 placements then share a few hundred thousand strings, not
    # each its own copy, and the engine compares them by identity).
    organisation_ids = {organisation.id: organisation.id for organisation in organisations}
    worker_ids = {worker.id_number: worker.id_number for worker in workers}
    placements = _parse_placements(_records(document, "placements"), organisation_ids, worker_ids)
    batches = _parse_batches(_records(document, "batches"), organisation_ids, worker_ids)
    gig_records = _parse_gig_records(_records(document, "gig_records"), organisation_ids)
    batch_ids = {batch.id for batch in batches}
    claims = _parse_claims(_records(document, "claims"), organisation_ids, batch_ids)
    return Scenario(
        organisations=organisations,
        workers=workers,
        placements=placements,
        batches=batches,
        gig_records=gig_records,
        claims=claims,
    )


_ORGANISATION_KEYS = frozenset({"id", "kind", "name", "county"})


def _parse_organisations(records: list[Any]) -> tuple[Organisation, ...]:
    seen: set[str] = set()
    parsed = []
    for index, record in enumerate(records):
        fields = _Fields(record, _label("organisations", index, record, "id"), _ORGANISATION_KEYS)
        identifier = fields.required_text("id")
        if identifier in seen:
            raise fields.fail("id", f"组织编号{identifier}重复")
        seen.add(identifier)
        kind_text = fields.required_text("kind")
        try:
            kind = OrganisationKind(kind_text)
        except ValueError:
            allowed = "、".join(kind.value for kind in OrganisationKind)
            raise fields.fail("kind", f"未知的组织类型“{kind_text}”，应为 {allowed} 之一") from None
        name = fields.text("name", required=False) or identifier
        parsed.append(Organisation(identifier, kind, name, fields.county("county", required=False)))
    return tuple(parsed)


_WORKER_KEYS = frozenset(
    {"id_number", "name", "hukou_county", "resident_county", "rural", "groups", "phone", "gender"}
)


def _parse_workers(records: list[Any]) -> tuple[Worker, ...]:
    by_id: dict[str, Worker] = {}
    for index, record in enumerate(records):
        fields = _Fields(record, f"workers[{index}]", _WORKER_KEYS)
        id_number = fields.resident_id("id_number")
        groups_value = fields.record.get("groups") or []
        if not isinstance(groups_value, list):
            raise fields.fail("groups", "应为数组")
        groups = set()
        for group in groups_value:
            try:
                groups.add(TargetGroup(group))
            except ValueError:
                allowed = "、".join(group.value for group in TargetGroup)
                raise fields.fail(
                    "groups", f"未知的人群类别“{group}”，应为 {allowed} 之一"
                ) from None
        worker = Worker(
            id_number=id_number,
            name=fields.text("name", required=False) or "",
            hukou_county=fields.county("hukou_county") or "",
            resident_county=fields.county("resident_county", required=False),
            rural=fields.flag("rural"),
            groups=frozenset(groups),
        )
        earlier = by_id.get(id_number)
        if earlier is not None and earlier != worker:
            raise fields.fail("id_number", "同一身份证号出现两条内容不同的人员记录（同号即同一人）")
        by_id[id_number] = worker
    return tuple(by_id.values())


_PLACEMENT_KEYS = frozenset(
    {
        "id",
        "worker",
        "organiser",
        "employer",
        "work_county",
        "start",
        "end",
        "verified_through",
        "contract",
        "contract_start",
        "contract_end",
        "social_insurance",
        "monthly_wage",
    }
)


def _known_worker(fields: _Fields, name: str, worker_ids: dict[str, str]) -> str:
    text = fields.required_text(name)
    known = worker_ids.get(text)
    if known is not None:  # already canonical: the common case, no normalising needed
        return known
    number = normalise_resident_id(text)
    known = worker_ids.get(number)
    if known is None:
        raise fields.fail(name, f"人员{mask_id_number(number)}不在 workers 中")
    return known


def _parse_placements(
    records: list[Any], organisation_ids: dict[str, str], worker_ids: dict[str, str]
) -> tuple[Placement, ...]:
    seen: set[str] = set()
    parsed = []
    for index, record in enumerate(records):
        fields = _Fields(record, _label("placements", index, record, "id"), _PLACEMENT_KEYS)
        identifier = fields.required_text("id")
        if identifier in seen:
            raise fields.fail("id", f"就业记录编号{identifier}重复")
        seen.add(identifier)
        worker = _known_worker(fields, "worker", worker_ids)
        organiser = fields.text("organiser", required=False)
        if organiser is not None:
            known = organisation_ids.get(organiser)
            if known is None:
                raise fields.fail("organiser", f"组织{organiser}不在 organisations 中")
            organiser = known
        start = fields.required_day("start")
        end = fields.day("end", required=False)
        verified = fields.day("verified_through", required=False)
        if end is not None and end < start:
            raise fields.fail("end", f"结束日期{end}早于开始日期{start}")
        if verified is not None and verified < start:
            raise fields.fail("verified_through", f"核实日期{verified}早于开始日期{start}")
        contract_start = fields.day("contract_start", required=False)
        contract_end = fields.day("contract_end", required=False)
        if contract_start and contract_end and contract_end < contract_start:
            raise fields.fail(
                "contract_end", f"合同结束日期{contract_end}早于合同开始日期{contract_start}"
            )
        parsed.append(
            Placement(
                id=identifier,
                worker=worker,
                organiser=organiser,
                work_county=fields.county("work_county") or "",
                start=start,
                end=end,
                verified_through=verified,
                employer=_shared_text(fields.text("employer", required=False) or ""),
                contract=fields.flag("contract"),
                contract_start=contract_start,
                contract_end=contract_end,
                social_insurance=fields.flag("social_insurance"),
                monthly_wage=fields.money("monthly_wage"),
            )
        )
    return tuple(parsed)


_BATCH_KEYS = frozenset(
    {
        "id",
        "organiser",
        "departure",
        "destination_county",
        "mode",
        "charter_cost",
        "passengers",
        "origin",
        "name",
    }
)
_PASSENGER_KEYS = frozenset({"worker", "fare", "receipt"})


def _parse_batches(
    records: list[Any], organisation_ids: dict[str, str], worker_ids: dict[str, str]
) -> tuple[Batch, ...]:
    seen: set[str] = set()
    parsed = []
    for index, record in enumerate(records):
        fields = _Fields(record, _label("batches", index, record, "id"), _BATCH_KEYS)
        identifier = fields.required_text("id")
        if identifier in seen:
            raise fields.fail("id", f"批次编号{identifier}重复")
        seen.add(identifier)
        organiser = fields.required_text("organiser")
        if organiser not in organisation_ids:
            raise fields.fail("organiser", f"组织{organiser}不在 organisations 中")
        mode_text = fields.required_text("mode")
        try:
            mode = BatchMode(mode_text)
        except ValueError:
            raise fields.fail(
                "mode", f"未知的输送方式“{mode_text}”，应为 charter 或 tickets"
            ) from None
        charter_cost = fields.money("charter_cost", required=mode is BatchMode.CHARTER)
        passengers_value = fields.record.get("passengers") or []
        if not isinstance(passengers_value, list):
            raise fields.fail("passengers", "应为数组")
        passengers = []
        for number, passenger_record in enumerate(passengers_value):
            passenger = _Fields(
                passenger_record, f"{fields.where}.passengers[{number}]", _PASSENGER_KEYS
            )
            receipt = passenger.record.get("receipt")
            if receipt is not None and not isinstance(receipt, str | int):
                raise passenger.fail("receipt", f"应为票据号（文本），实际为 {receipt!r}")
            passengers.append(
                Passenger(
                    worker=_known_worker(passenger, "worker", worker_ids),
                    fare=passenger.money("fare") or 0,
                    receipt=str(receipt).strip() or None if receipt is not None else None,
                )
            )
        parsed.append(
            Batch(
                id=identifier,
                organiser=organiser,
                departure=fields.required_day("departure"),
                destination_county=fields.county("destination_county") or "",
                mode=mode,
                charter_cost=charter_cost,
                passengers=tuple(passengers),
                origin=fields.county("origin", required=False),
            )
        )
    return tuple(parsed)


_GIG_KEYS = frozenset({"organisation", "worker", "date"})


def _parse_gig_records(
    records: list[Any], organisation_ids: dict[str, str]
) -> tuple[GigRecord, ...]:
    parsed = []
    for index, record in enumerate(records):
        fields = _Fields(record, f"gig_records[{index}]", _GIG_KEYS)
        organisation = fields.required_text("organisation")
        if organisation not in organisation_ids:
            raise fields.fail("organisation", f"组织{organisation}不在 organisations 中")
        # Gig workers need not be on the workers list, but must be real ID numbers.
        parsed.append(
            GigRecord(organisation, fields.resident_id("worker"), fields.required_day("date"))
        )
    return tuple(parsed)


_CLAIM_KEYS = frozenset(
    {"item", "worker", "organisation", "batch", "year", "amount", "claim", "date"}
)
_CLAIM_NEEDS = {
    1: ("organisation", "year"),
    2: ("worker", "year"),
    3: ("worker", "organisation", "year"),
    4: ("organisation",),
    5: ("batch",),
    6: ("organisation", "year"),
}


def _parse_claims(
    records: list[Any], organisation_ids: dict[str, str], batch_ids: set[str]
) -> tuple[Claim, ...]:
    parsed = []
    for index, record in enumerate(records):
        fields = _Fields(record, _label("claims", index, record, "claim"), _CLAIM_KEYS)
        item = fields.integer("item")
        if item not in _CLAIM_NEEDS:
            raise fields.fail("item", f"项目应为1至6，实际为 {item!r}")
        for needed in _CLAIM_NEEDS[item]:
            if not fields.present(needed):
                raise fields.fail(needed, f"第{item}项的申领记录须有此字段")
        organisation = fields.text("organisation", required=False)
        if organisation is not None and organisation not in organisation_ids:
            raise fields.fail("organisation", f"组织{organisation}不在 organisations 中")
        batch = fields.text("batch", required=False)
        if batch is not None and batch not in batch_ids:
            raise fields.fail("batch", f"批次{batch}不在 batches 中")
        # A worker paid elsewhere in the city need not be on this station's list.
        worker = fields.resident_id("worker") if fields.present("worker") else None
        fields.day("date", required=False)  # optional, but a bad date is still an error
        claim_id = fields.record.get("claim")
        parsed.append(
            Claim(
                item=item,
                amount=fields.money("amount", required=True) or 0,
                year=fields.integer("year", required=False),
                worker=worker,
                organisation=organisation,
                batch=batch,
                claim=str(claim_id) if claim_id is not None else None,
            )
        )
    return tuple(parsed)
