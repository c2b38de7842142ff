"""Write a packet workbook with xlsxwriter, atomically (temporary file, then replace).

Every text goes through ``write_string`` so "=1+1" stays text; numbers and dates are
written as such. The manifest sheet carries the packet's identity and a copy of each
row's fixed content (see ``format.py``); the seal is computed by the caller (the district
knows the plan secret, the office copies the issued seal).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import io
import json
import math
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellDatetimeTuple,
    CellNumberTuple,
    CellRichStringTuple,
    CellStringTuple,
    Worksheet,
)
from xlsxwriter.xmlwriter import XMLwriter

from app.core.clock import period_label
from app.core.errors import UserFacingError
from app.core.vocab import STATUS_LABELS
from app.services.packets.format import (
    COMMENT_HEADER,
    DATE_MAX,
    DATE_MIN,
    FIRST_DATA_ROW,
    FORMAT_NAME,
    HEADER_ROW,
    INDICATOR_FIXED_COLUMNS,
    INDICATOR_INPUT_FIELDS,
    INPUT_HEADERS,
    KEY_HEADER,
    NAME_STATUS_LIST,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_LISTS,
    SHEET_MANIFEST,
    SHEET_TASKS,
    TASK_FIXED_COLUMNS,
    TASK_INPUT_FIELDS,
    TEXT_LIMITS,
    Manifest,
    PacketRow,
    fixed_cell_text,
)
from app.services.packets.seal import canonical, hash_of_canonical

FONT = "宋体"
TASK_WIDTHS = {"code": 6, "section": 12, "text": 40, "role": 8, "deadline": 9, "target": 14,
               "status": 9, "percent": 8, "progress": 30, "problems": 20, "next_steps": 20,
               "responsible": 8, "phone": 13, "completed_on": 11, "comment": 22}
INDICATOR_WIDTHS = {"code": 6, "name": 30, "unit": 8, "standard": 12, "attribute": 8,
                    "target": 12, "previous": 10, "value": 12, "note": 36, "comment": 22}
LINE_HEIGHT = 13.5  # points per wrapped line at 10 pt
GREY = "#F2F2F2"
OVERDUE = "#F8CBAD"
FLAGGED = "#FFF2CC"


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    sha256: str
    size: int


# xlsxwriter's own escaping routines (they use no state of their writer)
_XML = XMLwriter()
_NUMBER_CELLS = (CellNumberTuple, CellDatetimeTuple)
_STRING_CELLS = (CellStringTuple, CellRichStringTuple)


class _Sheet(Worksheet):
    """xlsxwriter's worksheet, its cell loop written for a packet's thousands of cells:
    the same XML, character for character, as `Worksheet._write_rows` writes (string,
    number, date and blank cells here; any other kind through xlsxwriter's own
    `_write_cell`), built as one string per row instead of an attribute list, an
    escaping check and a file write per cell — the cell loop was a third of a packet."""

    def _write_string(self, row: int, col: int, string: str,
                      cell_format: Format | None = None) -> Literal[0, -1, -2]:
        # Worksheet._write_string, inline for the common case (a cell inside the sheet, a
        # string under half of Excel's limit, shared strings); the rest through it
        if (self.constant_memory or len(string) > self.xls_strmax // 2
                or not (0 <= row < self.xls_rowmax and 0 <= col < self.xls_colmax)):
            return super()._write_string(row, col, string, cell_format)
        dims: Any = self  # (xlsxwriter leaves its dimensions untyped: None, then an int)
        if dims.dim_rowmin is None or row < dims.dim_rowmin:
            dims.dim_rowmin = row
        if dims.dim_rowmax is None or row > dims.dim_rowmax:
            dims.dim_rowmax = row
        if dims.dim_colmin is None or col < dims.dim_colmin:
            dims.dim_colmin = col
        if dims.dim_colmax is None or col > dims.dim_colmax:
            dims.dim_colmax = col
        sst = self.str_table  # SharedStringTable._get_shared_string_index
        index = sst.string_table.get(string)
        if index is None:
            index = sst.string_table[string] = sst.unique_count
            sst.unique_count += 1
        sst.count += 1
        self.table[row][col] = CellStringTuple(index, cell_format)
        return 0

    def _calculate_spans(self) -> None:
        # Worksheet._calculate_spans: per block of 16 rows, the first and last column
        # holding a cell or a comment ("first:last", 1-based); the cells are within the
        # sheet's dimensions (every write checks them)
        lo, hi = self.dim_rowmin, self.dim_rowmax
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for source in (self.table, self.comments):
            for row_num, cells in source.items():
                if not cells or row_num < lo or row_num > hi:
                    continue
                block = row_num // 16
                a, b = min(cells), max(cells)
                if block not in first or a < first[block]:
                    first[block] = a
                if block not in last or b > last[block]:
                    last[block] = b
        self.row_spans = {block: f"{first[block] + 1}:{last[block] + 1}"
                          for block in sorted(first)}

    def _write_rows(self) -> None:
        if self.constant_memory:
            super()._write_rows()
            return
        self._calculate_spans()
        table, row_info, col_info, spans = self.table, self.row_info, self.col_info, \
            self.row_spans
        cols = range(self.dim_colmin, self.dim_colmax + 1)
        names = {c: xl_col_to_name(c) for c in cols}
        xf: dict[int, int] = {}  # id(format) → its index, asked once per sheet
        write = self.fh.write
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            info = row_info.get(row_num)
            cells = table[row_num]  # (a defaultdict, as Worksheet._write_rows reads it)
            if not cells:
                if info is not None or row_num in self.comments:
                    self._write_empty_row(row_num, spans.get(row_num // 16), info)
                continue
            self._write_row(row_num, spans.get(row_num // 16), info)
            number = str(row_num + 1)
            row_format = info.row_format if info is not None else None
            parts: list[str] = []
            for col_num in cols:
                cell = cells.get(col_num)
                if cell is None:
                    continue
                fmt = cell.format
                if not fmt:  # the row's format, else the column's (as _write_cell)
                    fmt = row_format
                    if not fmt and col_num in col_info:
                        fmt = col_info[col_num].column_format
                        if fmt is None:
                            fmt = False  # a column without a format: no style attribute
                    elif not fmt:
                        fmt = False
                if fmt is False:
                    attr = f' r="{names[col_num]}{number}"'
                else:
                    index = xf.get(id(fmt))
                    if index is None:
                        index = xf[id(fmt)] = fmt._get_xf_index()
                    attr = f' r="{names[col_num]}{number}" s="{index}"'
                kind = cell.__class__
                if kind in _STRING_CELLS:
                    parts.append(f'<c{attr} t="s"><v>{cell.string}</v></c>')
                elif kind is CellBlankTuple:
                    parts.append(f"<c{attr}/>")
                elif kind in _NUMBER_CELLS:
                    parts.append(f"<c{attr}><v>{cell.number:.16G}</v></c>")
                else:  # formulas, booleans, errors: xlsxwriter's own writer
                    write("".join(parts))
                    parts.clear()
                    self._write_cell(row_num, col_num, cell)
            write("".join(parts))
            write("</row>")


SI_CACHED_CHARS = 1024  # longer strings (a clerk's long text) are not remembered


def _si_element(string: str) -> str:
    """One shared string's ``<si>`` element, as `SharedStrings._write_si` writes it."""
    string = _XML._escape_control_characters(string)
    if string.startswith("<r>") and string.endswith("</r>"):
        return f"<si>{string}</si>"
    attr = ' xml:space="preserve"' if _preserve_whitespace(string) else ""
    return f"<si><t{attr}>{_XML._escape_data(string)}</t></si>"


