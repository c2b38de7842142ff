"""Merging N returned 200-row packets against a same-run baseline (run by hand).

    .venv/bin/python benchmarks/bench_merge.py [--n 100] [--rows 200] [--keep DIR]

Setup (not timed): a plan with `rows` task items implemented by 20 units (so each task
names 20 units, like a real plan's 落实 list), one packet per unit and month
(``issue_packets``) over as many months as N needs, each returned filled in every row
(status, percent, three texts, person, phone) the way the office app exports it (same
writer, direction "returned", revision 1). Merged without a period context (each packet
into its own month).

Timed, each on the same files (``main``, by hand):
* baseline: python-calamine opening each file and reading its task sheet and manifest;
* ``check_packets`` (the dry run: container checks, reader, seal, three-way compare);
* ``apply_packets`` of those previews into a fresh copy of the database (one transaction per
  packet: Core executemany of 200 entries, the ledger row with the first values'
  provenance, the receipt);
* merging the same files again (all `unchanged`);
* ``apply_packets`` straight from the paths (glance, then read + check + write each once;
  from 20 files the reading in a worker process, app/services/workers.py).
The registered benchmark (``run_all.py``) times calamine, the calamine + sqlite3 floor,
``apply_packets`` from the paths (with its peak RSS) and then the dry run.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import python_calamine
from harness import (
    ROOT,
    Measure,
    benchmark,
    children_peak_rss_mb,
    log,
    once_ms,
    peak_rss_mb,
    reset_peak_rss,
)

from app.core.vocab import STATUS_LABELS
from app.services.db import open_database
from app.services.district.check import check_packets
from app.services.district.issue import issue_packets
from app.services.district.merge import apply_packets
from app.services.packets.format import SHEET_MANIFEST, SHEET_TASKS, task_key
from app.services.packets.reader import read_packet
from app.services.packets.writer import packet_bytes
from app.services.plans.query import insert_plan
from app.services.workers import POOL

TEXT = "持续开展重点行业专项整治,结合化工整治目标完成VOCs治理,巡查发现问题{0}处并已整改到位。"


def _month(i: int) -> str:
    y, m = divmod(2021 * 12 + i, 12)
    return f"{y}-{m + 1:02d}"


def build(folder: Path, n: int, rows: int, units_per_period: int = 20
          ) -> tuple[Path, list[Path]]:
    """N packets: `units_per_period` units (each implementing every task, so a task names
    that many units, as real plans do) over as many monthly periods as needed."""
    db_path = folder / "district.db"
    engine = open_database(db_path)
    n_units = min(n, units_per_period)
    n_periods = -(-n // n_units)
    units = [f"第{i:02d}街道" for i in range(n_units)]
    spec = {
        "title": "合并基准方案", "frequency": "month", "deadline_day": 5,
        "first_period": _month(0), "last_period": _month(n_periods - 1),
        "units": [{"name": u, "kind": "street"} for u in units],
        "sections": [{"code": "1", "title": "生态安全"}],
        "tasks": [{"code": f"1.{i + 1}", "section": "1", "text": TEXT.format(i) * 2,
                   "lead": [], "cooperating": [], "implementing": units,
                   "deadline": "2025-12"} for i in range(rows)],
    }
    from sqlalchemy.orm import Session

    with Session(engine) as s, s.begin():
        plan_id = insert_plan(s, spec)
    t = time.perf_counter()
    issued = []
    for p in range(n_periods):
        left = n - len(issued)
        result = issue_packets(engine, _month(p), folder / "issued" / _month(p),
                               plan_id=plan_id, units=units[:left])
        issued += [(_month(p), pk) for pk in result.packets]
    print(f"issued {len(issued)} packets in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    engine.dispose()
    returned = []
    out = folder / "returned"
    out.mkdir()
    for i, (period, p) in enumerate(issued):
        pf = read_packet(p.path)
        for j, row in enumerate(pf.rows):
            row.values = {"status": ("in_progress", "completed", "behind")[j % 3],
                          "percent": float((i + j) % 101), "progress": TEXT.format(j),
                          "problems": "资金未到位" if j % 3 == 2 else "",
                          "next_steps": "继续推进,按月调度", "responsible": "王敏",
                          "phone": "0519-85160000", "completed_on": None}
        manifest = replace(pf.manifest, direction="returned", revision=1)
        path = out / period / p.path.name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(packet_bytes(manifest, pf.rows))
        returned.append(path)
    return db_path, returned


def copy_db(src: Path, dest: Path) -> Path:
    a, b = sqlite3.connect(src), sqlite3.connect(dest)
    try:
        a.backup(b)
    finally:
        a.close()
        b.close()
    return dest


def calamine_read(files: list[Path]) -> None:
    for f in files:
        wb = python_calamine.CalamineWorkbook.from_path(str(f))
        wb.get_sheet_by_name(SHEET_MANIFEST).to_python()
        wb.get_sheet_by_name(SHEET_TASKS).to_python()
        wb.close()


def timed(label: str, fn) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - t
    print(f"{label}: {elapsed:.2f} s", file=sys.stderr)
    del result
    return elapsed


CACHE = Path(tempfile.gettempdir()) / "taizhang-bench-cache"


def cached_build(n: int, rows: int) -> tuple[Path, list[Path]]:
    """`build` once per code version: the packets and the template database are kept in the
    temp folder under a key that changes with what building them runs — the packet format,
    issuing, inserting a plan, the schema and `build` itself — but not with the merge code
    that is measured on them (so changing merge.py does not cost a 6–10 minute rebuild), nor
    with the packet reader's own files (reader.py, container.py: the office opens each
    issued packet with them, but what it fills and exports is the writer's)."""
    digest = hashlib.sha256(f"{n}x{rows}".encode())
    sources = [f for folder in ("app/services/packets", "app/models", "app/migrations/versions")
               for f in sorted((ROOT / folder).glob("*.py"))
               if f.name not in ("reader.py", "container.py")]
    sources += [ROOT / "app/services/district/issue.py", ROOT / "app/services/plans/query.py"]
    for f in sources:
        digest.update(f.name.encode() + f.read_bytes())
    digest.update((inspect.getsource(build) + TEXT).encode())
    folder = CACHE / f"merge-{n}x{rows}-{digest.hexdigest()[:12]}"
    done = folder / "files.txt"
    if done.exists():
        return folder / "district.db", [Path(x) for x in done.read_text().splitlines()]
    shutil.rmtree(folder, ignore_errors=True)
    for old in CACHE.glob(f"merge-{n}x{rows}-*"):
        shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True)
    db, files = build(folder, n, rows)
    done.write_text("\n".join(str(f) for f in files))
    return db, files


