"""汇总, step 2: applying checked packets to the district database.

``apply_packets`` writes each acceptable packet (a preview from ``check.check_packets``,
or a path checked here first) in its own transaction, checking it again against the
database inside that transaction.

What a rejected packet leaves behind: nothing in the reported data or the plan. When
the packet could be identified as one this database issued (it is ours, but broken,
tampered with or invalid), the refusal is recorded in the packet ledger (direction
"returned", outcome "rejected") and, while the unit has no accepted return for the
period, its receipt shows 已拒收. A packet refused only because it belongs to another
plan or period (last month's file) records nothing.

Ledger rows written here: "<packet id>:returned:<revision>:<hash>" (outcome "applied",
``packed`` = the values taken from the file, the base of the next merge of that packet, and
the first values' provenance: app/services/district/packed.py) and
"<packet id>:rejected:<revision>:<hash>" (outcome "rejected", ``message`` = the problems).
The file hash in the id lets two hand-filled files of the same revision both be recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast, overload

from sqlalchemy import Engine, bindparam, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core import clock
from app.core.changes import Changes
from app.core.errors import UserFacingError
from app.core.jobs import Cancelled, Reporter
from app.core.problems import Problem
from app.models import (
    AuditLog,
    Conflict,
    Flag,
    IndicatorValue,
    Packet,
    ProgressEntry,
    Receipt,
)
from app.services.backups import make_backup
from app.services.db import (
    as_user_error,
    begin_write,
    check_same_file,
    current_actor,
    database_location,
    driver_insert_many,
    file_identity,
    is_busy,
    lock_keys,
)
from app.services.district.check import (
    Draft,
    Glance,
    Handed,
    Outcome,
    PacketPreview,
    PlanCache,
    ReadAhead,
    Target,
    Writes,
    check_one,
    draft_of,
    evaluate,
    order_batch,
    read_into,
    read_workers,
    table_of,
)
from app.services.district.inbox import MailOrigin, Member, Refused, Source, sources
from app.services.district.packed import pack
from app.services.packets.format import INDICATOR_PREFIX, TASK_PREFIX
from app.services.packets.reader import PacketFile
from app.services.packets.values import to_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PacketResult(Outcome):
    """What merging did with one file (the entries of `merge --json`)."""

    path: Path
    file: str
    status: str  # applied / unchanged / superseded / rejected / cancelled
    unit: str | None
    period: str | None
    revision: int | None
    rows_applied: int = 0
    conflicts: int = 0
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    packet_id: str | None = None  # the ledger row written, if any
    reason: str = ""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file, "status": self.status, "unit": self.unit,
            "period": self.period, "rows_applied": self.rows_applied,
            "errors": [p.as_json() for p in self.errors]}
        if self.warnings:  # the one extra key (conflicts are listed here too)
            out["warnings"] = [p.as_json() for p in self.warnings]
        return out


class MergeResults(Sequence[PacketResult]):
    """What ``apply_packets`` did, one result per item in order, and what it changed."""

    def __init__(self, results: Iterable[PacketResult]) -> None:
        self._results = tuple(results)

    @overload
    def __getitem__(self, i: int) -> PacketResult: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[PacketResult]: ...

    def __getitem__(self, i: int | slice) -> PacketResult | Sequence[PacketResult]:
        return self._results[i]

    def __len__(self) -> int:
        return len(self._results)

    def __repr__(self) -> str:
        return f"MergeResults({list(self._results)!r})"

    @property
    def changes(self) -> Changes:
        wrote = [r for r in self._results if r.packet_id is not None]
        applied = any(r.status == "applied" for r in wrote)
        return Changes(progress=applied, audit=applied, flags=applied,
                       conflicts=any(r.conflicts for r in wrote),
                       packets=bool(wrote), receipts=bool(wrote), note="merged")


def merge_json(results: Iterable[PacketResult]) -> dict[str, Any]:
    return {"packets": [r.as_json() for r in results]}


def preview_result(p: PacketPreview) -> PacketResult:
    """A dry-run preview in the shape of a result (for `merge --dry-run --json`): `new`
    shows as `applied`, the status it would get."""
    status = "applied" if p.status == "new" else p.status
    applied = status == "applied"
    return PacketResult(p.path, p.file, status, p.unit, p.period, p.revision,
                        p.rows_applied if applied else 0, p.conflicts if applied else 0,
                        p.errors, p.warnings, None, p.reason)


# ---------------------------------------------------------------- applying

def apply_packets(db: Engine, items: Sequence[PacketPreview | str | Path], *,
                  period: str | None = None, plan_id: int | None = None,
                  reporter: Reporter | None = None, received_at: dt.datetime | None = None,
                  actor: str | None = None) -> MergeResults:
    """Merge each acceptable packet in its own transaction; record refusals.

    `items` are previews from ``check_packets`` (files are not read again; the previews are
    not changed) or paths (a saved mail or an archive gives a result per packet inside it).
    Paths are first only glanced at (``check.glance``: the packet id and the file hash),
    which is all the batch order needs; a file is then read, checked and written once, in
    its own transaction, and dropped — so memory does not grow with the batch. Only files
    that answer the same packet as another file of the batch are read and ordered together
    first (``order_batch``: a file that another continues loses, as in the dry run). Inside
    its transaction each packet is checked against the database; a preview's compare is
    reused when nothing it rests on changed since. Previews that are not `new` write
    nothing except a refusal of a packet identified as ours. Cancelling stops between
    packets: those merged stay merged, the rest come back as `cancelled`. Every stamp is
    `clock.now()` (naive UTC) unless `received_at` says when the files arrived (naive UTC,
    or aware).
    """
    reporter = reporter or Reporter()
    work: list[PacketPreview | Source] = []
    for given in items:
        if isinstance(given, PacketPreview):
            work.append(given)
        else:
            work.extend(sources([given]))
    caches: dict[int, PlanCache] = {}
    # previews made before their turn: files the glance could not read (read whole now),
    # then the files of a packet that several files answer (ordered together)
    held: dict[int, PacketPreview] = {}
    files = sum(not isinstance(w, PacketPreview | Refused) for w in work)
    ahead = ReadAhead(read_workers(files))  # started now: they start while we glance
    try:
        return _apply_all(db, work, period, plan_id, reporter, received_at, actor, caches,
                          held, ahead)
    finally:
        ahead.close()


def _apply_all(db: Engine, work: list[PacketPreview | Source], period: str | None,
               plan_id: int | None, reporter: Reporter, received_at: dt.datetime | None,
               actor: str | None, caches: dict[int, PlanCache],
               held: dict[int, PacketPreview], ahead: ReadAhead) -> MergeResults:
    glances = _survey(db, work, period, plan_id, caches, held, reporter, ahead)
    together: dict[int, list[int]] = {}  # file → the files of its packet, when several
    by_packet: dict[str, list[int]] = defaultdict(list)
    for i, g in glances.items():
        if g is not None:
            by_packet[g.packet_uid].append(i)
    for members in by_packet.values():
        if len(members) > 1:
            together.update((i, members) for i in members)
    if _may_write(db, work, glances, held):
        make_backup(db, "merge")  # before the batch: one copy to go back to
    ahead.plan(db, ((i, w) for i, w in enumerate(work)
                    if isinstance(w, Path | Member) and i not in held and i not in together))
    identity = file_identity(db)
    ordered: set[int] = set()
    results: list[PacketResult] = []
    who = actor
    total = len(work)
    for i, item in enumerate(work):
        try:
            reporter.step(i, total, f"正在导入 {_shown(item).name}({i + 1}/{total})")
        except Cancelled:
            results.extend(_cancelled(held.get(j) or w) for j, w in enumerate(work[i:], i))
            return MergeResults(results)
        check_same_file(db, identity, i)
        now = clock.stored(received_at) if received_at else clock.now()
        if who is None:
            with Session(db) as s:
                who = current_actor(s)
        if i in together and i not in ordered:  # read and order that packet's files now
            members = together[i]
            with Session(db) as s:
                group = [held.get(j) or check_one(s, cast(Source, work[j]), period,
                                                     plan_id, caches, False)
                         for j in members]
            held.update(zip(members, order_batch(group), strict=True))
            ordered.update(members)
        preview = held.pop(i, None) or (item if isinstance(item, PacketPreview) else None)
        if preview is not None:
            results.append(_apply_one(db, preview, period, plan_id, caches, now, who,
                                      merged_before=i))
        else:
            assert not isinstance(item, PacketPreview)
            results.append(_apply_source(db, item, period, plan_id, caches, now, who, i,
                                         ahead.take(i)))
    reporter.step(total, total, "导入完成")
    counts: dict[str, int] = defaultdict(int)
    for r in results:
        counts[r.status] += 1
    log.info("merge: %d packet(s), %s", total, dict(counts))
    return MergeResults(results)


def _shown(item: PacketPreview | Source) -> Path:
    return item.path if isinstance(item, PacketPreview | Member | Refused) else item


def _survey(db: Engine, work: Sequence[PacketPreview | Source], period: str | None,
            plan_id: int | None, caches: dict[int, PlanCache], held: dict[int, PacketPreview],
            reporter: Reporter, ahead: ReadAhead) -> dict[int, Glance | None]:
    """A glance at every packet file of the batch (previews and refusals need none; the
    read-ahead's workers glance at part of a large batch); a file the glance cannot read
    is read whole now and its preview held for its turn, so its packet is known for the
    order all the same."""
    total = len(work)
    files = [(i, item) for i, item in enumerate(work)
             if not isinstance(item, PacketPreview | Refused)]
    seen = ahead.glances(files, lambda i: reporter.step(
        i, total, f"正在检查 {_shown(work[i]).name}({i + 1}/{total})"))
    out: dict[int, Glance | None] = {}
    for i, item in files:
        if seen[i] is None:
            with Session(db) as s:
                preview = held[i] = check_one(s, item, period, plan_id, caches, False)
            if preview.packet_uid:
                seen[i] = Glance(preview.packet_uid, preview.file_hash)
        out[i] = seen[i]
    return out


def _may_write(db: Engine, work: Sequence[PacketPreview | Source],
               glances: dict[int, Glance | None], held: dict[int, PacketPreview]) -> bool:
    """Whether any item may change data: a `new` preview, or a file glanced as a packet
    this database issued and has not merged that very file of."""
    if any(p.status == "new" for p in (*held.values(), *(
            w for w in work if isinstance(w, PacketPreview)))):
        return True
    seen = {(g.packet_uid, g.file_hash) for i, g in glances.items()
            if g is not None and i not in held}
    uids = sorted({uid for uid, _h in seen})
    with Session(db) as s:
        for start in range(0, len(uids), 500):
            chunk = uids[start:start + 500]
            issued = set(s.scalars(select(Packet.packet_uid).where(
                Packet.packet_uid.in_(chunk), Packet.direction == "issued")))
            merged = {(uid, h) for uid, h in s.execute(select(
                Packet.packet_uid, Packet.file_hash).where(
                Packet.packet_uid.in_(chunk), Packet.direction == "returned",
                Packet.outcome == "applied"))}
            if any(uid in issued and (uid, h) not in merged for uid, h in seen
                   if uid in chunk):
                return True
    return False


def _cancelled(p: PacketPreview | Source) -> PacketResult:
    if isinstance(p, PacketPreview):
        return PacketResult(p.path, p.file, "cancelled", p.unit, p.period, p.revision,
                            reason="已取消,未导入。")
    path = _shown(p)
    return PacketResult(path, str(path), "cancelled", None, None, None, reason="已取消,未导入。")


# A packet still waiting for the write lock after SQLite's busy timeout (5 s) is tried
# again this many times; then the database is held by something that does not let go
# (another program mid-write), and the batch stops with one line (each merged packet is
# its own transaction, so nothing is half-written).
BUSY_ATTEMPTS = 6


def _apply_source(db: Engine, source: Source, period: str | None, plan_id: int | None,
                  caches: dict[int, PlanCache], now: dt.datetime, actor: str,
                  merged_before: int, read: Callable[[], Handed] | None = None
                  ) -> PacketResult:
    """A file read now (outside any transaction: the write lock is not held while the
    file is parsed) or by a worker process (`read`), then checked and written in its own
    transaction, once."""
    if isinstance(source, Refused):
        refused = Draft(source.path, str(source.path))
        refused.reject(source.message)
        return _result(refused.freeze(), "rejected", None)
    draft = draft_of(source)
    if read_into(source, draft, read) is None:
        return _result(draft.freeze(), "rejected", None)
    return _settle(db, draft, None, period, plan_id, caches, now, actor, merged_before)


def _apply_one(db: Engine, preview: PacketPreview, period: str | None, plan_id: int | None,
               caches: dict[int, PlanCache], now: dt.datetime, actor: str,
               merged_before: int = 0) -> PacketResult:
    """A preview: written (checked again inside the transaction) when it is `new`; else
    only a refusal of a packet of ours is recorded. The preview is never changed."""
    if preview.status == "new" and preview.packet is not None:
        return _settle(db, Draft.of(preview), preview, period, plan_id, caches, now, actor,
                       merged_before)
    recorded = None
    if preview.status == "rejected" and preview.record_rejection:
        recorded = _record_rejection(db, preview, now)
    return _result(preview, preview.status, recorded)


def _settle(db: Engine, draft: Draft, checked: PacketPreview | None, period: str | None,
            plan_id: int | None, caches: dict[int, PlanCache], now: dt.datetime, actor: str,
            merged_before: int) -> PacketResult:
    """Identity check, three-way compare and write of one packet: one locked transaction.

    The unit-period write lock is taken before the first read, so any interleaving of
    processes ends as merging the files one by one would; a file another process merged
    meanwhile comes out `unchanged` (or `superseded`). `checked`: the preview of the same
    file, whose compare is reused when nothing it rests on changed.
    """
    packet = draft.packet
    assert packet is not None
    verdict = checked or draft.freeze()
    busy: OperationalError | None = None
    for attempt in range(BUSY_ATTEMPTS):
        try:
            with Session(db) as s, s.begin():
                _lock_unit_period(s, packet.manifest.packet_id)
                found = evaluate(s, packet, draft, period, plan_id, caches, checked=checked)
                verdict = draft.freeze()
                if found is None:
                    break
                target, writes = found
                written = _write(s, target, packet, verdict, writes, now, actor)
                return _result(verdict, "applied", written)
        except OperationalError as exc:
            if not is_busy(exc):
                raise
            busy = exc
            log.info("%s: database busy (attempt %d)", draft.path.name, attempt + 1)
    else:
        assert busy is not None  # every attempt ended waiting for the lock
        fault = as_user_error(busy, database_location(db))
        raise UserFacingError(f"{fault} 本批此前已处理 {merged_before} 个文件,{draft.path.name} "
                              "及其后的文件未导入。") from busy
    recorded = None
    if verdict.status == "rejected" and verdict.record_rejection:
        recorded = _record_rejection(db, verdict, now)
    return _result(verdict, verdict.status, recorded)


def _lock_unit_period(s: Session, packet_uid: str) -> None:
    """The merge's write lock for the unit and period this packet was issued to.

    SQLite: the whole database (BEGIN IMMEDIATE, the first statement). PostgreSQL: an
    advisory lock on (unit id, period id), found from the issued ledger row (never changed
    once written, so reading it before the lock is safe); a packet we never issued writes
    nothing of a unit's data and needs none.
    """
    if begin_write(s):
        return
    issued = s.execute(select(Packet.unit_id, Packet.period_id).where(
        Packet.packet_uid == packet_uid, Packet.direction == "issued")).first()
    if issued is not None:
        lock_keys(s, issued.unit_id, issued.period_id)


def _result(p: PacketPreview, status: str, packet_id: str | None) -> PacketResult:
    rows = p.rows_applied if status == "applied" else 0
    return PacketResult(p.path, p.file, status, p.unit, p.period, p.revision, rows,
                        p.conflicts if status == "applied" else 0, p.errors, p.warnings,
                        packet_id, p.reason)


def mail_columns(origin: MailOrigin | None) -> dict[str, str]:
    """The ledger row's record of the mail a packet came in (nothing for a plain file)."""
    if origin is None:
        return {}
    return {"mail_from": origin.sender, "mail_date": origin.date,
            "mail_subject": origin.subject}


def _ledger_id(uid: str, tag: str, revision: int, file_hash: str) -> str:
    return f"{uid[:32]}:{tag}:{revision}:{file_hash[:12]}"[:64]


# made once (a batch writes them for every packet)
_INSERT_PACKET = insert(table_of(Packet))
_INSERT_RECEIPT = insert(table_of(Receipt))


def _write(s: Session, target: Target, packet: PacketFile, preview: PacketPreview,
           plan: Writes, now: dt.datetime, actor: str) -> str:
    """The packet's rows, audit, conflicts, receipt and ledger row (``plan`` is read only).

    Core statements throughout (the ledger row first: the entries point at it), each list
    of rows in one executemany; no ORM object per row."""
    m = packet.manifest
    packet_id = _ledger_id(m.packet_id, "returned", m.revision, packet.file_hash)
    # the values taken and the first values' provenance (no audit row each), packed
    packed, first_targets = pack(plan.returned_rows, actor, plan.created, plan.packed_rows)
    conn = s.connection()
    conn.execute(_INSERT_PACKET, {
        "id": packet_id, "packet_uid": m.packet_id, "plan_id": target.plan.plan_id,
        "unit_id": target.unit.id, "period_id": target.period.id, "direction": "returned",
        "kind": target.issued.kind, "revision": m.revision, "file_name": preview.path.name,
        "file_hash": packet.file_hash, "created_at": now, "outcome": "applied",
        "message": _summary(preview), "rows": {}, "first_targets": first_targets,
        "packed": packed,
        "lineage": list(m.lineage) if m.lineage is not None else None,
        "mail_from": None, "mail_date": None, "mail_subject": None,
        **mail_columns(preview.origin)})
    stamp = {"packet_id": packet_id, "updated_at": now}
    # the rows' columns are plain values (the stamp and dates processed once per column
    # type by the helper): straight to the driver's executemany
    driver_insert_many(conn, table_of(ProgressEntry), [{**r, **stamp} for r in plan.new_entries])
    driver_insert_many(conn, table_of(IndicatorValue), [{**r, **stamp} for r in plan.new_values])
    _bulk_update(s, ProgressEntry, dict(plan.entry_updates), packet_id, now)
    _bulk_update(s, IndicatorValue, dict(plan.value_updates), packet_id, now)

    entry_by_key, value_by_key = _current_ids(s, target, packet) if preview.changes \
        else ({}, {})
    audit: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []
    common = {"at": now, "actor": actor, "actor_unit": target.unit.name, "packet_id": packet_id,
              "file_hash": packet.file_hash}
    for ch in preview.changes:  # fields of rows that existed: taken or conflicting
        entity_id = (entry_by_key if ch.entity == "progress" else value_by_key)[ch.key]
        if ch.action == "take":
            audit.append({**common, "entity": ch.entity, "entity_id": entity_id,
                          "field": ch.field, "old": to_text(ch.current),
                          "new": to_text(ch.returned), "sheet": ch.sheet, "cell": ch.cell})
        else:
            conflicts.append({"packet_id": packet_id, "entity": ch.entity,
                              "entity_id": entity_id, "field": ch.field,
                              "issued": to_text(ch.base), "returned": to_text(ch.returned),
                              "current": to_text(ch.current), "sheet": ch.sheet,
                              "cell": ch.cell, "status": "open"})
    if conflicts:
        # a newer return replaces an undecided older conflict on the same field
        ct = table_of(Conflict)
        conn.execute(update(ct).where(
            ct.c.entity == bindparam("_entity"), ct.c.entity_id == bindparam("_entity_id"),
            ct.c.field == bindparam("_field"), ct.c.status == "open"
        ).values(status="replaced", resolved_at=now),
            [{"_entity": c["entity"], "_entity_id": c["entity_id"], "_field": c["field"]}
             for c in conflicts])
        driver_insert_many(conn, ct, conflicts)
    driver_insert_many(conn, table_of(AuditLog), audit)
    _accept_receipt(s, target, m.revision, packet_id, now)
    if target.issued.kind == "correction":
        ft = table_of(Flag)
        conn.execute(update(ft).where(ft.c.packet_id == m.packet_id, ft.c.status == "open")
                     .values(status="closed", closed_at=now))
    return packet_id


def _current_ids(s: Session, target: Target, packet: PacketFile
                 ) -> tuple[dict[str, int], dict[str, int]]:
    """Row key → id of the entry / indicator value of this unit and period."""
    task_key = {tid: TASK_PREFIX + uid for uid, (tid, _c) in target.plan.tasks.items()}
    ind_key = {iid: INDICATOR_PREFIX + uid for uid, (iid, _c) in target.plan.indicators.items()}
    entries = {task_key[tid]: eid for tid, eid in s.execute(
        select(ProgressEntry.task_id, ProgressEntry.id).where(
            ProgressEntry.unit_id == target.unit.id,
            ProgressEntry.period_id == target.period.id)) if tid in task_key}
    values = {ind_key[iid]: vid for iid, vid in s.execute(
        select(IndicatorValue.indicator_id, IndicatorValue.id).where(
            IndicatorValue.unit_id == target.unit.id,
            IndicatorValue.period_id == target.period.id)) if iid in ind_key}
    return entries, values


def _bulk_update(s: Session, model: type[ProgressEntry] | type[IndicatorValue],
                 updates: dict[int, dict[str, Any]], packet_id: str, now: dt.datetime) -> None:
    """Core executemany, one statement per set of changed columns."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row_id, values in updates.items():
        cols = tuple(sorted(values))
        by_columns[cols].append({"_id": row_id, **{f"_{c}": v for c, v in values.items()}})
    table = table_of(model)
    for cols, params in by_columns.items():
        stmt = (update(table).where(table.c.id == bindparam("_id"))
                .values({**{c: bindparam(f"_{c}") for c in cols}, "packet_id": packet_id,
                         "updated_at": now}))
        s.connection().execute(stmt, params)


def _accept_receipt(s: Session, target: Target, revision: int, packet_id: str,
                    now: dt.datetime) -> None:
    """The receipt read with the compare's basis (same transaction) now says accepted."""
    receipt = target.receipt
    if receipt is None:
        s.connection().execute(_INSERT_RECEIPT, {
            "unit_id": target.unit.id, "period_id": target.period.id, "received_at": now,
            "state": "accepted", "revision": revision, "packet_id": packet_id})
        return
    first = receipt.state not in ("accepted", "returned_for_fix") or receipt.received_at is None
    if first:
        receipt.received_at = now  # lateness counts from the first accepted return
    receipt.state = "accepted"
    receipt.revision = revision
    receipt.packet_id = packet_id


def _record_rejection(db: Engine, preview: PacketPreview, now: dt.datetime) -> str | None:
    """Ledger row (and receipt state) for a refused packet of ours; None if not ours."""
    packet = preview.packet
    if packet is None:
        return None
    with Session(db) as s, s.begin():
        _lock_unit_period(s, packet.manifest.packet_id)
        issued = s.scalar(select(Packet).where(Packet.packet_uid == packet.manifest.packet_id,
                                               Packet.direction == "issued"))
        if issued is None:
            return None
        packet_id = _ledger_id(issued.packet_uid, "rejected", packet.manifest.revision,
                               packet.file_hash)
        if s.get(Packet, packet_id) is None:
            s.add(Packet(id=packet_id, packet_uid=issued.packet_uid, plan_id=issued.plan_id,
                         unit_id=issued.unit_id, period_id=issued.period_id,
                         direction="returned", kind=issued.kind,
                         revision=packet.manifest.revision, file_name=preview.path.name,
                         file_hash=packet.file_hash, created_at=now, outcome="rejected",
                         message=_summary(preview), rows={},
                         **mail_columns(preview.origin)))
        receipt = s.scalar(select(Receipt).where(Receipt.unit_id == issued.unit_id,
                                                 Receipt.period_id == issued.period_id))
        if receipt is None:
            s.add(Receipt(unit_id=issued.unit_id, period_id=issued.period_id,
                          received_at=now, state="rejected", revision=packet.manifest.revision,
                          packet_id=packet_id))
        elif receipt.state in ("issued", "rejected"):
            receipt.state = "rejected"
            receipt.received_at = now
            receipt.packet_id = packet_id
        return packet_id


def _summary(p: PacketPreview) -> str:
    """The ledger's one-line message: the reason, then the first problems."""
    lines = [q.text for q in p.errors[:20]]
    if p.reason and not p.errors:
        lines.append(p.reason)
    if len(p.errors) > 20:
        lines.append(f"……共 {len(p.errors)} 处错误")
    return "\n".join(lines)
