"""Office mode: a town/street office's own database, filled from issued packets.

An office database has the same schema as the district's and holds only its unit's
tasks and indicators (same uids as at the district, so row keys match), one period per
opened packet, and the office's entries across periods (history). Settings: ``role`` =
"office", ``unit`` = the unit's name.

The issued packet is kept in the ledger (``Packet`` id "<packet id>:issued:0", direction
"issued", ``created_at`` = when the district issued it, ``rows`` = the values it carried)
with ``message`` = JSON ``{"manifest": …, "rows": [{"key", "fixed", "editable",
"comments"}, …]}``: export writes exactly the issued fixed content back, so the copied
seal stays valid. Each export adds a "returned" ledger row with the next revision.

Services for the clerk's form: ``list_tasks``/``list_indicators`` (this period's and the
previous period's values), ``save_task``/``save_indicator`` (one small transaction,
field-level problems back), ``preflight`` and ``export_packet``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Reporter
from app.core.problems import Problem
from app.core.vocab import STATUS_LABELS
from app.models import (
    Assignment,
    AuditLog,
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
from app.services.packets.format import (
    INDICATOR_INPUT_FIELDS,
    INPUT_HEADERS,
    TASK_INPUT_FIELDS,
    Manifest,
    PacketRow,
    empty_indicator_values,
    empty_task_values,
    manifest_from_dict,
    manifest_to_dict,
)
from app.services.packets.reader import PacketFile, read_packet
from app.services.packets.values import (
    entry_values,
    fraction_warning,
    indicator_values,
    normalise_value,
    to_column,
    to_text,
)
from app.services.packets.writer import write_packet
from app.services.plans.query import parse_standard, period_label, resolve_unit, short_title

ROLE_DISTRICT = "district"
ROLE_OFFICE = "office"
SECTION_SEP = " › "


# ---------------------------------------------------------------- role

def database_role(db: Engine) -> str:
    """"office" for a unit's own database, else "district" (the default)."""
    with Session(db) as s:
        return ROLE_OFFICE if get_setting(s, "role", ROLE_DISTRICT) == ROLE_OFFICE \
            else ROLE_DISTRICT


def _office_unit(s: Session) -> Unit:
    if get_setting(s, "role", ROLE_DISTRICT) != ROLE_OFFICE:
        raise UserFacingError("这不是单位填报库。请先用“打开下发包”载入区里下发的填报包。")
    name = get_setting(s, "unit")
    unit = s.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        raise UserFacingError("填报库缺少本单位信息,请重新打开下发包。")
    return unit


# ---------------------------------------------------------------- dataclasses

@dataclass(frozen=True)
class OfficePeriod:
    plan_id: int
    plan_title: str
    key: str
    start: dt.date
    end: dt.date
    due: dt.date
    kind: str  # normal / correction (of the latest issued packet)
    packet_id: str  # the ledger id of the issued packet exports are based on
    issued_at: dt.datetime  # local time
    last_revision: int  # 0 = never exported
    last_exported_at: dt.datetime | None  # local time
    last_export_file: str

    @property
    def label(self) -> str:
        return period_label(self.key)


@dataclass(frozen=True)
class OfficeInfo:
    unit: str
    unit_kind: str
    receiver: str  # whom returns go to (the plan's office)
    periods: list[OfficePeriod]  # newest first


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


@dataclass(frozen=True)
class OfficeTask:
    """One task item of the unit for a period, as the form shows it."""

    task_id: int
    key: str
    code: str
    section: str
    text: str
    deadline: str
    target: str
    roles: tuple[str, ...]
    role_text: str
    lead: tuple[str, ...]
    cooperating: tuple[str, ...]
    implementing: tuple[str, ...]
    overdue: bool
    values: dict[str, Any]  # this period, packet form (status code, percent float, ISO date…)
    previous: dict[str, Any] | None  # latest earlier period held locally, None if none
    previous_period: str | None
    editable: frozenset[str] | None  # correction: the fields the district reopened
    comments: dict[str, str]  # field → 退回意见
    missing: tuple[str, ...]  # fields the pre-flight would list

    @property
    def title(self) -> str:
        return short_title(self.text)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.values.get("status") or "", "")


