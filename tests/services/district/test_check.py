"""The dry run's warnings: a 完成进度 that looks like "60%" lost its percent format."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from merge_helpers import fill_by_hand, issue, row_keys

from app.services.db import Database
from app.services.district.check import PacketPreview, check_packets
from app.services.district.merge import apply_packets
from app.services.packets.format import SHEET_TASKS
from app.services.packets.reader import read_packet

UNIT = "青龙街道"


def _percent_cell(path: Path, key: str) -> str:
    row = read_packet(path).row(key)
    assert row is not None
    return row.cells["percent"]


def test_fraction_after_last_periods_percent_is_warned(tianning: Database,
                                                       tmp_path: Path) -> None:
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    key = row_keys(june)[0]
    filled = fill_by_hand(june, tmp_path / "r6.xlsx", {key: {"status": "in_progress",
                                                             "percent": 40}})
    assert [r.status for r in apply_packets(tianning, check_packets(tianning, [filled]))] == [
        "applied"]
    july = issue(tianning, "2021-07", [UNIT], tmp_path)[UNIT]
    plain = fill_by_hand(july, tmp_path / "r7.xlsx", {key: {"status": "in_progress",
                                                            "percent": 0.6}})
    preview = check_packets(tianning, [plain])[0]
    assert preview.status == "new"
    cell = _percent_cell(july, key)
    hits = [w for w in preview.warnings if "上期是 40" in w.message]
    assert [(w.sheet, w.cell) for w in hits] == [(SHEET_TASKS, cell)]
    assert "60%" in hits[0].message
    # the same 0.6 shown as 60% (what Excel/LibreOffice store for a typed "60%"): 60, no warning
    wb = openpyxl.load_workbook(plain)
    wb[SHEET_TASKS][cell].number_format = "0%"
    formatted = tmp_path / "r7b.xlsx"
    wb.save(formatted)
    preview = check_packets(tianning, [formatted])[0]
    assert not any("上期是" in w.message for w in preview.warnings)
    assert preview.status == "new" and preview.rows_new >= 1
    row = read_packet(formatted).row(key)
    assert row is not None and row.values["percent"] == 60.0 and row.percent_format


# ---------------------------------------------------------------- lineage

def _office(issued: Path, folder: Path) -> Database:
    from app.services.db import open_database
    from app.services.office.opening import open_packet

    db = open_database(folder / "office.db")
    open_packet(db, issued)
    return db


def _export(office: Database, name: str, folder: Path, values: dict[str, dict] | None = None
            ) -> Path:
    from app.services.office.export import export_packet
    from app.services.office.forms import save_task

    for key, fields in (values or {}).items():
        assert not [p for p in save_task(office, "2021-06", key, fields).problems if p.blocking]
    return export_packet(office, "2021-06", folder / name).path


def _merge(db: Database, path: Path) -> str:
    return apply_packets(db, check_packets(db, [path]))[0].status


def _values(db: Database) -> dict[str, tuple]:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.models import ProgressEntry, Task, Unit

    with Session(db) as s:
        return {r.uid: (r.status, r.percent, r.progress) for r in s.execute(
            select(Task.uid, ProgressEntry.status, ProgressEntry.percent,
                   ProgressEntry.progress)
            .join(Task, Task.id == ProgressEntry.task_id)
            .join(Unit, Unit.id == ProgressEntry.unit_id).where(Unit.name == UNIT))}


def test_unfilled_export_after_a_hand_filled_return_blanks_nothing(
        tianning: Database, tmp_path: Path) -> None:
    """Issue 11, 4: a hand-filled file (revision 0), then an unfilled export of the same
    packet from the office app (revision 1): the export changes only what it changed."""
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    keys = row_keys(june)[:5]
    filled = fill_by_hand(june, tmp_path / "手填.xlsx", {k: {
        "status": "in_progress", "percent": 50, "progress": "已完成 3 家"} for k in keys})
    assert _merge(tianning, filled) == "applied"
    before = _values(tianning)
    office = _office(june, tmp_path)
    try:
        unfilled = _export(office, "空白导出.xlsx", tmp_path)
    finally:
        office.dispose()
    preview = check_packets(tianning, [unfilled])[0]
    assert preview.conflicts == 0 and not [c for c in preview.changes if c.action == "take"]
    assert _merge(tianning, unfilled) in ("unchanged", "applied")
    assert _values(tianning) == before


@pytest.mark.parametrize("export_first", [True, False])
def test_office_continuing_a_hand_filled_return_supersedes_it(
        tianning: Database, tmp_path: Path, export_first: bool) -> None:
    """The office opens the hand-filled file it sent and goes on in the app: its export
    continues that file (lineage), so merged first it makes the hand-filled file older, and
    merged after it, it takes only what the office changed."""
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    k1, k2 = row_keys(june)[:2]
    hand = fill_by_hand(june, tmp_path / "手填.xlsx", {
        k1: {"status": "in_progress", "percent": 50, "progress": "手填"},
        k2: {"status": "in_progress", "percent": 20, "progress": "手填二"}})
    office = _office(hand, tmp_path)
    try:
        export = _export(office, "续填.xlsx", tmp_path, {k2: {"percent": 40}})
    finally:
        office.dispose()
    from app.services.packets.reader import read_packet as read

    assert read(export).manifest.lineage == (read(hand).file_hash,)
    if export_first:
        assert _merge(tianning, export) == "applied"
        assert _merge(tianning, hand) == "superseded"
    else:
        assert _merge(tianning, hand) == "applied"
        preview = check_packets(tianning, [export])[0]  # against the hand-filled file
        assert [(c.key, c.field) for c in preview.changes] == [(k2, "percent")]
        assert _merge(tianning, export) == "applied"
    assert _values(tianning)[k1[2:]] == ("in_progress", 50, "手填")
    assert _values(tianning)[k2[2:]] == ("in_progress", 40, "手填二")


def test_edited_revision_number_cannot_push_a_later_export_aside(
        tianning: Database, tmp_path: Path) -> None:
    """A manifest revision edited to 99 is merged; the office's genuine next export is
    still merged (ordered by lineage), changing only the fields it changed."""
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    k1, k2 = row_keys(june)[:2]
    office = _office(june, tmp_path)
    try:
        first = _export(office, "第1版.xlsx", tmp_path, {k1: {"status": "推进中", "percent": 30}})
        assert _merge(tianning, first) == "applied"
        forged = tmp_path / "第99版.xlsx"
        wb = openpyxl.load_workbook(first)
        ws = wb["_taizhang"]
        for row in ws.iter_rows():
            if row[0].value == "revision":
                row[1].value = "99"
        wb.save(forged)
        assert read_packet(forged).manifest.revision == 99
        assert _merge(tianning, forged) in ("applied", "unchanged")
        second = _export(office, "第2版.xlsx", tmp_path, {k2: {"status": "推进中", "percent": 70}})
    finally:
        office.dispose()
    assert _merge(tianning, second) == "applied"
    values = _values(tianning)
    assert values[k1[2:]][1] == 30 and values[k2[2:]][1] == 70
    assert check_packets(tianning, [first])[0].status == "unchanged"


def test_in_one_batch_lineage_orders_and_an_edited_revision_pushes_nothing_aside(
        tianning: Database, tmp_path: Path) -> None:
    """Dropped together: export 1 (continued by export 2) loses to it; a copy of export 1
    with its revision edited to 99 does not push export 2 aside; both are merged."""
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    k1, k2 = row_keys(june)[:2]
    office = _office(june, tmp_path)
    try:
        first = _export(office, "第1版.xlsx", tmp_path, {k1: {"status": "推进中", "percent": 30}})
        forged = tmp_path / "第99版.xlsx"
        wb = openpyxl.load_workbook(first)
        for row in wb["_taizhang"].iter_rows():
            if row[0].value == "revision":
                row[1].value = "99"
        wb.save(forged)
        second = _export(office, "第2版.xlsx", tmp_path, {k2: {"status": "推进中", "percent": 70}})
    finally:
        office.dispose()
    previews = check_packets(tianning, [first, forged, second])
    status = {p.path.name: p.status for p in previews}
    assert status == {"第1版.xlsx": "superseded", "第99版.xlsx": "new", "第2版.xlsx": "new"}
    assert "继续填写" in previews[0].reason
    results = apply_packets(tianning, previews)
    assert [r.status for r in results][1:] == ["applied", "applied"]
    values = _values(tianning)
    assert values[k1[2:]][1] == 30 and values[k2[2:]][1] == 70


def test_in_one_batch_a_hand_filled_file_loses_to_a_higher_revision(
        tianning: Database, tmp_path: Path) -> None:
    """Without lineage (filled in Excel) the revision number still orders a batch."""
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    k1 = row_keys(june)[0]
    older = fill_by_hand(june, tmp_path / "旧.xlsx", {k1: {"status": "in_progress", "percent": 10}})
    newer = tmp_path / "新.xlsx"
    wb = openpyxl.load_workbook(fill_by_hand(june, tmp_path / "新0.xlsx", {
        k1: {"status": "in_progress", "percent": 20}}))
    for row in wb["_taizhang"].iter_rows():
        if row[0].value == "revision":
            row[1].value = "1"
    wb.save(newer)
    previews = check_packets(tianning, [newer, older])
    assert [p.status for p in previews] == ["new", "superseded"]


def test_export_continuing_an_unseen_one_uses_the_newest_known_base(
        tianning: Database, tmp_path: Path) -> None:
    """Exports 1 and 2 were never received; export 3 is merged against the issue (its
    newest ancestor known here), and an older export arriving later is superseded."""
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    k1, k2 = row_keys(june)[:2]
    office = _office(june, tmp_path)
    try:
        one = _export(office, "1.xlsx", tmp_path, {k1: {"status": "推进中", "percent": 10}})
        _export(office, "2.xlsx", tmp_path, {k1: {"percent": 20}})
        three = _export(office, "3.xlsx", tmp_path, {k2: {"status": "滞后", "problems": "缺资金"}})
    finally:
        office.dispose()
    lineage = read_packet(three).manifest.lineage
    assert lineage is not None and len(lineage) == 3  # exports 2 and 1, then the issued file
    assert lineage[-1] == read_packet(june).file_hash
    assert _merge(tianning, three) == "applied"
    values = _values(tianning)
    assert values[k1[2:]][:2] == ("in_progress", 20) and values[k2[2:]][0] == "behind"
    preview = check_packets(tianning, [one])[0]
    assert preview.status == "superseded" and "继续填写" in preview.reason


def test_a_sibling_export_changes_only_what_it_changed(
        tianning: Database, tmp_path: Path) -> None:
    """Two offices' databases (a colleague's copy) export from the same issued packet: the
    second, not descending from the first, is merged against the issue — its own base — so
    it takes its own fields and leaves the first one's alone."""
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    k1, k2 = row_keys(june)[:2]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    office_a, office_b = _office(june, tmp_path / "a"), _office(june, tmp_path / "b")
    try:
        a = _export(office_a, "a.xlsx", tmp_path / "a", {k1: {"status": "推进中", "percent": 30}})
        b1 = _export(office_b, "b1.xlsx", tmp_path / "b")
        b = _export(office_b, "b2.xlsx", tmp_path / "b", {k2: {"status": "推进中", "percent": 60}})
    finally:
        office_a.dispose()
        office_b.dispose()
    assert read_packet(b).manifest.revision == 2 and b1.exists()
    assert _merge(tianning, b) == "applied"
    assert _merge(tianning, a) == "applied"  # revision 1, yet not older: not its ancestor
    values = _values(tianning)
    assert values[k1[2:]][:2] == ("in_progress", 30) and values[k2[2:]][:2] == ("in_progress", 60)


