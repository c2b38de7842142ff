"""The README's 台账 pictures: the grid with a selected cell, the cell pane with its
history, and the 整改清单 of the 无锡 rectification plan.

    python tools/ledger_screenshots.py OUT_DIR [--work DIR]

Builds its own databases: tianning with three months (2021-04..06) of returns from the
eight towns/streets made by the office application (tests/merge_helpers.py), one district
correction, one approval and one close-out; and the 无锡 fixture plan with a few items
reported, completed and closed. Run under Xvfb or offscreen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.services.db import open_database  # noqa: E402
from app.services.district.approval import approve, close_out  # noqa: E402
from app.services.district.corrections import edit_entry  # noqa: E402
from app.services.district.ledger import ledger_grid  # noqa: E402
from app.services.plans.edit import PlanSettings, update_plan_settings  # noqa: E402
from app.services.plans.examples import load_example  # noqa: E402
from app.services.plans.importing.writing import import_plan_workbook  # noqa: E402
from app.services.plans.query import get_plan  # noqa: E402
from app.views.app import main_window_for, make_application  # noqa: E402
from app.views.district.ledger_page import LedgerPage  # noqa: E402


def tianning_db(work: Path) -> Path:
    from merge_helpers import three_months_of_returns

    path = work / "tianning.db"
    if path.exists():
        return path
    engine = open_database(path)
    load_example(engine, "tianning")
    three_months_of_returns(engine, work / "packets")
    grid = ledger_grid(engine, "2021-06", 1)
    code = grid.tasks[0].code
    edit_entry(engine, 1, "2021-06", "红梅街道", code, {"percent": 38, "problems":
               "区创建办现场核查:实际完成38%"}, "现场核查")
    approve(engine, "2021-06", "兰陵街道", plan_id=1)
    approve(engine, "2021-06", "开发区", plan_id=1)
    done = next(t.code for t in grid.tasks
                if any(c.status == "completed" for (tid, _), c in grid.cells.items()
                       if tid == t.id))
    close_out(engine, done, unit="天宁街道", on=dt.date(2021, 7, 8), note="验收材料齐全",
              plan_id=1)
    engine.dispose()
    return path


def wuxi_db(work: Path) -> Path:
    path = work / "wuxi.db"
    if path.exists():
        return path
    engine = open_database(path)
    result = import_plan_workbook(engine, ROOT / "tests" / "fixtures" / "plans" /
                                  "wuxi_rectification.xlsx")
    plan = get_plan(engine, result.plan_id)
    update_plan_settings(engine, result.plan_id, PlanSettings(
        plan.plan.title, plan.plan.issuer, plan.plan.office, "quarter", 10, "2019-01",
        "2020-12"))
    for t in plan.tasks[:9]:
        for u in dict.fromkeys(t.units()):
            edit_entry(engine, result.plan_id, "2019-Q4", u, t.code,
                       {"status": "completed", "percent": 100}, "整改完成,验收材料已报")
        if t.code in {x.code for x in plan.tasks[:5]}:
            close_out(engine, t.code, on=dt.date(2020, 1, 15), note="省督察组验收通过",
                      plan_id=result.plan_id)
    engine.dispose()
    return path


def settle(page: LedgerPage) -> None:
    """Until the grid the page reads off the GUI thread has arrived."""
    for _ in range(600):
        if not page.loading:
            return
        wait(50)
    raise SystemExit("the 台账 grid did not arrive within 30 s")


def grab(widget: object, out: Path) -> None:
    QApplication.processEvents()
    widget.grab().save(str(out))  # type: ignore[attr-defined]
    print(out)


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="ledger-shots-"))
    work.mkdir(parents=True, exist_ok=True)
    tn, wx = tianning_db(work), wuxi_db(work)
    make_application()

    window = main_window_for(open_database(tn, create=False))
    window.resize(1400, 860)
    window.show()
    window.select_period("2021-06")
    page = window.page(LedgerPage)
    assert isinstance(page, LedgerPage)
    window.show_page(page)
    settle(page)
    grid = page.grid
    assert grid is not None
    unit = next(u.id for u in grid.units if u.name == "红梅街道")
    page.select_cell(grid.tasks[0].id, unit)
    job = page.pane.chart_job  # the history line is drawn in the background
    for _ in range(120):
        if page.pane.chart.pixmap() is not None and not page.pane.chart.pixmap().isNull():
            break
        wait(500)
    del job
    wait(500)
    grab(window, args.out / "ledger.png")
    grab(page.pane, args.out / "ledger_cell.png")
    from app.views import ops

    ops.shutdown()
    window.close()

    window = main_window_for(open_database(wx, create=False))
    window.resize(1400, 760)
    window.show()
    page = window.page(LedgerPage)
    assert isinstance(page, LedgerPage)
    window.show_page(page)
    settle(page)
    page.tabs.setCurrentIndex(2)
    wait(800)
    grab(window, args.out / "rectification.png")
    ops.shutdown()
    window.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
