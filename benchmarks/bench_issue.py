"""Issuing packets against plain xlsxwriter writing the same cells (run by hand).

    .venv/bin/python benchmarks/bench_issue.py [--packets 100] [--rows 200]

Setup (not timed): a plan of `rows` task items implemented by 20 units (each task names
its 20 units, as a real 落实 list does) and two indicators per unit, over as many monthly
periods as `packets` needs; the previous period of each already reported, so packets
carry values forward.

Baseline: a plain xlsxwriter script writing, for the same rows, the same cells with the
same features: a guide sheet, the task and indicator sheets (one format per column kind,
text/number/date cells, list/decimal/date/length validation per input column, protected
with unlocked inputs, frozen panes, print setup), the hidden list sheet and its defined
name, and the very hidden manifest (identity, and per row its key, sheet, row number,
hash and fixed content as JSON) — into memory, then to a file, one process, the rows
precomputed (outside the timing). The baseline and `issue_packets` take turns — one
packet each, seven times (medians); a period's packets by the baseline, then the same
period issued — so that the load of the shared machine, which swings by minutes, weighs
on both alike (measured one after the other, minutes apart, one run of the same code gave
1.06× per packet over 20 and 1.93× over 100). Timed: `issue_packets` (load the plan and history, build
the rows, seal, write atomically, record the packets in the ledger) for one packet — a
call in a process that has issued before, as a district issuing unit after unit does (the
plan is loaded once per connection while the database is unchanged), and, shown beside
it, the first call after a change (the plan loaded again); for up to 100 packets with
every file written in the calling process (the per-packet ratio); for all packets as it
runs by itself (a call of 20 alone is written in the calling process; from the second
call of a run, worker processes start within the measure and are kept for the next calls,
as one GUI or command-line process issuing period after period keeps them). One call per
period of 20 units, as a district issues a month.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import xlsxwriter
from harness import Measure, benchmark, log, once_ms
from sqlalchemy.orm import Session

from app.core.vocab import STATUS_LABELS
from app.services.db import open_database
from app.services.district.issue import (
    _History,
    build_rows,
    issue_packets,
    shutdown_workers,
)
from app.services.packets.format import (
    INDICATOR_FIXED_COLUMNS,
    INDICATOR_INPUT_FIELDS,
    INPUT_HEADERS,
    TASK_FIXED_COLUMNS,
    TASK_INPUT_FIELDS,
    PacketRow,
)
from app.services.plans.query import get_plan, insert_plan

TEXT = ("持续开展重点行业专项整治,结合化工整治目标完成VOCs治理任务,推进“一企一策”,"
        "加强执法检查和信息公开,第{0}项。")
UNITS_PER_PERIOD = 20


def _month(i: int) -> str:
    y, m = divmod(2021 * 12 + i, 12)
    return f"{y}-{m + 1:02d}"


def build(folder: Path, packets: int, rows: int) -> tuple[Path, list[str], list[str]]:
    """The database, its units and the periods to issue (first period reported)."""
    n_units = min(packets, UNITS_PER_PERIOD)
    n_periods = -(-packets // n_units)
    units = [f"第{i:02d}街道" for i in range(n_units)]
    spec: dict[str, Any] = {
        "title": "下发基准方案", "frequency": "month", "deadline_day": 5,
        "first_period": _month(0), "last_period": _month(n_periods),
        "units": [{"name": u, "kind": "street"} for u in units],
        "sections": [{"code": "1", "title": "生态安全"}],
        "tasks": [{"code": f"1.{i + 1}", "section": "1", "text": TEXT.format(i + 1),
                   "lead": [], "cooperating": [], "implementing": units,
                   "deadline": "2025-12" if i % 4 else "2021-06", "target": "≥95%"}
                  for i in range(rows)],
        "indicators": [{"code": str(i + 1), "name": f"指标{i + 1}", "unit": "%",
                        "standard": "≥90" if i % 2 else "制定实施", "lead": [units[i // 2]]}
                       for i in range(2 * n_units)],
    }
    path = folder / "issue.db"
    engine = open_database(path)
    with Session(engine) as s, s.begin():
        insert_plan(s, spec)
    engine.dispose()
    return path, units, [_month(p + 1) for p in range(n_periods)]


def plain_xlsxwriter(path: Path | io.BytesIO, rows: list[PacketRow], identity: dict[str, str]) -> None:
    """The same cells and features as a packet, written the plainest way xlsxwriter allows."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top",
            "text_wrap": True}
    fixed_fmt = wb.add_format({**base, "bg_color": "#F2F2F2"})
    input_fmt = wb.add_format({**base, "locked": False, "num_format": "@"})
    pct_fmt = wb.add_format({**base, "locked": False, "num_format": "0.##"})
    date_fmt = wb.add_format({**base, "locked": False, "num_format": "yyyy-mm-dd"})
    guide = wb.add_worksheet("填报说明")
    for r, (k, v) in enumerate(identity.items()):
        guide.write_string(r, 0, k)
        guide.write_string(r, 1, v)
    guide.protect()
    for sheet, fixed_cols, inputs, is_task in (
            ("任务进展", TASK_FIXED_COLUMNS, TASK_INPUT_FIELDS, True),
            ("指标填报", INDICATOR_FIXED_COLUMNS, INDICATOR_INPUT_FIELDS, False)):
        part = [r for r in rows if r.is_task == is_task]
        ws = wb.add_worksheet(sheet)
        ws.write_string(0, 0, sheet)
        names = [f for f, _ in fixed_cols] + list(inputs)
        for c, (_f, h) in enumerate(fixed_cols):
            ws.write_string(1, c, h)
        for c, f in enumerate(inputs, start=len(fixed_cols)):
            ws.write_string(1, c, INPUT_HEADERS[f])
        for i, row in enumerate(part, start=2):
            for c, f in enumerate(names):
                if c < len(fixed_cols):
                    v = row.fixed.get(f)
                    ws.write_string(i, c, "、".join(v) if isinstance(v, list) else str(v or ""),
                                    fixed_fmt)
                    continue
                v = row.values.get(f)
                if v is None or v == "":
                    ws.write_blank(i, c, None, input_fmt)
                elif f == "percent":
                    ws.write_number(i, c, float(v), pct_fmt)
                elif f == "completed_on":
                    day = dt.date.fromisoformat(str(v))
                    ws.write_datetime(i, c, dt.datetime(day.year, day.month, day.day), date_fmt)
                else:
                    ws.write_string(i, c, STATUS_LABELS.get(v, v) if f == "status" else str(v),
                                    input_fmt)
            ws.write_string(i, len(names), row.key)
        last = len(part) + 1
        for c, f in enumerate(inputs, start=len(fixed_cols)):
            if f == "status":
                opts: dict[str, Any] = {"validate": "list", "source": "=TZ_STATUS"}
            elif f in ("percent", "value"):
                opts = {"validate": "decimal", "criteria": "between", "minimum": 0,
                        "maximum": 100}
            elif f == "completed_on":
                opts = {"validate": "date", "criteria": "between",
                        "minimum": dt.datetime(2000, 1, 1), "maximum": dt.datetime(2099, 12, 31)}
            else:
                opts = {"validate": "length", "criteria": "<=", "value": 2000}
            ws.data_validation(2, c, last, c, opts)
        ws.freeze_panes(2, 1)
        ws.set_landscape()
        ws.repeat_rows(1, 1)
        ws.protect()
    lists = wb.add_worksheet("下拉选项")
    for i, label in enumerate(STATUS_LABELS.values()):
        lists.write_string(i, 0, label)
    lists.hide()
    wb.define_name("TZ_STATUS", f"='下拉选项'!$A$1:$A${len(STATUS_LABELS)}")
    man = wb.add_worksheet("_taizhang")
    r = 0
    for k, v in identity.items():
        man.write_string(r, 0, k)
        man.write_string(r, 1, v)
        r += 1
    for sheet, is_task in (("任务进展", True), ("指标填报", False)):
        for i, row in enumerate((x for x in rows if x.is_task == is_task), start=3):
            fixed = json.dumps(row.fixed, ensure_ascii=False, sort_keys=True)
            man.write_string(r, 0, row.key)
            man.write_string(r, 1, sheet)
            man.write_string(r, 2, str(i))
            man.write_string(r, 3, hashlib.sha256(fixed.encode()).hexdigest()[:16])
            man.write_string(r, 4, fixed)
            r += 1
    man.protect()
    man.very_hidden()
    wb.close()
    if isinstance(path, Path):
        path.write_bytes(buf.getvalue())


