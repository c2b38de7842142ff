"""Office mode: a town/street office's own database, filled from issued packets.

An office database has the same schema as the district's and holds only its unit's
tasks and indicators (same uids as at the district, so row keys match), one period per
opened packet, and the office's entries across periods (history). Settings: ``role`` =
"office", ``unit`` = the unit's name.

The issued packet is kept in the ledger (``Packet`` id "<packet id>:issued:0", direction
"issued", ``created_at`` = when the district issued it, ``rows`` = the values it carried)
with ``message`` = JSON ``{"manifest": …, "rows": [{"key", "fixed", "editable",
"comments"}, …]}``: ``export`` writes exactly the issued fixed content back, so the
copied seal stays valid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.models import (
    Assignment,
    Flag,
    Indicator,
    IndicatorLead,
    IndicatorValue,
    Packet,
    Period,
    Plan,
    PlanUnit,
    ProgressEntry,
    Section,
    Task,
    Unit,
)
from app.services.db import get_setting, set_setting
from app.services.office.role import ROLE_DISTRICT, ROLE_OFFICE
from app.services.packets.format import (
    TASK_INPUT_FIELDS,
    PacketRow,
    empty_indicator_values,
    empty_task_values,
    manifest_to_dict,
)
from app.services.packets.reader import PacketFile, read_packet
from app.services.packets.values import to_column
from app.services.plans.query import parse_standard, period_label, resolve_unit

SECTION_SEP = " › "


def office_unit(s: Session) -> Unit:
    if get_setting(s, "role", ROLE_DISTRICT) != ROLE_OFFICE:
        raise UserFacingError("这不是单位填报库。请先用“打开下发包”载入区里下发的填报包。")
    name = get_setting(s, "unit")
    unit = s.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        raise UserFacingError("填报库缺少本单位信息,请重新打开下发包。")
    return unit


@dataclass(frozen=True)
class OpenResult:
    unit: str
    plan_id: int
    plan_title: str
    period: str
    kind: str
    new_database: bool
    new_period: bool
    already_opened: bool
    tasks_added: int
    tasks_updated: int
    indicators_added: int
    entries_prefilled: int
    problems: list[str] = field(default_factory=list)

    @property
    def changes(self) -> Changes:
        """Opening stores the plan's items, prefilled entries and the ledger row."""
        if self.already_opened:
            return Changes()
        return Changes(plans=True, units=self.new_database, progress=True, packets=True,
                       note="office-open")

    def summary(self) -> str:
        if self.already_opened:
            return f"{self.unit} {period_label(self.period)}的下发包已打开过,未做更改。"
        text = f"已载入 {self.unit} {period_label(self.period)}的{'退回修改包' if self.kind == 'correction' else '下发包'}"
        parts = []
        if self.tasks_added:
            parts.append(f"新增任务 {self.tasks_added} 项")
        if self.tasks_updated:
            parts.append(f"更新任务 {self.tasks_updated} 项")
        if self.indicators_added:
            parts.append(f"新增指标 {self.indicators_added} 项")
        return text + (("(" + ",".join(parts) + ")") if parts else "") + "。"



# ---------------------------------------------------------------- opening a packet

def _ensure_section(s: Session, plan_id: int, path: str, cache: dict[str, int]) -> int | None:
    if not path:
        return None
    if path in cache:
        return cache[path]
    parent: int | None = None
    so_far: list[str] = []
    for part in path.split(SECTION_SEP):
        so_far.append(part)
        key = SECTION_SEP.join(so_far)
        if key not in cache:
            sid = s.scalar(select(Section.id).where(
                Section.plan_id == plan_id, Section.title == part,
                Section.parent_id.is_(None) if parent is None else Section.parent_id == parent))
            if sid is None:
                count = s.scalar(select(func.count()).select_from(Section).where(
                    Section.plan_id == plan_id)) or 0
                sec = Section(plan_id=plan_id, parent_id=parent, title=part, position=count)
                s.add(sec)
                s.flush()
                sid = sec.id
            cache[key] = sid
        parent = cache[key]
    return parent


def _free_code(s: Session, model: type[Task] | type[Indicator], plan_id: int, code: str,
               uid: str) -> None:
    """Move another row's code out of the way (the district renumbered its items)."""
    other: Task | Indicator | None = s.scalar(  # type: ignore[assignment]
        select(model).where(model.plan_id == plan_id, model.code == code, model.uid != uid))
    if other is not None:
        other.code = f"{code}~{other.uid[:6]}"
        s.flush()


