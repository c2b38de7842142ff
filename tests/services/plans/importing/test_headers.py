"""Finding the header row: the names a field goes by, a header below title rows, a group
header over its sub-headers, and "任务" as the text column when nothing else is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plan_helpers import workbook

from app.services.plans.importing.grid import Grid, load_grids
from app.services.plans.importing.headers import find_header, header_field, header_key


def grid(tmp_path: Path, rows: list[list[Any]], merges: tuple[str, ...] = ()) -> Grid:
    path = workbook(tmp_path, rows, merges)
    (only,) = load_grids(path, path.read_bytes(), [])
    return only


def test_header_names_and_years() -> None:
    assert header_key("目标值\n(2022年)") == ("目标值", 2022)
    assert header_field("牵头单位") == ("lead", None)
    assert header_field("配合责任单位") == ("cooperating", None)
    assert header_field("完成时限要求:") == ("deadline", None)
    assert header_field("no") == ("code", None)  # ASCII compared upper case
    assert header_field("主要牵头部门") == ("lead", None)  # by a part of the name
    assert header_field("会议纪要") == (None, None)


def test_header_below_title_rows(tmp_path: Path) -> None:
    found = find_header(grid(tmp_path, [
        ["天宁区生态文明建设任务分解表"], [], ["序号", "工作任务", "牵头单位", "完成时限"],
        ["1", "甲。", "区发改局", "2021年底前"]]))
    assert found is not None and found.row == 3
    assert found.columns == {"code": [1], "text": [2], "lead": [3], "deadline": [4]}


def test_group_header_over_two_rows(tmp_path: Path) -> None:
    """责任单位 spans 牵头单位 | 配合单位 below it; the header ends on the second row."""
    found = find_header(grid(tmp_path, [
        ["序号", "任务内容", "责任单位", None],
        [None, None, "牵头单位", "配合单位"],
        ["1", "甲。", "区发改局", "区工信局"]], merges=("A1:A2", "B1:B2", "C1:D1")))
    assert found is not None and (found.first_row, found.row) == (1, 2)
    assert found.columns["lead"] == [3] and found.columns["cooperating"] == [4]


def test_task_column_is_the_text_when_nothing_else_is(tmp_path: Path) -> None:
    found = find_header(grid(tmp_path, [["序号", "任务", "牵头单位"], ["1", "甲。", "区发改局"]]))
    assert found is not None and found.columns["text"] == [2] and "section" not in found.columns


def test_no_header_in_a_sheet_of_prose(tmp_path: Path) -> None:
    assert find_header(grid(tmp_path, [["会议纪要"], ["一、参会人员"], ["张三、李四"]])) is None
