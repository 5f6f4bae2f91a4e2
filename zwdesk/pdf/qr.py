"""The QR code of the claim's digest: encoded once per render, drawn as runs of dark modules."""

from __future__ import annotations

import itertools
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white border the QR standard asks for


@lru_cache(maxsize=16)
def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix (True = dark) at error-correction level M. Encoding tries all eight
    masks, which is the slow part; a form with two QR codes encodes the digest once."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    return tuple(tuple(bool(module) for module in row) for row in code.modules)


class QrFlowable(Flowable):  # type: ignore[misc]
    """A square QR code of `text`, `size` points wide including the quiet zone."""

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text = text
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        modules = qr_modules(self.text)
        box = self.size / (len(modules) + 2 * QUIET_ZONE)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        for row_number, row in enumerate(modules):
            y = self.size - (row_number + QUIET_ZONE + 1) * box
            column = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    x = (column + QUIET_ZONE) * box
                    canvas.rect(x, y, count * box, box, stroke=0, fill=1)
                column += count
        canvas.restoreState()
