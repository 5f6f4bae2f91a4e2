"""The `zwdesk` command: sub-commands over the same services the window uses."""

from __future__ import annotations

import argparse
import getpass
import io
import re
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from zwdesk import __version__
from zwdesk.city import commands as city_commands
from zwdesk.city.analysis import KIND_LABELS, refresh_conflicts
from zwdesk.city.database import CityDatabase, default_city_database_path
from zwdesk.city.errors import CityError
from zwdesk.city.policy_publish import publish_policy_file
from zwdesk.city.records import ConflictRow
from zwdesk.city.reports import CONFLICT_STATE_LABELS, city_report, parse_period, report_text
from zwdesk.domain.claims import ClaimState, FrozenClaim
from zwdesk.domain.collector import collector_paused
from zwdesk.domain.dates import parse_iso_date
from zwdesk.domain.policy.parameters import PolicyParameterError
from zwdesk.domain.privacy import mask_id_number
from zwdesk.domain.scenario_parser import ScenarioError
from zwdesk.services.calc_service import calculate, display_names, read_scenario_file
from zwdesk.services.claim_service import (
    ClaimDraft,
    ClaimError,
    ClaimService,
    resolve_subject,
    subject_label,
)
from zwdesk.services.policy_files import default_schedule, load_schedule_from
from zwdesk.services.results_format import results_table, write_results_json
from zwdesk.services.roster_export_service import RosterExportService
from zwdesk.services.roster_import_service import (
    ImportPreview,
    ImportReport,
    RecordCounts,
    RosterFileError,
    RosterImportService,
)
from zwdesk.services.station_scenario_service import StationDatabaseError, read_station_database
from zwdesk.services.subsidy_labels import ITEM_TITLES, format_money
from zwdesk.services.sync_sender import SyncSender
from zwdesk.services.sync_service import SyncService
from zwdesk.storage.database import default_database_path, open_station_database
from zwdesk.storage.errors import StorageError
from zwdesk.sync.errors import SyncError

EXIT_BAD_INPUT = 2
SHOWN_REJECTED_CELLS = 20
SHOWN_WARNINGS = 10


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zwdesk",
        description="中卫劳务工作站桌面端 — 人员、就业、回访、点对点输送与各项补贴测算",
    )
    parser.add_argument("--version", action="version", version=f"zwdesk {__version__}")
    # Without a sub-command zwdesk opens the window (zwdesk [--db PATH] [--demo] [--lang en]).
    parser.add_argument(
        "--db", dest="window_db", type=Path, metavar="PATH", help="窗口使用的站点数据库文件"
    )
    parser.add_argument(
        "--demo", action="store_true", help="用演示数据打开窗口（单独的演示数据库，不影响正式数据）"
    )
    parser.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="界面语言：zh（默认）或 en"
    )
    commands = parser.add_subparsers(dest="command", metavar="命令")
    calc = commands.add_parser(
        "calc",
        help="按政策测算各项补贴（JSON 输入，JSON 输出）",
        description="按《关于实施就业优先战略促进高质量充分就业的通知》测算各项补贴的应付金额及理由",
    )
    calc.add_argument(
        "scenario",
        type=Path,
        nargs="?",
        metavar="SCENARIO.json",
        help="zwdesk-scenario/1 格式的情景文件（与 --db 二选一）",
    )
    calc.add_argument(
        "--db", type=Path, metavar="STATION.db", help="从站点数据库测算（与 SCENARIO.json 二选一）"
    )
    calc.add_argument("--as-of", required=True, metavar="YYYY-MM-DD", help="测算日期 D")
    calc.add_argument(
        "--format",
        choices=("json", "table"),
        default="json",
        help="json（默认，机器读）或 table（人读）",
    )
    calc.add_argument(
        "--policy",
        type=Path,
        metavar="DIR",
        help="使用另一目录中的政策参数文件（默认使用随程序发布的参数）",
    )
    _add_roster_commands(commands)
    _add_claims_commands(commands)
    _add_sync_commands(commands)
    _add_city_commands(commands)
    commands.add_parser(
        "check",
        help="自检：这台电脑上的 zwdesk 是否完整可用",
        description="检查政策参数文件、申领表模块与模板、中文字体、数据目录、后台进程和系统钥匙串；"
        "✓ 正常，! 可用但某项功能受限，✗ 有问题（退出码 1）",
    )
    return parser


def _run_check() -> int:
    from zwdesk.services.self_check import Verdict, run_self_check

    results = run_self_check()
    print(f"zwdesk {__version__} 自检")
    for result in results:
        print(f"{result.verdict.value} {result.name}：{result.detail}")
    failed = sum(1 for result in results if result.verdict is Verdict.FAILED)
    limited = sum(1 for result in results if result.verdict is Verdict.WARNING)
    if failed:
        print(f"{failed} 项有问题，请按上面的说明处理")
    elif limited:
        print(f"可以使用；{limited} 项功能受限（见“!”行）")
    else:
        print("全部正常")
    return 1 if failed else 0


