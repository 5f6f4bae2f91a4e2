"""Freeze zwdesk into one folder with PyInstaller, check the frozen programs, and pack them."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "zwdesk.spec"
DEMO = ROOT / "resources" / "examples" / "demo-station.json"
WINDOWS = sys.platform == "win32"
EXE = ".exe" if WINDOWS else ""

# Unpacked on Linux, `./install.sh` puts the folder in the user's data folder, a menu entry
# (Exec needs an absolute path, so it is written there) and `zwdesk` on the user's PATH.
LINUX_INSTALL = """#!/bin/sh
# zwdesk for this user: the program folder, a menu entry, and the zwdesk command.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$data/zwdesk-program"
mkdir -p "$data"
rm -rf "$target"
cp -a "$here/zwdesk" "$target"
mkdir -p "$data/applications" "$HOME/.local/bin"
ln -sf "$target/zwdesk-cli" "$HOME/.local/bin/zwdesk"
cat > "$data/applications/zwdesk.desktop" <<ENTRY
[Desktop Entry]
Type=Application
Name=zwdesk
Name[zh_CN]=中卫劳务工作站
Comment=Workers, placements, subsidies and claim forms of a Zhongwei labour station
Comment[zh_CN]=人员、就业、回访、点对点输送、补贴测算与申领表
Exec=$target/zwdesk
Terminal=false
Categories=Office;
ENTRY
echo "zwdesk 已安装：$target（菜单：中卫劳务工作站；命令：zwdesk）"
"""


class CheckFailed(Exception):
    """A frozen program did not do what the same code does from source."""


def freeze(dist: Path, work: Path, font: Path | None) -> Path:
    """Run PyInstaller on installer/zwdesk.spec; the folder it made."""
    environment = dict(os.environ)
    if font is not None:
        environment["ZWDESK_SHIP_FONT"] = str(font.resolve())
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--clean"]
    command += ["--distpath", str(dist), "--workpath", str(work), "--log-level", "WARN"]
    subprocess.run(command, check=True, cwd=ROOT, env=environment)
    return dist / "zwdesk"


def _environment(home: Path) -> dict[str, str]:
    # A home of its own: the programs' user-data folder (demo database, settings) is not the
    # builder's, and no PYTHONPATH, so only what was frozen can be found.
    return {
        "HOME": str(home),
        "USERPROFILE": str(home),
        "APPDATA": str(home / "AppData" / "Roaming"),
        "LOCALAPPDATA": str(home / "AppData" / "Local"),
        "PATH": os.environ.get("PATH", ""),
        "SYSTEMROOT": os.environ.get("SYSTEMROOT", ""),
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    }


def _run(command: list[str], home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=home,
        env=_environment(home),
        timeout=timeout,
        check=False,
    )


def _expect(condition: bool, what: str, result: subprocess.CompletedProcess[str]) -> None:
    if not condition:
        output = f"--- stdout\n{result.stdout[-2000:]}\n--- stderr\n{result.stderr[-4000:]}"
        raise CheckFailed(f"{what}\n{output}")


def check(folder: Path) -> list[str]:
    """Run the frozen programs as a station would; the checks passed (CheckFailed if one fails)."""
    cli = str(folder / f"zwdesk-cli{EXE}")
    window = str(folder / f"zwdesk{EXE}")
    passed = []
    modules = _source_modules()
    missing = sorted(modules - _frozen_modules(Path(cli)))
    if missing:
        raise CheckFailed(f"modules not frozen: {', '.join(missing)}")
    passed.append(f"all {len(modules)} zwdesk modules frozen")
    with tempfile.TemporaryDirectory(prefix="zwdesk-frozen-") as temporary:
        home = Path(temporary)

        version = _run([cli, "--version"], home)
        _expect(
            version.returncode == 0 and bool(version.stdout.strip()), "--version failed", version
        )
        passed.append(f"zwdesk-cli --version: {version.stdout.strip()}")

        # 自检 as a clerk would run it; its 后台进程 line starts a spawn worker, which in a
        # frozen program works only through freeze_support() in zwdesk_entry.py.
        checked = _run([cli, "check"], home)
        lines = checked.stdout.splitlines()
        _expect(checked.returncode == 0, "zwdesk-cli check found a problem", checked)
        _expect("✓ 后台进程：可以启动（大批数据同步时使用）" in lines, "no spawn worker", checked)
        passed.append(f"zwdesk-cli check: {lines[-1] if lines else ''}")

        # calc: the frozen engine, parameter files and example give the bytes the source does.
        calc = ["calc", str(DEMO), "--as-of", "2025-12-31"]
        frozen = _run([cli, *calc], home)
        _expect(frozen.returncode == 0, "zwdesk-cli calc failed", frozen)
        source = subprocess.run(
            [sys.executable, "-m", "zwdesk", *calc],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            check=True,
        )
        _expect(frozen.stdout == source.stdout, "calc output differs from the source's", frozen)
        passed.append(f"calc of the demo station: same {len(frozen.stdout):,} characters")

        # Claim forms: a station database with the demo, a claim frozen and printed to PDF by
        # the frozen program (reportlab, the form templates and a Chinese font are all found).
        database = home / "station.db"
        _import_demo(database)
        db = ["--db", str(database)]
        claim = ["claims", "new", "--item", "3", "--org", "B1", "--year", "2025"]
        made = _run([cli, *claim, "--as-of", "2025-12-31", "--freeze", *db], home)
        _expect(made.returncode == 0, "claims new --freeze failed", made)
        number = _claim_number(database)
        out = home / "forms-out"
        printed = _run([cli, "claims", "print", number, "--out", str(out), *db], home)
        _expect(printed.returncode == 0, "claims print failed", printed)
        pdfs = sorted(out.glob("*.pdf"))
        _expect(bool(pdfs), "claims print wrote no PDF", printed)
        text = _pdf_text(pdfs[0])
        if text is not None:
            _expect(number in text, f"{pdfs[0].name} does not show {number}", printed)
        passed.append(
            f"claim {number} printed: {len(pdfs)} PDF(s)"
            + (", text read back" if text is not None else "")
        )

        # The window: starts on the demo station and keeps running (no missing Qt plugin,
        # translation or resource stops it); stopped after a while.
        passed.append(_check_window(window, home))
    return passed


def _source_modules() -> set[str]:
    """zwdesk's modules, by the source tree's files."""
    modules = set()
    for path in (ROOT / "zwdesk").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        modules.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def _frozen_modules(program: Path) -> set[str]:
    """zwdesk's modules in the program's embedded module archive (PYZ)."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(program)).open_embedded_archive("PYZ.pyz")
    return {name for name in archive.toc if name == "zwdesk" or name.startswith("zwdesk.")}


