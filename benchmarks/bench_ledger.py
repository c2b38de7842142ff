"""The 台账 grid at 100 units × 300 tasks against raw sqlite3 reading the same entries.

    .venv/bin/python benchmarks/run_all.py --only ledger --sizes large
    .venv/bin/python benchmarks/bench_ledger.py [--units 100] [--tasks 300] [--runs 7]

Setup (not timed, cached in the temp folder): the plan and reports of bench_summary.py
(every unit assigned to every task) for 3 monthly periods, 30,000 progress entries a
period. Timed, medians, for the last period:

* baseline: raw sqlite3 reading the period's and the previous period's entries (unit,
  task, status, percent) — the floor for anything that shows a change since last period;
* ``ledger_grid()`` and ``arrange()``: the service call and the rows, columns and counts
  the filter shows, which the page works out off the GUI thread when the plan or period
  changes;
* ``LedgerModel.set_grid()`` arranging on the GUI thread (when the filter bar changed
  during the read), and the GUI thread's share of a switch: the model taking the arranged
  grid plus the display text of one screenful (40 rows × 12 unit columns);
* a filter change (只看滞后) on the loaded grid;
* switching period on a shown ``LedgerPage`` (with the window's GC guard), without and
  with a selected cell: until the new grid is shown, and the longest gap between the
  ticks of a 2 ms timer meanwhile (how long the window did not respond).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_summary import cached_db
from harness import Measure, benchmark, median_ms
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Period
from app.services.db import open_database
from app.services.district.ledger import ledger_grid

PERIODS = 3


def _page_switches(engine: Any, runs: int, select: bool) -> tuple[float, float]:
    """Switch period on a shown `LedgerPage` (the window's GC guard running) `runs` times
    between the last two periods: median ms until the new grid is shown, and the median
    over the switches of the longest gap between the ticks of a 2 ms timer (how long the
    window did not respond). `select`: a cell is selected, so its report is read again."""
    from PySide6.QtCore import QEventLoop, QTimer

    from app.services.plans.query import get_plan, list_plans
    from app.views.app import make_application
    from app.views.district.ledger_page import LedgerPage
    from app.views.widgets.page import Context

    app = make_application()
    plan = get_plan(engine, list_plans(engine)[0].id)
    periods = plan.periods[-2:]
    page = LedgerPage()
    page.resize(1400, 860)
    page.show()

    def settle() -> None:
        loop = QEventLoop()
        page.loaded.connect(loop.quit)
        if page.loading:
            loop.exec()
        page.loaded.disconnect(loop.quit)

    page.set_context(Context(engine, plan, periods[0]))
    settle()
    if select:
        grid = page.grid
        assert grid is not None and page.select_cell(grid.tasks[5].id, grid.units[7].id)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(2)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    totals, stalls = [], []
    for i in range(runs + 1):
        ticks.clear()
        timer.start()
        app.processEvents()
        start = time.perf_counter()
        page.set_context(Context(engine, plan, periods[(i + 1) % 2]))
        settle()
        end = time.perf_counter()
        app.processEvents()  # (the paint of the new grid)
        timer.stop()
        marks = [start, *ticks, end]
        if i:  # the first: warm-up
            totals.append((end - start) * 1000)
            stalls.append(max(b - a for a, b in itertools.pairwise(marks)) * 1000)
    page.close()
    page.deleteLater()
    app.processEvents()
    return statistics.median(totals), statistics.median(stalls)


@benchmark("ledger", small={"units": 20, "tasks": 50, "runs": 5},
           large={"units": 100, "tasks": 300, "runs": 7})
def measure(units: int, tasks: int, runs: int) -> list[Measure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtWidgets import QApplication

    from app.views.district.ledger_model import LedgerFilter, LedgerModel, arrange

    app = QApplication.instance() or QApplication([])
    path = cached_db(units, tasks, PERIODS)
    engine = open_database(path, create=False)
    with Session(engine) as s:
        rows = list(s.execute(select(Period.id, Period.key).order_by(Period.start)))
        (prev_id, _), (pid, key) = rows[PERIODS - 2], rows[PERIODS - 1]
    raw = sqlite3.connect(path)

    def baseline() -> object:
        return [raw.execute("SELECT unit_id, task_id, status, percent FROM progress_entry "
                            "WHERE period_id = ?", (p,)).fetchall() for p in (pid, prev_id)]

    model = LedgerModel(lambda text: text)
    display = Qt.ItemDataRole.DisplayRole

    def screenful() -> None:
        for r in range(40):
            for c in range(13):
                model.data(model.index(r, c, QModelIndex()), display)

    grid = ledger_grid(engine, key)  # warm the caches the way a second look would
    everything = LedgerFilter()
    arranged = arrange(grid, everything)

    def gui_share() -> None:
        model.set_grid(grid, everything, arranged)
        screenful()

    base = median_ms(baseline, runs)
    service = median_ms(lambda: ledger_grid(engine, key), runs)
    arranging = median_ms(lambda: arrange(grid, everything), runs)
    set_model = median_ms(lambda: model.set_grid(grid, everything), runs)
    switching = median_ms(gui_share, runs)
    model.set_grid(grid)
    flt = LedgerFilter(units="all", behind_only=True)
    filtering = median_ms(lambda: model.set_filter(flt), runs)
    cells = len(grid.cells)
    page_total, page_stall = _page_switches(engine, runs, select=False)
    sel_total, sel_stall = _page_switches(engine, runs, select=True)
    raw.close()
    engine.dispose()
    del app
    base_l = (f"raw sqlite3: the period's and the previous period's entries "
              f"({units * tasks:,} rows each)")
    large = units * tasks >= 30_000
    return [
        Measure(base_l, base),
        Measure(f"`ledger_grid()`: the service call ({cells:,} cells; off the GUI thread)",
                service, base=base_l),
        Measure("`arrange()`: rows, columns and counts a filter shows (off the GUI thread)",
                arranging, base=base_l),
        Measure("`LedgerModel.set_grid()` arranging on the GUI thread (a filter bar that "
                "changed during the read)", set_model, base=base_l),
        Measure("switching period, the GUI thread's share: the model taking the arranged "
                "grid + one screenful of text", switching, base=base_l,
                note="target ≤ 100 ms" if large else ""),
        Measure("a filter change (只看滞后)", filtering, base=base_l),
        Measure("switching period on the page: until the new grid is shown", page_total,
                base=base_l),
        Measure("... the longest the window did not respond meanwhile (2 ms timer)",
                page_stall),
        Measure("switching period with a cell selected (its report read again): until shown",
                sel_total, base=base_l),
        Measure("... the longest the window did not respond meanwhile", sel_stall),
    ]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--tasks", type=int, default=300)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    measures = measure(args.units, args.tasks, args.runs)
    base = measures[0].value
    print("| operation | median ms | ratio |\n| --- | ---: | ---: |")
    for m in measures:
        print(f"| {m.label} | {m.value:.1f} | {m.value / base:.1f} × |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