# a period's packets share most of their strings (fixed content, headers, guide); bounded:
# at most 8,192 strings of at most SI_CACHED_CHARS characters
_si_cached = functools.lru_cache(maxsize=8192)(_si_element)


def _si_xml(string: str) -> str:
    return _si_cached(string) if len(string) <= SI_CACHED_CHARS else _si_element(string)


class _SharedStrings(SharedStrings):
    def _write_sst_strings(self) -> None:
        self.fh.write("".join(map(_si_xml, self.string_table.string_array)))


class _Packager(Packager):
    def _write_shared_strings_file(self) -> None:
        # Packager._write_shared_strings_file with the cached <si> elements
        sst = _SharedStrings()
        sst.string_table = self.workbook.str_table
        if not self.workbook.str_table.count:
            return
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


class _Workbook(xlsxwriter.Workbook):
    """xlsxwriter has no workbook-structure lock; add ``<workbookProtection lockStructure>``
    where the schema wants it (after workbookPr, before bookViews). Its sheets and shared
    strings are written by the faster `_Sheet` and `_SharedStrings` (the same bytes)."""

    lock_structure = True
    worksheet_class = _Sheet

    def _get_packager(self) -> Packager:
        return _Packager()

    def _write_book_views(self) -> None:
        if self.lock_structure:
            self._xml_empty_tag("workbookProtection", [("lockStructure", "1")])
        super()._write_book_views()