def sqlite_floor(db: Path, files: list[Path]) -> None:
    """The floor of a merge: calamine reads each file (manifest + task sheet), then plain
    sqlite3 inserts its rows with executemany, one transaction per packet, with the app's
    connection settings (WAL, synchronous=FULL, foreign keys)."""
    con = sqlite3.connect(db, isolation_level=None)
    for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL"):
        con.execute(f"PRAGMA {pragma}")
    tasks = {task_key(uid): tid for tid, uid in con.execute("SELECT id, uid FROM task")}
    units = dict(con.execute("SELECT name, id FROM unit"))
    periods = dict(con.execute("SELECT key, id FROM period"))
    codes = {v: k for k, v in STATUS_LABELS.items()}
    sql = ("INSERT INTO progress_entry (unit_id, task_id, period_id, status, percent, progress,"
           " problems, next_steps, responsible, phone, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)")
    for f in files:
        wb = python_calamine.CalamineWorkbook.from_path(str(f))
        manifest = dict((r[0], r[1]) for r in wb.get_sheet_by_name(SHEET_MANIFEST).to_python()
                        if len(r) > 1 and r[0])
        sheet = wb.get_sheet_by_name(SHEET_TASKS).to_python()
        wb.close()
        unit, period = units[manifest["unit"]], periods[manifest["period"]]
        params = [(unit, tasks[r[-1]], period, codes.get(r[6]), r[7] if r[7] != "" else None,
                   r[8], r[9], r[10], r[11], r[12]) for r in sheet[2:] if r[-1] in tasks]
        con.execute("BEGIN")
        con.executemany(sql, params)
        con.execute("COMMIT")
    con.close()


