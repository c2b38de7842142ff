"""台账 services: the grid, the report behind a cell, district corrections (更正) and the
three-way merge, 审核 and 销号 with their effects on packets, the 通报 and the 汇总表."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from merge_helpers import TOWNS, issue, office_return, row_keys, table_dump
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.errors import UserFacingError
from app.models import AuditLog, Packet, Period, ProgressEntry, Task, Unit
from app.services.db import Database
from app.services.district.approval import approve, approve_received, close_out
from app.services.district.check import check_packets
from app.services.district.conflicts import list_conflicts
from app.services.district.corrections import edit_entry
from app.services.district.ledger import cell_detail, ledger_grid, ledger_json, unit_period
from app.services.district.merge import apply_packets
from app.services.district.progress import period_progress, progress_json
from app.services.district.receipts import receipt_ledger
from app.services.packets.reader import read_packet
from app.services.reports.document import build_bulletin
from app.services.reports.summary import period_summary
from app.services.reports.workbook import write_summary_workbook

PERIOD = "2021-06"


def _codes(db: Database, unit: str, n: int = 6) -> list[str]:
    grid = ledger_grid(db, PERIOD, 1)
    uid = next(u.id for u in grid.units if u.name == unit)
    return [t.code for t in grid.tasks if (c := grid.cell(t.id, uid)) and c.reported][:n]


def test_grid_cells_counts_changes_and_behind(ledger_db: Database) -> None:
    grid = ledger_grid(ledger_db, PERIOD, 1)
    assert grid.period.key == PERIOD and grid.previous and grid.previous.key == "2021-05"
    names = [u.name for u in grid.units]
    assert set(TOWNS) <= set(names)
    towns = {u.name: u for u in grid.units if u.name in TOWNS}
    for u in towns.values():
        assert u.reported == 6 and u.assigned == 50 and u.received and not u.approved
    dept = next(u for u in grid.units if u.name == "天宁生态环境局")
    assert dept.reported == 0 and dept.assigned > 0 and not dept.received
    first = grid.tasks[0]
    assert first.reported == 8 and first.assigned >= 8
    zl = towns["郑陆镇"].id
    cell = grid.cell(first.id, zl)
    assert cell is not None and cell.role == "implementing"
    # 郑陆镇 fell from 21% to 5% on its first item: going backwards
    assert (cell.percent, cell.previous_percent, cell.changed) == (5.0, 21.0, "down")
    assert cell.backwards
    other = grid.cell(first.id, towns["青龙街道"].id)
    assert other is not None and other.changed == "up"
    behind = [c for c in grid.cells.values() if c.behind == "behind"]
    assert {c.unit_id for c in behind} == {towns["雕庄街道"].id, towns["茶山街道"].id}
    # a task with no report from a department: assigned cell, status None
    unreported = grid.cell(first.id, dept.id)
    if unreported is not None:
        assert unreported.status is None and unreported.changed is None
    data = ledger_json(grid)
    assert data["period"] == PERIOD and data["units"] == names
    first_json = data["tasks"][0]
    assert first_json["code"] == first.code
    row = next(c for c in first_json["cells"] if c["unit"] == "郑陆镇")
    assert row == {"unit": "郑陆镇", "role": "implementing", "status": "in_progress",
                   "percent": 5.0, "changed": "down", "approved": False, "closed": False}


def test_grid_counts_the_cells_behind(ledger_db: Database) -> None:
    grid = ledger_grid(ledger_db, PERIOD, 1)
    assert grid.behind == sum(1 for c in grid.cells.values() if c.behind) == 2


def test_first_period_reports_are_new(ledger_db: Database) -> None:
    grid = ledger_grid(ledger_db, "2021-04", 1)
    reported = [c for c in grid.cells.values() if c.reported]
    assert reported and all(c.changed == "new" for c in reported)


def test_cell_detail_has_provenance_and_history(ledger_db: Database) -> None:
    code = _codes(ledger_db, "青龙街道")[0]
    d = cell_detail(ledger_db, PERIOD, "青龙街道", code, 1)
    assert d.values is not None and d.values["status"] == "in_progress"
    assert d.values["responsible"] == "联系人3" and d.values["phone"] == "0519-88880003"
    assert d.file_name == "青龙街道.xlsx" and d.revision == 1
    assert d.received_at == clock.to_local(dt.datetime(2021, 7, 3, 10, 0))
    src = d.sources["percent"]
    assert src.kind == "return" and src.sheet and src.cell and src.file_name == "青龙街道.xlsx"
    assert d.where().startswith(src.sheet)
    assert [(h.period, h.percent) for h in d.history] == [
        ("2021-04", 13.0), ("2021-05", 23.0), ("2021-06", 33.0)]
    assert d.previous is not None and d.previous["percent"] == 23.0 and not d.backwards
    whole = unit_period(ledger_db, PERIOD, "青龙街道", 1)
    assert len(whole) == 50 and sum(x.values is not None for x in whole) == 6
    # one cell's report (its role and section looked up alone) is the unit view's
    assert next(x for x in whole if x.task_code == code) == d and d.section and d.role


def test_district_edit_is_audited_carried_forward_and_ours_in_the_merge(
        ledger_db: Database, ledger_template: Path, tmp_path: Path) -> None:
    unit = "红梅街道"
    code = _codes(ledger_db, unit)[0]
    before = cell_detail(ledger_db, PERIOD, unit, code, 1)
    result = edit_entry(ledger_db, 1, PERIOD, unit, code, {"percent": "40", "status": "推进中",
                                                            "problems": "区里核实后调整"},
                        "现场核查进度为40%")
    assert set(result.changed) == {"percent", "problems"}  # status was already 推进中
    d = cell_detail(ledger_db, PERIOD, unit, code, 1)
    assert d.values is not None and d.values["percent"] == 40.0
    assert d.sources["percent"].kind == "district_edit"
    assert d.sources["percent"].note == "现场核查进度为40%"
    assert d.sources["percent"].actor == "区创建办"
    assert d.sources["status"].kind == "return"  # untouched field keeps its source
    assert d.changes[0].kind == "district_edit"
    assert d.history[-1].edited
    grid = ledger_grid(ledger_db, PERIOD, 1)
    uid = next(u.id for u in grid.units if u.name == unit)
    task_id = next(t.id for t in grid.tasks if t.code == code)
    edited = grid.cell(task_id, uid)
    assert edited is not None and edited.edited and edited.percent == 40.0
    with Session(ledger_db) as s:
        row = s.scalar(select(AuditLog).where(AuditLog.kind == "district_edit",
                                              AuditLog.field == "percent"))
        assert row is not None and (row.old, row.new) == (
            str(int(before.values["percent"])), "40")  # type: ignore[index]
        assert row.actor == "区创建办" and row.note == "现场核查进度为40%"

    # carried forward: the unit's next packet starts from the corrected percent
    issued = issue(ledger_db, "2021-07", [unit], tmp_path)
    pf = read_packet(issued[unit])
    with Session(ledger_db) as s:
        uid_task = s.scalar(select(Task.uid).where(Task.plan_id == 1, Task.code == code))
    row = pf.row(f"T:{uid_task}")
    assert row is not None and row.values["percent"] == 40.0

    # ours in the three-way merge: a second revision of June's return that changes percent
    # again (from what the unit sent) lands in 冲突 instead of overwriting
    with Session(ledger_db) as s:
        name = s.scalar(select(Packet.file_name).join(Unit, Unit.id == Packet.unit_id).join(
            Period, Period.id == Packet.period_id).where(
            Unit.name == unit, Period.key == PERIOD, Packet.direction == "issued"))
    june = ledger_template.parent / PERIOD / str(name)
    key = f"T:{uid_task}"
    r2 = office_return(june, tmp_path / "r2" / "hm.xlsx",
                       {key: {"status": "in_progress", "percent": 70.0}}, PERIOD, times=2)
    [res] = apply_packets(ledger_db, [r2], period=PERIOD)
    assert res.status == "applied" and res.conflicts == 1
    [conflict] = list_conflicts(ledger_db)
    assert (conflict.field, conflict.current, conflict.returned) == ("percent", "40", "70")
    d = cell_detail(ledger_db, PERIOD, unit, code, 1)
    assert d.values is not None and d.values["percent"] == 40.0


@pytest.mark.parametrize(("values", "reason", "message"), [
    ({"percent": "120"}, "说明", "0–100"),
    ({"status": "差不多"}, "说明", "进展状态"),
    ({"colour": "red"}, "说明", "不是可更正的填报项"),
    ({"percent": "50"}, "  ", "更正说明"),
    ({"completed_on": "昨天"}, "说明", "日期"),
])
def test_bad_edits_change_nothing(ledger_db: Database, values: dict[str, str], reason: str,
                                  message: str) -> None:
    code = _codes(ledger_db, "青龙街道")[0]
    before = table_dump(ledger_db)
    with pytest.raises(UserFacingError, match=message):
        edit_entry(ledger_db, 1, PERIOD, "青龙街道", code, values, reason)
    assert table_dump(ledger_db) == before


def test_edit_refuses_unknown_unit_task_and_unassigned(ledger_db: Database) -> None:
    before = table_dump(ledger_db)
    with pytest.raises(UserFacingError, match="没有名为"):
        edit_entry(ledger_db, 1, PERIOD, "火星街道", "1.1", {"percent": 1}, "x")
    with pytest.raises(UserFacingError, match="没有编号"):
        edit_entry(ledger_db, 1, PERIOD, "青龙街道", "99.9", {"percent": 1}, "x")
    with pytest.raises(UserFacingError, match="没有分配"):
        edit_entry(ledger_db, 1, PERIOD, "区审计局", "1.1", {"percent": 1}, "x")
    assert table_dump(ledger_db) == before


def test_approval_locks_the_period_until_undone(ledger_db: Database, tmp_path: Path) -> None:
    unit = "兰陵街道"
    result = approve(ledger_db, PERIOD, unit, plan_id=1)
    assert result.approved_at is not None
    grid = ledger_grid(ledger_db, PERIOD, 1)
    lanling = next(u for u in grid.units if u.name == unit)
    assert lanling.approved
    assert all(c.approved for (_, uid), c in grid.cells.items() if uid == lanling.id)
    rows = {r.unit: r for r in receipt_ledger(ledger_db, 1, PERIOD).rows}
    assert rows[unit].approval_label == "已审核" and rows["青龙街道"].approval_label == ""
    assert next(u for u in progress_json(period_progress(ledger_db, PERIOD, 1))["units"]
                if u["name"] == unit)["approved"] is True
    with pytest.raises(UserFacingError, match="已于"):
        approve(ledger_db, PERIOD, unit, plan_id=1)
    with pytest.raises(UserFacingError, match="还没有已导入的报送"):
        approve(ledger_db, PERIOD, "区审计局", plan_id=1)

    # a later return for the approved period is refused, naming the approval date
    path = issue(ledger_db, PERIOD, [unit], tmp_path)[unit]
    key = row_keys(path)[0]
    r2 = office_return(path, tmp_path / "r" / "ll.xlsx",
                       {key: {"status": "in_progress", "percent": 99.0}}, PERIOD)
    [preview] = check_packets(ledger_db, [r2], period=PERIOD)
    assert preview.status == "rejected"
    today = clock.today().isoformat()
    assert f"已于{today}审核通过" in preview.reason and "取消审核" in preview.reason
    [res] = apply_packets(ledger_db, [r2], period=PERIOD)
    assert res.status == "rejected" and "审核通过" in res.errors[0].message

    approve(ledger_db, PERIOD, unit, plan_id=1, undo=True)
    with pytest.raises(UserFacingError, match="尚未审核"):
        approve(ledger_db, PERIOD, unit, plan_id=1, undo=True)
    [res] = apply_packets(ledger_db, [r2], period=PERIOD)
    assert res.status == "applied"
    with Session(ledger_db) as s:
        kinds = [(a.field, a.new) for a in s.scalars(
            select(AuditLog).where(AuditLog.kind == "approval").order_by(AuditLog.id))]
    assert kinds == [(f"period:{PERIOD}", "已审核"), (f"period:{PERIOD}", "未审核")]


def test_batch_approval_of_received_units_and_bulletin_count(ledger_db: Database) -> None:
    done = approve_received(ledger_db, PERIOD, 1)
    assert sorted(r.unit for r in done) == sorted(TOWNS)
    assert approve_received(ledger_db, PERIOD, 1) == []
    summary = period_summary(ledger_db, PERIOD, 1, trend=False)
    assert summary.approved == 8
    assert "已审核通过的报送8份" in build_bulletin(ledger_db, PERIOD, 1, charts=False).text()


def _completed_code(db: Database, unit: str) -> str:
    grid = ledger_grid(db, PERIOD, 1)
    uid = next(u.id for u in grid.units if u.name == unit)
    return next(t.code for t in grid.tasks
                if (c := grid.cell(t.id, uid)) and c.status == "completed")


def test_close_out_one_unit_leaves_next_packet_and_lists_it(ledger_db: Database,
                                                             tmp_path: Path) -> None:
    unit = "天宁街道"
    code = _completed_code(ledger_db, unit)
    [info] = close_out(ledger_db, code, unit=unit, on=dt.date(2021, 7, 8), note="验收材料齐全",
                       plan_id=1)
    assert (info.unit, info.closed_on) == (unit, dt.date(2021, 7, 8))
    grid = ledger_grid(ledger_db, PERIOD, 1)
    uid = next(u.id for u in grid.units if u.name == unit)
    task_id = next(t.id for t in grid.tasks if t.code == code)
    cell = grid.cell(task_id, uid)
    assert cell is not None and cell.closed and cell.closed_on == dt.date(2021, 7, 8)
    # the next period's packet no longer asks for it; other units still get it
    issued = issue(ledger_db, "2021-07", [unit, "青龙街道"], tmp_path)
    with Session(ledger_db) as s:
        uid_task = s.scalar(select(Task.uid).where(Task.plan_id == 1, Task.code == code))
    assert f"T:{uid_task}" not in row_keys(issued[unit])
    assert f"T:{uid_task}" in row_keys(issued["青龙街道"])
    # 通报 and 汇总表 list it as 已销号
    summary = period_summary(ledger_db, PERIOD, 1, trend=False)
    assert [(c.code, c.unit, c.closed_on) for c in summary.closed] == [
        (code, unit, dt.date(2021, 7, 8))]
    text = build_bulletin(ledger_db, PERIOD, 1, charts=False).text()
    assert "已销号" in text and "2021年7月8日" in text and "验收材料齐全" in text
    out = write_summary_workbook(ledger_db, PERIOD, tmp_path / "sum.xlsx", 1)
    ws = openpyxl.load_workbook(out).worksheets[0]
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    assert "已销号(2021-07-08)" in cells
    # reopen
    [back] = close_out(ledger_db, code, unit=unit, plan_id=1, undo=True)
    assert back.unit == unit
    assert period_summary(ledger_db, PERIOD, 1, trend=False).closed == []
    with pytest.raises(UserFacingError, match="尚未销号"):
        close_out(ledger_db, code, unit=unit, plan_id=1, undo=True)
    with Session(ledger_db) as s:
        audit = [(a.field, a.new) for a in s.scalars(
            select(AuditLog).where(AuditLog.kind == "close_out").order_by(AuditLog.id))]
    assert audit == [(f"unit:{unit}", "已销号 2021-07-08"), (f"unit:{unit}", "未销号")]


def test_close_out_needs_completion_date_and_note(ledger_db: Database) -> None:
    before = table_dump(ledger_db)
    code = _codes(ledger_db, "青龙街道")[0]  # in progress
    with pytest.raises(UserFacingError, match="还没有报“已完成”"):
        close_out(ledger_db, code, unit="青龙街道", on=dt.date(2021, 7, 8), note="x",
                  plan_id=1)
    with pytest.raises(UserFacingError, match="还没有报“已完成”"):
        close_out(ledger_db, code, on=dt.date(2021, 7, 8), note="x", plan_id=1)
    with pytest.raises(UserFacingError, match="销号说明"):
        close_out(ledger_db, code, unit="青龙街道", on=dt.date(2021, 7, 8), note=" ",
                  plan_id=1)
    with pytest.raises(UserFacingError, match="没有编号"):
        close_out(ledger_db, "99", on=dt.date(2021, 7, 8), note="x", plan_id=1)
    assert table_dump(ledger_db) == before


def test_closed_behind_item_is_not_behind(ledger_db: Database) -> None:
    # 雕庄街道 reports an item 滞后; once it reports 已完成 and is closed it is not behind
    grid = ledger_grid(ledger_db, PERIOD, 1)
    uid = next(u.id for u in grid.units if u.name == "雕庄街道")
    cell = next(c for c in grid.cells.values() if c.unit_id == uid and c.behind)
    code = next(t.code for t in grid.tasks if t.id == cell.task_id)
    with Session(ledger_db) as s, s.begin():
        e = s.scalar(select(ProgressEntry).join(Unit, Unit.id == ProgressEntry.unit_id)
                     .join(Task, Task.id == ProgressEntry.task_id)
                     .where(Unit.name == "雕庄街道", Task.code == code,
                            ProgressEntry.period_id != 0).order_by(ProgressEntry.id.desc()))
        assert e is not None
    # close all units of the item at once refuses while others are unfinished
    with pytest.raises(UserFacingError, match="还没有报“已完成”"):
        close_out(ledger_db, code, on=dt.date(2021, 7, 8), note="x", plan_id=1)
    edit_entry(ledger_db, 1, PERIOD, "雕庄街道", code, {"status": "completed", "percent": 100},
               "已现场验收")
    close_out(ledger_db, code, unit="雕庄街道", on=dt.date(2021, 7, 9), note="验收", plan_id=1)
    grid = ledger_grid(ledger_db, PERIOD, 1)
    after = grid.cell(cell.task_id, uid)
    assert after is not None and after.closed and after.behind is None
    summary = period_summary(ledger_db, PERIOD, 1, trend=False)
    assert all(e.unit != "雕庄街道" for b in summary.behind for e in b.entries)


def test_close_out_for_all_units_once_every_one_is_completed(ledger_db: Database) -> None:
    code = _completed_code(ledger_db, "青龙街道")
    grid = ledger_grid(ledger_db, PERIOD, 1)
    task_id = next(t.id for t in grid.tasks if t.code == code)
    names = {u.id: u.name for u in grid.units}
    pending = [names[c.unit_id] for (tid, _), c in grid.cells.items()
               if tid == task_id and c.status != "completed"]
    assert pending  # the lead and cooperating departments have not reported
    with pytest.raises(UserFacingError, match=pending[0]):
        close_out(ledger_db, code, on=dt.date(2021, 7, 8), note="x", plan_id=1)
    for name in pending:
        edit_entry(ledger_db, 1, PERIOD, name, code, {"status": "completed", "percent": 100},
                   "牵头部门电话确认已完成")
    done = close_out(ledger_db, code, on=dt.date(2021, 7, 8), note="整体验收", plan_id=1)
    assert len(done) == sum(1 for (tid, _) in grid.cells if tid == task_id)
    assert all(c.closed for (tid, _), c in ledger_grid(ledger_db, PERIOD, 1).cells.items()
               if tid == task_id)
    with pytest.raises(UserFacingError, match="已经销号"):
        close_out(ledger_db, code, on=dt.date(2021, 7, 8), note="x", plan_id=1)
    assert len(close_out(ledger_db, code, plan_id=1, undo=True)) == len(done)


def test_progress_going_backwards_is_flagged_in_the_preview_not_refused(
        ledger_db: Database, tmp_path: Path) -> None:
    unit = "青龙街道"
    path = issue(ledger_db, "2021-07", [unit], tmp_path)[unit]
    key = row_keys(path)[0]  # 33% in June
    back = office_return(path, tmp_path / "r" / "ql.xlsx",
                         {key: {"status": "in_progress", "percent": 20.0,
                                "progress": "口径调整"}}, "2021-07")
    [preview] = check_packets(ledger_db, [back], period="2021-07")
    assert preview.status == "new" and preview.backwards == 1
    [warning] = [w for w in preview.warnings if "进度倒退" in w.message]
    assert "20% 低于上期的 33%" in warning.message and warning.cell
    [res] = apply_packets(ledger_db, [preview], period="2021-07")
    assert res.status == "applied"
    grid = ledger_grid(ledger_db, "2021-07", 1)
    assert sum(c.backwards for c in grid.cells.values()) == 1
