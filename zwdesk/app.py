"""Composition root: opens the database, builds the services, hands them to the window."""

from __future__ import annotations

import getpass
import importlib
import inspect
import logging
import sys
import tempfile
import typing
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import platformdirs
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from zwdesk.services.backup_service import backup_station_database, suggested_backup_name
from zwdesk.services.claim_service import ClaimService
from zwdesk.services.demo_service import create_demo_database
from zwdesk.services.organisation_service import OrganisationService
from zwdesk.services.resource_paths import resources_dir
from zwdesk.services.roster_export_service import RosterExportService
from zwdesk.services.roster_import_service import RosterImportService
from zwdesk.services.station_profile_service import StationProfileService
from zwdesk.services.station_service import StationService
from zwdesk.services.sync_sender import SyncSender, SyncState, SyncStatus
from zwdesk.services.sync_service import SyncService
from zwdesk.services.worker_browser_service import WorkerBrowserService
from zwdesk.storage.database import (
    APP_NAME,
    StationDatabase,
    default_database_path,
    open_station_database,
)
from zwdesk.storage.errors import StorageError
from zwdesk.ui.enrol_dialog import EnrolDialog
from zwdesk.ui.first_run_dialog import FirstRunDialog
from zwdesk.ui.i18n import tr, translatable
from zwdesk.ui.main_window import MainWindow, Page
from zwdesk.ui.operation_bus import OperationBus
from zwdesk.ui.placeholder_page import PlaceholderPage
from zwdesk.ui.settings import open_settings
from zwdesk.ui.sync_controller import START_DELAY_MS, SyncController
from zwdesk.ui.task_runner import TaskRunner
from zwdesk.ui.workers_view import WorkersView

logger = logging.getLogger(__name__)

EXIT_DATABASE_FAILED = 3
# Fonts with Chinese glyphs, best first (Windows, macOS, Debian/Ubuntu, Noto).
CJK_FONTS = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "SimSun",
)


