"""Work and home places written as text (务工地点/户籍地) → current GB/T 2260 region codes.

Resolution is table-driven over python-stdnum's `cn/loc` list: only current (non-historical)
names are indexed, and what cannot be resolved, or could mean several places, comes back as an
`UnresolvedAddress` with a Chinese reason — never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import cache, lru_cache
from typing import Any

from stdnum import numdb


class AddressLevel(IntEnum):
    """How precise a region code is."""

    PROVINCE = 1  # 省级：320000
    CITY = 2  # 地级：320500
    COUNTY = 3  # 县级：320506


@dataclass(frozen=True, slots=True)
class ResolvedAddress:
    """A place text that names exactly one current region."""

    code: str
    level: AddressLevel
    name: str  # full path, e.g. 江苏省苏州市吴中区


@dataclass(frozen=True, slots=True)
class UnresolvedAddress:
    """A place text that names no current region, or several; `reason` says which, in Chinese."""

    text: str
    reason: str
    candidates: tuple[str, ...] = ()


AddressResult = ResolvedAddress | UnresolvedAddress

_YEARS = re.compile(r"^\[(\d{4})?-(\d{4})?\]")
_GENERIC = frozenset({"市辖区", "县", "市区", "郊区", "城区", "矿区", "区", "市"})
_ETHNIC = [
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
]
_AUTONOMOUS = ("自治州", "自治县", "自治旗", "自治区")
_SUFFIXES = ("特别行政区", "特別行政區", "新区", "林区", "地区", "省", "市", "区", "县", "旗", "盟")
# After a short form (吴中, 长安), these mean the word is part of a street or town name.
_DETAIL_AFTER_SHORT = frozenset("镇乡村路街道巷里")
_NOISE = re.compile(r"[\s,，、.。·\-—_/\\()（）【】\[\]:：;；\"'“”]+")
_OWN_COUNTY_PREFIXES = ("中国",)


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    level: AddressLevel
    full: bool  # the written name is the full official name, not a short form


@dataclass(frozen=True, slots=True)
class _Index:
    names: dict[str, tuple[_Entry, ...]]
    historical: dict[str, tuple[str, int]]  # full name → (code, last year valid)
    current_names: dict[str, str]  # code → current official name
    longest: int


def _level(code: str) -> AddressLevel:
    if code.endswith("0000"):
        return AddressLevel.PROVINCE
    if code.endswith("00"):
        return AddressLevel.CITY
    return AddressLevel.COUNTY


def _strip_ethnic(name: str) -> str:
    """湘西土家族苗族 → 湘西; 巴里坤哈萨克 → 巴里坤 (one-character groups only with 族)."""
    changed = True
    while changed:
        changed = False
        for group in _ETHNIC:
            for written in (group + "族", group if len(group) > 1 else None):
                if written and name.endswith(written) and len(name) - len(written) >= 2:
                    name = name[: -len(written)]
                    changed = True
                    break
            if changed:
                break
    return name


def _short_forms(name: str) -> set[str]:
    """Names people write for a region: 宁夏回族自治区 → 宁夏, 吴中区 → 吴中, 苏州市 → 苏州."""
    forms: set[str] = set()
    for suffix in _AUTONOMOUS:
        if name.endswith(suffix):
            bare = _strip_ethnic(name[: -len(suffix)])
            if len(bare) >= 2:
                forms.update({bare, bare + suffix})
            return forms
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            forms.add(name[: -len(suffix)])
            break
    return forms


def _segments(value: str) -> list[tuple[str, int | None]]:
    """`[1983-1998]南山矿区,[2002-]达坂城区` → [(南山矿区, 1998), (达坂城区, None)]."""
    result: list[tuple[str, int | None]] = []
    for part in value.split(","):
        match = _YEARS.match(part)
        until = int(match.group(2)) if match and match.group(2) else None
        result.append((part[match.end() :] if match else part, until))
    return result


def _walk() -> list[tuple[str, str, int | None]]:
    """Every (code, name, last year valid) of the stdnum table."""
    table: Any = numdb.get("cn/loc")
    rows: list[tuple[str, str, int | None]] = []
    for _, low, high, props, children in table.prefixes:
        if low != high or "province" not in props:
            continue
        for _, child_low, child_high, child_props, _ in children:
            if child_low != child_high or "county" not in child_props:
                continue
            for name, until in _segments(child_props["county"]):
                rows.append((low + child_low, name, until))
    return rows


@cache
def _index() -> _Index:
    names: dict[str, list[_Entry]] = {}
    historical: dict[str, tuple[str, int]] = {}
    current_names: dict[str, str] = {}
    for code, name, until in _walk():
        if name in _GENERIC or "直辖" in name:
            continue
        if until is not None:
            historical.setdefault(name, (code, until))
            continue
        current_names[code] = name
        level = _level(code)
        names.setdefault(name, []).append(_Entry(code, level, True))
        for form in _short_forms(name) - {name}:
            names.setdefault(form, []).append(_Entry(code, level, False))
    for name in list(historical):
        if name in names:  # a current place of the same name exists
            del historical[name]
    return _Index(
        {name: tuple(entries) for name, entries in names.items()},
        historical,
        current_names,
        max(len(name) for name in names),
    )


def place_name(code: str) -> str | None:
    """Full path name of a current code, e.g. 320506 → 江苏省苏州市吴中区; None if not current."""
    names = _index().current_names
    if code not in names:
        return None
    level = _level(code)
    parts = [names.get(code[:2] + "0000", "")]
    if level is AddressLevel.COUNTY:
        parts.append(names.get(code[:4] + "00", ""))
    if level is not AddressLevel.PROVINCE:
        parts.append(names[code])
    return "".join(parts)


def is_current_code(code: str) -> bool:
    """True when the code is in use today (not a historical code like 642222)."""
    return code in _index().current_names


def covers(area: str, code: str) -> bool:
    """True when region `code` lies inside (or is) region `area` (640500 covers 640522)."""
    return code.startswith(_prefix(area))


def _prefix(code: str) -> str:
    level = _level(code)
    if level is AddressLevel.PROVINCE:
        return code[:2]
    return code[:4] if level is AddressLevel.CITY else code


def normalise_place_text(text: str) -> str:
    """Full-width to half-width, without blanks and punctuation, without a leading 中国."""
    cleaned = _NOISE.sub("", unicodedata.normalize("NFKC", text))
    for prefix in _OWN_COUNTY_PREFIXES:
        if cleaned.startswith(prefix):
            cleaned = cleaned[len(prefix) :]
    return cleaned


def _describe(codes: tuple[str, ...]) -> str:
    shown = [place_name(code) or code for code in codes[:5]]
    more = f"等{len(codes)}处" if len(codes) > 5 else ""
    return "、".join(shown) + more


@lru_cache(maxsize=4096)
def resolve_address(text: str) -> AddressResult:
    """Resolve a place text to the most specific current region it names without doubt."""
    index = _index()
    cleaned = normalise_place_text(text)
    if not cleaned:
        return UnresolvedAddress(text, "地点为空")
    paths: set[str] | None = None  # codes consistent with every token so far
    position = 0
    while position < len(cleaned):
        token = _longest_name(cleaned, position, index)
        if token is None:
            break
        name, entries = token
        following = cleaned[position + len(name) : position + len(name) + 1]
        full = any(entry.full for entry in entries)
        if not full and following and following in _DETAIL_AFTER_SHORT:
            break
        provinces = [entry for entry in entries if entry.level is AddressLevel.PROVINCE]
        codes = {entry.code for entry in (provinces or entries)}
        if paths is not None:
            inside = {code for code in codes if any(covers(path, code) for path in paths)}
            if not inside:
                if not full:
                    break  # a short form that does not fit: part of a street name
                return UnresolvedAddress(
                    text, f"“{name}”不在“{_describe(tuple(sorted(paths)))}”境内，地点前后矛盾"
                )
            codes = inside
        paths = codes
        position += len(name)
    if paths is None:
        return _unknown(text, cleaned, index)
    rest = cleaned[position:]
    old = _historical_at(rest, index)
    if old is not None:
        return UnresolvedAddress(text, old)
    return _single(text, paths)


def _longest_name(text: str, position: int, index: _Index) -> tuple[str, tuple[_Entry, ...]] | None:
    for length in range(min(index.longest, len(text) - position), 1, -1):
        candidate = text[position : position + length]
        entries = index.names.get(candidate)
        if entries:
            return candidate, entries
    return None


def _historical_at(text: str, index: _Index) -> str | None:
    for length in range(min(12, len(text)), 1, -1):
        found = index.historical.get(text[:length])
        if found:
            return f"“{text[:length]}”是已撤销的行政区划（{found[1]}年停用），请写现在的县区名称"
    return None


def _unknown(text: str, cleaned: str, index: _Index) -> UnresolvedAddress:
    old = _historical_at(cleaned, index)
    return UnresolvedAddress(text, old or f"无法识别地点“{text.strip()}”，请写明省、市、县区")


def _single(text: str, paths: set[str]) -> AddressResult:
    codes = tuple(sorted(paths))
    if len(codes) > 1:
        ancestors = [code for code in codes if all(covers(code, other) for other in codes)]
        if not ancestors:
            return UnresolvedAddress(
                text,
                f"“{text.strip()}”可能是{_describe(codes)}，有重名，请写明所在省市",
                codes,
            )
        codes = (ancestors[0],)
    code = codes[0]
    return ResolvedAddress(code, _level(code), place_name(code) or code)