@dataclass(frozen=True)
class OfficeIndicator:
    indicator_id: int
    key: str
    code: str
    name: str
    group: str
    unit: str
    standard: str
    attribute: str
    target: str
    numeric: bool
    values: dict[str, Any]
    previous: dict[str, Any] | None
    previous_period: str | None
    editable: frozenset[str] | None
    comments: dict[str, str]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class SaveResult:
    """What a save stored and what is wrong: blocking problems were not stored."""

    changed: tuple[str, ...]
    problems: list[Problem]
    values: dict[str, Any]  # the stored values after the save

    @property
    def ok(self) -> bool:
        return not any(p.blocking for p in self.problems)


@dataclass(frozen=True)
class PreflightItem:
    kind: str  # task / indicator
    key: str
    code: str
    field: str
    message: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    packet_id: str  # ledger id "<packet uid>:returned:<revision>"
    packet_uid: str
    revision: int
    tasks: int
    indicators: int
    sha256: str
    preflight: list[PreflightItem]

    @property
    def changes(self) -> Changes:
        return Changes(packets=True, note="office-export")


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


# ---------------------------------------------------------------- reading for the form

@dataclass
class _Issued:
    packet: Packet
    manifest: Manifest
    rows: list[dict[str, Any]]


def _period(s: Session, period_key: str, plan_id: int | None) -> Period:
    query = select(Period).where(Period.key == period_key)
    if plan_id is not None:
        query = query.where(Period.plan_id == plan_id)
    periods = list(s.scalars(query))
    if not periods:
        raise UserFacingError(f"填报库中没有 {period_key} 的下发包,请先打开该期的下发包。")
    if len(periods) > 1:
        raise UserFacingError(f"多个方案都有周期 {period_key},请指定方案。")
    return periods[0]


def _issued(s: Session, unit_id: int, period: Period) -> _Issued:
    packet = s.scalar(select(Packet).where(
        Packet.unit_id == unit_id, Packet.period_id == period.id, Packet.direction == "issued")
        .order_by(Packet.created_at.desc(), Packet.id.desc()).limit(1))
    if packet is None:
        raise UserFacingError(f"填报库中没有 {period.key} 的下发包,请先打开该期的下发包。")
    data = json.loads(packet.message)
    return _Issued(packet, manifest_from_dict(data["manifest"]), data["rows"])


def _editable(row: dict[str, Any]) -> frozenset[str] | None:
    return None if row.get("editable") is None else frozenset(row["editable"])


def _task_missing(v: dict[str, Any], editable: frozenset[str] | None) -> list[tuple[str, str]]:
    """(field, message) the pre-flight lists for one task's values."""
    status = v.get("status")
    out: list[tuple[str, str]] = []
    if not status:
        out.append(("status", "请选择进展状态。"))
    if status and status != "not_started" and not (v.get("progress") or "").strip():
        out.append(("progress", "请填写本期进展。"))
    if status in ("in_progress", "behind") and v.get("percent") is None:
        out.append(("percent", "请填写完成进度。"))
    if status == "completed":
        if v.get("percent") is not None and float(v["percent"]) < 100:
            out.append(("percent", "已完成的任务,完成进度应为 100。"))
        if not v.get("completed_on"):
            out.append(("completed_on", "已完成的任务请填写完成日期。"))
    if status == "behind" and not (v.get("problems") or "").strip():
        out.append(("problems", "进展滞后,请写明存在问题。"))
    if not (v.get("responsible") or "").strip():
        out.append(("responsible", "请填写责任人。"))
    if not (v.get("phone") or "").strip():
        out.append(("phone", "请填写联系电话。"))
    if editable is not None:
        out = [(f, msg) for f, msg in out if f in editable]
    return out


def _indicator_missing(v: dict[str, Any], numeric: bool,
                       editable: frozenset[str] | None) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    value = (v.get("value") or "").strip()
    if not value:
        out.append(("value", "请填写本期数值。"))
    elif (problem := normalise_value("value", value, numeric=numeric)[1]) is not None:
        out.append(("value", problem))
    if editable is not None:
        out = [(f, msg) for f, msg in out if f in editable]
    return out


def _load(s: Session, period_key: str, plan_id: int | None
          ) -> tuple[Unit, Period, _Issued]:
    unit = _office_unit(s)
    period = _period(s, period_key, plan_id)
    return unit, period, _issued(s, unit.id, period)


