"""The 台账 grid at 100 units × 300 tasks against raw sqlite3 reading the same entries.

    .venv/bin/python benchmarks/run_all.py --only ledger --sizes large
    .venv/bin/python benchmarks/bench_ledger.py [--units 100] [--tasks 300] [--runs 7]

Setup (not timed, cached in the temp folder): the plan and reports of bench_summary.py
(every unit assigned to every task) for 3 monthly periods, 30,000 progress entries a
period. Timed, medians, for the last period:

* baseline: raw sqlite3 reading the period's and the previous period's entries (unit,
  task, status, percent) — the floor for anything that shows a change since last period;
* ``ledger_grid()``: the service call the page makes when the plan or period changes;
* ``LedgerModel.set_grid()``: the table model taking that grid (rows, columns, counts);
* switching period as the page does it: both, plus the display text of one screenful
  (40 rows × 12 unit columns);
* a filter change (只看滞后, towns only) on the loaded grid.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_summary import cached_db
from harness import Measure, benchmark, median_ms
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Period
from app.services.db import open_database
from app.services.district.ledger import ledger_grid

PERIODS = 3


@benchmark("ledger", small={"units": 20, "tasks": 50, "runs": 5},
           large={"units": 100, "tasks": 300, "runs": 7})
def measure(units: int, tasks: int, runs: int) -> list[Measure]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtWidgets import QApplication

    from app.views.district.ledger_model import LedgerFilter, LedgerModel

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

    def switch() -> None:
        model.set_grid(ledger_grid(engine, key))
        screenful()

    grid = ledger_grid(engine, key)  # warm the caches the way a second look would
    base = median_ms(baseline, runs)
    service = median_ms(lambda: ledger_grid(engine, key), runs)
    set_model = median_ms(lambda: model.set_grid(grid), runs)
    switching = median_ms(switch, runs)
    model.set_grid(grid)
    flt = LedgerFilter(units="all", behind_only=True)
    filtering = median_ms(lambda: model.set_filter(flt), runs)
    cells = len(grid.cells)
    raw.close()
    engine.dispose()
    del app
    base_l = (f"raw sqlite3: the period's and the previous period's entries "
              f"({units * tasks:,} rows each)")
    large = units * tasks >= 30_000
    return [
        Measure(base_l, base),
        Measure(f"`ledger_grid()`: the service call ({cells:,} cells)", service, base=base_l),
        Measure("`LedgerModel.set_grid()`: rows, columns and counts", set_model, base=base_l),
        Measure("switching period on the page: service + model + one screenful of text",
                switching, base=base_l, note="target ≤ 100 ms" if large else ""),
        Measure("a filter change (只看滞后)", filtering, base=base_l),
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
