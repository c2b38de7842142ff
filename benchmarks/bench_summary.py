"""The period summary for 100 units × 300 tasks × 36 periods against a same-run baseline.

    .venv/bin/python benchmarks/bench_summary.py [--units 100] [--tasks 300] [--periods 36]
                                                  [--runs 7] [--keep FILE]

Setup (not timed): a plan written with ``insert_plan`` (12 sections under 4 domains, every
unit assigned to every task — one lead, two cooperating, the rest implementing — and 60
indicators), then 36 monthly periods of reports inserted with SQLAlchemy Core bulk
inserts, one transaction per period: 30,000 progress entries a period (1.08 million in
all) with realistic statuses, percents and problem texts, a receipt per unit (some late,
some missing) and the indicator values of the lead units.

Timed, medians of `runs`, each against the last period:
* baseline A: raw sqlite3 reading the period's entries (unit, task, status, percent,
  problems) — the floor for anything that looks at every report of the period;
* baseline B: raw sqlite3 ``GROUP BY period_id`` over every entry of the plan (the floor
  for a trend over all periods);
* ``period_summary(trend=False)``: two periods' entries, receipts and values, aggregated;
* ``period_summary()``: the same plus the trend of the last 12 periods (the default), and
  with ``trend_window=None`` over all 36;
* ``period_summary(unit=…)`` for one unit;
* the five chart figures built and drawn to PNG, and the 汇总表 (30,000 rows) written.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import ROOT, Measure, benchmark, log
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import IndicatorValue, Period, ProgressEntry, Receipt, Task, Unit
from app.services.db import open_database
from app.services.plans.query import insert_plan
from app.services.reports.summary import period_summary

PROBLEMS = ("资金未到位,项目推进缓慢。", "涉及企业搬迁,协调难度大。", "施工许可手续尚在办理。",
            "第三方单位人员不足,进度滞后。")
PROGRESS = "已召开专题推进会,对照任务清单逐项落实,完成辖区重点企业现场检查{0}家,发现问题已交办整改。"


def build(path: Path, n_units: int, n_tasks: int, n_periods: int) -> None:
    rng = random.Random(11)
    engine = open_database(path)
    units = [f"第{i:03d}街道" if i % 3 else f"区第{i:03d}局" for i in range(n_units)]
    domains = ["生态制度", "生态安全", "生态空间", "生态经济"]
    sections = [{"code": str(d + 1), "title": domains[d],
                 "children": [{"code": f"{d + 1}.{k + 1}", "title": f"{domains[d]}专项{k + 1}"}
                              for k in range(3)]} for d in range(4)]
    years, first = divmod(n_periods - 1, 12)
    last_year = 2021 + years
    spec: dict[str, Any] = {
        "title": "基准测试创建实施方案", "issuer": "某区人民政府", "office": "区创建办",
        "frequency": "month", "deadline_day": 5, "first_period": "2021-01",
        "last_period": f"{last_year}-{first + 1:02d}",
        "units": [{"name": u} for u in units],
        "sections": sections,
        "tasks": [{"code": f"{t % 4 + 1}.{t % 3 + 1}.{t + 1}", "section": f"{t % 4 + 1}.{t % 3 + 1}",
                   "text": f"第{t + 1}项任务。推进重点行业专项整治,完成年度目标。",
                   "deadline": f"{2021 + t % 3}-12" if t % 5 == 0 else None,
                   "lead": [units[t % n_units]],
                   "cooperating": [units[(t + 1) % n_units], units[(t + 2) % n_units]],
                   "implementing": [u for i, u in enumerate(units)
                                    if i not in (t % n_units, (t + 1) % n_units,
                                                 (t + 2) % n_units)]}
                  for t in range(n_tasks)],
        "indicators": [{"code": str(i + 1), "name": f"指标{i + 1}", "unit": "%",
                        "standard": ["≥90", "≤35", "制定实施", "100"][i % 4],
                        "domain": domains[i % 4], "lead": [units[(i * 7) % n_units]]}
                       for i in range(60)],
    }
    with Session(engine) as s, s.begin():
        plan_id = insert_plan(s, spec)
    with Session(engine) as s:
        periods = list(s.execute(select(Period.id, Period.due).where(Period.plan_id == plan_id)
                                 .order_by(Period.start)))[:n_periods]
        task_ids = list(s.scalars(select(Task.id).where(Task.plan_id == plan_id)))
        unit_ids = list(s.scalars(select(Unit.id).where(Unit.name.in_(units))))
        from app.models import Indicator, IndicatorLead
        leads = list(s.execute(select(IndicatorLead.unit_id, Indicator.id).join(
            Indicator, Indicator.id == IndicatorLead.indicator_id)))
    import datetime as dt

    level = {(u, t): rng.uniform(0, 30) for u in unit_ids for t in task_ids}
    for k, (pid, due) in enumerate(periods):
        missing = set(rng.sample(unit_ids, 3))
        late = set(rng.sample([u for u in unit_ids if u not in missing], 2))
        entries = []
        for (u, t), v in level.items():
            if u in missing:
                continue
            v = min(100.0, v + rng.uniform(0, 6))
            level[(u, t)] = v
            roll = rng.random()
            status = ("completed" if v >= 100 else "behind" if roll < 0.04 else
                      "ongoing" if roll < 0.12 else "not_started" if v < 5 else "in_progress")
            entries.append({"unit_id": u, "task_id": t, "period_id": pid, "status": status,
                            "percent": None if status == "ongoing" else round(v, 1),
                            "progress": PROGRESS.format(k), "problems":
                            rng.choice(PROBLEMS) if status == "behind" else "",
                            "next_steps": "下月继续推进。"})
        receipts = [{"unit_id": u, "period_id": pid, "state": "accepted",
                     "received_at": dt.datetime.combine(due + dt.timedelta(
                         days=3 if u in late else -1), dt.time(10))}
                    for u in unit_ids if u not in missing]
        values = [{"unit_id": u, "indicator_id": i, "period_id": pid,
                   "value": f"{rng.uniform(30, 100):.1f}"} for u, i in leads if u not in missing]
        with engine.begin() as conn:
            conn.execute(insert(ProgressEntry), entries)
            conn.execute(insert(Receipt), receipts)
            if values:
                conn.execute(insert(IndicatorValue), values)
    engine.dispose()


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def in_turns(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """The median ms of each of `fns`, timed taking turns (a, b, a, b …): on a shared
    machine the load drifts within seconds, and timing all runs of one and then all of
    the other gave ratios ±0.15 apart from one run to the next."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for fn, out in zip(fns, times, strict=True):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return [statistics.median(t) for t in times]


