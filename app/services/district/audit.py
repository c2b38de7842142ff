"""日志: the audit log as plain records, filtered by unit, task/indicator code and packet.

Provenance of a first value: a merge writes no audit row for a field it stores in a row
that did not exist yet (that was one row per stored field, 1.27 million rows for 1,000
returns). The returned packet's ledger row already holds the values taken; it also
records who merged it and which rows it created, the sheet and cell of each filled field
following from the row's position and the sheet's columns (app/services/district/packed.py,
which also reads the layouts of earlier versions). The 日志 and the 台账 history pane read
those facts back as entries like the audit rows they replace. Changes to existing values,
district edits and conflict decisions keep their audit rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, Select, func, or_, select
from sqlalchemy.orm import Session

from app.core import clock
from app.models import (
    AuditLog,
    Indicator,
    IndicatorValue,
    Packet,
    Period,
    ProgressEntry,
    Task,
    Unit,
)
from app.services.district.packed import FIRST_VALUES, FirstValue, first_values, target_token
from app.services.packets.format import INDICATOR_PREFIX, TASK_PREFIX
from app.services.packets.values import display, label, to_text


@dataclass(frozen=True)
class HistoryFact:
    """One fact of an entry's history: an audit row or a first value from the ledger."""

    at: dt.datetime  # naive UTC, as stored
    actor: str
    field: str
    old: str | None
    new: str | None
    kind: str
    note: str
    packet_id: str | None
    sheet: str | None
    cell: str | None


def entry_history(s: Session, entity: str, entity_id: int, target_id: int, unit_id: int,
                  period_id: int) -> list[HistoryFact]:
    """Every fact about one entry or indicator value, oldest first: the first values of
    the return that created it, then its audit rows."""
    facts: list[tuple[tuple[Any, ...], HistoryFact]] = []
    for p in s.scalars(select(Packet).where(
            Packet.unit_id == unit_id, Packet.period_id == period_id,
            Packet.direction == "returned", Packet.outcome == "applied")):
        actor, values = first_values(p.packed, p.rows, {(entity, target_id)})
        facts.extend(((p.created_at, 0, n), HistoryFact(
            p.created_at, actor, v.field, None, v.new, "", "", p.id, v.sheet, v.cell))
            for n, v in enumerate(values))
    for a in s.scalars(select(AuditLog).where(AuditLog.entity == entity,
                                              AuditLog.entity_id == entity_id)):
        facts.append(((a.at, 1, a.id), HistoryFact(
            a.at, a.actor, a.field, a.old, a.new, a.kind, a.note or "", a.packet_id, a.sheet,
            a.cell)))
    return [f for _k, f in sorted(facts, key=lambda kf: kf[0])]


@dataclass(frozen=True)
class AuditEntry:
    id: int | None  # the audit row; None for a first value read from the packet ledger
    at: dt.datetime  # local time
    actor: str
    unit: str
    period: str
    entity: str
    code: str  # task or indicator code
    field: str
    old: str | None
    new: str | None
    packet_id: str | None
    file_hash: str | None
    sheet: str | None
    cell: str | None
    order: int = 0  # position in the list it came in, larger = newer (sorting by time)

    @property
    def kept(self) -> bool:
        """A conflict decided for the district's value (nothing was written)."""
        return self.field.endswith(":kept")

    @property
    def field_label(self) -> str:
        base = self.field.removesuffix(":kept")
        return label(base) + ("(冲突:保留本方)" if self.kept else "")

    @property
    def old_text(self) -> str:
        return display(self.field.removesuffix(":kept"), self.old)

    @property
    def new_text(self) -> str:
        return display(self.field.removesuffix(":kept"), self.new)

    @property
    def where(self) -> str:
        return "".join(p for p in (f"[{self.sheet}]" if self.sheet else "", self.cell or ""))


