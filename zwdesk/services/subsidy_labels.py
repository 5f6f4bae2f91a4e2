"""How subsidy items and amounts are named wherever a station sees them."""

from __future__ import annotations

from datetime import date

from zwdesk.domain.model import OrganisationKind
from zwdesk.domain.money import Fen, format_yuan_grouped

ITEM_TITLES = {
    1: "第一项 驻外劳务工作站就业创业服务补贴",
    2: "第二项 一次性交通补贴",
    3: "第三项 劳务中介带动就业奖补",
    4: "第四项 就业帮扶车间一次性补贴",
    5: "第五项 “点对点”转移就业输送",
    6: "第六项 零工市场（驿站）运营补贴",
}
ITEM_NAMES = {1: "第一项", 2: "第二项", 3: "第三项", 4: "第四项", 5: "第五项", 6: "第六项"}
# Which items an organisation of each kind can claim (POLICY.md §4).
ITEMS_BY_KIND = {
    OrganisationKind.STATION: (1,),
    OrganisationKind.BROKER: (3, 5),
    OrganisationKind.WORKSHOP: (4,),
    OrganisationKind.GIG_MARKET: (6,),
    OrganisationKind.GIG_STATION: (6,),
}
# How far ahead the worklist looks: a follow-up due next month is planned now.


def format_money(fen: Fen) -> str:
    """`40,000.00 元`: 元 with fen, thousands separated."""
    return f"{format_yuan_grouped(fen)} 元"


def month_day(day: date) -> str:
    """`6月30日`."""
    return f"{day.month}月{day.day}日"
