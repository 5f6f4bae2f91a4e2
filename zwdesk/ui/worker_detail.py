"""The detail pane's text: one worker's data, placements, follow-ups, batches, claims, history."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from html import escape
from typing import Any

from zwdesk.domain.model import TargetGroup
from zwdesk.domain.money import Fen
from zwdesk.domain.regions import lookup_region
from zwdesk.services.subsidy_labels import ITEM_NAMES
from zwdesk.services.sync_service import RECORD_REJECTED, RecordSyncState
from zwdesk.services.worker_browser_service import AuditEntry, WorkerDossier
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.worker_table_model import county_name

_TABLES = {"workers": "人员", "placements": "就业记录", "follow_ups": "回访"}
_OPERATIONS = {"insert": "新增", "update": "修改", "delete": "删除"}
# Bookkeeping columns that change on every write and tell the clerk nothing.
# Foreign keys (row ids of another table) are hidden too: the change of a person or an organiser
# shows in that record's own history, and a bare number means nothing to the clerk.
_QUIET = {
    "change_number",
    "updated_at",
    "created_at",
    "deleted_at",
    "uuid",
    "id",
    "worker_id",
    "organiser_id",
    "organisation_id",
    "placement_id",
    "batch_id",
}
# The audited columns of workers, placements and follow-ups, as the forms name them.
_COLUMNS = {
    "id_number": translatable("身份证号"),
    "name": translatable("姓名"),
    "gender": translatable("性别"),
    "phone": translatable("联系电话"),
    "hukou_county": translatable("户籍所在县"),
    "resident_county": translatable("常住县"),
    "rural": translatable("农村户籍"),
    "groups": translatable("重点群体"),
    "code": translatable("编号"),
    "employer": translatable("用工单位"),
    "work_county": translatable("务工地"),
    "start_date": translatable("开始日期"),
    "end_date": translatable("结束日期"),
    "contract": translatable("签订劳动合同"),
    "contract_start": translatable("合同开始日期"),
    "contract_end": translatable("合同结束日期"),
    "social_insurance": translatable("缴纳社会保险"),
    "monthly_wage_fen": translatable("月工资"),
    "date": translatable("回访日期"),
    "method": translatable("回访方式"),
    "result": translatable("回访结果"),
    "who": translatable("回访人"),
    "note": translatable("备注"),
}
# The sync states a record can be in (RecordSyncState.state), as the detail names them.
_SYNC_STATES = (translatable("已同步"), translatable("待发送"), translatable("被拒"))
_COUNTY_COLUMNS = {"hukou_county", "resident_county", "work_county"}
_YES_NO_COLUMNS = {"rural", "contract", "social_insurance"}
_MONEY_COLUMNS = {"monthly_wage_fen"}


def _yuan(fen: Fen | int | None) -> str:
    return "" if fen is None else f"{fen / 100:,.2f}"


def _local_time(at: str) -> str:
    """Audit times are stored in UTC; the clerk reads local time."""
    try:
        return f"{datetime.fromisoformat(at).astimezone():%Y-%m-%d %H:%M}"
    except ValueError:
        return at


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return f"<p style='color:#666'>{escape(tr('（无）'))}</p>"
    head = "".join(f"<th align='left'>{escape(header)}</th>" for header in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table cellspacing='0' cellpadding='3' border='1'><tr>{head}</tr>{body}</table>"


def _full_county(code: str) -> str:
    """江苏省吴中区 for 320506; the bare code when the table does not know it."""
    region = lookup_region(code)
    return region.full_name if region else code


def _group_names(text: str) -> str:
    try:
        values = json.loads(text)
        names = [tr(TargetGroup(value).label) for value in values]
    except (TypeError, ValueError):
        return text
    return "、".join(names) or tr("无")


def _value(column: str, value: Any) -> str:
    """A stored value as the clerk reads it: 元 with fen, county names, 是/否, group names."""
    if value is None or value == "":
        return tr("（空）")
    formats: dict[str, Callable[[Any], str]] = {
        **dict.fromkeys(_MONEY_COLUMNS, lambda fen: tr("{money} 元").format(money=_yuan(fen))),
        **dict.fromkeys(_COUNTY_COLUMNS, lambda code: _full_county(str(code))),
        **dict.fromkeys(_YES_NO_COLUMNS, lambda flag: tr("是") if flag else tr("否")),
        "groups": lambda text: _group_names(str(text)),
        "method": lambda text: tr(str(text)),
        "result": lambda text: tr(str(text)),
    }
    shown = formats.get(column)
    return shown(value) if shown is not None else str(value)


def _change(entry: AuditEntry) -> str:
    """`月工资：4,200.00 元 → 4,500.00 元；务工地：…` for an update; ids and bookkeeping hidden."""
    if entry.operation != "update" or entry.old is None or entry.new is None:
        return ""
    changes = [
        f"{tr(_COLUMNS.get(key, key))}：{_value(key, entry.old.get(key))} → {_value(key, value)}"
        for key, value in entry.new.items()
        if key not in _QUIET and entry.old.get(key) != value
    ]
    return "；".join(changes)


def sync_text(state: RecordSyncState | None) -> str:
    """已同步 / 待发送 / 被拒（the city's reason）, then the city's notices on the record."""
    if state is None:
        return ""
    text = tr(state.state)
    if state.state == RECORD_REJECTED:
        text = tr("被拒（{reason}）").format(reason=state.reason or tr("原因不明"))
    if state.notices:
        text += "；" + tr("市里意见：{notices}").format(notices="；".join(state.notices))
    return text


def dossier_html(dossier: WorkerDossier, sync: Mapping[str, RecordSyncState] | None = None) -> str:
    """HTML for a QTextBrowser; the full ID and phone are shown (the clerk's own records).
    With `sync` (the station is enrolled) each worker, placement and follow-up says whether the
    city has it (已同步), it waits (待发送) or the city refused it (被拒), and what the city
    noted about it."""
    worker = dossier.worker
    groups = "、".join(tr(group.label) for group in sorted(worker.groups)) or tr("无")
    facts = [
        (tr("身份证号"), worker.id_number),
        (tr("户籍所在县"), f"{county_name(worker.hukou_county)}（{worker.hukou_county}）"),
        (tr("常住县"), county_name(worker.resident_county) or tr("同户籍")),
        (tr("联系电话"), worker.phone or tr("未登记")),
        (tr("农村户籍"), tr("是") if worker.rural else tr("否")),
        (tr("重点群体"), groups),
    ]
    if sync is not None:
        facts.append((tr("同步"), sync_text(sync.get(worker.id_number))))
    parts = [f"<h2>{escape(worker.name)}</h2><table cellpadding='2'>"]
    parts += [
        f"<tr><td style='color:#555'>{escape(label)}</td><td>{escape(value)}</td></tr>"
        for label, value in facts
    ]
    parts.append("</table>")

    placements: list[list[Any]] = []
    for item in dossier.placements:
        placement = item.placement
        last = item.follow_ups[-1] if item.follow_ups else None
        placements.append(
            [
                placement.employer,
                county_name(placement.work_county),
                placement.start,
                placement.end or tr("在职"),
                item.organiser_name,
                _yuan(placement.monthly_wage),
                f"{last.date} {last.result}" if last else tr("未回访"),
            ]
            + ([sync_text(sync.get(placement.id))] if sync is not None else [])
        )
    sync_header = [tr("同步")] if sync is not None else []
    parts.append(f"<h3>{escape(tr('就业记录'))}</h3>")
    parts.append(
        _table(
            [tr(h) for h in ("用工单位", "务工地", "开始", "结束", "组织者", "月工资", "最近回访")]
            + sync_header,
            placements,
        )
    )
    follow_ups = [
        [item.placement.employer, f.date, f.method, f.result, f.who, f.note]
        + ([sync_text(sync.get(f.id))] if sync is not None else [])
        for item in dossier.placements
        for f in item.follow_ups
    ]
    parts.append(f"<h3>{escape(tr('回访'))}</h3>")
    parts.append(
        _table(
            [tr(h) for h in ("用工单位", "日期", "方式", "结果", "回访人", "备注")] + sync_header,
            follow_ups,
        )
    )
    parts.append(f"<h3>{escape(tr('点对点输送批次'))}</h3>")
    parts.append(
        _table(
            [tr(h) for h in ("批次", "组织者", "出发日期", "目的地", "车票（元）")],
            [
                [code, org, day, county_name(dest), _yuan(fare)]
                for code, org, day, dest, fare in dossier.batches
            ],
        )
    )
    parts.append(f"<h3>{escape(tr('已申领补贴'))}</h3>")
    parts.append(
        _table(
            [tr(h) for h in ("项目", "金额（元）", "年度", "申领单号")],
            [
                [tr(ITEM_NAMES.get(item, str(item))), _yuan(amount), year or "", number or ""]
                for item, amount, year, number in dossier.claims
            ],
        )
    )
    parts.append(f"<h3>{escape(tr('变更记录'))}</h3>")
    parts.append(
        _table(
            [tr(h) for h in ("时间", "经办人", "操作", "对象", "变更内容")],
            [
                [
                    _local_time(entry.at),
                    entry.actor,
                    tr(_OPERATIONS.get(entry.operation, entry.operation)),
                    tr(_TABLES.get(entry.table, entry.table)),
                    _change(entry),
                ]
                for entry in dossier.history
            ],
        )
    )
    return "".join(parts)
