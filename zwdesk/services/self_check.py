"""自检: whether this installation has what a station needs, in words a clerk can read out."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from zwdesk.services.claim_service import pdf_import_problem
from zwdesk.services.policy_files import shipped_parameter_files
from zwdesk.services.resource_paths import examples_dir, resources_dir
from zwdesk.storage.database import default_database_path
from zwdesk.sync.errors import KeychainUnavailableError
from zwdesk.sync.keychain import Keychain


class Verdict(Enum):
    """How one check came out."""

    OK = "✓"
    WARNING = "!"  # the station works; one feature (named) does not
    FAILED = "✗"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One line of the self-check."""

    name: str
    verdict: Verdict
    detail: str


def run_self_check(
    worker_timeout: float = 120.0, data_folder: Path | None = None
) -> list[CheckResult]:
    """Every check, in order; none raises (a failure is a FAILED line with the reason)."""
    folder = data_folder if data_folder is not None else default_database_path().parent
    checks: list[tuple[str, Callable[[], tuple[Verdict, str]]]] = [
        ("政策参数文件", _parameter_files),
        ("示例数据", _example),
        ("申领表模块", _forms),
        ("中文字体", _font),
        ("数据目录", lambda: _data_folder(folder)),
        ("后台进程", lambda: _worker_process(worker_timeout)),
        ("系统钥匙串", _keychain),
    ]
    results = []
    for name, check in checks:
        try:
            verdict, detail = check()
        except Exception as error:  # a check that breaks is a failed check, not a crash
            verdict, detail = Verdict.FAILED, f"{type(error).__name__}: {error}"
        results.append(CheckResult(name, verdict, detail))
    return results


def _parameter_files() -> tuple[Verdict, str]:
    files = shipped_parameter_files()
    if not files:
        return Verdict.FAILED, f"{resources_dir()} 中没有参数文件"
    dates = "、".join(sorted(str(parameters.effective_from) for parameters in files.values()))
    return Verdict.OK, f"{len(files)} 个，施行日期 {dates}"


def _example() -> tuple[Verdict, str]:
    demo = examples_dir() / "demo-station.json"
    if not demo.is_file():
        return Verdict.WARNING, f"缺少 {demo}（仅影响演示）"
    return Verdict.OK, str(demo)


def _forms() -> tuple[Verdict, str]:
    problem = pdf_import_problem()
    if problem:
        return Verdict.FAILED, f"无法加载，不能打印（{problem}）"
    from zwdesk.pdf import available_forms

    counts = [len(available_forms(item)) for item in range(1, 7)]
    if not all(counts):
        missing = "、".join(f"第{item}项" for item, count in enumerate(counts, 1) if not count)
        return Verdict.FAILED, f"缺少表单模板：{missing}"
    return Verdict.OK, f"六项共 {sum(counts)} 种表单"


def _font() -> tuple[Verdict, str]:
    from zwdesk.pdf.errors import FontNotFoundError
    from zwdesk.pdf.fonts import find_font

    try:
        return Verdict.OK, str(find_font())
    except FontNotFoundError as error:
        return Verdict.FAILED, str(error)


def _data_folder(folder: Path) -> tuple[Verdict, str]:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".zwdesk-self-check-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        return Verdict.FAILED, f"{folder} 不可写：{error.strerror}"
    return Verdict.OK, f"{folder} 可写"


def _worker_process(timeout: float) -> tuple[Verdict, str]:
    # The city's merge and the station's bundle builder hand big jobs to a `spawn` worker:
    # in a frozen program that is the same executable started again, which only works when
    # its entry calls multiprocessing.freeze_support(). One round trip proves it.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        answer = pool.submit(worker_echo, "中卫").result(timeout=timeout)
    if answer != "中卫:ok":
        return Verdict.FAILED, f"后台进程答复有误：{answer!r}"
    return Verdict.OK, "可以启动（大批数据同步时使用）"


def worker_echo(text: str) -> str:
    """Run in the spawned worker: the text back, marked."""
    return f"{text}:ok"


def _keychain() -> tuple[Verdict, str]:
    # Only asked whether it answers (a name nobody stores): no secret is read or written.
    try:
        Keychain().get("self-check")
    except KeychainUnavailableError as error:
        return Verdict.WARNING, f"无法同步：{error}"
    return Verdict.OK, "可用（同步密钥保存在此）"
