"""The columns of a 花名册 (roster) and the Chinese header variants offices write for them."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class RosterField(StrEnum):
    """One roster column; the value is its Chinese name as used in messages and exports."""

    SEQUENCE = "序号"
    NAME = "姓名"
    GENDER = "性别"
    ID_NUMBER = "身份证号"
    HUKOU = "户籍地"
    HUKOU_CODE = "户籍地区划代码"
    RESIDENCE = "常住地"
    RESIDENCE_CODE = "常住地区划代码"
    PHONE = "联系电话"
    WORK_PLACE = "务工地点"
    WORK_CODE = "务工地区划代码"
    EMPLOYER = "用工单位"
    START = "开始日期"
    END = "结束日期"
    WAGE = "月工资"
    CONTRACT = "是否签订劳动合同"
    CONTRACT_START = "合同开始日期"
    CONTRACT_END = "合同结束日期"
    SOCIAL_INSURANCE = "是否缴纳社保"
    RURAL = "农村劳动力"
    GROUPS = "人员类别"
    ORGANISER = "组织者"
    VERIFIED_THROUGH = "核实在岗至"
    PLACEMENT_ID = "就业记录编号"
    REMARK = "备注"


_VARIANTS: dict[RosterField, tuple[str, ...]] = {
    RosterField.SEQUENCE: ("序号", "编号", "序"),
    RosterField.NAME: ("姓名", "劳动力姓名", "务工人员姓名", "人员姓名"),
    RosterField.GENDER: ("性别",),
    RosterField.ID_NUMBER: (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "身份证",
        "居民身份证号码",
        "证件号码",
        "身份证件号码",
    ),
    RosterField.HUKOU: (
        "户籍地",
        "户籍所在地",
        "户籍县区",
        "户籍地址",
        "户口所在地",
        "户籍",
        "户籍所在县区",
    ),
    RosterField.HUKOU_CODE: ("户籍地区划代码", "户籍地代码"),
    RosterField.RESIDENCE: ("常住地", "常住地址", "现居住地", "居住地", "常住县区"),
    RosterField.RESIDENCE_CODE: ("常住地区划代码", "常住地代码"),
    RosterField.PHONE: ("联系电话", "手机号", "手机号码", "电话", "联系方式", "电话号码"),
    RosterField.WORK_PLACE: (
        "务工地点",
        "就业地点",
        "务工地址",
        "就业地址",
        "务工地",
        "就业地",
        "务工地区",
        "就业地区",
        "务工所在地",
        "就业所在地",
    ),
    RosterField.WORK_CODE: ("务工地区划代码", "务工地代码"),
    RosterField.EMPLOYER: ("用工单位", "就业单位", "工作单位", "务工单位", "用人单位"),
    RosterField.START: (
        "务工起始时间",
        "就业时间",
        "开始日期",
        "务工时间",
        "就业起始时间",
        "开始时间",
        "入职时间",
        "入职日期",
        "务工开始时间",
        "外出务工时间",
        "就业开始时间",
        "务工起始日期",
    ),
    RosterField.END: (
        "结束时间",
        "离职时间",
        "结束日期",
        "离职日期",
        "务工结束时间",
        "就业结束时间",
    ),
    RosterField.WAGE: (
        "月工资",
        "月收入",
        "工资",
        "月工资收入",
        "月均工资",
        "月均收入",
        "工资收入",
    ),
    RosterField.CONTRACT: ("是否签订劳动合同", "劳动合同", "签订劳动合同", "是否签订合同"),
    RosterField.CONTRACT_START: ("合同开始日期", "合同起始日期", "劳动合同开始日期"),
    RosterField.CONTRACT_END: ("合同结束日期", "合同终止日期", "劳动合同结束日期"),
    RosterField.SOCIAL_INSURANCE: (
        "是否缴纳社保",
        "社保",
        "缴纳社保",
        "是否参保",
        "是否缴纳社会保险",
        "社会保险",
    ),
    RosterField.RURAL: ("农村劳动力", "是否农村劳动力"),
    RosterField.GROUPS: ("人员类别", "重点群体", "人员类型", "人员身份", "重点群体类别"),
    RosterField.ORGANISER: ("组织者", "输出机构", "组织单位", "组织输出单位"),
    RosterField.VERIFIED_THROUGH: ("核实在岗至", "最近回访在岗日期"),
    RosterField.PLACEMENT_ID: ("就业记录编号",),
    RosterField.REMARK: ("备注", "错误原因", "原行号"),  # the last two: our 错误行 file
}

_BY_HEADER: dict[str, RosterField] = {
    variant: field for field, variants in _VARIANTS.items() for variant in variants
}
# (必填) （元） 【18位】 * — hints that follow or precede the header word
_HINTS = re.compile(r"[(\[【<].*?[)\]】>]|[*＊※:：\s]")


def field_for_header(text: object) -> RosterField | None:
    """The field a header cell names, or None: `身份证号码（18位）` → ID_NUMBER."""
    if not isinstance(text, str):
        return None
    cleaned = _HINTS.sub("", unicodedata.normalize("NFKC", text))
    return _BY_HEADER.get(cleaned)


REQUIRED_COLUMNS = (RosterField.NAME, RosterField.ID_NUMBER)