def _add_roster_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database_help = f"站点数据库（默认 {default_database_path()}）"
    import_command = commands.add_parser(
        "import",
        help="导入花名册（.xlsx/.xls/.csv）到站点数据库",
        description="导入花名册：有效行写入数据库（同一文件导入两次不会重复），"
        "有错误的行不导入，连同错误原因另存为“文件名.错误.xlsx”",
    )
    import_command.add_argument("file", type=Path, metavar="FILE", help="花名册或导出文件")
    import_command.add_argument(
        "--db", type=Path, metavar="PATH", help=database_help + "；不存在时新建"
    )
    import_command.add_argument(
        "--dry-run", action="store_true", help="试运行：只显示将新增/更新多少，不写入数据库"
    )
    import_command.add_argument(
        "--rejects", type=Path, metavar="PATH", help="错误行文件的位置（默认：FILE.错误.xlsx）"
    )
    export_command = commands.add_parser(
        "export",
        help="导出人员、就业、回访、申领和组织到 .xlsx",
        description="导出站点数据（人员、就业、回访、申领、组织五张表）；导出文件可再导入",
    )
    export_command.add_argument("file", type=Path, metavar="FILE", help="要写入的 .xlsx 文件")
    export_command.add_argument("--db", type=Path, metavar="PATH", help=database_help)