def _upsert_task(s: Session, plan_id: int, row: PacketRow, position: int, latest: bool,
                 sections: dict[str, int], units: dict[str, int]) -> str:
    f = row.fixed
    task = s.scalar(select(Task).where(Task.uid == row.uid))
    outcome = "same"
    if task is None:
        _free_code(s, Task, plan_id, str(f.get("code", "")), row.uid)
        task = Task(uid=row.uid, plan_id=plan_id, code=str(f.get("code", "")),
                    position=position, text=str(f.get("text", "")),
                    section_id=_ensure_section(s, plan_id, str(f.get("section", "")), sections),
                    deadline=f.get("deadline") or None, target=f.get("target") or None)
        s.add(task)
        s.flush()
        outcome = "added"
    elif task.plan_id != plan_id:
        raise UserFacingError("填报包中的任务属于另一个方案,数据不一致,未载入。")
    elif latest:
        new = {"code": str(f.get("code", "")), "text": str(f.get("text", "")),
               "deadline": f.get("deadline") or None, "target": f.get("target") or None,
               "section_id": _ensure_section(s, plan_id, str(f.get("section", "")), sections),
               "position": position}
        if any(getattr(task, k) != v for k, v in new.items() if k != "position"):
            outcome = "updated"
        if new["code"] != task.code:
            _free_code(s, Task, plan_id, str(new["code"]), row.uid)
        for k, v in new.items():
            setattr(task, k, v)
    if outcome != "same" or latest:
        s.execute(delete(Assignment).where(Assignment.task_id == task.id))
        seen: set[tuple[int, str]] = set()
        for role in ("lead", "cooperating", "implementing"):
            for pos, name in enumerate(f.get(role) or []):
                uid = resolve_unit(s, str(name), units)
                if (uid, role) not in seen:
                    seen.add((uid, role))
                    s.add(Assignment(task_id=task.id, unit_id=uid, role=role, position=pos))
    return outcome


def _upsert_indicator(s: Session, plan_id: int, row: PacketRow, position: int, latest: bool,
                      unit_id: int) -> str:
    f = row.fixed
    ind = s.scalar(select(Indicator).where(Indicator.uid == row.uid))
    code = str(f.get("code", ""))
    standard: str | None = f.get("standard") or None
    target: str | None = f.get("target") or None
    values: dict[str, Any] = {"code": code, "name": str(f.get("name", "")),
              "unit": f.get("unit") or None, "standard": f.get("standard") or None,
              "attribute": f.get("attribute") or None, "target": f.get("target") or None,
              "target_year": f.get("target_year"), "domain": f.get("domain") or "",
              "category": f.get("category") or "", "position": position}
    comp, threshold = parse_standard(standard)
    _, target_value = parse_standard(target)
    values.update(comparator=comp, threshold=threshold, target_value=target_value)
    if ind is None:
        _free_code(s, Indicator, plan_id, code, row.uid)
        ind = Indicator(uid=row.uid, plan_id=plan_id, **values)
        s.add(ind)
        s.flush()
        s.add(IndicatorLead(indicator_id=ind.id, unit_id=unit_id, position=0))
        return "added"
    if ind.plan_id != plan_id:
        raise UserFacingError("填报包中的指标属于另一个方案,数据不一致,未载入。")
    if latest:
        if values["code"] != ind.code:
            _free_code(s, Indicator, plan_id, code, row.uid)
        for k, v in values.items():
            setattr(ind, k, v)
    if s.get(IndicatorLead, (ind.id, unit_id)) is None:
        s.add(IndicatorLead(indicator_id=ind.id, unit_id=unit_id, position=0))
    return "same"


def _stored_rows(pf: PacketFile) -> list[dict[str, Any]]:
    return [{"key": r.key, "fixed": r.fixed,
             "editable": sorted(r.editable) if r.editable is not None else None,
             "comments": r.comments} for r in pf.rows]


def check_issued_packet(path: Path | str) -> PacketFile:
    """Read an issued packet without touching a database: a refused file is refused before
    the clerk is asked where the unit's database should go."""
    pf = read_packet(Path(path))
    if pf.manifest.direction != "issued":
        raise UserFacingError("这是已导出的报送包,不是下发包。请打开区里下发的填报包。")
    return pf


