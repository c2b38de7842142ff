"""The generated hostile corpus: percent formats, invisible characters, names, lineage and
concurrent merges, each met by the real command line in a child process (tests/bounded.py).

Every case asserts the outcome (exit status, per-file status, the values stored), the
Chinese message naming the file, sheet and cell where a file is refused or warned about,
that the database's reported data is unchanged by a refusal or a dry run, and that the
child's peak memory stays within 200 MB. Far cells, a million cells and unsafe XML are in
packets/test_container.py; disk full, read-only, locked, damaged and foreign databases in
test_db_faults.py (both through the same bounded child).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from bounded import PEAK_MB, Run, finish, run_cli, start
from conftest import copy_sqlite
from merge_helpers import fill_by_hand, issue, row_keys, table_dump
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Conflict, ProgressEntry, Receipt, Task, Unit
from app.services.db import open_database
from app.services.district.merge import apply_packets
from app.services.office.export import export_packet
from app.services.office.forms import save_task
from app.services.office.opening import open_packet
from app.services.packets.format import SHEET_MANIFEST, SHEET_TASKS
from app.services.packets.reader import read_packet

UNIT, MAY, JUNE = "青龙街道", "2021-05", "2021-06"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# what a refusal may write: the refusal itself in the packet ledger and the unit's receipt
LEDGER = ("packet", "receipt")


@dataclass
class World:
    db: Path  # a fresh copy of the district database for this test
    june: Path  # the packet issued to 青龙街道 for June
    keys: list[str]  # its task rows
    folder: Path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, tianning_template: Path
             ) -> tuple[Path, Path]:
    """May merged (完成进度 40 on the first task), June issued."""
    folder = tmp_path_factory.mktemp("corpus")
    db_path = folder / "district.db"
    copy_sqlite(tianning_template, db_path)
    engine = open_database(db_path)
    try:
        may = issue(engine, MAY, [UNIT], folder)[UNIT]
        key = row_keys(may)[0]
        ret = fill_by_hand(may, folder / "五月.xlsx", {key: {"status": "in_progress",
                                                             "percent": 40}})
        assert apply_packets(engine, [ret])[0].status == "applied"
        june = issue(engine, JUNE, [UNIT], folder)[UNIT]
    finally:
        engine.dispose()
    return db_path, june


@pytest.fixture
def world(template: tuple[Path, Path], tmp_path: Path) -> World:
    db_path, june = template
    copy = tmp_path / "district.db"
    copy_sqlite(db_path, copy)
    return World(copy, june, [k for k in row_keys(june) if k.startswith("T:")], tmp_path)


def merge(world: World, *files: Path, dry_run: bool = False) -> tuple[Run, list[dict]]:
    """`merge --json` in a bounded child: (the run, one result per file)."""
    args = ["merge", "--db", str(world.db), "--json", *(["--dry-run"] if dry_run else []),
            *map(str, files)]
    run = run_cli(args)
    assert run.peak_mb <= PEAK_MB, run.peak_mb
    assert "Traceback" not in run.stderr, run.stderr
    return run, json.loads(run.stdout)["packets"]


def entry(world: World, key: str) -> dict[str, Any]:
    with Session(open_database(world.db, create=False)) as s:
        row = s.execute(select(ProgressEntry).join(Task, Task.id == ProgressEntry.task_id)
                        .join(Unit, Unit.id == ProgressEntry.unit_id)
                        .where(Unit.name == UNIT, Task.uid == key[2:])
                        .order_by(ProgressEntry.period_id.desc())).scalars().first()
        assert row is not None
        return {c: getattr(row, c) for c in ("status", "percent", "progress", "responsible")}


def typed(world: World, name: str, key: str, percent: float, number_format: str) -> Path:
    """June's packet with 完成进度 set as Excel stores what was typed (a value + a format)."""
    filled = fill_by_hand(world.june, world.folder / f"{name}-base.xlsx",
                          {key: {"status": "in_progress", "progress": "推进中"}})
    wb = openpyxl.load_workbook(filled)
    cell = read_packet(world.june).row(key).cells["percent"]  # type: ignore[union-attr]
    wb[SHEET_TASKS][cell].value = percent
    wb[SHEET_TASKS][cell].number_format = number_format
    out = world.folder / f"{name}.xlsx"
    wb.save(out)
    return out


