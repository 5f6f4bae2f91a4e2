"""Failures shown to the clerk as one Chinese sentence in a message box, never a traceback."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from zwdesk.ui.i18n import tr

logger = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A modal error box; the message is already the clerk's language."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok)
    if parent is not None:
        box.setParent(parent, box.windowFlags())
    box.exec()


def show_unexpected(parent: QWidget | None, title: str, error: BaseException) -> None:
    """A bug, not a user error: say so plainly; only the exception type goes to the log."""
    logger.error("%s failed: %s", title, type(error).__name__)
    show_error(
        parent,
        title,
        tr("操作未完成，出现意外错误（{kind}）。数据库未被修改。").format(
            kind=type(error).__name__
        ),
    )