@dataclass
class WindowContext:
    """Everything a page may ask for in its constructor, by parameter name or by type.

    Pages written elsewhere (dashboard, follow-ups, subsidies, batches, import) are found by
    module name and built with what their `__init__` asks for: a parameter is filled when its
    name is a key of `values`, or when its annotated class matches one of the values.
    """

    values: dict[str, Any] = field(default_factory=dict)

    def build(self, cls: type[Any]) -> Any:
        """Call `cls(...)` with what its constructor needs from this context."""
        try:
            hints = typing.get_type_hints(cls.__init__)
        except Exception:  # unresolvable annotations: fall back to names only
            hints = {}
        arguments: dict[str, Any] = {}
        for name, parameter in inspect.signature(cls.__init__).parameters.items():
            variadic = (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
            if name == "self" or parameter.kind in variadic:
                continue
            if name in self.values:
                arguments[name] = self.values[name]
                continue
            wanted = hints.get(name)
            match = next(
                (
                    value
                    for value in self.values.values()
                    if isinstance(wanted, type) and isinstance(value, wanted)
                ),
                None,
            )
            if match is not None:
                arguments[name] = match
            elif parameter.default is inspect.Parameter.empty:
                raise TypeError(f"{cls.__name__}: nothing in the window context for {name!r}")
        return cls(**arguments)


def _optional_class(module: str, name: str) -> type[Any] | None:
    """`module.name` when that module exists (written by another part of the project)."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name != module:
            raise
        return None
    cls = getattr(found, name, None)
    return cls if isinstance(cls, type) else None


# (title, module, class) of the pages in navigation order; missing ones show a placeholder.
OPTIONAL_PAGES = (
    (translatable("工作台"), "zwdesk.ui.dashboard_view", "DashboardView"),
    (translatable("人员"), "", ""),
    (translatable("回访"), "zwdesk.ui.follow_up_view", "FollowUpView"),
    (translatable("点对点"), "zwdesk.ui.batch_view", "BatchView"),
    (translatable("补贴"), "zwdesk.ui.subsidy_view", "SubsidyView"),
    (translatable("申领"), "zwdesk.ui.claims_view", "ClaimsView"),
    (translatable("组织"), "zwdesk.ui.organisations_view", "OrganisationsView"),
    (translatable("导入/导出"), "zwdesk.ui.import_view", "ImportView"),
)
OPTIONAL_SERVICES = (
    ("subsidy_service", "zwdesk.services.subsidy_service", "SubsidyService"),
    ("batch_service", "zwdesk.services.batch_service", "BatchService"),
)


def _backup_function(database: StationDatabase) -> Callable[[Path], datetime]:
    def backup(target: Path) -> datetime:
        return backup_station_database(database.path, target).finished_at

    return backup


def roster_import_opener(
    database: StationDatabase, actor: str = ""
) -> Callable[[], AbstractContextManager[RosterImportService]]:
    """Opens a RosterImportService over a connection of its own, in the calling thread: the
    import page runs it on a worker thread, where the window's connection cannot be used."""
    path = database.path

    @contextmanager
    def open_import() -> Iterator[RosterImportService]:
        with open_station_database(path, create=False) as own:
            yield RosterImportService(own, actor)

    return open_import


def roster_export_opener(
    database: StationDatabase,
) -> Callable[[], AbstractContextManager[RosterExportService]]:
    """Opens a RosterExportService over a connection of its own, in the calling thread."""
    path = database.path

    @contextmanager
    def open_export() -> Iterator[RosterExportService]:
        with open_station_database(path, create=False) as own:
            yield RosterExportService(own)

    return open_export


def _own_batch_codes(batches: Any, profile: StationProfileService) -> Callable[[], list[str]]:
    """The codes of the batches our organisation organised (第五项 is claimed per batch)."""

    def codes() -> list[str]:
        own = profile.profile()
        if own is None:
            return []
        return [code for code in batches.codes() if batches.get(code).organiser == own.id]

    return codes


def claim_service_opener(
    database: StationDatabase, actor: str = ""
) -> Callable[[], AbstractContextManager[ClaimService]]:
    """Opens a ClaimService over a connection of its own, in the calling thread: the claims
    page drafts, freezes and prints on a worker thread."""
    path = database.path

    @contextmanager
    def open_claims() -> Iterator[ClaimService]:
        with open_station_database(path, create=False) as own:
            yield ClaimService(own, actor)

    return open_claims


def sync_sender_opener(
    database: StationDatabase,
) -> Callable[[], AbstractContextManager[SyncSender]]:
    """Opens a SyncSender over a connection of its own, in the calling thread: the sync
    controller sends on a worker thread, where each attempt may wait on the network."""
    path = database.path

    @contextmanager
    def open_sender() -> Iterator[SyncSender]:
        with open_station_database(path, create=False) as own:
            yield SyncSender(own)

    return open_sender


def sync_service_opener(
    database: StationDatabase,
) -> Callable[[], AbstractContextManager[SyncService]]:
    """Opens a SyncService over a connection of its own, in the calling thread (enrolment
    runs on a worker thread: the keychain may ask to be unlocked)."""
    path = database.path

    @contextmanager
    def open_sync() -> Iterator[SyncService]:
        with open_station_database(path, create=False) as own:
            yield SyncService(own)

    return open_sync


def _wire_sync(
    database: StationDatabase,
    bus: OperationBus,
    runner: TaskRunner,
    workers: WorkersView,
    start_delay_ms: int,
) -> tuple[SyncController, Callable[[QWidget], EnrolDialog], SyncStatus | None]:
    """The background sender, the enrolment dialog, and what the status bar shows first."""
    sync = SyncService(database)
    controller = SyncController(sync_sender_opener(database), bus, start_delay_ms=start_delay_ms)
    open_sync = sync_service_opener(database)

    def enrol_dialog(parent: QWidget) -> EnrolDialog:
        return EnrolDialog(open_sync, runner, sync.enrolled(), parent=parent)

    def refresh_detail(_status: object) -> None:
        workers.select(workers.selected_id_number())  # per-record 已同步 / 待发送 / 被拒

    controller.status_changed.connect(refresh_detail)
    # Not enrolled is known at once (one row); anything else is read by the first round.
    first = SyncStatus(SyncState.DISABLED) if sync.enrolled() is None else None
    return controller, enrol_dialog, first


def build_main_window(
    database: StationDatabase,
    settings: QSettings,
    *,
    actor: str = "",
    clock: Callable[[], date] = date.today,
    sync_start_delay_ms: int = START_DELAY_MS,
) -> MainWindow:
    """Build services, pages and the window over an open database (no event loop started).
    Sync starts by reading its status; sending what waits follows `sync_start_delay_ms` later."""
    bus = OperationBus()
    runner = TaskRunner()
    profile = StationProfileService(database, actor)
    station = StationService(database, actor)
    browser = WorkerBrowserService(database)
    context = WindowContext(
        {
            "database": database,
            "actor": actor,
            "bus": bus,
            "runner": runner,
            "clock": clock,
            "settings": settings,
            "station_service": station,
            "browser_service": browser,
            "profile_service": profile,
            "organisation_service": OrganisationService(database, actor),
            "open_roster_import": roster_import_opener(database, actor),
            "open_roster_export": roster_export_opener(database),
            "claim_service": ClaimService(database, actor),
            "open_claims": claim_service_opener(database, actor),
        }
    )
    for key, module, name in OPTIONAL_SERVICES:
        cls = _optional_class(module, name)
        if cls is not None:
            context.values[key] = context.build(cls)
    batches = context.values.get("batch_service")
    if batches is not None:
        context.values["batch_codes"] = _own_batch_codes(batches, profile)
    workers = WorkersView(
        browser,
        station,
        profile,
        bus,
        record_sync=SyncService(database).worker_record_states,
    )
    sync, enrol_dialog, first_status = _wire_sync(
        database, bus, runner, workers, sync_start_delay_ms
    )
    pages: list[Page] = []
    for title, module, name in OPTIONAL_PAGES:
        if not module:
            pages.append((tr(title), workers))
            continue
        cls = _optional_class(module, name)
        widget: QWidget
        if cls is None:
            widget = PlaceholderPage(tr(title), tr("该页面尚未完成。"))
        else:
            try:
                widget = context.build(cls)
            except Exception as error:  # one broken page must not keep the station closed
                logger.error("page %s could not be built: %s", name, type(error).__name__)
                logger.debug("page %s", name, exc_info=True)
                widget = PlaceholderPage(tr(title), tr("该页面暂时无法打开。"))
        pages.append((tr(title), widget))
    own = profile.profile()
    window = MainWindow(
        pages,
        bus,
        runner,
        settings,
        database_path=database.path,
        station_name=own.name if own else "",
        backup=_backup_function(database),
        suggested_backup_name=suggested_backup_name,
        sync=sync,
        enrol_dialog=enrol_dialog,
        profile_dialog=lambda parent: FirstRunDialog(profile, parent, editing=True),
    )
    runner.setParent(window)
    sync.setParent(window)
    window.sync_status.show_status(first_status)
    window.sync_controller = sync  # type: ignore[attr-defined]  # for tests
    sync.start()
    window.workers_view = workers  # type: ignore[attr-defined]  # for tests and benchmarks
    return window


# -- application setup ----------------------------------------------------------------------------
def demo_database_path() -> Path:
    """The demo database lives apart from the real one (a temp dir if the data dir is unusable)."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir()) / APP_NAME
        folder.mkdir(parents=True, exist_ok=True)
    return folder / "demo-station.db"


def make_application(language: str = "zh") -> QApplication:
    """The QApplication with a CJK font and the chosen language (zh = source text)."""
    existing = QApplication.instance()
    if existing is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough  # 125 % and 150 % stay sharp
        )
        application = QApplication(sys.argv[:1])
    else:
        assert isinstance(existing, QApplication)
        application = existing
    application.setOrganizationName("zwdesk")
    application.setApplicationName("zwdesk")
    application.setApplicationDisplayName("中卫劳务工作站")
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSizeF(max(application.font().pointSizeF(), 10.0))
            application.setFont(font)
            break
    install_language(application, language)
    return application


def install_language(application: QApplication, language: str) -> QTranslator | None:
    """English (`en`) from resources/translations/zwdesk_en.qm, else the Chinese source text;
    returns the installed translator (None for zh, or when the .qm file is missing)."""
    if language != "en":
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        return None
    QLocale.setDefault(QLocale(QLocale.Language.English))
    translator = QTranslator(application)
    if not translator.load(str(resources_dir() / "translations" / "zwdesk_en.qm")):
        logger.warning("English translation not found; showing Chinese")
        return None
    application.installTranslator(translator)
    return translator


def open_database_or_explain(path: Path) -> StationDatabase | None:
    """The open database, or None after telling the clerk in Chinese why it cannot be opened."""
    try:
        return open_station_database(path)
    except StorageError as error:
        QMessageBox.critical(
            None,
            QCoreApplication.translate("zwdesk", "无法打开数据库"),
            str(error),
        )
        return None


def window_actor() -> str:
    """Who the audit log names for a change made in the window (the CLI says 命令行:…)."""
    try:
        return f"窗口:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (some containers, services)
        return "窗口"


def run_app(database_path: Path | None, *, demo: bool = False, language: str = "zh") -> int:
    """Open the window over `database_path` (default: the per-user station.db); exit status."""
    application = make_application(language)
    path = database_path or (demo_database_path() if demo else default_database_path())
    if demo:
        try:
            create_demo_database(path)
        except StorageError as error:
            QMessageBox.critical(None, tr("无法准备演示数据"), str(error))
            return EXIT_DATABASE_FAILED
    database = open_database_or_explain(path)
    if database is None:
        return EXIT_DATABASE_FAILED
    actor = window_actor()
    with database:
        profiles = StationProfileService(database, actor)
        if profiles.profile() is None:
            setup = FirstRunDialog(profiles)
            if not setup.exec():
                return 0
        window = build_main_window(database, open_settings(), actor=actor)
        window.show()
        status = application.exec()
    return int(status)
