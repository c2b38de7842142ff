"""The window steps of `taizhang --self-test` (the service steps are in app.cli.selftest).

The windows are opened offscreen, so the self-test runs without a display (a build
machine, `env -i`) and never flashes a window on a clerk's screen; the user's own
settings are put aside in a temporary folder so that a self-test leaves no trace.
"""

from __future__ import annotations

import os
import sys
import tempfile
from typing import Any

from PySide6.QtCore import QMessageLogContext, QSettings, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMainWindow

from app.services.db import open_database


def _quiet_offscreen(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
    """Qt's messages on stderr, less the offscreen platform's harmless size-hint notice."""
    if "does not support propagateSizeHints" not in message:
        print(message, file=sys.stderr)


def prepare_application() -> QApplication:
    """The offscreen QApplication the whole self-test shares (the PDF step reuses it)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    qInstallMessageHandler(_quiet_offscreen)
    folder = tempfile.mkdtemp(prefix="taizhang-selftest-settings-")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
    from app.views.app import make_application

    return make_application(["taizhang"])


def _show_and_close(window: QMainWindow) -> str:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.show()
    app.processEvents()
    if not window.isVisible():
        raise RuntimeError(f"{type(window).__name__} 没有显示")
    image = window.grab().toImage()
    if image.isNull() or image.width() < 200 or image.height() < 200:
        raise RuntimeError(f"{type(window).__name__} 画出的图像为空或过小:{image.size()}")
    if window.windowIcon().isNull():
        raise RuntimeError("窗口没有图标(app/resources/icons/taizhang.png 缺失?)")
    title = window.windowTitle()
    size = f"{image.width()}×{image.height()}"
    if not window.close():
        raise RuntimeError(f"{type(window).__name__} 未能关闭")
    window.deleteLater()
    app.processEvents()
    from app.views import ops

    if not ops.shutdown():
        raise RuntimeError("关闭窗口后仍有后台任务未结束")
    return f"“{title}” {size}"


def step_district_window(ctx: Any) -> str:
    from app.views.app import main_window_for

    db = open_database(ctx.district_db, create=False)
    try:
        window = main_window_for(db)
        if type(window).__name__ != "MainWindow":
            raise RuntimeError(f"区创建办数据库打开的是 {type(window).__name__}")
        return _show_and_close(window)
    finally:
        db.dispose()


def step_office_window(ctx: Any) -> str:
    from app.views.app import main_window_for

    db = open_database(ctx.office_db, create=False)
    try:
        window = main_window_for(db)
        if type(window).__name__ != "OfficeWindow":
            raise RuntimeError(f"单位填报库打开的是 {type(window).__name__}")
        return _show_and_close(window)
    finally:
        db.dispose()


def step_qt_chinese(_ctx: Any) -> str:
    """Qt's own dialogs speak Chinese: qtbase_zh_CN is shipped and found, and the labels
    it lacks are supplied (the bundle keeps only that one Qt catalogue)."""
    from PySide6.QtCore import QCoreApplication

    from app.views.i18n import install_qt_chinese, qt_translation_folders

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    installed = install_qt_chinese(app)
    try:
        if len(installed) < 2:
            folders = "、".join(str(f) for f in qt_translation_folders())
            raise RuntimeError(f"找不到 qtbase_zh_CN.qm(查找了 {folders})")
        texts = [QCoreApplication.translate("QFileDialog", s)
                 for s in ("&Look in:", "File &name:", "Files of &type:")]
        if any(t.isascii() for t in texts):
            raise RuntimeError(f"文件对话框的标签没有译成中文:{texts}")
        return "、".join(texts)
    finally:
        for translator in installed:
            app.removeTranslator(translator)


WINDOW_STEPS = [
    ("Qt 对话框使用中文", step_qt_chinese),
    ("打开并关闭区创建办主窗口", step_district_window),
    ("打开并关闭单位填报窗口", step_office_window),
]