def cached_db(units: int, tasks: int, periods: int) -> Path:
    """`build` once per schema/code version (kept in the temp folder)."""
    digest = hashlib.sha256(f"{units}x{tasks}x{periods}".encode())
    for folder in ("app/models", "app/migrations/versions"):
        for f in sorted((ROOT / folder).glob("*.py")):
            digest.update(f.name.encode() + f.read_bytes())
    digest.update(Path(__file__).read_bytes())
    cache = Path(tempfile.gettempdir()) / "taizhang-bench-cache"
    path = cache / f"summary-{units}x{tasks}x{periods}-{digest.hexdigest()[:12]}.db"
    if not path.exists():
        for old in cache.glob(f"summary-{units}x{tasks}x{periods}-*"):
            old.unlink()
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        for leftover in cache.glob(tmp.name + "*"):
            leftover.unlink()
        t = time.perf_counter()
        build(tmp, units, tasks, periods)
        tmp.rename(path)
        log(f"setup {time.perf_counter() - t:.0f} s")
    return path


@benchmark("dashboard", small={"units": 20, "tasks": 50, "periods": 12, "runs": 5},
           large={"units": 100, "tasks": 300, "periods": 36, "runs": 7})
def measure(units: int, tasks: int, periods: int, runs: int) -> list[Measure]:
    """The dashboard's summary call against raw sqlite3 reading the same facts."""
    path = cached_db(units, tasks, periods)
    engine = open_database(path, create=False)
    with Session(engine) as s:
        keys = list(s.scalars(select(Period.key).order_by(Period.start)))
        key = keys[periods - 1]
        pid = s.scalar(select(Period.id).where(Period.key == key))
    raw = sqlite3.connect(path)

    def baseline() -> object:
        a = raw.execute("SELECT unit_id, task_id, status, percent, problems "
                        "FROM progress_entry WHERE period_id = ?", (pid,)).fetchall()
        b = raw.execute("SELECT period_id, avg(percent), count(status) FROM progress_entry "
                        "GROUP BY period_id").fetchall()
        return a, b

    period_summary(engine, key)  # warm the caches the way a second look would
    base, dash = in_turns([baseline, lambda: period_summary(engine, key)], runs)
    summary = period_summary(engine, key)
    from app.services.reports.charts import CHARTS, build_figure, figure_png

    figure_png(build_figure("trend", summary), 100)  # import matplotlib outside the timing
    charts = median_ms(lambda: [figure_png(build_figure(n, summary), 100) for n in CHARTS], 3)
    raw.close()
    engine.dispose()
    base_l = ("raw sqlite3: the period's entries + GROUP BY period over all entries "
              f"({units * tasks:,} rows a period)")
    return [Measure(base_l, base),
            Measure("`period_summary()`: the dashboard's refresh (trend of 12 periods)", dash,
                    base=base_l, target=1.5 if units * tasks * periods >= 1_000_000 else None),
            Measure("the 5 chart figures built and drawn to PNG (100 dpi)", charts, base=base_l)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=100)
    ap.add_argument("--tasks", type=int, default=300)
    ap.add_argument("--periods", type=int, default=36)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", help="keep the database at this path (reused if it exists)")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-summary-"))
    path = Path(args.keep) if args.keep else folder / "bench.db"
    if not path.exists():
        t = time.perf_counter()
        build(path, args.units, args.tasks, args.periods)
        print(f"setup: {time.perf_counter() - t:.1f} s, {path.stat().st_size / 1e6:.0f} MB")
    engine = open_database(path, create=False)
    with Session(engine) as s:
        keys = list(s.scalars(select(Period.key).order_by(Period.start)))
        pid = s.scalar(select(Period.id).where(Period.key == keys[args.periods - 1]))
        entries = s.query(ProgressEntry).count()
    key = keys[args.periods - 1]
    print(f"{entries} entries; summary of {key}")
    raw = sqlite3.connect(path)

    def baseline_period() -> object:
        return raw.execute("SELECT unit_id, task_id, status, percent, problems "
                           "FROM progress_entry WHERE period_id = ?", (pid,)).fetchall()

    def baseline_trend() -> object:
        return raw.execute("SELECT period_id, avg(percent), count(status) FROM progress_entry "
                           "GROUP BY period_id").fetchall()

    period_summary(engine, key)  # warm the caches the way a second look would
    results: list[tuple[str, float, str]] = []
    a = median_ms(baseline_period, args.runs)
    b = median_ms(baseline_trend, args.runs)
    results.append(("baseline A: sqlite3 reads the period's 30,000 entries", a, "A"))
    results.append(("baseline B: sqlite3 GROUP BY period over all entries", b, "B"))
    results.append(("period_summary(trend=False)",
                    median_ms(lambda: period_summary(engine, key, trend=False), args.runs), "A"))
    results.append(("period_summary() — the dashboard's call: trend of the last 12 periods",
                    median_ms(lambda: period_summary(engine, key), args.runs), "A+B"))
    results.append(("period_summary(trend_window=None): trend over all 36 periods",
                    median_ms(lambda: period_summary(engine, key, trend_window=None),
                              args.runs), "A+B"))
    one = sorted({u.name for u in period_summary(engine, key, trend=False).units})[5]
    results.append((f"period_summary(unit={one!r})",
                    median_ms(lambda: period_summary(engine, key, unit=one), args.runs), "A+B"))
    summary = period_summary(engine, key)
    from app.services.reports.charts import CHARTS, build_figure, figure_png

    figure_png(build_figure("trend", summary), 100)  # import matplotlib outside the timing
    results.append(("5 chart figures built and drawn to PNG (100 dpi)", median_ms(
        lambda: [figure_png(build_figure(n, summary), 100) for n in CHARTS], 3), "A"))
    from app.services.reports.workbook import write_summary_workbook

    out = folder / "h.xlsx"
    results.append(("汇总表 written (30,000 task rows)", median_ms(
        lambda: write_summary_workbook(engine, key, out, summary=summary), 3), "A"))
    base = {"A": a, "B": b, "A+B": a + b}
    print("\n| operation | median ms | ratio |\n| --- | ---: | ---: |")
    for name, ms, ref in results:
        print(f"| {name} | {ms:.1f} | {ms / base[ref]:.1f} × {ref} |")
    raw.close()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