def test_a_filled_value_is_not_replaced_by_an_empty_one_without_a_conflict(
        tianning: Database, tmp_path: Path) -> None:
    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    key = row_keys(june)[0]
    first = fill_by_hand(june, tmp_path / "a.xlsx", {key: {"status": "in_progress",
                                                           "progress": "已完成 3 家"}})
    assert _merge(tianning, first) == "applied"
    second = fill_by_hand(first, tmp_path / "b.xlsx", {key: {"progress": ""}})
    preview = check_packets(tianning, [second])[0]
    assert preview.conflicts == 1
    assert any("空白不会自动覆盖" in w.message for w in preview.warnings)
    _merge(tianning, second)
    assert _values(tianning)[key[2:]][2] == "已完成 3 家"


# ---------------------------------------------------------------- a glance

def test_a_glance_reads_the_packet_id_and_hashes_the_file(tianning: Database,
                                                          tmp_path: Path) -> None:
    """What a batch is ordered by, read from the manifest's first rows: the same id and
    hash as reading the file whole, from a path or from bytes out of a mail or archive;
    nothing from a file that is not a packet."""
    import hashlib

    from app.services.district.check import glance
    from app.services.district.inbox import Member

    june = issue(tianning, "2021-06", [UNIT], tmp_path)[UNIT]
    filled = fill_by_hand(june, tmp_path / "r6.xlsx", {row_keys(june)[0]: {"percent": 40}})
    whole = read_packet(filled)
    seen = glance(filled)
    assert seen is not None
    assert (seen.packet_uid, seen.file_hash) == (whole.manifest.packet_id, whole.file_hash)
    assert glance(Member(tmp_path / "a.zip" / "r6.xlsx", "r6.xlsx", filled.read_bytes())) == seen
    not_ours = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(not_ours)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert glance(not_ours) is None and glance(broken) is None
    assert glance(tmp_path / "missing.xlsx") is None
    assert hashlib.sha256(filled.read_bytes()).hexdigest() == seen.file_hash