def display_width(text: str) -> int:
    """Width in Excel character units: CJK and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@functools.lru_cache(maxsize=16384)
def _lines(text: str, width: float) -> int:
    """Wrapped lines of `text` in a column `width` wide (for the row height). Cached: the
    same task texts recur in every unit's packet, and measuring them per character was
    a seventh of issuing."""
    per_line = max(width - 1, 4)
    return sum(max(1, math.ceil(display_width(part) / per_line)) for part in text.split("\n"))


class _Formats:
    """A cache of cell formats: (role, variant, highlight) → Format."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self._cache: dict[tuple[str, ...], Format] = {}
        base = {"font_name": FONT, "font_size": 10}
        self.title = wb.add_format({**base, "bold": True, "font_size": 14, "valign": "vcenter"})
        self.header_fixed = wb.add_format({**base, "bold": True, "border": 1, "text_wrap": True,
                                           "align": "center", "valign": "vcenter",
                                           "bg_color": "#D9E1F2"})
        self.header_input = wb.add_format({**base, "bold": True, "border": 1, "text_wrap": True,
                                           "align": "center", "valign": "vcenter",
                                           "bg_color": "#E2EFDA"})
        self.label = wb.add_format({**base, "bold": True, "valign": "top"})
        self.text = wb.add_format({**base, "text_wrap": True, "valign": "top"})
        self.small = wb.add_format({**base, "font_size": 9, "font_color": "#808080"})
        self.plain = wb.add_format(base)

    def cell(self, kind: str, *, locked: bool, fill: str | None = None) -> Format:
        """kind: text / number / percent / date / center."""
        key = (kind, "L" if locked else "U", fill or "")
        fmt = self._cache.get(key)
        if fmt is None:
            props: dict[str, Any] = {"font_name": FONT, "font_size": 10, "border": 1,
                                     "valign": "top", "text_wrap": True, "locked": locked,
                                     "border_color": "#A6A6A6"}
            if kind == "text" and not locked:
                props["num_format"] = "@"  # typed digits (phone numbers) stay text
            elif kind == "percent":
                # General, so a typed "60%" becomes 0.6 shown as 60% (both Excel and
                # LibreOffice switch the format), which the reader reads back as 60; with a
                # fixed number format LibreOffice keeps it and the clerk sees 0.6
                props["num_format"] = "General"
                props["align"] = "center"
            elif kind == "number":
                props["num_format"] = "General"
            elif kind == "date":
                props["num_format"] = "yyyy-mm-dd"
                props["align"] = "center"
            elif kind == "center":
                props["align"] = "center"
            if fill:
                props["bg_color"] = fill
            elif locked:
                props["bg_color"] = GREY
            fmt = self.wb.add_format(props)
            self._cache[key] = fmt
        return fmt


def _write_input(ws: Worksheet, r: int, c: int, name: str, value: Any, fmt: Format) -> None:
    """Typed write of one input value; empty values still get the (unlocked) format."""
    # (xlsxwriter's undecorated writers: the public ones first check for "A1" notation)
    if value is None or value == "":
        ws._write_blank(r, c, None, fmt)
    elif name == "status":
        ws._write_string(r, c, STATUS_LABELS.get(str(value), str(value)), fmt)
    elif name == "percent" and isinstance(value, int | float):
        ws._write_number(r, c, float(value), fmt)
    elif name == "completed_on":
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        ws._write_datetime(r, c, dt.datetime(day.year, day.month, day.day), fmt)
    else:
        ws._write_string(r, c, str(value), fmt)


