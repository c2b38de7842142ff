"""Writer → reader round trips, what the XML holds, and what the reader reports."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from packet_helpers import (
    SECRET,
    TRICKY,
    edit_with_openpyxl,
    sample_manifest,
    sample_rows,
    sealed,
)

from app.core.errors import UserFacingError
from app.services.packets import read_packet, verify_seal, write_packet
from app.services.packets.format import (
    FORMAT_VERSION,
    SHEET_INDICATORS,
    SHEET_MANIFEST,
    SHEET_TASKS,
)
from app.services.packets.values import normalise_value


def filled_rows():
    rows = sample_rows(7)
    for i, row in enumerate(rows):
        if row.is_task:
            row.values = {"status": ["not_started", "in_progress", "completed", "behind",
                                     "ongoing", "in_progress", None][i],
                          "percent": [0.0, 37.5, 100.0, 12.0, None, 99.9, None][i],
                          "progress": TRICKY[i], "problems": TRICKY[(i + 1) % 7],
                          "next_steps": "下一步:继续推进。" if i % 2 else "",
                          "responsible": "王小明" if i else "",
                          "phone": ["13800000000", "0519-86661234", "", "+86 139 1234 5678",
                                    "0519-8666 1234转8", "", ""][i],
                          "completed_on": "2021-06-30" if i == 2 else None}
    rows[-2].values = {"value": "23.75", "note": "=数据来源:市监测站"}
    rows[-1].values = {"value": "已制定", "note": "多行\n说明"}
    return rows


def test_round_trip_keeps_every_value_exactly(tmp_path: Path) -> None:
    rows = filled_rows()
    manifest = sealed(sample_manifest(), rows)
    written = write_packet(tmp_path / "p.xlsx", manifest, rows)
    pf = read_packet(written.path)
    assert pf.problems == []
    assert pf.file_hash == written.sha256
    assert pf.manifest == manifest
    assert [r.key for r in pf.rows] == [r.key for r in rows]
    for want, got in zip(rows, pf.rows, strict=True):
        assert got.values == want.values, want.key
        assert got.fixed == want.fixed
    assert pf.rows[0].cells["status"] == "G3"
    assert pf.row(rows[-2].key).cells["value"] == "H3"
    assert verify_seal(SECRET, pf.manifest, pf.rows)
    assert not verify_seal("another-secret", pf.manifest, pf.rows)


def test_seal_covers_identity_and_fixed_content_not_direction_or_inputs() -> None:
    rows = filled_rows()
    m = sealed(sample_manifest(), rows)
    assert verify_seal(SECRET, replace(m, direction="returned", revision=3), rows)
    rows[0].values["progress"] = "changed"
    assert verify_seal(SECRET, m, rows)
    assert not verify_seal(SECRET, replace(m, unit="茶山街道"), rows)
    assert not verify_seal(SECRET, replace(m, period="2021-07"), rows)
    rows[1].fixed["text"] = "被改过的任务内容"
    assert not verify_seal(SECRET, m, rows)
    assert not verify_seal(SECRET, replace(m, seal=""), filled_rows())


def _xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(part).decode("utf-8")


def test_xml_has_protection_validation_names_and_no_formulas(tmp_path: Path) -> None:
    rows = filled_rows()
    path = write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path
    wb = _xml(path, "xl/workbook.xml")
    assert '<workbookProtection lockStructure="1"/>' in wb
    assert re.search(r'<sheet name="_taizhang" sheetId="\d+" state="veryHidden"', wb)
    assert re.search(r'<sheet name="下拉选项" sheetId="\d+" state="hidden"', wb)
    assert "<definedName name=\"TZ_STATUS\">'下拉选项'!$A$1:$A$5</definedName>" in wb
    tasks = _xml(path, "xl/worksheets/sheet2.xml")
    assert '<sheetProtection sheet="1" objects="1" scenarios="1"' in tasks
    assert re.search(r'<dataValidation type="list"[^>]*sqref="G3:G9"', tasks)
    assert "<formula1>TZ_STATUS</formula1>" in tasks
    assert re.search(r'type="decimal"[^>]*sqref="H3:H9"', tasks)
    assert re.search(r'type="date"[^>]*sqref="N3:N9"', tasks)
    assert '<pane xSplit="1" ySplit="2"' in tasks
    assert re.search(r'<pageSetup paperSize="9"[^>]*orientation="landscape"', tasks)
    for part in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                 "xl/worksheets/sheet3.xml", "xl/worksheets/sheet5.xml"):
        assert "<f>" not in _xml(path, part)
    inds = _xml(path, "xl/worksheets/sheet3.xml")
    assert re.search(r'type="decimal"[^>]*sqref="H3"', inds)  # numeric standard only
    assert not re.search(r'type="decimal"[^>]*sqref="H4"', inds)
    # input cells use an unlocked style, fixed cells a locked one
    styles = _xml(path, "xl/styles.xml")
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs")[1], re.S)
    unlocked = {i for i, xf in enumerate(xfs) if 'locked="0"' in xf}
    cell_style = dict(re.findall(r'<c r="([A-Z]+3)" s="(\d+)"', tasks))
    assert int(cell_style["G3"]) in unlocked and int(cell_style["I3"]) in unlocked
    assert int(cell_style["A3"]) not in unlocked and int(cell_style["C3"]) not in unlocked


def test_formula_looking_text_is_stored_as_text(tmp_path: Path) -> None:
    rows = filled_rows()
    path = write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path
    shared = _xml(path, "xl/sharedStrings.xml")
    assert "<t>=1+1</t>" in shared and "<t>@全体</t>" in shared


def test_correction_packet_unlocks_only_flagged_cells(tmp_path: Path) -> None:
    rows = filled_rows()
    m = sealed(sample_manifest(kind="correction"), rows)
    key = rows[1].key
    write_packet(tmp_path / "c.xlsx", m, rows, editable={key: {"percent", "progress"}},
                 comments={key: {"percent": "进度与上月相比下降,请核实"}})
    path = tmp_path / "c.xlsx"
    tasks = _xml(path, "xl/worksheets/sheet2.xml")
    styles = _xml(path, "xl/styles.xml")
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles.split("<cellXfs")[1], re.S)
    unlocked = {i for i, xf in enumerate(xfs) if 'locked="0"' in xf}
    style = dict(re.findall(r'<c r="([A-Z]+\d+)" s="(\d+)"', tasks))
    assert int(style["H4"]) in unlocked and int(style["I4"]) in unlocked
    assert int(style["G4"]) not in unlocked and int(style["H3"]) not in unlocked
    with zipfile.ZipFile(path) as zf:
        comments = [n for n in zf.namelist() if "comments" in n]
        assert comments and "进度与上月相比下降" in zf.read(comments[0]).decode("utf-8")
    pf = read_packet(path)
    assert pf.manifest.kind == "correction"
    assert pf.row(key).editable == frozenset({"percent", "progress"})
    assert pf.row(key).comments == {"percent": "进度与上月相比下降,请核实"}
    assert pf.rows[0].editable == frozenset()
    assert pf.problems == []


def test_hand_edits_are_read_and_problems_located(tmp_path: Path) -> None:
    rows = sample_rows(3)
    path = write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path
    edit_with_openpyxl(path, {
        (SHEET_TASKS, "G3"): "已完成", (SHEET_TASKS, "H3"): 100,
        (SHEET_TASKS, "I3"): "全部完成", (SHEET_TASKS, "M3"): 13912345678,
        (SHEET_TASKS, "N3"): dt.datetime(2021, 6, 18),
        (SHEET_TASKS, "H4"): 150, (SHEET_TASKS, "N4"): "下个月",
        (SHEET_TASKS, "G5"): "差不多", (SHEET_TASKS, "I5"): "=A1&B1",
        (SHEET_TASKS, "C4"): "改过的任务内容",
        (SHEET_INDICATORS, "H3"): "二十", (SHEET_INDICATORS, "H4"): "已印发",
    })
    pf = read_packet(path)
    first = pf.rows[0].values
    assert first["status"] == "completed" and first["percent"] == 100.0
    assert first["progress"] == "全部完成" and first["phone"] == "13912345678"
    assert first["completed_on"] == "2021-06-18"
    by_cell = {(p.sheet, p.cell): p for p in pf.problems}
    assert by_cell[(SHEET_TASKS, "H4")].severity == "error"
    assert "0–100" in by_cell[(SHEET_TASKS, "H4")].message
    assert "日期" in by_cell[(SHEET_TASKS, "N4")].message
    assert "进展状态只能是" in by_cell[(SHEET_TASKS, "G5")].message
    assert "公式" in by_cell[(SHEET_TASKS, "I5")].message
    assert by_cell[(SHEET_TASKS, "C4")].severity == "warning"
    assert "固定内容被修改" in by_cell[(SHEET_TASKS, "C4")].message
    assert "数字" in by_cell[(SHEET_INDICATORS, "H3")].message
    assert "percent" not in pf.rows[1].values and "progress" not in pf.rows[2].values
    assert pf.rows[-1].values["value"] == "已印发"
    # the manifest copy, not the edited cell, is the fixed content (the seal still holds)
    assert verify_seal(SECRET, pf.manifest, pf.rows)


def test_moved_rows_still_match_by_key_and_strangers_are_reported(tmp_path: Path) -> None:
    import openpyxl

    rows = sample_rows(3)
    path = write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_TASKS]
    ws.protection.sheet = False
    ws.insert_rows(3)  # a blank row pushed everything down
    ws["O3"] = "T:not-issued-here"
    ws["I3"] = "自己加的一行"
    ws["I5"] = "第二项进展"
    ws.delete_rows(6)  # the third task row is gone
    wb.save(path)
    pf = read_packet(path)
    assert pf.rows[1].values["progress"] == "第二项进展"
    assert pf.rows[1].row == 5 and pf.rows[1].cells["progress"] == "I5"
    messages = [p.message for p in pf.errors]
    assert any("不是本包下发的行" in m for m in messages)
    assert any("缺少下发的第 2.3 项" in m for m in messages)


def test_duplicate_row_key_is_read_once(tmp_path: Path) -> None:
    rows = sample_rows(2)
    path = write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path
    edit_with_openpyxl(path, {(SHEET_TASKS, "O4"): rows[0].key, (SHEET_TASKS, "I4"): "x"})
    pf = read_packet(path)
    assert any("同一项" in p.message for p in pf.errors)
    assert any("缺少下发的第 2.2 项" in p.message for p in pf.errors)


def test_newer_format_and_damaged_manifest_are_refused(tmp_path: Path) -> None:
    rows = sample_rows(2)
    newer = write_packet(tmp_path / "n.xlsx",
                         sealed(sample_manifest(format_version=FORMAT_VERSION + 1), rows),
                         rows).path
    with pytest.raises(UserFacingError, match="更新版本"):
        read_packet(newer)
    path = write_packet(tmp_path / "p.xlsx", sealed(sample_manifest(), rows), rows).path
    edit_with_openpyxl(path, {(SHEET_MANIFEST, "E21"): '{"code": "9"}'})
    with pytest.raises(UserFacingError, match="标识信息已损坏"):
        read_packet(path)


def test_workbook_without_manifest_is_not_a_packet(tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "进展"
    wb.save(tmp_path / "plain.xlsx")
    with pytest.raises(UserFacingError, match="不是台账填报包"):
        read_packet(tmp_path / "plain.xlsx")


@pytest.mark.parametrize(("field", "raw", "value", "problem"), [
    ("percent", "60%", 60.0, None),
    ("percent", "60", 60.0, None),
    ("percent", -1, None, "0–100"),
    ("percent", "很多", None, "数字"),
    ("completed_on", "2021年6月30日", "2021-06-30", None),
    ("completed_on", "2021/6/31", None, "日期"),
    ("completed_on", 44377.0, None, "日期"),
    ("status", "滞后", "behind", None),
    ("status", "ongoing", "ongoing", None),
    ("phone", "0519-8666123", "0519-8666123", None),
    ("phone", "张三", "", "联系电话"),
    ("responsible", "张三\n李四", "", "换行"),
    ("progress", "含\x07响铃", "", "控制字符"),
    ("progress", "字" * 2001, "", "2000"),
    ("progress", "  =SUM(A1) ", "=SUM(A1)", None),
    ("value", 95.0, "95", None),
    ("note", None, "", None),
])
def test_value_rules(field: str, raw: object, value: object, problem: str | None) -> None:
    got, message = normalise_value(field, raw)
    assert got == value
    if problem is None:
        assert message is None
    else:
        assert message is not None and problem in message


@pytest.mark.parametrize("lock", [".~lock.p.xlsx#", "~$p.xlsx"])
def test_target_open_in_another_program_is_not_overwritten(tmp_path: Path, lock: str) -> None:
    rows = sample_rows(2)
    target = tmp_path / "p.xlsx"
    target.write_bytes(b"open elsewhere")
    (tmp_path / lock).write_text("owner", "utf-8")
    with pytest.raises(UserFacingError, match="正在 Excel、WPS 或其他程序中打开"):
        write_packet(target, sealed(sample_manifest(), rows), rows)
    assert target.read_bytes() == b"open elsewhere"


def test_atomic_write_replaces_whole_files_only(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.packets import writer

    rows = sample_rows(2)
    target = tmp_path / "p.xlsx"
    write_packet(target, sealed(sample_manifest(), rows), rows)
    before = target.read_bytes()

    def crash(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "fsync", crash)
    with pytest.raises(OSError):
        write_packet(target, sealed(sample_manifest(unit="茶山街道"), rows), rows)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.xlsx"]


def test_what_the_reader_remembers_changes_no_result(tmp_path: Path) -> None:
    """The reader remembers issued content (fixed texts by the manifest's row hash, parsed
    manifest rows, sheet parts) and cell values across packets: an edited packet read after
    a clean one of the same issue reports the same as when read first."""
    from app.services.packets import reader

    rows = sample_rows(3)
    manifest = sealed(sample_manifest(), rows)
    clean = write_packet(tmp_path / "clean.xlsx", manifest, rows).path
    edited = write_packet(tmp_path / "edited.xlsx", manifest, rows).path
    edit_with_openpyxl(edited, {(SHEET_TASKS, "C4"): "改过的任务内容", (SHEET_TASKS, "H4"): 150,
                                (SHEET_TASKS, "I3"): "全部完成\u200b", (SHEET_TASKS, "G3"): "已完成"})

    def facts(path: Path) -> tuple[object, ...]:
        pf = read_packet(path)
        return (pf.values(), [(p.sheet, p.cell, p.message, p.severity) for p in pf.problems],
                pf.sheet_states, [(r.key, r.fixed, r.cells, r.row) for r in pf.rows],
                verify_seal(SECRET, pf.manifest, pf.rows))

    reader._clear_caches()
    first = facts(edited)
    assert facts(clean)[1] == []
    assert facts(edited) == first
    assert ("任务进展", "C4") in [(s, c) for s, c, _m, _v in first[1]] and first[4] is True
    assert first[0][rows[0].key]["progress"] == "全部完成"
