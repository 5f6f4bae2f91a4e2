"""Translatable UI text: Simplified Chinese in the source, English from resources/translations.

Every text goes through `tr` (QCoreApplication.translate in the one context "zwdesk"), as a
string literal so it can be found; a text kept in a table and translated later is written
`translatable("…")`. `source_texts()` finds them all, with the labels of the domain's enums, for
resources/translations/update_translations.py and the test that every text has a translation.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication

CONTEXT = "zwdesk"
_MARKERS = frozenset({"tr", "translatable"})


def tr(text: str) -> str:
    """`text` (Chinese) in the language loaded into the application (unchanged for zh)."""
    return QCoreApplication.translate(CONTEXT, text)


def translatable(text: str) -> str:
    """Marks `text` for translation where it is defined; `tr` translates it where it is shown."""
    return text


def _text(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _literal_texts(path: Path) -> Iterator[str]:
    """tr("…"), translatable("…"), translate("zwdesk", "…"), and `tr(h) for h in ("…", …)`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            function = node.func
            if isinstance(function, ast.Name) and function.id in _MARKERS:
                text = _text(node.args[0])
            elif isinstance(function, ast.Attribute) and function.attr == "translate":
                text = _text(node.args[-1])
            else:
                continue
            if text is not None:
                yield text
        elif isinstance(node, (ast.GeneratorExp, ast.ListComp)):
            element, loops = node.elt, node.generators
            translated = (
                isinstance(element, ast.Call)
                and isinstance(element.func, ast.Name)
                and element.func.id == "tr"
            )
            if translated and len(loops) == 1 and isinstance(loops[0].iter, (ast.Tuple, ast.List)):
                for item in loops[0].iter.elts:
                    text = _text(item)
                    if text is not None:
                        yield text


def source_texts() -> list[str]:
    """Every text the window translates, in first-seen order: literals in zwdesk/ui and
    zwdesk/app.py, and the enum labels and county names that are translated at run time."""
    from zwdesk.domain.model import FollowUpMethod, FollowUpResult, OrganisationKind, TargetGroup
    from zwdesk.services.jurisdiction import local_counties
    from zwdesk.ui import worker_detail
    from zwdesk.ui.worker_table_model import WorkerTableModel

    package = Path(__file__).resolve().parent.parent
    files = [*sorted((package / "ui").glob("*.py")), package / "app.py"]
    texts = [text for path in files for text in _literal_texts(path)]
    texts += list(WorkerTableModel.COLUMNS)
    texts += [*worker_detail._TABLES.values(), *worker_detail._OPERATIONS.values()]
    texts += [kind.label for kind in OrganisationKind]
    texts += [method.value for method in FollowUpMethod]
    texts += [result.value for result in FollowUpResult]
    texts += [group.label for group in TargetGroup]
    texts += [name for _code, name in local_counties()]
    return list(dict.fromkeys(texts))