@benchmark("merge", small={"n": 100, "rows": 200}, large={"n": 1000, "rows": 200})
def measure(n: int, rows: int) -> list[Measure]:
    """Merging N returned packets from files against calamine + plain sqlite3."""
    template, files = cached_build(n, rows)
    work = Path(tempfile.mkdtemp(prefix="bench-merge-"))
    rounds = 1 if n >= 1000 else 3
    try:
        # page cache, imports and first-use costs on both sides (calamine's and the merge's
        # modules, SQLAlchemy's compiled statements), as in a program that has merged before
        calamine_read(files[:3])
        engine = open_database(copy_db(template, work / "warm.db"))
        apply_packets(engine, files[:3], period=None)
        engine.dispose()
        cals, floors, merges, rss = [], [], [], 0.0
        for r in range(rounds):  # the two sides take turns: the machine's swings hit both
            cals.append(once_ms(lambda: calamine_read(files)))
            floor_db = copy_db(template, work / f"floor{r}.db")
            floors.append(once_ms(lambda db=floor_db: sqlite_floor(db, files)))
            # the merge before the dry run: the dry run's 1,000 previews, once freed, leave
            # the process's heap large, and the peak RSS is to say what merging holds
            eng = open_database(copy_db(template, work / f"fresh{r}.db"))
            results: list = []
            POOL.shutdown()  # each round starts its worker processes within the measure
            reset_peak_rss()
            merges.append(once_ms(lambda e=eng, out=results: out.extend(
                apply_packets(e, files, period=None))))
            # this process and the worker processes that read files for it (their peaks
            # added, as if they had come at the same moment)
            rss = max(rss, peak_rss_mb() + children_peak_rss_mb())
            eng.dispose()
            assert all(x.status == "applied" for x in results), {x.status for x in results}
            log(f"round {r + 1}: calamine {cals[-1] / 1000:.1f} s, floor {floors[-1] / 1000:.1f}"
                f" s, merge {merges[-1] / 1000:.1f} s, peak {rss:.0f} MB")
        cal, floor, merge = (statistics.median(x) for x in (cals, floors, merges))
        engine = open_database(copy_db(template, work / "dry.db"))
        dry = once_ms(lambda: check_packets(engine, files, period=None))
        engine.dispose()
        log(f"dry run {dry / 1000:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cal_l = "python-calamine reads the files (task sheet + manifest)"
    floor_l = "floor: calamine read + sqlite3 executemany, one transaction per packet"
    note = f"median of {rounds} rounds, the two sides taking turns" if rounds > 1 else ""
    return [Measure(cal_l, cal, note=note), Measure(floor_l, floor, base=cal_l, note=note),
            Measure("`check_packets` (the CLI's --dry-run: read, check, compare)", dry, base=cal_l),
            Measure("`apply_packets` from the files (read, check, write; files read ahead by a "
                    "worker process started within the measure, where the machine has a core "
                    "for it)", merge, base=floor_l, target=2.0 if n >= 1000 else 2.5),
            Measure("peak RSS while merging (the merging process + its worker processes)",
                    rss, unit="MB", target=300)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--keep", help="build in this folder and keep it")
    args = ap.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-merge-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        template, files = build(folder, args.n, args.rows)
        calamine_read(files[:3])  # warm the page cache and imports
        base = timed("calamine read", lambda: calamine_read(files))

        work = copy_db(template, folder / "work.db")
        engine = open_database(work)
        previews: list = []
        dry = timed("check_packets (dry run)", lambda: previews.extend(
            check_packets(engine, files, period=None)))
        assert all(p.status == "new" for p in previews), {p.status for p in previews}
        results: list = []
        apply = timed("apply_packets (writes)", lambda: results.extend(
            apply_packets(engine, previews, period=None)))
        assert all(r.status == "applied" for r in results)
        again: list = []
        repeat = timed("merge again (unchanged)", lambda: again.extend(
            apply_packets(engine, files, period=None)))
        assert all(r.status == "unchanged" for r in again)
        engine.dispose()

        fresh = copy_db(template, folder / "fresh.db")
        engine = open_database(fresh)
        both = timed("apply_packets from paths (read + write)", lambda: apply_packets(
            engine, files, period=None))
        engine.dispose()
        with sqlite3.connect(fresh) as con:
            entries = con.execute("SELECT count(*) FROM progress_entry").fetchone()[0]
            audit = con.execute("SELECT count(*) FROM audit_log").fetchone()[0]

        n = len(files)
        print(f"\n{n} packets × {args.rows} rows; {entries} entries, {audit} audit rows\n")
        print("| operation | total s | ms / packet | ratio |")
        print("| --- | ---: | ---: | ---: |")
        for label, secs in (("python-calamine: read task sheet + manifest (baseline)", base),
                            ("`check_packets`: read, check, compare (dry run)", dry),
                            ("`apply_packets` of the previews (writes only)", apply),
                            ("`apply_packets` from paths (read + check + write)", both),
                            ("same files again (all unchanged)", repeat)):
            print(f"| {label} | {secs:.2f} | {1000 * secs / n:.1f} | {secs / base:.1f} |")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
