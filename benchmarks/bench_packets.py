"""Packet write and read speed against same-run baselines (run by hand, not in the tests).

    .venv/bin/python benchmarks/bench_packets.py [--rows 200] [--runs 15]

Writing: our xlsxwriter writer vs the zip/deflate floor (deflating the packet's own parts
into a zip) vs an openpyxl writer producing the same features (validation list from a
defined name on a hidden sheet, decimal/date/length validation, protection with unlocked
inputs, a very-hidden manifest). Reading: our reader (container checks, manifest, keys,
value rules, formula scan) vs raw python-calamine reading the same two sheets of the same
files vs the floor of decompressing the parts, over a batch of 20 distinct units' packets
per timed call (one packet takes a few ms: ms-level noise averages out over the batch),
the four taking turns in every round; medians per packet of the process's CPU time (all
four run in the calling thread; another process taking the core is not counted against the
side it interrupted). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import python_calamine
from harness import Measure, benchmark
from packet_helpers import sample_manifest, sample_rows, sealed

from app.core.vocab import STATUS_LABELS
from app.services.packets.format import (
    FIRST_DATA_ROW,
    INPUT_HEADERS,
    SHEET_MANIFEST,
    SHEET_TASKS,
    TASK_FIXED_COLUMNS,
    TASK_INPUT_FIELDS,
    PacketRow,
)
from app.services.packets.reader import read_packet
from app.services.packets.writer import packet_bytes


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def deflate_floor(data: bytes) -> Callable[[], bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = [(n, zf.read(n)) for n in zf.namelist()]

    def run() -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for name, body in parts:
                out.writestr(name, body)
        return buf.getvalue()

    return run


def openpyxl_writer(rows: list[PacketRow]) -> Callable[[], bytes]:
    import json

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, PatternFill, Protection, Side
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    def run() -> bytes:
        wb = Workbook()
        guide = wb.active
        guide.title = "填报说明"
        guide["A1"] = "说明"
        ws = wb.create_sheet(SHEET_TASKS)
        thin = Side(style="thin", color="A6A6A6")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        grey = PatternFill("solid", fgColor="F2F2F2")
        wrap = Alignment(wrap_text=True, vertical="top")
        unlocked = Protection(locked=False)
        headers = [h for _, h in TASK_FIXED_COLUMNS] + [INPUT_HEADERS[f] for f in
                                                         TASK_INPUT_FIELDS] + ["行标识"]
        ws.append(["标题"])
        ws.append(headers)
        for r, row in enumerate(rows, start=FIRST_DATA_ROW + 1):
            for c, (f, _h) in enumerate(TASK_FIXED_COLUMNS, start=1):
                cell = ws.cell(r, c, str(row.fixed.get(f, "")))
                cell.data_type = "s"
                cell.fill, cell.border, cell.alignment = grey, border, wrap
            for c, f in enumerate(TASK_INPUT_FIELDS, start=len(TASK_FIXED_COLUMNS) + 1):
                value = row.values.get(f)
                cell = ws.cell(r, c, STATUS_LABELS.get(value, value) if f == "status" else value)
                cell.protection, cell.border, cell.alignment = unlocked, border, wrap
            ws.cell(r, len(headers), row.key)
        last = FIRST_DATA_ROW + len(rows)
        dv = DataValidation(type="list", formula1="TZ_STATUS", allow_blank=True)
        dv.add(f"G3:G{last}")
        ws.add_data_validation(dv)
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
        dv.add(f"H3:H{last}")
        ws.add_data_validation(dv)
        dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73050")
        dv.add(f"N3:N{last}")
        ws.add_data_validation(dv)
        for col in "IJKLM":
            dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="2000")
            dv.add(f"{col}3:{col}{last}")
            ws.add_data_validation(dv)
        ws.protection.sheet = True
        ws.freeze_panes = "B3"
        lists = wb.create_sheet("下拉选项")
        for i, label in enumerate(STATUS_LABELS.values(), start=1):
            lists.cell(i, 1, label)
        lists.sheet_state = "hidden"
        wb.defined_names["TZ_STATUS"] = DefinedName("TZ_STATUS",
                                                    attr_text="'下拉选项'!$A$1:$A$5")
        man = wb.create_sheet(SHEET_MANIFEST)
        for i, row in enumerate(rows, start=1):
            man.cell(i, 1, row.key)
            man.cell(i, 2, json.dumps(row.fixed, ensure_ascii=False))
        man.sheet_state = "veryHidden"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    return run


def calamine_raw(data: bytes) -> Callable[[], object]:
    def run() -> object:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        out = (wb.get_sheet_by_name(SHEET_TASKS).to_python(skip_empty_area=False),
               wb.get_sheet_by_name(SHEET_MANIFEST).to_python(skip_empty_area=False))
        wb.close()
        return out

    return run


def unzip_floor(data: bytes) -> Callable[[], int]:
    def run() -> int:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return sum(len(zf.read(n)) for n in zf.namelist()
                       if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")

    return run


UNITS = ("青龙街道", "红梅街道", "天宁区教育局", "茶山街道", "雕庄街道", "兰陵街道",
         "郑陆镇", "天宁经济开发区", "区住建局", "区交通局", "区水利局", "区城管局",
         "区农业农村局", "区市场监管局", "区卫健委", "区应急局", "区商务局", "区文广旅局",
         "区发改局", "区财政局")


def sample_packet(n: int, unit: int = 0) -> tuple[object, list[PacketRow], bytes]:
    """One unit's returned packet: the period's issued rows (the same for every unit) with
    this unit's own values (texts and figures differ from unit to unit)."""
    rows = sample_rows(n)[:n]
    for i, row in enumerate(rows):
        row.values.update(progress=f"完成 VOCs 治理 {i + unit} 家企业,推进“一企一策”,"
                                   f"本月检查 {12 + unit} 次。",
                          status="in_progress", percent=float((i + unit) % 100),
                          responsible="王晓红", phone="0519-86661234")
    manifest = sealed(sample_manifest(unit=UNITS[unit % len(UNITS)],
                                      packet_id=f"{unit:032x}"), rows)
    return manifest, rows, packet_bytes(manifest, rows)


