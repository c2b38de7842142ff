"""Opening a workbook: files that are no plan workbook are refused in Chinese before
openpyxl reads them, and nothing is stored; merged cells read their top-left value."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from plan_helpers import assert_refused, workbook

from app.services.db import Database
from app.services.plans.importing.grid import cell_text, load_grids

FIXTURES = Path(__file__).resolve().parents[4] / "tests" / "fixtures" / "plans"


def _ole(tmp_path: Path, body: bytes) -> Path:
    path = tmp_path / "old.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + body)
    return path


BROKEN: dict[str, tuple[Callable[[Path], Path], str]] = {
    "encrypted": (lambda p: FIXTURES / "encrypted.xlsx", "设置了打开密码"),
    "xls": (lambda p: _ole(p, b"\x00" * 600 + "Workbook".encode("utf-16-le")), "97-2003"),
    "text": (lambda p: (p / "x.xlsx").write_text("序号,任务内容\n1,测试", "utf-8") and p / "x.xlsx",
             "不是 Excel 工作簿"),
    "zero": (lambda p: (p / "z.xlsx").write_bytes(b"") is not None and p / "z.xlsx", "文件是空的"),
    "docx": (lambda p: _zip(p, {"word/document.xml": "<w/>"}), "不是 Excel 工作簿"),
    "corrupt": (lambda p: _zip(p, {"[Content_Types].xml": "<Types/>",
                                   "xl/workbook.xml": "<not xml"}), "已损坏"),
    "missing": (lambda p: p / "nope.xlsx", "文件不存在"),
}


def _zip(tmp_path: Path, members: dict[str, str]) -> Path:
    path = tmp_path / "z.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_are_refused_in_chinese_and_create_nothing(case: str, tmp_path: Path,
                                                                db: Database) -> None:
    make, message = BROKEN[case]
    assert_refused(db, make(tmp_path), message)


def test_merged_cells_read_their_top_left_value(tmp_path: Path) -> None:
    """A 领域 merged down three rows reads the same on each; a percent keeps its sign."""
    def percent(wb: Any) -> None:
        wb.active["C2"].number_format = "0%"

    path = workbook(tmp_path, [["领域", "任务内容", "目标"], ["生态", "甲。", 0.95], [None, "乙。"],
                               [None, "丙。"]], merges=("A2:A4",), edit=percent)
    problems: list[Any] = []
    (grid,) = load_grids(path, path.read_bytes(), problems)
    assert [grid.text(r, 1) for r in (2, 3, 4)] == ["生态"] * 3
    assert grid.range_of(3, 1) == (2, 1, 4, 1) and grid.origin(4, 1) == (2, 1)
    assert grid.text(2, 3) == "95%" and cell_text(0.5) == "0.5"
    assert problems == []
