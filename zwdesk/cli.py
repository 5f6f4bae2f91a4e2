"""The `zwdesk` command: sub-commands over the same services the window uses."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from zwdesk import __version__
from zwdesk.domain.dates import parse_iso_date
from zwdesk.domain.policy.parameters import PolicyParameterError
from zwdesk.domain.scenario_parser import ScenarioError
from zwdesk.services.calc_service import (
    calculate,
    collector_paused,
    display_names,
    read_scenario_file,
)
from zwdesk.services.policy_files import default_schedule, load_schedule_from
from zwdesk.services.results_format import results_table, write_results_json
from zwdesk.services.station_scenario_service import StationDatabaseError, read_station_database

EXIT_BAD_INPUT = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zwdesk",
        description="中卫劳务工作站桌面端 — 人员、就业、回访、点对点输送与各项补贴测算",
    )
    parser.add_argument("--version", action="version", version=f"zwdesk {__version__}")
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
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `zwdesk` console script."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):  # Windows consoles default to a code page
            stream.reconfigure(encoding="utf-8")
    parser = _build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command == "calc":
        return _run_calc(arguments)
    parser.print_help()
    return 0
