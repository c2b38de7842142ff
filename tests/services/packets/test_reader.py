"""The reader refuses what is not a plain packet, and reads what LibreOffice saved."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from packet_helpers import (
    SECRET,
    edit_with_openpyxl,
    sample_manifest,
    sample_rows,
    sealed,
    zip_bytes,
)

from app.core.errors import UserFacingError
from app.services.packets import read_packet, verify_seal, write_packet
from app.services.packets.format import SHEET_TASKS
from app.services.packets.writer import packet_bytes


def _packet(tmp_path: Path) -> Path:
    rows = sample_rows(3)
    rows[1].values.update(progress="=本月完成 3 家", percent=55.5, completed_on="2021-06-15")
    rows[-2].values = {"value": "21.5", "note": "市监测站数据"}
    return write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path


def test_not_a_zip(tmp_path: Path) -> None:
    bad = tmp_path / "p.xlsx"
    bad.write_text("这不是表格", "utf-8")
    with pytest.raises(UserFacingError, match="不是 Excel 工作簿"):
        read_packet(bad)


def test_old_xls_or_encrypted(tmp_path: Path) -> None:
    bad = tmp_path / "p.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(UserFacingError, match=r"旧版 \.xls 或设了打开密码"):
        read_packet(bad)


def test_truncated_zip(tmp_path: Path) -> None:
    data = _packet(tmp_path).read_bytes()
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserFacingError, match="损坏"):
        read_packet(bad)


def test_xlsm_name_and_macro_parts_are_refused(tmp_path: Path) -> None:
    data = _packet(tmp_path).read_bytes()
    with pytest.raises(UserFacingError, match="带宏"):
        read_packet(data, name="进展.xlsm")
    with zipfile.ZipFile(tmp_path / "p.xlsx") as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    with pytest.raises(UserFacingError, match="宏"):
        read_packet(zip_bytes({**entries, "xl/vbaProject.bin": b"\0" * 64}), name="a.xlsx")
    ct = entries["[Content_Types].xml"].replace(
        b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    with pytest.raises(UserFacingError, match="带宏"):
        read_packet(zip_bytes({**entries, "[Content_Types].xml": ct}), name="a.xlsx")


def test_zip_bomb_and_too_many_entries(tmp_path: Path) -> None:
    bomb = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                      "xl/media/big.bin": b"\0" * (3 * 1024 * 1024)})
    with pytest.raises(UserFacingError, match="压缩炸弹"):
        read_packet(bomb, name="bomb.xlsx")
    many = zip_bytes({f"x/{i}.xml": b"<a/>" for i in range(1001)})
    with pytest.raises(UserFacingError, match="条目过多"):
        read_packet(many, name="many.xlsx")


def test_oversized_file_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    from app.services.packets import reader

    path = _packet(tmp_path)
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    with pytest.raises(UserFacingError, match="过大"):
        read_packet(path)


def test_entity_expansion_xml_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(_packet(tmp_path)) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    evil = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;">]>' + entries["xl/workbook.xml"].split(b"?>", 1)[1])
    with pytest.raises(UserFacingError, match="不安全"):
        read_packet(zip_bytes({**entries, "xl/workbook.xml": evil}), name="evil.xlsx")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UserFacingError, match="不存在"):
        read_packet(tmp_path / "nope.xlsx")
    with pytest.raises(UserFacingError, match="文件夹"):
        read_packet(tmp_path)


def test_wrong_sheet_dimension_is_harmless(tmp_path: Path) -> None:
    """WPS may write <dimension ref="A1"/>: calamine reads past it."""
    with zipfile.ZipFile(_packet(tmp_path)) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>',
                   entries["xl/worksheets/sheet2.xml"])
    pf = read_packet(zip_bytes({**entries, "xl/worksheets/sheet2.xml": sheet}), name="w.xlsx")
    assert pf.rows[1].values["progress"] == "=本月完成 3 家"
    assert pf.problems == []


def test_bytes_and_path_read_the_same(tmp_path: Path) -> None:
    path = _packet(tmp_path)
    a, b = read_packet(path), read_packet(path.read_bytes(), name=path.name)
    assert a.values() == b.values() and a.file_hash == b.file_hash


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_save_keeps_validation_protection_and_manifest(tmp_path: Path) -> None:
    src = _packet(tmp_path)
    out = tmp_path / "lo"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    saved = out / "p.xlsx"
    with zipfile.ZipFile(saved) as zf:
        wb = zf.read("xl/workbook.xml").decode("utf-8")
        names = dict(re.findall(r'<sheet name="([^"]+)" sheetId="\d+" state="(\w+)"', wb))
        tasks = zf.read("xl/worksheets/sheet2.xml").decode("utf-8")
        styles = zf.read("xl/styles.xml").decode("utf-8")
    assert names["_taizhang"] in ("hidden", "veryHidden")
    assert names["下拉选项"] == "hidden"
    assert re.search(r'<definedName[^>]*name="TZ_STATUS"[^>]*>下拉选项!\$A\$1:\$A\$5', wb)
    assert re.search(r'<sheetProtection sheet="true"', tasks)
    assert re.search(r'<dataValidation [^>]*sqref="G3:G5" type="list"', tasks)
    assert re.search(r'<dataValidation [^>]*sqref="H3:H5" type="decimal"', tasks)
    assert re.search(r'<dataValidation [^>]*sqref="N3:N5" type="date"', tasks)
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs")[1], re.S)
    style = dict(re.findall(r'<c r="([A-Z]+3)" s="(\d+)"', tasks))
    assert 'locked="false"' in xfs[int(style["I3"])]
    assert 'locked="false"' not in xfs[int(style["C3"])]
    pf = read_packet(saved)
    original = read_packet(src)
    assert pf.problems == []
    assert pf.values() == original.values()
    assert pf.rows[1].values["progress"] == "=本月完成 3 家"
    assert pf.rows[1].values["completed_on"] == "2021-06-15"
    assert verify_seal(SECRET, pf.manifest, pf.rows)
    assert pf.sheet_states[SHEET_TASKS] == "visible"


def test_packet_size_is_reasonable() -> None:
    rows = sample_rows(200)
    data = packet_bytes(sealed(sample_manifest(), rows), rows)
    assert len(data) < 200_000


def _uno_python() -> str | None:
    for exe in ("/usr/bin/python3",):
        if Path(exe).exists() and shutil.which("soffice") and subprocess.run(
                [exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    return None


@pytest.mark.skipif(_uno_python() is None, reason="LibreOffice with Python UNO not installed")
def test_opened_in_libreoffice_inputs_are_unlocked_with_dropdowns(tmp_path: Path) -> None:
    import json

    path = _packet(tmp_path)
    tool = Path(__file__).resolve().parents[3] / "tools" / "check_packet_lo.py"
    filled = tmp_path / "filled.xlsx"
    run = subprocess.run([_uno_python(), str(tool), str(path), "--fill", str(filled)],
                         capture_output=True, text=True, timeout=300, check=True)
    report = json.loads(run.stdout)
    tasks = report["sheets"][SHEET_TASKS]
    assert tasks["protected"] and tasks["input_cell_typed"]
    cells = tasks["row3"]
    assert all(cells[h]["locked"] for h in ("序号", "领域", "任务内容", "牵头/配合", "完成时限",
                                            "目标", "行标识"))
    assert cells["进展状态"] == {"locked": False, "validation": "LIST", "source": "TZ_STATUS",
                               "dropdown": True}
    assert not cells["完成进度(%)"]["locked"] and cells["完成进度(%)"]["validation"] == "DECIMAL"
    assert not cells["完成日期"]["locked"] and cells["完成日期"]["validation"] == "DATE"
    assert all(not cells[h]["locked"] for h in ("本期进展", "存在问题", "下步计划", "责任人",
                                                "联系电话"))
    assert "TZ_STATUS" in report["named_ranges"]
    assert not report["sheets"]["_taizhang"]["visible"]
    assert report["sheets"]["指标填报"]["row3"]["本期数值"]["validation"] == "DECIMAL"
    # typed and saved in LibreOffice, read back by the district's reader
    pf = read_packet(filled)
    assert pf.problems == []
    assert pf.rows[0].values == {
        "status": "in_progress", "percent": 60.0, "progress": "在 LibreOffice 里填写:完成 3 家",
        "problems": "=资金未到位", "next_steps": "", "responsible": "",
        "phone": "13800000000", "completed_on": "2021-06-30"}
    assert verify_seal(SECRET, pf.manifest, pf.rows)


def _typed_percent(tmp_path: Path, cells: dict[str, tuple[object, str]]) -> Path:
    """The packet with 完成进度 cells set as Excel stores a typed "60%" (0.6, format 0%)."""
    import openpyxl

    path = _packet(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_TASKS]
    for ref, (value, fmt) in cells.items():
        ws[ref].value = value
        ws[ref].number_format = fmt
    out = tmp_path / "typed.xlsx"
    wb.save(out)
    return out


def test_percent_formatted_cell_is_read_as_the_percent_shown(tmp_path: Path) -> None:
    path = _typed_percent(tmp_path, {"H3": (0.6, "0%"), "H4": (0.555, "0.0%"),
                                     "H5": (0.6, "General")})
    pf = read_packet(path)
    assert pf.problems == []
    assert [r.values["percent"] for r in pf.rows[:3]] == [60.0, 55.5, 0.6]
    assert [r.percent_format for r in pf.rows[:3]] == [True, True, False]


def test_quoted_or_escaped_percent_sign_is_not_a_percent_format(tmp_path: Path) -> None:
    path = _typed_percent(tmp_path, {"H3": (60, '0"%"'), "H4": (55, "0\\%")})
    pf = read_packet(path)
    assert [r.values["percent"] for r in pf.rows[:2]] == [60.0, 55.0]


def test_percent_over_100_after_conversion_is_refused_with_the_cell(tmp_path: Path) -> None:
    pf = read_packet(_typed_percent(tmp_path, {"H3": (1.5, "0%")}))
    assert [(p.cell, "0–100" in p.message) for p in pf.errors] == [("H3", True)]


def _styles_zip(styles: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/styles.xml", styles)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def test_percent_styles_are_found_however_the_styles_part_writes_them() -> None:
    """The reader skips parsing styles.xml when nothing in it can make a percent format;
    a percent sign written as a character reference, or a built-in percent id in single
    quotes, is still found."""
    from app.services.packets.reader import percent_styles

    ns = b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    escaped = (ns + b'<numFmts count="1"><numFmt numFmtId="164" formatCode="0.0&#37;"/>'
               b'</numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/>'
               b"</cellXfs></styleSheet>")
    builtin = (ns + b"<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId='2'/>"
               b"<xf numFmtId='10'/></cellXfs></styleSheet>")
    plain = (ns + b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
             b"</styleSheet>")
    assert percent_styles(_styles_zip(escaped)) == {1}
    assert percent_styles(_styles_zip(builtin)) == {2}
    assert percent_styles(_styles_zip(plain)) == frozenset()
    assert percent_styles(_styles_zip(b""), builtin) == {2}


# ---------------------------------------------------------------- the column-wise passes

def _facts(path: Path) -> tuple[object, ...]:
    pf = read_packet(path)
    return (pf.manifest, [(r.key, r.fixed, r.values, list(r.values), r.cells, r.sheet, r.row,
                           r.percent_format, r.editable, r.comments, r.fixed_json)
                          for r in pf.rows],
            [(p.sheet, p.cell, p.message, p.severity, p.key, p.field) for p in pf.problems],
            pf.titles, verify_seal(SECRET, pf.manifest, pf.rows))


def test_column_passes_read_as_the_line_by_line_ones(tmp_path: Path, monkeypatch) -> None:
    """The manifest's rows and the rows found by key are read column by column when the
    packet is as issued or filled in place; the line-by-line passes (which also name what
    is odd) give the same rows, values and problems in the same order."""
    import openpyxl

    from app.services.packets import reader

    rows = sample_rows(4)
    made = sealed(sample_manifest(), rows)
    plain = write_packet(tmp_path / "plain.xlsx", made, rows).path
    edited = write_packet(tmp_path / "edited.xlsx", made, rows).path
    edit_with_openpyxl(edited, {(SHEET_TASKS, "G3"): "已完成", (SHEET_TASKS, "H3"): 0.6,
                                (SHEET_TASKS, "H4"): 150, (SHEET_TASKS, "I4"): "=A1&B1",
                                (SHEET_TASKS, "C5"): "改过", (SHEET_TASKS, "N3"): "下个月",
                                (SHEET_TASKS, "M5"): 13912345678, (SHEET_TASKS, "I6"): "a\u200bb"})
    moved = write_packet(tmp_path / "moved.xlsx", made, rows).path
    wb = openpyxl.load_workbook(moved)
    wb[SHEET_TASKS].insert_rows(4)
    wb[SHEET_TASKS]["I4"] = "自己加的一行"
    wb.save(moved)
    for path in (plain, edited, moved):
        reader._clear_caches()
        fast = _facts(path)
        with monkeypatch.context() as m:
            m.setattr(reader, "_manifest_rows", lambda _body: None)
            m.setattr(reader, "_found_rows", lambda *_a: None)
            reader._clear_caches()
            assert _facts(path) == fast, path.name
    # problems in row order, a row's fixed cells before its inputs, inputs in sheet order
    assert [(c, s) for _sh, c, _m, s, _k, _f in _facts(edited)[2]] == [
        ("N3", "error"), ("H4", "error"), ("I4", "error"), ("C5", "warning")]


@pytest.mark.parametrize(("cell", "text"), [("F21", "5"), ("G21", "[1]"), ("G21", '"说明"'),
                                            ("E21", "[" * 5000 + "]" * 5000),
                                            ("C21", "第三行")])
def test_broken_manifest_row_is_refused_in_chinese(tmp_path: Path, cell: str, text: str
                                                   ) -> None:
    """A manifest row whose correction fields, content or row number are not what the
    writer puts there is refused as a damaged manifest (once an AttributeError or a
    RecursionError escaped instead)."""
    rows = sample_rows(2)
    path = write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path
    edit_with_openpyxl(path, {("_taizhang", cell): text})
    with pytest.raises(UserFacingError, match="标识信息已损坏") as info:
        read_packet(path)
    assert info.value.sheet == "_taizhang"


def test_remembered_content_does_not_hide_a_changed_manifest(tmp_path: Path) -> None:
    """After a clean packet of the issue is read (its manifest texts and their hashes
    remembered), a copy whose manifest content was changed under the same hash, or whose
    hash was swapped for another row's, is still refused; one whose fixed cell was
    edited still gets its warning."""
    from app.services.packets import reader

    rows = sample_rows(3)
    made = sealed(sample_manifest(), rows)
    clean = write_packet(tmp_path / "clean.xlsx", made, rows).path
    reader._clear_caches()
    assert read_packet(clean).problems == []
    content = write_packet(tmp_path / "content.xlsx", made, rows).path
    edit_with_openpyxl(content, {("_taizhang", "E21"): '{"code": "9"}'})
    swapped = write_packet(tmp_path / "swapped.xlsx", made, rows).path
    edit_with_openpyxl(swapped, {("_taizhang", "D21"): _manifest_cell(clean, "D22")})
    for path in (content, swapped):
        with pytest.raises(UserFacingError, match="标识信息已损坏"):
            read_packet(path)
    fixed_cell = write_packet(tmp_path / "fixed.xlsx", made, rows).path
    edit_with_openpyxl(fixed_cell, {(SHEET_TASKS, "C3"): "改过的任务内容"})
    pf = read_packet(fixed_cell)
    assert [(p.cell, p.severity) for p in pf.problems] == [("C3", "warning")]
    assert pf.rows[0].fixed == read_packet(clean).rows[0].fixed
    assert verify_seal(SECRET, pf.manifest, pf.rows)


def _manifest_cell(path: Path, cell: str) -> object:
    import openpyxl

    return openpyxl.load_workbook(path)["_taizhang"][cell].value


def test_manifest_texts_worked_out_together_as_one_by_one() -> None:
    """A packet of new content has its manifest rows' JSON scanned, encoded and hashed
    column-wise (`_fixed_json_many`): the same (content, hash, bytes) as one text at a time,
    with some texts already remembered, a text twice, and texts the scanner does not take
    whole (then json.loads decides, or refuses)."""
    from app.services.packets import reader

    texts = ['{"code":"1","text":"任务一"}', '{"code":"2","text":"任务二"}',
             '{"code":"1","text":"任务一"}', ' {"code":"3"}', '{"code":"4"} ']
    reader._clear_caches()
    expected = [reader._fixed_json_new(t, None) for t in texts]
    for known_first in (0, 1, 2):
        reader._clear_caches()
        for t in texts[:known_first]:
            reader._fixed_json_new(t, None)
        known = list(map(reader._FIXED_JSON.get, texts))
        assert reader._fixed_json_many(texts, known) == expected
    for broken in ('{"code":"1"} x', "", "[" * 5000 + "]" * 5000):
        reader._clear_caches()
        with pytest.raises((ValueError, RecursionError)):
            reader._fixed_json_many([texts[0], broken], [None, None])
