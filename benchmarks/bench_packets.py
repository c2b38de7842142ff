"""Packet write and read speed against same-run baselines (run by hand, not in the tests).

    .venv/bin/python benchmarks/bench_packets.py [--rows 200] [--runs 15]

Writing: our xlsxwriter writer vs the zip/deflate floor (deflating the packet's own parts
into a zip) vs an openpyxl writer producing the same features (validation list from a
defined name on a hidden sheet, decimal/date/length validation, protection with unlocked
inputs, a very-hidden manifest). Reading: our reader (container checks, manifest, keys,
value rules, formula scan) vs raw python-calamine reading the same two sheets vs the floor
of decompressing the parts. Prints medians and ratios as a Markdown table.
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


def sample_packet(n: int) -> tuple[object, list[PacketRow], bytes]:
    rows = sample_rows(n)[:n]
    for i, row in enumerate(rows):
        row.values.update(progress=f"完成 VOCs 治理 {i} 家企业,推进“一企一策”,本月检查 12 次。",
                          status="in_progress", percent=float(i % 100), responsible="王晓红",
                          phone="0519-86661234")
    manifest = sealed(sample_manifest(), rows)
    return manifest, rows, packet_bytes(manifest, rows)


@benchmark("packets", small={"rows": 50, "runs": 9}, large={"rows": 200, "runs": 15})
def measure(rows: int, runs: int) -> list[Measure]:
    """Write and read one packet against the zip floor and raw python-calamine."""
    manifest, packet_rows, data = sample_packet(rows)
    floor_w = median_ms(deflate_floor(data), runs)
    ours_w = median_ms(lambda: packet_bytes(manifest, packet_rows), runs)  # type: ignore[arg-type]
    opx_w = median_ms(openpyxl_writer(packet_rows), max(3, runs // 3))
    floor_r = median_ms(unzip_floor(data), runs)
    cal_r = median_ms(calamine_raw(data), runs)
    from app.services.packets import reader

    def cold() -> None:
        """Nothing of this content seen before (a first packet; the caches of issued
        content and of cell values cleared)."""
        reader._normalise.cache_clear()
        reader._EXPECTED.clear()
        reader._FIXED_JSON.clear()
        read_packet(data, name="p.xlsx")

    ours_r = median_ms(cold, runs)
    warm_r = median_ms(lambda: read_packet(data, name="p.xlsx"), runs)
    floor_w_l = "write: zip/deflate floor (the packet's own parts)"
    cal_l = "read: raw python-calamine, task sheet + manifest"
    return [Measure(floor_w_l, floor_w),
            Measure("write: `packet_bytes` (xlsxwriter, all features)", ours_w, base=floor_w_l),
            Measure("write: openpyxl, same features", opx_w, base=floor_w_l),
            Measure("read: decompress the sheet parts (floor)", floor_r),
            Measure(cal_l, cal_r),
            Measure("read: `read_packet`, first of its kind (checks, manifest, keys, rules, "
                    "formula scan)", ours_r, base=cal_l, target=2.0),
            Measure("read: `read_packet`, issued content seen before (the other units' "
                    "packets of a period)", warm_r, base=cal_l, target=2.0)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    ms = measure(args.rows, args.runs)
    values = {m.label: m.value for m in ms}
    print(f"{args.rows} task rows + 2 indicators, median of {args.runs} runs\n")
    print("| operation | median ms | ratio |")
    print("| --- | ---: | ---: |")
    for m in ms:
        ratio = f"{m.value / values[m.base]:.2f}" if m.base else "1.00"
        print(f"| {m.label} | {m.value:.1f} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