_Reported = TypeVar("_Reported", ProgressEntry, IndicatorValue)


def _latest_earlier(s: Session, model: type[_Reported], id_field: str, unit_id: int,
                    per: Period) -> dict[int, tuple[str, _Reported]]:
    """Task/indicator id → (period key, row) of the unit's latest report before `per`."""
    out: dict[int, tuple[str, _Reported]] = {}
    for row, key in s.execute(
            select(model, Period.key).join(Period, Period.id == model.period_id)
            .where(model.unit_id == unit_id, Period.plan_id == per.plan_id,
                   Period.start < per.start).order_by(Period.start)):
        out[getattr(row, id_field)] = (key, row)
    return out


def list_tasks(db: Engine, period: str, plan_id: int | None = None) -> list[OfficeTask]:
    """The unit's task items of `period` in packet order, with this and last period's values."""
    with Session(db) as s:
        unit, per, issued = _load(s, period, plan_id)
        rows = [r for r in issued.rows if r["key"].startswith("T:")]
        tasks = {t.uid: t for t in s.scalars(select(Task).where(
            Task.uid.in_([r["key"][2:] for r in rows])))}
        entries = {e.task_id: e for e in s.scalars(select(ProgressEntry).where(
            ProgressEntry.unit_id == unit.id, ProgressEntry.period_id == per.id))}
        previous = _latest_earlier(s, ProgressEntry, "task_id", unit.id, per)
        out = []
        for r in rows:
            t = tasks.get(r["key"][2:])
            if t is None:
                continue
            f = r["fixed"]
            values = entry_values(entries.get(t.id))
            prev = previous.get(t.id)
            editable = _editable(r)
            out.append(OfficeTask(
                t.id, r["key"], str(f.get("code", "")), str(f.get("section", "")),
                str(f.get("text", "")), str(f.get("deadline") or ""), str(f.get("target") or ""),
                tuple(f.get("roles") or ()), str(f.get("role", "")), tuple(f.get("lead") or ()),
                tuple(f.get("cooperating") or ()), tuple(f.get("implementing") or ()),
                bool(f.get("overdue")), values, entry_values(prev[1]) if prev else None,
                prev[0] if prev else None, editable, dict(r.get("comments") or {}),
                tuple(dict.fromkeys(fld for fld, _ in _task_missing(values, editable)))))
        return out


def list_indicators(db: Engine, period: str, plan_id: int | None = None
                    ) -> list[OfficeIndicator]:
    with Session(db) as s:
        unit, per, issued = _load(s, period, plan_id)
        rows = [r for r in issued.rows if r["key"].startswith("I:")]
        inds = {i.uid: i for i in s.scalars(select(Indicator).where(
            Indicator.uid.in_([r["key"][2:] for r in rows])))}
        values = {v.indicator_id: v for v in s.scalars(select(IndicatorValue).where(
            IndicatorValue.unit_id == unit.id, IndicatorValue.period_id == per.id))}
        previous = _latest_earlier(s, IndicatorValue, "indicator_id", unit.id, per)
        out = []
        for r in rows:
            ind = inds.get(r["key"][2:])
            if ind is None:
                continue
            f = r["fixed"]
            current = indicator_values(values.get(ind.id))
            prev = previous.get(ind.id)
            editable = _editable(r)
            numeric = bool(f.get("numeric"))
            out.append(OfficeIndicator(
                ind.id, r["key"], str(f.get("code", "")), str(f.get("name", "")),
                str(f.get("group") or ""), str(f.get("unit") or ""),
                str(f.get("standard") or ""), str(f.get("attribute") or ""),
                str(f.get("target") or ""), numeric, current,
                indicator_values(prev[1]) if prev else None, prev[0] if prev else None, editable,
                dict(r.get("comments") or {}),
                tuple(fld for fld, _ in _indicator_missing(current, numeric, editable))))
        return out


