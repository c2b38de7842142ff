"""Office mode: open a packet, fill through the services, export, read back at the district."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from packet_helpers import add_small_plan, edit_with_openpyxl
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli.main import main
from app.core.errors import UserFacingError
from app.models import AuditLog, Flag, Packet, Period, Plan, ProgressEntry, Task, Unit
from app.services.db import Database, open_database
from app.services.district.issue import issue_correction, issue_packets
from app.services.office.export import (
    edited_since_export,
    export_packet,
    preflight,
    suggested_export_name,
)
from app.services.office.forms import (
    list_indicators,
    list_tasks,
    office_info,
    save_indicator,
    save_task,
)
from app.services.office.opening import open_packet
from app.services.office.role import database_role
from app.services.packets import read_packet, verify_seal
from app.services.packets.format import SHEET_TASKS


@pytest.fixture
def district(db: Database) -> Database:
    add_small_plan(db)
    return db


@pytest.fixture
def office(tmp_path: Path) -> Database:
    engine = open_database(tmp_path / "office" / "青龙街道.db")
    yield engine
    engine.dispose()


def _issue(district: Database, tmp_path: Path, period: str = "2021-06",
           unit: str = "青龙街道") -> Path:
    return issue_packets(district, period, tmp_path / "issued", units=[unit]).packets[0].path


def _secret(district: Database) -> str:
    with Session(district) as s:
        secret = s.scalar(select(Plan.secret))
        assert secret
        return secret


FILLED = {
    "status": "推进中", "percent": "62.5", "progress": "完成 VOCs 治理 7 家;“一企一策”。\n第二行",
    "problems": "=资金未到位", "next_steps": "7 月底前完成剩余 5 家", "responsible": "王晓红",
    "phone": "0519-86661234", "completed_on": "",
}


def _fill_everything(office: Database, period: str = "2021-06") -> None:
    for t in list_tasks(office, period):
        values = dict(FILLED)
        if t.code == "2":
            values.update(status="已完成", percent=100, completed_on="2021/6/28")
        result = save_task(office, period, t.key, values)
        assert result.ok, result.problems
    for i in list_indicators(office, period):
        result = save_indicator(office, period, i.key,
                                {"value": "86.3" if i.numeric else "已印发", "note": "+来源:市站"})
        assert result.ok, result.problems


def test_role_defaults_to_district(district: Database, office: Database) -> None:
    assert database_role(district) == "district"
    assert database_role(office) == "district"  # nothing opened yet


def test_open_fill_export_reads_back_exactly(district: Database, office: Database,
                                             tmp_path: Path) -> None:
    result = open_packet(office, _issue(district, tmp_path))
    assert result.new_database and result.new_period and result.tasks_added == 2
    assert result.indicators_added == 2 and result.entries_prefilled == 4
    assert database_role(office) == "office"
    tasks = list_tasks(office, "2021-06")
    assert [t.code for t in tasks] == ["1", "2"]
    assert tasks[0].role_text == "落实" and tasks[1].role_text == "牵头"
    assert tasks[0].lead == ("区住建局",) and tasks[0].overdue
    assert tasks[0].text.startswith("=开展")
    assert tasks[0].missing == ("status", "responsible", "phone")
    assert [i.code for i in list_indicators(office, "2021-06")] == ["7.1", "8"]
    with Session(office) as s, Session(district) as d:
        assert s.scalar(select(Plan.uid)) == d.scalar(select(Plan.uid))
        assert set(s.scalars(select(Task.uid))) == set(d.scalars(select(Task.uid).where(
            Task.code.in_(["1", "2"]))))
        assert s.scalar(select(Period.due)) == dt.date(2021, 7, 5)

    _fill_everything(office)
    assert preflight(office, "2021-06") == []
    out = tmp_path / "返回" / "报送.xlsx"
    exported = export_packet(office, "2021-06", out)
    assert exported.revision == 1 and exported.preflight == []
    pf = read_packet(out)
    assert pf.problems == []
    assert pf.manifest.direction == "returned" and pf.manifest.revision == 1
    assert verify_seal(_secret(district), pf.manifest, pf.rows)  # issued seal still valid
    first, second = pf.rows[0].values, pf.rows[1].values
    assert first == {"status": "in_progress", "percent": 62.5,
                     "progress": "完成 VOCs 治理 7 家;“一企一策”。\n第二行",
                     "problems": "=资金未到位", "next_steps": "7 月底前完成剩余 5 家",
                     "responsible": "王晓红", "phone": "0519-86661234", "completed_on": None}
    assert second["status"] == "completed" and second["percent"] == 100.0
    assert second["completed_on"] == "2021-06-28"
    assert [r.values for r in pf.rows if not r.is_task] == [
        {"value": "86.3", "note": "+来源:市站"}, {"value": "已印发", "note": "+来源:市站"}]

    again = export_packet(office, "2021-06", out)
    assert again.revision == 2 and read_packet(out).manifest.revision == 2
    assert office_info(office).periods[0].last_revision == 2
    with Session(office) as s:
        returned = list(s.scalars(select(Packet).where(Packet.direction == "returned")))
        assert sorted(p.revision for p in returned) == [1, 2]
        assert {p.packet_uid for p in returned} == {pf.manifest.packet_id}


def test_save_validates_fields_and_keeps_valid_ones(district: Database, office: Database,
                                                    tmp_path: Path) -> None:
    open_packet(office, _issue(district, tmp_path))
    key = list_tasks(office, "2021-06")[0].key
    r = save_task(office, "2021-06", key, {"status": "滞后", "percent": 150, "phone": "找张三",
                                           "completed_on": "六月底", "responsible": "a\nb",
                                           "progress": "有\x01控制符"})
    assert not r.ok
    fields = {p.field: p for p in r.problems if p.blocking}
    assert set(fields) == {"percent", "phone", "completed_on", "responsible", "progress"}
    assert "0–100" in fields["percent"].message and "控制字符" in fields["progress"].message
    reminders = {p.field for p in r.problems if not p.blocking}
    assert reminders == {"problems", "progress"}  # 滞后 needs problems; status changed
    assert r.changed == ("status",) and r.values["status"] == "behind"
    r = save_task(office, "2021-06", key, {"progress": "推进缓慢", "problems": "征地"})
    assert r.ok and r.problems == []
    same = save_task(office, "2021-06", key, {"progress": "推进缓慢"})
    assert same.changed == ()
    with Session(office) as s:
        audit = list(s.scalars(select(AuditLog).order_by(AuditLog.id)))
        assert [(a.field, a.old, a.new) for a in audit] == [
            ("status", None, "behind"), ("progress", "", "推进缓慢"), ("problems", "", "征地")]
        assert {a.actor_unit for a in audit} == {"青龙街道"}
    r = save_task(office, "2021-06", key, {"status": "已完成", "percent": 80})
    assert {p.field for p in r.problems} == {"percent"} and r.ok
    ind = list_indicators(office, "2021-06")[0]
    r = save_indicator(office, "2021-06", ind.indicator_id, {"value": "八十"})
    assert not r.ok and "数字" in r.problems[0].message
    r = save_indicator(office, "2021-06", ind.indicator_id, {"value": " 85.0 "})
    assert r.ok and r.values["value"] == "85"
    with pytest.raises(UserFacingError, match="没有 2021-09"):
        save_task(office, "2021-09", key, {"progress": "x"})


def test_preflight_lists_missing_entries(district: Database, office: Database,
                                         tmp_path: Path) -> None:
    open_packet(office, _issue(district, tmp_path))
    t1, t2 = list_tasks(office, "2021-06")
    save_task(office, "2021-06", t1.key, {"status": "已完成", "percent": 90, "progress": "好",
                                          "responsible": "张", "phone": "13800000000"})
    save_task(office, "2021-06", t2.key, {"status": "滞后", "responsible": "李",
                                          "phone": "13900000000"})
    items = {(i.code, i.field) for i in preflight(office, "2021-06")}
    assert items == {("1", "percent"), ("1", "completed_on"), ("2", "progress"),
                     ("2", "percent"), ("2", "problems"), ("7.1", "value"), ("8", "value")}


def test_next_period_adds_period_and_keeps_history(district: Database, office: Database,
                                                   tmp_path: Path) -> None:
    open_packet(office, _issue(district, tmp_path, "2021-06"))
    _fill_everything(office)
    result = open_packet(office, _issue(district, tmp_path, "2021-07"))
    assert result.new_period and not result.new_database and result.tasks_added == 0
    july = list_tasks(office, "2021-07")
    assert july[0].previous_period == "2021-06"
    assert july[0].previous is not None and july[0].previous["percent"] == 62.5
    assert july[0].values["progress"] == ""  # carried from the district, which has nothing
    assert list_indicators(office, "2021-07")[0].previous == {"value": "86.3",
                                                              "note": "+来源:市站"}
    assert [p.key for p in office_info(office).periods] == ["2021-07", "2021-06"]
    assert list_tasks(office, "2021-06")[0].values["percent"] == 62.5
    again = open_packet(office, _issue(district, tmp_path, "2021-06"))  # a re-issue
    assert not again.already_opened
    assert list_tasks(office, "2021-06")[0].values["percent"] == 62.5  # never overwritten


def test_same_packet_twice_changes_nothing(district: Database, office: Database,
                                           tmp_path: Path) -> None:
    path = _issue(district, tmp_path)
    open_packet(office, path)
    assert open_packet(office, path).already_opened


def test_refusals(district: Database, office: Database, tmp_path: Path) -> None:
    open_packet(office, _issue(district, tmp_path))
    with pytest.raises(UserFacingError, match="属于“青龙街道”,不能打开“茶山街道”"):
        open_packet(office, _issue(district, tmp_path, unit="茶山街道"))
    with pytest.raises(UserFacingError, match="区级数据库"):
        open_packet(district, _issue(district, tmp_path))
    out = tmp_path / "r.xlsx"
    export_packet(office, "2021-06", out)
    with pytest.raises(UserFacingError, match="已导出的报送包"):
        open_packet(office, out)
    with pytest.raises(UserFacingError, match="不是单位填报库"):
        list_tasks(district, "2021-06")


def test_export_to_a_file_open_elsewhere(district: Database, office: Database, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    open_packet(office, _issue(district, tmp_path))
    out = tmp_path / "ret" / "r.xlsx"
    out.parent.mkdir()
    out.write_bytes(b"the old file")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(UserFacingError, match="正在 Excel、WPS 或其他程序中打开"):
        export_packet(office, "2021-06", out)
    assert out.read_bytes() == b"the old file"
    assert [p.name for p in out.parent.iterdir()] == ["r.xlsx"]  # no temporary file left
    with Session(office) as s:
        assert s.scalar(select(Packet).where(Packet.direction == "returned")) is None


def test_correction_packet_in_the_office(district: Database, office: Database,
                                         tmp_path: Path) -> None:
    open_packet(office, _issue(district, tmp_path))
    _fill_everything(office)
    t1 = list_tasks(office, "2021-06")[0]
    fix = issue_correction(district, None, "2021-06", "青龙街道", tmp_path / "fix.xlsx",
                           {t1.key: {"problems"}}, {t1.key: {"problems": "请写明具体原因"}})
    result = open_packet(office, fix.path)
    assert result.kind == "correction"
    t1 = list_tasks(office, "2021-06")[0]
    assert t1.editable == frozenset({"problems"})
    assert t1.comments == {"problems": "请写明具体原因"}
    assert t1.values["progress"] == FILLED["progress"]  # the clerk's values stay
    r = save_task(office, "2021-06", t1.key, {"progress": "改", "problems": "征地拆迁未完成"})
    assert r.changed == ("problems",)
    assert [p.field for p in r.problems] == ["progress"] and "未被退回修改" in r.problems[0].message
    with Session(office) as s:
        flags = list(s.scalars(select(Flag)))
        assert [(f.field, f.comment, f.status) for f in flags] == [
            ("problems", "请写明具体原因", "open")]
    out = tmp_path / "fixed.xlsx"
    exported = export_packet(office, "2021-06", out)
    assert exported.packet_uid == fix.packet_uid and exported.revision == 1
    pf = read_packet(out)
    assert pf.manifest.kind == "correction"
    assert pf.row(t1.key).values["problems"] == "征地拆迁未完成"
    assert verify_seal(_secret(district), pf.manifest, pf.rows)


def test_packet_filled_by_hand_is_read_at_the_district(district: Database, tmp_path: Path
                                                       ) -> None:
    path = _issue(district, tmp_path)
    edit_with_openpyxl(path, {(SHEET_TASKS, "G3"): "推进中", (SHEET_TASKS, "H3"): 45,
                              (SHEET_TASKS, "I3"): "手工填写的进展", (SHEET_TASKS, "N4"):
                              dt.datetime(2021, 6, 30)}, out=tmp_path / "hand.xlsx")
    pf = read_packet(tmp_path / "hand.xlsx")
    assert pf.problems == []
    assert pf.manifest.direction == "issued" and pf.manifest.revision == 0
    assert pf.rows[0].values["progress"] == "手工填写的进展"
    assert pf.rows[0].values["percent"] == 45.0
    assert pf.rows[1].values["completed_on"] == "2021-06-30"
    assert verify_seal(_secret(district), pf.manifest, pf.rows)


def test_suggested_name(district: Database, office: Database, tmp_path: Path) -> None:
    open_packet(office, _issue(district, tmp_path))
    assert suggested_export_name(office, "2021-06") == "2021-06_青龙街道_测试方案_报送.xlsx"


def test_cli_office(district: Database, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    packet = _issue(district, tmp_path)
    db = tmp_path / "o.db"
    assert main(["office", "open", "--db", str(db), str(packet)]) == 0
    assert "已载入 青龙街道" in capsys.readouterr().out
    out = tmp_path / "r.xlsx"
    assert main(["office", "export", "--db", str(db), "--period", "2021-06",
                 "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "第 1 版" in captured.out and "请选择进展状态" in captured.err
    assert read_packet(out).manifest.revision == 1
    assert main(["office", "export", "--db", str(db), "--period", "2021-06",
                 "--out", str(tmp_path / "r.txt")]) == 2
    assert main(["office", "open", "--db", str(db), str(tmp_path / "missing.xlsx")]) == 2
    assert main(["office", "export", "--db", str(db), "--period", "2021-09",
                 "--out", str(out)]) == 1
    assert main(["office"]) == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_text("x", "utf-8")
    assert main(["office", "open", "--db", str(db), str(bad)]) == 1
    assert "不是 Excel 工作簿" in capsys.readouterr().err


def test_units_are_not_duplicated(district: Database, office: Database, tmp_path: Path) -> None:
    open_packet(office, _issue(district, tmp_path, "2021-06"))
    open_packet(office, _issue(district, tmp_path, "2021-07"))
    with Session(office) as s:
        names = list(s.scalars(select(Unit.name)))
        assert len(names) == len(set(names)) and "青龙街道" in names
        assert s.scalar(select(ProgressEntry.packet_id)).endswith(":issued:0")


def test_fraction_of_last_periods_percent_is_a_reminder(district: Database, office: Database,
                                                        tmp_path: Path) -> None:
    """June said 62.5; July's "0.6" is stored (it may be meant) with a reminder to check."""
    open_packet(office, _issue(district, tmp_path, "2021-06"))
    _fill_everything(office)
    open_packet(office, _issue(district, tmp_path, "2021-07"))
    key = list_tasks(office, "2021-07")[0].key
    r = save_task(office, "2021-07", key, {"percent": "0.6"})
    assert r.ok and r.values["percent"] == 0.6
    assert [(p.field, p.blocking) for p in r.problems] == [("percent", False)]
    assert "60%" in r.problems[0].message and "请填写 60" in r.problems[0].message
    # not a fraction (below last period, they get 台账's reminder to explain in 存在问题)
    for typed in ("60%", "0"):
        problems = save_task(office, "2021-07", key, {"percent": typed}).problems
        assert [p.field for p in problems] == ["problems"], typed
        assert "低于上期(62.5%)" in problems[0].message
    # the first period has nothing to compare with: no reminder
    first = list_tasks(office, "2021-06")[0].key
    assert save_task(office, "2021-06", first, {"percent": "0.5"}).problems == []


