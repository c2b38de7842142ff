"""Office mode, sending back: the pre-flight (what is still missing) and the return packet.

``export_packet`` writes the issued rows and seal with this period's values, direction
"returned", the next revision; each export adds a "returned" ledger row.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.core.changes import Changes
from app.core.jobs import Reporter
from app.models import (
    Indicator,
    IndicatorValue,
    Packet,
    Period,
    ProgressEntry,
    Task,
    Unit,
)
from app.services.office.forms import (
    editable_fields,
    indicator_missing,
    list_indicators,
    list_tasks,
    load_period,
    task_missing,
)
from app.services.packets.format import (
    INPUT_HEADERS,
    PacketRow,
)
from app.services.packets.values import entry_values, indicator_values
from app.services.packets.writer import write_packet


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



# ---------------------------------------------------------------- pre-flight and export

def preflight(db: Engine, period: str, plan_id: int | None = None) -> list[PreflightItem]:
    """Every missing or inconsistent entry, in sheet order (task code/indicator code, field)."""
    out = []
    for t in list_tasks(db, period, plan_id):
        for f, message in task_missing(t.values, t.editable):
            out.append(PreflightItem("task", t.key, t.code, f, message))
    for i in list_indicators(db, period, plan_id):
        for f, message in indicator_missing(i.values, i.numeric, i.editable):
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
        unit, _per, issued = load_period(s, period, plan_id)
        base = packet_file_name(period, unit.name, issued.manifest.plan.title)
    return base.removesuffix(".xlsx") + "_报送.xlsx"


def _period_values(s: Session, unit: Unit, per: Period, issued: Any) -> dict[str, dict[str, Any]]:
    """This period's values for each issued row key, as a return packet writes them."""
    entries = {t.uid: e for t, e in s.execute(
        select(Task, ProgressEntry).join(ProgressEntry, ProgressEntry.task_id == Task.id)
        .where(ProgressEntry.unit_id == unit.id, ProgressEntry.period_id == per.id))}
    values = {i.uid: v for i, v in s.execute(
        select(Indicator, IndicatorValue)
        .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
        .where(IndicatorValue.unit_id == unit.id, IndicatorValue.period_id == per.id))}
    return {r["key"]: entry_values(entries.get(r["key"][2:])) if r["key"].startswith("T:")
            else indicator_values(values.get(r["key"][2:])) for r in issued.rows}


def edited_since_export(db: Engine, period: str, plan_id: int | None = None) -> bool:
    """Whether what the form holds now differs from the last return packet exported for
    the period (False when none was): the clerk's cue to export again."""
    with Session(db) as s:
        unit, per, issued = load_period(s, period, plan_id)
        last = s.scalar(select(Packet).where(
            Packet.packet_uid == issued.packet.packet_uid, Packet.direction == "returned")
            .order_by(Packet.revision.desc()).limit(1))
        if last is None:
            return False
        current = _period_values(s, unit, per, issued)
    # the ledger keeps the exported values as JSON: compare in that form
    return bool(json.loads(json.dumps(current, default=str)) != (last.rows or {}))


def export_packet(db: Engine, period: str, out_path: Path | str, *, plan_id: int | None = None,
                  reporter: Reporter | None = None) -> ExportResult:
    """Write the return packet: the issued rows and seal, this period's values, direction
    "returned", revision + 1, atomically; recorded in the ledger once written."""
    reporter = reporter or Reporter()
    reporter.step(0, 2, "正在准备报送包…")
    items = preflight(db, period, plan_id)
    with Session(db) as s:
        unit, per, issued = load_period(s, period, plan_id)
        current = _period_values(s, unit, per, issued)
        last = s.scalar(select(func.max(Packet.revision)).where(
            Packet.packet_uid == issued.packet.packet_uid, Packet.direction == "returned")) or 0
        rows = [PacketRow(r["key"], r["fixed"], current[r["key"]], editable_fields(r),
                          dict(r.get("comments") or {})) for r in issued.rows]
        manifest = replace(issued.manifest, direction="returned", revision=last + 1,
                           exported_at=clock.local_now(),
                           app_version=_version(), lineage=_lineage(s, issued.packet))
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


# an export names at most this many files it continues (the newest matter; the manifest
# cell stays far below a spreadsheet cell's 32,767 characters)
LINEAGE_KEPT = 50


def _lineage(s: Session, issued: Packet) -> tuple[str, ...]:
    """What an export continues, newest first: every earlier export of the packet, then
    the file the office opened (the issued packet, or a hand-filled return given back)."""
    exported = [h for h in s.scalars(
        select(Packet.file_hash).where(Packet.packet_uid == issued.packet_uid,
                                       Packet.direction == "returned")
        .order_by(Packet.revision.desc(), Packet.created_at.desc())) if h]
    return tuple([*exported, issued.file_hash][:LINEAGE_KEPT]) if issued.file_hash \
        else tuple(exported[:LINEAGE_KEPT])


def _version() -> str:
    from app import __version__

    return str(__version__)
