"""退回修改: flag fields, send a correction packet with only those cells open, merge its
return (flagged cells taken, anything else ignored) and close the flags."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from merge_helpers import fill_by_hand, issue, office_return, row_keys, table_dump
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import Flag, ProgressEntry, Receipt, Task
from app.services.db import Database
from app.services.district.corrections import (
    flag_field,
    issue_correction_packet,
    list_flags,
    remove_flag,
    reported_fields,
)
from app.services.district.merge import apply_packets
from app.services.district.receipts import receipt_ledger
from app.services.packets.format import SHEET_TASKS
from app.services.packets.reader import read_packet

PERIOD = "2021-06"
UNIT = "青龙街道"


@pytest.fixture
def merged(tianning: Database, tmp_path: Path) -> Iterator[tuple[Database, Path, list[str]]]:
    """青龙街道 issued, returned and merged with three rows filled."""
    src = issue(tianning, PERIOD, [UNIT], tmp_path)[UNIT]
    keys = row_keys(src)
    values = {keys[0]: {"status": "in_progress", "percent": 40.0, "progress": "原进展"},
              keys[1]: {"status": "completed", "percent": 100.0, "progress": "已完成",
                        "completed_on": "2021-06-20"},
              keys[2]: {"status": "behind", "percent": 10.0, "progress": "滞后"}}
    hand = fill_by_hand(src, tmp_path / "return.xlsx", values)
    assert apply_packets(tianning, [hand], period=PERIOD)[0].status == "applied"
    yield tianning, src, keys


def test_flags_are_listed_and_validated(merged: tuple[Database, Path, list[str]]) -> None:
    db, _src, keys = merged
    fields = reported_fields(db, 1, PERIOD, UNIT)
    assert {f.key for f in fields} == set(keys[:3])
    assert next(f for f in fields if f.key == keys[0] and f.field == "status").shown == "推进中"
    flag = flag_field(db, 1, PERIOD, UNIT, keys[0], "percent", "进度与进展描述不符,请核实")
    again = flag_field(db, 1, PERIOD, UNIT, keys[0], "percent", "请核实进度")
    assert again.id == flag.id and again.comment == "请核实进度"
    assert [f.field for f in list_flags(db, 1, PERIOD, UNIT)] == ["percent"]
    assert next(f for f in reported_fields(db, 1, PERIOD, UNIT)
                if f.key == keys[0] and f.field == "percent").flag_id == flag.id
    with pytest.raises(UserFacingError, match="退回意见"):
        flag_field(db, 1, PERIOD, UNIT, keys[0], "status", "  ")
    with pytest.raises(UserFacingError, match="不是可退回修改"):
        flag_field(db, 1, PERIOD, UNIT, keys[0], "text", "改任务")
    remove_flag(db, flag.id)
    assert list_flags(db, 1, PERIOD, UNIT) == []
    with pytest.raises(UserFacingError, match="没有待退回修改"):
        issue_correction_packet(db, 1, PERIOD, UNIT, Path("/nonexistent/x.xlsx"))


def test_correction_packet_round_trip(merged: tuple[Database, Path, list[str]],
                                      tmp_path: Path) -> None:
    db, _src, keys = merged
    flag_field(db, 1, PERIOD, UNIT, keys[0], "percent", "进度与进展描述不符,请核实")
    flag_field(db, 1, PERIOD, UNIT, keys[2], "problems", "滞后请写明原因")
    out = issue_correction_packet(db, 1, PERIOD, UNIT, tmp_path / "fix.xlsx")
    assert all(f.packet_uid == out.packet_uid for f in list_flags(db, 1, PERIOD, UNIT))
    ledger = receipt_ledger(db, 1, PERIOD)
    assert next(r for r in ledger.rows if r.unit == UNIT).state == "returned_for_fix"

    # only the flagged cells are unlocked; comments travel with them
    pf = read_packet(out.path)
    assert pf.manifest.kind == "correction"
    wb = openpyxl.load_workbook(out.path)
    ws = wb[SHEET_TASKS]
    row0, row2 = pf.row(keys[0]), pf.row(keys[2])
    assert row0 is not None and row2 is not None
    assert ws[row0.cells["percent"]].protection.locked is False
    assert ws[row0.cells["status"]].protection.locked is True
    assert ws[row2.cells["problems"]].protection.locked is False
    assert ws[row0.cells["percent"]].value == 40
    assert "请核实" in (ws[row0.cells["percent"]].comment.text or "")

    # the clerk fixes the flagged cells and also (against the lock) a status
    fixed = fill_by_hand(out.path, tmp_path / "fixed.xlsx", {
        keys[0]: {"percent": 60.0, "status": "completed"},
        keys[2]: {"problems": "资金未到位"}})
    [result] = apply_packets(db, [fixed], period=PERIOD)
    assert result.status == "applied" and result.rows_applied == 2
    assert any("未要求修改" in w.message and w.cell == row0.cells["status"]
               for w in result.warnings)
    with Session(db) as s:
        by_uid = {uid: e for uid, e in s.execute(
            select(Task.uid, ProgressEntry).join(Task, Task.id == ProgressEntry.task_id))}
        assert (by_uid[keys[0][2:]].percent, by_uid[keys[0][2:]].status) == (60.0,
                                                                           "in_progress")
        assert by_uid[keys[2][2:]].problems == "资金未到位"
        assert {f.status for f in s.scalars(select(Flag))} == {"closed"}
        receipt = s.scalar(select(Receipt))
        assert receipt is not None and receipt.state == "accepted"
    assert list_flags(db, 1, PERIOD, UNIT) == []
    assert len(list_flags(db, 1, PERIOD, UNIT, status="closed")) == 2
    before = table_dump(db)
    assert apply_packets(db, [fixed], period=PERIOD)[0].status == "unchanged"
    assert table_dump(db) == before


def test_correction_filled_in_the_office_app(merged: tuple[Database, Path, list[str]],
                                             tmp_path: Path) -> None:
    db, _src, keys = merged
    flag_field(db, 1, PERIOD, UNIT, keys[1], "completed_on", "完成日期应在本月内")
    out = issue_correction_packet(db, 1, PERIOD, UNIT, tmp_path / "fix.xlsx")
    ret = office_return(out.path, tmp_path / "office" / "fix.xlsx",
                        {keys[1]: {"completed_on": "2021-06-25"}}, PERIOD)
    [result] = apply_packets(db, [ret], period=PERIOD)
    assert result.status == "applied" and result.rows_applied == 1, result.errors
    with Session(db) as s:
        e = s.scalar(select(ProgressEntry).join(Task).where(Task.uid == keys[1][2:]))
        assert e is not None and str(e.completed_on) == "2021-06-25"
    assert list_flags(db, 1, PERIOD, UNIT) == []
