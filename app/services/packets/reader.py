"""Read a packet workbook defensively: ours, or one filled and saved in Excel, WPS or LibreOffice.

Order of work: refuse what is not a plain .xlsx (not a zip, old .xls/encrypted, macros,
too many entries, too large, zip bomb); read the manifest by sheet name with
python-calamine (a "veryHidden" sheet comes back "hidden" from LibreOffice: both are
fine); find each data row by its row key in the hidden last column (so shifted rows are
still matched), compare the fixed cells with the manifest's copy, and convert the input
cells with the same rules the office form uses. Cells holding a formula (found in the
sheet XML, parsed with defusedxml) are not taken.

Hard refusals raise ``UserFacingError``; everything cell-level is an
``app.core.problems.Problem``.
The reader never writes anything back.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import repeat
from operator import eq, itemgetter
from pathlib import Path
from typing import Any

import python_calamine
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from app.core.errors import UserFacingError
from app.core.problems import Problem
from app.services.packets.container import (
    Limits,
    check_sheet,
    forget_sheet_parts,
    local_name,
    parse_xml,
    read_member,
    sheet_parts,
    stored_copy,
)
from app.services.packets.container import (
    check_container as _check_container,
)
from app.services.packets.format import (
    COMMENT_HEADER,
    FORMAT_NAME,
    FORMAT_VERSION,
    INDICATOR_FIXED_COLUMNS,
    INDICATOR_INPUT_FIELDS,
    INPUT_HEADERS,
    KEY_HEADER,
    SHEET_INDICATORS,
    SHEET_MANIFEST,
    SHEET_TASKS,
    TASK_FIXED_COLUMNS,
    TASK_INPUT_FIELDS,
    Manifest,
    PacketRow,
    PlanMeta,
    fixed_cell_text,
)
from app.services.packets.seal import fixed_hash
from app.services.packets.values import (
    empty_value,
    normalise_value,
    number_text,
    percent_from_cell,
    plain_column,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
# The manifest sheet before anything is known about the packet: its rows are the issued
# rows plus about 20 lines of packet information, in seven columns.
MANIFEST_LIMITS = Limits(max_row=20_000, max_col=26, max_cells=200_000)
ROW_MARGIN = 200  # rows a clerk may insert below or between the issued ones
COLUMN_MARGIN = 26  # columns a clerk may add after the known ones (notes, sums)
_EXPECTED_MAX = 50_000  # entries of each content cache below (then it starts again)
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
# what every formula tag contains: searched first (a literal start makes it a fast scan)
_FORMULA_HINT = re.compile(rb"f[\s>/]")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_FIRST = itemgetter(0)
_SECOND = itemgetter(1)
_THIRD = itemgetter(2)
_PLACE = itemgetter(0, 1)
MAX_LINEAGE = 200  # hashes kept from a manifest's lineage (an export writes at most 50)


@dataclass
class PacketFile:
    """A packet as read: manifest, rows (manifest order) and what was wrong.

    Each row's ``fixed`` is the manifest's copy (what was issued, also what the seal
    covers); ``values`` holds only the input fields that were present and valid;
    ``cells`` maps field → cell reference. ``problems`` with severity "error" name values
    that were not taken; "warning" names things ignored safely (e.g. an edited fixed cell).
    """

    path: Path | None
    file_hash: str
    manifest: Manifest
    rows: list[PacketRow]
    problems: list[Problem] = field(default_factory=list)
    sheet_states: dict[str, str] = field(default_factory=dict)
    # sheet → its title cell (A1) as read; the title names unit and period, so a merge
    # can tell a workbook whose manifest was copied from another unit's packet
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def row(self, key: str) -> PacketRow | None:
        return next((r for r in self.rows if r.key == key), None)

    def values(self) -> dict[str, dict[str, Any]]:
        """Row key → the input values read (the shape of ``Packet.rows`` in the ledger)."""
        return {r.key: dict(r.values) for r in self.rows}


# ---------------------------------------------------------------- the container

def check_container(data: bytes, name: str = "", keep: dict[str, bytes] | None = None
                    ) -> zipfile.ZipFile:
    """The zip archive inside a packet after every safety check, or a UserFacingError
    (``keep``: see ``container.check_container``)."""
    return _check_container(data, name, what="填报包", max_bytes=MAX_FILE_BYTES, keep=keep)


def _refuse(message: str) -> UserFacingError:
    return UserFacingError(message)


_PERCENT_BUILTIN = frozenset({9, 10})  # 0%, 0.00%
# anything in styles.xml that could make a percent format: a "%" (also as a character
# reference) or one of the built-in ids, matched in the part lower-cased (ASCII, as a bytes
# pattern with IGNORECASE would): three searches that each start with a literal, several
# times faster than one alternation
_MAYBE_PERCENT = (re.compile(rb"%"), re.compile(rb"&#(?:0*37|x0*25);"),
                  re.compile(rb"""numfmtid\s*=\s*["']\s*0*(?:9|10)\s*["']"""))
_STYLED_CELL = re.compile(rb'<c r="\$?([A-Z]{1,3}\$?\d{1,7})"[^>]*?\ss="(\d+)"')


def _percent_code(code: str) -> bool:
    """A number format that shows a percentage: a % outside quotes and not escaped."""
    code = re.sub(r'"[^"]*"|\\.', "", code)
    return "%" in code


def percent_styles(zf: zipfile.ZipFile, data: bytes | None = None) -> frozenset[int]:
    """Indexes of the cell styles (cellXfs) whose number format shows a percentage
    (``data``: the styles part when the caller holds it already)."""
    if data is None:
        if "xl/styles.xml" not in zf.namelist():
            return frozenset()
        data = read_member(zf, "xl/styles.xml")
    lower = data.lower()
    if not any(p.search(lower) for p in _MAYBE_PERCENT):
        return frozenset()  # no percent sign and no built-in percent format: nothing to parse
    root = parse_xml(data, "xl/styles.xml")
    custom: dict[int, str] = {}
    out: set[int] = set()
    for el in root:
        if local_name(el.tag) == "numFmts":
            for fmt in el:
                try:
                    custom[int(fmt.get("numFmtId") or -1)] = fmt.get("formatCode") or ""
                except ValueError:
                    continue
        elif local_name(el.tag) == "cellXfs":
            for i, xf in enumerate(x for x in el if local_name(x.tag) == "xf"):
                try:
                    fid = int(xf.get("numFmtId") or 0)
                except ValueError:
                    continue
                if fid in _PERCENT_BUILTIN or _percent_code(custom.get(fid, "")):
                    out.add(i)
    return frozenset(out)


def percent_cells(zf: zipfile.ZipFile, part: str | None, styles: frozenset[int],
                  data: bytes | None = None) -> set[str]:
    """References of the cells in one sheet part whose style shows a percentage
    (``data``: the part when the caller holds it already)."""
    if not styles or not part or part not in zf.namelist():
        return set()
    return {m.group(1).replace(b"$", b"").decode() for m in
            _STYLED_CELL.finditer(read_member(zf, part) if data is None else data)
            if int(m.group(2)) in styles}


def formula_cells(zf: zipfile.ZipFile, part: str | None, data: bytes | None = None
                  ) -> set[str]:
    """References ("H5") of the cells that hold a formula in one sheet part (``data``: the
    part when the caller holds it already)."""
    if not part or part not in zf.namelist():
        return set()
    if data is None:
        data = read_member(zf, part)
    if not _FORMULA_HINT.search(data) or not _FORMULA.search(data):
        return set()
    out = set()
    for el in parse_xml(data, part).iter():
        if local_name(el.tag) == "c" and any(local_name(ch.tag) == "f" for ch in el):
            ref = el.get("r")
            if ref:
                out.add(ref.replace("$", "").upper())
    return out


# ---------------------------------------------------------------- the manifest

def _text(value: Any) -> str:
    if type(value) is str:  # nearly every cell: first, and without isinstance
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        return number_text(value)
    return str(value).strip()


def _parse_manifest(grid: list[list[Any]]) -> tuple[Manifest, list[PacketRow],
                                                     dict[str, tuple[str, int]], dict[str, str]]:
    def broken(what: str) -> UserFacingError:
        return UserFacingError(f"填报包的标识信息已损坏({what}),无法识别。请使用区里下发的原文件填写。",
                               sheet=SHEET_MANIFEST)

    pairs: dict[str, str] = {}
    i = 0
    while i < len(grid):
        row = grid[i]
        key = _text(row[0]) if row else ""
        if key == "rows":
            break
        if key:
            pairs[key] = _text(row[1]) if len(row) > 1 else ""
        i += 1
    if pairs.get("format") != FORMAT_NAME:
        raise UserFacingError("此文件不是台账填报包(缺少填报包标识)。请使用区里下发的原文件填写。")
    try:
        version = int(pairs.get("format_version") or "0")
    except ValueError as exc:
        raise broken("格式版本") from exc
    if version > FORMAT_VERSION:
        raise UserFacingError(f"此填报包由更新版本的台账生成(格式版本 {version}),请升级台账后再打开。")
    try:
        plan = json.loads(pairs["plan"])
        manifest = Manifest(
            packet_id=pairs["packet_id"],
            plan=PlanMeta(uid=plan.get("uid") or pairs["plan_uid"], title=plan["title"],
                          issuer=plan.get("issuer") or "", office=plan.get("office") or "",
                          frequency=plan.get("frequency") or "month",
                          deadline_day=int(plan.get("deadline_day") or 5)),
            unit=pairs["unit"], unit_kind=pairs.get("unit_kind") or "department",
            period=pairs["period"],
            period_start=dt.date.fromisoformat(pairs["period_start"]),
            period_end=dt.date.fromisoformat(pairs["period_end"]),
            period_due=dt.date.fromisoformat(pairs["period_due"]),
            direction=pairs.get("direction") or "issued", kind=pairs.get("kind") or "normal",
            revision=int(pairs.get("revision") or "0"),
            issued_at=dt.datetime.fromisoformat(pairs["issued_at"]),
            exported_at=dt.datetime.fromisoformat(pairs["exported_at"])
            if pairs.get("exported_at") else None,
            seal=pairs.get("seal") or "", format_version=version,
            app_version=pairs.get("app_version") or "",
            lineage=tuple(h for h in str(pairs["lineage"] or "").split(",")
                          if _HASH.match(h))[:MAX_LINEAGE] if "lineage" in pairs else None)
    except (KeyError, ValueError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise broken("包信息") from exc
    if not manifest.packet_id or not manifest.unit or manifest.direction not in (
            "issued", "returned"):
        raise broken("包信息")

    fast = _manifest_rows(grid[i + 1:])
    if fast is not None:
        return (manifest, *fast)
    rows: list[PacketRow] = []
    positions: dict[str, tuple[str, int]] = {}
    hashes: dict[str, str] = {}
    for row in grid[i + 1:]:
        if not row:
            continue
        first = row[0]
        key = first.strip() if type(first) is str else _text(first)
        if not key:
            continue
        cells = [c.strip() if type(c) is str else _text(c) for c in row[:7]]
        if len(cells) < 7:
            cells += [""] * (7 - len(cells))
        try:
            fixed, digest, raw = _fixed_json(cells[4])
            editable = frozenset(json.loads(cells[5])) if cells[5] else None
            comments = {str(k): str(v) for k, v in
                        (json.loads(cells[6]) if cells[6] else {}).items()}
            excel_row = int(cells[2])
        except (ValueError, TypeError, AttributeError, RecursionError) as exc:
            # (JSONDecodeError is a ValueError; a list nested thousands deep, a RecursionError)
            raise broken(f"行 {key}") from exc
        # the cell holds the canonical JSON, so hashing its text is the cheap check
        if not isinstance(fixed, dict) or (digest != cells[3] and fixed_hash(fixed) != cells[3]):
            raise broken(f"行 {key} 的下发内容与校验值不符")
        if key in positions:
            raise broken(f"行 {key} 重复")
        rows.append(PacketRow(key=key, fixed=fixed, editable=editable, comments=comments,
                              sheet=cells[1], row=excel_row,
                              fixed_json=raw if digest == cells[3] else None))
        positions[key] = (cells[1], excel_row)
        hashes[key] = cells[3]
    return manifest, rows, positions, hashes


_ManifestRows = tuple[list[PacketRow], dict[str, tuple[str, int]], dict[str, str]]


def _manifest_rows(body: list[list[Any]]) -> _ManifestRows | None:
    """The manifest's row lines column by column, for the usual manifest: every line a
    distinct key and its texts, each row's content JSON whose text hashes to the hash
    beside it, no correction fields. None for anything else: the line-by-line pass then
    reads it (and names what is broken)."""
    if not body or min(map(len, body)) < 7:
        return None
    try:
        keys, sheets, numbers, digests, texts, editable, comments = (
            list(map(str.strip, column)) for column in list(zip(*body, strict=True))[:7])
        if "" in keys or len(set(keys)) != len(keys) or any(editable) or any(comments):
            return None
        excel_rows = list(map(int, numbers))
    except (TypeError, ValueError):  # a cell that is not text, a row number that is not one
        return None
    known: list[Any] = list(map(_FIXED_JSON.get, texts))
    if None in known:
        try:
            known = _fixed_json_many(texts, known)
        except (ValueError, TypeError, RecursionError):
            return None
    if list(map(_SECOND, known)) != digests:
        return None
    fixed = list(map(_FIRST, known))
    if set(map(type, fixed)) != {dict}:
        return None
    rows = [PacketRow(key=k, fixed=dict(f), sheet=s, row=r, fixed_json=j) for k, f, s, r, j in
            zip(keys, fixed, sheets, excel_rows, map(_THIRD, known), strict=True)]
    return (rows, dict(zip(keys, zip(sheets, excel_rows, strict=True), strict=True)),
            dict(zip(keys, digests, strict=True)))


# manifest cell text → (its parsed content, its hash): the same issued rows recur in
# every unit's packet (each caller gets its own copy of the dict)
_FIXED_JSON: dict[str, tuple[Any, str, bytes]] = {}


def _fixed_json(text: str) -> tuple[Any, str, bytes]:
    """(json.loads(text), the short sha256 of the text, the text's UTF-8 bytes), worked
    out once per distinct text."""
    value, digest, raw = _fixed_json_new(text, _FIXED_JSON.get(text))
    return (dict(value) if isinstance(value, dict) else value), digest, raw


def _fixed_json_new(text: str, known: tuple[Any, str, bytes] | None
                    ) -> tuple[Any, str, bytes]:
    """`known` (what `_FIXED_JSON` holds for `text`), or it worked out and remembered;
    the parsed value is the cache's own (callers copy a dict before handing it out)."""
    if known is None:
        raw = text.encode("utf-8")
        known = (_loads(text), hashlib.sha256(raw).hexdigest()[:16], raw)
        if len(_FIXED_JSON) >= _EXPECTED_MAX:
            _FIXED_JSON.clear()
        _FIXED_JSON[text] = known
    return known


def _fixed_json_many(texts: list[str], known: list[Any]) -> list[Any]:
    """`_fixed_json_new` for every text (``known``: what the cache holds for each), the
    new ones worked out column-wise: the JSON scanner, UTF-8 encoding and sha256 mapped
    over them (a packet of new content: every row is new). A text the scanner does not take
    whole goes through `_fixed_json_new` (json.loads then parses it or raises)."""
    new = [t for t, k in zip(texts, known, strict=True) if k is None]
    try:
        scanned = list(map(_SCAN, new, repeat(0)))
    except (StopIteration, ValueError):
        return list(map(_fixed_json_new, texts, known))
    if list(map(_SECOND, scanned)) != list(map(len, new)):
        return list(map(_fixed_json_new, texts, known))
    raw = list(map(str.encode, new))
    digests = [h.hexdigest()[:16] for h in map(hashlib.sha256, raw)]
    if len(_FIXED_JSON) + len(new) > _EXPECTED_MAX:
        _FIXED_JSON.clear()
    _FIXED_JSON.update(zip(new, zip(map(_FIRST, scanned), digests, raw, strict=True),
                           strict=True))
    if len(new) == len(texts):
        return list(map(_FIXED_JSON.__getitem__, texts))
    return [k if k is not None else _FIXED_JSON[t] for t, k in zip(texts, known, strict=True)]


_SCAN: Callable[[str, int], tuple[Any, int]] = \
    json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _loads(text: str) -> Any:
    """json.loads(text), through the decoder's C scanner directly (one call instead of
    three Python frames and two whitespace matches); whatever the scanner does not take
    whole goes to json.loads, which then parses it or raises its own error."""
    try:
        value, end = _SCAN(text, 0)
    except (StopIteration, ValueError):
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


# ---------------------------------------------------------------- data sheets

# fields → (fixed hash → the texts the fixed cells must show): the same task's fixed
# content recurs in every unit's packet, so it is worked out once per content, not once per
# cell
_EXPECTED: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = {}


def _expected_for(fields: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The cache of expected fixed texts for one sheet's fixed columns."""
    known = _EXPECTED.get(fields)
    if known is None or len(known) >= _EXPECTED_MAX:
        known = _EXPECTED[fields] = {}
    return known


@functools.lru_cache(maxsize=8192, typed=True)
def _normalise(name: str, raw: Any, numeric: bool) -> tuple[Any, str | None]:
    """`normalise_value` remembered per (field, cell value, numeric): statuses, percents,
    names and phone numbers repeat row after row and packet after packet."""
    return normalise_value(name, raw, numeric=numeric)


def _same_fixed(cell: Any, expected: Any) -> bool:
    want = fixed_cell_text(expected).strip()
    got = _text(cell)
    if got == want:
        return True
    # a retyped code "3" may come back as the number 3.0; dates as dates
    if isinstance(cell, dt.date):
        return cell.isoformat().startswith(want) or want.startswith(cell.isoformat()[:7])
    return got.replace("\r\n", "\n") == want.replace("\r\n", "\n")


_SKIP: Any = object()  # an input cell not taken (a formula, or a value the rules refuse)


def _found_rows(grid: list[list[Any]], header_row: int, key_col: int,
                mine: set[str]) -> dict[str, int] | None:
    """Key → 0-based grid row when every row below the header carries a distinct key of
    this sheet's issued rows (a packet as issued or filled in place); None otherwise (the
    row-by-row pass then names what is odd)."""
    body = grid[header_row + 1:]
    if not body or min(map(len, body)) <= key_col:
        return None
    try:
        keys = list(map(str.strip, map(itemgetter(key_col), body)))
    except TypeError:  # a key cell that is not text
        return None
    if len(set(keys)) != len(keys) or not mine.issuperset(keys):
        return None
    return dict(zip(keys, range(header_row + 1, len(grid)), strict=True))


# (column letter, first 0-based row, rows) → the cell references of that column's run of
# rows ("H3", "H4", …): the rows of every packet of a plan sit at the same places (the
# lists are shared, never changed)
_REFS: dict[tuple[str, int, int], list[str]] = {}


def _column_refs(ats: list[int]) -> Callable[[str], list[str]]:
    """For the grid rows ``ats`` (0-based), column letter → the cell references of those
    rows in that column; a contiguous run of rows (a packet as issued or filled in place)
    is looked up in `_REFS` instead of formatted cell by cell."""
    made: list[list[str]] = []

    def numbers() -> list[str]:  # 1-based row numbers, made once for all the columns
        if not made:
            made.append(list(map(str, map((1).__add__, ats))))
        return made[0]

    if not ats or ats != list(range(ats[0], ats[0] + len(ats))):
        texts = numbers()
        return lambda letter: list(map(letter.__add__, texts))

    def refs(letter: str) -> list[str]:
        key = (letter, ats[0], len(ats))
        known = _REFS.get(key)
        if known is None:
            if len(_REFS) >= 256:
                _REFS.clear()
            known = _REFS[key] = list(map(letter.__add__, numbers()))
        return known

    return refs


def _read_sheet(wb: python_calamine.CalamineWorkbook, sheet: str, formulas: set[str],
                percents: set[str],
                fixed_cols: tuple[tuple[str, str], ...], input_fields: tuple[str, ...],
                rows: dict[str, PacketRow], positions: dict[str, tuple[str, int]],
                problems: list[Problem], titles: dict[str, str] | None = None,
                hashes: dict[str, str] | None = None) -> None:
    expected = [r for r in rows.values() if r.sheet == sheet]
    try:
        grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (python_calamine.WorksheetNotFound, KeyError):
        if expected:
            problems.append(Problem(sheet, "", f"缺少“{sheet}”表,其中 {len(expected)} 行未能读取。"))
        return
    except python_calamine.CalamineError as exc:
        raise UserFacingError(f"“{sheet}”表已损坏,无法读取。", sheet=sheet) from exc
    if titles is not None:
        titles[sheet] = _text(grid[0][0]) if grid and grid[0] else ""

    headers = {h: f for f, h in fixed_cols}
    headers.update({INPUT_HEADERS[f]: f for f in input_fields})
    headers[COMMENT_HEADER] = "comment"
    header_row = -1
    columns: dict[str, int] = {}
    for r, line in enumerate(grid[:12]):
        texts = [_text(c) for c in line]
        if KEY_HEADER in texts:
            header_row = r
            columns = {headers[t]: c for c, t in enumerate(texts) if t in headers}
            columns["key"] = texts.index(KEY_HEADER)
            break

    found: dict[str, int] | None = None  # key -> 0-based grid row
    key_col = -1
    if header_row < 0:
        # the key column is gone: fall back to the issued positions and column order
        problems.append(Problem(sheet, "", "找不到隐藏的“行标识”列,已按下发时的行列位置读取。",
                                      "warning"))
        order = [f for f, _ in fixed_cols] + list(input_fields)
        columns = {f: c for c, f in enumerate(order)}
        found = {row.key: positions[row.key][1] - 1 for row in expected}
    else:
        key_col = columns["key"]
        found = _found_rows(grid, header_row, key_col, {r.key for r in expected})
    if found is None:
        found = {}
        for r in range(header_row + 1, len(grid)):
            line = grid[r]
            key = _text(line[key_col]) if key_col < len(line) else ""
            if not key:
                if any(_text(line[c]) for f, c in columns.items()
                       if f in input_fields and c < len(line)):
                    problems.append(Problem(sheet, xl_rowcol_to_cell(r, 0),
                                                  "此行不是下发的任务行(没有行标识),内容已忽略。",
                                                  "warning"))
                continue
            known = rows.get(key)
            if known is None or known.sheet != sheet:
                problems.append(Problem(sheet, xl_rowcol_to_cell(r, columns["key"]),
                                              f"行标识“{key[:40]}”不是本包下发的行,已忽略。",
                                              key=key))
                continue
            if key in found:
                problems.append(Problem(sheet, xl_rowcol_to_cell(r, 0),
                                              f"第 {r + 1} 行与第 {found[key] + 1} 行是同一项"
                                              f"({known.code}),只读取了第一行。", key=key))
                continue
            found[key] = r
    if header_row >= 0:
        missing_cols = [INPUT_HEADERS[f] for f in input_fields if f not in columns]
        if missing_cols:
            problems.append(Problem(sheet, xl_rowcol_to_cell(header_row, 0),
                                          f"缺少填写列:{'、'.join(missing_cols)}。"))

    # the rows found, in manifest order (each problem is kept with its row's place and the
    # cell's order in the row, and they are added in that order at the end)
    later: list[tuple[int, int, Problem]] = []
    placed: list[int] = []  # index in `expected`
    ats: list[int] = []
    for i, row in enumerate(expected):
        at = found.get(row.key)
        if at is None or at >= len(grid):
            later.append((i, 0, Problem(sheet, f"A{row.row}",
                                        f"缺少下发的第 {row.code} 项(原第 {row.row} 行),"
                                        "可能被删除。", key=row.key)))
            continue
        placed.append(i)
        ats.append(at)
        row.row = at + 1
        row.sheet = sheet
    found_rows = [expected[i] for i in placed]
    lines = [grid[r] for r in ats]
    width = min(map(len, lines), default=0)

    def column(c: int) -> list[Any]:
        """Column c of every row found ("" where a row ends before it)."""
        if c < width:
            return list(map(itemgetter(c), lines))
        return [line[c] if c < len(line) else "" for line in lines]

    letters = {c: xl_col_to_name(c) for c in columns.values()}
    fixed_at = [(f, h, columns[f]) for f, h in fixed_cols if f in columns]
    fixed_fields = tuple(f for f, _h, _c in fixed_at)

    # fixed cells, column by column: a row whose cells are the very texts of its manifest
    # copy is as issued (one C-level comparison per row; a text equals only a text, so
    # the rule `fixed_cell_text` gives the same texts); any other row is compared against
    # the texts expected for its manifest hash (worked out once per content), and one that
    # differs there, or has no hash, cell by cell
    fixed_cells = [column(c) for _f, _h, c in fixed_at]
    if fixed_at:
        got = list(zip(*fixed_cells, strict=True))
        texts_only = all(set(map(type, cells)) <= {str} for cells in fixed_cells)
        try:
            issued = list(map(itemgetter(*fixed_fields), (row.fixed for row in found_rows))) \
                if len(fixed_fields) > 1 else [(row.fixed[fixed_fields[0]],)
                                               for row in found_rows]
        except KeyError:  # a manifest copy without one of the fields (it shows as empty)
            issued = [tuple(map(row.fixed.get, fixed_fields)) for row in found_rows]
        same = list(map(eq, got, issued)) if texts_only else [False] * len(got)
    else:
        got, same = [()] * len(lines), [True] * len(lines)
    hashes = hashes or {}
    expected_of = _expected_for(fixed_fields)
    for j in [j for j, ok in enumerate(same) if not ok]:
        row, line, r = found_rows[j], lines[j], ats[j]
        digest = hashes.get(row.key)
        if digest:
            want = expected_of.get(digest)
            if want is None:
                want = expected_of[digest] = tuple(
                    fixed_cell_text(row.fixed.get(f)).strip() for f in fixed_fields)
            if got[j] == want:
                continue  # every fixed cell as issued
        for k, (f, header, fc) in enumerate(fixed_at):
            if not _same_fixed(line[fc] if fc < len(line) else "", row.fixed.get(f)):
                later.append((placed[j], k, Problem(
                    sheet, f"{letters[fc]}{r + 1}",
                    f"固定内容被修改,已忽略(第 {row.code} 项“{header}”)。", "warning",
                    row.key, f)))

    # input cells, column by column: the same rules (`normalise_value`, remembered per
    # (field, cell value)) over the whole column, then each row's values in field order
    refs_of = _column_refs(ats)
    inputs_at = [(f, columns[f], letters[columns[f]]) for f in input_fields if f in columns]
    ref_cols: list[list[str]] = []
    value_cols: list[list[Any]] = []
    taken_all = True
    flat = [False] * len(lines)
    numeric = [bool(row.fixed.get("numeric")) for row in found_rows] \
        if "value" in input_fields else flat
    for k, (f, c, letter) in enumerate(inputs_at, start=len(fixed_at)):
        refs = refs_of(letter)
        raws = column(c)
        skip = {j for j, ref in enumerate(refs) if ref in formulas} if formulas and \
            not formulas.isdisjoint(refs) else set()
        for j in sorted(skip):
            later.append((placed[j], k, Problem(sheet, refs[j],
                                                f"{INPUT_HEADERS[f]}是公式,未读取。请直接填写内容。",
                                                key=found_rows[j].key, field=f)))
        if f == "percent" and percents:
            for j, (ref, raw) in enumerate(zip(refs, raws, strict=True)):
                if j in skip or raw == "":
                    continue
                shown = ref in percents and isinstance(raw, int | float)
                raws[j] = percent_from_cell(raw, shown)
                found_rows[j].percent_format = shown
        results: list[tuple[Any, str | None]] = []
        plain = None if f == "value" and any(numeric) else plain_column(f, raws)
        if plain is not None:  # the usual text column: the same rule for all its cells at once
            values: list[Any] = plain
        else:
            try:
                if raws.count("") == len(raws):  # a column left empty: its empty value
                    results = [(empty_value(f), None)] * len(raws)
                else:
                    results = list(map(_normalise, repeat(f), raws,
                                       numeric if f == "value" else flat))
            except TypeError:  # an unhashable cell value
                results = [normalise_value(f, raw, numeric=num) for raw, num in
                           zip(raws, numeric if f == "value" else flat, strict=True)]
            values = list(map(_FIRST, results))
        if any(map(_SECOND, results)):
            for j, (_v, problem) in enumerate(results):
                if problem is not None and j not in skip:
                    skip.add(j)
                    row = found_rows[j]
                    later.append((placed[j], k, Problem(sheet, refs[j],
                                                        f"第 {row.code} 项:{problem}",
                                                        key=row.key, field=f)))
        for j in skip:
            values[j] = _SKIP
        taken_all = taken_all and not skip
        ref_cols.append(refs)
        value_cols.append(values)
    fields = [f for f, _c, _l in inputs_at]
    # (no input column: nothing to fill, and the transposed columns are empty)
    for row, refs_in, values_of in zip(found_rows, zip(*ref_cols, strict=True),
                                       zip(*value_cols, strict=True), strict=False):
        row.cells.update(zip(fields, refs_in, strict=True))
        if taken_all or _SKIP not in values_of:
            row.values.update(zip(fields, values_of, strict=True))
        else:
            row.values.update((f, v) for f, v in zip(fields, values_of, strict=True)
                              if v is not _SKIP)
    later.sort(key=_PLACE)
    problems.extend(p for _i, _k, p in later)


def read_packet(source: Path | str | bytes, *, name: str = "") -> PacketFile:
    """Read a packet file (path or bytes); raises UserFacingError when it cannot be one."""
    path: Path | None = None
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise _refuse(f"“{name}”过大({size // 1024 // 1024} MB),"
                              f"填报包不应超过 {MAX_FILE_BYTES // 1024 // 1024} MB。")
            data = path.read_bytes()
        except PermissionError as exc:
            raise UserFacingError(f"无法读取“{name}”:没有权限,或文件正被其他程序锁定。") from exc
        except FileNotFoundError as exc:
            raise UserFacingError(f"文件不存在:{path}") from exc
        except IsADirectoryError as exc:
            raise UserFacingError(f"这是一个文件夹,不是填报包:{path}") from exc
    kept: dict[str, bytes] = {}  # the parts as read for the DTD check: decompressed once
    zf = check_container(data, name, kept)
    parts, states = sheet_parts(zf, book=kept.get("xl/workbook.xml"),
                                rels=kept.get("xl/_rels/workbook.xml.rels"))
    if SHEET_MANIFEST not in states:
        raise UserFacingError(f"“{name or '文件'}”不是台账填报包(缺少填报包标识)。"
                              "请使用区里下发的原文件填写。")
    check_sheet(zf, parts.get(SHEET_MANIFEST), SHEET_MANIFEST, MANIFEST_LIMITS, name,
               data=kept.get(parts.get(SHEET_MANIFEST) or ""))
    try:
        # (the parts read for the checks handed over uncompressed: inflated once, not twice)
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(stored_copy(data, zf,
                                                                                   kept)))
        grid = wb.get_sheet_by_name(SHEET_MANIFEST).to_python(skip_empty_area=False)
    except python_calamine.CalamineError as exc:
        raise UserFacingError(f"“{name or '文件'}”已损坏,无法读取。") from exc
    except Exception as exc:  # calamine raises plain errors for some broken parts
        raise UserFacingError(f"“{name or '文件'}”已损坏,无法读取({type(exc).__name__})。") from exc
    manifest, rows, positions, hashes = _parse_manifest(grid)
    by_key = {r.key: r for r in rows}
    problems: list[Problem] = []
    titles: dict[str, str] = {}
    styles = percent_styles(zf, kept.get("xl/styles.xml"))
    for sheet, fixed_cols, inputs in ((SHEET_TASKS, TASK_FIXED_COLUMNS, TASK_INPUT_FIELDS),
                                      (SHEET_INDICATORS, INDICATOR_FIXED_COLUMNS,
                                       INDICATOR_INPUT_FIELDS)):
        issued = [r for r in rows if r.sheet == sheet]
        if not issued:
            continue
        columns = len(fixed_cols) + len(inputs) + 2  # the key and 退回意见 columns
        last = max(r.row for r in issued)
        part = parts.get(sheet)
        xml = kept.get(part or "")
        check_sheet(zf, part, sheet,
                   Limits(max_row=last + max(ROW_MARGIN, len(issued)),
                          max_col=columns + COLUMN_MARGIN,
                          max_cells=(last + max(ROW_MARGIN, len(issued))) * (
                              columns + COLUMN_MARGIN)), name, data=xml)
        _read_sheet(wb, sheet, formula_cells(zf, part, xml),
                    percent_cells(zf, part, styles, xml) if "percent" in inputs else set(),
                    fixed_cols, inputs,
                    by_key, positions, problems, titles, hashes)
    wb.close()
    kept.clear()
    return PacketFile(path, hashlib.sha256(data).hexdigest(), manifest, rows, problems, states,
                      titles)


def problems_text(problems: Iterable[Problem]) -> str:
    """One line per problem: "[任务进展]H5 …" (for logs and the command line)."""
    return "\n".join(p.text for p in problems)


def _clear_caches(issued: bool = True) -> None:
    """Forget the remembered cell values (and, with `issued`, the issued content): for the
    benchmark's "first of its kind" and the tests that a cache changes no result."""
    _normalise.cache_clear()
    if issued:
        _REFS.clear()  # (the layout too: "first of its kind" is a process that saw nothing)
        _EXPECTED.clear()
        _FIXED_JSON.clear()
        forget_sheet_parts()
