"""汇总表: the period's figures as a workbook for printing and further work in Excel/WPS.

Three sheets: every unit × task report with status, percent and texts (what
``progress --json`` holds, plus the expected reports nobody filled in); indicator values
by unit with the attainment judgement; and the receipt ledger (收件登记). Each sheet is
set up for A4 landscape printing: one page wide, header rows repeated on every page,
wrapped text, page numbers in the footer. Every cell is written as a string or a number,
never as a formula, so text beginning with "=" stays text.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from app.core.text import strip_invisible
from app.core.vocab import (
    ATTAINMENT_LABELS,
    RETURN_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
)
from app.services.district.progress import period_progress
from app.services.district.receipts import receipt_ledger
from app.services.plans.query import get_plan
from app.services.reports.summary import PeriodSummary, period_summary

TASK_SHEET = "任务进展汇总"
INDICATOR_SHEET = "指标汇总"
LEDGER_SHEET = "收件登记"
FIRST_ROW = 3  # 0-based: title, information line, blank-free header at row 2


@dataclass(frozen=True)
class Col:
    header: str
    width: float
    kind: str = "text"  # text / wrap / center / number


TASK_COLUMNS = (
    Col("序号", 6, "center"), Col("领域", 14, "wrap"), Col("任务编号", 9, "center"),
    Col("任务", 26, "wrap"), Col("单位", 16, "wrap"), Col("角色", 6, "center"),
    Col("报送情况", 9, "center"), Col("进展状态", 9, "center"), Col("完成进度(%)", 9, "number"),
    Col("本期进展", 34, "wrap"), Col("存在问题", 26, "wrap"), Col("下步计划", 26, "wrap"),
    Col("责任人", 8, "center"), Col("联系电话", 13, "center"), Col("完成日期", 11, "center"),
)
INDICATOR_COLUMNS = (
    Col("序号", 6, "center"), Col("领域", 10, "wrap"), Col("指标", 30, "wrap"),
    Col("单位", 9, "center"), Col("指标值", 18, "wrap"), Col("属性", 8, "center"),
    Col("目标值", 16, "wrap"), Col("牵头部门", 16, "wrap"), Col("填报单位", 16, "wrap"),
    Col("本期数值", 14, "wrap"), Col("说明", 24, "wrap"), Col("达标判定", 9, "center"),
)
LEDGER_COLUMNS = (
    Col("序号", 6, "center"), Col("单位", 22, "wrap"), Col("类型", 8, "center"),
    Col("报送情况", 10, "center"), Col("收件状态", 10, "center"), Col("下发时间", 17, "center"),
    Col("收到时间", 17, "center"), Col("迟报/逾期天数", 10, "number"), Col("版本", 6, "number"),
    Col("说明", 40, "wrap"),
)


def _when(at: dt.datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else ""


def write_summary_workbook(engine: Engine, period_key: str, path: str | Path,
                           plan_id: int | None = None, *, today: dt.date | None = None,
                           summary: PeriodSummary | None = None) -> Path:
    """Write the 汇总表 of `period_key` to `path` (atomically); returns the path."""
    import xlsxwriter

    summary = summary or period_summary(engine, period_key, plan_id, today=today, trend=False)
    plan = get_plan(engine, summary.plan.id)
    progress = period_progress(engine, period_key, summary.plan.id)
    ledger = receipt_ledger(engine, summary.plan.id, period_key, today=summary.today)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False,
                                        "strings_to_urls": False})
    try:
        f = _Formats(wb)
        label = summary.period.label
        t = summary.totals
        info = (f"填报周期 {label}(截止 {summary.period.due:%Y-%m-%d})· 应报单位 {t.units} · "
                f"按时 {t.on_time} · 迟报 {t.late} · 未报 {t.missing} · "
                f"生成于 {summary.today:%Y-%m-%d}")

        # ---- units × tasks
        ws = _sheet(wb, f, TASK_SHEET, f"{summary.plan.title} {label}任务进展汇总表", info,
                    TASK_COLUMNS)
        states = {u.name: u.state for u in summary.units}
        reported = {(u.name, tp.code): tp for u in progress.units for tp in u.tasks}
        row = FIRST_ROW
        n = 0
        units_order = [u.name for u in progress.units]
        role_order = {"lead": 0, "cooperating": 1, "implementing": 2}
        position = {name: i for i, name in enumerate(units_order)}
        closed = {(c.unit, c.code): c.closed_on for c in summary.closed}
        for task in plan.tasks:
            names = sorted((name for name in units_order
                            if task.role_of(name) is not None or (name, task.code) in reported),
                           key=lambda name: (role_order.get(task.role_of(name) or "", 3),
                                             position[name]))
            for name in names:
                tp = reported.get((name, task.code))
                role = task.role_of(name)
                n += 1
                closed_on = closed.get((name, task.code))
                behind = tp is not None and tp.status == "behind" and closed_on is None
                values: list[Any] = [
                    n, task.section, task.code, task.title, name,
                    ROLE_LABELS.get(role or "", ""), RETURN_LABELS[states.get(name, "missing")],
                    f"已销号({closed_on.isoformat()})" if closed_on is not None else
                    STATUS_LABELS.get(tp.status or "", "") if tp else "",
                    tp.percent if tp else None, tp.progress if tp else "",
                    tp.problems if tp else "", tp.next_steps if tp else "",
                    tp.responsible if tp else "", tp.phone if tp else "",
                    tp.completed_on.isoformat() if tp and tp.completed_on else "",
                ]
                _write_row(ws, f, row, TASK_COLUMNS, values, highlight=behind)
                row += 1
        _finish(ws, TASK_COLUMNS, row)

        # ---- indicators by unit
        ws = _sheet(wb, f, INDICATOR_SHEET, f"{summary.plan.title} {label}指标汇总表", info,
                    INDICATOR_COLUMNS)
        results = {i.id: i for i in summary.indicators}
        values_by = {(u.name, code): (value, note) for u in progress.units
                     for code, value, note in u.indicators}
        row = FIRST_ROW
        for ind in plan.indicators:
            res = results.get(ind.id)
            if res is None:
                continue  # a group heading
            reporters = list(ind.lead) + [name for name in units_order if name not in ind.lead
                                          and (name, ind.code) in values_by]
            for name in reporters or [""]:
                value, note = values_by.get((name, ind.code), ("", ""))
                _write_row(ws, f, row, INDICATOR_COLUMNS, [
                    ind.code, ind.domain, ind.name, ind.unit or "",
                    ind.standard or "", ind.attribute or "", ind.target or "",
                    "、".join(ind.lead), name, value, note, ATTAINMENT_LABELS[res.result]],
                    highlight=res.result == "not_met")
                row += 1
        _finish(ws, INDICATOR_COLUMNS, row)

        # ---- receipt ledger
        ws = _sheet(wb, f, LEDGER_SHEET, f"{summary.plan.title} {label}收件登记", info,
                    LEDGER_COLUMNS)
        row = FIRST_ROW
        for n, r in enumerate(ledger.rows, start=1):
            state = states.get(r.unit)
            _write_row(ws, f, row, LEDGER_COLUMNS, [
                n, r.unit, r.kind_label, RETURN_LABELS[state] if state else "",
                r.state_label, _when(r.issued_at), _when(r.received_at), r.days_late or None,
                r.revision, r.message], highlight=state == "missing")
            row += 1
        _finish(ws, LEDGER_COLUMNS, row)
    finally:
        wb.close()
    os.replace(tmp, path)
    return path


class _Formats:
    def __init__(self, wb: Any) -> None:
        base = {"font_name": "宋体", "font_size": 10, "border": 1, "valign": "top"}
        self.title = wb.add_format({"font_name": "黑体", "font_size": 14, "bold": True,
                                    "align": "center", "valign": "vcenter"})
        self.info = wb.add_format({"font_name": "宋体", "font_size": 10, "font_color": "#555555"})
        self.head = wb.add_format({**base, "font_name": "黑体", "bold": True, "align": "center",
                                   "valign": "vcenter", "text_wrap": True, "bg_color": "#DDE6F0"})
        self.cells: dict[tuple[str, bool], Any] = {}
        for kind in ("text", "wrap", "center", "number"):
            for hl in (False, True):
                fmt = dict(base)
                if kind == "wrap":
                    fmt["text_wrap"] = True
                if kind == "center":
                    fmt.update(align="center", text_wrap=True)
                if kind == "number":
                    fmt.update(align="right", num_format="0.##")
                if hl:
                    fmt["bg_color"] = "#FDE2E1"
                self.cells[(kind, hl)] = wb.add_format(fmt)


def _sheet(wb: Any, f: _Formats, name: str, title: str, info: str,
           cols: Sequence[Col]) -> Any:
    ws = wb.add_worksheet(name)
    ws.merge_range(0, 0, 0, len(cols) - 1, title, f.title)
    ws.set_row(0, 28)
    ws.write_string(1, 0, info, f.info)
    for c, col in enumerate(cols):
        ws.write_string(2, c, col.header, f.head)
        ws.set_column(c, c, col.width)
    ws.set_row(2, 30)
    ws.freeze_panes(FIRST_ROW, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.repeat_rows(2)  # the header row on every printed page
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    ws.set_footer("&C第 &P 页,共 &N 页")
    ws.hide_gridlines(0)
    return ws


def _write_row(ws: Any, f: _Formats, row: int, cols: Sequence[Col], values: list[Any],
               highlight: bool = False) -> None:
    for c, (col, value) in enumerate(zip(cols, values, strict=True)):
        fmt = f.cells[(col.kind, highlight)]
        if isinstance(value, bool):
            ws.write_string(row, c, "是" if value else "否", fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, c, value, fmt)
        elif value is None or value == "":
            ws.write_blank(row, c, None, fmt)
        else:
            ws.write_string(row, c, strip_invisible(str(value)), fmt)


def _finish(ws: Any, cols: Sequence[Col], end_row: int) -> None:
    if end_row > FIRST_ROW:
        ws.autofilter(2, 0, end_row - 1, len(cols) - 1)
    ws.print_area(0, 0, max(end_row - 1, 2), len(cols) - 1)
