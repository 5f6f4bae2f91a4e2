"""自检 (`zwdesk check`): every line names the check and says what is wrong in Chinese."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from tests.sync.conftest import MemoryKeyring
from tests.sync.conftest import memory_keyring as memory_keyring  # autouse: no real keychain
from zwdesk.pdf import fonts
from zwdesk.services.self_check import CheckResult, Verdict, run_self_check

ROOT = Path(__file__).resolve().parents[2]


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {result.name: result for result in results}


def test_a_complete_installation_passes_every_check(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    results = by_name(run_self_check(data_folder=tmp_path / "数据"))
    assert list(results) == [
        "政策参数文件", "示例数据", "申领表模块", "中文字体", "数据目录", "后台进程", "系统钥匙串",
    ]  # fmt: skip
    assert {result.verdict for result in results.values()} == {Verdict.OK}
    assert results["政策参数文件"].detail == "1 个，施行日期 2025-01-01"
    assert results["申领表模块"].detail.startswith("六项共")
    assert results["数据目录"].detail.endswith("可写")
    assert (tmp_path / "数据").is_dir() and not list((tmp_path / "数据").iterdir())  # no leftovers
    assert not memory_keyring.secrets  # nothing written to the keychain


def test_a_missing_font_and_an_unwritable_folder_fail_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "system_font_candidates", lambda: ("/nowhere/simsun.ttc",))
    monkeypatch.setattr(fonts, "shipped_fonts_dir", lambda: tmp_path / "no-fonts")
    occupied = tmp_path / "a-file"
    occupied.write_text("", encoding="utf-8")
    results = by_name(run_self_check(data_folder=occupied / "zwdesk"))
    assert results["中文字体"].verdict is Verdict.FAILED
    assert "找不到可嵌入的中文字体" in results["中文字体"].detail
    assert results["数据目录"].verdict is Verdict.FAILED
    assert results["数据目录"].detail.startswith(f"{occupied / 'zwdesk'} 不可写：")
    assert results["政策参数文件"].verdict is Verdict.OK  # the others are still checked


def test_without_the_pdf_package_printing_is_reported_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "zwdesk.pdf", None)
    result = by_name(run_self_check(data_folder=tmp_path))["申领表模块"]
    assert result.verdict is Verdict.FAILED
    assert result.detail.startswith("无法加载，不能打印（")


def test_no_keychain_is_a_warning_naming_sync(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())  # a machine without a keychain (memory_keyring restores)
    result = by_name(run_self_check(data_folder=tmp_path))["系统钥匙串"]
    assert result.verdict is Verdict.WARNING
    assert result.detail.startswith("无法同步：系统钥匙串不可用")


def test_zwdesk_check_prints_each_line_and_exits_1_on_a_failure(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()

    def check(data_home: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zwdesk", "check"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=tmp_path,
            env={
                "PYTHONPATH": str(ROOT),
                "PATH": "/usr/bin:/bin",
                "HOME": str(home),
                "XDG_DATA_HOME": str(data_home),  # where platformdirs puts the station's data
            },
            timeout=180,
            check=False,
        )

    fine = check(home / "data")
    assert fine.returncode == 0, fine.stdout + fine.stderr
    lines = fine.stdout.splitlines()
    assert lines[0] == "zwdesk 0.1.0 自检"
    assert "✓ 后台进程：可以启动（大批数据同步时使用）" in lines
    assert any(line.startswith("✓ 中文字体：") for line in lines)
    # This machine's keychain may or may not answer: either way the last line says so.
    assert lines[-1] in {"全部正常", "可以使用；1 项功能受限（见“!”行）"}

    not_a_folder = tmp_path / "data-is-a-file"
    not_a_folder.write_text("", encoding="utf-8")
    broken = check(not_a_folder)
    assert broken.returncode == 1
    assert any(line.startswith("✗ 数据目录：") for line in broken.stdout.splitlines())
    assert broken.stdout.splitlines()[-1] == "1 项有问题，请按上面的说明处理"
