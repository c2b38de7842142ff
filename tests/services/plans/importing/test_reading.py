"""Reading plan workbooks laid out by people (fixtures from the seeds, layouts built here),
and workbooks that hold no plan."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import opencc
import pytest
from openpyxl import Workbook
from plan_helpers import Rows, assert_refused, counts, workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Unit, UnitAlias
from app.services.db import Database
from app.services.plans.importing.matching import preview_import
from app.services.plans.importing.reading import read_plan_workbook
from app.services.plans.importing.writing import apply_import, import_plan_workbook
from app.services.plans.query import get_plan, plans_json

ROOT = Path(__file__).resolve().parents[4]
FIXTURES = ROOT / "tests" / "fixtures" / "plans"
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "app" / "resources" / "examples"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not found")
T2S = opencc.OpenCC("t2s").convert


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes().decode("utf-8", errors="replace")


# ---------------------------------------------------------------- 002 唐山, traditional


@needs_seeds
def test_tangshan_traditional_workbook(db: Database) -> None:
    """38 numbered tasks in 6 systems; leads read from "(牽頭單位:…)" in the seed itself."""
    text = seed("002")
    body = text[text.index("三、主要任務"):text.index("四、保障措施")]
    expected: dict[str, list[str]] = {}
    number = ""
    for line in body.split("\n"):
        m = re.match(r"^(\d+)、", line)
        if m:
            number = m.group(1)
        for leads in re.findall(r"\(牽頭單位:(.*?)\)", line):
            for name in T2S(leads).replace("按职责牵头", "").split("、"):
                if name not in expected.setdefault(number, []):
                    expected[number].append(name)
    systems = re.findall(r"^\([一二三四五六]\)", body, re.M)
    assert (len(expected), len(systems)) == (38, 6)
    # the seed spells five units two ways; a person reads them as one unit each
    same = {"市发展改革委": "市发改委", "市交通运输局": "市交通局", "市住房和城乡建设局": "市住建局",
            "市城市管理综合行政执法局": "市城管执法局", "市工业和信息化局": "市工信局"}
    units = {same.get(n, n) for names in expected.values() for n in names}
    assert len(units) == 20

    result = import_plan_workbook(db, FIXTURES / "tangshan_2022.xlsx")
    info = get_plan(db, result.plan_id)
    assert (result.tasks, result.sections, result.indicators, result.units) == (38, 6, 0, 20)
    assert info.plan.title == "唐山市创建国家生态文明建设示范市2022年度工作方案"  # simplified
    assert {u.name for u in info.units} == units
    for task in info.tasks:
        assert list(task.lead) == list(dict.fromkeys(same.get(n, n) for n in expected[task.code]))
        assert "牵头单位" not in task.text and task.deadline == "2022-12"
    first = info.tasks[0]
    assert first.text.startswith("强化政府目标责任制。") and first.target == "≥20%"
    assert info.tasks[1].text.count("\n") == 2  # three paragraphs under one merged 序號
    assert info.sections[0].title == "建立健全监管制度,构建生态制度体系"
    assert [p.key for p in info.periods][:2] == ["2022-01", "2022-02"]
    with Session(db) as s:
        aliases = {a: n for a, n in s.execute(select(UnitAlias.alias, Unit.name).join(Unit))}
    assert aliases == same


# ---------------------------------------------------------------- 003 无锡 整改方案


def test_wuxi_rectification_two_row_header(db: Database) -> None:
    sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
    from make_plan_workbooks import WUXI_UNITS  # the units this fixture assigns

    preview = preview_import(db, FIXTURES / "wuxi_rectification.xlsx")
    sheet = preview.parsed.sheets[0]
    assert (sheet.kind, sheet.header_row) == ("tasks", 5)
    assert sheet.columns["lead"] == "F" and sheet.columns["cooperating"] == "G"
    collective = [p for p in preview.problems if "不是具体单位" in p.message]
    assert [p.where for p in collective] == ["[整改任务清单]G10", "[整改任务清单]G22"]
    result = apply_import(db, preview)
    info = get_plan(db, result.plan_id)
    assert (result.tasks, result.sections) == (22, 6)
    assert [len([t for t in info.tasks if t.section_id == s.id]) for s in info.sections] == [
        4, 2, 6, 5, 4, 1]
    same = {"市发展改革委": "市发改委", "市工信局": "市工业和信息化局", "市住房和城乡建设局": "市住建局"}
    for task, key in zip(info.tasks, sorted(WUXI_UNITS), strict=True):
        lead, coop, _, target = WUXI_UNITS[key]
        assert task.code == f"{key[0]}.{key[1]}"

        def names(cell: str) -> list[str]:
            out = []
            for n in re.split(r"[、,,]", cell.replace("按职责分别牵头", "").replace("等", "")):
                if n and not n.startswith("各市"):
                    out.append(same.get(n, n))
            return out

        assert list(task.lead) == names(lead)
        assert list(task.cooperating) == names(coop)
        assert task.target == (target or None)
    assert result.units == 21
    assert info.tasks[0].deadline is None  # 长期坚持
    assert info.tasks[8].deadline == "2019-06"  # 2019年6月底前


# ---------------------------------------------------------------- 004 钟楼, by department


@needs_seeds
def test_zhonglou_by_department(db: Database) -> None:
    text = seed("004")
    text = text[text.index("目标任务明确如下"):text.index("【打印本页】")]
    departments: list[tuple[str, int]] = []
    for line in text.split("\n"):
        m = re.match(r"^[一二三四五六七八九十]+、(.+)$", line.strip())
        if m:
            departments.append((m.group(1), 0))
        elif re.match(r"^\d+\. ", line.strip()):
            name, n = departments[-1]
            departments[-1] = (name, n + 1)
    assert (len(departments), sum(n for _, n in departments)) == (16, 123)

    result = import_plan_workbook(db, FIXTURES / "zhonglou_departments.xlsx")
    info = get_plan(db, result.plan_id)
    assert (result.tasks, result.units) == (123, 16)
    assert {u.name for u in info.units} == {name for name, _ in departments}
    i = 0
    for g, (name, n) in enumerate(departments, 1):
        for k in range(1, n + 1):
            task = info.tasks[i]
            assert task.code == f"{g}.{k}"  # numbering restarts per department
            assert task.lead == (name,)
            i += 1
    by_code = {t.code: t for t in info.tasks}
    assert by_code["3.3"].deadline == "2021-10"  # "4月底前、10月底前" in a 2021 plan
    assert by_code["5.5"].cooperating == ("区教育局", "区卫健局", "区机关事务管理中心")


# ---------------------------------------------------------------- 000 天宁 附件2 + 附件3


def test_tianning_annexes_match_the_example_plan(tianning: Database) -> None:
    """Imported into the database holding the tianning example, every unit is recognised
    (names, stored aliases, 资规/区市场监管局 spellings) and the plan equals the example."""
    before_units = counts(tianning)[1]
    preview = preview_import(tianning, FIXTURES / "tianning_annex.xlsx")
    assert {d.action for d in preview.units} == {"existing"}
    assert [p.message for p in preview.problems if p.severity == "warning"] == [
        "“各相关部门”不是具体单位,未导入。", "“镇”不是具体单位,未导入。", "“各街道”不是具体单位,未导入。"]
    result = apply_import(tianning, preview)
    assert counts(tianning)[1] == before_units
    example = json.loads((EXAMPLES / "tianning.json").read_text("utf-8"))
    got = plans_json(tianning, result.plan_id)["plans"][0]
    want = plans_json(tianning, 1)["plans"][0]
    assert (len(got["tasks"]), len(got["indicators"])) == (50, 51)
    assert len([i for i in got["indicators"] if i["parent"] is None]) == len(
        example["indicators"]) == 34
    for key in ("sections", "tasks", "indicators"):
        assert got[key] == want[key], key


def test_indicator_standards_are_parsed(tianning: Database) -> None:
    result = import_plan_workbook(tianning, FIXTURES / "tianning_annex.xlsx")
    info = get_plan(tianning, result.plan_id)
    by = {i.code: i for i in info.indicators}
    assert (by["3"].standard, by["3"].comparator, by["3"].threshold) == ("≥20", ">=", 20.0)
    assert (by["9"].standard, by["9"].comparator, by["9"].threshold) == ("≥60", ">=", 60.0)  # ≧
    assert (by["5"].comparator, by["5"].threshold) == (">=", 100.0)
    assert (by["1"].standard, by["1"].comparator) == ("制定实施", None)
    assert (by["7"].parent_id, by["7.1"].parent_id) == (None, by["7"].id)
    assert by["7.1"].target_year == 2022 and by["7"].target_year is None


# ---------------------------------------------------------------- layouts built here

def test_header_synonyms_and_notes(tmp_path: Path, db: Database) -> None:
    path = workbook(tmp_path, [
        ["2023年重点工作任务清单"],
        [],
        ["编号", "类别", "工作内容", "责任单位", "协办单位", "落实单位", "时间节点", "目标值", "备注"],
        ["1、", "大气", "推进VOCs治理。", "区生态环境局", "区工信局", "各街道", "2023年6月", "30家", "x"],
        [None, None, "编号空着的任务。", "区住建局", None, None, "长期坚持", None, None],
        [],
        ["编号", "类别", "工作内容", "责任单位", "协办单位", "落实单位", "时间节点", "目标值", "备注"],
        ["2、", "水", "整治黑臭水体。", "区水利局、区住建局", None, "郑陆镇", "年底前", None, None],
        ["注:1.本表由区创建办汇总。"],
        ["3", "水", "注释行以下的内容不再读取。", "区水利局", None, None, None, None, None],
    ], merges=("A1:I1", "A9:I9"))
    preview = preview_import(db, path)
    spec = preview.resolved_spec()
    assert spec["title"] == "2023年重点工作任务清单"
    assert [t["code"] for t in spec["tasks"]] == ["1.1", "1.2", "2.2"]
    assert [t["lead"] for t in spec["tasks"]] == [["区生态环境局"], ["区住建局"],
                                                  ["区水利局", "区住建局"]]
    assert spec["tasks"][0]["cooperating"] == ["区工信局"]
    assert spec["tasks"][0]["implementing"] == []  # 各街道 is a group
    assert spec["tasks"][2]["implementing"] == ["郑陆镇"]
    assert [t["deadline"] for t in spec["tasks"]] == ["2023-06", None, "2023-12"]
    assert spec["tasks"][0]["target"] == "30家"
    assert [s["title"] for s in spec["sections"]] == ["大气", "水"]
    where = {p.where: p.message for p in preview.problems}
    assert "“各街道”不是具体单位" in where["[任务]F4"]
    assert "没有序号" in where["[任务]第5行"]


def test_section_heading_rows_and_merged_numbers(tmp_path: Path, db: Database) -> None:
    path = workbook(tmp_path, [
        ["序号", "任务内容", "牵头单位", "配合单位"],
        ["一、健全制度"],
        ["(一)考核评价"],
        ["1", "第一段。", "区考核办", None],
        [None, "第二段。", "区审计局", "区财政局"],
        ["2", "另一项。", "区委组织部", None],
        ["(二)信息公开"],
        ["1", "公开信息。", None, None],
        ["二、生态安全"],
        ["1", "治理大气。(天宁生态环境局牵头,区工信局配合)", None, None],
    ], merges=("A2:D2", "A3:D3", "A4:A5", "A7:D7", "A9:D9"))
    spec = preview_import(db, path).resolved_spec()
    assert [(s["code"], s["title"], [c["title"] for c in s["children"]])
            for s in spec["sections"]] == [("1", "健全制度", ["考核评价", "信息公开"]),
                                           ("2", "生态安全", [])]
    tasks = {t["code"]: t for t in spec["tasks"]}
    assert list(tasks) == ["1.1.1", "1.1.2", "1.2.1", "2.1"]
    assert tasks["1.1.1"]["text"] == "第一段。\n第二段。"
    assert tasks["1.1.1"]["lead"] == ["区考核办", "区审计局"]
    assert tasks["1.1.1"]["cooperating"] == ["区财政局"]
    assert tasks["2.1"]["text"] == "治理大气。"
    assert (tasks["2.1"]["lead"], tasks["2.1"]["cooperating"]) == (["天宁生态环境局"], ["区工信局"])


def test_indicator_table_by_code_prefix(tmp_path: Path, db: Database) -> None:
    def fmt(wb: Workbook) -> None:
        wb.active["E4"].number_format = "0%"

    path = workbook(tmp_path, [
        ["指标表"],
        ["序号", "指标名称", "计量单位", "指标值", "目标", "指标属性", "牵头部门"],
        ["1", "空气质量", None, None, None, "约束性", "区生态环境局"],
        ["1.1", "优良天数比例", "%", "不低于80%", 0.85, None, "区生态环境局"],
        ["2", "绿色建筑比例", "%", "≧50", "100", "参考性", "区住建局等"],
    ], edit=fmt)
    preview = preview_import(db, path)
    inds = preview.resolved_spec()["indicators"]
    assert [(i["code"], [c["code"] for c in i["children"]]) for i in inds] == [
        ("1", ["1.1"]), ("2", [])]
    child = inds[0]["children"][0]
    assert (child["standard"], child["target"], child["unit"]) == ("不低于80%", "85%", "%")
    assert inds[1]["standard"] == "≥50" and inds[1]["lead"] == ["区住建局"]
    plan_id = apply_import(db, preview).plan_id
    info = get_plan(db, plan_id)
    sub = next(i for i in info.indicators if i.code == "1.1")
    assert (sub.comparator, sub.threshold, sub.target_value) == (">=", 80.0, 85.0)


def test_long_codes_units_and_attributes_are_stored_whole(tmp_path: Path, db: Database) -> None:
    """No length limit a workbook would respect (PostgreSQL refused a 单位 over 50 characters)."""
    unit = "万立方米/日(按设计处理能力折算,含已建成投运和在建且年内投运的集中式污水处理设施)" * 2
    attribute = "约束性(省级考核指标,按年度目标责任书分解到各镇街和开发区)"
    code = "1." + "1" * 40
    path = workbook(tmp_path, [
        ["指标表"],
        ["序号", "指标名称", "计量单位", "指标值", "目标", "指标属性", "牵头部门"],
        [code, "城镇污水处理能力", unit, "≥20", "25", attribute, "区住建局"],
    ])
    plan_id = import_plan_workbook(db, path).plan_id
    stored = get_plan(db, plan_id).indicators[0]
    assert (stored.code, stored.unit, stored.attribute) == (code, unit, attribute)


@pytest.mark.parametrize(("rows", "message"), [
    ([], "工作簿是空的"),
    ([["会议纪要"], ["一、参会人员"], ["张三、李四"]], "没有找到任务表或指标表的表头"),
    ([["序号", "任务内容", "牵头单位"], []], "没有读到任何任务或指标"),
], ids=["empty", "no header", "header only"])
def test_workbooks_without_a_plan_are_refused(rows: Rows, message: str, tmp_path: Path,
                                              db: Database) -> None:
    assert_refused(db, workbook(tmp_path, rows), message)


def test_read_is_pure(tmp_path: Path) -> None:
    """Reading needs no database: the spec carries the names as written."""
    path = workbook(tmp_path, [["序号", "任务内容", "牵头单位"], ["1", "甲。", "区农业农村局（水利局）"]])
    parsed = read_plan_workbook(path)
    assert parsed.spec["tasks"][0]["lead"] == ["区农业农村局(水利局)"]
    assert parsed.unit_cells == {"区农业农村局(水利局)": ["[任务]C2"]}


@needs_seeds
def test_fixture_workbooks_are_up_to_date(tmp_path: Path) -> None:
    """The committed fixtures are what make_plan_workbooks.py writes from the seeds."""
    from openpyxl import load_workbook

    script = ROOT / "tests" / "fixtures" / "make_plan_workbooks.py"
    result = subprocess.run([sys.executable, str(script), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in ("tangshan_2022", "wuxi_rectification", "zhonglou_departments",
                 "tianning_annex"):
        fresh = load_workbook(tmp_path / f"{name}.xlsx")
        kept = load_workbook(FIXTURES / f"{name}.xlsx")
        assert fresh.sheetnames == kept.sheetnames, name
        for a, b in zip(fresh.worksheets, kept.worksheets, strict=True):
            assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
            assert [[c.value for c in row] for row in a.iter_rows()] == [
                [c.value for c in row] for row in b.iter_rows()], (name, a.title)