def test_progress_below_last_period_reminds_to_explain_in_problems(
        ledger_db: Database, tmp_path: Path) -> None:
    """台账: going backwards is a reminder (not a block) to explain in 存在问题."""
    from merge_helpers import issue, row_keys

    path = issue(ledger_db, "2021-07", ["青龙街道"], tmp_path)["青龙街道"]
    key = row_keys(path)[0]  # 33% in June, carried into the July packet
    office = open_database(tmp_path / "office.db")
    try:
        open_packet(office, path)
        result = save_task(office, "2021-07", key, {"status": "in_progress", "percent": "20"})
        [reminder] = [p for p in result.problems if "低于上期" in p.message]
        assert reminder.field == "problems" and not reminder.blocking
        assert "33%" in reminder.message
        explained = save_task(office, "2021-07", key, {"problems": "统计口径调整"})
        assert not [p for p in explained.problems if "低于上期" in p.message]
        up = save_task(office, "2021-07", key, {"percent": "40", "problems": ""})
        assert not [p for p in up.problems if "低于上期" in p.message]
    finally:
        office.dispose()


def test_edits_after_an_export_are_noticed_until_the_next_export(
        district: Database, office: Database, tmp_path: Path) -> None:
    """The clerk's cue to export again: what the form holds against the values the last
    return packet carried (the ledger's copy), not mere saving."""
    open_packet(office, _issue(district, tmp_path))
    assert not edited_since_export(office, "2021-06")  # nothing exported yet
    _fill_everything(office)
    export_packet(office, "2021-06", tmp_path / "第1版.xlsx")
    assert not edited_since_export(office, "2021-06")
    task = list_tasks(office, "2021-06")[0]
    save_task(office, "2021-06", task.key, {"progress": "又完成 2 家"})
    assert edited_since_export(office, "2021-06")
    save_task(office, "2021-06", task.key, {"progress": FILLED["progress"]})  # typed back
    assert not edited_since_export(office, "2021-06")
    indicator = list_indicators(office, "2021-06")[0]
    save_indicator(office, "2021-06", indicator.key, {"value": "90", "note": ""})
    assert edited_since_export(office, "2021-06")
    export_packet(office, "2021-06", tmp_path / "第2版.xlsx")
    assert not edited_since_export(office, "2021-06")
