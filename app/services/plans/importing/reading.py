"""Reading a plan workbook (任务分解表 + 指标表) into the spec dict
``app.services.plans.query.insert_plan`` writes: ``read_plan_workbook`` finds each sheet's
header and role, reads tasks, sections, indicators, units and the 方案信息 sheet, and records
every problem with its sheet and cell. Nothing is written and no database is needed.

A workbook written by ``app.services.plans.export`` carries a 方案信息 sheet with
``FORMAT_MARK``; it is read *exactly* (codes, texts and sections as written, no guessing).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.core.problems import Problem, location
from app.core.vocab import FREQUENCY_LABELS, KIND_LABELS, UNIT_KINDS
from app.services.packets.container import col_letters
from app.services.plans.contacts import Contact, clean_contact
from app.services.plans.importing.grid import (
    Grid,
    cell_ref,
    check_file,
    load_grids,
)
from app.services.plans.importing.headers import (
    Header,
    find_header,
    header_field,
    header_key,
    norm_text,
)
from app.services.plans.importing.parsers import (
    CN_NUMERAL,
    code_text,
    normalise_standard,
    parse_deadline,
    parse_roles,
    section_values,
    split_heading,
    trailing_roles,
)
from app.services.plans.units import (
    KnownUnit,
    clean_name,
    is_collective,
    to_simplified,
    traditional_share,
)

FORMAT_MARK = "台账方案工作簿 v1"
INFO_SHEET = "方案信息"
SECTIONS_SHEET = "领域"
UNITS_SHEET = "单位"


_CODE_PREFIX = re.compile(r"^\s*(\d+(?:\.\d+)*)\s*(?:[、.．](?!\d)|\s)\s*|^\s*\((\d+)\)\s*")
_NOTE_ROW = re.compile(r"^(注|备注|附注|说明|填表说明|注释)\s*\d*\s*[::、.]|^注\s*\d|^\*注")


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
    contacts: dict[str, Contact] = field(default_factory=dict)  # unit sheet: name → contacts

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


_STANDARD_HEADERS = ("指标值", "标准值", "建设标准", "标准", "指标标准", "考核标准")


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


def _row_cells(grid: Grid, r: int) -> list[tuple[int, str]]:
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


def _header_repeat(grid: Grid, r: int, header: Header) -> bool:
    hits = 0
    for cols in header.columns.values():
        for c in cols:
            v = grid.get(r, c)
            if v is not None and header_field(v)[0] is not None and grid.range_of(r, c)[0] == r:
                hits += 1
    return hits >= 2


def _col(header: Header, fld: str) -> int | None:
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


def _read_tasks(grid: Grid, header: Header, ctx: _Ctx, sections: _Sections,
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
            cn_code = code_raw and re.fullmatch(rf"[(]?(第)?{CN_NUMERAL}[)]?[、.]?", norm_text(code_raw)
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


def _read_indicators(grid: Grid, header: Header, ctx: _Ctx) -> list[dict[str, Any]]:
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


def _read_units_sheet(grid: Grid, header: Header, ctx: _Ctx,
                      contacts: dict[str, Contact]) -> list[KnownUnit]:
    name_c = _col(header, "unit_name")
    kind_c = _col(header, "kind")
    alias_c = _col(header, "aliases")
    contact_cols = (_col(header, "contact_person"), _col(header, "phone"), _col(header, "email"))
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
        person, phone, email = (grid.text(r, c) if c else "" for c in contact_cols)
        try:
            contact = clean_contact(person, phone, email, f"单位“{name}”")
        except UserFacingError as exc:
            ctx.warn(grid.name, r, contact_cols[2], f"{exc.message}未导入此邮箱。")
            contact = clean_contact(person, phone, "", f"单位“{name}”")
        if any((contact.person, contact.phone, contact.email)):
            contacts[name] = contact
        ctx.unit_cells.setdefault(name, []).append(location(grid.name, cell_ref(r, name_c or 1)))
        if name not in ctx.units_order:
            ctx.units_order.append(name)
    return out


def _read_sections_sheet(grid: Grid, header: Header, ctx: _Ctx
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


def _read_info(grid: Grid) -> dict[str, str]:
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
    data = check_file(path)
    file_hash = hashlib.sha256(data).hexdigest()
    problems: list[Problem] = []
    grids = load_grids(path, data, problems)
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
    found: list[tuple[Grid, Header, str]] = []
    for g in grids:
        if g is info_grid:
            roles.append(SheetRole(g.name, "info", None, {}))
            continue
        header = find_header(g)
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
            f: ",".join(col_letters(c) for c in cs) for f, cs in cols.items()}))
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
    contacts: dict[str, Contact] = {}
    sections = _Sections()
    section_codes: dict[tuple[str, ...], str] | None = None
    for g, header, kind in found:
        if kind == "units":
            declared.extend(_read_units_sheet(g, header, ctx, contacts))
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
                          traditional, file_hash, contacts)