def cell(world: World, key: str, field: str) -> str:
    row = read_packet(world.june).row(key)
    assert row is not None
    return row.cells[field]


def percent_cell(world: World, key: str) -> str:
    return cell(world, key, "percent")


# ---------------------------------------------------------------- percent formats

@pytest.mark.parametrize(("value", "fmt", "stored"), [(0.6, "0%", 60.0), (0.555, "0.0%", 55.5),
                                                      (1, "0%", 100.0)])
def test_a_typed_percent_is_the_percent_the_clerk_saw(world: World, value: float, fmt: str,
                                                      stored: float) -> None:
    key = world.keys[0]
    run, [result] = merge(world, typed(world, "百分比", key, value, fmt))
    assert run.code == 0 and result["status"] == "applied", result
    assert not [w for w in result.get("warnings", []) if "上期是" in w["message"]]
    assert entry(world, key)["percent"] == stored


def test_a_fraction_without_percent_format_is_warned_naming_the_cell(world: World) -> None:
    key = world.keys[0]
    path = typed(world, "小数", key, 0.6, "General")
    before = table_dump(world.db)
    run, [result] = merge(world, path, dry_run=True)
    assert run.code == 0 and result["status"] == "applied"  # would be applied
    hits = [w for w in result["warnings"] if "上期是 40" in w["message"]]
    assert [(w["sheet"], w["cell"]) for w in hits] == [(SHEET_TASKS, percent_cell(world, key))]
    assert "60%" in hits[0]["message"] and result["file"].endswith("小数.xlsx")
    assert table_dump(world.db) == before


def test_a_percent_over_100_is_refused_naming_the_cell(world: World) -> None:
    key = world.keys[0]
    path = typed(world, "超百", key, 1.5, "0%")  # shown as 150%
    before = table_dump(world.db, skip=LEDGER)
    run, [result] = merge(world, path)
    assert run.code == 1 and result["status"] == "rejected"
    [error] = result["errors"]
    assert (error["sheet"], error["cell"]) == (SHEET_TASKS, percent_cell(world, key))
    assert CHINESE.search(error["message"]) and result["file"].endswith("超百.xlsx")
    assert table_dump(world.db, skip=LEDGER) == before


# ---------------------------------------------------------------- invisible characters

@pytest.mark.parametrize("control", ["\u202e", "\u2066", "\u200f"])
def test_a_bidi_control_in_a_reported_text_is_refused(world: World, control: str) -> None:
    key = world.keys[0]
    path = fill_by_hand(world.june, world.folder / "反向.xlsx", {key: {
        "status": "in_progress", "percent": 50, "progress": f"完成 3 家{control}%001 成完"}})
    before = table_dump(world.db, skip=LEDGER)
    run, [result] = merge(world, path)
    assert run.code == 1 and result["status"] == "rejected"
    [error] = result["errors"]
    row = read_packet(world.june).row(key)
    assert row is not None
    assert (error["sheet"], error["cell"]) == (SHEET_TASKS, row.cells["progress"])
    assert "改变文字方向" in error["message"] and result["file"].endswith("反向.xlsx")
    assert table_dump(world.db, skip=LEDGER) == before


def test_zero_width_characters_are_dropped(world: World) -> None:
    key = world.keys[0]
    path = fill_by_hand(world.june, world.folder / "零宽.xlsx", {key: {
        "status": "in_progress", "percent": 50, "progress": "完成\u200b 3 家",
        "responsible": "\ufeff张\u200d三"}})
    run, [result] = merge(world, path)
    assert run.code == 0 and result["status"] == "applied", result
    stored = entry(world, key)
    assert stored["responsible"] == "张三" and stored["progress"] == "完成 3 家"


