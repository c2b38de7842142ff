"""Opening a plan workbook: refuse what is not one (missing, empty, too large, encrypted,
.xls, over the row/column/cell limits) before openpyxl holds it in memory, then each visible
sheet as a ``Grid`` whose merged cells all read their top-left value."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import UserFacingError
from app.core.problems import Problem
from app.core.text import strip_invisible
from app.services.packets.container import (
    Limits,
    check_container,
    col_letters,
    scan_sheet,
    sheet_parts,
)

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_ROWS = 20000
MAX_COLUMNS = 200
MAX_CELLS = 300_000  # in the whole workbook: openpyxl holds every cell (~0.5 KB each)
SHEET_LIMITS = Limits(max_row=MAX_ROWS, max_col=MAX_COLUMNS, max_cells=MAX_CELLS)


def check_file(path: Path) -> bytes:
    """The file's bytes, once it is known to be a workbook within the limits; a
    UserFacingError naming the file otherwise (openpyxl would hang or fill the memory)."""
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
class Grid:
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


def cell_ref(r: int, c: int) -> str:
    return f"{col_letters(c)}{r}"


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
    text = strip_invisible(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    return text.strip()


def load_grids(path: Path, data: bytes, problems: list[Problem]) -> list[Grid]:
    """The visible sheets, merged ranges spread to every cell; a formula without a cached
    result is left out with a warning."""
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
            grids.append(Grid(ws.title, values, ranges, formats, max_row, max_col))
    finally:
        wb.close()
    return grids
