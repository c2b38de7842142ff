"""A plan as a workbook people can edit in Excel/WPS and bring back (方案 → 导出方案).

The layout is the one districts already use (title row, 领域/类别 merged down, units listed with
"、"), plus a 方案信息 sheet with the reporting settings and a format mark so that
``app.services.plans.importing`` reads it back exactly: export → import gives the same plan.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.core.vocab import FREQUENCY_LABELS, KIND_LABELS
from app.services.packets.writer import give_user_mode
from app.services.plans.importing.reading import (
    FORMAT_MARK,
    INFO_SHEET,
    SECTIONS_SHEET,
    UNITS_SHEET,
)
from app.services.plans.query import PlanInfo, SectionInfo, load_plan

TASKS_SHEET = "任务分解表"
INDICATORS_SHEET = "指标表"
LEVEL_HEADERS = ("领域", "类别", "子类", "分项", "小类", "板块")

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")


@dataclass(frozen=True)
class ExportResult:
    path: str
    tasks: int
    indicators: int
    units: int
    sections: int


def _section_paths(info: PlanInfo) -> dict[int, list[SectionInfo]]:
    by_id = {s.id: s for s in info.sections}
    paths: dict[int, list[SectionInfo]] = {}
    for s in info.sections:
        chain: list[SectionInfo] = []
        cur: SectionInfo | None = s
        while cur is not None:
            chain.append(cur)
            cur = by_id.get(cur.parent_id) if cur.parent_id is not None else None
        paths[s.id] = list(reversed(chain))
    return paths


def _title(ws: Worksheet, text: str, width: int) -> None:
    ws.cell(1, 1, text)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(size=16, bold=True)
    ws.cell(1, 1).alignment = _CENTER
    ws.row_dimensions[1].height = 32


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for c, name in enumerate(names, 1):
        cell = ws.cell(row, c, name)
        cell.font = Font(bold=True)
        cell.alignment = _CENTER
        cell.fill = _HEAD_FILL
        cell.border = _BOX
    ws.freeze_panes = ws.cell(row + 1, 1)


def _body(ws: Worksheet, first: int, last: int, width: int, centered: set[int]) -> None:
    for r in range(first, last + 1):
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            cell.border = _BOX
            cell.alignment = _CENTER if c in centered else _WRAP
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that looks like a formula stays text


def _merge_runs(ws: Worksheet, col: int, first: int, keys: list[tuple[str, ...]]) -> None:
    """Merge each run of rows sharing the same non-empty key in one column."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start] and keys[start][-1] and i - 1 > start:
                ws.merge_cells(start_row=first + start, start_column=col,
                               end_row=first + i - 1, end_column=col)
            start = i


def _widths(ws: Worksheet, widths: list[float]) -> None:
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w


def _fit_height(ws: Worksheet, row: int, widths: Mapping[int, float]) -> None:
    """Row height for wrapped Chinese text (spreadsheets do not grow rows written by a
    program): a CJK character is about two width units."""
    lines = 1
    for col, width in widths.items():
        value = ws.cell(row, col).value
        if isinstance(value, str) and value:
            per_line = max(int(width / 1.9), 1)
            lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in value.split("\n")))
    ws.row_dimensions[row].height = min(15 * lines + 4, 400)


