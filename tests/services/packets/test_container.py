"""A generated hostile corpus against every workbook the program opens.

Each file is refused by the command a district or office user would run (``merge``,
``office open``, ``plan import``) in a child process that reports its own peak memory:
the refusal names the file, sheet and cell in Chinese, exits 1, leaves the database
as it was, and stays under 200 MB (a far cell once asked calamine for 512 GB).
"""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from bounded import PEAK_MB, run_cli
from merge_helpers import issue, table_dump
from packet_helpers import zip_bytes
from xlsxwriter.utility import xl_col_to_name

from app.core.errors import UserFacingError
from app.services.db import open_database
from app.services.packets.container import Limits, check_sheet, scan_sheet, sheet_parts
from app.services.packets.format import SHEET_MANIFEST, SHEET_TASKS
from app.services.packets.reader import read_packet
from app.services.plans.export import export_plan

ROOT = Path(__file__).resolve().parents[3]

def run_bounded(args: list[str]) -> tuple[dict[str, float], str]:
    """Run ``main.py ARGS`` in a bounded child (tests/bounded.py); (its exit code and peak
    memory, what it printed on stderr)."""
    run = run_cli(args, timeout=120)
    return {"code": run.code, "peak_mb": run.peak_mb}, run.stderr.strip()


# ---------------------------------------------------------------- making hostile files