def _input_kind(name: str, numeric: bool = False) -> str:
    if name == "status":
        return "center"
    if name == "percent":
        return "percent"
    if name == "completed_on":
        return "date"
    if name == "value" and numeric:
        return "number"
    return "text"


def _validate(ws: Worksheet, name: str, first: int, last: int, col: int,
              numeric: bool = False) -> None:
    label = INPUT_HEADERS[name]
    if name == "status":
        opts: dict[str, Any] = {"validate": "list", "source": f"={NAME_STATUS_LIST}",
                                "input_title": label,
                                "input_message": "请从下拉列表中选择",
                                "error_title": label,
                                "error_message": "请从下拉列表中选择:" + "、".join(
                                    STATUS_LABELS.values())}
    elif name == "percent":
        opts = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
                "input_title": label, "input_message": "填写 0–100 的数字,不带 %",
                "error_title": label, "error_message": "完成进度须为 0–100 的数字"}
    elif name == "completed_on":
        opts = {"validate": "date", "criteria": "between",
                "minimum": dt.datetime.combine(DATE_MIN, dt.time()),
                "maximum": dt.datetime.combine(DATE_MAX, dt.time()),
                "input_title": label, "input_message": "按 2021-06-30 的格式填写日期",
                "error_title": label, "error_message": "请填写日期,如 2021-06-30"}
    elif name == "value" and numeric:
        opts = {"validate": "decimal", "criteria": "between", "minimum": -1e15,
                "maximum": 1e15, "input_title": label,
                "input_message": "此指标为数值,请只填数字",
                "error_title": label, "error_message": "此指标须填写数字"}
    else:
        limit = TEXT_LIMITS[name]
        opts = {"validate": "length", "criteria": "<=", "value": limit,
                "error_title": label, "error_message": f"最多 {limit} 字"}
        if name == "phone":
            opts.update(input_title=label, input_message="手机号或带区号的固话,如 0519-12345678")
    ws.data_validation(first, col, last, col, opts)


def _protect(ws: Worksheet) -> None:
    ws.protect("", {"format_columns": True, "format_rows": True,
                    "select_locked_cells": True, "select_unlocked_cells": True})


def _print_setup(ws: Worksheet, header_rows: int) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW, header_rows - 1)
    ws.set_footer("&C第 &P 页,共 &N 页")


