"""Frozen claims for the form tests: valid-looking IDs, Chinese names, amounts with fen."""

from __future__ import annotations

from datetime import date, datetime

from zwdesk.domain.claims import ClaimLine, FrozenClaim
from zwdesk.domain.resident_id import make_resident_id

SURNAMES = "马李王张刘杨白田海丁"
GIVEN = ("小明", "建国", "秀英", "志强", "海燕", "学军", "玉兰", "德福", "春花", "文")
COUNTIES = ("640522", "640521", "640502")
CLAUSES = {
    1: ("第一项", "对驻外劳务工作站年度内组织转移就业人数达到200人……给予就业创业服务补贴。"),
    2: (
        "第二项",
        "对外出务工6个月以上签订劳动合同、缴纳社会保险的本地户籍劳动力，每人每年可享受一次性交通补贴。",
    ),
    3: ("第三项", "转移就业3个月以上不满6个月、6个月以上的分别给予200元/人、300元/人奖补。"),
    4: ("第四项", "就业帮扶车间吸纳就业困难人员……给予一次性补贴。"),
    5: ("第五项", "一次性组织务工人员10人（含）以上35人以下的，可据实报销车费。"),
    6: ("第六项", "对零工市场和零工驿站按规定给予运营补贴。"),
}


def id_number(index: int) -> str:
    """A checksum-valid 18-digit resident ID, distinct for each index."""
    birth = date(1970 + index % 30, 1 + index % 12, 1 + index % 28)
    return make_resident_id(COUNTIES[index % 3], birth, index)


def person_name(index: int) -> str:
    given = GIVEN[index // 10 % len(GIVEN)]
    return SURNAMES[index % len(SURNAMES)] + given


def worker_lines(count: int, item: int = 2) -> tuple[ClaimLine, ...]:
    lines = []
    for index in range(count):
        cross = index % 3 != 0
        amount = (80000 if cross else 20000) if item == 2 else 30000 if index % 2 else 20000
        if item == 5:
            amount = 12345 + index * 7
        lines.append(
            ClaimLine(
                subject=id_number(index),
                name=person_name(index),
                amount=amount,
                explanation=(f"第{item}项：稳定就业满6个月",),
                worker=id_number(index),
                details=(
                    ("务工地", "江苏省苏州市昆山市" if cross else "银川市金凤区"),
                    ("类别", "跨省（区）" if cross else "区内跨县"),
                    ("就业起始日", f"2025-{1 + index % 6:02d}-{1 + index % 28:02d}"),
                ),
            )
        )
    return tuple(lines)


def make_claim(item: int = 2, count: int = 5, number: str | None = None) -> FrozenClaim:
    clause, quote = CLAUSES[item]
    if item in (2, 3, 5):
        lines = worker_lines(count, item)
    else:
        lines = (
            ClaimLine(
                subject="ST01",
                name="海原县驻昆山劳务工作站",
                amount=6_000_000,
                explanation=("2025年组织转移就业且稳定3个月以上：312人", "达到300人档：6万元"),
            ),
        )
    return FrozenClaim(
        number=number or f"2025-海原-T{item}-002",
        item=item,
        organisation_id="ST01",
        organisation_name="海原县驻昆山劳务工作站",
        organisation_county="海原县",
        contact="白主任 0955-4012345",
        year=None if item == 5 else 2025,
        batch="B2025-07 中卫→昆山 包车" if item == 5 else None,
        as_of=date(2025, 12, 31),
        frozen_at=datetime(2026, 1, 5, 9, 30),
        clause=clause,
        clause_quote=quote,
        lines=lines,
        policy_version="2025-01-01",
    )