def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _part(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return sheet_parts(zf)[0][sheet]


def with_rows(src: Path, dest: Path, sheet: str, rows_xml: bytes) -> Path:
    """`src` with extra <row> elements appended to one sheet's data."""
    entries = _entries(src)
    part = _part(src, sheet)
    xml = entries[part]
    if b"</sheetData>" in xml:
        xml = xml.replace(b"</sheetData>", rows_xml + b"</sheetData>", 1)
    else:
        xml = xml.replace(b"<sheetData/>", b"<sheetData>" + rows_xml + b"</sheetData>", 1)
    entries[part] = xml
    dest.write_bytes(zip_bytes(entries))
    return dest


def far_cell(ref: str, space: str = " ") -> bytes:
    """A row holding one cell at ``ref``; ``space``: what separates the tag name from its
    attribute (XML allows a tab or a line break there, and calamine reads the cell)."""
    row = re.sub(r"^[A-Z]+", "", ref)
    return (f'<row r="{row}"><c{space}r="{ref}" t="inlineStr"><is><t>远处</t></is></c></row>'
            ).encode()


def million_cells(first_row: int, columns: int = 50) -> bytes:
    """A million numeric cells (distinct values, so the zip ratio stays plausible)."""
    letters = [xl_col_to_name(c) for c in range(columns)]
    out = []
    for r in range(first_row, first_row + 1_000_000 // columns):
        cells = "".join(f'<c r="{col}{r}"><v>{r * 7 + i}</v></c>'
                        for i, col in enumerate(letters))
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out).encode()


def with_doctype(src: Path, dest: Path, sheet: str) -> Path:
    entries = _entries(src)
    part = _part(src, sheet)
    xml = entries[part]
    head, body = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (b"", xml)
    entries[part] = (head + (b"?>" if head else b"")
                     + b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>' + body)
    dest.write_bytes(zip_bytes(entries))
    return dest


HOSTILE: dict[str, tuple[Callable[[Path, Path, str], Path], str, str]] = {
    # name: (make(src, dest, data sheet), sheet named, cell named / message part)
    "far cell in the task sheet": (
        lambda s, d, _: with_rows(s, d, SHEET_TASKS, far_cell("XFD1048576")),
        SHEET_TASKS, "XFD1048576"),
    "far cell in the manifest sheet": (
        lambda s, d, _: with_rows(s, d, SHEET_MANIFEST, far_cell("XFD1048576")),
        SHEET_MANIFEST, "XFD1048576"),
    "O1048576": (lambda s, d, _: with_rows(s, d, SHEET_TASKS, far_cell("O1048576")),
                 SHEET_TASKS, "O1048576"),
    # a tab or a line break after the tag name once slipped past the fast scan, and
    # calamine asked for 512 GB
    "far cell, a tab after <c": (
        lambda s, d, _: with_rows(s, d, SHEET_TASKS, far_cell("XFD1048576", "\t")),
        SHEET_TASKS, "XFD1048576"),
    "far cell, a line break after <c": (
        lambda s, d, _: with_rows(s, d, SHEET_MANIFEST, far_cell("XFD1048576", "\r\n")),
        SHEET_MANIFEST, "XFD1048576"),
    "a million cells": (lambda s, d, _: with_rows(s, d, SHEET_TASKS, million_cells(200)),
                        SHEET_TASKS, "超出了填报包应有的范围"),
    "DOCTYPE in the manifest sheet": (lambda s, d, _: with_doctype(s, d, SHEET_MANIFEST),
                                      SHEET_MANIFEST, "不安全的 XML"),
}


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory, tianning_template: Path
           ) -> tuple[Path, Path]:
    """(a tianning database, the packet it issued to 青龙街道 for 2021-06)."""
    from conftest import copy_sqlite

    folder = tmp_path_factory.mktemp("hostile")
    db_path = folder / "district.db"
    copy_sqlite(tianning_template, db_path)
    engine = open_database(db_path)
    packet = issue(engine, "2021-06", ["青龙街道"], folder)["青龙街道"]
    engine.dispose()
    return db_path, packet


# ---------------------------------------------------------------- packets

@pytest.mark.parametrize("case", list(HOSTILE))
def test_merge_refuses_hostile_packet_in_bounded_memory(case: str, issued: tuple[Path, Path],
                                                        tmp_path: Path) -> None:
    db_path, packet = issued
    make, sheet, _where = HOSTILE[case]
    bad = make(packet, tmp_path / "回报.xlsx", sheet)
    before = table_dump(db_path)
    report, _err = run_bounded(["merge", "--db", str(db_path), "--json", str(bad)])
    assert report["code"] == 1
    assert report["peak_mb"] <= PEAK_MB
    assert table_dump(db_path) == before


@pytest.mark.parametrize("case", list(HOSTILE))
def test_reader_names_file_sheet_and_cell(case: str, issued: tuple[Path, Path],
                                          tmp_path: Path) -> None:
    _db, packet = issued
    make, sheet, where = HOSTILE[case]
    bad = make(packet, tmp_path / "回报.xlsx", sheet)
    with pytest.raises(UserFacingError) as info:
        read_packet(bad)
    error = info.value
    assert "“回报.xlsx”" in error.message and f"“{sheet}”" in error.message
    assert error.sheet == sheet
    assert where in str(error)
    if "XFD" in where or where.startswith("O"):
        assert error.cell == where


def test_merge_json_names_sheet_and_cell(issued: tuple[Path, Path], tmp_path: Path) -> None:
    db_path, packet = issued
    bad = with_rows(packet, tmp_path / "far.xlsx", SHEET_TASKS, far_cell("XFD1048576"))
    proc = subprocess.run([sys.executable, "main.py", "merge", "--db", str(db_path), "--json",
                           str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    out = json.loads(proc.stdout)["packets"][0]
    assert out["status"] == "rejected"
    assert out["errors"][0]["sheet"] == SHEET_TASKS and out["errors"][0]["cell"] == "XFD1048576"
    assert "“far.xlsx”" in out["errors"][0]["message"]


@pytest.mark.parametrize("case", list(HOSTILE))
def test_office_open_refuses_hostile_packets(case: str, issued: tuple[Path, Path],
                                             tmp_path: Path) -> None:
    _db, packet = issued
    make, sheet, where = HOSTILE[case]
    bad = make(packet, tmp_path / "下发.xlsx", sheet)
    office_db = tmp_path / "office.db"
    report, err = run_bounded(["office", "open", "--db", str(office_db), str(bad)])
    assert report["code"] == 1 and report["peak_mb"] <= PEAK_MB
    assert "“下发.xlsx”" in err and where in err and f"“{sheet}”" in err
    assert len(err.strip().splitlines()) == 1  # one line, no traceback
    if office_db.exists():
        assert not any(rows for name, rows in table_dump(office_db).items()
                       if name not in ("alembic_version", "settings", "setting"))


def test_huge_dimension_alone_is_harmless(issued: tuple[Path, Path], tmp_path: Path) -> None:
    """The <dimension> is not trusted: A1:XFD1048576 over normal cells reads normally."""
    _db, packet = issued
    entries = _entries(packet)
    part = _part(packet, SHEET_TASKS)
    entries[part] = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>',
                           entries[part])
    path = tmp_path / "dim.xlsx"
    path.write_bytes(zip_bytes(entries))
    assert read_packet(path).values() == read_packet(packet).values()


def test_cells_without_references_are_counted_in_place(tmp_path: Path) -> None:
    """Cells written without r="…" (allowed by the format) take the next column/row."""
    rows = "".join(f"<row>{'<c><v>1</v></c>' * 5}</row>" for _ in range(30))
    sheet = (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{rows}</sheetData></worksheet>").encode()
    zf = zipfile.ZipFile(tmp_path / "z.zip", "w")
    zf.writestr("s.xml", sheet)
    zf.close()
    with zipfile.ZipFile(tmp_path / "z.zip") as zf:
        extent = scan_sheet(zf, "s.xml", "表", Limits(30, 5, 150))
        assert (extent.max_row, extent.max_col, extent.cells) == (30, 5, 150)
        with pytest.raises(UserFacingError, match="E1"):
            scan_sheet(zf, "s.xml", "表", Limits(30, 4, 150))
        with pytest.raises(UserFacingError, match="单元格过多") as info:
            scan_sheet(zf, "s.xml", "表", Limits(30, 5, 149))
        assert info.value.cell == "E30"


def _sheet_zip(tmp_path: Path, body: str) -> zipfile.ZipFile:
    sheet = (f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f"<sheetData>{body}</sheetData></worksheet>").encode()
    with zipfile.ZipFile(tmp_path / "z.zip", "w") as zf:
        zf.writestr("s.xml", sheet)
    return zipfile.ZipFile(tmp_path / "z.zip")


def _outcome(fn: Callable[[], object]) -> str:
    try:
        fn()
    except UserFacingError as exc:
        return f"{exc.cell}: {exc.message}"
    return "accepted"


SHEETS = {
    "plain, within": '<row r="3"><c r="A3" s="1"><v>1</v></c><c r="$AP$402"><v>2</v></c></row>',
    "last column + 1": '<row r="3"><c r="AQ3"><v>1</v></c></row>',
    "last row + 1": '<row r="403"><c r="A403"><v>1</v></c></row>',
    "far, space": '<row r="9"><c r="XFD1048576"><v>1</v></c></row>',
    "far, tab": '<row r="9"><c\tr="XFD1048576"><v>1</v></c></row>',
    "far, line break": '<row r="9"><c\nr="B9"/><c\r\nr="XFD1048576"><v>1</v></c></row>',
    "far, second attribute": '<row r="9"><c s="1" r="XFD9"><v>1</v></c></row>',
    "far, single quotes": "<row r='9'><c r='XFD9'><v>1</v></c></row>",
    "leading zeros": '<row r="9"><c r="A0009"><v>1</v></c><c r="A0400"><v>1</v></c></row>',
    "leading zeros, far": '<row r="9"><c r="A0500"><v>1</v></c></row>',
    "lower case": '<row r="9"><c r="b9"><v>1</v></c></row>',
    "other tags named c…": '<row r="3" customHeight="1"><c r="A3"><v>1</v></c></row>'
                           '<conditionalFormatting sqref="A3"><cfRule type="x"/>'
                           '</conditionalFormatting><colBreaks count="0"/>',
    "far, two spaces": '<row r="9"><c  r="XFD9"><v>1</v></c></row>',
    "far, prefixed": '<row r="9"><x:c xmlns:x="urn:x" r="XFD9"><v>1</v></x:c></row>',
    "far, another tag first": '<row r="9"><col min="1"/><c r="XFD9"><v>1</v></c></row>',
    "no references": "<row>" + "<c><v>1</v></c>" * 40 + "</row>",
    "too many": "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"/>' for c in "ABCDEFGHIJ")
                        + "</row>" for r in range(1, 401)),
}


@pytest.mark.parametrize("case", list(SHEETS))
def test_check_sheet_decides_as_the_scan(case: str, tmp_path: Path) -> None:
    """The reader's quick acceptance (`check_sheet`) refuses exactly what `scan_sheet`
    refuses, naming the same cell, and accepts what it accepts."""
    limits = Limits(max_row=402, max_col=42, max_cells=3_000)
    with _sheet_zip(tmp_path, SHEETS[case]) as zf:
        data = zf.read("s.xml")
        scanned = _outcome(lambda: scan_sheet(zf, "s.xml", "表", limits, "p.xlsx"))
        checked = _outcome(lambda: check_sheet(zf, "s.xml", "表", limits, "p.xlsx", data=data))
    assert checked == scanned
    assert (scanned == "accepted") == (case in ("plain, within", "leading zeros", "lower case",
                                                "no references", "other tags named c…"))


# ---------------------------------------------------------------- plan workbooks

@pytest.fixture(scope="module")
def plan_workbook(tmp_path_factory: pytest.TempPathFactory, tianning_template: Path) -> Path:
    folder = tmp_path_factory.mktemp("planwb")
    engine = open_database(tianning_template)
    path = folder / "方案.xlsx"
    export_plan(engine, 1, path)
    engine.dispose()
    return path


def _first_sheet(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return next(iter(sheet_parts(zf)[0]))


PLAN_HOSTILE: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "far cell": (lambda s, d: with_rows(s, d, _first_sheet(s), far_cell("XFD1048576")),
                 "XFD1048576"),
    "O1048576": (lambda s, d: with_rows(s, d, _first_sheet(s), far_cell("O1048576")),
                 "O1048576"),
    "far cell, a tab after <c": (
        lambda s, d: with_rows(s, d, _first_sheet(s), far_cell("XFD1048576", "\t")),
        "XFD1048576"),
    "a million cells": (lambda s, d: with_rows(s, d, _first_sheet(s), million_cells(100)),
                        "单元格过多"),
    "DOCTYPE": (lambda s, d: with_doctype(s, d, _first_sheet(s)), "不安全的 XML"),
    "macros by name": (lambda s, d: d.with_suffix(".xlsm").write_bytes(s.read_bytes())
                       and d.with_suffix(".xlsm"), "带宏"),
    "vbaProject.bin": (lambda s, d: d.write_bytes(zip_bytes(
        {**_entries(s), "xl/vbaProject.bin": b"\x00" * 100})) and d, "宏代码"),
}


@pytest.mark.parametrize("case", list(PLAN_HOSTILE))
def test_plan_import_refuses_hostile_workbook_in_bounded_memory(
        case: str, plan_workbook: Path, tmp_path: Path) -> None:
    make, message = PLAN_HOSTILE[case]
    bad = make(plan_workbook, tmp_path / "坏方案.xlsx")
    db_path = tmp_path / "plans.db"
    open_database(db_path).dispose()
    before = table_dump(db_path)
    report, err = run_bounded(["plan", "import", "--db", str(db_path), str(bad)])
    assert report["code"] == 1 and report["peak_mb"] <= PEAK_MB
    assert message in err and bad.name in err
    assert re.search(r"[\u4e00-\u9fff]", err) and not re.search(r"Error|Exception", err)
    assert table_dump(db_path) == before


def test_plan_workbook_itself_still_imports(plan_workbook: Path, tmp_path: Path) -> None:
    db_path = tmp_path / "plans.db"
    open_database(db_path).dispose()
    report, err = run_bounded(["plan", "import", "--db", str(db_path), str(plan_workbook)])
    assert report["code"] == 0, err
    assert report["peak_mb"] <= 400


# ---------------------------------------------------------------- reading parts directly

def test_parts_inflated_directly_are_the_parts_zipfile_reads(issued: tuple[Path, Path]
                                                             ) -> None:
    """`check_container` inflates the parts it reads whole straight from the archive's
    bytes; they are byte for byte what zipfile reads, and every entry that is not the
    plain case (a wrong CRC, another name in the local header, a cut stream, an odd flag)
    is left to zipfile."""
    from app.services.packets.container import _inflate, check_container

    _db, packet = issued
    data = packet.read_bytes()
    kept: dict[str, bytes] = {}
    zf = check_container(data, packet.name, keep=kept)
    assert kept and all(kept[n] == zf.read(n) for n in kept)
    stored = zip_bytes(_entries(packet), compression=zipfile.ZIP_STORED)
    with zipfile.ZipFile(io.BytesIO(stored)) as plain:
        assert all(_inflate(stored, i) == plain.read(i) for i in plain.infolist())
    info = next(i for i in zf.infolist() if i.filename == "xl/workbook.xml")
    for change, value in (("CRC", info.CRC ^ 1), ("orig_filename", "xl/other.xml"),
                          ("compress_size", info.compress_size - 10),
                          ("flag_bits", info.flag_bits | 0x20),
                          # the stream longer or shorter than the declared size
                          ("file_size", info.file_size - 1), ("file_size", info.file_size + 1)):
        odd = copy.copy(info)
        setattr(odd, change, value)
        assert _inflate(data, odd) is None, (change, value)


def test_the_stored_copy_holds_the_same_parts(issued: tuple[Path, Path]) -> None:
    """The archive handed to python-calamine: the parts `check_container` read whole are
    stored uncompressed, every other entry is copied as it was, all in the same order and
    byte for byte what zipfile reads from the packet; calamine reads the same sheets from
    it. A packet outside the plain case (a name twice, a name not ASCII, an entry in
    another method) is handed over as it is."""
    import python_calamine

    from app.services.packets.container import check_container, stored_copy

    _db, packet = issued
    data = packet.read_bytes()
    kept: dict[str, bytes] = {}
    zf = check_container(data, packet.name, keep=kept)
    kept.pop("docProps/app.xml")  # one part as if too large to keep: copied compressed
    copy_ = stored_copy(data, zf, kept)
    with zipfile.ZipFile(io.BytesIO(copy_)) as out:
        assert out.testzip() is None
        assert [i.filename for i in out.infolist()] == zf.namelist()
        assert all(out.read(n) == zf.read(n) for n in zf.namelist())
        methods = {i.filename: i.compress_type for i in out.infolist()}
    assert all(methods[n] == zipfile.ZIP_STORED for n in kept)
    assert methods["docProps/app.xml"] == zipfile.ZIP_DEFLATED

    def grids(raw: bytes) -> list[object]:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(raw))
        return [wb.get_sheet_by_name(s).to_python(skip_empty_area=False)
                for s in wb.sheet_names]

    assert grids(copy_) == grids(data)
    assert stored_copy(data, zf, {}) is data
    entries = _entries(packet)
    twice = io.BytesIO()
    with zipfile.ZipFile(twice, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in entries.items():
            out.writestr(name, body)
        with pytest.warns(UserWarning):
            out.writestr("docProps/app.xml", entries["docProps/app.xml"])
    odd = [twice.getvalue(), zip_bytes({**entries, "xl/媒体.xml": b"<a/>"}),
           zip_bytes(entries, compression=zipfile.ZIP_BZIP2)]
    for raw in odd:
        with zipfile.ZipFile(io.BytesIO(raw)) as other:
            assert stored_copy(raw, other, {"xl/workbook.xml": b"<x/>"}) is raw


def test_a_damaged_part_is_refused_as_damaged(issued: tuple[Path, Path]) -> None:
    """A part whose bytes do not match its CRC is refused naming the part (zipfile's
    reading decides, as before the direct inflate)."""
    _db, packet = issued
    data = bytearray(zip_bytes(_entries(packet), compression=zipfile.ZIP_STORED))
    at = data.index(b"<workbook")
    data[at + 1:at + 9] = b"WORKBOOK"
    with pytest.raises(UserFacingError) as info:
        read_packet(bytes(data), name="坏.xlsx")
    assert "“坏.xlsx”已损坏" in info.value.message and "xl/workbook.xml" in info.value.message


# ---------------------------------------------------------------- the sheet list

def _sheet_parts_by_tree(book: bytes, rels: bytes | None) -> tuple[dict[str, str], ...]:
    """The sheet list as it was read before (a defusedxml tree of both parts)."""
    import posixpath

    from app.services.packets.container import local_name, parse_xml

    targets = {}
    for rel in parse_xml(rels, "rels") if rels is not None else []:
        rid, target = rel.get("Id"), rel.get("Target")
        if rid and target:
            targets[rid] = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join("xl", target))
    parts, states = {}, {}
    for el in parse_xml(book, "xl/workbook.xml").iter():
        if local_name(el.tag) != "sheet":
            continue
        name = el.get("name") or ""
        states[name] = el.get("state") or "visible"
        rid = next((v for k, v in el.attrib.items() if local_name(k) == "id"), None)
        if rid and rid in targets:
            parts[name] = targets[rid]
    return parts, states


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
BOOKS = {
    "as written": f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
                  '<sheet name="任务进展" sheetId="1" r:id="rId1"/>'
                  '<sheet name="_taizhang" sheetId="2" state="veryHidden" r:id="rId2"/>'
                  "</sheets></workbook>",
    "prefixed, entities, duplicates": f'<x:workbook xmlns:x="{_MAIN}" xmlns:rel="{_REL}">'
                                      '<x:sheets><x:sheet name="A&amp;B" rel:id="rId2"/>'
                                      '<x:sheet name="A&amp;B" rel:id="rId9" state="hidden"/>'
                                      '<x:sheet name="C" id="rId1"/></x:sheets></x:workbook>',
    "nested, no id": f'<workbook xmlns="{_MAIN}"><a><b><sheet name="深"/></b></a></workbook>',
}
RELS = {
    "as written": f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="t" '
                  'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="t" '
                  'Target="/xl/worksheets/../worksheets/sheet2.xml"/></Relationships>',
    "nested ones are not children": f'<Relationships xmlns="{_PKG}"><g><Relationship '
                                    'Id="rId1" Target="x.xml"/></g><Other Id="rId2" '
                                    'Target="worksheets/s2.xml"/></Relationships>',
    "none": None,
}


@pytest.mark.parametrize("book", list(BOOKS))
@pytest.mark.parametrize("rels", list(RELS))
def test_sheet_list_reads_as_the_tree_did(book: str, rels: str) -> None:
    """The sheet list is read by expat without building a tree (and remembered for the
    same parts): the same names, states and parts as the defusedxml tree gave."""
    book_xml = BOOKS[book].encode()
    rels_xml = RELS[rels].encode() if RELS[rels] is not None else None
    expected = _sheet_parts_by_tree(book_xml, rels_xml)
    for _ in range(2):  # worked out, then remembered
        assert sheet_parts(zipfile.ZipFile(io.BytesIO(zip_bytes({}))), book=book_xml,
                           rels=rels_xml) == expected


@pytest.mark.parametrize(("xml", "message"), [
    (f'<workbook xmlns="{_MAIN}"><sheet name="a"></workbook>', "不是有效的 XML"),
    ('<workbook><x:sheet name="a"/></workbook>', "不是有效的 XML"),  # an unbound prefix
    ('<!DOCTYPE w [<!ENTITY e "eeee">]><workbook><sheet name="&e;"/></workbook>',
     "不安全的 XML"),
    ('<!DOCTYPE w SYSTEM "http://x/w.dtd"><workbook><sheet name="a"/></workbook>', None),
])
def test_sheet_list_refuses_what_the_tree_refused(xml: str, message: str | None) -> None:
    from app.services.packets.container import parse_xml

    got = _outcome(lambda: sheet_parts(zipfile.ZipFile(io.BytesIO(zip_bytes({}))),
                                       book=xml.encode(), rels=None))
    before = _outcome(lambda: parse_xml(xml.encode(), "xl/workbook.xml"))
    if message is None:
        assert got == before == "accepted"
    else:
        assert message in got and got == before