def interleaved_ms(fns: dict[str, Callable[[], object]], rounds: int,
                   between: Callable[[], object] | None = None) -> dict[str, float]:
    """Median ms of each function over `rounds` rounds, the functions taking turns within
    each round (a burst of load on the shared machine hits all of them alike, not one).
    CPU time of this process (every side runs in the calling thread): the time another
    process holds the core is not counted against whichever side it interrupted."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            if between is not None:
                between()
            t = time.process_time()
            fn()
            times[k].append((time.process_time() - t) * 1000)
    return {k: statistics.median(v) for k, v in times.items()}


BATCH = 20  # distinct packets per timed call: a few ms each, so noise averages out


@benchmark("packets", small={"rows": 50, "runs": 21}, large={"rows": 200, "runs": 21})
def measure(rows: int, runs: int) -> list[Measure]:
    """Write one packet against the zip floor and openpyxl; read a batch of 20 units'
    packets against raw python-calamine reading the same two sheets of the same files."""
    manifest, packet_rows, data = sample_packet(rows)
    floor_w = median_ms(deflate_floor(data), runs)
    ours_w = median_ms(lambda: packet_bytes(manifest, packet_rows), runs)  # type: ignore[arg-type]
    opx_w = median_ms(openpyxl_writer(packet_rows), max(3, runs // 3))
    batch = [data] + [sample_packet(rows, unit)[2] for unit in range(1, BATCH)]
    from app.services.packets import reader

    def floor() -> None:
        for d in batch:
            unzip_floor(d)()

    def calamine() -> None:
        for d in batch:
            calamine_raw(d)()

    def cold() -> None:
        """Nothing of the content seen before, for every packet (each one the first of
        its period: the caches of issued content and of cell values emptied first)."""
        for i, d in enumerate(batch):
            reader._clear_caches()
            read_packet(d, name=f"p{i}.xlsx")

    def warm() -> None:
        """A period's batch: the issued content seen before (the other units' packets),
        each unit's own values new (the cache of cell values emptied before the batch)."""
        reader._clear_caches(issued=False)
        for i, d in enumerate(batch):
            read_packet(d, name=f"p{i}.xlsx")

    got = interleaved_ms({"floor": floor, "calamine": calamine, "cold": cold, "warm": warm},
                         runs)
    per = {k: v / BATCH for k, v in got.items()}
    floor_w_l = "write: zip/deflate floor (the packet's own parts)"
    cal_l = f"read: raw python-calamine, task sheet + manifest (per packet, batches of {BATCH})"
    return [Measure(floor_w_l, floor_w),
            Measure("write: `packet_bytes` (xlsxwriter, all features)", ours_w, base=floor_w_l),
            Measure("write: openpyxl, same features", opx_w, base=floor_w_l),
            Measure("read: decompress the sheet parts (floor)", per["floor"]),
            Measure(cal_l, per["calamine"]),
            Measure("read: `read_packet`, each first of its kind (checks, manifest, keys, "
                    "rules, formula scan)", per["cold"], base=cal_l, target=2.0),
            Measure("read: `read_packet`, a period's batch (issued content seen before, "
                    "each unit's values new)", per["warm"], base=cal_l, target=2.0)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    ms = measure(args.rows, args.runs)
    values = {m.label: m.value for m in ms}
    print(f"{args.rows} task rows + 2 indicators, median of {args.runs} runs "
          f"(reading: {BATCH} packets per run, interleaved with the baselines)\n")
    print("| operation | median ms | ratio |")
    print("| --- | ---: | ---: |")
    for m in ms:
        ratio = f"{m.value / values[m.base]:.2f}" if m.base else "1.00"
        print(f"| {m.label} | {m.value:.1f} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