def _data_sheet(wb: xlsxwriter.Workbook, fm: _Formats, name: str, title: str,
                fixed_cols: tuple[tuple[str, str], ...], input_fields: tuple[str, ...],
                widths: dict[str, int], rows: list[PacketRow], correction: bool) -> None:
    ws = wb.add_worksheet(name)
    columns: list[tuple[str, str, bool]] = [(f, h, False) for f, h in fixed_cols]
    columns += [(f, INPUT_HEADERS[f], True) for f in input_fields]
    if correction:
        columns.append(("comment", COMMENT_HEADER, False))
    key_col = len(columns)
    last_visible = key_col - 1

    ws.set_row(0, 26)
    ws.merge_range(0, 0, 0, last_visible, "", fm.title)
    ws.write_string(0, 0, title, fm.title)
    ws.set_row(HEADER_ROW, 30)
    for c, (f, header, is_input) in enumerate(columns):
        ws.set_column(c, c, widths.get(f, 12))
        ws.write_string(HEADER_ROW, c, header, fm.header_input if is_input else fm.header_fixed)
    ws.set_column(key_col, key_col, 24, None, {"hidden": True})
    ws.write_string(HEADER_ROW, key_col, KEY_HEADER, fm.header_fixed)

    # per column, decided once: fixed columns (field, width, format, overdue format), input
    # columns (field, width, format by (numeric row, unlocked)); the cells are written in
    # column order (fixed, inputs, 退回意见, key), which fixes the shared strings' order
    fixed_plan: list[tuple[int, str, int, Format, Format]] = []
    input_plan: list[tuple[int, str, int, dict[tuple[bool, bool], Format]]] = []
    comment_col = -1
    for c, (f, _header, is_input) in enumerate(columns):
        width = widths.get(f, 12)
        if is_input:
            input_plan.append((c, f, width, {
                (numeric, unlocked): fm.cell(_input_kind(f, numeric), locked=not unlocked,
                                             fill=FLAGGED if (correction and unlocked) else None)
                for numeric in (False, True) for unlocked in (False, True)}))
        elif f == "comment":
            comment_col = c
        else:
            kind = "center" if f in ("code", "role", "deadline", "unit", "attribute") else "text"
            fmt = fm.cell(kind, locked=True)
            overdue = fm.cell(kind, locked=True, fill=OVERDUE) if f in ("code", "deadline") \
                else fmt
            fixed_plan.append((c, f, width, fmt, overdue))
    key_fmt = fm.cell("text", locked=True)
    flagged_fmt = fm.cell("text", locked=True, fill=FLAGGED)
    comment_width = widths.get("comment", 12)

    # xlsxwriter's undecorated writers (the public ones first check for "A1" notation):
    # a few per cent of a packet, thousands of cells each
    write_string, write_blank, set_row = ws._write_string, ws._write_blank, ws.set_row
    for i, row in enumerate(rows):
        r = FIRST_DATA_ROW + i
        fixed, values = row.fixed, row.values
        numeric = bool(fixed.get("numeric"))
        editable = row.editable if correction else None
        is_overdue = bool(fixed.get("overdue"))
        lines = 2
        for c, f, width, fixed_fmt, overdue_fmt in fixed_plan:
            raw = fixed.get(f)
            text = raw if type(raw) is str else fixed_cell_text(raw)
            write_string(r, c, text, overdue_fmt if is_overdue else fixed_fmt)
            if text:
                n = _lines(text, width)
                if n > lines:
                    lines = n
        for c, f, width, fmts in input_plan:
            value = values.get(f)
            fmt = fmts[numeric, editable is None or f in editable]
            if value is None or value == "":  # the common case, written here
                write_blank(r, c, None, fmt)
            else:
                _write_input(ws, r, c, f, value, fmt)
                if isinstance(value, str):
                    lines = max(lines, _lines(value, width))
            if correction:
                note = row.comments.get(f)
                if note:
                    ws.write_comment(r, c, f"退回意见:{note}", {"x_scale": 1.6, "y_scale": 1.2})
        if comment_col >= 0:
            text = ";".join(f"{INPUT_HEADERS.get(k, k)}:{v}" for k, v in row.comments.items() if v)
            write_string(r, comment_col, text, flagged_fmt if text else key_fmt)
            if text:
                lines = max(lines, _lines(text, comment_width))
        write_string(r, key_col, row.key, key_fmt)
        set_row(r, min(409, lines * LINE_HEIGHT + 4))

    if rows:
        last = FIRST_DATA_ROW + len(rows) - 1
        for c, (f, _header, is_input) in enumerate(columns):
            if not is_input:
                continue
            if f == "value":
                # numeric validation only on the rows whose standard is numeric
                for i, row in enumerate(rows):
                    _validate(ws, f, FIRST_DATA_ROW + i, FIRST_DATA_ROW + i, c,
                              bool(row.fixed.get("numeric")))
            else:
                _validate(ws, f, FIRST_DATA_ROW, last, c)
    ws.freeze_panes(FIRST_DATA_ROW, 1)
    _print_setup(ws, FIRST_DATA_ROW)
    _protect(ws)