def office_info(db: Engine) -> OfficeInfo:
    """The unit and every period it holds a packet for (newest first)."""
    with Session(db) as s:
        unit = _office_unit(s)
        periods = []
        receiver = ""
        for per, plan in s.execute(select(Period, Plan).join(Plan, Plan.id == Period.plan_id)
                                   .order_by(Period.start.desc(), Plan.id)):
            try:
                issued = _issued(s, unit.id, per)
            except UserFacingError:
                continue
            last = s.scalar(select(Packet).where(
                Packet.packet_uid == issued.packet.packet_uid, Packet.direction == "returned")
                .order_by(Packet.revision.desc()).limit(1))
            receiver = receiver or plan.office or plan.issuer
            periods.append(OfficePeriod(
                plan.id, plan.title, per.key, per.start, per.end, per.due, issued.packet.kind,
                issued.packet.id, issued.manifest.issued_at, last.revision if last else 0,
                clock.to_local(last.created_at) if last else None, last.file_name if last else ""))
        return OfficeInfo(unit.name, unit.kind, receiver or "区创建办", periods)


# ---------------------------------------------------------------- saving

def validate_task_values(values: dict[str, Any], *, previous_status: str | None = None,
                         current: dict[str, Any] | None = None,
                         previous_percent: float | None = None
                         ) -> tuple[dict[str, Any], list[Problem]]:
    """Normalise form values; (valid values in packet form, problems).

    Blocking problems (invalid value) drop the field; reminders (progress text missing
    after a status change, problems missing for 滞后 or for progress below last period's,
    a percentage that looks like a fraction of last period's) keep it.
    """
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in values.items():
        if name not in TASK_INPUT_FIELDS:
            problems.append(Problem(field=name, message=f"未知的填写项:{name}"))
            continue
        value, problem = normalise_value(name, raw)
        if problem is not None:
            problems.append(Problem(field=name, message=problem))
        else:
            clean[name] = value
    merged = {**empty_task_values(), **(current or {}), **clean}
    status = merged.get("status")
    if "status" in clean and status and status != previous_status and \
            status != "not_started" and not (merged.get("progress") or "").strip():
        problems.append(Problem(field="progress", message=f"进展状态改为“{STATUS_LABELS[status]}”,"
                                "请填写本期进展。", severity="warning"))
    if status == "behind" and not (merged.get("problems") or "").strip():
        problems.append(Problem(field="problems", message="状态为“滞后”时请填写存在问题。",
                                severity="warning"))
    fraction = fraction_warning(clean.get("percent"), previous_percent)
    percent = merged.get("percent")
    if previous_percent is not None and percent is not None and not fraction and \
            float(percent) < previous_percent and not (merged.get("problems") or "").strip():
        problems.append(Problem(field="problems", message=f"完成进度低于上期({previous_percent:g}%),"
                                "请在存在问题中说明原因。", severity="warning"))
    if status == "completed" and merged.get("percent") is not None and \
            float(merged["percent"]) < 100:
        problems.append(Problem(field="percent", message="已完成的任务,完成进度应为 100。",
                                severity="warning"))
    if fraction:  # 0.6 after 62.5: a fraction typed for a percent, not progress lost
        problems.append(Problem(field="percent", message=fraction, severity="warning"))
    return clean, problems


def validate_indicator_values(values: dict[str, Any], *, numeric: bool
                              ) -> tuple[dict[str, Any], list[Problem]]:
    clean: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, raw in values.items():
        if name not in INDICATOR_INPUT_FIELDS:
            problems.append(Problem(field=name, message=f"未知的填写项:{name}"))
            continue
        value, problem = normalise_value(name, raw, numeric=numeric)
        if problem is not None:
            problems.append(Problem(field=name, message=problem))
        else:
            clean[name] = value
    return clean, problems


def _row_for(issued: _Issued, key: str) -> dict[str, Any]:
    row = next((r for r in issued.rows if r["key"] == key), None)
    if row is None:
        raise UserFacingError("该项不在本期下发包中。")
    return row


def _resolve_key(s: Session, model: type[Task] | type[Indicator], ref: int | str,
                 prefix: str) -> tuple[int, str]:
    if isinstance(ref, int):
        uid = s.scalar(select(model.uid).where(model.id == ref))
        if uid is None:
            raise UserFacingError("找不到该项。")
        return ref, prefix + uid
    uid = ref[2:] if ref.startswith(prefix) else ref
    rid = s.scalar(select(model.id).where(model.uid == uid))
    if rid is None:
        raise UserFacingError("找不到该项。")
    return rid, prefix + uid


