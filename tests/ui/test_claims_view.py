"""ClaimsView over the demo station (T1, as of 2025-12-31): draft a claim through 新建申领, leave a
row out with a reason (refused without one), freeze, print the PDFs, move it through its states."""

from __future__ import annotations

import stat
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from zwdesk.app import build_main_window, claim_service_opener, make_application
from zwdesk.domain.claims import ClaimState
from zwdesk.services.claim_service import ClaimService
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.storage.database import StationDatabase, open_station_database
from zwdesk.ui.claim_dialogs import NewClaimDialog, ReasonDialog
from zwdesk.ui.claims_view import (
    CLAIM_OPERATION,
    ClaimsView,
    private_print_folder,
    remove_print_folders,
)
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.settings import open_settings
from zwdesk.ui.task_runner import TaskRunner

TODAY = date(2025, 12, 31)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[StationDatabase]:
    path = tmp_path / "station.db"
    create_demo_database(path, today=TODAY)
    with open_station_database(path) as opened:
        yield opened


class Opened(list[Path]):
    """What the page asked the system to open."""

    def __call__(self, path: Path) -> bool:
        self.append(path)
        return True


def make_view(
    database: StationDatabase, qtbot: QtBot, bus: OperationBus | None = None
) -> tuple[ClaimsView, Opened]:
    make_application()
    opened = Opened()
    view = ClaimsView(
        ClaimService(database, "测试经办人"),
        claim_service_opener(database, "测试经办人"),
        StationProfileService(database),
        bus or OperationBus(),
        TaskRunner(),
        clock=lambda: TODAY,
        open_file=opened,
    )
    qtbot.addWidget(view)
    view.resize(1100, 720)
    return view, opened


def drafted(view: ClaimsView, qtbot: QtBot, item: int, year: int = 2025) -> NewClaimDialog:
    dialog = view.new_claim_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.select(item, year)
    dialog.compute()
    qtbot.waitUntil(lambda: dialog.draft is not None, timeout=20_000)
    return dialog


def frozen(dialog: NewClaimDialog, qtbot: QtBot) -> str:
    dialog.freeze()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)
    assert dialog.claim is not None, dialog.message.text()
    return dialog.claim.number


def needs_font() -> None:
    from zwdesk.pdf import FontNotFoundError
    from zwdesk.pdf.fonts import find_font

    try:
        find_font()
    except FontNotFoundError:
        pytest.skip("no CJK font for the PDF forms on this machine")


def test_the_station_may_claim_items_1_and_2(database: StationDatabase, qtbot: QtBot) -> None:
    view, _ = make_view(database, qtbot)
    dialog = view.new_claim_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    items = [dialog.item_box.itemData(index) for index in range(dialog.item_box.count())]
    assert items == [1, 2]
    assert dialog.item_box.currentText().startswith("第一项")
    assert dialog.as_of.date().toString("yyyy-MM-dd") == "2025-12-31"
    assert view.count_label.text() == "共 0 张"


def test_new_claim_for_item_2_leaves_one_row_out_and_freezes(
    database: StationDatabase, qtbot: QtBot
) -> None:
    bus = OperationBus()
    view, _ = make_view(database, qtbot, bus)
    dialog = drafted(view, qtbot, 2)
    assert dialog.draft is not None
    rows = len(dialog.draft.lines)
    assert rows > 1 and dialog.table.rowCount() == rows
    subject = dialog.table.item(0, 2).text()
    assert "*" in subject and dialog.draft.lines[0].subject not in subject  # masked
    assert "第二项" in dialog.detail.toPlainText()  # the row's explanation
    left_out = dialog.draft.lines[0]
    dialog.set_excluded(0, True, "本人已在户籍地申领")
    assert "排除 1 行" in dialog.summary.text()

    with qtbot.waitSignal(bus.operation_done, timeout=20_000) as announced:
        number = frozen(dialog, qtbot)
    assert announced.args == [CLAIM_OPERATION]
    assert number.startswith("2025-海原-T1-")
    assert number in dialog.message.text()
    assert not dialog.freeze_button.isEnabled()

    claim = ClaimService(database).get(number)
    assert len(claim.lines) == rows - 1
    assert [(line.subject, line.reason) for line in claim.excluded] == [
        (left_out.subject, "本人已在户籍地申领")
    ]
    assert view.selected_number() == number
    row = view.table.currentRow()
    cells = [view.table.item(row, column).text() for column in range(6)]
    assert cells[:3] == [number, "第二项", "2025年"]
    assert cells[3].endswith(" 元") and "." in cells[3]  # 元 with fen
    assert cells[4] == "草稿"
    assert cells[5] == claim.frozen_at.astimezone().date().isoformat()
    assert "本人已在户籍地申领" in view.detail.toPlainText()


def test_excluding_a_row_without_a_reason_is_refused_next_to_it(
    database: StationDatabase, qtbot: QtBot
) -> None:
    view, _ = make_view(database, qtbot)
    dialog = drafted(view, qtbot, 2)
    dialog.set_excluded(1, True, "")
    dialog.freeze()

    assert dialog.claim is None and not dialog.busy
    assert dialog.row_message(1) == "请写明排除原因"
    assert dialog.row_message(0) == ""
    assert "没有写原因" in dialog.message.text()
    assert dialog.table.currentRow() == 1
    assert ClaimService(database).list_claims() == []

    dialog.set_excluded(1, True, "已离职")
    assert dialog.row_message(1) == ""