def _guide_sheet(wb: xlsxwriter.Workbook, fm: _Formats, m: Manifest, n_tasks: int,
                 n_indicators: int, correction: bool) -> None:
    ws = wb.add_worksheet(SHEET_GUIDE)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, 92)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, 1, "", fm.title)
    heading = "退回修改通知" if correction else "进展填报说明"
    ws.write_string(0, 0, f"{m.plan.title} · {heading}", fm.title)
    receiver = m.plan.office or m.plan.issuer or "区创建办"
    facts = [
        ("方案", m.plan.title),
        ("填报单位", m.unit),
        ("填报周期", f"{period_label(m.period)}({m.period_start:%Y-%m-%d} 至 "
                     f"{m.period_end:%Y-%m-%d})"),
        ("报送截止", f"{m.period_due:%Y年%m月%d日}".replace("年0", "年").replace("月0", "月")),
        ("报送对象", receiver),
        ("填报内容", ",".join(part for part in (
            f"任务 {n_tasks} 项(见“{SHEET_TASKS}”表)" if n_tasks else "",
            f"指标 {n_indicators} 项(见“{SHEET_INDICATORS}”表)" if n_indicators else "")
            if part)),
    ]
    r = 2
    for label, text in facts:
        ws.write_string(r, 0, label, fm.label)
        ws.write_string(r, 1, text, fm.text)
        r += 1
    r += 1
    steps = [
        "白色(或黄色)单元格为填写区,灰色单元格为下发内容,已锁定,不能修改。",
        "进展状态请从下拉列表选择:" + "、".join(STATUS_LABELS.values())
        + ";完成进度填 0–100 的数字(不带 %)。",
        "“本期进展”写本期做了什么(必填);状态为“滞后”时请写明“存在问题”;"
        "已完成的任务请填写完成日期(如 2021-06-30)。",
        "表中已预填本单位上期报送的进展状态、完成进度、责任人和联系电话,请核对更新。",
        "完成时限已过而未完成的任务,序号和完成时限以红色标出。",
        "请不要增删行列、不要改动表名和文件中的隐藏内容,否则无法自动汇总。",
        f"填好后保存为 .xlsx 文件(不要另存为 .xls 或 .et),在截止日前发送给{receiver}。",
        "安装了台账软件的单位,也可在软件中“打开下发包”填写,再“导出报送包”。",
    ]
    if correction:
        steps.insert(0, "本表为退回修改:只需修改黄色单元格,批注和“退回意见”列写明了修改要求。")
    ws.write_string(r, 0, "填写方法", fm.label)
    for i, step in enumerate(steps, 1):
        ws.write_string(r, 1, f"{i}. {step}", fm.text)
        ws.set_row(r, max(1, _lines(step, 92)) * LINE_HEIGHT + 4)
        r += 1
    r += 1
    ws.write_string(r, 0, "包编号", fm.small)
    ws.write_string(r, 1, f"{m.packet_id} · 第 {m.revision} 版 · "
                          f"{'下发' if m.direction == 'issued' else '报送'} · "
                          f"{m.issued_at:%Y-%m-%d %H:%M}", fm.small)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    _protect(ws)


@functools.lru_cache(maxsize=8192)
def _fixed_cells(fixed: bytes) -> tuple[str, str]:
    """A row's manifest hash and text for its canonical fixed content: the same task rows
    recur in every unit's packet of a period (the batch shares each one's bytes)."""
    return hash_of_canonical(fixed), fixed.decode("utf-8")


def _manifest_sheet(wb: xlsxwriter.Workbook, m: Manifest, tasks: list[PacketRow],
                    indicators: list[PacketRow], fixed_json: dict[int, bytes]) -> None:
    ws = wb.add_worksheet(SHEET_MANIFEST)
    plan = {"uid": m.plan.uid, "title": m.plan.title, "issuer": m.plan.issuer,
            "office": m.plan.office, "frequency": m.plan.frequency,
            "deadline_day": m.plan.deadline_day}
    pairs = [
        ("format", FORMAT_NAME),
        ("format_version", str(m.format_version)),
        ("packet_id", m.packet_id),
        ("plan_uid", m.plan.uid),
        ("plan", json.dumps(plan, ensure_ascii=False)),
        ("unit", m.unit),
        ("unit_kind", m.unit_kind),
        ("period", m.period),
        ("period_start", m.period_start.isoformat()),
        ("period_end", m.period_end.isoformat()),
        ("period_due", m.period_due.isoformat()),
        ("direction", m.direction),
        ("kind", m.kind),
        ("revision", str(m.revision)),
        ("issued_at", m.issued_at.isoformat(timespec="microseconds")),
        ("exported_at", m.exported_at.isoformat(timespec="microseconds") if m.exported_at else ""),
        ("seal", m.seal),
        ("app_version", m.app_version),
    ]
    if m.lineage is not None:
        pairs.append(("lineage", ",".join(m.lineage)))
    # the undecorated writer, as in the data sheets: ~5 cells a row
    write_string = ws._write_string
    for r, (k, v) in enumerate(pairs):
        write_string(r, 0, k)
        write_string(r, 1, v)
    r = len(pairs) + 1
    for c, h in enumerate(("rows", "sheet", "row", "fixed_hash", "fixed", "editable",
                           "comments")):
        write_string(r, c, h)
    r += 1
    for sheet, rows in ((SHEET_TASKS, tasks), (SHEET_INDICATORS, indicators)):
        for i, row in enumerate(rows):
            write_string(r, 0, row.key)
            write_string(r, 1, sheet)
            write_string(r, 2, str(FIRST_DATA_ROW + i + 1))
            fixed = fixed_json.get(id(row)) or canonical(row.fixed)
            digest, text = _fixed_cells(fixed)
            write_string(r, 3, digest)
            write_string(r, 4, text)
            # empty editable/comments: no cell (read as empty, as an empty string would be)
            if row.editable is not None:
                write_string(r, 5, json.dumps(sorted(row.editable)))
            if row.comments:
                write_string(r, 6, json.dumps(row.comments, ensure_ascii=False))
            r += 1
    _protect(ws)
    ws.very_hidden()