def test_how_many_processes_read_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services import workers
    from app.services.district import check

    monkeypatch.setattr(workers, "cpus", lambda: 1)
    assert check.read_workers(1000) == 0  # one core: this thread reads
    monkeypatch.setattr(workers, "cpus", lambda: 8)
    monkeypatch.setattr(workers, "load_average", lambda: 3.0)
    monkeypatch.setattr(check.POOL, "_pool", None)  # none running
    assert check.read_workers(check.READ_AHEAD_FILES - 1) == 0
    assert check.read_workers(check.READ_AHEAD_FILES) == check.MAX_READERS
    monkeypatch.setattr(workers, "cpus", lambda: 2)
    assert check.read_workers(1000) == 1  # the checking thread needs the other core
    monkeypatch.setattr(workers, "load_average", lambda: 4.5)
    assert check.read_workers(1000) == 0  # a machine far busier than its cores


# ---------------------------------------------------------------- reading ahead

def _town_returns(db: Database, folder: Path) -> list[Path]:
    """The eight towns' June returns filled by hand; the sixth named to be refused by
    `worker_helpers.refuse_reading` (a reader's refusal with sheet and cell)."""
    from merge_helpers import TOWNS, town_values

    issued = issue(db, "2021-06", TOWNS, folder / "issued")
    files = [fill_by_hand(p, folder / "in" / f"{'refuse-' if i == 5 else ''}{u}.xlsx",
                          town_values(u, 0, row_keys(p)))
             for i, (u, p) in enumerate(issued.items())]
    return files


