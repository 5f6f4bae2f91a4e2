"""The window's sync corner against a real city on 127.0.0.1 (uvicorn, the city's own intake)
and a real demo station enrolled with the city's enrolment file: 待发送 N 条 → 立即同步 →
已同步 on the status bar and on the worker's records; 离线 when the city is down; 出错 with the
reason when it refuses or the clock is off; the window keeps working while the city is slow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.sync.conftest import memory_keyring as memory_keyring  # autouse: no real keychain
from tests.ui.sync_fixtures import NEVER_MS, Gate, city_server, enrol, sync_window
from tests.ui.sync_fixtures import city_db as city_db  # fixtures
from tests.ui.sync_fixtures import city_keys as city_keys
from tests.ui.sync_fixtures import database as database
from zwdesk.app import sync_sender_opener
from zwdesk.city.database import CityDatabase
from zwdesk.city.keys import CityKeys
from zwdesk.city.records import CityConflict, RecordRef
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_sender import SyncState, SyncStatus
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import StationDatabase
from zwdesk.sync.bundle import BundleLimits
from zwdesk.ui.main_window import MainWindow
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.sync_controller import SyncController
from zwdesk.ui.sync_status import SyncStatusWidget, status_texts
from zwdesk.ui.workers_view import WorkersView

WAIT_MS = 20_000


_window = sync_window


def _controller(window: MainWindow) -> SyncController:
    controller = window.sync_controller  # type: ignore[attr-defined]
    assert isinstance(controller, SyncController)
    return controller


def _label(window: MainWindow) -> str:
    return window.sync_status.label.text()


def _workers(window: MainWindow) -> WorkersView:
    view = window.workers_view  # type: ignore[attr-defined]
    assert isinstance(view, WorkersView)
    return view


def _first_worker(database: StationDatabase) -> tuple[str, str]:
    """(ID number, UUID) of a worker with a placement."""
    row = database.connection.execute(
        "SELECT w.id_number, w.uuid FROM workers w JOIN placements p ON p.worker_id = w.id"
        " ORDER BY w.id LIMIT 1"
    ).fetchone()
    return str(row[0]), str(row[1])


def _detail(window: MainWindow, id_number: str) -> str:
    workers = _workers(window)
    workers.search_box.setText(id_number)
    return workers.detail.toPlainText()


def _click_sync_now(qtbot: QtBot, window: MainWindow) -> None:
    button = window.sync_status.button
    assert button.text() == "立即同步" and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled()  # at once: a second click cannot start a second attempt


def test_sync_now_sends_everything_and_the_records_read_synced(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    with city_server(city_db, city_keys) as url:
        enrol(database, city_db, tmp_path, url)
        pending = SyncService(database).pending_count()
        assert pending > 100
        window = _window(qtbot, database, tmp_path)
        qtbot.waitUntil(lambda: _label(window) == f"待发送 {pending} 条", timeout=WAIT_MS)
        number, uuid = _first_worker(database)
        before = _detail(window, number)
        assert "待发送" in before and "已同步" not in before

        _click_sync_now(qtbot, window)
        qtbot.waitUntil(lambda: _label(window).startswith("已同步（"), timeout=WAIT_MS)

        assert window.sync_status.button.isEnabled()
        assert "所有记录都已由市里确认收到" in window.sync_status.label.toolTip()
        after = _workers(window).detail.toPlainText()  # refreshed by the status change
        assert "已同步" in after and "待发送" not in after
        assert ("workers", uuid) in city_db.record_versions()
        assert SyncService(database).pending_count() == 0


def test_city_down_reads_offline_with_the_next_try_and_a_restart_resumes_it(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    with city_server(city_db, city_keys) as url:
        enrol(database, city_db, tmp_path, url)
        window = _window(qtbot, database, tmp_path)
        qtbot.waitUntil(lambda: _label(window).startswith("待发送"), timeout=WAIT_MS)
        _click_sync_now(qtbot, window)
        qtbot.waitUntil(lambda: _label(window).startswith("已同步"), timeout=WAIT_MS)
    # The city stops; the clerk corrects a phone number and presses 立即同步.
    number, _uuid = _first_worker(database)
    StationService(database, "测试员").edit_worker(number, phone="13912345678")
    _click_sync_now(qtbot, window)
    qtbot.waitUntil(lambda: _label(window).startswith("离线"), timeout=WAIT_MS)

    assert "后重试" in _label(window)
    tooltip = window.sync_status.label.toolTip()
    assert tooltip.startswith("离线：无法连接市里服务器 http://127.0.0.1:")
    assert "待发送 1 条" in tooltip
    assert "下次自动尝试：" in tooltip and "上次同步成功：" in tooltip
    controller = _controller(window)
    assert controller.next_attempt is not None
    wait = controller.next_attempt - datetime.now(UTC)
    assert timedelta(seconds=30) < wait <= timedelta(seconds=72)  # first backoff: 60–72 s
    assert "待发送" in _detail(window, number)

    # Pressed again while still offline: the wait starts over at about a minute (a second
    # failure in a row would otherwise wait 96–144 s).
    first_retry = controller.next_attempt
    _click_sync_now(qtbot, window)
    qtbot.waitUntil(lambda: controller.next_attempt != first_retry, timeout=WAIT_MS)
    assert controller.next_attempt is not None
    assert controller.next_attempt - datetime.now(UTC) <= timedelta(seconds=72)

    # A restarted window shows 离线 from the database and keeps the same retry time.
    window.close()
    again = _window(qtbot, database, tmp_path)
    qtbot.waitUntil(lambda: _label(again).startswith("离线"), timeout=WAIT_MS)
    assert _controller(again).next_attempt == controller.next_attempt


def test_a_city_that_refuses_reads_error_with_its_reason_on_the_records(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    tiny = BundleLimits(max_bundle_bytes=2048)  # the demo station's first bundle is far larger
    with city_server(city_db, city_keys, limits=tiny) as url:
        enrol(database, city_db, tmp_path, url)
        window = _window(qtbot, database, tmp_path)
        qtbot.waitUntil(lambda: _label(window).startswith("待发送"), timeout=WAIT_MS)
        _click_sync_now(qtbot, window)
        qtbot.waitUntil(lambda: _label(window).startswith("出错："), timeout=WAIT_MS)

    assert _label(window).startswith("出错：数据包被拒收：超过上限 2048 字节")
    assert "数据包被拒收：超过上限 2048 字节（oversized）" in window.sync_status.label.toolTip()
    number, _uuid = _first_worker(database)
    assert "被拒（数据包被拒收：超过上限 2048 字节（oversized））" in _detail(window, number)
    assert city_db.record_versions() == {}


def test_the_citys_notice_appears_on_the_record_it_concerns(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    number, _uuid = _first_worker(database)
    code, placement_uuid = database.connection.execute(
        "SELECT p.code, p.uuid FROM placements p JOIN workers w ON w.id = p.worker_id"
        " WHERE w.id_number = ? ORDER BY p.id LIMIT 1",
        (number,),
    ).fetchone()
    message = "第二项：此人2025年的就业补贴已由站点 T2 申领，请核实后撤回重复的记录"
    city_db.replace_conflicts(
        [
            CityConflict(
                key=f"item2:test:{code}",
                kind="item2-twice",
                year=2025,
                message=message,
                refs=(RecordRef("T1", "placements", placement_uuid),),
            )
        ]
    )
    with city_server(city_db, city_keys) as url:
        enrol(database, city_db, tmp_path, url)
        window = _window(qtbot, database, tmp_path)
        qtbot.waitUntil(lambda: _label(window).startswith("待发送"), timeout=WAIT_MS)
        assert message not in _detail(window, number)
        _click_sync_now(qtbot, window)
        qtbot.waitUntil(lambda: _label(window).startswith("已同步"), timeout=WAIT_MS)

    detail = _workers(window).detail.toPlainText()  # one line per table cell
    assert detail.count(message) == 1  # on the placement it names, nowhere else
    placements = detail.split("\n就业记录\n")[1].split("\n\n回访\n")[0]
    assert placements.endswith(f"\n已同步；市里意见：{message}")


def test_the_window_keeps_working_while_the_city_is_slow_and_closes_without_waiting(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    gate = Gate()  # the city takes the request and answers only when the test says so
    with city_server(city_db, city_keys, gate=gate) as url:
        enrol(database, city_db, tmp_path, url)
        pending = SyncService(database).pending_count()
        window = _window(qtbot, database, tmp_path)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: _label(window).startswith("待发送"), timeout=WAIT_MS)
        _click_sync_now(qtbot, window)
        assert gate.arrived.wait(10)
        qtbot.waitUntil(lambda: _label(window) == f"正在发送 {pending} 条…", timeout=WAIT_MS)

        # Meanwhile the clerk searches and changes pages: the event loop is not blocked.
        workers = _workers(window)
        window.show_page(1)
        everyone = workers.count_label.text()
        qtbot.keyClicks(workers.search_box, "6405")
        qtbot.waitUntil(lambda: workers.count_label.text() != everyone, timeout=WAIT_MS)
        window.show_page(0)
        assert window.pages.currentIndex() == 0
        assert not window.sync_status.button.isEnabled()
        assert _controller(window).sending

        # Closing does not wait for the city: the attempt is left to finish on its own.
        controller = _controller(window)
        controller.stop_wait_seconds = 0.1
        window.close()
        assert not window.isVisible()
        assert controller.running
        gate.release()
        qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    # It finished its work after the window closed: everything reached the city.
    assert SyncService(database).pending_count() == 0
    assert ("workers", _first_worker(database)[1]) in city_db.record_versions()


def test_a_write_is_sent_soon_after_it_is_announced(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    bus = OperationBus()
    controller = SyncController(
        sync_sender_opener(database), bus, after_write_ms=50, start_delay_ms=NEVER_MS
    )
    statuses: list[SyncStatus] = []
    controller.status_changed.connect(statuses.append)
    with city_server(city_db, city_keys) as url:
        enrol(database, city_db, tmp_path, url)
        controller.sync_now()
        qtbot.waitUntil(
            lambda: bool(statuses) and statuses[-1].state is SyncState.SYNCED, timeout=WAIT_MS
        )
        number, uuid = _first_worker(database)
        StationService(database, "测试员").edit_worker(number, phone="13912345678")
        change = database.connection.execute(
            "SELECT change_number FROM workers WHERE uuid = ?", (uuid,)
        ).fetchone()[0]
        statuses.clear()
        bus.announce("编辑人员")  # what the workers page does after the edit
        qtbot.waitUntil(
            lambda: city_db.record_versions().get(("workers", uuid)) == change, timeout=WAIT_MS
        )
        qtbot.waitUntil(lambda: not controller.running, timeout=WAIT_MS)
    assert [status.state for status in statuses] == [SyncState.PENDING, SyncState.SYNCED]
    assert statuses[0].pending == 1
    controller.stop()


def test_a_clock_off_by_more_than_five_minutes_is_reported_before_sending(
    qtbot: QtBot,
    database: StationDatabase,
    city_db: CityDatabase,
    city_keys: CityKeys,
    tmp_path: Path,
) -> None:
    def fast() -> datetime:
        return datetime.now(UTC) + timedelta(minutes=10)

    controller = SyncController(sync_sender_opener(database), clock=fast, start_delay_ms=NEVER_MS)
    widget = SyncStatusWidget(clock=fast)
    qtbot.addWidget(widget)
    controller.status_changed.connect(widget.show_status)
    controller.running_changed.connect(widget.set_running)
    widget.sync_requested.connect(controller.sync_now)
    with city_server(city_db, city_keys) as url:
        enrol(database, city_db, tmp_path, url)
        controller.start()
        qtbot.waitUntil(lambda: widget.label.text().startswith("待发送"), timeout=WAIT_MS)
        qtbot.mouseClick(widget.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: widget.label.text().startswith("出错："), timeout=WAIT_MS)
    assert widget.label.text().startswith("出错：本机时间比市里快 ")
    assert "请校准本机时间后再同步" in widget.label.toolTip()
    assert SyncService(database).outbox() == []  # nothing was built, nothing sent
    assert city_db.record_versions() == {}
    controller.stop()


def test_not_enrolled_says_so_and_offers_the_enrolment(
    qtbot: QtBot, database: StationDatabase, tmp_path: Path
) -> None:
    window = _window(qtbot, database, tmp_path)
    assert _label(window) == "未启用同步"  # known at once, before any background round
    assert "文件 → 同步登记…" in window.sync_status.label.toolTip()
    assert window.sync_status.button.text() == "同步登记…"
    qtbot.mouseClick(window.sync_status.button, Qt.MouseButton.LeftButton)
    dialog = window.enrol_window
    assert dialog is not None and dialog.isVisible()
    number, _uuid = _first_worker(database)
    assert "同步" not in _detail(window, number).split("变更记录")[0]  # no sync column yet
    dialog.reject()


def test_status_texts_name_the_state_the_count_and_the_reason() -> None:
    now = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
    assert status_texts(SyncStatus(SyncState.PENDING, 12), now)[0] == "待发送 12 条"
    synced, _ = status_texts(SyncStatus(SyncState.SYNCED, last_success=now), now)
    assert synced == f"已同步（{now.astimezone():%H:%M}）"
    offline, tip = status_texts(
        SyncStatus(SyncState.OFFLINE, 3, "无法连接", now + timedelta(minutes=17)), now
    )
    assert offline == "离线（约 17 分钟后重试）"
    assert "待发送 3 条" in tip
    reason = "数据包被拒收：签名不是本站登记的密钥，请联系市里重新登记（bad-signature）"
    error, tip = status_texts(SyncStatus(SyncState.ERROR, 3, reason), now)
    assert error.startswith("出错：数据包被拒收") and error.endswith("…") and len(error) < 45
    assert reason in tip