def open_packet(db: Engine, path: Path | str, *, reporter: Reporter | None = None
                ) -> OpenResult:
    """Load an issued packet into the office database (creating it on first use).

    Opening the same packet twice changes nothing; next month's packet of the same plan
    adds the period (and any new task items). A packet of another unit is refused.
    Values the clerk already saved for the period are never overwritten by a packet.
    """
    reporter = reporter or Reporter()
    reporter.step(0, 3, "正在读取下发包…")
    pf = check_issued_packet(path)
    m = pf.manifest
    reporter.step(1, 3, "正在载入任务…")
    with Session(db) as s, s.begin():
        role = get_setting(s, "role", "")
        has_plans = s.scalar(select(func.count()).select_from(Plan)) or 0
        new_database = False
        if role != ROLE_OFFICE:
            if has_plans:
                raise UserFacingError("这是区级数据库,不能作为单位填报库打开下发包。"
                                      "请为本单位新建一个填报库文件。")
            set_setting(s, "role", ROLE_OFFICE)
            set_setting(s, "unit", m.unit)
            new_database = True
        else:
            own = get_setting(s, "unit")
            if own != m.unit:
                raise UserFacingError(f"此填报库属于“{own}”,不能打开“{m.unit}”的下发包。"
                                      "请确认文件是否发错了单位。")
        units: dict[str, int] = {}
        unit_id = resolve_unit(s, m.unit, units, m.unit_kind)
        plan = s.scalar(select(Plan).where(Plan.uid == m.plan.uid))
        if plan is None:
            plan = Plan(uid=m.plan.uid, title=m.plan.title, issuer=m.plan.issuer,
                        office=m.plan.office, frequency=m.plan.frequency,
                        deadline_day=m.plan.deadline_day)
            s.add(plan)
            s.flush()
        period = s.scalar(select(Period).where(Period.plan_id == plan.id,
                                               Period.key == m.period))
        new_period = period is None
        if period is None:
            period = Period(plan_id=plan.id, key=m.period, start=m.period_start,
                            end=m.period_end, due=m.period_due)
            s.add(period)
            s.flush()
        latest_start = s.scalar(select(func.max(Period.start)).where(
            Period.plan_id == plan.id))
        latest = latest_start is None or m.period_start >= latest_start
        if latest:
            plan.title, plan.issuer, plan.office = m.plan.title, m.plan.issuer, m.plan.office
            plan.frequency, plan.deadline_day = m.plan.frequency, m.plan.deadline_day
            period.end, period.due = m.period_end, m.period_due
        ledger_id = f"{m.packet_id}:issued:0"
        if s.get(Packet, ledger_id) is not None:
            return OpenResult(m.unit, plan.id, plan.title, m.period, m.kind, False, False,
                              True, 0, 0, 0, 0)
        sections: dict[str, int] = {}
        added = updated = ind_added = prefilled = 0
        task_ids: dict[str, int] = {}
        ind_ids: dict[str, int] = {}
        for pos, row in enumerate(pf.rows):
            if row.is_task:
                outcome = _upsert_task(s, plan.id, row, pos, latest, sections, units)
                added += outcome == "added"
                updated += outcome == "updated"
            else:
                outcome = _upsert_indicator(s, plan.id, row, pos, latest, unit_id)
                ind_added += outcome == "added"
        s.flush()
        for row in pf.rows:
            model = Task if row.is_task else Indicator
            rid = s.scalar(select(model.id).where(model.uid == row.uid))
            assert rid is not None
            (task_ids if row.is_task else ind_ids)[row.key] = rid
        for pos, uid in enumerate(dict.fromkeys(units.values())):
            if s.get(PlanUnit, (plan.id, uid)) is None:
                s.add(PlanUnit(plan_id=plan.id, unit_id=uid, position=pos))

        packet = Packet(id=ledger_id, packet_uid=m.packet_id, plan_id=plan.id, unit_id=unit_id,
                        period_id=period.id, direction="issued", kind=m.kind, revision=0,
                        file_name=Path(path).name, file_hash=pf.file_hash,
                        created_at=clock.from_local(m.issued_at), outcome="opened",
                        rows={r.key: r.values for r in pf.rows},
                        message=json.dumps({"manifest": manifest_to_dict(m),
                                            "rows": _stored_rows(pf)}, ensure_ascii=False))
        s.add(packet)
        s.flush()
        have_tasks = set(s.scalars(select(ProgressEntry.task_id).where(
            ProgressEntry.unit_id == unit_id, ProgressEntry.period_id == period.id)))
        have_inds = set(s.scalars(select(IndicatorValue.indicator_id).where(
            IndicatorValue.unit_id == unit_id, IndicatorValue.period_id == period.id)))
        for row in pf.rows:
            if row.is_task and task_ids[row.key] not in have_tasks:
                vals = {**empty_task_values(), **row.values}
                s.add(ProgressEntry(unit_id=unit_id, task_id=task_ids[row.key],
                                    period_id=period.id, packet_id=ledger_id,
                                    **{k: to_column(k, vals[k]) for k in TASK_INPUT_FIELDS}))
                prefilled += 1
            elif not row.is_task and ind_ids[row.key] not in have_inds:
                vals = {**empty_indicator_values(), **row.values}
                s.add(IndicatorValue(unit_id=unit_id, indicator_id=ind_ids[row.key],
                                     period_id=period.id, packet_id=ledger_id,
                                     value=vals["value"] or "", note=vals["note"] or ""))
                prefilled += 1
        # a newer packet for the period replaces what earlier correction packets asked for
        now = clock.now()
        for flag in s.scalars(select(Flag).where(Flag.unit_id == unit_id,
                                                 Flag.period_id == period.id,
                                                 Flag.status == "open")):
            flag.status, flag.closed_at = "closed", now
        if m.kind == "correction":
            for row in pf.rows:
                for f in sorted(row.editable or ()):
                    s.add(Flag(unit_id=unit_id, period_id=period.id,
                               task_id=task_ids.get(row.key), indicator_id=ind_ids.get(row.key),
                               field=f, comment=row.comments.get(f, ""), packet_id=ledger_id))
        problems = [p.text for p in pf.problems]
        result = OpenResult(m.unit, plan.id, plan.title, m.period, m.kind, new_database,
                            new_period, False, added, updated, ind_added, prefilled, problems)
    reporter.step(3, 3, "已载入")
    return result
