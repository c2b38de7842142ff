"""汇总表: sheets, print set-up and every value equal to what `progress --json` holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from progress_seed import (  # noqa: F401
    LAST,
    MISSING,
    seeded_fixture,
    seeded_path_fixture,
    seeded_template_fixture,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.core.vocab import RETURN_LABELS, ROLE_LABELS, STATUS_LABELS
from app.models import Period, ProgressEntry, Task, Unit
from app.services.db import Database
from app.services.district.progress import period_progress
from app.services.plans.query import get_plan
from app.services.reports.summary import period_summary
from app.services.reports.workbook import (
    FIRST_ROW,
    INDICATOR_SHEET,
    LEDGER_SHEET,
    TASK_SHEET,
    write_summary_workbook,
)


def _rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    headers = [c.value for c in ws[FIRST_ROW]]
    return [dict(zip(headers, row, strict=True))
            for row in ws.iter_rows(min_row=FIRST_ROW + 1, values_only=True)]


def test_sheets_and_print_setup(seeded: Database, tmp_path: Path) -> None:
    path = write_summary_workbook(seeded, LAST, tmp_path / "汇总表.xlsx", 1,
                                  today=dt.date(2023, 2, 8))
    assert not (tmp_path / "汇总表.xlsx.part").exists()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [TASK_SHEET, INDICATOR_SHEET, LEDGER_SHEET]
    for ws in wb:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.print_title_rows == "$3:$3"  # header repeated on every page
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
        assert ws.freeze_panes == "A4"
    ws = wb[TASK_SHEET]
    assert "常州市天宁区生态文明建设示范区创建实施方案" in ws["A1"].value
    assert ws.cell(FIRST_ROW + 1, 10).alignment.wrap_text  # 本期进展 wraps


def test_task_rows_equal_period_progress(seeded: Database, tmp_path: Path) -> None:
    path = write_summary_workbook(seeded, LAST, tmp_path / "h.xlsx", 1)
    rows = _rows(openpyxl.load_workbook(path)[TASK_SHEET])
    progress = period_progress(seeded, LAST, 1)
    plan = get_plan(seeded, 1)
    expected_pairs = {(u.name, t.code) for u in progress.units for t in plan.tasks
                      if t.role_of(u.name)}
    assert {(r["单位"], r["任务编号"]) for r in rows} == expected_pairs
    assert len(rows) == len(expected_pairs) == 539
    by_key = {(r["单位"], r["任务编号"]): r for r in rows}
    for unit in progress.units:
        state = "missing" if not unit.returned else "late" if unit.late else "on_time"
        for tp in unit.tasks:
            r = by_key[(unit.name, tp.code)]
            assert r["进展状态"] == STATUS_LABELS[tp.status] if tp.status else r["进展状态"] is None
            assert r["完成进度(%)"] == tp.percent
            assert (r["本期进展"] or "") == tp.progress
            assert (r["存在问题"] or "") == tp.problems
            assert (r["下步计划"] or "") == tp.next_steps
            assert r["报送情况"] == RETURN_LABELS[state]
    for name in MISSING[LAST]:
        mine = [r for r in rows if r["单位"] == name]
        assert mine and all(r["进展状态"] is None and r["报送情况"] == "未报" for r in mine)
    lead_rows = [r for r in rows if r["任务编号"] == "1.1"]
    assert lead_rows[0]["单位"] == "天宁生态环境局" and lead_rows[0]["角色"] == ROLE_LABELS["lead"]


def test_indicator_and_ledger_sheets(seeded: Database, tmp_path: Path) -> None:
    path = write_summary_workbook(seeded, LAST, tmp_path / "h.xlsx", 1)
    wb = openpyxl.load_workbook(path)
    progress = period_progress(seeded, LAST, 1)
    reported = {(u.name, code): value for u in progress.units for code, value, _ in u.indicators}
    rows = _rows(wb[INDICATOR_SHEET])
    for (unit, code), value in reported.items():
        assert any(r["填报单位"] == unit and r["序号"] == code and r["本期数值"] == value
                   for r in rows), (unit, code)
    judged = {r["序号"]: r["达标判定"] for r in rows}
    summary = period_summary(seeded, LAST, 1, trend=False)
    assert judged == {i.code: {"met": "达标", "not_met": "未达标", "pending": "待评估"}[i.result]
                      for i in summary.indicators}
    ledger = _rows(wb[LEDGER_SHEET])
    assert len(ledger) == 31
    states = {r["单位"]: r["报送情况"] for r in ledger}
    for u in progress.units:
        assert states[u.name] == ("未报" if not u.returned else "迟报" if u.late else "按时报送")


def test_text_that_looks_like_a_formula_stays_text(seeded: Database, tmp_path: Path) -> None:
    with Session(seeded) as s, s.begin():
        entry = s.scalars(select(ProgressEntry).join(Unit, Unit.id == ProgressEntry.unit_id)
                          .join(Task, Task.id == ProgressEntry.task_id)
                          .join(Period, Period.id == ProgressEntry.period_id)
                          .where(Unit.name == "郑陆镇", Task.code == "1.1",
                                 Period.key == LAST)).one()
        entry.progress = "=HYPERLINK(\"http://x\",\"点我\")"
    path = write_summary_workbook(seeded, LAST, tmp_path / "h.xlsx", 1)
    ws = openpyxl.load_workbook(path)[TASK_SHEET]
    cell = next(c for row in ws.iter_rows(min_row=FIRST_ROW + 1) for c in row
                if c.value == "=HYPERLINK(\"http://x\",\"点我\")")
    assert cell.data_type == "s"


def test_unknown_period_is_refused_and_nothing_is_written(seeded: Database,
                                                          tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="2031-01"):
        write_summary_workbook(seeded, "2031-01", tmp_path / "h.xlsx", 1)
    assert not (tmp_path / "h.xlsx").exists() and not (tmp_path / "h.xlsx.part").exists()
