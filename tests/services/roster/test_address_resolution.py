"""Place texts → current region codes (zwdesk.domain.address): resolved, or reported why not."""

from __future__ import annotations

import pytest

from zwdesk.domain.address import (
    AddressLevel,
    ResolvedAddress,
    UnresolvedAddress,
    covers,
    is_current_code,
    place_name,
    resolve_address,
)


@pytest.mark.parametrize(
    ("text", "code", "level"),
    [
        ("江苏省苏州市吴中区", "320506", AddressLevel.COUNTY),
        ("吴中区", "320506", AddressLevel.COUNTY),
        ("江苏苏州吴中", "320506", AddressLevel.COUNTY),
        ("新疆乌鲁木齐", "650100", AddressLevel.CITY),  # city only: acceptable
        ("宁夏银川市兴庆区", "640104", AddressLevel.COUNTY),
        ("宁夏回族自治区中卫市海原县", "640522", AddressLevel.COUNTY),
        ("海原县", "640522", AddressLevel.COUNTY),
        ("中宁", "640521", AddressLevel.COUNTY),
        ("北京市朝阳区", "110105", AddressLevel.COUNTY),
        ("上海浦东新区", "310115", AddressLevel.COUNTY),
        ("天津滨海新区", "120116", AddressLevel.COUNTY),
        ("内蒙古鄂尔多斯", "150600", AddressLevel.CITY),
        ("新疆伊犁", "654000", AddressLevel.CITY),
        ("湘西", "433100", AddressLevel.CITY),
        ("湖北仙桃", "429004", AddressLevel.COUNTY),
        ("浙江义乌", "330782", AddressLevel.COUNTY),
        ("深圳南山区", "440305", AddressLevel.COUNTY),
        ("广东省东莞市长安镇", "441900", AddressLevel.CITY),  # 长安镇 is a town, not 长安区
        ("西安市长安区", "610116", AddressLevel.COUNTY),
        ("苏州工业园区", "320500", AddressLevel.CITY),
        ("江苏省 苏州市 吴中区 木渎镇", "320506", AddressLevel.COUNTY),
        ("中国江苏省苏州市", "320500", AddressLevel.CITY),
        ("吉林", "220000", AddressLevel.PROVINCE),  # the province, not 吉林市
        ("宁夏", "640000", AddressLevel.PROVINCE),
        ("宁夏中卫", "640500", AddressLevel.CITY),  # the roster refuses it for local workers
        ("ＮＩＮＧ江苏省", None, None),
    ],
)
def test_place_texts_resolve(text: str, code: str | None, level: AddressLevel | None) -> None:
    result = resolve_address(text)
    if code is None:
        assert isinstance(result, UnresolvedAddress)
        return
    assert isinstance(result, ResolvedAddress), result
    assert (result.code, result.level) == (code, level)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "鼓楼区",
            "“鼓楼区”可能是江苏省南京市鼓楼区、江苏省徐州市鼓楼区、福建省福州市鼓楼区、"
            "河南省开封市鼓楼区，有重名，请写明所在省市",
        ),
        ("朝阳区", "“朝阳区”可能是北京市朝阳区、吉林省长春市朝阳区，有重名，请写明所在省市"),
        ("宁夏吴中区", "“吴中区”不在“宁夏回族自治区”境内，地点前后矛盾"),
        ("吴县", "“吴县”是已撤销的行政区划（1995年停用），请写现在的县区名称"),
        ("江苏省吴县", "“吴县”是已撤销的行政区划（1995年停用），请写现在的县区名称"),
        ("火星", "无法识别地点“火星”，请写明省、市、县区"),
        ("", "地点为空"),
    ],
)
def test_unresolvable_or_ambiguous_places_are_reported(text: str, reason: str) -> None:
    result = resolve_address(text)
    assert isinstance(result, UnresolvedAddress)
    assert result.reason == reason


def test_ambiguous_result_lists_candidates() -> None:
    result = resolve_address("江苏鼓楼区")
    assert isinstance(result, UnresolvedAddress)
    assert result.candidates == ("320106", "320302")


def test_only_current_codes_are_chosen() -> None:
    assert is_current_code("640522")
    assert not is_current_code("642222")  # 海原县 until 2001
    assert not is_current_code("640321")  # 中卫县 1998–2003
    result = resolve_address("中卫")
    assert isinstance(result, ResolvedAddress) and result.code == "640500"


def test_place_names_and_coverage() -> None:
    assert place_name("320506") == "江苏省苏州市吴中区"
    assert place_name("110105") == "北京市朝阳区"
    assert place_name("640000") == "宁夏回族自治区"
    assert place_name("642222") is None
    assert covers("640500", "640522") and covers("640000", "640522")
    assert not covers("640100", "640522")
    assert covers("640522", "640522")