def list_audit(db: Engine, *, plan_id: int | None = None, period_id: int | None = None,
               unit: str | None = None, code: str | None = None, packet: str | None = None,
               limit: int = 5000) -> list[AuditEntry]:
    """Newest first. `unit` matches the unit name, `code` a task or indicator code exactly,
    `packet` a packet id or its beginning."""
    pe, iv = ProgressEntry, IndicatorValue
    with Session(db) as s:
        query = (
            select(AuditLog, Unit.name, Period.key, Task.code, Indicator.code)
            .outerjoin(pe, (AuditLog.entity == "progress") & (pe.id == AuditLog.entity_id))
            .outerjoin(iv, (AuditLog.entity == "indicator_value") & (iv.id == AuditLog.entity_id))
            .outerjoin(Task, Task.id == pe.task_id)
            .outerjoin(Indicator, Indicator.id == iv.indicator_id)
            .outerjoin(Unit, Unit.id == func.coalesce(pe.unit_id, iv.unit_id))
            .outerjoin(Period, Period.id == func.coalesce(pe.period_id, iv.period_id))
            .order_by(AuditLog.id.desc()).limit(limit))
        if plan_id is not None:
            query = query.where(or_(Task.plan_id == plan_id, Indicator.plan_id == plan_id,
                                    AuditLog.entity.not_in(("progress", "indicator_value"))))
        if period_id is not None:
            query = query.where(Period.id == period_id)
        if unit:
            query = query.where(or_(Unit.name == unit, AuditLog.actor_unit == unit))
        if code:
            query = query.where(or_(Task.code == code, Indicator.code == code))
        if packet:
            query = query.where(AuditLog.packet_id.startswith(packet, autoescape=True))
        keyed: list[tuple[tuple[Any, ...], AuditEntry]] = []
        for a, unit_name, period_key, task_code, ind_code in s.execute(query):
            keyed.append(((a.at, 1, a.id), AuditEntry(
                a.id, clock.to_local(a.at), a.actor, unit_name or a.actor_unit,
                period_key or "", a.entity, task_code or ind_code or "", a.field, a.old, a.new,
                a.packet_id, a.file_hash, a.sheet, a.cell)))
        keyed.extend(_first_value_entries(s, plan_id, period_id, unit, code, packet, limit))
        keyed.sort(key=lambda ke: ke[0], reverse=True)
        kept = [e for _k, e in keyed[:limit]]
        return [replace(e, order=len(kept) - n) for n, e in enumerate(kept)]


def _first_value_entries(s: Session, plan_id: int | None, period_id: int | None,
                         unit: str | None, code: str | None, packet: str | None, limit: int
                         ) -> Iterator[tuple[tuple[Any, ...], AuditEntry]]:
    """The first values of merged returns matching the filters, newest first, at least
    `limit` of them where there are that many (each with its sort key)."""
    query = (select(Packet, Unit.name, Period.key).join(Unit, Unit.id == Packet.unit_id)
             .join(Period, Period.id == Packet.period_id)
             .where(Packet.direction == "returned", Packet.outcome == "applied")
             .order_by(Packet.created_at.desc(), Packet.id.desc()))
    if plan_id is not None:
        query = query.where(Packet.plan_id == plan_id)
    if period_id is not None:
        query = query.where(Packet.period_id == period_id)
    if unit:
        query = query.where(Unit.name == unit)
    if packet:
        query = query.where(Packet.id.startswith(packet, autoescape=True))
    if code:
        yield from _first_values_of_code(s, query, plan_id, code, limit)
        return
    codes: dict[tuple[str, int], str] = {}
    found = 0
    # streamed: a ledger row carries its packet's values, and a packet has hundreds of
    # first values, so the newest few packets usually fill a page
    result = s.execute(query.execution_options(yield_per=4))
    for rank, (p, unit_name, period_key) in enumerate(result):
        if found >= limit:
            result.close()
            return
        actor, values = first_values(p.packed, p.rows)
        _load_codes(s, codes, values)
        at = clock.to_local(p.created_at)
        for n in range(len(values) - 1, -1, -1):
            v = values[n]
            c = codes.get((v.entity, v.target_id), "")
            if code and c != code:
                continue
            found += 1
            # packets merged at the same moment (a batch given one received time) stay
            # one block each instead of interleaving field by field
            yield (p.created_at, 0, -rank, n), AuditEntry(
                None, at, actor, unit_name, period_key, v.entity, c, v.field, None, v.new,
                p.id, p.file_hash, v.sheet, v.cell)


