"""The log, the crash handlers and 关于: what a user can send when something goes wrong."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app import __version__
from app.views import diagnostics


def test_info_log_and_the_unhandled_error_message(qapp: QApplication, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    monkeypatch.setattr(diagnostics, "log_folder", lambda: tmp_path / "logs")
    try:
        path = diagnostics.setup_logging()
        logging.getLogger("app.services.district.issue").info("issue: 8 packet(s)")
        try:
            raise ValueError("坏的值")
        except ValueError as exc:
            diagnostics.excepthook(ValueError, exc, exc.__traceback__)
        text = path.read_text("utf-8")
        assert "issue: 8 packet(s)" in text
        assert "unhandled error" in text and "ValueError: 坏的值" in text
        box = diagnostics._boxes[-1]
        assert "程序出错,已记录" in box.text() and str(tmp_path / "logs") in box.text()
        assert "打开日志文件夹" in [b.text() for b in box.buttons()]
        box.close()
    finally:
        for h in root.handlers[:]:
            if h not in before[0]:
                root.removeHandler(h)
                h.close()
        root.setLevel(before[1])


def test_a_hard_crash_is_written_to_the_crash_log(tmp_path: Path) -> None:
    code = ("import faulthandler, sys\n"
            "from pathlib import Path\n"
            "from app.views import diagnostics\n"
            f"diagnostics.install_crash_handlers(Path({str(tmp_path)!r}))\n"
            "faulthandler._sigsegv()\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          timeout=120)
    assert done.returncode != 0
    assert "Fatal Python error" in (tmp_path / diagnostics.CRASH_NAME).read_text("utf-8")


def test_about_names_version_and_folders(qapp: QApplication) -> None:
    box = diagnostics.show_about(None)
    text = box.text()
    assert __version__ in text
    assert str(diagnostics.data_folder()) in text and str(diagnostics.log_folder()) in text
    assert "打开日志文件夹" in [b.text() for b in box.buttons()]
    box.close()


def test_each_window_shows_its_roles_guide_first(qtbot: object, tianning: object,
                                                 tmp_path: Path) -> None:
    from app.services.db import open_database
    from app.services.district.issue import issue_packets
    from app.services.office import opening as office
    from app.views.main_window import MainWindow
    from app.views.office.window import OfficeWindow

    district = MainWindow(tianning)  # type: ignore[arg-type]
    qtbot.addWidget(district)  # type: ignore[attr-defined]
    district.guide_action.trigger()
    guide = district.guide
    assert guide.tabs.tabText(0) == "区创建办"
    assert "下发" in guide.browsers["district"].toPlainText()
    assert "导出报送包" in guide.browsers["office"].toPlainText()
    guide.close()

    packet = issue_packets(tianning, "2021-05", tmp_path / "out",  # type: ignore[arg-type]
                           units=["青龙街道"]).packets[0].path
    db = open_database(tmp_path / "o.db")
    office.open_packet(db, packet)
    clerk = OfficeWindow(db)
    qtbot.addWidget(clerk)  # type: ignore[attr-defined]
    clerk.guide_action.trigger()
    assert clerk.guide.tabs.tabText(0) == "单位填报"
    assert "使用说明 · 单位填报" in clerk.guide.browsers["office"].toPlainText()
    clerk.guide.close()
    clerk.close()
    db.dispose()


def test_about_opens_the_third_party_notices_of_the_bundle(
        qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the bundle THIRD-PARTY-NOTICES.txt sits in PyInstaller's data folder; 关于 offers
    it first among the licence texts, readable in the program."""
    (tmp_path / diagnostics.NOTICES_NAME).write_text(
        "台账 Taizhang — third-party notices\nPySide6_Essentials 6.11.3 — LGPL-3.0-only\n",
        "utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    box = diagnostics.show_about(None)
    assert str(tmp_path / diagnostics.NOTICES_NAME) in box.text()
    button = next(b for b in box.buttons() if b.text() == "第三方组件许可…")
    button.click()
    dialog = next(d for d in qapp.topLevelWidgets()
                  if isinstance(d, diagnostics.LicencesDialog) and d.isVisible())
    assert dialog.tabs.tabText(0) == diagnostics.NOTICES_NAME
    assert "LGPL-3.0-only" in dialog.tabs.widget(0).toPlainText()
    assert "LICENSE" in [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    dialog.reject()
    assert dialog not in diagnostics._boxes


def test_about_says_where_the_notices_come_from_when_run_from_source(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagnostics, "notices_file", lambda: None)
    box = diagnostics.show_about(None)
    assert "THIRD-PARTY-NOTICES.txt" in box.text() and "随安装包" in box.text()
    box.close()