def _audit(s: Session, unit: Unit, entity: str, entity_id: int, changes: dict[str, tuple[Any, Any]],
           packet_id: str | None) -> None:
    actor = get_setting(s, "actor", "")
    for f, (old, new) in changes.items():
        s.add(AuditLog(actor=actor, actor_unit=unit.name, entity=entity, entity_id=entity_id,
                       field=f, old=to_text(old), new=to_text(new), packet_id=packet_id))


def _locked_problems(values: dict[str, Any], editable: frozenset[str] | None
                     ) -> tuple[dict[str, Any], list[Problem]]:
    if editable is None:
        return values, []
    problems = [Problem(field=f, message=f"{INPUT_HEADERS.get(f, f)}未被退回修改,不能更改。")
                for f in values if f not in editable]
    return {k: v for k, v in values.items() if k in editable}, problems


def save_task(db: Engine, period: str, task: int | str, values: dict[str, Any], *,
              plan_id: int | None = None) -> SaveResult:
    """Store the given fields of one task for `period` (one transaction, audited).

    `task`: task id, uid or row key "T:<uid>". `values`: any subset of the input fields
    (form text or packet-form values). Invalid fields are not stored and come back as
    blocking problems; reminders come back non-blocking.
    """
    with Session(db) as s, s.begin():
        unit, per, issued = _load(s, period, plan_id)
        task_id, key = _resolve_key(s, Task, task, "T:")
        row = _row_for(issued, key)
        values, locked = _locked_problems(values, _editable(row))
        entry = s.scalar(select(ProgressEntry).where(
            ProgressEntry.unit_id == unit.id, ProgressEntry.task_id == task_id,
            ProgressEntry.period_id == per.id))
        current = entry_values(entry)
        prev = s.execute(
            select(ProgressEntry.status, ProgressEntry.percent)
            .join(Period, Period.id == ProgressEntry.period_id)
            .where(ProgressEntry.unit_id == unit.id, ProgressEntry.task_id == task_id,
                   Period.plan_id == per.plan_id, Period.start < per.start)
            .order_by(Period.start.desc()).limit(1)).first()
        prev_status, prev_percent = (prev[0], prev[1]) if prev else (None, None)
        issued_values = issued.packet.rows.get(key) or {}
        if prev_status is None:
            prev_status = issued_values.get("status")
        if prev_percent is None:
            prev_percent = issued_values.get("percent")
        clean, problems = validate_task_values(values, previous_status=prev_status,
                                               current=current, previous_percent=prev_percent)
        changes = {f: (current[f], v) for f, v in clean.items()
                   if to_text(current[f]) != to_text(v)}
        if changes:
            if entry is None:
                entry = ProgressEntry(unit_id=unit.id, task_id=task_id, period_id=per.id,
                                      packet_id=issued.packet.id)
                s.add(entry)
            for f, (_old, new) in changes.items():
                setattr(entry, f, to_column(f, new))
            s.flush()
            _audit(s, unit, "progress", entry.id, changes, None)
        stored = {**current, **{f: new for f, (_old, new) in changes.items()}}
        return SaveResult(tuple(changes), locked + problems, stored)


def save_indicator(db: Engine, period: str, indicator: int | str, values: dict[str, Any], *,
                   plan_id: int | None = None) -> SaveResult:
    """Store 本期数值/说明 of one indicator (id, uid or "I:<uid>"), like ``save_task``."""
    with Session(db) as s, s.begin():
        unit, per, issued = _load(s, period, plan_id)
        ind_id, key = _resolve_key(s, Indicator, indicator, "I:")
        row = _row_for(issued, key)
        values, locked = _locked_problems(values, _editable(row))
        clean, problems = validate_indicator_values(
            values, numeric=bool(row["fixed"].get("numeric")))
        item = s.scalar(select(IndicatorValue).where(
            IndicatorValue.unit_id == unit.id, IndicatorValue.indicator_id == ind_id,
            IndicatorValue.period_id == per.id))
        current = indicator_values(item)
        changes = {f: (current[f], v) for f, v in clean.items() if current[f] != v}
        if changes:
            if item is None:
                item = IndicatorValue(unit_id=unit.id, indicator_id=ind_id, period_id=per.id,
                                      packet_id=issued.packet.id)
                s.add(item)
            for f, (_old, new) in changes.items():
                setattr(item, f, new)
            s.flush()
            _audit(s, unit, "indicator_value", item.id, changes, None)
        stored = {**current, **{f: new for f, (_old, new) in changes.items()}}
        return SaveResult(tuple(changes), locked + problems, stored)


