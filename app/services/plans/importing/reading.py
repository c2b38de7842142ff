"""Plan workbooks (任务分解表 + 指标表) as people make them, read into a plan spec dict.

District offices keep their task breakdown in WPS/Excel: title rows above the header, merged
cells for 领域/任务 spanning many rows, numbering like "1、" or "(一)", several units in one cell,
"(X牵头,Y配合)" at the end of the task text, blank separator rows, a "注:" row at the bottom,
sometimes traditional characters. ``read_plan_workbook`` turns such a file into the spec dict
``app.services.plans.query.insert_plan`` writes (the format of the bundled examples), plus every
problem with its sheet and cell; ``preview_import`` matches the unit names against the
database; ``apply_import`` writes units, aliases and the plan in one transaction.

A workbook written by ``app.services.plans.export`` carries a 方案信息 sheet with a format mark;
it is read *exactly* (codes, texts and sections as written, no guessing), so export → import
gives the same plan.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.core.problems import Problem, location
from app.core.vocab import FREQUENCY_LABELS, KIND_LABELS, UNIT_KINDS
from app.models import AuditLog, Indicator
from app.services.backups import make_backup
from app.services.db import get_setting
from app.services.packets.container import Limits, check_container, scan_sheet, sheet_parts
from app.services.plans.query import insert_plan, parse_standard
from app.services.plans.units import (
    NEW,
    KnownUnit,
    UnitDecision,
    UnitMatcher,
    apply_overrides,
    clean_name,
    is_collective,
    known_units,
    split_top,
    split_units,
    to_simplified,
    traditional_share,
    write_units,
)

FORMAT_MARK = "台账方案工作簿 v1"
INFO_SHEET = "方案信息"
SECTIONS_SHEET = "领域"
UNITS_SHEET = "单位"

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ROWS = 20000
MAX_COLUMNS = 200
MAX_CELLS = 300_000  # in the whole workbook: openpyxl holds every cell (~0.5 KB each)
SHEET_LIMITS = Limits(max_row=MAX_ROWS, max_col=MAX_COLUMNS, max_cells=MAX_CELLS)
HEADER_SCAN_ROWS = 40

# ---------------------------------------------------------------- header vocabulary

# Exact header names (after normalising) per field; checked in this order.
HEADER_NAMES: dict[str, tuple[str, ...]] = {
    "code": ("序号", "编号", "任务编号", "序列号", "项目编号", "指标序号", "任务序号", "序列", "NO.",
             "NO"),
    "parent": ("上级序号", "上级编号", "上级指标", "上级指标序号"),
    "name": ("指标名称", "指标", "指标项", "指标内容", "考核指标", "具体指标", "一级指标", "二级指标",
             "子指标", "指标名"),
    "text": ("任务内容", "工作任务", "工作内容", "目标任务", "整改措施", "主要任务", "具体任务", "工作措施",
             "重点任务", "任务名称", "主要内容", "具体内容", "工作要点", "具体措施", "主要措施", "任务措施",
             "工作事项", "事项", "内容", "任务项", "重点工作", "工作目标任务"),
    "section": ("领域", "类别", "体系", "任务", "任务类别", "任务分类", "子类", "子类别", "分类", "板块",
                "专项", "方面", "重点领域", "大类", "小类", "一级分类", "二级分类", "三级分类", "整改任务",
                "问题类别", "部分", "章节", "工作类别", "项目类别", "领域类别", "子领域", "分项"),
    "lead": ("牵头单位", "牵头部门", "责任单位", "责任部门", "牵头责任单位", "主责单位", "主办单位", "负责单位",
             "牵头科室", "牵头", "责任单位(牵头)", "牵头单位(部门)"),
    "cooperating": ("配合单位", "协办单位", "配合部门", "协助单位", "参与单位", "协同单位", "配合",
                    "协办部门", "配合责任单位"),
    "implementing": ("落实单位", "实施单位", "责任主体", "落实主体", "承办单位", "具体落实单位",
                     "落实责任单位"),
    "deadline": ("完成时限", "时间节点", "完成时间", "时限", "整改时限", "完成期限", "进度安排", "时间安排",
                 "截止时间", "时间要求", "完成时限要求"),
    "target": ("目标", "目标值", "整改目标", "预期目标", "工作目标", "预期成效", "目标要求", "量化目标",
               "指标值", "标准值", "建设标准", "标准", "考核目标", "目标任务值"),
    "target_year": ("目标年份", "目标年度"),
    "measure": ("单位", "计量单位", "指标单位"),
    "attribute": ("指标属性", "属性", "指标类型"),
    "note": ("备注", "说明", "备考"),
    "unit_name": ("单位名称",),
    "kind": ("类型", "单位类型"),
    "aliases": ("别名", "又称", "其他名称"),
    "title": ("名称", "领域名称", "标题"),
}
_NAME_TO_FIELD: dict[str, str] = {}
for _field, _names in HEADER_NAMES.items():
    for _n in _names:
        _NAME_TO_FIELD.setdefault(_n, _field)
_CONTAINS = (("牵头", "lead"), ("配合", "cooperating"), ("协办", "cooperating"),
             ("落实单位", "implementing"), ("时限", "deadline"), ("完成时间", "deadline"),
             ("指标名称", "name"), ("任务内容", "text"), ("工作任务", "text"), ("整改措施", "text"),
             ("目标值", "target"), ("序号", "code"))

CN_DIGITS = "零一二三四五六七八九十百"
_CN = f"[{CN_DIGITS}]+"
_HEADING_STYLES = (
    ("cn、", re.compile(rf"^({_CN})\s*[、.．]\s*")),
    ("(cn)", re.compile(rf"^\(({_CN})\)\s*[、.．]?\s*")),
    ("第cn", re.compile(rf"^第({_CN})(?:部分|章|节|篇|项|条)?\s*[、.．:]?\s*")),
    ("n、", re.compile(r"^(\d+)\s*、\s*")),
    ("(n)", re.compile(r"^\((\d+)\)\s*")),
    ("n.", re.compile(r"^(\d+)\s*[.．](?!\d)\s*")),
)
_CODE_PREFIX = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*(?:[、.．](?!\d)|\s)\s*|^\s*\((\d+)\)\s*")
_NOTE_ROW = re.compile(r"^(注|备注|附注|说明|填表说明|注释)\s*\d*\s*[::、.]|^注\s*\d|^\*注")


def norm_text(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def header_key(value: Any) -> tuple[str, int | None]:
    """'目标值\\n(2022年)' → ('目标值', 2022): the normalised header name and a year in it."""
    text = to_simplified(norm_text(str(value)))
    year = None
    m = re.search(r"(\d{4})\s*年", text)
    if m:
        year = int(m.group(1))
    text = re.sub(r"\(.*?\)", "", text)
    text = re.sub(r"[\s*:※]", "", text)
    return text.upper() if text.isascii() else text, year


def header_field(value: Any) -> tuple[str | None, int | None]:
    key, year = header_key(value)
    if not key:
        return None, year
    fld = _NAME_TO_FIELD.get(key)
    if fld is None and len(key) <= 12:
        for part, candidate in _CONTAINS:
            if part in key:
                fld = candidate
                break
    return fld, year


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class SheetRole:
    sheet: str
    kind: str  # tasks / indicators / units / sections / info / skipped
    header_row: int | None
    columns: dict[str, str]  # field → column letters


@dataclass
class ParsedWorkbook:
    """What the workbook says, before any unit is matched: a spec dict whose unit names
    are the written (cleaned) names, where each name occurs, and the problems."""

    path: str
    spec: dict[str, Any]
    unit_cells: dict[str, list[str]]
    declared_units: list[KnownUnit]
    problems: list[Problem]
    sheets: list[SheetRole]
    exact: bool
    traditional: bool
    file_hash: str

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class ImportPreview:
    parsed: ParsedWorkbook
    units: list[UnitDecision]
    existing: list[KnownUnit]

    @property
    def spec(self) -> dict[str, Any]:
        return self.parsed.spec

    @property
    def problems(self) -> list[Problem]:
        return self.parsed.problems

    def counts(self) -> dict[str, int]:
        spec = self.parsed.spec
        n_ind = sum(1 + len(i.get("children", [])) for i in spec.get("indicators", []))
        return {
            "sections": _count_sections(spec.get("sections", [])),
            "tasks": len(spec.get("tasks", [])),
            "indicators": n_ind,
            "units": len({d.target for d in self.units}),
            "new_units": sum(1 for d in self.units if d.action == NEW),
            "aliases": sum(1 for d in self.units if d.name != d.target),
            "errors": len(self.parsed.errors),
            "warnings": sum(1 for p in self.problems if p.severity == "warning"),
        }

    def resolved_spec(self) -> dict[str, Any]:
        """The spec with every written unit name replaced by its canonical unit."""
        return resolve_spec(self.parsed.spec, {d.name: d.target for d in self.units})

    def as_json(self) -> dict[str, Any]:
        spec = self.resolved_spec()
        return {
            "file": self.parsed.path,
            "title": spec["title"],
            "counts": self.counts(),
            "sheets": [{"sheet": s.sheet, "kind": s.kind, "header_row": s.header_row,
                        "columns": s.columns} for s in self.parsed.sheets],
            "units": [{"name": d.name, "action": d.action, "target": d.target, "kind": d.kind,
                       "score": d.score, "candidates": list(d.candidates), "cells": d.cells}
                      for d in self.units],
            "sections": _flatten_sections(spec.get("sections", [])),
            "tasks": spec.get("tasks", []),
            "indicators": spec.get("indicators", []),
            "problems": [{**p.as_json(), "level": p.severity} for p in self.problems],
        }


@dataclass(frozen=True)
class ImportResult:
    plan_id: int
    title: str
    sections: int
    tasks: int
    indicators: int
    units: int
    new_units: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]  # (written name, unit)

    @property
    def changes(self) -> Changes:
        return Changes(plans=True, units=True, note="plan imported")


def _count_sections(items: list[dict[str, Any]]) -> int:
    return sum(1 + _count_sections(s.get("children", [])) for s in items)


def _flatten_sections(items: list[dict[str, Any]], parent: str = "") -> list[dict[str, str]]:
    out = []
    for s in items:
        path = f"{parent} › {s['title']}" if parent else s["title"]
        out.append({"code": s.get("code", ""), "title": s["title"], "path": path})
        out.extend(_flatten_sections(s.get("children", []), path))
    return out


def resolve_spec(spec: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    def fix(values: list[str]) -> list[str]:
        out: list[str] = []
        for v in values:
            t = names.get(v, v)
            if t not in out:
                out.append(t)
        return out

    def fix_ind(ind: dict[str, Any]) -> dict[str, Any]:
        return {**ind, "lead": fix(ind.get("lead", [])),
                "children": [fix_ind(c) for c in ind.get("children", [])]}

    units: list[dict[str, Any]] = []
    seen: set[str] = set()
    for u in spec.get("units", []):
        t = names.get(u["name"], u["name"])
        if t not in seen:
            seen.add(t)
            units.append({"name": t, "kind": u.get("kind")})
    return {
        **spec, "units": units,
        "tasks": [{**t, **{r: fix(t.get(r, [])) for r in ("lead", "cooperating", "implementing")}}
                  for t in spec.get("tasks", [])],
        "indicators": [fix_ind(i) for i in spec.get("indicators", [])],
    }


# ---------------------------------------------------------------- opening the file


def _check_file(path: Path) -> bytes:
    if not path.is_file():
        raise UserFacingError(f"文件不存在:{path}")
    size = path.stat().st_size
    if size == 0:
        raise UserFacingError(f"文件是空的(0 字节):{path.name}")
    if size > MAX_FILE_BYTES:
        raise UserFacingError(f"文件过大({size // (1024 * 1024)} MB),不像是方案工作簿:{path.name}")
    data = path.read_bytes()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data \
                or "EncryptedPackage".encode("utf-16-le") in data:
            raise UserFacingError(
                f"工作簿设置了打开密码(已加密),无法读取:{path.name}。请在 Excel/WPS 中取消密码后"
                "另存为 .xlsx 再导入。")
        raise UserFacingError(
            f"这是旧版 Excel 97-2003 格式(.xls)或其他 Office 文件:{path.name}。请在 Excel/WPS 中"
            "“另存为” Excel 工作簿(.xlsx)后再导入。")
    zf = check_container(data, path.name, what="方案工作簿", max_bytes=MAX_FILE_BYTES,
                         max_unpacked=MAX_UNPACKED_BYTES)
    parts, _states = sheet_parts(zf)
    if not parts:
        raise UserFacingError(f"不是 Excel 工作簿(.xlsx)文件(其中没有工作表):{path.name}")
    total = 0
    for sheet, part in parts.items():
        total += scan_sheet(zf, part, sheet, SHEET_LIMITS, path.name, what="方案工作簿").cells
        if total > MAX_CELLS:
            raise UserFacingError(
                f"“{path.name}”单元格过多(超过 {MAX_CELLS:,} 个,到“{sheet}”表为止),"
                "不像是方案工作簿,已拒绝。", sheet=sheet)
    return data


@dataclass
class _Grid:
    """One sheet with merged cells resolved: every cell of a merged range reads the value
    of its top-left cell, and knows the range it belongs to."""

    name: str
    values: dict[tuple[int, int], Any]
    ranges: dict[tuple[int, int], tuple[int, int, int, int]]
    number_formats: dict[tuple[int, int], str]
    max_row: int
    max_col: int

    def get(self, r: int, c: int) -> Any:
        return self.values.get((r, c))

    def text(self, r: int, c: int) -> str:
        return cell_text(self.get(r, c), self.number_formats.get((r, c), ""))

    def range_of(self, r: int, c: int) -> tuple[int, int, int, int]:
        return self.ranges.get((r, c), (r, c, r, c))

    def origin(self, r: int, c: int) -> tuple[int, int]:
        rng = self.range_of(r, c)
        return rng[0], rng[1]


def get_column_letter(c: int) -> str:
    """1 → A, 27 → AA (openpyxl's rule; openpyxl itself is loaded only to read a file)."""
    letters = ""
    while c > 0:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


def cell_text(value: Any, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if "%" in number_format:
            v = value * 100
            return f"{round(v, 6):g}%"
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    return text.strip()


def _load_grids(path: Path, data: bytes, problems: list[Problem]) -> list[_Grid]:
    from openpyxl import load_workbook  # ~0.3 s with numpy: not at start-up

    try:
        wb = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except UserFacingError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise UserFacingError(f"无法读取工作簿 {path.name}:{type(exc).__name__}: {exc}") from exc
    grids = []
    try:
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            values: dict[tuple[int, int], Any] = {}
            formats: dict[tuple[int, int], str] = {}
            max_row = max_col = 0
            for row in ws.iter_rows():
                for cell in row:
                    v = cell.value
                    if v is None or (isinstance(v, str) and not v.strip()):
                        continue
                    if isinstance(v, str) and v.startswith("=") and cell.data_type == "f":
                        problems.append(Problem(ws.title, cell.coordinate,
                                                "单元格是公式且没有计算结果,已忽略。", "warning"))
                        continue
                    r, c = cell.row, cell.column
                    values[(r, c)] = v
                    if cell.number_format and cell.number_format != "General":
                        formats[(r, c)] = cell.number_format
                    max_row, max_col = max(max_row, r), max(max_col, c)
            if max_row > MAX_ROWS:
                raise UserFacingError(f"工作表“{ws.title}”超过 {MAX_ROWS} 行,不像是方案工作簿。")
            ranges: dict[tuple[int, int], tuple[int, int, int, int]] = {}
            for mr in ws.merged_cells.ranges:
                rng = (mr.min_row, mr.min_col, mr.max_row, mr.max_col)
                if (mr.max_row - mr.min_row + 1) * (mr.max_col - mr.min_col + 1) > 200000:
                    continue
                top = values.get((mr.min_row, mr.min_col))
                fmt = formats.get((mr.min_row, mr.min_col))
                for r in range(mr.min_row, mr.max_row + 1):
                    for c in range(mr.min_col, mr.max_col + 1):
                        ranges[(r, c)] = rng
                        if top is not None:
                            values[(r, c)] = top
                            if fmt:
                                formats[(r, c)] = fmt
                if top is not None:
                    max_row, max_col = max(max_row, mr.max_row), max(max_col, mr.max_col)
            grids.append(_Grid(ws.title, values, ranges, formats, max_row, max_col))
    finally:
        wb.close()
    return grids


# ---------------------------------------------------------------- header detection


@dataclass
class _Header:
    row: int  # last header row
    first_row: int
    columns: dict[str, list[int]]  # field → columns, left to right
    target_year: int | None
    name_span: list[int]  # columns of a 指标名称 header merged across columns
    names: dict[int, str] = field(default_factory=dict)  # column → normalised header text


def _find_header(grid: _Grid) -> _Header | None:
    best: _Header | None = None
    for r in range(1, min(grid.max_row, HEADER_SCAN_ROWS) + 1):
        columns: dict[str, list[int]] = {}
        names: dict[int, str] = {}
        year = None
        name_span: list[int] = []
        seen_origins: set[tuple[int, int]] = set()
        for c in range(1, grid.max_col + 1):
            if grid.get(r, c) is None:
                continue
            origin = grid.origin(r, c)
            rng = grid.range_of(r, c)
            if origin in seen_origins:
                fld = next((f for f, cols in columns.items() if cols and
                            grid.origin(r, cols[-1]) == origin), None)
                if fld in ("section", "name", "text"):
                    columns[fld].append(c)  # a header spanning several columns
                    if fld == "name":
                        name_span.append(c)
                continue
            seen_origins.add(origin)
            fld, y = header_field(grid.get(r, c))
            if fld is None:
                continue
            names[c] = header_key(grid.get(r, c))[0]
            if fld == "target" and y:
                year = y
            columns.setdefault(fld, []).append(c)
            if fld == "name" and rng[3] > rng[1]:
                name_span.append(c)
        has_body = any(f in columns for f in ("text", "name", "unit_name", "title")) or (
            "section" in columns and ("lead" in columns or "code" in columns))
        if not has_body or sum(len(v) for v in columns.values()) < 2:
            continue
        best = _Header(r, r, columns, year, name_span if len(name_span) > 1 else [], names)
        _second_header_row(grid, best)
        break
    if best is None:
        return None
    cols = best.columns
    if "text" not in cols and "name" not in cols and "section" in cols and len(cols["section"]) >= 1:
        cols["text"] = [cols["section"].pop()]  # 序号 | 任务 | 牵头单位: "任务" is the text
        if not cols["section"]:
            del cols["section"]
    if "lead" in cols and len(cols["lead"]) > 1:
        # 牵头单位 + 责任单位: the second is who carries it out
        extra = cols["lead"][1:]
        cols["lead"] = cols["lead"][:1]
        cols.setdefault("implementing", []).extend(extra)
    return best


def _second_header_row(grid: _Grid, header: _Header) -> None:
    """A group header ("责任单位" over "牵头单位 | 配合单位", "目标值" over "(2022年)")."""
    r = header.row + 1
    if r > grid.max_row:
        return
    sub: dict[int, str] = {}
    year = None
    for c in range(1, grid.max_col + 1):
        v = grid.get(r, c)
        if v is None:
            continue
        if grid.range_of(r, c)[0] < r:
            continue  # a header cell merged down into this row
        fld, y = header_field(v)
        text = header_key(v)[0]
        if fld is None and y is not None and not text:
            year = y
            continue
        if fld is None and re.fullmatch(r"\(?\d{4}年?\)?", str(v).strip()):
            year = int(re.search(r"\d{4}", str(v)).group(0))  # type: ignore[union-attr]
            continue
        if fld is None:
            return  # a data row
        sub[c] = fld
    if not sub and year is None:
        return
    for c, fld in sub.items():
        header.names[c] = header_key(grid.get(r, c))[0]
        for f, cols in list(header.columns.items()):
            if c in cols:
                cols.remove(c)
                if not cols:
                    del header.columns[f]
        header.columns.setdefault(fld, []).append(c)
        header.columns[fld].sort()
    if year is not None and header.target_year is None:
        header.target_year = year
    header.row = r


# ---------------------------------------------------------------- small parsers


def code_text(value: str) -> str:
    """'1、' → '1'; '(3)' → '3'; '（一）' → '一'; '2.1.' → '2.1'."""
    text = norm_text(value).strip()
    text = re.sub(r"^第", "", text)
    text = text.strip("()、.:; ")
    text = re.sub(r"(?<=\d)\s*[、.]$", "", text)
    return re.sub(r"\s+", "", text)


def split_heading(text: str) -> tuple[str | None, str]:
    """'(一)建立健全监管制度' → ('(cn)', '建立健全监管制度'); unnumbered → (None, text)."""
    t = norm_text(text).strip()
    for style, rx in _HEADING_STYLES:
        m = rx.match(t)
        if m and len(t) > m.end():
            return style, t[m.end():].strip()
    return None, t


_STANDARD_HEADERS = ("指标值", "标准值", "建设标准", "标准", "指标标准", "考核标准")
_NUMBERING_ONLY = re.compile(rf"^[(]?(第)?({_CN}|\d+)[)]?[、.]?$")


def section_values(raw: list[str], exact: bool) -> list[str]:
    """Section cells of one row as a title path: in a person's sheet a numbering-only cell
    ("(一)") joins the title beside it, a title merged across two columns counts once, and
    the numbering is dropped ("(二)生态环境质量改善" → "生态环境质量改善")."""
    if exact:
        return [v for v in raw if v]
    out: list[str] = []
    pending = ""
    for v in raw:
        v = v.replace("\n", "").strip()
        if not v:
            continue
        if _NUMBERING_ONLY.match(norm_text(v)):
            pending = v
            continue
        title = split_heading(pending + v)[1] if pending else split_heading(v)[1]
        pending = ""
        if not out or out[-1] != title:
            out.append(title)
    return out


_DEADLINE_NONE = re.compile(r"^(长期坚持|长期|持续推进|持续|常态化|长效|长期推进|持续开展|按上级要求|按要求|"
                            r"每年|每季度|每月|逐年推进|全年|年度内)")


def parse_deadline(text: str, default_year: int | None) -> tuple[str | None, bool]:
    """'2021年3月底前' → '2021-03'; '2022年底' → '2022-12'; '4月底前' with a year known → that
    month; 2022-05-31 → '2022-05-31'; '长期坚持' → None (no problem). Returns (value, understood)."""
    t = to_simplified(norm_text(text)).strip()
    if not t:
        return None, True
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", t)
    if m:
        return t, True
    found: list[tuple[int, int, int | None]] = []
    for m in re.finditer(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?", t):
        found.append((int(m.group(1)), int(m.group(2)), int(m.group(3))))
    rest = re.sub(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?", " ", t)
    for m in re.finditer(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?", rest):
        found.append((int(m.group(1)), int(m.group(2)), None))
    rest = re.sub(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*月?", " ", rest)
    quarter = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
    for m in re.finditer(r"(\d{4})\s*年\s*(上半年|下半年|第?([一二三四1-4])季度|底|末|年底|年末)?", rest):
        y, what = int(m.group(1)), m.group(2) or ""
        month = 6 if what == "上半年" else quarter[m.group(3)] if m.group(3) else 12
        found.append((y, month, None))
    if not found and default_year:
        for m in re.finditer(r"(\d{1,2})\s*月", t):
            found.append((default_year, int(m.group(1)), None))
        if not found and re.search(r"年底|年末|年内|本年度|年度内", t):
            found.append((default_year, 12, None))
    found = [f for f in found if 1 <= f[1] <= 12 and 1990 <= f[0] <= 2100]
    if found:
        y, mth, d = max(found, key=lambda f: (f[0], f[1], f[2] or 32))
        if d:
            try:
                return dt.date(y, mth, d).isoformat(), True
            except ValueError:
                pass
        return f"{y}-{mth:02d}", True
    if _DEADLINE_NONE.match(t):
        return None, True
    return None, False


_STANDARD_WORDS = (
    (re.compile(r"^(不低于|不少于|大于等于|高于等于|至少|达到)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*(以上)?$"), ">="),
    (re.compile(r"^(-?\d+(?:\.\d+)?)\s*(%?)\s*(以上|及以上)$"), ">="),
    (re.compile(r"^(不高于|不超过|不大于|低于等于|小于等于|控制在)\s*(-?\d+(?:\.\d+)?)\s*(%?)\s*(以内|以下)?$"),
     "<="),
    (re.compile(r"^(-?\d+(?:\.\d+)?)\s*(%?)\s*(以下|以内|及以下)$"), "<="),
)


def parse_standard_text(text: str | None) -> tuple[str | None, float | None]:
    """``plans.parse_standard`` plus the words people write: '不低于95%', '80%以上',
    '不超过0.5'."""
    comp, value = parse_standard(text)
    if comp is not None or not text:
        return comp, value
    t = norm_text(text).strip().replace("≧", "≥").replace("≦", "≤")
    comp, value = parse_standard(t)
    if comp is not None:
        return comp, value
    for rx, op in _STANDARD_WORDS:
        m = rx.match(t)
        if m:
            num = next(g for g in m.groups() if g and re.fullmatch(r"-?\d+(?:\.\d+)?", g))
            return op, float(num)
    return None, None


def normalise_standard(text: str) -> str:
    """Keep the written standard, only unify the JIS comparison signs (≧ → ≥, ≦ → ≤)."""
    return text.replace("≧", "≥").replace("≦", "≤")


_ROLE_PREFIX = (
    (re.compile(r"^(牵头单位|牵头部门|主责单位|责任单位|责任部门|牵头)\s*[::]\s*"), "lead"),
    (re.compile(r"^(配合单位|配合部门|协办单位|协助单位|配合)\s*[::]\s*"), "cooperating"),
    (re.compile(r"^(落实单位|实施单位|责任主体)\s*[::]\s*"), "implementing"),
)
_ROLE_SUFFIXES = (
    (re.compile(r"(负责落实|具体落实|抓好落实|落实)$"), "implementing"),
    (re.compile(r"(按职责(?:分工)?分别牵头|按职责(?:分工)?牵头|分别牵头|共同牵头|牵头负责|牵头|负责|主办)$"),
     "lead"),
    (re.compile(r"(配合|协办|协助|参与)$"), "cooperating"),
)


_FILLER = re.compile(r"^(以上|以下)?(任务)?(均需|均由|均请|需|由|请|均)")


def parse_roles(text: str, default: str | None) -> dict[str, list[str]] | None:
    """'天宁生态环境局牵头,区工信局、区发改局配合' → {'lead': [...], 'cooperating': [...]}.

    Clauses are separated by commas or semicolons; a clause ends with its role word (牵头,
    配合, 负责落实…) or starts with one ("牵头单位:…"). Without any role word the whole text
    is `default`'s; with `default` None such a text is not a list of units (None)."""
    t = to_simplified(norm_text(text)).strip()
    # "X牵头、Y配合": a role word closes its clause even when a 、 follows
    t = re.sub(r"(牵头|配合|协办|负责落实|落实|负责)、", r"\1,", t)
    clauses = [c.strip() for c in split_top(t, ",;,;。") if c.strip()]
    out: dict[str, list[str]] = {}
    pending: list[str] = []
    marked = False
    for clause in clauses:
        role = None
        body = clause
        for rx, r in _ROLE_PREFIX:
            m = rx.match(body)
            if m:
                role, body = r, body[m.end():]
                break
        for rx, r in _ROLE_SUFFIXES:
            m = rx.search(body)
            if m:
                role = role or r
                body = body[:m.start()]
                break
        body = _FILLER.sub("", body)
        if role is None:
            pending.append(body)
            continue
        marked = True
        names = [*pending, body]
        pending = []
        for part in names:
            for name in split_units(part):
                if name not in out.setdefault(role, []):
                    out[role].append(name)
    if not marked and default is None:
        return None
    if pending and default is not None:
        role = default or "lead"
        for part in pending:
            for name in split_units(part):
                if name not in out.setdefault(role, []):
                    out[role].append(name)
    return out


def trailing_roles(text: str) -> tuple[str, dict[str, list[str]]] | None:
    """Split '…实施。(天宁生态环境局牵头,区工信局配合)' into the text and its units, when the
    closing parenthesis names units with role words."""
    t = text.rstrip()
    tail = ""
    while t and t[-1] in "。.;;":
        tail = t[-1] + tail
        t = t[:-1].rstrip()
    if not t or t[-1] not in "))":
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch in "))":
            depth += 1
        elif ch in "((":
            depth -= 1
            if depth == 0:
                inner = t[i + 1:-1]
                roles = parse_roles(inner, None)
                if not roles or not any(roles.values()):
                    return None
                head = t[:i].rstrip()
                if tail and not head.endswith(("。", ".", ";", ";")):
                    head += tail
                return head, roles
    return None


# ---------------------------------------------------------------- reading


@dataclass
class _Ctx:
    problems: list[Problem]
    unit_cells: dict[str, list[str]]
    units_order: list[str]
    exact: bool
    default_year: int | None

    def warn(self, sheet: str, r: int, c: int | None, message: str, level: str = "warning"
             ) -> None:
        self.problems.append(Problem(sheet, cell_ref(r, c) if c else f"第{r}行", message, level))

    def unit_names(self, sheet: str, r: int, c: int, text: str, role: str
                   ) -> dict[str, list[str]]:
        roles = parse_roles(text, role) or {}
        out: dict[str, list[str]] = {}
        for rl, names in roles.items():
            for name in names:
                if not name:
                    continue
                if is_collective(name):
                    self.warn(sheet, r, c, f"“{name}”不是具体单位,未导入(可在程序中逐个指定)。")
                    continue
                cell = location(sheet, cell_ref(r, c))
                cells = self.unit_cells.setdefault(name, [])
                if cell not in cells:
                    cells.append(cell)
                if name not in self.units_order:
                    self.units_order.append(name)
                if name not in out.setdefault(rl, []):
                    out[rl].append(name)
        return out


def _is_note(text: str) -> bool:
    return bool(_NOTE_ROW.match(norm_text(text).strip()))


def _row_cells(grid: _Grid, r: int) -> list[tuple[int, str]]:
    """Non-empty cells of a row, each merged range once (at its first column in the row)."""
    out = []
    seen = set()
    for c in range(1, grid.max_col + 1):
        if grid.get(r, c) is None:
            continue
        origin = grid.origin(r, c)
        key = (origin, grid.range_of(r, c))
        if key in seen:
            continue
        seen.add(key)
        out.append((c, grid.text(r, c)))
    return out


def _header_repeat(grid: _Grid, r: int, header: _Header) -> bool:
    hits = 0
    for cols in header.columns.values():
        for c in cols:
            v = grid.get(r, c)
            if v is not None and header_field(v)[0] is not None and grid.range_of(r, c)[0] == r:
                hits += 1
    return hits >= 2


def _col(header: _Header, fld: str) -> int | None:
    cols = header.columns.get(fld)
    return cols[0] if cols else None


class _Sections:
    """Sections met while reading tasks: a tree keyed by title paths."""

    def __init__(self) -> None:
        self.roots: list[dict[str, Any]] = []
        self.by_path: dict[tuple[str, ...], dict[str, Any]] = {}

    def get(self, path: tuple[str, ...], codes: dict[tuple[str, ...], str] | None = None
            ) -> dict[str, Any] | None:
        if not path:
            return None
        node = self.by_path.get(path)
        if node is not None:
            return node
        parent = self.get(path[:-1], codes)
        siblings = parent["children"] if parent else self.roots
        if codes is not None and path in codes:
            code = codes[path]
        else:
            code = f"{parent['code']}.{len(siblings) + 1}" if parent else str(len(siblings) + 1)
        node = {"code": code, "title": path[-1], "children": []}
        siblings.append(node)
        self.by_path[path] = node
        return node


def _read_tasks(grid: _Grid, header: _Header, ctx: _Ctx, sections: _Sections,
                section_codes: dict[tuple[str, ...], str] | None,
                reporter: Reporter | None) -> list[dict[str, Any]]:
    sheet = grid.name
    code_c = _col(header, "code")
    text_c = _col(header, "text")
    assert text_c is not None
    sec_cols = [c for c in header.columns.get("section", []) if c != text_c]
    role_cols = {role: header.columns.get(role, []) for role in
                 ("lead", "cooperating", "implementing")}
    deadline_c = _col(header, "deadline")
    target_c = _col(header, "target")
    field_cols = {c for cols in header.columns.values() for c in cols}

    heading_path: list[str] = []
    heading_styles: list[str | None] = []
    prev_sec: list[str] = []
    groups: list[dict[str, Any]] = []
    group_of: dict[tuple[int, int, int, int], dict[str, Any]] = {}
    total = grid.max_row
    for r in range(header.row + 1, grid.max_row + 1):
        if reporter is not None and r % 200 == 0:
            reporter.step(r, total, f"读取“{sheet}”第 {r} 行")
        cells = [(c, t) for c, t in _row_cells(grid, r) if t]
        if not cells:
            continue
        if _is_note(cells[0][1]) and (len(cells) == 1 or cells[0][0] != text_c):
            break
        if _header_repeat(grid, r, header):
            continue
        text = grid.text(r, text_c)
        code_raw = grid.text(r, code_c) if code_c else ""
        units_here = any(grid.text(r, c) for cols in role_cols.values() for c in cols)
        # a heading row: one value spanning the table, or "(一)" + title with nothing else
        if not ctx.exact:
            single = (len(cells) == 1
                      and grid.range_of(r, cells[0][0])[3] > grid.range_of(r, cells[0][0])[1]
                      and (split_heading(cells[0][1])[0] is not None or len(cells[0][1]) <= 40)
                      and trailing_roles(cells[0][1]) is None)
            cn_code = code_raw and re.fullmatch(rf"[(]?(第)?{_CN}[)]?[、.]?", norm_text(code_raw)
                                                .strip()) is not None
            only_code_text = {c for c, _ in cells} <= {code_c, text_c} and not units_here
            single_in_text = (len(cells) == 1 and cells[0][0] in (code_c, text_c)
                              and split_heading(cells[0][1])[0] in ("cn、", "(cn)", "第cn"))
            if single or (cn_code and only_code_text) or single_in_text:
                raw = cells[0][1] if (single or single_in_text) else f"{code_raw}{text}"
                if cn_code and only_code_text and not single:
                    raw = f"({code_text(code_raw)}){text}"
                style, title = split_heading(raw)
                title = title.replace("\n", "")
                if style in heading_styles:
                    level = heading_styles.index(style)
                else:
                    level = len(heading_styles)
                heading_styles = [*heading_styles[:level], style]
                heading_path = [*heading_path[:level], title]
                prev_sec = []
                sections.get(tuple(heading_path), section_codes)
                continue
        # section columns, filled down where a person left them blank
        sec_vals: list[str] = []
        for i, c in enumerate(sec_cols):
            v = grid.text(r, c).replace("\n", "")
            if not v and not ctx.exact and i < len(prev_sec) and (
                    i == 0 or sec_vals[:i] == prev_sec[:i]):
                v = prev_sec[i]
            sec_vals.append(v)
        prev_sec = sec_vals
        path = tuple(heading_path) + tuple(section_values(sec_vals, ctx.exact))
        if not text:
            known = [c for c, _ in cells if c in field_cols and c not in sec_cols]
            if known and not (len(known) == 1 and known[0] == code_c):
                ctx.warn(sheet, r, text_c, "这一行没有任务内容,已跳过。")
            elif known == [code_c] and code_raw and not sec_vals:
                ctx.warn(sheet, r, code_c, "只有序号没有任务内容,已跳过。")
            continue
        # rows sharing one merged 序号 (or merged task text) cell form one task
        key_rng = None
        if code_c and grid.range_of(r, code_c)[2] > grid.range_of(r, code_c)[0]:
            key_rng = grid.range_of(r, code_c)
        elif grid.range_of(r, text_c)[2] > grid.range_of(r, text_c)[0]:
            key_rng = grid.range_of(r, text_c)
        group = group_of.get(key_rng) if key_rng else None
        if group is None:
            group = {"row": r, "code": code_raw, "texts": [], "text_cells": [], "path": path,
                     "roles": {"lead": [], "cooperating": [], "implementing": []},
                     "deadline": "", "deadline_cell": None, "target": "",
                     "explicit_units": False}
            groups.append(group)
            if key_rng:
                group_of[key_rng] = group
        if text not in group["texts"]:
            group["texts"].append(text)
            group["text_cells"].append(r)
        for role, cols in role_cols.items():
            for c in cols:
                v = grid.text(r, c)
                if not v:
                    continue
                if role != "implementing":
                    group["explicit_units"] = True
                for rl, names in ctx.unit_names(sheet, r, c, v, role).items():
                    for n in names:
                        if n not in group["roles"][rl]:
                            group["roles"][rl].append(n)
        if deadline_c and not group["deadline"]:
            group["deadline"] = grid.text(r, deadline_c)
            group["deadline_cell"] = (r, deadline_c)
        if target_c and not group["target"]:
            group["target"] = grid.text(r, target_c)

    tasks: list[dict[str, Any]] = []
    for g in groups:
        texts: list[str] = []
        for text, r in zip(g["texts"], g["text_cells"], strict=True):
            if not ctx.exact and not g["explicit_units"]:
                split = trailing_roles(text)
                if split is not None:
                    text, roles = split
                    for rl, names in roles.items():
                        for n in names:
                            if is_collective(n):
                                ctx.warn(sheet, r, text_c, f"“{n}”不是具体单位,未导入。")
                                continue
                            cell = location(sheet, cell_ref(r, text_c))
                            ctx.unit_cells.setdefault(n, [])
                            if cell not in ctx.unit_cells[n]:
                                ctx.unit_cells[n].append(cell)
                            if n not in ctx.units_order:
                                ctx.units_order.append(n)
                            if n not in g["roles"][rl]:
                                g["roles"][rl].append(n)
            texts.append(text)
        code = code_text(g["code"]) if not ctx.exact else g["code"].strip()
        full_text = "\n".join(texts)
        if not code and not ctx.exact:
            m = _CODE_PREFIX.match(full_text)
            if m:
                code = m.group(1) or m.group(2)
                full_text = full_text[m.end():]
        deadline = None
        if g["deadline"]:
            deadline, ok = parse_deadline(g["deadline"], ctx.default_year)
            if not ok:
                r, c = g["deadline_cell"]
                ctx.warn(sheet, r, c, f"完成时限“{g['deadline']}”无法识别为年月,未导入"
                         "(可在程序中补填)。")
        sec = sections.get(g["path"], section_codes) if g["path"] else None
        tasks.append({"code": code, "section": sec["code"] if sec else None,
                      "text": full_text.strip(), "lead": g["roles"]["lead"],
                      "cooperating": g["roles"]["cooperating"],
                      "implementing": g["roles"]["implementing"], "deadline": deadline,
                      "target": g["target"] or None, "_row": g["row"], "_sheet": sheet})
    return tasks


def _assign_task_codes(tasks: list[dict[str, Any]], ctx: _Ctx) -> None:
    """Unique codes: kept when they already are; else qualified by their section's code, or
    by the run in which the numbering restarted (a table organised by department)."""
    for t in tasks:
        if not t["code"]:
            t["_auto"] = True
            ctx.warn(t["_sheet"], t["_row"], None, "这一行没有序号,已按顺序自动编号。", "info")
    # blank codes: number after the previous task of the same section
    counters: dict[Any, int] = {}
    for t in tasks:
        sec = t["section"]
        if t.get("_auto"):
            counters[sec] = counters.get(sec, 0) + 1
            t["code"] = str(counters[sec])
        elif t["code"].isdigit():
            counters[sec] = int(t["code"])
    codes = [t["code"] for t in tasks]
    if len(set(codes)) == len(codes):
        return
    if ctx.exact:
        seen: set[str] = set()
        for t in tasks:
            if t["code"] in seen:
                ctx.warn(t["_sheet"], t["_row"], None, f"序号“{t['code']}”重复。", "error")
            seen.add(t["code"])
        return
    if all(t["section"] for t in tasks):
        qualified = [f"{t['section']}.{t['code']}" for t in tasks]
        if len(set(qualified)) == len(qualified):
            for t, q in zip(tasks, qualified, strict=True):
                t["code"] = q
            return
    # numbering restarts: 1..7, 1..6, … → 1.1 … 2.1 …
    group, prev = 0, None
    qualified = []
    for t in tasks:
        n = _leading_int(t["code"])
        if prev is None or (n is not None and prev is not None and n <= prev):
            group += 1
        prev = n if n is not None else prev
        qualified.append(f"{group}.{t['code']}")
    seen = set()
    for t, q in zip(tasks, qualified, strict=True):
        code, k = q, 2
        while code in seen:
            code = f"{q}-{k}"
            k += 1
        if code != q:
            ctx.warn(t["_sheet"], t["_row"], None, f"序号重复,已改为“{code}”。")
        seen.add(code)
        t["code"] = code


def _leading_int(code: str) -> int | None:
    m = re.match(r"\d+", code)
    return int(m.group(0)) if m else None


def _read_indicators(grid: _Grid, header: _Header, ctx: _Ctx) -> list[dict[str, Any]]:
    sheet = grid.name
    code_c = _col(header, "code")
    name_cols = header.columns.get("name", [])
    if header.name_span:
        name_cols = header.name_span
    sec_cols = header.columns.get("section", [])
    measure_c = _col(header, "measure")
    attr_c = _col(header, "attribute")
    lead_cols = header.columns.get("lead", [])
    parent_c = _col(header, "parent")
    year_c = _col(header, "target_year")
    targets = header.columns.get("target", [])
    # 指标值 is the standard, 目标值 the target; a lone 目标 column is the target
    standard_c = target_c = None
    for c in targets:
        if header.names.get(c) in _STANDARD_HEADERS and standard_c is None:
            standard_c = c
        elif target_c is None:
            target_c = c

    flat: list[dict[str, Any]] = []
    parents: dict[tuple[int, int, int, int] | str, dict[str, Any]] = {}
    prev_sec: list[str] = []
    for r in range(header.row + 1, grid.max_row + 1):
        cells = [(c, t) for c, t in _row_cells(grid, r) if t]
        if not cells:
            continue
        if _is_note(cells[0][1]):
            break
        if _header_repeat(grid, r, header):
            continue
        names = [grid.text(r, c).replace("\n", "") for c in name_cols]
        if not any(names):
            if any(c in (code_c, measure_c, standard_c, target_c) for c, _ in cells):
                ctx.warn(sheet, r, name_cols[0] if name_cols else None,
                         "这一行没有指标名称,已跳过。")
            continue
        sec_vals: list[str] = []
        for i, c in enumerate(sec_cols):
            v = grid.text(r, c).replace("\n", "")
            if not v and not ctx.exact and i < len(prev_sec) and (i == 0 or sec_vals[:i]
                                                                  == prev_sec[:i]):
                v = prev_sec[i]
            sec_vals.append(v)
        prev_sec = sec_vals
        if ctx.exact:
            domain = sec_vals[0] if sec_vals else ""
            category = sec_vals[1] if len(sec_vals) > 1 else ""
        else:
            path = section_values(sec_vals[:1], False) + section_values(sec_vals[1:], False)
            domain = path[0] if path else ""
            category = " › ".join(path[1:])
        code = grid.text(r, code_c) if code_c else ""
        code = code if ctx.exact else code_text(code)
        standard = grid.text(r, standard_c) if standard_c else ""
        target = grid.text(r, target_c) if target_c else ""
        year: int | None = None
        if year_c:
            y = grid.text(r, year_c)
            if y:
                m = re.search(r"\d{4}", y)
                if m:
                    year = int(m.group(0))
                else:
                    ctx.warn(sheet, r, year_c, f"目标年份“{y}”不是年份,已忽略。")
        elif header.target_year and target:
            year = header.target_year
        leads: list[str] = []
        for c in lead_cols:
            v = grid.text(r, c)
            if v:
                for names_ in ctx.unit_names(sheet, r, c, v, "lead").values():
                    leads.extend(n for n in names_ if n not in leads)
        row = {"code": code, "name": names[-1] or names[0], "domain": domain,
               "category": category, "unit": (grid.text(r, measure_c) or None) if measure_c
               else None, "standard": normalise_standard(standard) or None,
               "attribute": (grid.text(r, attr_c) or None) if attr_c else None,
               "target": normalise_standard(target) or None, "target_year": year,
               "lead": leads, "children": [], "_row": r,
               "_parent": grid.text(r, parent_c) if parent_c else ""}
        if row["unit"] in ("-", "—", "/", "--", "——"):
            row["unit"] = None
        if len(name_cols) >= 2 and names[0] and names[-1] and names[0] != names[-1]:
            # two name columns: the left one (merged down) is the parent indicator
            key: tuple[int, int, int, int] | str = grid.range_of(r, name_cols[0])
            if key[2] == key[0] and code_c:
                key = f"{code}|{names[0]}"
            parent = parents.get(key)
            if parent is None:
                parent = {**row, "name": names[0], "unit": None, "standard": None,
                          "target": None, "target_year": None, "children": [], "_synth": True}
                parents[key] = parent
                flat.append(parent)
            child = {**row, "code": ""}
            parent["children"].append(child)
            continue
        flat.append(row)

    # codes for synthesised parents' children, then code-prefix and explicit parents
    out: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    last = 0
    for ind in flat:
        if not ind["code"]:
            ind["code"] = str(last + 1)
            ctx.warn(sheet, ind["_row"], code_c, f"指标没有序号,已编为“{ind['code']}”。", "info")
        if ind.get("_synth"):
            for k, ch in enumerate(ind["children"], 1):
                ch["code"] = f"{ind['code']}.{k}"
            common_lead = ind["children"][0]["lead"]
            ind["lead"] = list(common_lead) if all(c["lead"] == common_lead
                                                   for c in ind["children"]) else []
            attrs = {c["attribute"] for c in ind["children"]}
            ind["attribute"] = attrs.pop() if len(attrs) == 1 else None
        parent_code = ind.get("_parent") or ""
        parent = by_code.get(parent_code) if parent_code else None
        if parent is None and parent_c is None and "." in ind["code"]:
            parent = by_code.get(ind["code"].rsplit(".", 1)[0])
        if parent_code and parent is None:
            ctx.warn(sheet, ind["_row"], None, f"上级序号“{parent_code}”不存在,按一级指标导入。")
        if ind["code"] in by_code:
            ctx.warn(sheet, ind["_row"], code_c, f"指标序号“{ind['code']}”重复。",
                     "error" if ctx.exact else "warning")
            base, k = ind["code"], 2
            while f"{base}-{k}" in by_code:
                k += 1
            ind["code"] = f"{base}-{k}"
        by_code[ind["code"]] = ind
        last = _leading_int(ind["code"]) or last
        for ch in ind["children"]:
            by_code[ch["code"]] = ch
        if parent is not None:
            parent["children"].append(ind)
        else:
            out.append(ind)

    def clean(ind: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in ind.items() if not k.startswith("_")} | {
            "children": [clean(c) for c in ind["children"]]}

    return [clean(i) for i in out]


def _read_units_sheet(grid: _Grid, header: _Header, ctx: _Ctx) -> list[KnownUnit]:
    name_c = _col(header, "unit_name")
    kind_c = _col(header, "kind")
    alias_c = _col(header, "aliases")
    by_label = {v: k for k, v in KIND_LABELS.items()}
    out = []
    for r in range(header.row + 1, grid.max_row + 1):
        name = clean_name(grid.text(r, name_c)) if name_c else ""
        if not name:
            continue
        if _is_note(name):
            break
        kind_text = grid.text(r, kind_c) if kind_c else ""
        kind = by_label.get(kind_text) or (kind_text if kind_text in UNIT_KINDS else "")
        if kind_text and not kind:
            ctx.warn(grid.name, r, kind_c, f"单位类型“{kind_text}”无法识别,按名称推断。")
        aliases = tuple(a for a in (clean_name(x) for x in re.split(
            r"[、,,;;\n]", grid.text(r, alias_c))) if a) if alias_c else ()
        out.append(KnownUnit(name, kind or "", aliases))
        ctx.unit_cells.setdefault(name, []).append(location(grid.name, cell_ref(r, name_c or 1)))
        if name not in ctx.units_order:
            ctx.units_order.append(name)
    return out


def _read_sections_sheet(grid: _Grid, header: _Header, ctx: _Ctx
                         ) -> tuple[_Sections, dict[tuple[str, ...], str]]:
    code_c = _col(header, "code")
    title_c = _col(header, "title") or _col(header, "section")
    parent_c = _col(header, "parent")
    sections = _Sections()
    codes: dict[tuple[str, ...], str] = {}
    path_of: dict[str, tuple[str, ...]] = {}
    for r in range(header.row + 1, grid.max_row + 1):
        title = grid.text(r, title_c) if title_c else ""
        if not title:
            continue
        code = grid.text(r, code_c) if code_c else ""
        parent = grid.text(r, parent_c) if parent_c else ""
        if parent and parent not in path_of:
            ctx.warn(grid.name, r, parent_c, f"上级编号“{parent}”不存在,按一级领域导入。")
        path = (*path_of.get(parent, ()), title)
        codes[path] = code
        if code:
            path_of[code] = path
        sections.get(path, codes)
    return sections, codes


def _read_info(grid: _Grid) -> dict[str, str]:
    info: dict[str, str] = {}
    for r in range(1, grid.max_row + 1):
        key = header_key(grid.text(r, 1))[0] if grid.get(r, 1) is not None else ""
        if key:
            info[key] = grid.text(r, 2)
    return info


_INFO_KEYS = {"方案名称": "title", "方案": "title", "发文单位": "issuer", "印发单位": "issuer",
              "牵头办公室": "office", "填报办公室": "office", "办公室": "office", "填报频率": "frequency",
              "报送频率": "frequency", "报送截止日": "deadline_day", "截止日": "deadline_day",
              "起始月份": "first_period", "开始月份": "first_period", "结束月份": "last_period",
              "格式": "format"}


def _plan_from_info(info: dict[str, str], ctx: _Ctx, sheet: str) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    by_label = {v: k for k, v in FREQUENCY_LABELS.items()}
    for key, value in info.items():
        fld = _INFO_KEYS.get(key)
        if fld is None or not value:
            continue
        if fld == "frequency":
            freq = by_label.get(value.removeprefix("每").removesuffix("度")) or by_label.get(
                value) or (value if value in by_label.values() else None)
            if value in ("季", "季度", "每季度"):
                freq = "quarter"
            if freq is None:
                ctx.problems.append(Problem(sheet, "", f"填报频率“{value}”无法识别,按月填报。",
                                            "warning"))
                freq = "month"
            spec["frequency"] = freq
        elif fld == "deadline_day":
            m = re.search(r"\d+", value)
            day = int(m.group(0)) if m else 0
            if not 1 <= day <= 28:
                ctx.problems.append(Problem(sheet, "", f"报送截止日“{value}”应为 1–28 日,按 5 日。",
                                            "warning"))
                day = 5
            spec["deadline_day"] = day
        elif fld in ("first_period", "last_period"):
            month, ok = parse_deadline(value, None)
            if not ok or month is None:
                ctx.problems.append(Problem(sheet, "", f"{key}“{value}”不是年月(如 2021-03)。",
                                            "error"))
                continue
            spec[fld] = month[:7]
        else:
            spec[fld] = value
    return spec


def _guess_periods(title: str) -> tuple[str, str] | None:
    t = norm_text(title)
    m = re.search(r"(20\d{2})\s*[-—~至到]\s*(20\d{2})\s*年", t)
    if m:
        return f"{m.group(1)}-01", f"{m.group(2)}-12"
    years = re.findall(r"(20\d{2})\s*年", t)
    if len(set(years)) == 1:
        return f"{years[0]}-01", f"{years[0]}-12"
    return None


def read_plan_workbook(path: str | Path, reporter: Reporter | None = None) -> ParsedWorkbook:
    """Read a plan workbook into a spec dict with written unit names; raises UserFacingError
    for a file that is not a usable plan workbook (nothing is written anywhere)."""
    path = Path(path)
    data = _check_file(path)
    file_hash = hashlib.sha256(data).hexdigest()
    problems: list[Problem] = []
    grids = _load_grids(path, data, problems)
    if not any(g.values for g in grids):
        raise UserFacingError(f"工作簿是空的,没有任何内容:{path.name}")

    # traditional characters: convert the whole workbook once
    sample = "".join(str(v) for g in grids for v in list(g.values.values())[:4000]
                     if isinstance(v, str))
    changed, cjk = traditional_share(sample)
    traditional = cjk > 0 and changed >= max(10, cjk // 100)
    if traditional:
        cache: dict[str, str] = {}
        for g in grids:
            for k, v in g.values.items():
                if isinstance(v, str):
                    if v not in cache:
                        cache[v] = to_simplified(v)
                    g.values[k] = cache[v]
        problems.append(Problem(grids[0].name, "", "工作簿使用繁体字,已转换为简体字导入。", "info"))

    info_grid = next((g for g in grids if g.name == INFO_SHEET), None)
    info = _read_info(info_grid) if info_grid else {}
    exact = info.get("格式") == FORMAT_MARK
    ctx = _Ctx(problems, {}, [], exact, None)
    spec: dict[str, Any] = {}
    if info_grid is not None:
        spec.update(_plan_from_info(info, ctx, info_grid.name))

    roles: list[SheetRole] = []
    found: list[tuple[_Grid, _Header, str]] = []
    for g in grids:
        if g is info_grid:
            roles.append(SheetRole(g.name, "info", None, {}))
            continue
        header = _find_header(g)
        if header is None:
            if g.values:
                problems.append(Problem(g.name, "", "没有找到可识别的表头,已跳过此工作表。", "info"))
            roles.append(SheetRole(g.name, "skipped", None, {}))
            continue
        cols = header.columns
        if "unit_name" in cols:
            kind = "units"
        elif "name" in cols:
            kind = "indicators"
        elif "text" in cols:
            kind = "tasks"
        elif "title" in cols and "code" in cols:
            kind = "sections"
        else:
            kind = "skipped"
        roles.append(SheetRole(g.name, kind, header.row, {
            f: ",".join(get_column_letter(c) for c in cs) for f, cs in cols.items()}))
        found.append((g, header, kind))
    if not any(k in ("tasks", "indicators") for _, _, k in found):
        raise UserFacingError(
            f"没有找到任务表或指标表的表头:{path.name}。请确认表格有“序号”“任务内容”(或“工作任务”)"
            "“牵头单位”等列名,或指标表的“指标名称”列。")

    # the plan title: the 方案信息 sheet, else the first title row above a header
    if not spec.get("title"):
        for g, header, kind in found:
            if kind not in ("tasks", "indicators"):
                continue
            for r in range(1, header.first_row):
                cells = [t for _, t in _row_cells(g, r) if t]
                if cells and not re.fullmatch(r"附件\s*\d*", cells[0]):
                    spec["title"] = re.sub(r"^附件\s*\d+\s*[::]?\s*", "", cells[0]).replace(
                        "\n", "")
                    break
            if spec.get("title"):
                break
    if not spec.get("title"):
        spec["title"] = path.stem
        problems.append(Problem(found[0][0].name, "", "工作簿中没有标题行,以文件名作为方案名称。", "info"))
    year = re.search(r"(20\d{2})\s*年", spec["title"])
    ctx.default_year = int(year.group(1)) if year else None

    declared: list[KnownUnit] = []
    sections = _Sections()
    section_codes: dict[tuple[str, ...], str] | None = None
    for g, header, kind in found:
        if kind == "units":
            declared.extend(_read_units_sheet(g, header, ctx))
        elif kind == "sections":
            sections, section_codes = _read_sections_sheet(g, header, ctx)
    tasks: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    for g, header, kind in found:
        if kind == "tasks":
            tasks.extend(_read_tasks(g, header, ctx, sections, section_codes, reporter))
        elif kind == "indicators":
            indicators.extend(_read_indicators(g, header, ctx))
    if not tasks and not indicators:
        raise UserFacingError(f"工作簿中没有读到任何任务或指标:{path.name}")
    _assign_task_codes(tasks, ctx)
    for t in tasks:
        for private in ("_row", "_sheet", "_auto"):
            t.pop(private, None)

    if not exact and "first_period" not in spec:
        guess = _guess_periods(spec["title"])
        if guess:
            spec["first_period"], spec["last_period"] = guess
            problems.append(Problem(found[0][0].name, "",
                                    f"按标题设置填报周期 {guess[0]} 至 {guess[1]}(每月),可在方案设置中修改。",
                                    "info"))
        else:
            problems.append(Problem(found[0][0].name, "",
                                    "未能确定填报周期,请导入后在“方案设置”中设置。", "info"))
    declared_kinds = {u.name: u.kind for u in declared}
    spec["units"] = [{"name": n, "kind": declared_kinds.get(n) or None}
                     for n in ctx.units_order]
    spec["sections"] = sections.roots
    spec["tasks"] = tasks
    spec["indicators"] = indicators
    return ParsedWorkbook(str(path), spec, ctx.unit_cells, declared, problems, roles, exact,
                          traditional, file_hash)


# ---------------------------------------------------------------- preview and apply


def preview_import(engine: Engine, path: str | Path, unit_map: dict[str, str] | None = None,
                   reporter: Reporter | None = None) -> ImportPreview:
    """Read the workbook and decide each unit name against the database (nothing written)."""
    parsed = read_plan_workbook(path, reporter)
    with Session(engine) as s:
        existing = known_units(s)
    return preview_from_parsed(parsed, existing, unit_map)


def preview_from_parsed(parsed: ParsedWorkbook, existing: list[KnownUnit],
                        unit_map: dict[str, str] | None = None) -> ImportPreview:
    matcher = UnitMatcher(existing, [u for u in parsed.declared_units])
    for name in [u["name"] for u in parsed.spec["units"]]:
        for cell in parsed.unit_cells.get(name, []) or [None]:  # type: ignore[list-item]
            matcher.match(name, cell)
    decisions = [d for d in matcher.ordered()
                 if d.name in parsed.unit_cells or d.declared]
    if unit_map:
        decisions = apply_overrides(decisions, unit_map, existing)
    return ImportPreview(parsed, decisions, existing)


def with_decisions(preview: ImportPreview, overrides: dict[str, str]) -> ImportPreview:
    """The same preview with the user's unit choices applied (NAME → NAME means a new
    unit, NAME → OTHER means OTHER's unit)."""
    fresh = preview_from_parsed(preview.parsed, preview.existing)
    decisions = apply_overrides(fresh.units, overrides, preview.existing) if overrides \
        else fresh.units
    return ImportPreview(preview.parsed, decisions, preview.existing)


def current_actor(session: Session) -> str:
    """Who is editing: the database's "actor" setting, else the operating-system user."""
    actor = get_setting(session, "actor")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # no user name on this system
        return ""


def apply_import(engine: Engine, preview: ImportPreview,
                 reporter: Reporter | None = None) -> ImportResult:
    """Write units, aliases and the plan in one transaction (all or nothing)."""
    if preview.parsed.errors:
        first = preview.parsed.errors[0]
        raise UserFacingError(f"工作簿有 {len(preview.parsed.errors)} 处错误,未导入。第一处:"
                              f"{first.message}", sheet=first.sheet, cell=first.cell)
    spec = preview.resolved_spec()
    if reporter is not None:
        reporter.step(0, 2, "写入单位")
    make_backup(engine, "import")
    with Session(engine) as s, s.begin():
        existing_names = {u.name for u in known_units(s)}
        # the database may have changed since the preview: re-check targets
        for d in preview.units:
            if d.action != NEW and d.target not in existing_names and not any(
                    x.action == NEW and x.name == d.target for x in preview.units):
                raise UserFacingError(f"单位“{d.target}”已不存在,请重新预览后再导入。")
        write_units(s, preview.units)
        if reporter is not None:
            reporter.step(1, 2, "写入方案")
        plan_id = insert_plan(s, spec)
        _refine_comparators(s, plan_id)
        s.add(AuditLog(actor=current_actor(s), entity="plan", entity_id=plan_id, field="imported",
                       new=Path(preview.parsed.path).name, file_hash=preview.parsed.file_hash))
        s.flush()
    counts = preview.counts()
    return ImportResult(plan_id, spec["title"], counts["sections"], counts["tasks"],
                        counts["indicators"], counts["units"],
                        tuple(d.name for d in preview.units if d.action == NEW),
                        tuple((d.name, d.target) for d in preview.units if d.name != d.target))


def _refine_comparators(session: Session, plan_id: int) -> None:
    """Standards written in words ('不低于95%') get the comparator insert_plan cannot see."""
    for ind in session.scalars(select(Indicator).where(Indicator.plan_id == plan_id,
                                                       Indicator.comparator.is_(None))):
        comp, value = parse_standard_text(ind.standard)
        if comp is not None:
            ind.comparator, ind.threshold = comp, value
        if ind.target_value is None and ind.target:
            ind.target_value = parse_standard_text(ind.target)[1]


def import_plan_workbook(engine: Engine, path: str | Path,
                         unit_map: dict[str, str] | None = None,
                         reporter: Reporter | None = None) -> ImportResult:
    return apply_import(engine, preview_import(engine, path, unit_map, reporter), reporter)


Formatter = Callable[[ImportPreview], str]


def preview_text(preview: ImportPreview) -> str:
    """The dry-run report for the command line."""
    c = preview.counts()
    spec = preview.resolved_spec()
    lines = [f"方案:{spec['title']}",
             f"领域 {c['sections']} · 任务 {c['tasks']} · 指标 {c['indicators']} · 单位 {c['units']}"
             f"(新建 {c['new_units']},别名 {c['aliases']})"]
    for s in preview.parsed.sheets:
        label = {"tasks": "任务表", "indicators": "指标表", "units": "单位表", "sections": "领域表",
                 "info": "方案信息", "skipped": "未使用"}[s.kind]
        where = f",表头第 {s.header_row} 行" if s.header_row else ""
        lines.append(f"  工作表“{s.sheet}”:{label}{where}")
    lines.append("单位:")
    for d in preview.units:
        extra = ""
        if d.action != NEW and d.score < 1.0:
            extra = f"(相似度 {d.score:.2f},请确认)"
        elif d.action == NEW and d.candidates and d.score >= 0.5:
            extra = f"(最接近:{d.candidates[0]})"
        lines.append(f"  {d.name} → {d.describe()}{extra}")
    if preview.problems:
        lines.append("问题:")
        level = {"error": "错误", "warning": "注意", "info": "提示"}
        for p in preview.problems:
            lines.append(f"  [{level[p.severity]}] {p.text}")
    return "\n".join(lines)
