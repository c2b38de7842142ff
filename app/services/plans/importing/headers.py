"""Finding the header of a sheet laid out by people: the names a field goes by
(``HEADER_NAMES``), headers merged across columns, and a second header row under a group
header ("责任单位" over "牵头单位 | 配合单位")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from app.services.plans.importing.grid import Grid
from app.services.plans.units import (
    to_simplified,
)

HEADER_SCAN_ROWS = 40


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
    "contact_person": ("联系人", "联络人", "联系人姓名"),
    "phone": ("电话", "联系电话", "手机", "联系方式"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "EMAIL", "E-MAIL", "MAIL", "邮件地址"),
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


@dataclass
class Header:
    row: int  # last header row
    first_row: int
    columns: dict[str, list[int]]  # field → columns, left to right
    target_year: int | None
    name_span: list[int]  # columns of a 指标名称 header merged across columns
    names: dict[int, str] = field(default_factory=dict)  # column → normalised header text


def find_header(grid: Grid) -> Header | None:
    best: Header | None = None
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
        best = Header(r, r, columns, year, name_span if len(name_span) > 1 else [], names)
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


def _second_header_row(grid: Grid, header: Header) -> None:
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