def apply_corrections(rows: Iterable[PacketRow],
                      editable: dict[str, set[str]] | None,
                      comments: dict[str, dict[str, str]] | None = None) -> list[PacketRow]:
    """Set each row's unlocked fields (rows missing from `editable` get none) and comments."""
    out = []
    for row in rows:
        if editable is not None:
            row.editable = frozenset(editable.get(row.key, set()))
        if comments is not None:
            row.comments = dict(comments.get(row.key, {}))
        out.append(row)
    return out


def packet_bytes(manifest: Manifest, rows: list[PacketRow],
                 fixed_json: Sequence[bytes] | None = None) -> bytes:
    """The packet as xlsx bytes. Task rows first, then indicator rows (by key prefix).

    A task row whose ``fixed["overdue"]`` is true gets its 序号 and 完成时限 in red.
    `fixed_json`: each row's ``canonical(fixed)`` if the caller computed it for the seal.
    """
    tasks = [r for r in rows if r.is_task]
    indicators = [r for r in rows if not r.is_task]
    correction = manifest.kind == "correction"
    buf = io.BytesIO()
    wb = _Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                         "strings_to_numbers": False, "strings_to_urls": False})
    # created: the manifest's own time (not the moment of writing), so the same packet
    # gives the same bytes wherever it is written (this process or a worker)
    props: dict[str, Any] = {"title": f"{manifest.period} {manifest.unit} {manifest.plan.title}",
                             "author": "台账",
                             "comments": f"{FORMAT_NAME} v{manifest.format_version}"}
    # (a stamp out of range: the time of writing)
    with contextlib.suppress(OverflowError, OSError, ValueError):
        props["created"] = (manifest.exported_at or manifest.issued_at).astimezone(dt.UTC)
    wb.set_properties(props)
    fm = _Formats(wb)
    _guide_sheet(wb, fm, manifest, len(tasks), len(indicators), correction)
    direction = "报送" if manifest.direction == "returned" else "填报"
    if correction:
        direction += "(退回修改)"
    title = f"{manifest.unit} · {period_label(manifest.period)}"
    if tasks or not indicators:
        _data_sheet(wb, fm, SHEET_TASKS, f"{title} 任务进展{direction}", TASK_FIXED_COLUMNS,
                    TASK_INPUT_FIELDS, TASK_WIDTHS, tasks, correction)
    if indicators:
        _data_sheet(wb, fm, SHEET_INDICATORS, f"{title} 指标{direction}",
                    INDICATOR_FIXED_COLUMNS, INDICATOR_INPUT_FIELDS, INDICATOR_WIDTHS,
                    indicators, correction)
    lists = wb.add_worksheet(SHEET_LISTS)
    labels = list(STATUS_LABELS.values())
    for i, label in enumerate(labels):
        lists.write_string(i, 0, label)
    lists.hide()
    _protect(lists)
    wb.define_name(NAME_STATUS_LIST, f"='{SHEET_LISTS}'!$A$1:$A${len(labels)}")
    canon = {id(r): f for r, f in zip(rows, fixed_json, strict=True)} if fixed_json else {}
    _manifest_sheet(wb, manifest, tasks, indicators, canon)
    wb.close()
    return buf.getvalue()


