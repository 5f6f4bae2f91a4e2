"""The detail pane's text: one worker's data, placements, follow-ups, batches, claims, history."""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from zwdesk.domain.money import Fen
from zwdesk.services.worker_browser_service import AuditEntry, WorkerDossier
from zwdesk.ui.i18n import tr
from zwdesk.ui.worker_table_model import county_name

_TABLES = {"workers": "人员", "placements": "就业记录", "follow_ups": "回访"}
_OPERATIONS = {"insert": "新增", "update": "修改", "delete": "删除"}
# Bookkeeping columns that change on every write and tell the clerk nothing.
_QUIET = {"change_number", "updated_at", "created_at", "uuid", "id"}


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


def _change(entry: AuditEntry) -> str:
    if entry.operation != "update" or entry.old is None or entry.new is None:
        return ""
    changes = [
        f"{key}: {entry.old.get(key)} → {value}"
        for key, value in entry.new.items()
        if key not in _QUIET and entry.old.get(key) != value
    ]
    return "；".join(changes)


def dossier_html(dossier: WorkerDossier) -> str:
    """HTML for a QTextBrowser; the full ID and phone are shown (the clerk's own records)."""
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
        )
    parts.append(f"<h3>{escape(tr('就业记录'))}</h3>")
    parts.append(
        _table(
            [tr(h) for h in ("用工单位", "务工地", "开始", "结束", "组织者", "月工资", "最近回访")],
            placements,
        )
    )
    follow_ups = [
        [item.placement.employer, f.date, f.method, f.result, f.who, f.note]
        for item in dossier.placements
        for f in item.follow_ups
    ]
    parts.append(f"<h3>{escape(tr('回访'))}</h3>")
    parts.append(
        _table([tr(h) for h in ("用工单位", "日期", "方式", "结果", "回访人", "备注")], follow_ups)
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
                [tr("第{item}项").format(item=item), _yuan(amount), year or "", number or ""]
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
