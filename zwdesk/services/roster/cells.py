"""Cell values as offices type them → clean Python values, or a Chinese reason (CellError)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from zwdesk.domain.model import TargetGroup
from zwdesk.domain.money import Fen, yuan_to_fen
from zwdesk.domain.privacy import mask_phone
from zwdesk.domain.resident_id import ResidentId, ResidentIdError, parse_resident_id

CellValue = str | int | float | bool | date | None

NUMERIC_ID_REASON = "身份证号被存成数字，末几位已丢失，请把该列设为文本后重新录入"
_EXCEL_EPOCH = datetime(1899, 12, 30)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u00a0\u3000"), " ")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MONTH_ONLY = re.compile(r"\d{4}(?:[-/.]\d{1,2}|年\d{1,2}月?)")
_TRUE = frozenset(
    {
        "是",
        "√",
        "✓",
        "✔",
        "有",
        "已签",
        "已签订",
        "签订",
        "已缴",
        "已缴纳",
        "缴纳",
        "已参保",
        "参保",
        "y",
        "yes",
        "true",
        "1",
        "对",
    }
)
_FALSE = frozenset(
    {
        "否",
        "×",
        "✗",
        "✘",
        "无",
        "未签",
        "未签订",
        "没有",
        "未缴",
        "未缴纳",
        "未参保",
        "不是",
        "n",
        "no",
        "false",
        "0",
        "x",
    }
)
_GROUP_WORDS: dict[str, TargetGroup | None] = {
    "脱贫人口": TargetGroup.POVERTY_RELIEVED,
    "脱贫户": TargetGroup.POVERTY_RELIEVED,
    "脱贫劳动力": TargetGroup.POVERTY_RELIEVED,
    "建档立卡": TargetGroup.POVERTY_RELIEVED,
    "建档立卡户": TargetGroup.POVERTY_RELIEVED,
    "就业困难人员": TargetGroup.HARD_TO_EMPLOY,
    "就业困难": TargetGroup.HARD_TO_EMPLOY,
    "高校毕业生": TargetGroup.GRADUATE,
    "未就业高校毕业生": TargetGroup.GRADUATE,
    "毕业年度及离校2年内未就业高校毕业生": TargetGroup.GRADUATE,
    "离校2年内未就业高校毕业生": TargetGroup.GRADUATE,
    "农村低收入人口": TargetGroup.LOW_INCOME_RURAL,
    "低收入人口": TargetGroup.LOW_INCOME_RURAL,
    "搬迁群众": TargetGroup.RELOCATED,
    "易地搬迁": TargetGroup.RELOCATED,
    "易地搬迁群众": TargetGroup.RELOCATED,
    "移民": TargetGroup.RELOCATED,
    "生态移民": TargetGroup.RELOCATED,
    "无": None,
    "一般": None,
    "普通": None,
    "其他": None,
    "一般人员": None,
}
_GROUP_SEPARATORS = re.compile(r"[、,;/\s|+]+")
_PHONE_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


class CellError(ValueError):
    """A cell value that cannot be used; the message is the Chinese reason."""


def clean_text(value: CellValue) -> str:
    """Text of a cell: full-width to half-width (NFKC), invisible blanks removed, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).translate(_INVISIBLE)
    return unicodedata.normalize("NFKC", text).strip()


def compact(value: CellValue) -> str:
    """Text without any blank inside: `640522 1990 ...` → `6405221990...`."""
    return "".join(clean_text(value).split())


def is_blank(value: CellValue) -> bool:
    """True for an empty cell or one with only blanks."""
    return value is None or (isinstance(value, str) and not value.translate(_INVISIBLE).strip())


def parse_id_cell(value: CellValue) -> ResidentId:
    """Resident ID from a cell; numbers that lost their last digits get a specific reason."""
    if isinstance(value, bool):
        raise CellError("身份证号不是文本")
    if isinstance(value, float):
        # Excel keeps 15 significant digits: an 18-digit ID stored as a number is always
        # damaged, even when the damaged number happens to pass the checksum.
        raise CellError(NUMERIC_ID_REASON)
    if isinstance(value, int):
        digits = str(value)
        if len(digits) != 18:
            raise CellError(NUMERIC_ID_REASON)
        try:
            return parse_resident_id(digits)
        except ResidentIdError:
            raise CellError(NUMERIC_ID_REASON) from None
    text = compact(value)
    if not text:
        raise CellError("身份证号未填")
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(NUMERIC_ID_REASON)
    try:
        return parse_resident_id(text)
    except ResidentIdError as error:
        raise CellError(str(error)) from None


