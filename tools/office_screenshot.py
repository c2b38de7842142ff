"""Screenshots of the office clerk's window with a partly filled period (for the README).

    python tools/office_screenshot.py --out-dir docs/images [--size 1360x840]

Builds everything in a temporary folder from the bundled tianning example: issues the
2021-05 and 2021-06 packets for 青龙街道, opens both in a new office database, fills May
and part of June through the office service, then renders the window.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QTimer

from app.services.db import open_database
from app.services.district.issue import issue_packets
from app.services.office import forms as office
from app.services.office import opening as office_opening
from app.services.plans.examples import load_example
from app.views.app import make_application

UNIT = "青龙街道"
PEOPLE = {"responsible": "王丽", "phone": "0519-85601234"}
MAY = [
    ("completed", 100, "规划已经区人大常委会审议通过并印发实施。", "", "", "2021-05-20"),
    ("in_progress", 60, "召开街道创建工作推进会,分解年度任务到各社区。", "",
     "6月底前完成社区考核细则。", None),
    ("in_progress", 40, "已建立考核评价制度初稿。", "", "征求各社区意见后定稿。", None),
    ("ongoing", None, "落实河长巡河制度,本月巡河 12 次。", "", "继续开展日常巡河。", None),
    ("behind", 20, "信息公开栏目已建立。", "专职人员不足,更新不及时。", "6月增配1名信息员。",
     None),
]
JUNE = [
    ("completed", 100, "规划已印发实施,本月组织各社区学习。", "", "", "2021-05-20"),
    ("completed", 100, "各社区考核细则已印发。", "", "", "2021-06-25"),
    ("in_progress", 70, "考核评价制度已征求意见,完成修改稿。", "", "7月上旬提交党工委会审议。", None),
    ("ongoing", None, "本月巡河 15 次,处理问题 3 个。", "", "继续开展日常巡河。", None),
    ("behind", 35, "信息公开栏目更新 8 条。", "信息员6月下旬才到岗,5月欠账未补齐。",
     "7月补齐欠账,每周更新。", None),
    ("in_progress", 50, "", "", "", None),
]


def fill(db, period: str, rows, tasks) -> None:  # type: ignore[no-untyped-def]
    for task, (status, percent, progress, problems, nxt, done) in zip(tasks, rows,
                                                                      strict=False):
        office.save_task(db, period, task.key, {
            "status": status, "percent": percent, "progress": progress, "problems": problems,
            "next_steps": nxt, "completed_on": done, **PEOPLE})


def build(folder: Path) -> Path:
    district = open_database(folder / "district.db")
    load_example(district, "tianning")
    out = folder / "packets"
    issue_packets(district, "2021-05", out, units=[UNIT])
    may = next(out.glob("2021-05_*"))
    path = folder / "qinglong.db"
    db = open_database(path)
    office_opening.open_packet(db, may)
    tasks = office.list_tasks(db, "2021-05")
    fill(db, "2021-05", MAY, tasks)
    for t in tasks[len(MAY):]:
        office.save_task(db, "2021-05", t.key, {"status": "in_progress", "percent": 50,
                                                 "progress": "按计划推进。", **PEOPLE})
    issue_packets(district, "2021-06", out, units=[UNIT])
    june = next(out.glob("2021-06_*"))
    office_opening.open_packet(db, june)
    fill(db, "2021-06", JUNE, office.list_tasks(db, "2021-06"))
    district.dispose()
    db.dispose()
    return path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out-dir", default="docs/images")
    ap.add_argument("--size", default="1360x840")
    ap.add_argument("--db", help="use this office database instead of building one")
    args = ap.parse_args()
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    app = make_application()
    tmp = tempfile.TemporaryDirectory()
    path = Path(args.db) if args.db else build(Path(tmp.name))
    from app.views.office.window import OfficeWindow

    window = OfficeWindow(open_database(path, create=False), today=dt.date(2021, 7, 2))
    w, h = (int(x) for x in args.size.split("x"))
    window.resize(w, h)
    window.show()
    tasks = list(window.tasks)
    window.select_task(tasks[5])  # half filled: progress text still missing
    window.form.texts["progress"].setFocus()

    def form_shot() -> None:
        window.grab().save(str(out_dir / "office-form.png"))
        # 滞后 with last month beside it; the clerk clears 存在问题 and mistypes the date
        window.select_task(tasks[4])
        form = window.form
        form.texts["problems"].setPlainText("")
        form.lines["completed_on"].setText("2021-6-31")
        form.lines["completed_on"].setFocus()
        window.save_pending()
        QTimer.singleShot(400, validation_shot)

    def validation_shot() -> None:
        # scrolled to the bottom: the refused date under its input, the reminder above it
        bar = window.form.scroll_area.verticalScrollBar()
        bar.setValue(bar.maximum())
        window.form.grab().save(str(out_dir / "office-validation.png"))
        window.set_filter("todo")
        QTimer.singleShot(400, list_shot)

    def list_shot() -> None:
        window.list.parentWidget().grab().save(str(out_dir / "office-list.png"))
        dialog = window.show_preflight(then_export=True)
        QTimer.singleShot(400, lambda: preflight_shot(dialog))

    def preflight_shot(dialog) -> None:  # type: ignore[no-untyped-def]
        if dialog is not None:
            dialog.grab().save(str(out_dir / "office-preflight.png"))
            dialog.reject()
        window._force_close = True  # the mistyped date stays unsaved: close anyway
        window.close()
        app.quit()

    QTimer.singleShot(1200, form_shot)
    code = app.exec()
    tmp.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
