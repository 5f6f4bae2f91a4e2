"""The CJK TrueType font embedded in every form: configured, shipped, or found on the system."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from zwdesk.pdf.errors import FontNotFoundError
from zwdesk.pdf.paths import shipped_fonts_dir

# TrueType (glyf) CJK fonts reportlab can subset and embed. Noto/Source Han CJK are CFF
# (OpenType/PostScript outlines) and cannot be embedded by reportlab, so they are not listed.
WINDOWS_FONTS = (
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simkai.ttf",
)
LINUX_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
)
MACOS_FONTS = ("/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Songti.ttc")

# Characters every form prints; a font without them would print empty boxes.
_PROBE = "中卫申领表经办负责人单位盖章日期签字花名册公示壹贰叁肆伍陆柒捌玖拾佰仟万元整"

MISSING_FONT_MESSAGE = (
    "找不到可嵌入的中文字体，无法打印表单（否则中文会显示为空白方框）。"
    "请安装一种 TrueType 中文字体：Windows 自带宋体（C:/Windows/Fonts/simsun.ttc）或"
    "微软雅黑（msyh.ttc）；Linux 请安装 fonts-wqy-microhei（sudo apt-get install "
    "fonts-wqy-microhei）；或在设置中指定一个 .ttf/.ttc 字体文件。"
    "注意：Noto/思源（CFF 轮廓）字体不能嵌入。"
)

_registered: dict[tuple[str, int], str] = {}


def system_font_candidates() -> tuple[str, ...]:
    """The system fonts tried, in order, on this platform."""
    if sys.platform.startswith("win"):
        return WINDOWS_FONTS
    if sys.platform == "darwin":
        return MACOS_FONTS
    return LINUX_FONTS


def _shipped_fonts() -> list[Path]:
    directory = shipped_fonts_dir()
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.suffix.lower() in {".ttf", ".ttc"})


def find_font(font_path: str | os.PathLike[str] | None = None) -> Path:
    """The font file to embed: `font_path` if given, else one shipped in resources/fonts/,
    else a system font; FontNotFoundError (with what to install) if there is none."""
    if font_path is not None:
        configured = Path(font_path)
        if not configured.is_file():
            raise FontNotFoundError(f"设置的字体文件不存在：{configured}。{MISSING_FONT_MESSAGE}")
        return configured
    for candidate in [*_shipped_fonts(), *map(Path, system_font_candidates())]:
        if candidate.is_file():
            return candidate
    raise FontNotFoundError(MISSING_FONT_MESSAGE)


def register_font(path: Path, subfont_index: int = 0) -> str:
    """Register the font with reportlab once per process; its name for setFont/styles."""
    key = (str(path.resolve()), subfont_index)
    name = _registered.get(key)
    if name is not None:
        return name
    # A stable name derived from the file, so the same font gives the same PDF bytes.
    name = "ZW" + hashlib.sha256(repr(key).encode("utf-8")).hexdigest()[:10]
    try:
        font = TTFont(name, str(path), subfontIndex=subfont_index)
    except (TTFError, OSError, ValueError) as error:
        raise FontNotFoundError(
            f"字体文件 {path} 无法嵌入（{error}）。{MISSING_FONT_MESSAGE}"
        ) from error
    missing = [char for char in _PROBE if ord(char) not in font.face.charToGlyph]
    if missing:
        raise FontNotFoundError(
            f"字体文件 {path} 缺少中文字形（如“{''.join(missing[:5])}”）。{MISSING_FONT_MESSAGE}"
        )
    pdfmetrics.registerFont(font)
    _registered[key] = name
    return name


def cjk_font(font_path: str | os.PathLike[str] | None = None) -> str:
    """Find and register the CJK font; its reportlab name."""
    return register_font(find_font(font_path))