def parse_date_cell(value: CellValue) -> date | None:
    """Excel dates and serials, 2025-03-01, 2025/3/1, 2025.3.1, 2025年3月1日, 20250301."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("不是日期")
    if isinstance(value, int | float):
        if 20000 <= value < 80000 and float(value).is_integer():  # Excel serial, 1954–2118
            return (_EXCEL_EPOCH + timedelta(days=int(value))).date()
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))
        else:
            raise CellError(f"“{clean_text(value)}”不是日期")
    text = compact(value)
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = (int(part) for part in match.groups()[:3])
            try:
                return date(year, month, day)
            except ValueError:
                raise CellError(f"日期“{text}”不存在") from None
    if _MONTH_ONLY.fullmatch(text):
        raise CellError(f"日期“{text}”只写到月，请写到具体哪一天")
    raise CellError(f"“{text}”不是日期，请写成2025-03-01的格式")


def parse_bool_cell(value: CellValue) -> bool | None:
    """是/否, √/×, 有/无, 已签/未签 …; None for an empty cell."""
    if isinstance(value, bool):
        return value
    text = compact(value).lower()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(f"无法识别“{clean_text(value)}”，请填写“是”或“否”")


def parse_wage_cell(value: CellValue) -> Fen | None:
    """Monthly wage in 元 → fen: 4200, "4200元", "4,200", "0.42万"."""
    if isinstance(value, bool):
        raise CellError("月工资不是数字")
    text = compact(value)
    if not text:
        return None
    number = text.replace(",", "").removesuffix("元").removesuffix("/月").removesuffix("元")
    scale = Decimal(1)
    if number.endswith("万"):
        number, scale = number[:-1], Decimal(10000)
    if re.fullmatch(r"\d+(\.\d+)?[-~至到]\d+(\.\d+)?", number):
        raise CellError(f"月工资“{text}”是一个范围，请填写一个数")
    try:
        amount = Decimal(number) * scale
    except InvalidOperation:
        raise CellError(f"月工资“{text}”不是数字") from None
    if not amount.is_finite():
        raise CellError(f"月工资“{text}”不是数字")
    if amount <= 0:
        raise CellError(f"月工资“{text}”应大于0")
    if amount > 100000:
        raise CellError(f"月工资“{text}”超过10万元，请核对（是否填成了年收入？）")
    try:
        return yuan_to_fen(amount)
    except ValueError as error:
        raise CellError(f"月工资“{text}”{error}") from None


def parse_phone_cell(value: CellValue) -> str | None:
    """An 11-digit mobile (or a landline like 0955-1234567); +86 and blanks dropped."""
    text = compact(value).replace("—", "-")
    if not text:
        return None
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix) :]
    digits = text.replace("-", "")
    if _PHONE_MOBILE.fullmatch(digits):
        return digits
    if _PHONE_LANDLINE.fullmatch(text):
        return text
    raise CellError(f"联系电话“{mask_phone(text)}”应为11位手机号")


def parse_groups_cell(value: CellValue) -> frozenset[TargetGroup]:
    """人员类别: several words separated by 、 , / → target groups; unknown words are errors."""
    text = clean_text(value)
    groups: set[TargetGroup] = set()
    for word in filter(None, _GROUP_SEPARATORS.split(text)):
        if word not in _GROUP_WORDS and word not in _LABELS:
            known = "、".join(group.label for group in TargetGroup)
            raise CellError(f"人员类别“{word}”无法识别，可填：{known}，或“无”")
        group = _LABELS.get(word) or _GROUP_WORDS[word]
        if group is not None:
            groups.add(group)
    return frozenset(groups)


_LABELS = {group.label: group for group in TargetGroup}


def format_groups(groups: frozenset[TargetGroup]) -> str:
    """Target groups in a stable order, joined by 、 (what parse_groups_cell reads back)."""
    return "、".join(group.label for group in TargetGroup if group in groups)