def _first_values_of_code(s: Session, query: Select[Packet, str, str], plan_id: int | None, code: str,
                          limit: int) -> Iterator[tuple[tuple[Any, ...], AuditEntry]]:
    """`_first_value_entries` for one task or indicator code: the database picks the
    returns that created a row of that code (`first_targets`) and only those are unpacked;
    a ledger row written before 0008 gives the rows of that code by a JSON path each (the
    keyed layout), or is read whole (the list layout)."""
    keys: list[tuple[str, str, int]] = []  # (row key, entity, target id): tasks first
    for entity, model, prefix in (("progress", Task, TASK_PREFIX),
                                  ("indicator_value", Indicator, INDICATOR_PREFIX)):
        found_ids = select(model.uid, model.id).where(model.code == code)
        if plan_id is not None:
            found_ids = found_ids.where(model.plan_id == plan_id)
        keys.extend((prefix + uid, entity, i) for uid, i in s.execute(found_ids))
    if not keys:
        return
    wanted = {(e, i) for _k, e, i in keys}
    legacy = Packet.rows
    picks = [legacy[(FIRST_VALUES, "actor")], legacy[(FIRST_VALUES, "rows", 0)]]
    for key, _e, _i in keys:
        picks += [legacy[(FIRST_VALUES, "by_key", key)], legacy[key]]
    picked = query.with_only_columns(
        Packet.id, Packet.created_at, Packet.file_hash, Unit.name, Period.key,
        Packet.packed, *picks).where(or_(
            Packet.packed.is_(None),
            *(Packet.first_targets.contains(target_token(e, i), autoescape=True)
              for _k, e, i in keys)))
    found = 0
    for rank, row in enumerate(s.execute(picked)):
        pid, created_at, file_hash, unit_name, period_key, packed, actor, listed, *pieces = row
        if found >= limit:
            return
        values: list[FirstValue] = []
        if packed is not None:  # only the lines of the wanted rows are decoded
            actor, values = first_values(packed, None, wanted)
        elif listed is not None:  # the list layout: read whole
            rows = s.scalar(select(Packet.rows).where(Packet.id == pid))
            actor, values = first_values(None, rows, wanted)
        else:
            for n, (_key, entity, target_id) in enumerate(keys):
                created, returned = pieces[2 * n], pieces[2 * n + 1] or {}
                if created is None:
                    continue
                _e, _t, sheet, cells = created
                values.extend(FirstValue(entity, target_id, f, to_text(returned.get(f)),
                                         sheet, cell) for f, cell in cells)
        at = clock.to_local(created_at)
        for n in range(len(values) - 1, -1, -1):
            v = values[n]
            found += 1
            yield (created_at, 0, -rank, n), AuditEntry(
                None, at, actor or "", unit_name, period_key, v.entity, code, v.field, None,
                v.new, pid, file_hash, v.sheet, v.cell)


def _load_codes(s: Session, codes: dict[tuple[str, int], str],
                values: list[FirstValue]) -> None:
    """Task and indicator codes of the ids not looked up yet."""
    for entity, model in (("progress", Task), ("indicator_value", Indicator)):
        missing = {v.target_id for v in values
                   if v.entity == entity and (entity, v.target_id) not in codes}
        if missing:
            codes.update(((entity, i), c) for i, c in s.execute(
                select(model.id, model.code).where(model.id.in_(missing))))
