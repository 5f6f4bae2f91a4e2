"""Read rendered forms back with poppler (pdftotext, pdffonts, pdftoppm) and zbar (zbarimg)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in page order (pdftotext separates pages with form feeds)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def fonts(pdf: Path) -> list[tuple[str, str, str]]:
    """(name, type, embedded yes/no) of every font the PDF uses, from pdffonts."""
    result = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    rows = []
    for line in result.stdout.splitlines()[2:]:
        parts = line.split()
        # name, type (may be two words, e.g. "Type 1"), encoding, emb, sub, uni, object, id
        rows.append((parts[0], " ".join(parts[1:-6]), parts[-5]))
    return rows


def decode_qr(pdf: Path, workdir: Path, page: int = 1) -> list[str]:
    """Every QR code zbarimg finds on one page rendered at 150 dpi."""
    prefix = workdir / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile",
         str(pdf), str(prefix)],
        check=True,
    )  # fmt: skip
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f"{prefix}.png"],
        capture_output=True,
        text=True,
    )
    return [line for line in result.stdout.splitlines() if line]


def have_zbar() -> bool:
    return shutil.which("zbarimg") is not None