def _fail(message: str) -> int:
    print(f"zwdesk: 错误：{message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _run_calc(arguments: argparse.Namespace) -> int:
    try:
        as_of = parse_iso_date(arguments.as_of)
    except ValueError as error:
        return _fail(f"--as-of：{error}")
    if (arguments.scenario is None) == (arguments.db is None):
        return _fail("须指定情景文件 SCENARIO.json 或 --db STATION.db 二者之一")
    try:
        schedule = load_schedule_from(arguments.policy) if arguments.policy else default_schedule()
        if arguments.db is not None:
            scenario = read_station_database(arguments.db)
        else:
            scenario = read_scenario_file(arguments.scenario)
    except (ScenarioError, PolicyParameterError, StationDatabaseError) as error:
        return _fail(str(error))
    results = calculate(scenario, as_of, schedule)
    if arguments.format == "table":
        sys.stdout.write(results_table(results, display_names(scenario)))
    else:
        with collector_paused():
            write_results_json(results, sys.stdout)
    return 0


def _actor() -> str:
    """Who the audit log names for a command-line change."""
    try:
        return f"命令行:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name (some containers, services)
        return "命令行"


def _counts(label: str, counts: RecordCounts, dry_run: bool) -> str:
    verb = "将" if dry_run else ""
    return (
        f"{label}：{verb}新增 {counts.created}，{verb}更新 {counts.updated}，"
        f"未变 {counts.unchanged}"
    )


def _print_import(preview: ImportPreview, dry_run: bool) -> None:
    stats = preview.stats
    print(
        f"{preview.source.name}：读取 {stats.data_rows} 行，可导入 {preview.valid_rows} 行"
        f"（其中重复合并 {stats.duplicates} 行），拒绝 {preview.rejected_rows} 行"
    )
    print(_counts("人员", preview.workers, dry_run))
    print(_counts("就业记录", preview.placements, dry_run))
    if preview.organisations.created or preview.organisations.updated:
        print(_counts("组织", preview.organisations, dry_run))
    cells = preview.rejected_cells
    if cells:
        sheets = {sheet for sheet, _ in cells}
        print(f"拒绝原因（共 {len(cells)} 处）：")
        for sheet, cell in cells[:SHOWN_REJECTED_CELLS]:
            where = f"{sheet}表" if len(sheets) > 1 else ""
            column = f" {cell.column}列" if cell.column else ""
            print(f"  {where}第{cell.row}行{column} {cell.field}：{cell.reason}")
        if len(cells) > SHOWN_REJECTED_CELLS:
            print(f"  ……另有 {len(cells) - SHOWN_REJECTED_CELLS} 处未列出，见错误行文件")
    if preview.warnings:
        print(f"提示（共 {len(preview.warnings)} 条）：")
        for warning in preview.warnings[:SHOWN_WARNINGS]:
            where = f"第{warning.row_number}行：" if warning.row_number else ""
            print(f"  {where}{warning.message}")
        if len(preview.warnings) > SHOWN_WARNINGS:
            print(f"  ……另有 {len(preview.warnings) - SHOWN_WARNINGS} 条未列出")


def _run_import(arguments: argparse.Namespace) -> int:
    database_path: Path = arguments.db or default_database_path()
    dry_run: bool = arguments.dry_run
    try:
        if dry_run:
            preview = _dry_run(arguments.file, database_path)
            if arguments.rejects is not None:
                preview.write_rejects(arguments.rejects)
        else:
            with open_station_database(database_path) as database:
                preview = RosterImportService(database, _actor()).run(
                    arguments.file, rejects_path=arguments.rejects
                )
    except (RosterFileError, StationDatabaseError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{arguments.rejects or arguments.file}：{error.strerror or error}")
    _print_import(preview, dry_run)
    rejected = f"{preview.rejected_rows} 行有错误，未导入" if preview.rejects else ""
    if dry_run:
        where = f"，错误行已写入 {arguments.rejects}" if rejected and arguments.rejects else ""
        print(f"试运行，数据库未改动。{rejected}{where}")
    elif isinstance(preview, ImportReport) and preview.rejects_path is not None and rejected:
        print(f"导入完成；{rejected}，已连同错误原因写入 {preview.rejects_path}，改正后可重新导入")
    else:
        print(f"导入完成{'；' + rejected if rejected else ''}（数据库 {database_path}）")
    return 0


def _dry_run(source: Path, database_path: Path) -> ImportPreview:
    """Preview against the database, or against an empty one when it does not exist yet
    (a dry run creates no file at --db)."""
    if database_path.exists():
        with open_station_database(database_path, create=False) as database:
            return RosterImportService(database, _actor()).preview(source)
    with (
        tempfile.TemporaryDirectory(prefix="zwdesk-dry-run-") as directory,
        open_station_database(Path(directory) / "empty.db") as database,
    ):
        return RosterImportService(database, _actor()).preview(source)


def _run_export(arguments: argparse.Namespace) -> int:
    target: Path = arguments.file
    if target.suffix.lower() != ".xlsx":
        return _fail(f"导出文件须为 .xlsx：{target}")
    try:
        with open_station_database(arguments.db or default_database_path(), create=False) as db:
            report = RosterExportService(db).export(target)
    except StationDatabaseError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{target}：{error.strerror or error}")
    print(
        f"已导出到 {report.path}：人员 {report.workers} 人，就业记录 {report.placements} 条，"
        f"回访 {report.follow_ups} 条，申领 {report.claims} 条，组织 {report.organisations} 个"
    )
    return 0


# -- zwdesk claims ---------------------------------------------------------------------------
_ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def _masked(text: str) -> str:
    """Any ID number in a sentence masked (explanations name people, never their numbers)."""
    return _ID_NUMBER.sub(lambda match: mask_id_number(match.group(0)), text)


def _add_claims_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database_help = f"站点数据库（默认 {default_database_path()}）"
    claims = commands.add_parser(
        "claims",
        help="申领单：生成草稿、冻结、打印、签字、提交、拨付/退回、作废",
        description="申领单：按项目、组织和年度（第五项按批次）生成草稿，冻结后编号入账；"
        "状态 草稿 → 已打印 → 已签字 → 已提交 → 已拨付/已退回，已提交前可作废",
    )
    actions = claims.add_subparsers(dest="claims_command", metavar="操作")

    listing = actions.add_parser("list", help="列出申领单")
    listing.add_argument("--item", type=int, choices=range(1, 7), metavar="N", help="项目 1–6")
    listing.add_argument("--org", metavar="ID", help="组织编号")
    listing.add_argument("--year", type=int, metavar="Y", help="年度")
    listing.add_argument("--state", metavar="STATE", help="状态，如 草稿、已提交")
    listing.add_argument("--db", type=Path, metavar="PATH", help=database_help)

    new = actions.add_parser(
        "new",
        help="生成申领草稿（加 --freeze 则冻结并编号）",
        description="按测算结果列出某组织某项目当年（第五项：某批次）应付金额大于0的行；"
        "--exclude 排除某行（序号、证件号或批次/组织编号=原因），--freeze 冻结入账",
    )
    new.add_argument("--item", type=int, required=True, choices=range(1, 7), metavar="N")
    new.add_argument("--org", required=True, metavar="ID", help="申领组织编号")
    scope = new.add_mutually_exclusive_group()
    scope.add_argument("--year", type=int, metavar="Y", help="年度（第一、二、三、六项）")
    scope.add_argument("--batch", metavar="B", help="批次号（第五项）")
    new.add_argument("--as-of", metavar="YYYY-MM-DD", help="测算日期（默认今天）")
    new.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="SUBJECT=REASON",
        help="不申领的行及原因，可多次指定",
    )
    new.add_argument("--explain", action="store_true", help="列出每行的计算理由")
    new.add_argument("--freeze", action="store_true", help="冻结：编号、保存快照并记入已申领")
    new.add_argument("--db", type=Path, metavar="PATH", help=database_help)

    show = actions.add_parser("show", help="查看一张申领单（快照、排除的行及原因）")
    show.add_argument("number", metavar="NUMBER")
    show.add_argument("--explain", action="store_true", help="列出每行的计算理由")
    show.add_argument("--db", type=Path, metavar="PATH", help=database_help)

    printing = actions.add_parser("print", help="打印申领表（PDF），草稿变为已打印")
    printing.add_argument("number", metavar="NUMBER")
    printing.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出目录")
    printing.add_argument("--db", type=Path, metavar="PATH", help=database_help)

    state = actions.add_parser(
        "state", help="改变申领单状态（已签字须 --attach，已退回须 --reason）"
    )
    state.add_argument("number", metavar="NUMBER")
    state.add_argument("state", metavar="STATE", help="已打印、已签字、已提交、已拨付、已退回")
    state.add_argument("--reason", metavar="R", help="原因（退回时必填）")
    state.add_argument("--attach", type=Path, metavar="FILE", help="签字页扫描件或照片")
    state.add_argument("--db", type=Path, metavar="PATH", help=database_help)

    cancel = actions.add_parser("cancel", help="作废申领单（已提交前），其金额不再计为已申领")
    cancel.add_argument("number", metavar="NUMBER")
    cancel.add_argument("--reason", required=True, metavar="R", help="作废原因")
    cancel.add_argument("--db", type=Path, metavar="PATH", help=database_help)


def _scope(year: int | None, batch: str | None) -> str:
    if batch is not None:
        return f"批次{batch}"
    return f"{year}年" if year is not None else "实施期内一次性"


def _print_lines(
    lines: Sequence[tuple[str, str, int, Sequence[str]]], explain: bool, indent: str = "  "
) -> None:
    for index, (subject, name, amount, explanation) in enumerate(lines, start=1):
        print(f"{indent}{index:>4}  {subject_label(subject):<20} {name:<12} {format_money(amount)}")
        if explain:
            for sentence in explanation:
                print(f"{indent}        {_masked(sentence)}")


def _print_draft(draft: ClaimDraft, explain: bool) -> None:
    organisation = draft.organisation
    print(
        f"申领草稿：{ITEM_TITLES[draft.item]}｜{organisation.name}（{organisation.id}）"
        f"｜{_scope(draft.year, draft.batch)}｜测算日期 {draft.as_of.isoformat()}"
    )
    if not draft.lines:
        print("  没有应付金额大于0的行")
        return
    _print_lines(
        [(line.subject, line.name, line.amount, line.explanation) for line in draft.lines],
        explain,
    )
    print(f"共 {len(draft.lines)} 行，合计 {format_money(draft.total)}")


def _print_claim(claim: FrozenClaim, explain: bool) -> None:
    print(
        f"申领单 {claim.number}（{claim.state.value}）：{ITEM_TITLES[claim.item]}"
        f"｜{claim.organisation_name}（{claim.organisation_id}）"
        f"｜{_scope(claim.year, claim.batch)}｜测算日期 {claim.as_of.isoformat()}"
    )
    _print_lines(
        [(line.subject, line.name, line.amount, line.explanation) for line in claim.lines],
        explain,
    )
    print(f"共 {len(claim.lines)} 行，合计 {format_money(claim.total)}")
    if claim.excluded:
        print(f"未申领（排除）{len(claim.excluded)} 行：")
        for line in claim.excluded:
            print(
                f"        {subject_label(line.subject):<20} {line.name:<12} "
                f"{format_money(line.amount)}  原因：{line.reason}"
            )
    print(f"政策参数 {claim.policy_version}｜冻结于 {claim.frozen_at.isoformat()}")
    print(f"摘要（SHA-256）{claim.digest}")


def _claims_new(service: ClaimService, arguments: argparse.Namespace) -> int:
    try:
        as_of = parse_iso_date(arguments.as_of) if arguments.as_of else date.today()
    except ValueError as error:
        return _fail(f"--as-of：{error}")
    draft = service.draft(
        arguments.item, arguments.org, year=arguments.year, batch=arguments.batch, as_of=as_of
    )
    excluded: dict[str, str] = {}
    for pair in arguments.exclude:
        subject, separator, reason = str(pair).partition("=")
        if not separator or not reason.strip():
            return _fail(f"--exclude {subject_label(subject)}：须写成 行=原因")
        excluded[resolve_subject(draft, subject)] = reason.strip()
    _print_draft(draft, arguments.explain)
    if not arguments.freeze:
        if excluded:
            print(f"将排除 {len(excluded)} 行")
        print("尚未冻结（加 --freeze 冻结、编号并记入已申领）")
        return 0
    claim = service.freeze(draft, excluded)
    print(
        f"已冻结申领单 {claim.number}：{len(claim.lines)} 行，合计 {format_money(claim.total)}"
        + (f"；排除 {len(claim.excluded)} 行" if claim.excluded else "")
    )
    return 0


def _claims_list(service: ClaimService, arguments: argparse.Namespace) -> int:
    states = None
    if arguments.state:
        try:
            states = [ClaimState(arguments.state)]
        except ValueError:
            names = "、".join(state.value for state in ClaimState)
            return _fail(f"没有“{arguments.state}”这个状态（可选：{names}）")
    records = service.list_claims(
        item=arguments.item, organisation_id=arguments.org, year=arguments.year, states=states
    )
    if not records:
        print("没有申领单")
        return 0
    for record in records:
        scope = f"批次{record.batch}" if record.batch else f"{record.year}年"
        note = f"（{record.reason}）" if record.reason else ""
        print(
            f"{record.number}  第{record.item}项  {record.organisation_id}  {scope}  "
            f"{record.state.value}{note}  {record.line_count}行  {format_money(record.total)}"
        )
    print(f"共 {len(records)} 张")
    return 0


def _run_claims(arguments: argparse.Namespace) -> int:
    command = arguments.claims_command
    if command is None:
        return _fail("请指定操作：list、new、show、print、state、cancel（zwdesk claims -h）")
    database_path: Path = arguments.db or default_database_path()
    try:
        with open_station_database(database_path, create=False) as database:
            service = ClaimService(database, _actor())
            if command == "list":
                return _claims_list(service, arguments)
            if command == "new":
                return _claims_new(service, arguments)
            if command == "show":
                _print_claim(service.get(arguments.number), arguments.explain)
                return 0
            if command == "print":
                paths = service.print(arguments.number, arguments.out)
                record = service.record(arguments.number)
                print(f"申领单 {arguments.number} 已打印（{record.state.value}）：")
                for path in paths:
                    print(f"  {path}")
                return 0
            if command == "state":
                record = service.set_state(
                    arguments.number,
                    arguments.state,
                    reason=arguments.reason,
                    attachment=arguments.attach,
                )
            else:
                record = service.cancel(arguments.number, arguments.reason)
    except (ClaimError, StationDatabaseError) as error:
        return _fail(str(error))
    attached = (
        f"；签字页 {record.attachment_name}（SHA-256 {record.attachment_sha256}）"
        if record.state is ClaimState.SIGNED and record.attachment_sha256
        else ""
    )
    released = "，其金额不再计为已申领" if record.state in _RELEASED else ""
    print(f"申领单 {record.number} 已改为“{record.state.value}”{released}{attached}")
    return 0


_RELEASED = frozenset({ClaimState.CANCELLED, ClaimState.RETURNED})


# -- zwdesk sync -----------------------------------------------------------------------------
def _add_sync_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database_help = f"站点数据库（默认 {default_database_path()}）"
    sync = commands.add_parser(
        "sync",
        help="与市里同步：导入登记文件、导出加密数据包（U 盘）、联网发送、导入回执",
        description="与市里同步：导入市里发放的登记文件（生成本站签名密钥，保存在系统钥匙串），"
        "把上次确认以来变更的全部记录导出为签名加密的数据包",
    )
    actions = sync.add_subparsers(dest="sync_command", metavar="操作")
    enrol = actions.add_parser("enrol", help="导入登记文件，生成本站签名密钥")
    enrol.add_argument("file", type=Path, metavar="FILE", help="市里发放的登记文件（JSON）")
    enrol.add_argument("--db", type=Path, metavar="PATH", help=database_help)
    export = actions.add_parser("export", help="导出数据包到文件（如 U 盘）")
    export.add_argument("file", type=Path, metavar="FILE", help="要写入的数据包文件")
    export.add_argument("--db", type=Path, metavar="PATH", help=database_help)
    send = actions.add_parser("send", help="立即向市里发送一次（联网），显示同步状态")
    send.add_argument("--db", type=Path, metavar="PATH", help=database_help)
    receipt = actions.add_parser("receipt", help="导入市里的回执文件（如 U 盘带回）")
    receipt.add_argument("file", type=Path, metavar="FILE", help="市里签发的回执文件")
    receipt.add_argument("--db", type=Path, metavar="PATH", help=database_help)


def _run_sync_send(arguments: argparse.Namespace) -> int:
    try:
        with open_station_database(
            arguments.db or default_database_path(), create=False
        ) as database:
            status = SyncSender(database).send_once(datetime.now(UTC))
    except (SyncError, StorageError) as error:
        return _fail(str(error))
    print(f"同步状态：{status.detail}")
    return 1 if status.failed else 0


def _run_sync_receipt(arguments: argparse.Namespace) -> int:
    try:
        data = arguments.file.read_bytes()
    except OSError as error:
        return _fail(f"{arguments.file}：{error.strerror or error}")
    try:
        with open_station_database(
            arguments.db or default_database_path(), create=False
        ) as database:
            accepted = SyncService(database).accept_receipt(data)
            status = SyncSender(database).status()
    except (SyncError, StorageError) as error:
        return _fail(str(error))
    entry = accepted.entry
    outcome = f"被拒：{entry.reason}" if entry.reason else entry.state
    print(
        f"回执有效：数据包 {entry.bundle_id}（变更 {entry.change_from}–{entry.change_to}）{outcome}"
    )
    for name in accepted.policy_applied:
        print(f"已采用市里发布的政策参数文件 {name}（签名有效，自生效日期起用于计算）")
    for refusal in accepted.policy_refused:
        print(f"zwdesk: 警告：{refusal.reason}", file=sys.stderr)
    if accepted.notices_replaced:
        print(f"市里意见：{accepted.notice_count} 条")
    print(f"同步状态：{status.text}")
    return 0


def _run_sync(arguments: argparse.Namespace) -> int:
    command = arguments.sync_command
    if command is None:
        return _fail("请指定操作：enrol、export、send、receipt（zwdesk sync -h）")
    if command == "send":
        return _run_sync_send(arguments)
    if command == "receipt":
        return _run_sync_receipt(arguments)
    try:
        with open_station_database(
            arguments.db or default_database_path(), create=command == "enrol"
        ) as database:
            service = SyncService(database)
            if command == "enrol":
                result = service.enrol(arguments.file)
                print(f"已登记为站点 {result.station_id}（市里地址 {result.city_url}）")
                print(f"本站签名公钥（须向市里登记）：{result.station_public_key}")
                return 0
            sealed = service.export(arguments.file)
            status = service.status_text()
    except (SyncError, StorageError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{arguments.file}：{error.strerror or error}")
    manifest = sealed.manifest
    print(
        f"已导出数据包 {manifest.bundle_id} 到 {arguments.file}：变更 {manifest.change_from}–"
        f"{manifest.change_to}，{manifest.record_count} 条（含变更记录），{len(sealed.data)} 字节"
    )
    print(f"市里确认前这些记录仍计为待发送（{status}）")
    return 0


# -- zwdesk city -----------------------------------------------------------------------------
def _add_city_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    database_help = f"市里数据库（默认 {default_city_database_path()}）"
    city = commands.add_parser(
        "city",
        help="市里：登记站点、接收数据包（网络或 U 盘）",
        description="市里的数据接收服务：登记站点（生成登记文件）、运行接收服务、导入 U 盘数据包；"
        "市里的密钥保存在系统钥匙串",
    )
    actions = city.add_subparsers(dest="city_command", metavar="操作")
    serve = actions.add_parser("serve", help="运行数据接收服务（HTTP）")
    serve.add_argument(
        "--db", type=city_commands.database_target, metavar="PATH", help=database_help
    )
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8765, metavar="N", help="端口（默认 8765）")
    serve.add_argument(
        "--analyse-every",
        type=float,
        default=10.0,
        metavar="MINUTES",
        help="收到新数据包后，每隔几分钟重新做一次全市比对（默认 10；0 为不自动比对）",
    )
    station = actions.add_parser("station", help="站点：add 登记新站点")
    station_actions = station.add_subparsers(dest="station_command", metavar="操作")
    add = station_actions.add_parser(
        "add", help="登记新站点，生成登记文件（含一次性令牌和市里公钥）"
    )
    add.add_argument("station_id", metavar="ID", help="站点编号，如 T1")
    add.add_argument("--name", required=True, metavar="NAME", help="站点名称")
    add.add_argument("--url", required=True, metavar="URL", help="站点连接的市里地址")
    add.add_argument(
        "--out", type=Path, required=True, metavar="ENROLMENT.json", help="要写入的登记文件"
    )
    add.add_argument("--db", type=city_commands.database_target, metavar="PATH", help=database_help)
    import_command = actions.add_parser("import", help="导入数据包文件（U 盘），写出回执")
    import_command.add_argument("file", type=Path, metavar="BUNDLE", help="站点导出的数据包")
    import_command.add_argument(
        "--receipt", type=Path, metavar="PATH", help="回执文件（默认：BUNDLE.receipt.json）"
    )
    import_command.add_argument(
        "--db", type=city_commands.database_target, metavar="PATH", help=database_help
    )
    _add_city_policy_commands(actions, database_help)
    _add_city_analysis_commands(actions, database_help)


def _add_city_policy_commands(
    actions: argparse._SubParsersAction[argparse.ArgumentParser], database_help: str
) -> None:
    policy = actions.add_parser("policy", help="政策参数：publish 发布新的参数文件")
    policy_actions = policy.add_subparsers(dest="policy_command", metavar="操作")
    publish = policy_actions.add_parser(
        "publish",
        help="核对并签发政策参数文件，随之后的每张回执发给各站点",
        description="用与站点相同的参数加载器核对文件，文件名须为生效日期（如 2026-01-01.toml），"
        "用市里的回执密钥签名后保存；站点收到后自生效日期起采用",
    )
    publish.add_argument("file", type=Path, metavar="FILE.toml", help="政策参数文件")
    publish.add_argument(
        "--db", type=city_commands.database_target, metavar="PATH", help=database_help
    )


def _run_city_policy(arguments: argparse.Namespace) -> int:
    if arguments.policy_command is None:
        return _fail("请指定操作：policy publish FILE.toml（zwdesk city policy -h）")
    try:
        database = CityDatabase(arguments.db or default_city_database_path())
        row, published = publish_policy_file(database, arguments.file)
    except (CityError, SyncError) as error:
        return _fail(str(error))
    if not published:
        print(f"政策参数文件 {row.name} 此前已发布（{row.published_at}），内容相同，未作改动")
        return 0
    print(f"已发布政策参数文件 {row.name}：自 {row.effective_from} 起生效，已用市里回执密钥签名")
    if date.fromisoformat(row.effective_from) <= date.today():
        print("注意：生效日期不晚于今天，站点收到后该日起的事件将按新参数重新计算")
    print("之后签发的每张回执都会携带此文件")
    return 0


# -- zwdesk city conflicts / resolve / report (全市比对与调度报告) -----------------------------
CITY_ANALYSIS_COMMANDS = ("conflicts", "resolve", "report")
CONFLICT_STATE_CHOICES = ("open", "resolved", "gone", "all")


def _add_city_analysis_commands(
    actions: argparse._SubParsersAction[argparse.ArgumentParser], database_help: str
) -> None:
    as_of_help = "比对日期 YYYY-MM-DD（默认今天）"
    conflicts = actions.add_parser(
        "conflicts",
        help="全市冲突清单：重复申领等（--refresh 先重新比对）",
        description="列出全市比对发现的冲突；--refresh 先按各站点最新数据重新比对",
    )
    conflicts.add_argument(
        "--state",
        choices=CONFLICT_STATE_CHOICES,
        default="open",
        help="open 待处理（默认）、resolved 已处理、gone 已消失、all 全部",
    )
    conflicts.add_argument("--refresh", action="store_true", help="先重新比对全市数据")
    conflicts.add_argument("--as-of", metavar="DATE", help=as_of_help)
    conflicts.add_argument(
        "--db", type=city_commands.database_target, metavar="PATH", help=database_help
    )
    resolve = actions.add_parser(
        "resolve", help="记录一项冲突的处理意见（之后重新比对仍保持已处理）"
    )
    resolve.add_argument("key", metavar="KEY", help="冲突编号（可只写开头，须唯一）")
    resolve.add_argument("--note", required=True, metavar="TEXT", help="处理意见")
    resolve.add_argument("--by", metavar="NAME", help="处理人（默认当前用户）")
    resolve.add_argument(
        "--db", type=city_commands.database_target, metavar="PATH", help=database_help
    )
    report = actions.add_parser(
        "report",
        help="调度报告：月调度、季通报、半年看进度、全年比成效",
        description="按县区列出五项年度目标的完成情况、各项资金的申领和拨付与测算的对比（含预警）"
        "以及冲突；--out 同时导出 .xlsx",
    )
    report.add_argument(
        "--period",
        required=True,
        metavar="PERIOD",
        help="报告期：2025-03（月）、2025-Q1（季）、2025-H1（半年）或 2025（全年）",
    )
    report.add_argument("--out", type=Path, metavar="FILE.xlsx", help="同时写出 .xlsx 报告")
    report.add_argument("--refresh", action="store_true", help="先重新比对全市数据（冲突清单）")
    report.add_argument("--today", metavar="DATE", help="今天的日期 YYYY-MM-DD（默认系统日期）")
    report.add_argument(
        "--db", type=city_commands.database_target, metavar="PATH", help=database_help
    )


def _print_conflicts(rows: Sequence[ConflictRow]) -> None:
    for row in rows:
        conflict = row.conflict
        state = CONFLICT_STATE_LABELS.get(row.state, row.state)
        kind = KIND_LABELS.get(conflict.kind, conflict.kind)
        year = f"{conflict.year}年" if conflict.year is not None else "—"
        print(f"[{state}] {kind}  {year}  {conflict.key}")
        print(f"    {conflict.message}")
        stations = sorted({ref.station_id for ref in conflict.refs})
        print(
            f"    涉及站点：{'、'.join(stations) or '—'}；首次发现 {row.first_found_at}，"
            f"最近发现 {row.last_found_at}"
        )
        if row.resolution:
            print(f"    处理意见：{row.resolution}（{row.resolved_by}，{row.resolved_at}）")


def _find_conflict_key(database: CityDatabase, text: str) -> str:
    """The key itself, or the one key starting with `text`."""
    key = text.strip()
    if database.conflict(key) is not None:
        return key
    matches = [row.conflict.key for row in database.conflicts() if row.conflict.key.startswith(key)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise CityError(f"冲突编号开头“{key}”对应 {len(matches)} 项，请写得更完整")
    raise CityError(f"没有编号为 {key} 的冲突（zwdesk city conflicts --state all 可查看全部）")


def _run_city_analysis(arguments: argparse.Namespace) -> int:
    command = arguments.city_command
    try:
        as_of = _option_date(arguments, "as_of", "--as-of")
        today = _option_date(arguments, "today", "--today")
        period = parse_period(arguments.period) if command == "report" else None
    except (ValueError, CityError) as error:
        return _fail(str(error))
    try:
        with CityDatabase(arguments.db or default_city_database_path()) as database:
            if command == "resolve":
                key = _find_conflict_key(database, arguments.key)
                row = database.resolve_conflict(key, arguments.note, arguments.by or _actor())
                print(
                    f"冲突 {key} 已处理：{row.resolution}（{row.resolved_by}，{row.resolved_at}）"
                )
                print("之后重新比对仍发现此冲突时，保持已处理")
                return 0
            if arguments.refresh:
                print("\n".join(refresh_conflicts(database, as_of=as_of or today).lines()))
            if period is None:
                state = None if arguments.state == "all" else arguments.state
                rows = database.conflicts(state)
                label = "全部" if state is None else CONFLICT_STATE_LABELS[state]
                print(f"冲突清单（{label}）：{len(rows)} 项")
                _print_conflicts(rows)
                return 0
            report = city_report(database, period, today=today)
        sys.stdout.write(report_text(report))
        if arguments.out is not None:
            # Imported here: openpyxl costs every other command its start-up time.
            from zwdesk.city.report_xlsx import write_report_xlsx

            write_report_xlsx(report, arguments.out)
            print(f"报告已写入 {arguments.out}")
    except (CityError, PolicyParameterError) as error:
        return _fail(str(error))
    return 0


def _option_date(arguments: argparse.Namespace, name: str, option: str) -> date | None:
    text = getattr(arguments, name, None)
    if text is None:
        return None
    try:
        return parse_iso_date(text)
    except ValueError as error:
        raise ValueError(f"{option}：{error}") from None


def _run_city(arguments: argparse.Namespace) -> int:
    command = arguments.city_command
    if command in CITY_ANALYSIS_COMMANDS:
        return _run_city_analysis(arguments)
    if command == "policy":
        return _run_city_policy(arguments)
    if command is None or (command == "station" and arguments.station_command is None):
        return _fail(
            "请指定操作：serve、station add、import、policy publish、conflicts、resolve、report"
            "（zwdesk city -h）"
        )
    try:
        database = CityDatabase(arguments.db or default_city_database_path())
        if command == "serve":
            address = f"http://{arguments.host}:{arguments.port}/"
            print(f"市里数据接收服务：{address}（数据库 {database.description}）")
            city_commands.serve(
                database, arguments.host, arguments.port, arguments.analyse_every * 60
            )
            return 0
        if command == "station":
            added = city_commands.add_station(
                database, arguments.station_id, arguments.name, arguments.url, arguments.out
            )
            print(f"已登记站点 {added.station.id}（{added.station.name}）")
            print(f"登记文件已写入 {added.enrolment_path}：含一次性令牌，请妥善交给站点")
            return 0
        result = city_commands.import_bundle(database, arguments.file)
        target: Path = arguments.receipt or city_commands.receipt_path(arguments.file)
        target.write_bytes(result.receipt)
    except (CityError, SyncError) as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"{error.filename or arguments.file}：{error.strerror or error}")
    manifest = result.manifest
    done = "已接收" if result.stored else "此前已接收（内容未变，回执同上次）"
    print(
        f"站点 {manifest.station_id} 的数据包 {manifest.bundle_id} {done}：变更 "
        f"{manifest.change_from}–{manifest.change_to}，{manifest.record_count} 条"
    )
    print(f"回执已写入 {target}（交回站点导入）")
    return 0


def _run_window(arguments: argparse.Namespace) -> int:
    # Imported at the last moment: sub-commands never load Qt (a headless server runs calc).
    from zwdesk.app import run_app

    return run_app(arguments.window_db, demo=arguments.demo, language=arguments.lang)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `zwdesk` console script."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # Windows consoles default to a code page
            stream.reconfigure(encoding="utf-8")
    parser = _build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command == "calc":
        return _run_calc(arguments)
    if arguments.command == "import":
        return _run_import(arguments)
    if arguments.command == "export":
        return _run_export(arguments)
    if arguments.command == "claims":
        return _run_claims(arguments)
    if arguments.command == "sync":
        return _run_sync(arguments)
    if arguments.command == "city":
        return _run_city(arguments)
    if arguments.command == "check":
        return _run_check()
    return _run_window(arguments)
