"""Bring zwdesk_en.ts up to date with the source texts, then compile zwdesk_en.qm.

    .venv/bin/python resources/translations/update_translations.py

Texts come from `zwdesk.ui.i18n.source_texts()` (pyside6-lupdate cannot see the module-level
`tr`). Existing translations are kept; a new text is added as unfinished (fill it in with
pyside6-linguist or by hand, then run this again); a text no longer in the source is dropped.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from zwdesk.ui.i18n import CONTEXT, source_texts  # noqa: E402

TS_FILE = HERE / "zwdesk_en.ts"


def known_translations(path: Path) -> dict[str, str]:
    """source → finished translation."""
    if not path.exists():
        return {}
    found: dict[str, str] = {}
    for message in ElementTree.parse(path).getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source")
        finished = translation is not None and translation.get("type") != "unfinished"
        if source and finished and translation is not None and translation.text:
            found[source] = translation.text
    return found


def write_ts(path: Path, texts: list[str], translations: dict[str, str]) -> int:
    """Write the .ts file; returns how many texts have no translation yet."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        '<TS version="2.1" language="en_GB" sourcelanguage="zh_CN">',
        "<context>",
        f"    <name>{CONTEXT}</name>",
    ]
    missing = 0
    for text in texts:
        english = translations.get(text)
        missing += english is None
        shown = (
            f"<translation>{escape(english)}</translation>"
            if english is not None
            else '<translation type="unfinished"></translation>'
        )
        lines += [
            "    <message>",
            f"        <source>{escape(text)}</source>",
            f"        {shown}",
            "    </message>",
        ]
    lines += ["</context>", "</TS>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return missing


def main() -> int:
    missing = write_ts(TS_FILE, source_texts(), known_translations(TS_FILE))
    release = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if release is None:
        print("pyside6-lrelease not found next to this Python", file=sys.stderr)
        return 1
    subprocess.run([release, str(TS_FILE), "-qm", str(TS_FILE.with_suffix(".qm"))], check=True)
    print(f"{TS_FILE.name}: {missing} text(s) still untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