def test_a_claim_is_printed_and_moves_through_its_states(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    needs_font()
    bus = OperationBus()
    view, opened = make_view(database, qtbot, bus)
    number = frozen(drafted(view, qtbot, 1), qtbot)
    visible = {state for state, button in view.state_buttons.items() if not button.isHidden()}
    assert visible == {ClaimState.PRINTED, ClaimState.CANCELLED}

    with qtbot.waitSignal(bus.operation_done, timeout=30_000):
        view.print_to(tmp_path / "pdf")
    qtbot.waitUntil(lambda: not view.busy, timeout=30_000)
    assert [path.name for path in view.printed] == [f"{number}-申请表.pdf"]
    assert all(path.read_bytes().startswith(b"%PDF") for path in view.printed)
    assert "已生成 1 个 PDF（申请表）" in view.status.text()
    assert view.table.item(view.table.currentRow(), 4).text() == "已打印"
    view.open_pdf_button.click()
    assert opened == view.printed

    visible = {state for state, button in view.state_buttons.items() if not button.isHidden()}
    assert visible == {ClaimState.SIGNED, ClaimState.CANCELLED}
    scan = tmp_path / "签字页.jpg"
    scan.write_bytes(b"\xff\xd8\xff signed pages")
    view.ask_attachment = lambda: scan  # type: ignore[method-assign]  # the file dialog
    with qtbot.waitSignal(bus.operation_done) as announced:
        view.state_buttons[ClaimState.SIGNED].click()
    assert announced.args == [CLAIM_OPERATION]
    record = ClaimService(database).record(number)
    assert record.state is ClaimState.SIGNED and record.attachment_name == "签字页.jpg"
    assert "签字页.jpg" in view.detail.toPlainText()

    view.ask_reason = lambda state: "重复申领"  # type: ignore[method-assign]  # the dialog
    view.state_buttons[ClaimState.CANCELLED].click()
    assert ClaimService(database).record(number).state is ClaimState.CANCELLED
    assert "重复申领" in view.detail.toPlainText()
    assert all(button.isHidden() for button in view.state_buttons.values())
    assert not view.print_button.isEnabled()

    view.state_filter.setCurrentIndex(view.state_filter.findData("草稿"))
    assert view.records == []
    view.state_filter.setCurrentIndex(view.state_filter.findData("已作废"))
    assert [record.number for record in view.records] == [number]


def test_send_to_printer_goes_through_the_pdf_without_qtpdf(
    database: StationDatabase, qtbot: QtBot
) -> None:
    needs_font()
    view, opened = make_view(database, qtbot)
    if view.direct_printing:
        pytest.skip("this Qt can print PDF pages itself (QtPdf installed)")
    assert "打印经由 PDF" in view.printer_note.text()
    frozen(drafted(view, qtbot, 1), qtbot)
    view.send_to_printer()
    qtbot.waitUntil(lambda: not view.busy and bool(opened), timeout=30_000)
    assert [path.suffix for path in opened] == [".pdf"]
    assert "PDF 阅读器" in view.status.text()
    folder = opened[0].parent  # full ID numbers: this user's own folder, gone at exit
    assert folder.name.startswith("zwdesk-打印-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    remove_print_folders()
    assert not folder.exists()


def test_the_window_has_the_claims_page_and_it_renders(
    database: StationDatabase, qtbot: QtBot, tmp_path: Path
) -> None:
    make_application()
    window = build_main_window(database, open_settings(tmp_path / "s.ini"), clock=lambda: TODAY)
    qtbot.addWidget(window)
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    index = titles.index("申领")
    page = window.pages.widget(index)
    assert isinstance(page, ClaimsView)
    window.show()
    window.show_page(index)
    qtbot.waitExposed(window)
    dialog = drafted(page, qtbot, 2)
    dialog.set_excluded(0, True, "本人已在户籍地申领")
    dialog.set_excluded(2, True, "")
    dialog.freeze()  # refused: row 3 has no reason
    dialog.resize(1100, 680)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "claims_new_dialog.png"))
    dialog.set_excluded(2, False)
    frozen(dialog, qtbot)
    dialog.close()
    frozen(drafted(page, qtbot, 1), qtbot)
    assert page.records[0].item == 1 and page.records[1].item == 2
    page.table.setCurrentCell(1, 0)
    assert window.grab().save(str(tmp_path / "claims_page.png"))
    assert (tmp_path / "claims_page.png").stat().st_size > 20_000
    window.close()


def test_a_reason_is_required_for_returned_and_cancelled(qtbot: QtBot) -> None:
    make_application()
    dialog = ReasonDialog("改为“已作废”", "原因")
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.saved is None and dialog.messages["reason"].problem == "请写明原因"
    dialog.text.setPlainText("  重复申领 ")
    dialog.save()
    assert dialog.saved == "重复申领"


def test_print_folders_are_private_and_removed_at_exit() -> None:
    first, second = private_print_folder(), private_print_folder()
    assert first != second  # a second print never mixes with (or overwrites) the first
    for folder in (first, second):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert folder.parent == Path(tempfile.gettempdir())
    (first / "申领表.pdf").write_bytes(b"%PDF-")
    remove_print_folders()
    assert not first.exists() and not second.exists()