def _shown(previews: Sequence[PacketPreview]) -> list[dict[str, Any]]:
    """What the dry run prints and the 汇总 page lists of each file."""
    from app.services.district.merge import merge_json, preview_result

    return [{**r, "writes": p.writes, "basis": p.basis}
            for p, r in zip(previews, merge_json(preview_result(p) for p in previews)
                            ["packets"], strict=True)]


def test_a_packet_handed_over_by_a_worker_checks_and_merges_as_one_read_here(
        tianning: Database, tmp_path: Path) -> None:
    """A worker process sends a row's fixed content only as the manifest's text of it (and
    the code), or, where it verified the seal, only the code: the seal, the verdicts, the
    problems and the merge are those of the packet read here."""
    from sqlalchemy.orm import Session

    from app.services.district.check import check_one
    from app.services.district.packed import read_packed
    from app.services.packets.seal import verify_seal
    from app.services.packets.sealed import read_sealed

    files = _town_returns(tianning, tmp_path)[:3]
    plan_secret = tianning_secret(tianning)
    whole = read_packet(files[0])
    secrets = {whole.manifest.plan.uid: plan_secret}
    handed, sealed_for = read_sealed(read_packet, files[0], files[0].name, {})
    assert sealed_for is None
    assert [r.fixed_json for r in handed.rows] == [r.fixed_json for r in whole.rows]
    assert all(r.fixed == {"code": w.code} for r, w in zip(handed.rows, whole.rows,
                                                            strict=True))
    assert [(r.key, r.values, r.cells) for r in handed.rows] == [
        (r.key, r.values, r.cells) for r in whole.rows]
    assert verify_seal(plan_secret, handed.manifest, handed.rows)

    def checked(handover: dict[str, str] | None) -> list[PacketPreview]:
        with Session(tianning) as s:
            return [check_one(s, f, "2021-06", None, {}, True,
                              (lambda f=f: read_packed(read_packet, f, f.name, handover))
                              if handover is not None else None) for f in files]

    here = checked(None)
    assert [p.status for p in here] == ["new"] * 3
    for handover in ({}, secrets):  # the seal verified by the check, or by the worker
        there = checked(handover)
        assert _shown(there) == _shown(here)
    results = apply_packets(tianning, there, period="2021-06")
    assert [r.status for r in results] == ["applied"] * 3


def tianning_secret(db: Database) -> str:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from app.models import Plan

    with Session(db) as s:
        secret = s.scalar(select(Plan.secret).where(Plan.id == 1))
    assert secret
    return secret