# ---------------------------------------------------------------- names

HOSTILE_NAMES = ["甲/乙", "甲-乙", "丙:丁", "丙?丁", "ABC局", "abc局",
                 "常州市天宁区" + "生态文明建设示范区创建工作领导小组办公室下设综合协调组" * 3 + "第一组",
                 "戊\u200b己", "庚\u202e辛"]


def test_issue_to_hostile_unit_names_writes_one_safe_file_each(tmp_path: Path) -> None:
    from packet_helpers import SMALL_PLAN

    from app.models import Packet
    from app.services.plans.query import insert_plan

    db_path = tmp_path / "names.db"
    engine = open_database(db_path)
    spec = {**SMALL_PLAN, "uid": "hostilenames" + "0" * 20,
            "units": [{"name": n, "kind": "street"} for n in HOSTILE_NAMES],
            "tasks": [{"code": "1", "section": "1.1", "text": "建立台账。",
                       "lead": HOSTILE_NAMES}], "indicators": []}
    with Session(engine) as s, s.begin():
        insert_plan(s, spec)
        units = list(s.scalars(select(Unit.name)))
    engine.dispose()
    out = tmp_path / "out"
    run = run_cli(["issue", "--db", str(db_path), "--period", JUNE, "--out", str(out)])
    assert run.code == 0, run.stderr
    assert run.peak_mb <= PEAK_MB
    files = sorted(out.rglob("*.xlsx"))
    assert len(files) == len(units)  # none overwrote another
    assert len({f.name.casefold() for f in files}) == len(files)
    for f in files:
        assert len(f.name.encode("utf-8")) <= 200
        assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff/:?]", f.name)
    engine = open_database(db_path, create=False)
    with Session(engine) as s:
        ledger = {(name, fname) for name, fname in s.execute(
            select(Unit.name, Packet.file_name).join(Unit, Unit.id == Packet.unit_id)
            .where(Packet.direction == "issued"))}
    engine.dispose()
    assert {fname for _, fname in ledger} == {f.name for f in files}  # the names written
    assert {read_packet(f).manifest.unit for f in files} == {name for name, _ in ledger}


# ---------------------------------------------------------------- lineage

def _office(world: World, opened: Path, name: str = "office") -> Any:
    office = open_database(world.folder / f"{name}.db")
    open_packet(office, opened)
    return office


def test_an_unfilled_export_after_a_hand_filled_return_blanks_nothing(world: World) -> None:
    keys = world.keys[:5]
    hand = fill_by_hand(world.june, world.folder / "手填.xlsx", {k: {
        "status": "in_progress", "percent": 50, "progress": "已完成 3 家"} for k in keys})
    run, [result] = merge(world, hand)
    assert run.code == 0 and result["status"] == "applied"
    office = _office(world, world.june)
    try:
        unfilled = export_packet(office, JUNE, world.folder / "空白导出.xlsx").path
    finally:
        office.dispose()
    before = table_dump(world.db, skip=LEDGER)
    run, [result] = merge(world, unfilled)
    assert run.code == 0 and result["status"] in ("applied", "unchanged"), result
    assert not result.get("warnings")
    assert table_dump(world.db, skip=LEDGER) == before
    assert all(entry(world, k)["progress"] == "已完成 3 家" for k in keys)


