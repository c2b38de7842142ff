"""The 汇总 page's check of N dropped files against the command line's dry run (by hand).

    .venv/bin/python benchmarks/bench_merge_page.py [--n 50]

The returns of ``bench_merge.py`` (cached there), checked for the first month: by
``collect_files`` + ``check_packets`` as `merge --dry-run --period` does, and by the
district window's 汇总 page (offscreen): ``MergePage.add_paths`` of the same files, timed
until the page lists the previews (``previews_ready``: the dry run in the worker, the batch
order and the table). Files of the other months are refused by both, after being read.
Five rounds, the two sides taking turns; the medians are compared (one timing of each
swung by a quarter between runs on the shared machine, and since the dry run shares its
reading with a worker process 50 files take ≈ 0.4–0.9 s, so a burst of someone else's
work moves one timing by half: measured 434–1,158 ms for the same page check in one run). Each side gets its own copy of the
database, opened before the clock starts.

The dry run is timed with Python's garbage collector on, as the command line runs it: the
window's collector (``gc_guard``, installed by the first round's window) switches automatic
collection off for the whole process, so from the second round on the dry run ran without
any collection, which no `merge --dry-run` ever does (measured: 10–13 % of its CPU time at
50 files).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_merge import _month, cached_build, copy_db
from harness import Measure, benchmark, log, once_ms

from app.services.db import open_database
from app.services.district.check import check_packets, collect_files

RUNS = 5


def window_check(db_path: Path, files: list[Path], period: str) -> float:
    """ms from dropping the files on the 汇总 page to the previews listed."""
    from PySide6.QtCore import QEventLoop, QTimer

    from app.views import ops
    from app.views.app import make_application
    from app.views.district.merge_page import MergePage
    from app.views.main_window import MainWindow

    app = make_application([])  # as the program does (the GUI-thread collector too)
    engine = open_database(db_path)
    window = MainWindow(engine)
    window.resize(1360, 820)
    window.show()
    window.select_period(period)
    page = window.page(MergePage)
    assert isinstance(page, MergePage)
    window.show_page(page)
    app.processEvents()
    loop = QEventLoop()
    page.previews_ready.connect(loop.quit)
    QTimer.singleShot(600_000, loop.quit)
    ms = once_ms(lambda: (page.add_paths(files), loop.exec()))
    checked = len(page.model.records)
    ops.shutdown()
    window.close()
    window.deleteLater()
    app.processEvents()
    engine.dispose()
    assert checked == len(files), (checked, len(files))
    return ms


def cli_check(db_path: Path, files: list[Path], period: str) -> float:
    """ms of `merge --dry-run --period`'s work on an opened database: the files collected
    and checked, with automatic garbage collection on (as in its own process)."""
    engine = open_database(db_path)
    was_on = gc.isenabled()
    gc.enable()
    try:
        return once_ms(lambda: check_packets(engine, collect_files(files), period=period))
    finally:
        if not was_on:
            gc.disable()
        engine.dispose()


@benchmark("merge check in window", small={"n": 50, "rows": 200},
           large={"n": 200, "rows": 200})
def measure(n: int, rows: int) -> list[Measure]:
    template, files = cached_build(n, rows)
    period = _month(0)
    work = Path(tempfile.mkdtemp(prefix="bench-merge-page-"))
    try:
        engine = open_database(copy_db(template, work / "warm.db"))
        check_packets(engine, files[:2], period=period)  # imports and page cache
        engine.dispose()
        clis, pages = [], []
        for round_ in range(RUNS):  # taking turns, so a busy moment hits both sides
            clis.append(cli_check(copy_db(template, work / f"cli{round_}.db"), files, period))
            log(f"dry run {clis[-1] / 1000:.1f} s")
            pages.append(window_check(copy_db(template, work / f"page{round_}.db"), files,
                                      period))
            log(f"汇总 page {pages[-1] / 1000:.1f} s")
        cli, page = statistics.median(clis), statistics.median(pages)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cli_l = (f"`check_packets` of {n} files for one month (`merge --dry-run --period`,"
             f" garbage collector on), median of {RUNS} taking turns with the page")
    return [Measure(cli_l, cli),
            Measure("汇总 page: the same files dropped, until the previews are listed", page,
                    base=cli_l, target=1.0)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--rows", type=int, default=200)
    args = ap.parse_args()
    for m in measure(args.n, args.rows):
        print(f"{m.label}: {m.value:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