def test_the_dry_run_reads_files_itself_rather_than_wait_for_a_worker(
        tianning: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """While a worker process is still reading the file due, the checking thread reads
    the next files not handed out yet itself (kept for their turn): the previews, a
    reader's refusal among them, are those of reading every file here."""
    import worker_helpers

    from app.services import workers
    from app.services.district import check

    files = _town_returns(tianning, tmp_path)
    monkeypatch.setattr(check, "read_packet", worker_helpers.refuse_reading)
    monkeypatch.setattr(check, "read_workers", lambda files: 0)
    here = check_packets(tianning, files, period="2021-06")
    assert [p.status for p in here] == ["new"] * 5 + ["rejected"] + ["new"] * 2
    assert here[5].errors[0].cell == "H3"

    assert workers.POOL.start(1, timeout=120) == 1
    monkeypatch.setattr(check, "read_workers", lambda files: 1)
    monkeypatch.setattr(check.ReadAhead, "read", staticmethod(worker_helpers.slow_reading))
    early: list[str] = []
    read_here = check._read_here

    def counted(data: Path | bytes, name: str) -> Any:
        early.append(name)
        return read_here(data, name)

    monkeypatch.setattr(check, "_read_here", counted)
    shared = check_packets(tianning, files, period="2021-06")
    # the worker had the first two files (two at a time), this thread read some of the
    # rest early (which ones depends on when the worker's reads come back)
    assert early and set(early) <= {f.name for f in files[2:]}
    assert len(set(early)) == len(early)  # none read twice
    assert _shown(shared) == _shown(here)
    assert workers.POOL.warm  # kept for the next batch


def test_readers_warmed_before_a_batch_only_where_a_batch_would_get_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`warm_readers` (files about to be dropped on the 汇总 page) starts the read-ahead
    workers without waiting for them — not on one core or on a machine far busier than
    its cores, where a batch reads its files itself."""
    import time

    from app.services import workers
    from app.services.district import check

    workers.POOL.shutdown()
    monkeypatch.setattr(workers, "cpus", lambda: 1)
    assert not check.warm_readers() and not workers.POOL.warm
    monkeypatch.setattr(workers, "cpus", lambda: 2)
    monkeypatch.setattr(workers, "load_average", lambda: 4.5)
    assert not check.warm_readers() and not workers.POOL.warm
    monkeypatch.setattr(workers, "load_average", lambda: 0.5)
    started = time.monotonic()
    assert check.warm_readers() and workers.POOL.warm
    assert time.monotonic() - started < 5  # (not waiting for the process to be up)
    assert check.read_workers(check.READ_AHEAD_WARM) == 1  # a small batch gets it too
    assert workers.POOL.start(1, timeout=120) == 1  # the same worker, up
    assert check.warm_readers()  # already running: nothing more
    workers.POOL.shutdown()


def test_a_batch_glanced_at_partly_by_a_worker_gives_every_file_s_glance(
        tianning: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A merge's survey of a large batch: the workers glance at chunks from the back while
    this thread glances from the front; every file gets the glance it would get here
    (a broken file's None included, a mail's packet by its bytes); a worker that dies
    leaves its chunk to this thread."""
    import shutil

    import worker_helpers

    from app.services import workers
    from app.services.district import check
    from app.services.district.inbox import Member

    towns = _town_returns(tianning, tmp_path)
    broken = tmp_path / "in" / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    files: list[Path | Member] = []
    for n in range(90):
        copy = tmp_path / "batch" / f"{n:03d}-{towns[n % 8].name}"
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(towns[n % 8], copy)
        files.append(copy)
    files[10] = broken
    files[80] = Member(tmp_path / "mail.eml" / towns[2].name, towns[2].name,
                       towns[2].read_bytes())
    expected = {i: check.glance(f) for i, f in enumerate(files)}
    assert expected[10] is None and expected[80] == expected[2] is not None

    here: list[int] = []
    glance = check.glance

    def counted(source: Path | Member) -> Any:
        here.append(1)
        return glance(source)

    monkeypatch.setattr(check, "glance", counted)
    assert workers.POOL.start(1, timeout=120) == 1
    steps: list[int] = []
    ahead = check.ReadAhead(1)
    try:
        assert ahead.glances(list(enumerate(files)), steps.append) == expected
    finally:
        ahead.close()
    assert len(here) < len(files)  # the worker glanced at some
    assert steps == sorted(steps) and len(steps) == len(here)  # progress: this thread's

    here.clear()
    monkeypatch.setattr(check, "glance_many", worker_helpers.die_glancing)
    ahead = check.ReadAhead(1)
    try:
        assert ahead.glances(list(enumerate(files)), steps.append) == expected
    finally:
        ahead.close()
    assert len(here) == len(files)  # the worker died: all glanced here
    assert not workers.POOL.warm  # the dead pool is dropped