def _print_setup(ws: Worksheet, header_row: int) -> None:
    """Landscape A4, all columns on the page width, the header repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 99  # as many pages as the rows need (0 means 1 in some programs)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _note(ws: Worksheet, row: int, text: str, width: int) -> None:
    ws.cell(row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.cell(row, 1).font = Font(color="555555")


def _info_sheet(wb: Workbook, info: PlanInfo) -> None:
    ws = wb.active
    ws.title = INFO_SHEET
    p = info.plan
    first = info.periods[0].start.strftime("%Y-%m") if info.periods else ""
    last = info.periods[-1].end.strftime("%Y-%m") if info.periods else ""
    rows = [("方案名称", p.title), ("发文单位", p.issuer), ("牵头办公室", p.office),
            ("填报频率", FREQUENCY_LABELS.get(p.frequency, p.frequency)),
            ("报送截止日", str(p.deadline_day)), ("起始月份", first), ("结束月份", last),
            ("格式", FORMAT_MARK),
            ("说明", "本工作簿由台账导出。可在 Excel/WPS 中修改任务、指标和单位后,用“方案 → 导入方案…”"
                     "导入为新方案。报送截止日指每期结束后次月的日期。")]
    for r, (key, value) in enumerate(rows, 1):
        ws.cell(r, 1, key).font = Font(bold=True)
        cell = ws.cell(r, 2, value)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _fit_height(ws, r, {2: 80})
    _widths(ws, [14, 80])
    _print_setup(ws, 0)


def _sections_sheet(wb: Workbook, info: PlanInfo) -> None:
    ws = wb.create_sheet(SECTIONS_SHEET)
    _header(ws, 1, ["编号", "名称", "上级编号"])
    by_id = {s.id: s for s in info.sections}
    for r, s in enumerate(info.sections, 2):
        ws.cell(r, 1, s.code)
        ws.cell(r, 2, s.title)
        ws.cell(r, 3, by_id[s.parent_id].code if s.parent_id in by_id else None)
    _body(ws, 2, len(info.sections) + 1, 3, {1, 3})
    _widths(ws, [10, 40, 10])


def _tasks_sheet(wb: Workbook, info: PlanInfo) -> None:
    ws = wb.create_sheet(TASKS_SHEET)
    paths = _section_paths(info)
    depth = max((len(p) for p in paths.values()), default=0)
    if depth > len(LEVEL_HEADERS):
        raise UserFacingError(f"领域层级超过 {len(LEVEL_HEADERS)} 层,无法导出为工作簿。")
    names = ["序号", *LEVEL_HEADERS[:depth], "任务内容", "牵头单位", "配合单位", "落实单位",
             "完成时限", "目标"]
    width = len(names)
    _title(ws, f"{info.plan.title} 任务分解表", width)
    _header(ws, 2, names)
    first = 3
    keys: list[list[tuple[str, ...]]] = [[] for _ in range(depth)]
    for i, t in enumerate(info.tasks):
        r = first + i
        path = paths.get(t.section_id, []) if t.section_id is not None else []
        ws.cell(r, 1, t.code)
        for level in range(depth):
            title = path[level].title if level < len(path) else None
            ws.cell(r, 2 + level, title)
            keys[level].append(tuple(s.title for s in path[:level + 1]) if title else ())
        c = 2 + depth
        ws.cell(r, c, t.text)
        ws.cell(r, c + 1, "、".join(t.lead) or None)
        ws.cell(r, c + 2, "、".join(t.cooperating) or None)
        ws.cell(r, c + 3, "、".join(t.implementing) or None)
        ws.cell(r, c + 4, t.deadline)
        ws.cell(r, c + 5, t.target)
    last = first + len(info.tasks) - 1
    _body(ws, first, last, width, {1, *range(2, 2 + depth), width - 1})
    text_widths = {2 + depth: 70, 3 + depth: 18, 4 + depth: 24, 5 + depth: 24, 7 + depth: 26}
    for r in range(first, last + 1):
        _fit_height(ws, r, text_widths)
    for level in range(depth):
        _merge_runs(ws, 2 + level, first, keys[level])
    _note(ws, last + 2, "注:单位之间用“、”分隔;完成时限写作 2022-05 或 2022-05-31。新增任务请在表中续行并填写序号。",
          width)
    _widths(ws, [9, *([14] * depth), 70, 18, 24, 24, 11, 26])
    _print_setup(ws, 2)


def _indicator_parent_codes(info: PlanInfo) -> tuple[dict[int, str], bool]:
    code_of = {i.id: i.code for i in info.indicators}
    needs_column = False
    seen: set[str] = set()
    for i in info.indicators:
        parent = code_of.get(i.parent_id) if i.parent_id is not None else None
        if parent is not None and not i.code.startswith(parent + "."):
            needs_column = True
        if parent is None and "." in i.code and i.code.rsplit(".", 1)[0] in seen:
            needs_column = True
        seen.add(i.code)
    return {i.id: code_of[i.parent_id] for i in info.indicators
            if i.parent_id is not None and i.parent_id in code_of}, needs_column


def _indicators_sheet(wb: Workbook, info: PlanInfo) -> None:
    ws = wb.create_sheet(INDICATORS_SHEET)
    parents, parent_column = _indicator_parent_codes(info)
    with_target = {i.target_year for i in info.indicators if i.target}
    without = {i.target_year for i in info.indicators if not i.target}
    year_in_header = len(with_target) == 1 and None not in with_target and without <= {None}
    target_header = f"目标值({next(iter(with_target))}年)" if year_in_header else "目标值"
    names = ["领域", "任务", "序号", "指标名称", "单位", "指标值", "指标属性", target_header]
    if not year_in_header:
        names.append("目标年份")
    names.append("牵头部门")
    if parent_column:
        names.append("上级序号")
    width = len(names)
    _title(ws, f"{info.plan.title} 指标表", width)
    _header(ws, 2, names)
    first = 3
    dom_keys: list[tuple[str, ...]] = []
    cat_keys: list[tuple[str, ...]] = []
    for k, ind in enumerate(info.indicators):
        r = first + k
        values: list[object] = [ind.domain or None, ind.category or None, ind.code, ind.name,
                                ind.unit, ind.standard, ind.attribute, ind.target]
        if not year_in_header:
            values.append(ind.target_year)
        values.append("、".join(ind.lead) or None)
        if parent_column:
            values.append(parents.get(ind.id))
        for c, v in enumerate(values, 1):
            ws.cell(r, c, v)
        dom_keys.append((ind.domain,) if ind.domain else ())
        cat_keys.append((ind.domain, ind.category) if ind.category else ())
    last = first + len(info.indicators) - 1
    _body(ws, first, last, width, {1, 2, 3, 5, 7})
    for r in range(first, last + 1):
        _fit_height(ws, r, {2: 18, 4: 36, 6: 22, 8: 22})
    _merge_runs(ws, 1, first, dom_keys)
    _merge_runs(ws, 2, first, cat_keys)
    _note(ws, last + 2, "注:子指标的序号写作“上级序号.n”(如 7.1);指标值可写 ≥20、≤0.5、100 或“制定实施”等文字。",
          width)
    _widths(ws, [10, 18, 7, 36, 10, 22, 9, 22, *([9] if not year_in_header else []), 20,
                 *([9] if parent_column else [])])
    _print_setup(ws, 2)


def _units_sheet(wb: Workbook, info: PlanInfo) -> None:
    ws = wb.create_sheet(UNITS_SHEET)
    _header(ws, 1, ["单位名称", "类型", "别名", "联系人", "电话", "邮箱"])
    for r, u in enumerate(info.units, 2):
        ws.cell(r, 1, u.name)
        ws.cell(r, 2, KIND_LABELS.get(u.kind, u.kind))
        ws.cell(r, 3, "、".join(u.aliases) or None)
        for c, value in enumerate((u.contact, u.phone, u.email), 4):
            ws.cell(r, c, value or None)  # text: a phone number is written as text
    _body(ws, 2, len(info.units) + 1, 6, {2})
    _widths(ws, [28, 10, 40, 12, 18, 30])


def plan_workbook(info: PlanInfo) -> Workbook:
    wb = Workbook()
    _info_sheet(wb, info)
    _tasks_sheet(wb, info)
    if info.indicators:
        _indicators_sheet(wb, info)
    _units_sheet(wb, info)
    if info.sections:
        _sections_sheet(wb, info)
    return wb


def export_plan(engine: Engine, plan_id: int, path: str | Path,
                reporter: Reporter | None = None) -> ExportResult:
    """Write the plan to `path` (replaced atomically: a half-written file never appears)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserFacingError(f"请以 .xlsx 为扩展名保存:{path.name}")
    if reporter is not None:
        reporter.step(0, 2, "读取方案")
    with Session(engine) as s:
        info = load_plan(s, plan_id)
    if reporter is not None:
        reporter.step(1, 2, "写入工作簿")
    wb = plan_workbook(info)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        give_user_mode(tmp)
        os.replace(tmp, path)
    except PermissionError as exc:
        raise UserFacingError(f"无法写入 {path}:文件可能正在 Excel/WPS 中打开,请关闭后重试。") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return ExportResult(str(path), len(info.tasks), len(info.indicators), len(info.units),
                        len(info.sections))
