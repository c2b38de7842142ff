"""The dashboard's charts appearing: the longest the GUI thread is busy with one event.

    .venv/bin/python benchmarks/bench_charts.py [--units 100] [--tasks 300] [--periods 36]

The 看板 of the summary benchmark's database (``bench_summary.cached_db``: 100 units × 300
tasks × 36 periods at the large size) opens in the real district window (offscreen
platform, 1360 × 820) and shows once untimed (imports, caches). Then, from the moment the
page asks for its summary again (as after a period switch) until every chart
shows its picture, then while the page is scrolled through the two tall per-unit charts
(about 2,100 px each) and while the window is resized and the charts drawn again at the
new width, every event the GUI thread handles is timed (a ``QApplication.notify``
override; nested events count in the one that sent them): wall time and the GUI thread's
own CPU time. Target (absolute): no paint over 50 ms — the window's repaints
(``UpdateRequest``, which paints every widget shown) and any widget's own paint — and, as
the stricter figure, no event of any kind over 50 ms (that includes the garbage
collector's timer, ``app.views.widgets.gc_guard``, which walks what the workers left).

For comparison, the previous way: a ``FigureCanvasQTAgg`` drew the tall chart in its
first paint on the GUI thread; timed here as that draw (the figure built beforehand, as
the worker did).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from harness import Measure, benchmark, log

WINDOW = (1360, 820)
RESIZED = (1100, 820)
TARGET_MS = 50.0
PAINTS = ("UpdateRequest", "Paint")  # a window's repaint, a widget's paint


def _name(receiver: Any) -> str:
    """The receiver's class, and its parent's for a QTimer (whose timer it is)."""
    name = type(receiver).__name__
    parent = receiver.parent() if name == "QTimer" else None
    return f"{name} of {type(parent).__name__}" if parent is not None else name


def _timing_app() -> Any:
    """A QApplication whose notify() times every top-level event (wall and thread CPU)."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class TimingApp(QApplication):
        def __init__(self, argv: list[str]) -> None:
            super().__init__(argv)
            self.depth = 0
            self.recording = False
            self.events: list[tuple[float, float, str, str]] = []

        def notify(self, receiver: QObject, event: QEvent) -> bool:
            if self.depth or not self.recording:
                self.depth += 1
                try:
                    return super().notify(receiver, event)
                finally:
                    self.depth -= 1
            wall, cpu = time.perf_counter(), time.thread_time()
            kind = event.type()
            self.depth += 1
            try:
                return super().notify(receiver, event)
            finally:
                self.depth -= 1
                self.events.append(((time.perf_counter() - wall) * 1000,
                                    (time.thread_time() - cpu) * 1000,
                                    getattr(kind, "name", str(kind)),
                                    _name(receiver)))

    return TimingApp(sys.argv[:1])