def _report_first_period(db: Path, units: list[str], out: Path) -> None:
    """Everyone reported the first period (so the packets carry values forward)."""
    from app.services.district.merge import apply_packets
    from app.services.packets.reader import read_packet
    from app.services.packets.writer import packet_bytes

    engine = open_database(db)
    issued = issue_packets(engine, _month(0), out / "first", units=units)
    returned = []
    for i, p in enumerate(issued.packets):
        pf = read_packet(p.path)
        for j, row in enumerate(pf.rows):
            if row.is_task:
                row.values.update(status="in_progress", percent=float((i + j) % 90),
                                  progress=TEXT.format(j), responsible="王敏",
                                  phone="0519-85160000")
        from dataclasses import replace

        path = out / "returned" / p.path.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(packet_bytes(replace(pf.manifest, direction="returned", revision=1),
                                      pf.rows))
        returned.append(path)
    results = apply_packets(engine, returned, period=None)
    assert all(r.status == "applied" for r in results), [r.status for r in results]
    engine.dispose()


SERIAL_MAX = 100  # packets issued in one process for the per-packet (serial) ratio


@benchmark("issue", small={"packets": 20, "rows": 200}, large={"packets": 1000, "rows": 200})
def measure(packets: int, rows: int, runs: int = 7) -> list[Measure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-issue-"))
    try:
        db, units, periods = build(folder, packets, rows)
        _report_first_period(db, units, folder)
        engine = open_database(db)
        plan = get_plan(engine, 1)
        ids = {u.name: u.id for u in plan.units}
        per_period = [units[:packets - i * len(units)] for i in range(len(periods))]
        serial_periods = -(-min(packets, SERIAL_MAX) // len(units))
        n_serial = sum(len(p) for p in per_period[:serial_periods])

        def period_rows(key: str, names: list[str]) -> list[tuple[str, list[PacketRow]]]:
            """The baseline's input: the rows issue_packets builds for a period (built
            outside the timed part)."""
            with Session(engine) as s:
                period = next(p for p in plan.periods if p.key == key)
                history = _History(s, 1, period)
                return [(name, build_rows(plan, period, ids[name], name, history))
                        for name in names]

        ident = {"format": "taizhang-packet", "packet_id": "0" * 32, "plan": plan.plan.title}

        def base_period(key: str, work: list[tuple[str, list[PacketRow]]], into: Path) -> float:
            """The baseline writing a period's packets, each timed, summed."""
            into.mkdir(parents=True, exist_ok=True)
            return sum(once_ms(lambda i=i, name=name, packet_rows=packet_rows: plain_xlsxwriter(
                into / f"{i}.xlsx", packet_rows, {**ident, "unit": name, "period": key}))
                for i, (name, packet_rows) in enumerate(work))

        # one packet: the baseline and issue_packets taking turns (medians), so a change of
        # the machine's load between the two shifts both
        (first_name, first_rows), = period_rows(periods[0], [units[0]])
        one_times: tuple[list[float], list[float], list[float]] = ([], [], [])

        def one_base() -> None:
            plain_xlsxwriter(folder / "one.xlsx", first_rows, {**ident, "unit": first_name})

        def one_ours() -> None:
            issue_packets(engine, periods[0], folder / "one", units=[units[0]])

        def one_fresh() -> None:
            issue_packets(engine, periods[0], folder / "fresh", units=[units[0]])

        def change() -> None:
            """A change to the database by another connection (untimed), as a merge or an
            edit elsewhere makes: the next call loads the plan again."""
            with sqlite3.connect(db) as other:
                other.execute("UPDATE plan SET title = title")
            other.close()

        one_base(), one_ours(), change(), one_fresh()  # warm-up
        for _ in range(runs):
            for times, fn in zip(one_times, (one_base, one_ours, one_fresh), strict=True):
                if fn is one_fresh:
                    change()
                times.append(once_ms(fn))
        one_b, one_o, one_f = (statistics.median(t) for t in one_times)
        log(f"one packet: baseline {one_b:.0f} ms, issue {one_o:.0f} ms "
            f"({one_f:.0f} ms after a change)")

        # the periods in turn: the baseline writes a period's packets, then issue_packets
        # issues the same period (each compared over the same stretch of time)
        serial_base = serial_ours = 0.0
        for key, names in zip(periods[:serial_periods], per_period, strict=False):
            serial_base += base_period(key, period_rows(key, names), folder / "sbase" / key)
            serial_ours += once_ms(lambda key=key, names=names: issue_packets(
                engine, key, folder / "serial" / key, units=names, workers=0))
        log(f"{n_serial} packets in this process: baseline {serial_base / 1000:.1f} s, "
            f"issue {serial_ours / 1000:.1f} s")
        shutdown_workers()  # as a first batch finds them: not started, no run yet
        used: set[int] = set()
        all_base = all_ours = 0.0
        for key, names in zip(periods, per_period, strict=True):
            all_base += base_period(key, period_rows(key, names), folder / "base" / key)
            all_ours += once_ms(lambda key=key, names=names: used.add(issue_packets(
                engine, key, folder / "all" / key, units=names).workers))
        procs = max(used)
        n_all = sum(len(p) for p in per_period)
        log(f"{n_all} packets: baseline {all_base / 1000:.1f} s, issue {all_ours / 1000:.1f} s "
            f"({procs} worker process(es) beside the calling one)")
        shutdown_workers()
        engine.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    one_l = f"plain xlsxwriter, same cells and features: one packet ({rows} rows)"
    serial_l = f"plain xlsxwriter: {n_serial} packets (the sum of each packet's write)"
    all_l = f"plain xlsxwriter: {n_all} packets (one process)"
    calls = f"one call per period of {len(units)} units, the baseline's period before each"
    return [Measure(one_l, one_b),
            Measure("`issue_packets`, one packet (plan, history, rows, seal, write, ledger; "
                    "a process that has issued before; taking turns with the baseline)",
                    one_o, base=one_l, target=1.5),
            Measure("`issue_packets`, one packet, first call after a change to the database "
                    "(the plan loaded again; no target of its own)", one_f, base=one_l),
            Measure(serial_l, serial_base),
            Measure(f"`issue_packets`, {n_serial} packets written in the calling process "
                    f"({calls}): the per-packet ratio", serial_ours, base=serial_l,
                    target=1.5),
            Measure(all_l, all_base),
            Measure(f"`issue_packets`, {n_all} packets ({calls}; " + (
                f"files written by the calling process and up to {procs} worker processes, "
                "started within the measure)" if procs else
                "all written in the calling process: too few packets a call for worker "
                "processes to pay, or a busy machine)"), all_ours, base=all_l, target=1.5)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--packets", type=int, default=100)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    for m in measure(args.packets, args.rows, args.runs):
        print(f"{m.label}: {m.value:.1f} ms" + (f" (base {m.base})" if m.base else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
