"""Screenshots of the two first-run paths, as a new user meets them (for the README).

    LANG=zh_CN.UTF-8 xvfb-run -a -s "-screen 0 1400x900x24" \
        python tools/first_run_screenshots.py --out-dir docs/images

(LANG: the file dialog's sizes and dates follow the system locale, as on a Chinese desktop.)

Runs with an empty home (a temporary folder for data and settings), in Chinese:
* first-run-district.png — 欢迎 › 区创建办 › 导入方案工作簿…: the district's new database with
  the plan import wizard previewing a 任务分解表 (tests/fixtures/plans/tianning_annex.xlsx);
* file-dialog.png — 欢迎 › 单位填报 › 打开收到的下发包…: the file dialog (Qt's own here, in
  Chinese, names whole) in a folder of issued packets;
* first-run-office.png — the clerk's window that follows, with the note of what was loaded.
The screen is grabbed (dialogs are windows of their own), so run it under Xvfb.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOME = Path(tempfile.mkdtemp(prefix="taizhang-first-run-"))
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(HOME / var.lower())
os.environ["HOME"] = str(HOME)

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QWidget,
)

from app.services.db import open_database  # noqa: E402
from app.services.district.issue import issue_packets  # noqa: E402
from app.services.plans.examples import load_example  # noqa: E402
from app.views import app as app_module  # noqa: E402
from app.views.app import install_translator, make_application, show_welcome  # noqa: E402
from app.views.database_menu import requests  # noqa: E402
from app.views.widgets import dialogs  # noqa: E402

PLAN_WORKBOOK = ROOT / "tests" / "fixtures" / "plans" / "tianning_annex.xlsx"
PERIOD = "2021-05"
UNIT = "青龙街道"


def grab(app: QApplication, path: Path) -> None:
    app.processEvents()
    screen = app.primaryScreen()
    screen.grabWindow(0).save(str(path))
    print(path)


def later(ms: int, fn: Callable[[], None]) -> None:
    QTimer.singleShot(ms, fn)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out-dir", default="docs/images")
    args = ap.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = make_application(["taizhang"])
    install_translator(app, "zh")

    # the packets a street office receives by mail (issued from a district database)
    inbox = HOME / "收件箱"
    district = open_database(HOME / "区里" / "tianning.db")
    load_example(district, "tianning")
    issued = issue_packets(district, PERIOD, inbox)
    district.dispose()
    packet = next(p.path for p in issued.packets if p.unit == UNIT)
    QSettings().setValue("folders/packets", str(inbox))

    steps: list[Callable[[], None]] = []

    def next_step() -> None:
        if steps:
            steps.pop(0)()
        else:
            for window in list(app_module._windows):
                window.close()
            app.quit()

    # ---- 区创建办: import the plan workbook
    def district_path() -> None:
        welcome = show_welcome()
        welcome.resize(1000, 640)
        real_open = dialogs.open_file
        dialogs.open_file = lambda *a, **k: str(PLAN_WORKBOOK)  # type: ignore[assignment]

        def opened(window: QWidget) -> None:
            if not isinstance(window, QMainWindow) or window is welcome:
                return
            requests.opened.disconnect(opened)
            window.resize(1360, 820)
            window.move(0, 0)
            later(6000, lambda: (grab(app, out / "first-run-district.png"), finish(window)))

        def finish(window: QMainWindow) -> None:
            dialogs.open_file = real_open  # type: ignore[assignment]
            for dialog in window.findChildren(QWidget):
                if dialog.isWindow() and dialog.isVisible():
                    dialog.close()
            later(300, next_step)

        requests.opened.connect(opened)
        later(500, welcome.import_plan.emit)

    # ---- 单位填报: open the packet received by mail
    def office_path() -> None:
        for window in list(app_module._windows):
            window.close()
        welcome = show_welcome()
        welcome.resize(1000, 640)
        dialogs.save_file = (  # type: ignore[assignment]
            lambda *a, **k: str(HOME / "Documents" / f"{UNIT}_填报库.db"))

        def pick() -> None:
            dialog = next(w for w in app.topLevelWidgets()
                          if isinstance(w, QFileDialog) and w.isVisible())
            dialog.move(120, 80)
            dialog.selectFile(packet.name)

            def choose() -> None:
                name = dialog.findChild(QLineEdit, "fileNameEdit")
                if name is not None:
                    name.setText(packet.name)
                dialog.accept()

            later(1200, lambda: (grab(app, out / "file-dialog.png"), choose()))

        def opened(window: QWidget) -> None:
            if not isinstance(window, QMainWindow) or window is welcome:
                return
            requests.opened.disconnect(opened)
            window.resize(1360, 840)
            window.move(0, 0)
            later(2500, lambda: (grab(app, out / "first-run-office.png"), next_step()))

        requests.opened.connect(opened)
        later(1500, pick)
        later(500, welcome.open_packet.emit)

    steps += [district_path, office_path]
    later(300, next_step)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
