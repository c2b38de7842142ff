"""The dry run's warnings: a 完成进度 that looks like "60%" lost its percent format."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from merge_helpers import fill_by_hand, issue, row_keys

from app.services.db import Database
from app.services.district.check import check_packets
from app.services.district.merge import apply_packets
from app.services.packets.format import SHEET_TASKS
from app.services.packets.reader import read_packet

UNIT = "青龙街道"


def _percent_cell(path: Path, key: str) -> str:
    row = read_packet(path).row(key)
    assert row is not None
    return row.cells["percent"]


def test_fraction_after_last_periods_percent_is_warned(tianning: Database,
                                                       tmp_path: Path) -> None:
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    key = row_keys(june)[0]
    filled = fill_by_hand(june, tmp_path / "r6.xlsx", {key: {"status": "in_progress",
                                                             "percent": 40}})
    assert [r.status for r in apply_packets(tianning, check_packets(tianning, [filled]))] == [
        "applied"]
    july = issue(tianning, "2021-07", [UNIT], tmp_path)[UNIT]
    plain = fill_by_hand(july, tmp_path / "r7.xlsx", {key: {"status": "in_progress",
                                                            "percent": 0.6}})
    preview = check_packets(tianning, [plain])[0]
    assert preview.status == "new"
    cell = _percent_cell(july, key)
    hits = [w for w in preview.warnings if "上期是 40" in w.message]
    assert [(w.sheet, w.cell) for w in hits] == [(SHEET_TASKS, cell)]
    assert "60%" in hits[0].message
    # the same 0.6 shown as 60% (what Excel/LibreOffice store for a typed "60%"): 60, no warning
    wb = openpyxl.load_workbook(plain)
    wb[SHEET_TASKS][cell].number_format = "0%"
    formatted = tmp_path / "r7b.xlsx"
    wb.save(formatted)
    preview = check_packets(tianning, [formatted])[0]
    assert not any("上期是" in w.message for w in preview.warnings)
    assert preview.status == "new" and preview.rows_new >= 1
    row = read_packet(formatted).row(key)
    assert row is not None and row.values["percent"] == 60.0 and row.percent_format
