"""A canvas that knows the page count: every page gets its running header and 第x页/共y页."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

PAGE = "\x00page\x00"
PAGES = "\x00pages\x00"


@dataclass(frozen=True, slots=True)
class RunningText:
    """One form's running header and footer, claim details filled in; PAGE and PAGES stand for
    the page number and count within that form."""

    header_left: str
    header_right: str
    footer: str
    font_name: str
    font_size: float
    margin: float


class SectionMark(Flowable):  # type: ignore[misc]
    """A zero-size flowable at the start of each form: pages from here on belong to it."""

    def __init__(self, section: int) -> None:
        super().__init__()
        self.section = section

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._zw_section = self.section


def numbered_canvas(sections: list[RunningText]) -> Callable[..., Canvas]:
    """A canvasmaker for doc.build: pages are held until save(), when the count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._zw_section = 0
            self._zw_pages: list[tuple[int, dict[str, Any]]] = []

        def showPage(self) -> None:  # reportlab names it so
            self._zw_pages.append((self._zw_section, dict(self.__dict__)))
            self._startPage()

        def save(self) -> None:
            pages = self._zw_pages
            totals: dict[int, int] = {}
            for section, _ in pages:
                totals[section] = totals.get(section, 0) + 1
            seen: dict[int, int] = {}
            for section, state in pages:
                self.__dict__.update(state)
                seen[section] = seen.get(section, 0) + 1
                self._draw_running(sections[section], seen[section], totals[section])
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_running(self, text: RunningText, page: int, total: int) -> None:
            width, height = self._pagesize

            def fill(template: str) -> str:
                return template.replace(PAGES, str(total)).replace(PAGE, str(page))

            self.saveState()
            self.setFont(text.font_name, text.font_size)
            top = height - text.margin + 2 * mm
            self.drawString(text.margin, top, fill(text.header_left))
            self.drawRightString(width - text.margin, top, fill(text.header_right))
            self.setLineWidth(0.4)
            self.line(text.margin, top - 1.5 * mm, width - text.margin, top - 1.5 * mm)
            self.drawCentredString(width / 2, text.margin - 6 * mm, fill(text.footer))
            self.restoreState()

    return NumberedCanvas
