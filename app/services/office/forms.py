"""Office mode, the clerk's form: what the unit reports for a period, read and saved.

``list_tasks``/``list_indicators`` (this period's and the previous period's values),
``office_info`` (the periods opened), ``save_task``/``save_indicator`` (one small
transaction, field-level problems back). Opening a packet is ``opening``; the pre-flight
and the return packet are ``export``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.errors import UserFacingError
from app.core.problems import Problem
from app.core.vocab import STATUS_LABELS
from app.models import (
    AuditLog,
    Indicator,
    IndicatorValue,
    Packet,
    Period,
    Plan,
    ProgressEntry,
    Task,
    Unit,
)
from app.services.db import current_actor
from app.services.office.opening import office_unit
from app.services.packets.format import (
    INDICATOR_INPUT_FIELDS,
    INPUT_HEADERS,
    TASK_INPUT_FIELDS,
    Manifest,
    empty_task_values,
    manifest_from_dict,
)
from app.services.packets.values import (
    entry_values,
    fraction_warning,
    indicator_values,
    normalise_value,
    to_column,
    to_text,
)
from app.services.plans.query import period_label, resolve_plan_period, short_title

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


# ---------------------------------------------------------------- reading for the form

@dataclass
class _Issued:
    packet: Packet
    manifest: Manifest
    rows: list[dict[str, Any]]



def _issued(s: Session, unit_id: int, period: Period) -> _Issued:
    packet = s.scalar(select(Packet).where(
        Packet.unit_id == unit_id, Packet.period_id == period.id, Packet.direction == "issued")
        .order_by(Packet.created_at.desc(), Packet.id.desc()).limit(1))
    if packet is None:
        raise UserFacingError(f"填报库中没有 {period.key} 的下发包,请先打开该期的下发包。")
    data = json.loads(packet.message)
    return _Issued(packet, manifest_from_dict(data["manifest"]), data["rows"])


def editable_fields(row: dict[str, Any]) -> frozenset[str] | None:
    return None if row.get("editable") is None else frozenset(row["editable"])


def task_missing(v: dict[str, Any], editable: frozenset[str] | None) -> list[tuple[str, str]]:
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


def indicator_missing(v: dict[str, Any], numeric: bool,
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


def load_period(s: Session, period_key: str, plan_id: int | None
          ) -> tuple[Unit, Period, _Issued]:
    unit = office_unit(s)
    period = resolve_plan_period(
        s, period_key, plan_id, missing=f"填报库中没有 {period_key} 的下发包,请先打开该期的下发包。")
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
        unit, per, issued = load_period(s, period, plan_id)
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
            editable = editable_fields(r)
            out.append(OfficeTask(
                t.id, r["key"], str(f.get("code", "")), str(f.get("section", "")),
                str(f.get("text", "")), str(f.get("deadline") or ""), str(f.get("target") or ""),
                tuple(f.get("roles") or ()), str(f.get("role", "")), tuple(f.get("lead") or ()),
                tuple(f.get("cooperating") or ()), tuple(f.get("implementing") or ()),
                bool(f.get("overdue")), values, entry_values(prev[1]) if prev else None,
                prev[0] if prev else None, editable, dict(r.get("comments") or {}),
                tuple(dict.fromkeys(fld for fld, _ in task_missing(values, editable)))))
        return out


def list_indicators(db: Engine, period: str, plan_id: int | None = None
                    ) -> list[OfficeIndicator]:
    with Session(db) as s:
        unit, per, issued = load_period(s, period, plan_id)
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
            editable = editable_fields(r)
            numeric = bool(f.get("numeric"))
            out.append(OfficeIndicator(
                ind.id, r["key"], str(f.get("code", "")), str(f.get("name", "")),
                str(f.get("group") or ""), str(f.get("unit") or ""),
                str(f.get("standard") or ""), str(f.get("attribute") or ""),
                str(f.get("target") or ""), numeric, current,
                indicator_values(prev[1]) if prev else None, prev[0] if prev else None, editable,
                dict(r.get("comments") or {}),
                tuple(fld for fld, _ in indicator_missing(current, numeric, editable))))
        return out


def office_info(db: Engine) -> OfficeInfo:
    """The unit and every period it holds a packet for (newest first)."""
    with Session(db) as s:
        unit = office_unit(s)
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
    actor = current_actor(s)
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
        unit, per, issued = load_period(s, period, plan_id)
        task_id, key = _resolve_key(s, Task, task, "T:")
        row = _row_for(issued, key)
        values, locked = _locked_problems(values, editable_fields(row))
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
        unit, per, issued = load_period(s, period, plan_id)
        ind_id, key = _resolve_key(s, Indicator, indicator, "I:")
        row = _row_for(issued, key)
        values, locked = _locked_problems(values, editable_fields(row))
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
