"""Export → edit in Excel → import: the plan comes back as it was (or as edited)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.services.db import Database, database_location, open_database
from app.services.plans.examples import load_example
from app.services.plans.export import export_plan
from app.services.plans.importing.matching import preview_import
from app.services.plans.importing.writing import import_plan_workbook
from app.services.plans.query import get_plan, insert_plan, plans_json

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=180)


def shown(db: Path, plan_id: int) -> dict[str, Any]:
    result = run("plan", "show", "--db", str(db), "--plan", str(plan_id), "--json")
    assert result.returncode == 0, result.stderr
    plan: dict[str, Any] = json.loads(result.stdout)["plans"][0]
    plan.pop("id")
    return plan


def test_tianning_round_trip_through_the_command_line(tmp_path: Path) -> None:
    """`plan export` then `plan import` (into a new database and into the same one) gives
    the same `plan show --json`."""
    db, fresh, book = tmp_path / "t.db", tmp_path / "fresh.db", tmp_path / "tianning.xlsx"
    assert run("init", "--db", str(db), "--example", "tianning").returncode == 0
    assert run("init", "--db", str(fresh)).returncode == 0
    exported = run("plan", "export", "--db", str(db), "--out", str(book))
    assert exported.returncode == 0, exported.stderr
    assert "任务 50,指标 51" in exported.stdout
    dry = run("plan", "import", "--db", str(fresh), "--dry-run", "--json", str(book))
    assert dry.returncode == 0, dry.stderr
    preview = json.loads(dry.stdout)
    assert preview["counts"]["tasks"] == 50 and preview["plan_id"] is None
    assert [p for p in preview["problems"] if p["level"] != "info"] == []
    assert run("plan", "show", "--db", str(fresh), "--json").stdout.count('"title"') == 0
    for target in (fresh, db):
        imported = run("plan", "import", "--db", str(target), str(book))
        assert imported.returncode == 0, imported.stderr
    original = shown(db, 1)
    assert shown(fresh, 1) == original
    assert shown(db, 2) == original
    assert len(original["periods"]) == 34 and len(original["units"]) == 39


def test_zhonglou_round_trip(tmp_path: Path, db: Database) -> None:
    source = open_database(tmp_path / "z.db")
    plan_id = load_example(source, "zhonglou")
    export_plan(source, plan_id, tmp_path / "z.xlsx")
    result = import_plan_workbook(db, tmp_path / "z.xlsx")
    a = plans_json(source, plan_id)["plans"][0]
    b = plans_json(db, result.plan_id)["plans"][0]
    source.dispose()
    a.pop("id"), b.pop("id")
    assert a == b


ODD_PLAN: dict[str, Any] = {
    "title": "测试方案(季度)", "issuer": "某区人民政府", "office": "区创建办",
    "frequency": "quarter", "deadline_day": 10, "first_period": "2022-01",
    "last_period": "2022-12",
    "units": [{"name": "区农业农村局(水利局)", "kind": "department", "aliases": ["农业农村局"]},
              {"name": "开发区", "kind": "zone"}, {"name": "郑陆镇", "kind": "town"}],
    "sections": [{"code": "A", "title": "一级", "children": [
        {"code": "A.1", "title": "二级", "children": [
            {"code": "A.1.x", "title": "三级", "children": []}]}]},
        {"code": "B", "title": "空领域", "children": []}],
    "tasks": [
        {"code": "A-01", "section": "A.1.x", "text": "=SUM(A1:A3) 看起来像公式的文字\n第二行。",
         "lead": ["区农业农村局(水利局)"], "cooperating": ["开发区"],
         "implementing": ["郑陆镇"], "deadline": "2022-05-31", "target": "≥95%"},
        {"code": "2", "section": None, "text": "没有领域、没有单位的任务。", "deadline": "2022-12"},
        {"code": "3", "section": "A", "text": "一级领域下的任务(开发区牵头)"},
    ],
    "indicators": [
        {"code": "1", "name": "上级", "domain": "领域甲", "category": "类别乙", "target": "x",
         "target_year": 2023, "children": [
             {"code": "9", "name": "序号不按上级编的子指标", "unit": "%", "standard": "≤0.5",
              "target": "0.4", "target_year": 2022}]},
        {"code": "1.5", "name": "序号像子指标的一级指标", "standard": "制定实施", "lead": ["开发区"]},
    ],
}


def test_unusual_plans_round_trip(tmp_path: Path, db: Database) -> None:
    """Codes that are not numbers, three section levels, an empty section, a child
    indicator whose code does not start with its parent's, mixed target years, text that
    looks like a formula, a task without units or section."""
    with Session(db) as s, s.begin():
        plan_id = insert_plan(s, ODD_PLAN)
    path = tmp_path / "odd.xlsx"
    export_plan(db, plan_id, path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["方案信息", "任务分解表", "指标表", "单位", "领域"]
    ws = wb["指标表"]
    assert [c.value for c in ws[2]][-1] == "上级序号" and "目标年份" in [c.value for c in ws[2]]
    assert wb["任务分解表"]["E3"].data_type == "s"
    other = open_database(tmp_path / "other.db")
    result = import_plan_workbook(other, path)
    a = plans_json(db, plan_id)["plans"][0]
    b = plans_json(other, result.plan_id)["plans"][0]
    other.dispose()
    a.pop("id"), b.pop("id")
    assert a == b


def test_a_plan_edited_in_excel_comes_back_edited(tmp_path: Path, tianning: Database) -> None:
    path = tmp_path / "t.xlsx"
    export_plan(tianning, 1, path)
    wb = load_workbook(path)
    ws = wb["任务分解表"]
    header = [c.value for c in ws[2]]
    col = {name: i + 1 for i, name in enumerate(header)}
    last = max(r for r in range(3, ws.max_row + 1)
               if ws.cell(r, 1).value and not str(ws.cell(r, 1).value).startswith("注"))
    ws.cell(3, col["牵头单位"], "区发改局、区工信局")
    ws.insert_rows(last + 1)
    new = last + 1
    ws.cell(new, col["序号"], "6.4")
    ws.cell(new, col["领域"], "提升生态文化品质")
    ws.cell(new, col["任务内容"], "新增一项任务。")
    ws.cell(new, col["牵头单位"], "区教育局")
    ws.cell(new, col["完成时限"], "2023年6月底前")
    wb.save(path)
    result = import_plan_workbook(tianning, path)
    info = get_plan(tianning, result.plan_id)
    by = {t.code: t for t in info.tasks}
    assert by["1.1"].lead == ("区发改局", "区工信局")
    assert (by["6.4"].text, by["6.4"].lead, by["6.4"].deadline) == ("新增一项任务。", ("区教育局",),
                                                                 "2023-06")
    assert by["6.4"].section == "提升生态文化品质"


def test_duplicate_codes_in_an_exported_workbook_are_errors(tmp_path: Path,
                                                            tianning: Database) -> None:
    path = tmp_path / "t.xlsx"
    export_plan(tianning, 1, path)
    wb = load_workbook(path)
    wb["任务分解表"]["A4"] = "1.1"
    wb.save(path)
    preview = preview_import(tianning, path)
    assert [(p.severity, p.message) for p in preview.parsed.errors] == [("error", "序号“1.1”重复。")]
    before = len(plans_json(tianning)["plans"])
    with pytest.raises(UserFacingError, match="1 处错误"):
        import_plan_workbook(tianning, path)
    assert len(plans_json(tianning)["plans"]) == before
    result = run("plan", "import", "--db", database_location(tianning), str(path))
    assert result.returncode == 1 and "错误" in result.stderr


def test_export_refuses_a_wrong_name(tmp_path: Path, tianning: Database) -> None:
    with pytest.raises(UserFacingError, match=r"\.xlsx"):
        export_plan(tianning, 1, tmp_path / "plan.xls")
    assert run("plan", "export", "--db", database_location(tianning), "--out",
               str(tmp_path / "x.csv")).returncode == 2


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_exported_plan_has_the_users_file_mode(tianning: Database, tmp_path: Path) -> None:
    import stat

    from app.services.packets.writer import USER_FILE_MODE

    out = tmp_path / "方案.xlsx"
    export_plan(tianning, 1, out)
    assert stat.S_IMODE(out.stat().st_mode) == USER_FILE_MODE