def test_an_edited_revision_cannot_push_the_next_export_aside(world: World) -> None:
    k1, k2 = world.keys[:2]
    office = _office(world, world.june)
    try:
        save_task(office, JUNE, k1, {"status": "in_progress", "percent": 30, "progress": "一"})
        first = export_packet(office, JUNE, world.folder / "第1版.xlsx").path
        forged = world.folder / "第99版.xlsx"  # revision edited to 99, one text changed
        wb = openpyxl.load_workbook(first)
        for row in wb[SHEET_MANIFEST].iter_rows():
            if row[0].value == "revision":
                row[1].value = "99"
        wb[SHEET_TASKS][cell(world, k1, "progress")].value = "一(改)"
        wb.save(forged)
        save_task(office, JUNE, k2, {"status": "in_progress", "percent": 70, "progress": "二"})
        second = export_packet(office, JUNE, world.folder / "第2版.xlsx").path
    finally:
        office.dispose()
    for path in (first, forged):  # the forged revision 99 arrives after the first
        run, [result] = merge(world, path)
        assert run.code == 0 and result["status"] == "applied", result
    # forged from the first but not continuing it (same lineage): merged against its own
    # base, the issue, so its changed text meets the first's text as a conflict
    assert [(w["sheet"], w["cell"]) for w in result["warnings"] if "冲突" in w["message"]] == [
        (SHEET_TASKS, cell(world, k1, "progress"))]
    run, [result] = merge(world, second)
    assert run.code == 0 and result["status"] == "applied", result
    assert entry(world, k1)["percent"] == 30 and entry(world, k2)["percent"] == 70
    assert entry(world, k1)["progress"] == "一"  # the conflict waits for a person
    before = table_dump(world.db)
    run, [again] = merge(world, first)  # merged already: nothing written
    assert run.code == 0 and again["status"] == "unchanged"
    assert table_dump(world.db) == before


# ---------------------------------------------------------------- concurrency

def _revisions(world: World) -> list[Path]:
    """Revision 0 filled by hand, then three office exports continuing it."""
    tasks = world.keys
    files = [fill_by_hand(world.june, world.folder / "r0.xlsx", {
        k: {"status": "in_progress", "percent": 5, "progress": f"手填 {i}"}
        for i, k in enumerate(tasks)})]
    office = _office(world, files[0])
    try:
        for rev in (1, 2, 3):
            for i, key in enumerate(tasks):
                values: dict[str, Any] = {"progress": f"第{rev}版 {i}"}
                if (i + rev) % 2:
                    values["percent"] = 10 * rev + i % 10
                save_task(office, JUNE, key, values)
            files.append(export_packet(office, JUNE, world.folder / f"r{rev}.xlsx").path)
    finally:
        office.dispose()
    return files


def _state(db: Path) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    engine = open_database(db, create=False)
    with Session(engine) as s:
        out["entries"] = sorted(tuple(r) for r in s.execute(select(
            ProgressEntry.task_id, ProgressEntry.status, ProgressEntry.percent,
            ProgressEntry.progress)))
        out["conflicts"] = sorted(tuple(r) for r in s.execute(select(
            Conflict.entity_id, Conflict.field, Conflict.status)))
        out["receipts"] = sorted(tuple(r) for r in s.execute(select(
            Receipt.unit_id, Receipt.period_id, Receipt.state, Receipt.revision)))
    engine.dispose()
    return out


def test_two_processes_merging_the_same_revisions_end_as_one_by_one(world: World) -> None:
    files = _revisions(world)
    sequential = world.folder / "sequential.db"
    copy_sqlite(world.db, sequential)
    engine = open_database(sequential)
    try:
        for path in files:
            assert apply_packets(engine, [path])[0].status == "applied"
    finally:
        engine.dispose()
    expected = _state(sequential)
    rng = random.Random(11)
    for attempt in range(3):
        target = world.folder / f"both{attempt}.db"
        copy_sqlite(world.db, target)
        children = [start(["merge", "--db", str(target), "--json",
                           *map(str, rng.sample(files, len(files)))]) for _ in range(2)]
        runs = [finish(proc, peak) for proc, peak in children]
        for run in runs:
            assert run.peak_mb <= PEAK_MB and "Traceback" not in run.stderr, run.stderr
            statuses = {p["status"] for p in json.loads(run.stdout)["packets"]}
            assert statuses <= {"applied", "unchanged", "superseded"}, statuses
            assert run.code == (1 if "superseded" in statuses else 0), run.stderr
        assert _state(target) == expected, attempt
