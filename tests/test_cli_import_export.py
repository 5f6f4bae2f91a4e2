"""`zwdesk import` and `zwdesk export` end to end, in a subprocess, over real files."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.services.roster.builders import good_row, person_id, write_xlsx

ROOT = Path(__file__).resolve().parent.parent


def zwdesk(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zwdesk", *map(str, arguments)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)},
        timeout=120,
    )


def roster(path: Path) -> Path:
    """Two good rows, and one with a bad checksum, a bad phone and an unknown organiser."""
    wrong = person_id(3)[:-1] + ("0" if person_id(3)[-1] != "0" else "1")
    return write_xlsx(
        path,
        [
            good_row(1),
            good_row(2),
            good_row(3, 身份证号=wrong, 联系电话="1381234567", 组织者="某某劳务"),
        ],
    )


def table_rows(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("workers", "placements", "audit_log")
        }


def test_import_prints_a_chinese_summary_and_masks_personal_data(tmp_path: Path) -> None:
    source = roster(tmp_path / "花名册.xlsx")
    database = tmp_path / "station.db"

    result = zwdesk("import", source, "--db", database, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "人员：新增 2，更新 0，未变 0" in out
    assert "就业记录：新增 2，更新 0，未变 0" in out
    assert "拒绝 1 行" in out
    assert "第4行 D列 身份证号：" in out
    assert "第4行 G列 联系电话：" in out
    assert "1 行有错误，未导入" in out
    assert "花名册.错误.xlsx" in out
    assert person_id(3)[:17] not in out and "1381234567" not in out
    assert table_rows(database)["workers"] == 2
    assert (tmp_path / "花名册.错误.xlsx").exists()


def test_importing_twice_creates_nothing_new(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "r.xlsx", [good_row(1), good_row(2)])
    database = tmp_path / "station.db"
    zwdesk("import", source, "--db", database, cwd=tmp_path)
    before = table_rows(database)

    result = zwdesk("import", source, "--db", database, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "人员：新增 0，更新 0，未变 2" in result.stdout
    assert "就业记录：新增 0，更新 0，未变 2" in result.stdout
    assert table_rows(database) == before


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    source = roster(tmp_path / "r.xlsx")
    database = tmp_path / "station.db"

    missing = zwdesk("import", source, "--db", database, "--dry-run", cwd=tmp_path)
    assert missing.returncode == 0, missing.stderr
    assert "将新增 2" in missing.stdout and "试运行，数据库未改动" in missing.stdout
    assert not database.exists()

    zwdesk(
        "import", write_xlsx(tmp_path / "one.xlsx", [good_row(1)]), "--db", database, cwd=tmp_path
    )
    (tmp_path / "r.错误.xlsx").unlink(missing_ok=True)
    before = database.read_bytes(), table_rows(database)
    result = zwdesk("import", source, "--db", database, "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "人员：将新增 1，将更新 0，未变 1" in result.stdout
    assert table_rows(database) == before[1]
    assert not (tmp_path / "r.错误.xlsx").exists()


def test_rejects_path_option(tmp_path: Path) -> None:
    source = roster(tmp_path / "r.xlsx")
    rejects = tmp_path / "errors.xlsx"

    result = zwdesk("import", source, "--db", tmp_path / "s.db", "--rejects", rejects, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    sheet = openpyxl.load_workbook(rejects).active
    header = next(sheet.iter_rows(values_only=True))
    assert header[-1] == "错误原因"
    assert not (tmp_path / "r.错误.xlsx").exists()


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"PK but not really")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    for name in ("broken.xlsx", "notes.pdf", "missing.xlsx"):
        result = zwdesk("import", tmp_path / name, "--db", tmp_path / "s.db", cwd=tmp_path)
        assert result.returncode == 2, (name, result.stdout)
        assert result.stderr.startswith("zwdesk: 错误：")
        assert len(result.stderr.strip().splitlines()) == 1


def test_export_refuses_a_missing_database(tmp_path: Path) -> None:
    result = zwdesk("export", tmp_path / "out.xlsx", "--db", tmp_path / "none.db", cwd=tmp_path)

    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "不存在" in result.stderr
    assert not (tmp_path / "none.db").exists()
    assert not (tmp_path / "out.xlsx").exists()


def test_export_then_import_into_a_new_database(tmp_path: Path) -> None:
    database = tmp_path / "station.db"
    zwdesk("import", roster(tmp_path / "r.xlsx"), "--db", database, cwd=tmp_path)
    exported = tmp_path / "导出.xlsx"

    result = zwdesk("export", exported, "--db", database, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "人员 2 人，就业记录 2 条" in result.stdout
    again = zwdesk("import", exported, "--db", tmp_path / "copy.db", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "人员：新增 2" in again.stdout and "就业记录：新增 2" in again.stdout
    assert "拒绝 0 行" in again.stdout