def _current_umask() -> int:
    """The process umask, read without changing it where the OS allows (os.umask is the
    only portable way to read it, and it briefly changes it for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


USER_FILE_MODE = 0o666 & ~_current_umask()  # read at import, on the main thread


def give_user_mode(path: Path | str) -> None:
    """Give a file made with tempfile.mkstemp (always 0600) the mode a plain `open()` would
    have given it, so that an exported packet can be read like any other file the user
    saves (shared folders, a colleague's account, a mail client running as another user)."""
    if os.name != "nt":
        os.chmod(path, USER_FILE_MODE)


TEMP_PREFIX = ".~tz-"


def temp_files(folder: Path, tag: str) -> list[Path]:
    """The temporary files `atomic_write(..., tag=tag)` may have left in `folder` (only if
    its process died while writing: otherwise it removes its own)."""
    return sorted(Path(folder).glob(f"{TEMP_PREFIX}{tag}-*.tmp")) if tag else []


def atomic_write(path: Path, data: bytes, *, tag: str = "") -> WrittenFile:
    """Write `data` to a temporary file beside `path`, then replace `path` with it.

    A crash or cancel leaves either the old file or the new one, never half a file (a
    process killed while writing leaves its temporary file: `tag` names it, so whoever
    started that process can find it with `temp_files`).
    """
    path = Path(path)
    for lock in (path.with_name(f".~lock.{path.name}#"), path.with_name(f"~${path.name}")):
        if lock.exists():  # LibreOffice / Excel and WPS mark a file they have open this way
            raise UserFacingError(
                f"无法保存“{path.name}”:该文件正在 Excel、WPS 或其他程序中打开。请关闭该文件后"
                f"重试,或换一个文件名保存。(如确认没有打开,可删除锁定文件“{lock.name}”。)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{tag}-" if tag else TEMP_PREFIX,
                                        suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise UserFacingError(f"无法在文件夹中写入文件:{path.parent}({exc.strerror})") from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        give_user_mode(tmp)
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise UserFacingError(
                f"无法保存“{path.name}”:该文件可能正在 Excel、WPS 或其他程序中打开。"
                "请关闭该文件后重试,或换一个文件名保存。") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return WrittenFile(path, hashlib.sha256(data).hexdigest(), len(data))


def write_packet(path: Path, manifest: Manifest, rows: list[PacketRow], *,
                 editable: dict[str, set[str]] | None = None,
                 comments: dict[str, dict[str, str]] | None = None) -> WrittenFile:
    """Write one packet file atomically.

    `editable` (correction packets): row key → input fields to unlock and highlight; None
    keeps each row's own ``editable`` (None there = every input editable). `comments`:
    row key → field → 退回意见, shown as cell notes and in the 退回意见 column.
    """
    if editable is not None or comments is not None:
        rows = apply_corrections(rows, editable, comments)
    return atomic_write(path, packet_bytes(manifest, rows))


@dataclass(frozen=True)
class PacketJob:
    """One packet file to write, as plain data (a worker process gets it pickled): the
    sealed manifest, the rows and each row's canonical fixed content."""

    path: Path
    manifest: Manifest
    rows: list[PacketRow]
    fixed_json: list[bytes]


def job_bytes(job: PacketJob) -> bytes:
    """The packet's workbook (CPU work: the part `save_job` can overlap with)."""
    return packet_bytes(job.manifest, job.rows, job.fixed_json)


def save_job(job: PacketJob, data: bytes) -> WrittenFile:
    """Save a packet's bytes atomically (disk work, GIL released while it waits); its
    temporary file is tagged with the packet id."""
    return atomic_write(job.path, data, tag=job.manifest.packet_id)


def write_job(job: PacketJob) -> WrittenFile:
    """Write one packet atomically; its temporary file is tagged with the packet id."""
    return save_job(job, job_bytes(job))