def _import_demo(database: Path) -> None:
    # The builder's own Python (the source tree) makes the station database the frozen
    # program then reads: what a station does with an imported roster.
    code = (
        "import sys; from pathlib import Path;"
        "from zwdesk.services.calc_service import read_scenario_file;"
        "from zwdesk.services.station_scenario_service import import_scenario;"
        "from zwdesk.storage.database import open_station_database;"
        "db = open_station_database(Path(sys.argv[1]));"
        "import_scenario(db, read_scenario_file(Path(sys.argv[2])), actor='installer');"
        "db.close()"
    )
    subprocess.run([sys.executable, "-c", code, str(database), str(DEMO)], check=True, cwd=ROOT)


def _claim_number(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT claim_number FROM claims WHERE claim_number IS NOT NULL ORDER BY id DESC"
        ).fetchone()
    if row is None:
        raise CheckFailed("claims new --freeze recorded no claim number")
    return str(row[0])


def _pdf_text(pdf: Path) -> str | None:
    """The PDF's text by poppler's pdftotext, or None where it is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    done = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


def _check_window(window: str, home: Path, seconds: float = 20) -> str:
    process = subprocess.Popen(
        [window, "--demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=home,
        env=_environment(home),
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.5)
    still_running = process.poll() is None
    if still_running:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    stdout, stderr = process.communicate()
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    _expect(still_running, "the window stopped by itself", result)
    _expect("Traceback" not in stderr, "the window printed a Python error", result)
    return f"window on the demo station: running after {seconds:.0f} s"


def pack(folder: Path, dist: Path, version: str) -> Path:
    """One archive a station unpacks: .zip on Windows, .tar.gz elsewhere."""
    machine = platform.machine().lower() or "unknown"
    system = "windows" if WINDOWS else sys.platform
    stem = f"zwdesk-{version}-{system}-{machine}"
    if WINDOWS:
        archive = dist / f"{stem}.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
            for path in sorted(folder.rglob("*")):
                packed.write(path, Path("zwdesk") / path.relative_to(folder))
        return archive
    installer = dist / "install.sh"
    installer.write_text(LINUX_INSTALL, encoding="utf-8")
    installer.chmod(0o755)
    archive = dist / f"{stem}.tar.gz"
    with tarfile.open(archive, "w:gz") as packed:
        packed.add(folder, arcname=f"{stem}/zwdesk")
        packed.add(installer, arcname=f"{stem}/install.sh")
    return archive


def _folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def main(argv: list[str] | None = None) -> int:
    """`python installer/build.py [--font PATH] [--no-check] [--no-pack]`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work")
    parser.add_argument("--font", type=Path, help="a TrueType CJK font to ship (.ttf/.ttc)")
    parser.add_argument("--no-check", action="store_true", help="do not run the frozen programs")
    parser.add_argument("--no-pack", action="store_true", help="do not make the archive")
    arguments = parser.parse_args(argv)
    if arguments.font is not None and arguments.font.suffix.lower() not in {".ttf", ".ttc"}:
        parser.error("--font: a TrueType font (.ttf or .ttc) is needed: reportlab embeds no CFF")

    started = time.perf_counter()
    folder = freeze(arguments.dist, arguments.work, arguments.font)
    print(f"frozen: {folder} ({_folder_size(folder) / 2**20:.0f} MiB) "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    if not arguments.no_check:
        try:
            for line in check(folder):
                print(f"  ok  {line}")
        except CheckFailed as failure:
            print(f"CHECK FAILED: {failure}", file=sys.stderr)
            return 1
    if not arguments.no_pack:
        from zwdesk import __version__

        archive = pack(folder, arguments.dist, __version__)
        print(f"packed: {archive} ({archive.stat().st_size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
