"""`zwdesk claims` end to end, in a subprocess, over a station database holding the demo."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from zwdesk.services.calc_service import read_scenario_file
from zwdesk.services.claim_service import find_renderer
from zwdesk.services.station_scenario_service import import_scenario
from zwdesk.storage.database import open_station_database

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources" / "examples" / "demo-station.json"
FULL_ID = re.compile(r"\d{17}[\dX]")


def zwdesk(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "zwdesk", *map(str, arguments)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        timeout=120,
    )
    assert not FULL_ID.search(result.stdout + result.stderr), "a full ID number was printed"
    return result


@pytest.fixture
def station(tmp_path: Path) -> Path:
    path = tmp_path / "station.db"
    with open_station_database(path) as database:
        import_scenario(database, read_scenario_file(DEMO), actor="测试")
    return path


def ledger_lines(database: Path, number: str) -> int:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT count(*) FROM claims WHERE claim_number = ? AND deleted_at IS NULL", (number,)
        ).fetchone()
    return int(row[0])


def test_draft_freeze_sign_submit_pay(station: Path, tmp_path: Path) -> None:
    db = ("--db", station)
    draft = zwdesk("claims", "new", "--item", "3", "--org", "B1", "--year", "2025",
                   "--as-of", "2025-12-31", "--explain", *db, cwd=tmp_path)  # fmt: skip
    assert draft.returncode == 0, draft.stderr
    assert "申领草稿：第三项" in draft.stdout and "共 25 行" in draft.stdout
    assert "尚未冻结" in draft.stdout
    assert "640521********" in draft.stdout
    assert zwdesk("claims", "list", *db, cwd=tmp_path).stdout.strip() == "没有申领单"

    frozen = zwdesk("claims", "new", "--item", "3", "--org", "B1", "--year", "2025",
                    "--as-of", "2025-12-31", "--exclude", "2=本人已离职", "--freeze", *db,
                    cwd=tmp_path)  # fmt: skip
    assert frozen.returncode == 0, frozen.stderr
    assert "已冻结申领单 2025-中宁-B1-002：24 行" in frozen.stdout
    assert "排除 1 行" in frozen.stdout
    number = "2025-中宁-B1-002"
    assert ledger_lines(station, number) == 24

    shown = zwdesk("claims", "show", number, *db, cwd=tmp_path)
    assert "原因：本人已离职" in shown.stdout and "摘要（SHA-256）" in shown.stdout

    listed = zwdesk("claims", "list", *db, cwd=tmp_path)
    assert f"{number}  第3项  B1  2025年  草稿  24行" in listed.stdout

    refused = zwdesk("claims", "state", number, "已提交", *db, cwd=tmp_path)
    assert refused.returncode == 2
    assert "当前为“草稿”，不能改为“已提交”" in refused.stderr

    assert zwdesk("claims", "state", number, "已打印", *db, cwd=tmp_path).returncode == 0
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8 signed pages")
    signed = zwdesk("claims", "state", number, "已签字", "--attach", scan, *db, cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    assert "签字页 scan.jpg（SHA-256" in signed.stdout
    assert zwdesk("claims", "state", number, "已提交", *db, cwd=tmp_path).returncode == 0
    too_late = zwdesk("claims", "cancel", number, "--reason", "填错", *db, cwd=tmp_path)
    assert too_late.returncode == 2 and "不能再作废" in too_late.stderr
    paid = zwdesk("claims", "state", number, "已拨付", *db, cwd=tmp_path)
    assert "已改为“已拨付”" in paid.stdout
    assert ledger_lines(station, number) == 24


def test_cancel_restores_the_ledger(station: Path, tmp_path: Path) -> None:
    db = ("--db", station)
    frozen = zwdesk("claims", "new", "--item", "5", "--org", "B1", "--batch", "C1",
                    "--as-of", "2025-12-31", "--freeze", *db, cwd=tmp_path)  # fmt: skip
    assert "已冻结申领单 2025-中宁-B1-002" in frozen.stdout
    again = zwdesk("claims", "new", "--item", "5", "--org", "B1", "--batch", "C1",
                   "--as-of", "2025-12-31", *db, cwd=tmp_path)  # fmt: skip
    assert "没有应付金额大于0的行" in again.stdout

    cancelled = zwdesk("claims", "cancel", "2025-中宁-B1-002", "--reason", "重复申报", *db,
                       cwd=tmp_path)  # fmt: skip
    assert "已改为“已作废”，其金额不再计为已申领" in cancelled.stdout
    assert ledger_lines(station, "2025-中宁-B1-002") == 0
    restored = zwdesk("claims", "new", "--item", "5", "--org", "B1", "--batch", "C1",
                      "--as-of", "2025-12-31", *db, cwd=tmp_path)  # fmt: skip
    assert "合计 42,000.00 元" in restored.stdout


def test_print_uses_the_renderer_or_says_it_is_missing(station: Path, tmp_path: Path) -> None:
    db = ("--db", station)
    zwdesk("claims", "new", "--item", "6", "--org", "G2", "--year", "2025",
           "--as-of", "2025-12-31", "--freeze", *db, cwd=tmp_path)  # fmt: skip
    printed = zwdesk("claims", "print", "2025-中宁-G2-001", "--out", tmp_path / "pdf", *db,
                     cwd=tmp_path)  # fmt: skip
    state = zwdesk("claims", "list", *db, cwd=tmp_path).stdout
    if find_renderer() is None:
        assert printed.returncode == 2
        assert "PDF 申领表生成模块（zwdesk.pdf）无法加载" in printed.stderr
        assert "草稿" in state
    else:
        assert printed.returncode == 0, printed.stderr
        assert list((tmp_path / "pdf").glob("*.pdf"))
        assert "已打印" in state


def test_bad_input_exits_2_with_a_chinese_line(station: Path, tmp_path: Path) -> None:
    db = ("--db", station)
    wrong_kind = zwdesk("claims", "new", "--item", "1", "--org", "B1", "--year", "2025", *db,
                        cwd=tmp_path)  # fmt: skip
    assert wrong_kind.returncode == 2
    assert wrong_kind.stderr.startswith("zwdesk: 错误：")
    unknown = zwdesk("claims", "show", "2025-X-1", *db, cwd=tmp_path)
    assert unknown.returncode == 2 and "申领单2025-X-1不存在" in unknown.stderr
    missing = zwdesk("claims", "list", "--db", tmp_path / "none.db", cwd=tmp_path)
    assert missing.returncode == 2 and "不存在" in missing.stderr
    bad_exclude = zwdesk("claims", "new", "--item", "3", "--org", "B1", "--year", "2025",
                         "--as-of", "2025-12-31", "--exclude", "5", *db, cwd=tmp_path)  # fmt: skip
    assert bad_exclude.returncode == 2 and "行=原因" in bad_exclude.stderr