# ---------------------------------------------------------------- pre-flight and export

def preflight(db: Engine, period: str, plan_id: int | None = None) -> list[PreflightItem]:
    """Every missing or inconsistent entry, in sheet order (task code/indicator code, field)."""
    out = []
    for t in list_tasks(db, period, plan_id):
        for f, message in _task_missing(t.values, t.editable):
            out.append(PreflightItem("task", t.key, t.code, f, message))
    for i in list_indicators(db, period, plan_id):
        for f, message in _indicator_missing(i.values, i.numeric, i.editable):
            out.append(PreflightItem("indicator", i.key, i.code, f, message))
    return out


def preflight_text(items: list[PreflightItem]) -> str:
    return "\n".join(f"{'任务' if i.kind == 'task' else '指标'} {i.code} "
                     f"{INPUT_HEADERS.get(i.field, i.field)}:{i.message}" for i in items)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def suggested_export_name(db: Engine, period: str, plan_id: int | None = None) -> str:
    """期间_单位_方案_报送.xlsx."""
    from app.services.district.issue import packet_file_name

    with Session(db) as s:
        unit, _per, issued = _load(s, period, plan_id)
        base = packet_file_name(period, unit.name, issued.manifest.plan.title)
    return base.removesuffix(".xlsx") + "_报送.xlsx"


def export_packet(db: Engine, period: str, out_path: Path | str, *, plan_id: int | None = None,
                  reporter: Reporter | None = None) -> ExportResult:
    """Write the return packet: the issued rows and seal, this period's values, direction
    "returned", revision + 1, atomically; recorded in the ledger once written."""
    reporter = reporter or Reporter()
    reporter.step(0, 2, "正在准备报送包…")
    items = preflight(db, period, plan_id)
    with Session(db) as s:
        unit, per, issued = _load(s, period, plan_id)
        entries = {t.uid: e for t, e in s.execute(
            select(Task, ProgressEntry).join(ProgressEntry, ProgressEntry.task_id == Task.id)
            .where(ProgressEntry.unit_id == unit.id, ProgressEntry.period_id == per.id))}
        values = {i.uid: v for i, v in s.execute(
            select(Indicator, IndicatorValue)
            .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
            .where(IndicatorValue.unit_id == unit.id, IndicatorValue.period_id == per.id))}
        last = s.scalar(select(func.max(Packet.revision)).where(
            Packet.packet_uid == issued.packet.packet_uid, Packet.direction == "returned")) or 0
        rows = []
        for r in issued.rows:
            key = r["key"]
            if key.startswith("T:"):
                vals = entry_values(entries.get(key[2:]))
            else:
                vals = indicator_values(values.get(key[2:]))
            rows.append(PacketRow(key, r["fixed"], vals, _editable(r),
                                  dict(r.get("comments") or {})))
        manifest = replace(issued.manifest, direction="returned", revision=last + 1,
                           exported_at=clock.local_now(),
                           app_version=_version())
        packet_uid, plan_db_id, unit_id, period_id = (issued.packet.packet_uid,
                                                      issued.packet.plan_id, unit.id, per.id)
    reporter.step(1, 2, "正在写入报送包…")
    written = write_packet(Path(out_path), manifest, rows)
    ledger_id = f"{packet_uid}:returned:{manifest.revision}"
    with Session(db) as s, s.begin():
        s.add(Packet(id=ledger_id, packet_uid=packet_uid, plan_id=plan_db_id, unit_id=unit_id,
                     period_id=period_id, direction="returned", kind=manifest.kind,
                     revision=manifest.revision, file_name=str(written.path),
                     file_hash=written.sha256, outcome="exported",
                     rows={r.key: r.values for r in rows}))
    reporter.step(2, 2, "已导出")
    return ExportResult(written.path, ledger_id, packet_uid, manifest.revision,
                        sum(r.is_task for r in rows), sum(not r.is_task for r in rows),
                        written.sha256, items)


def _version() -> str:
    from app import __version__

    return str(__version__)
