"""Editing plans: one transaction per edit, validation, the audit log, and undo by the
inverse call."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.errors import UserFacingError
from app.models import AuditLog, Period, PlanUnit, ProgressEntry, Task, Unit
from app.services.db import Database, set_setting
from app.services.plans.edit import (
    IndicatorFields,
    PlanSettings,
    SectionFields,
    TaskFields,
    UnitFields,
    add_indicator,
    add_plan_units,
    add_section,
    add_task,
    add_unit,
    assign_units,
    create_plan,
    delete_indicator,
    delete_section,
    delete_task,
    delete_unit,
    next_task_code,
    plan_settings,
    remove_plan_units,
    restore_indicator,
    restore_section,
    restore_task,
    restore_unit,
    set_assignments,
    update_indicator,
    update_plan_settings,
    update_section,
    update_task,
    update_unit,
)
from app.services.plans.query import get_plan, plans_json


def audit(db: Database, entity: str | None = None) -> list[tuple[str, int | None, str, str | None,
                                                                  str | None, str]]:
    with Session(db) as s:
        q = select(AuditLog).order_by(AuditLog.id)
        if entity:
            q = q.where(AuditLog.entity == entity)
        return [(a.entity, a.entity_id, a.field, a.old, a.new, a.actor) for a in s.scalars(q)]


def task_by_code(db: Database, plan_id: int, code: str) -> int:
    with Session(db) as s:
        tid = s.scalar(select(Task.id).where(Task.plan_id == plan_id, Task.code == code))
    assert tid is not None
    return tid


def test_edit_a_task_then_undo_and_redo(tianning: Database) -> None:
    with Session(tianning) as s, s.begin():
        set_setting(s, "actor", "王科员")
    tid = task_by_code(tianning, 1, "1.4")
    before_json = plans_json(tianning, 1)
    info = get_plan(tianning, 1)
    old = next(t for t in info.tasks if t.id == tid)
    fields = TaskFields(old.code, old.text + "补充一句。", old.section_id, "2022-06",
                        "全面推行", ("区农业农村局(水利局)", "区住建局"), ("天宁生态环境局",),
                        old.implementing)
    change = update_task(tianning, tid, fields)
    assert change.fields == ("text", "deadline", "target", "lead", "cooperating")
    after = next(t for t in get_plan(tianning, 1).tasks if t.id == tid)
    assert (after.deadline, after.lead) == ("2022-06", ("区农业农村局(水利局)", "区住建局"))
    rows = audit(tianning, "task")
    assert [r[2] for r in rows] == list(change.fields)
    assert rows[1] == ("task", tid, "deadline", None, "2022-06", "王科员")
    assert rows[3][3:5] == ("区农业农村局(水利局)", "区农业农村局(水利局)、区住建局")
    # undo = the same call with the old fields
    undo = update_task(tianning, tid, change.before)
    assert undo.fields == change.fields
    assert plans_json(tianning, 1) == before_json
    update_task(tianning, tid, change.after)  # redo
    assert next(t for t in get_plan(tianning, 1).tasks if t.id == tid).target == "全面推行"
    assert len(audit(tianning, "task")) == 15


def test_add_delete_restore_task(tianning: Database) -> None:
    section = get_plan(tianning, 1).sections[0]
    code = next_task_code(tianning, 1, section.id)
    assert code == "1.7"
    created = add_task(tianning, 1, TaskFields(code, "  新任务。 ", section.id, "2022年5月底前",
                                               None, ("区发改局",), (), ("开发区",)))
    info = get_plan(tianning, 1)
    task = next(t for t in info.tasks if t.id == created.id)
    assert (task.text, task.deadline, task.lead, task.section) == (
        "新任务。", "2022-05", ("区发改局",), "健全生态制度体系")
    assert info.tasks[-1].id == created.id
    deleted = delete_task(tianning, created.id)
    assert created.id not in {t.id for t in get_plan(tianning, 1).tasks}
    restored = restore_task(tianning, deleted.before)
    assert restored.id == created.id
    again = next(t for t in get_plan(tianning, 1).tasks if t.id == created.id)
    assert again == task  # same id, uid, position, units
    assert [r[2] for r in audit(tianning, "task")] == ["created", "deleted", "created"]


@pytest.mark.parametrize(("fields", "message"), [
    (TaskFields("1.1", "重复编号"), "已被本方案的另一项任务使用"),
    (TaskFields("", "无编号"), "编号不能为空"),
    (TaskFields("9.9", "   "), "任务内容不能为空"),
    (TaskFields("9.9", "时限错", deadline="尽快"), "无法识别"),
    (TaskFields("9.9", "单位错", lead=("不存在的局",)), "不存在"),
    (TaskFields("9.9", "领域错", section_id=99999), "不属于本方案"),
])
def test_invalid_tasks_are_refused(tianning: Database, fields: TaskFields, message: str) -> None:
    before = plans_json(tianning)
    with pytest.raises(UserFacingError, match=message):
        add_task(tianning, 1, fields)
    assert plans_json(tianning) == before
    assert audit(tianning) == []


def test_a_task_with_reports_cannot_be_deleted(tianning: Database) -> None:
    tid = task_by_code(tianning, 1, "1.1")
    with Session(tianning) as s, s.begin():
        period = s.scalars(select(Period).where(Period.plan_id == 1)).first()
        unit = s.scalar(select(Unit.id).where(Unit.name == "开发区"))
        s.add(ProgressEntry(unit_id=unit, task_id=tid, period_id=period.id, status="in_progress"))
    with pytest.raises(UserFacingError, match="已有 1 条填报记录"):
        delete_task(tianning, tid)
    assert tid in {t.id for t in get_plan(tianning, 1).tasks}


def test_sections(tianning: Database) -> None:
    parent = add_section(tianning, 1, SectionFields("新领域", "7"))
    child = add_section(tianning, 1, SectionFields("子领域", "7.1", parent.id))
    tid = add_task(tianning, 1, TaskFields("7.1.1", "子领域的任务。", child.id)).id
    with pytest.raises(UserFacingError, match="下级领域"):
        delete_section(tianning, parent.id)
    with pytest.raises(UserFacingError, match="自己的下级"):
        update_section(tianning, parent.id, SectionFields("新领域", "7", child.id))
    with pytest.raises(UserFacingError, match="已被使用"):
        add_section(tianning, 1, SectionFields("重复", "7"))
    renamed = update_section(tianning, child.id, SectionFields("改名的子领域", "7.1", parent.id))
    assert renamed.fields == ("title",)
    gone = delete_section(tianning, child.id)
    task = next(t for t in get_plan(tianning, 1).tasks if t.id == tid)
    assert task.section_id is None
    restore_section(tianning, gone.before)
    task = next(t for t in get_plan(tianning, 1).tasks if t.id == tid)
    assert task.section == "新领域 › 改名的子领域"


def test_indicators(tianning: Database) -> None:
    info = get_plan(tianning, 1)
    parent = next(i for i in info.indicators if i.code == "7")
    made = add_indicator(tianning, 1, IndicatorFields(
        "7.3", "臭氧浓度", parent.id, "生态安全", "生态环境质量改善", "微克/立方米", "不高于160",
        "约束性", "150", 2022, ("天宁生态环境局",)))
    ind = next(i for i in get_plan(tianning, 1).indicators if i.id == made.id)
    assert (ind.comparator, ind.threshold, ind.target_value, ind.parent_id) == (
        "<=", 160.0, 150.0, parent.id)
    changed = update_indicator(tianning, made.id, IndicatorFields(
        "7.3", "臭氧浓度", parent.id, "生态安全", "生态环境质量改善", "微克/立方米", "≦150",
        "约束性", "150", 2022, ("天宁生态环境局", "区住建局")))
    assert changed.fields == ("standard", "lead")
    ind = next(i for i in get_plan(tianning, 1).indicators if i.id == made.id)
    assert (ind.standard, ind.comparator, ind.lead) == ("≤150", "<=", ("天宁生态环境局", "区住建局"))
    with pytest.raises(UserFacingError, match="子指标"):
        delete_indicator(tianning, parent.id)
    with pytest.raises(UserFacingError, match="约束性"):
        update_indicator(tianning, made.id, IndicatorFields("7.3", "臭氧", attribute="重要"))
    gone = delete_indicator(tianning, made.id)
    restore_indicator(tianning, gone.before)
    assert next(i for i in get_plan(tianning, 1).indicators if i.id == made.id).uid == ind.uid


def test_units_aliases_and_membership(tianning: Database) -> None:
    made = add_unit(tianning, UnitFields("区文旅局", "", aliases=("区文体旅局",)), plan_id=1)
    info = get_plan(tianning, 1)
    unit = next(u for u in info.units if u.name == "区文旅局")
    assert (unit.kind, unit.aliases) == ("department", ("区文体旅局",))
    with pytest.raises(UserFacingError, match="已有名为"):
        add_unit(tianning, UnitFields("区文旅局"))
    with pytest.raises(UserFacingError, match="别名"):
        add_unit(tianning, UnitFields("区某局", aliases=("区市场监管局",)))  # tianning's alias
    renamed = update_unit(tianning, made.id, UnitFields("区文化广电和旅游局", "department",
                                                        aliases=("区文旅局",)))
    assert renamed.fields == ("name", "aliases")
    # the old name is now an alias, so it still works for assignments
    add_task(tianning, 1, TaskFields("6.4", "文旅宣传。", lead=("区文旅局",)))
    assert get_plan(tianning, 1).tasks[-1].lead == ("区文化广电和旅游局",)
    with pytest.raises(UserFacingError, match="任务分工"):
        delete_unit(tianning, made.id)
    spare = add_unit(tianning, UnitFields("区档案馆"), plan_id=1)
    gone = delete_unit(tianning, spare.id)
    assert "区档案馆" not in {u.name for u in get_plan(tianning, 1).units}
    restore_unit(tianning, gone.before)
    assert "区档案馆" in {u.name for u in get_plan(tianning, 1).units}
    with pytest.raises(UserFacingError, match="仍有分工"):
        remove_plan_units(tianning, 1, [made.id])
    remove_plan_units(tianning, 1, [spare.id])
    assert "区档案馆" not in {u.name for u in get_plan(tianning, 1).units}
    add_plan_units(tianning, 1, ["区档案馆"])
    assert get_plan(tianning, 1).units[-1].name == "区档案馆"


def test_a_plan_created_empty_gets_tasks_then_units(db: Database) -> None:
    """A work-points plan (seed 001) has tasks and no units: units are assigned later."""
    plan = create_plan(db, PlanSettings("常州市2021年生态环境工作要点", "常州市生态环境局",
                                        frequency="quarter", deadline_day=10,
                                        first_period="2021-01", last_period="2021-12"))
    info = get_plan(db, plan.id)
    assert [p.key for p in info.periods] == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert info.periods[0].due == dt.date(2021, 4, 10)
    sec = add_section(db, plan.id, SectionFields("四大攻坚", "1"))
    ids = [add_task(db, plan.id, TaskFields(f"1.{n}", text, sec.id)).id
           for n, text in enumerate(["打好蓝天保卫战。", "打好碧水保卫战。"], 1)]
    for name in ("市大气办", "市水办"):
        add_unit(db, UnitFields(name))
    assigned = assign_units(db, ids, "lead", ["市大气办"])
    assign_units(db, ids[1:], "lead", ["市水办"], replace_existing=True)
    info = get_plan(db, plan.id)
    assert [t.lead for t in info.tasks] == [("市大气办",), ("市水办",)]
    assert [u.name for u in info.units] == ["市大气办", "市水办"]
    set_assignments(db, assigned.before)  # undo of the first assignment
    assert [t.lead for t in get_plan(db, plan.id).tasks] == [(), ()]


def test_plan_settings_and_periods(tianning: Database) -> None:
    settings = plan_settings(tianning, 1)
    assert (settings.frequency, settings.first_period, settings.last_period) == (
        "month", "2021-03", "2023-12")
    change = update_plan_settings(tianning, 1, PlanSettings(
        settings.title, settings.issuer, settings.office, "quarter", 10, "2021-01", "2023-12"))
    assert set(change.fields) == {"frequency", "deadline_day", "first_period"}
    info = get_plan(tianning, 1)
    assert len(info.periods) == 12 and info.periods[0].key == "2021-Q1"
    update_plan_settings(tianning, 1, change.before)  # undo
    assert [p.key for p in get_plan(tianning, 1).periods][:2] == ["2021-03", "2021-04"]
    # a period that has reports cannot disappear
    with Session(tianning) as s, s.begin():
        period = s.scalar(select(Period).where(Period.plan_id == 1, Period.key == "2021-03"))
        tid = s.scalar(select(Task.id).where(Task.plan_id == 1))
        unit = s.scalar(select(PlanUnit.unit_id).where(PlanUnit.plan_id == 1))
        s.add(ProgressEntry(unit_id=unit, task_id=tid, period_id=period.id))
    with pytest.raises(UserFacingError, match="2021-03 已有"):
        update_plan_settings(tianning, 1, PlanSettings(settings.title, first_period="2021-06",
                                                       last_period="2023-12"))
    for bad, message in ((PlanSettings(""), "名称"), (PlanSettings("x", deadline_day=31), "1–28"),
                         (PlanSettings("x", first_period="2021-05"), "同时"),
                         (PlanSettings("x", first_period="2023-01", last_period="2021-01"),
                          "晚于")):
        with pytest.raises(UserFacingError, match=message):
            update_plan_settings(tianning, 1, bad)
    with Session(tianning) as s:
        assert s.scalar(select(func.count()).select_from(Period).where(Period.plan_id == 1)) == 34
