"""The CJK font: configured, shipped or system; never boxes, never the unembedded CID font."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pdf.claim_builders import make_claim
from zwdesk.pdf import FontNotFoundError, render_claim_pdf
from zwdesk.pdf import fonts as font_module

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NOTO_CFF = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


@pytest.fixture
def no_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(font_module, "system_font_candidates", lambda: ())
    monkeypatch.setattr(font_module, "shipped_fonts_dir", lambda: tmp_path / "none")


def test_no_font_anywhere_is_a_clear_chinese_error(no_fonts: None, tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError) as raised:
        render_claim_pdf(make_claim(2, 3), tmp_path / "out.pdf")
    message = str(raised.value)
    assert "找不到可嵌入的中文字体" in message
    assert "fonts-wqy-microhei" in message and "simsun.ttc" in message
    assert not (tmp_path / "out.pdf").exists()


def test_a_configured_font_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FontNotFoundError, match="设置的字体文件不存在"):
        font_module.find_font(tmp_path / "missing.ttf")


def test_a_file_that_is_not_a_truetype_font_is_an_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"not a font")
    with pytest.raises(FontNotFoundError, match="无法嵌入"):
        font_module.register_font(fake)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu not installed")
def test_a_font_without_chinese_glyphs_is_refused() -> None:
    with pytest.raises(FontNotFoundError, match="缺少中文字形"):
        font_module.register_font(DEJAVU)


@pytest.mark.skipif(not NOTO_CFF.is_file(), reason="Noto CJK (CFF) not installed")
def test_a_cff_font_is_refused() -> None:
    with pytest.raises(FontNotFoundError, match="无法嵌入"):
        font_module.register_font(NOTO_CFF)


def test_a_shipped_font_comes_before_system_fonts(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shipped = tmp_path / "fonts"
    shipped.mkdir()
    (shipped / "zw-cjk.ttc").write_bytes(b"")
    monkeypatch.setattr(font_module, "shipped_fonts_dir", lambda: shipped)
    assert font_module.find_font() == shipped / "zw-cjk.ttc"


@pytest.mark.skipif(not WQY.is_file(), reason="fonts-wqy-microhei not installed")
def test_the_configured_font_is_used(tmp_path: Path) -> None:
    assert font_module.find_font(WQY) == WQY
    path = render_claim_pdf(make_claim(4), tmp_path / "f.pdf", font_path=WQY)
    assert b"WenQuanYiMicroHei" in path.read_bytes()