def _previous_way_ms(summary: Any, width: int, height: int) -> float:
    """What FigureCanvasQTAgg's first paint did on the GUI thread: draw the built figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from app.services.reports.charts import CHARTS

    times = []
    for _ in range(2):
        fig = CHARTS["status_by_unit"][1](summary)
        fig.set_size_inches(width / 100, height / 100)  # as the canvas resized it
        canvas = FigureCanvasAgg(fig)
        t = time.perf_counter()
        canvas.draw()
        times.append((time.perf_counter() - t) * 1000)
    return min(times)


def run(units: int, tasks: int, periods: int) -> dict[str, Any]:
    from bench_summary import cached_db
    from PySide6.QtCore import QEventLoop

    app = _timing_app()
    from app.services.db import open_database
    from app.views.app import main_window_for, make_application
    from app.views.reports.dashboard_page import DashboardPage

    make_application()
    source = cached_db(units, tasks, periods)
    folder = Path(tempfile.mkdtemp(prefix="bench-charts-"))
    path = folder / "dashboard.db"
    shutil.copy(source, path)  # the window may remember things in its database
    # the charts are drawn in the chart process (app.services.reports.chart_process),
    # which the untimed first look starts: matplotlib is not imported in this process

    def pump(until: Any, timeout: float = 600.0) -> None:
        end = time.perf_counter() + timeout
        while not until():
            if time.perf_counter() > end:
                raise TimeoutError("the dashboard did not finish")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)

    import gc

    collections: list[tuple[float, int]] = []  # (ms, generation) while timed
    gc_start: list[float] = []

    def gc_timer(phase: str, info: dict[str, int]) -> None:
        # nothing costly here: it runs inside the events timed (gc.get_freeze_count()
        # walks the frozen list, ~9 ms for 100,000 objects)
        if phase == "start":
            gc_start[:] = [time.perf_counter()]
        elif gc_start and app.recording:
            collections.append(((time.perf_counter() - gc_start[0]) * 1000,
                                info["generation"]))

    gc.callbacks.append(gc_timer)
    window = main_window_for(open_database(path, create=False))
    window.resize(*WINDOW)
    page = window.page(DashboardPage)
    assert isinstance(page, DashboardPage)
    window.show_page(page)
    ready: list[bool] = []
    page.updated.connect(lambda: ready.append(True))
    window.show()
    pump(lambda: bool(ready))  # the first look (untimed): imports, caches, first layout
    ready.clear()
    started = time.perf_counter()
    app.recording = True
    page.refresh()  # counted and drawn again (as after a period switch), timed from here
    pump(lambda: bool(ready))
    appeared = (time.perf_counter() - started) * 1000
    appear_events = list(app.events)
    # scroll through the tall charts, a screenful at a time
    bar = page.scroll_area.verticalScrollBar()
    while bar.value() < bar.maximum():
        bar.setValue(min(bar.maximum(), bar.value() + page.scroll_area.viewport().height()))
        pump(lambda: True)
        app.processEvents()
    bar.setValue(0)
    app.processEvents()
    # resize: the old pictures stand in, then each chart is drawn again at the new width
    window.resize(*RESIZED)
    pump(lambda: all(v.width() < WINDOW[0] // 2 for n, v in page.charts.items()
                     if n != "trend"))
    pump(lambda: all(v.ready for v in page.charts.values()) and not page.chart_queue.busy)
    app.recording = False
    events = app.events
    summary = page.data.summary if page.data else None
    view = page.charts["status_by_unit"]
    previous = _previous_way_ms(summary, view.width(), view.height()) if summary else 0.0
    window.close()
    window.deleteLater()
    app.processEvents()
    shutil.rmtree(folder, ignore_errors=True)
    gc.callbacks.remove(gc_timer)
    frozen = gc.get_freeze_count()
    # what a collection of the oldest generation costs now (the guard's, frozen objects
    # unwalked), and a complete walk (after a window closed, or the heap doubled)
    t = time.perf_counter()
    gc.collect(2)
    oldest = (time.perf_counter() - t) * 1000
    gc.unfreeze()
    t = time.perf_counter()
    gc.collect(2)
    complete = (time.perf_counter() - t) * 1000
    gc.freeze()
    log(f"  after: a collection of the oldest generation {oldest:.1f} ms; a complete walk "
        f"{complete:.1f} ms")
    for ms, generation in sorted(collections, reverse=True)[:3]:
        log(f"  collection of generation {generation}: {ms:.1f} ms")
    log(f"  {len(collections)} collections while timed; {frozen:,} objects frozen at the end")
    top = sorted(events, reverse=True)[:5]
    for wall, cpu, kind, receiver in top:
        log(f"  {wall:7.1f} ms wall {cpu:7.1f} ms cpu  {kind} → {receiver}")
    paints = [e for e in events if e[2] in PAINTS]
    worst_paint = max(paints)
    worst = max(events)
    return {"events": len(events), "paints": len(paints), "worst_paint": worst_paint,
            "worst": worst, "appear_paint": max(e for e in appear_events if e[2] in PAINTS),
            "appeared_ms": appeared, "previous": previous, "height": view.height(),
            "collection": max(collections, default=(0.0, 0))}


@benchmark("dashboard charts", small={"units": 20, "tasks": 50, "periods": 12},
           large={"units": 100, "tasks": 300, "periods": 36})
def measure(units: int, tasks: int, periods: int) -> list[Measure]:
    """No GUI-thread paint over 50 ms while the dashboard's charts appear, scroll, resize."""
    r = run(units, tasks, periods)
    paint, worst = r["worst_paint"], r["worst"]
    gc_ms, gc_gen = r["collection"]
    return [
        Measure(f"longest paint of the window ({r['paints']} paints) while the charts appear, "
                "are scrolled through and drawn again after a resize (wall)", paint[0],
                target=TARGET_MS, note=f"GUI-thread CPU {paint[1]:.1f} ms"),
        Measure("longest paint until every chart was shown (wall)", r["appear_paint"][0],
                target=TARGET_MS),
        Measure(f"longest GUI-thread event of any kind ({r['events']} events; wall)", worst[0],
                target=TARGET_MS,
                note=f"{worst[2]} → {worst[3]}, GUI-thread CPU {worst[1]:.1f} ms; longest "
                     f"garbage collection (generation {gc_gen}) {gc_ms:.1f} ms"),
        Measure("from the refresh to every chart shown (summary counted, five charts "
                "drawn off the GUI thread, one at a time)", r["appeared_ms"]),
        Measure(f"before: the tall per-unit chart ({r['height']} px) drawn in its first paint "
                "on the GUI thread (FigureCanvasQTAgg)", r["previous"]),
    ]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--tasks", type=int, default=300)
    ap.add_argument("--periods", type=int, default=36)
    args = ap.parse_args()
    for m in measure(args.units, args.tasks, args.periods):
        target = f" (target ≤ {m.target:g} {m.unit})" if m.target else ""
        print(f"{m.label}: {m.value:.1f} {m.unit}{target} {m.note}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
